package events

import (
	"context"
	"fmt"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/extract/deps"
	"github.com/ospo-project/ospo/internal/extract/gitlog"
	"github.com/ospo-project/ospo/internal/repofs"
)

// Store is what Update needs from a catalogue; store.Store provides it.
type Store interface {
	// EventCursor returns the commit up to which the project's events were
	// derived ("" when never).
	EventCursor(ctx context.Context, projectKey string) (string, error)
	// AddEvents records evs (an event whose ID is already recorded is left
	// as it is) and moves the project's cursor, in one transaction; it
	// returns how many events were new.
	AddEvents(ctx context.Context, projectKey, cursor string, evs []catalog.Event) (int, error)
}

// TreeVulns analyses the committed tree of commit in the repository at
// dir: its dependencies and their vulnerability findings (the analysis
// pipeline, see analyze.Analyzer).
type TreeVulns func(ctx context.Context, dir, commit string) ([]catalog.Dependency, []catalog.VulnFinding, error)

// Job is one project whose events Update derives after a scan.
type Job struct {
	// Project is the project as just scanned and saved (Path, Key, HeadCommit).
	Project catalog.Project
	// Teams gives the teams of each lower-cased e-mail.
	Teams map[string][]string
	// Score is the scorecard change the scan made, if any.
	Score *ScoreChange
	// Vulns, when not nil, finds vulnerability fixes among the new commits
	// that touch a manifest (at most MaxVulnCommits, the newest).
	Vulns TreeVulns
	// Replay reads the whole history again, whatever the cursor says (after
	// team memberships changed, say); events already recorded stay as they are.
	Replay bool
	// Log, when not nil, is the scan's walk of the history from
	// Project.HeadCommit (analyze.Result.Log): Update reads the commits from
	// it when it can instead of running git log again.
	Log *gitlog.Log
}

// MaxCommits caps the commits one derivation reads (the newest are kept):
// the first derivation of a long history reads this many.
const MaxCommits = 20000

// MaxVulnCommits caps the manifest-changing commits analysed for
// vulnerability fixes in one derivation (each costs two analyses).
const MaxVulnCommits = 50

// Update derives the events of the commits of j.Project new since its
// cursor and records them, moving the cursor to the project's HEAD. It
// returns how many events were new. Running it twice over the same HEAD
// reads nothing the second time; running it over a rewritten history
// reads it all again and records only events not recorded yet.
func Update(ctx context.Context, st Store, j Job) (int, error) {
	p := j.Project
	if p.HeadCommit == "" || p.Path == "" {
		return 0, nil
	}
	cursor, err := st.EventCursor(ctx, p.Key)
	if err != nil {
		return 0, fmt.Errorf("events of %s: %w", p.Name, err)
	}
	if j.Replay {
		cursor = ""
	}
	if cursor == p.HeadCommit && j.Score == nil {
		return 0, nil
	}
	var list gitlog.CommitList
	if cursor != p.HeadCommit {
		list, err = commits(ctx, p.Path, gitlog.CommitRange{Head: p.HeadCommit, Since: cursor, Max: MaxCommits}, j.Log)
		if err != nil {
			return 0, fmt.Errorf("events of %s: %w", p.Name, err)
		}
	}
	in := Input{Project: p, Commits: list.Commits, Complete: list.Complete && !list.Truncated, Teams: j.Teams, Score: j.Score}
	if j.Vulns != nil {
		in.VulnFixes, err = FindVulnFixes(ctx, j.Vulns, p.Path, list.Commits)
		if err != nil {
			return 0, fmt.Errorf("events of %s: %w", p.Name, err)
		}
	}
	n, err := st.AddEvents(ctx, p.Key, p.HeadCommit, Derive(in))
	if err != nil {
		return 0, fmt.Errorf("events of %s: %w", p.Name, err)
	}
	return n, nil
}

// commits returns the commits of r as gitlog.Commits reads them, from log
// when it holds them. A log counts whitespace: the files of a commit are
// read again ignoring whitespace (one git process for all such commits)
// only where a change of whitespace alone would change what the
// derivation makes of the commit (see settled).
func commits(ctx context.Context, dir string, r gitlog.CommitRange, log *gitlog.Log) (gitlog.CommitList, error) {
	list, ok := log.Range(r)
	if !ok {
		return gitlog.Commits(ctx, dir, r)
	}
	var unsettled []string
	for _, c := range list.Commits {
		if !settled(c) {
			unsettled = append(unsettled, c.Hash)
		}
	}
	if len(unsettled) == 0 {
		return list, nil
	}
	exact, err := gitlog.IgnoringWhitespace(ctx, dir, unsettled)
	if err != nil {
		return gitlog.CommitList{}, err
	}
	for i := range list.Commits {
		c := &list.Commits[i]
		if !settled(*c) {
			c.Files = exact[c.Hash]
		}
	}
	return list, nil
}

// settled reports whether the derivation makes the same of c whether or not
// its files marked MaybeWhitespace changed whitespace only: whether c is
// Trivial and whether it touches a manifest (the files' other uses, the
// created files and their lines, are the same with whitespace counted or
// not). Trivial and touchesManifest only turn one way as files are added,
// and a file that stays lists a change either way (a change of as many
// lines added as removed that is not whitespace only has lines ignoring
// whitespace; other changes keep their lines or their absence of lines),
// so comparing c with and without those files suffices. A commit listing
// gitlog.MaxCommitFiles files is never settled: which files are listed
// depends on the others.
func settled(c catalog.CommitFact) bool {
	var sure []catalog.CommitFile
	for _, f := range c.Files {
		if !f.MaybeWhitespace {
			sure = append(sure, f)
		}
	}
	if len(sure) == len(c.Files) {
		return true
	}
	if len(c.Files) >= gitlog.MaxCommitFiles {
		return false
	}
	s := c
	s.Files = sure
	return Trivial(c) == Trivial(s) && touchesManifest(c) == touchesManifest(s)
}

// touchesManifest reports whether c changed a manifest or lockfile the
// dependency inventory reads.
func touchesManifest(c catalog.CommitFact) bool {
	for _, f := range c.Files {
		if (deps.Extractor{}).FileRequired(repofs.File{Path: f.Path}) {
			return true
		}
	}
	return false
}

// FindVulnFixes finds, among commits (oldest first), those that moved a
// dependency out of an advisory's affected range: a finding of the
// commit's first parent that the commit no longer has, while the package
// is still a dependency at another version (a removed dependency is not a
// fix). Only commits changing a manifest are analysed, the newest
// MaxVulnCommits of them.
func FindVulnFixes(ctx context.Context, tv TreeVulns, dir string, commits []catalog.CommitFact) ([]VulnFix, error) {
	var cand []catalog.CommitFact
	for i := len(commits) - 1; i >= 0 && len(cand) < MaxVulnCommits; i-- {
		c := commits[i]
		if len(c.Parents) == 1 && touchesManifest(c) {
			cand = append(cand, c)
		}
	}
	type tree struct {
		deps  []catalog.Dependency
		finds []catalog.VulnFinding
	}
	cache := map[string]tree{}
	at := func(commit string) (tree, error) {
		if t, ok := cache[commit]; ok {
			return t, nil
		}
		d, f, err := tv(ctx, dir, commit)
		if err != nil {
			return tree{}, err
		}
		cache[commit] = tree{d, f}
		return cache[commit], nil
	}
	var out []VulnFix
	for i := len(cand) - 1; i >= 0; i-- { // oldest first
		c := cand[i]
		before, err := at(c.Parents[0])
		if err != nil {
			return nil, err
		}
		if len(before.finds) == 0 {
			continue
		}
		after, err := at(c.Hash)
		if err != nil {
			return nil, err
		}
		still := map[[2]string]bool{}
		for _, f := range after.finds {
			still[[2]string{f.AdvisoryID, f.Ecosystem + "\x00" + f.Package}] = true
		}
		for _, f := range before.finds {
			if f.Suppressed || still[[2]string{f.AdvisoryID, f.Ecosystem + "\x00" + f.Package}] {
				continue
			}
			for _, d := range after.deps {
				if d.Ecosystem == f.Ecosystem && d.Name == f.Package && d.Version != f.Version && !d.Constraint {
					out = append(out, VulnFix{Commit: c, AdvisoryID: f.AdvisoryID, Package: f.Package, From: f.Version, To: d.Version})
					break
				}
			}
		}
	}
	return out, nil
}
