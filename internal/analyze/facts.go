package analyze

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"runtime/debug"
	"time"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/events"
	"github.com/ospo-project/ospo/internal/expertise"
	"github.com/ospo-project/ospo/internal/extract"
	"github.com/ospo-project/ospo/internal/extract/gitlog"
	"github.com/ospo-project/ospo/internal/gitrepo"
	"github.com/ospo-project/ospo/internal/repofs"
	"github.com/ospo-project/ospo/internal/safefs"
)

// Identify opens the repository at dir far enough to know its key, name,
// origin and HEAD. It is the cheap pass (no git process in the common
// case) that lets a scan skip an unchanged estate in seconds. realPath is
// dir with symlinks resolved ("" means dir made absolute); a repository
// without an origin is keyed by it. A dir that is not a git repository
// gets Err set and is keyed by its path.
func Identify(ctx context.Context, dir, realPath string) *Ident {
	if realPath == "" {
		if abs, err := filepath.Abs(dir); err == nil {
			realPath = abs
		} else {
			realPath = dir
		}
	}
	id := &Ident{Name: nameFromPath(realPath), Key: "path:" + realPath}
	repo, err := gitrepo.Open(dir)
	if err != nil {
		id.Err = err
		return id
	}
	id.Repo, id.Bare = repo, repo.Bare
	if remote := repo.RemoteURL(ctx); remote != "" {
		id.Remote = remote
		if k := gitrepo.NormaliseRemote(remote); k != "" {
			id.Key = k
			id.Name = nameFromPath(k)
		}
	}
	head, branch, err := repo.Head(ctx)
	id.Head, id.Branch = head, branch
	if err != nil && !errors.Is(err, gitrepo.ErrNoCommits) {
		id.Err = err
	}
	return id
}

// facts gathers the facts t.Facts chooses of the repository t names:
// identity, the extractors' facts over the chosen tree, and (AllFacts) the
// history of HEAD. It never fails: whatever cannot be read is a problem on
// the project.
func (a *Analyzer) facts(ctx context.Context, t Target) (p *catalog.Project, log *gitlog.Log) {
	start := time.Now()
	id := t.Ident
	p = &catalog.Project{
		Key:            id.Key,
		Name:           id.Name,
		Path:           t.Dir,
		Bare:           id.Bare,
		RemoteURL:      id.Remote,
		HeadCommit:     id.Head,
		DefaultBranch:  id.Branch,
		Kind:           catalog.KindInternal,
		ScannerVersion: catalog.ScannerVersion,
		ConfigHash:     t.ConfigHash,
	}
	for _, d := range id.Duplicates {
		p.Problems = append(p.Problems, catalog.Problem{Kind: catalog.ProblemDuplicate, Path: d,
			Message: fmt.Sprintf("the same repository is also checked out at %s; %s was scanned", d, t.Dir)})
	}
	defer func() {
		if r := recover(); r != nil {
			p.Problems = append(p.Problems, catalog.Problem{Kind: catalog.ProblemInternal,
				Message: fmt.Sprintf("scanner crashed: %v", r)})
			debug.PrintStack()
		}
		if t.Kind != "" {
			p.Kind = t.Kind
		}
		p.ScannedAt = time.Now().UTC()
		p.ScanDuration = time.Since(start)
	}()
	if t.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, t.Timeout)
		defer cancel()
		defer func() {
			if errors.Is(ctx.Err(), context.DeadlineExceeded) {
				p.Problems = append(p.Problems, catalog.Problem{Kind: catalog.ProblemTimeout,
					Message: fmt.Sprintf("scan stopped after %s; facts are incomplete", t.Timeout)})
			}
		}()
	}
	repo := id.Repo
	extractors := extract.List()
	if t.Facts == InventoryFacts {
		extractors = extract.Inventory()
	}
	if t.Source == WorkTree {
		files := a.workTreeFacts(ctx, p, extractors)
		if repo != nil && id.Head != "" && t.Analyses&Scorecard != 0 {
			a.history(ctx, p, repo, files, time.Time{}, 0, nil)
		}
		return p, nil
	}
	if id.Err != nil {
		p.Problems = append(p.Problems, catalog.Problem{Kind: catalog.ProblemUnreadable, Message: id.Err.Error()})
		return p, nil
	}
	if id.TimedOut {
		p.Problems = append(p.Problems, catalog.Problem{Kind: catalog.ProblemTimeout,
			Message: fmt.Sprintf("reading the repository's identity (origin, HEAD) took longer than %s; nothing else was read", t.Timeout)})
		return p, nil
	}
	if b := repo.DefaultBranch(ctx); b != "" {
		p.DefaultBranch = b
	}
	commit := id.Head
	if t.Source == Commit {
		commit = t.Commit
	}
	if commit == "" {
		p.Problems = append(p.Problems, catalog.Problem{Kind: catalog.ProblemNoCommits, Message: "the repository has no commits"})
		return p, nil
	}
	// Read exactly the commit recorded, so the facts match it even if the
	// repository moves while it is read.
	tree, err := repo.Tree(ctx, gitrepo.TreeOptions{Commit: commit})
	var files []string
	var headDate time.Time
	var root *gitlog.Root
	if err != nil {
		p.Problems = append(p.Problems, catalog.Problem{Kind: catalog.ProblemUnreadable, Message: fmt.Sprintf("read HEAD tree: %v", err)})
	} else {
		if tree.Truncated() {
			p.Problems = append(p.Problems, catalog.Problem{Kind: catalog.ProblemTooLarge,
				Message: fmt.Sprintf("the tree has more files than the scan reads; facts cover the first %d", len(tree.Files()))})
		}
		if n := tree.Skipped(); n > 0 {
			p.Problems = append(p.Problems, catalog.Problem{Kind: catalog.ProblemUnreadable,
				Message: fmt.Sprintf("%d entries with unsafe paths were skipped", n)})
		}
		for _, f := range extract.Run(ctx, tree, extractors) {
			p.AddFacts(f)
		}
		files = regularFiles(tree)
		if t.Source == Head && t.Facts != InventoryFacts {
			// The date of the commit read, through the tree's cat-file
			// process: one git process less per repository scanned.
			if d, err := tree.CommitDate(); err == nil {
				headDate = d
			}
			// A single-commit history is counted from the tree, through
			// the same process: no git log at all.
			if r, err := gitlog.RootOf(repo, tree); err == nil {
				root = &r
			}
		}
		tree.Close()
	}
	if t.Facts == InventoryFacts {
		return p, nil
	}
	keep := 0
	if t.KeepLog && t.Source == Head {
		keep = events.MaxCommits
	}
	return p, a.history(ctx, p, repo, files, headDate, keep, root)
}

// regularFiles returns the paths of the tree's regular files: the files
// whose authorship counts.
func regularFiles(t repofs.Tree) []string {
	var out []string
	for _, f := range t.Files() {
		if !f.Symlink && !f.Submodule {
			out = append(out, f.Path)
		}
	}
	return out
}

// history records the date of HEAD (headDate, or HEAD's as git tells when
// it is zero), the commits and contributors of its history, and the
// expertise it shows (who authors which of files, the paths of the tree
// analysed; nil when no tree could be read: then every path the history
// touched counts) on p. With keep above 0 it returns the newest keep+1
// commits of the walk (see gitlog.Options.Log). root, when not nil, is
// HEAD's history, a single commit, as gitlog.RootOf read it: git log is not
// run.
func (a *Analyzer) history(ctx context.Context, p *catalog.Project, repo *gitrepo.Repo, files []string, headDate time.Time, keep int, root *gitlog.Root) *gitlog.Log {
	if !headDate.IsZero() {
		p.HeadDate = headDate.UTC()
	} else if t, err := repo.HeadDate(ctx); err == nil {
		p.HeadDate = t.UTC()
	} else {
		p.Problems = append(p.Problems, catalog.Problem{Kind: catalog.ProblemHistory, Message: err.Error()})
	}
	opts := gitlog.Options{Files: true, Log: keep}
	var hist gitlog.Result
	var err error
	if root != nil {
		hist = gitlog.MineRoot(*root, opts)
	} else {
		hist, err = gitlog.Mine(ctx, repo.Dir, opts)
	}
	if err != nil {
		p.Problems = append(p.Problems, catalog.Problem{Kind: catalog.ProblemHistory, Message: err.Error()})
	}
	p.Contributors = hist.Contributions
	p.Commits = hist.Commits
	p.Problems = append(p.Problems, hist.Problems...)
	if err == nil && hist.Commits > 0 {
		e := expertise.Compute(expertise.Input{Contributors: hist.Contributions, History: hist.Files, Files: files})
		p.Expertise = &e
	}
	if err != nil || hist.Log.Len() == 0 {
		return nil
	}
	return hist.Log
}

// workTreeFacts runs extractors over the files of p.Path as they are on
// disk, confined to the directory, and returns their paths.
func (a *Analyzer) workTreeFacts(ctx context.Context, p *catalog.Project, extractors []extract.Extractor) []string {
	tree, err := safefs.Open(p.Path, safefs.Options{})
	if err != nil {
		p.License = &catalog.ProjectLicense{Expression: catalog.LicenseUnknown}
		p.Problems = append(p.Problems, catalog.Problem{Kind: catalog.ProblemUnreadable, Message: err.Error()})
		return nil
	}
	defer tree.Close()
	for _, f := range extract.Run(ctx, tree, extractors) {
		p.AddFacts(f)
	}
	for _, msg := range tree.Problems() {
		p.Problems = append(p.Problems, catalog.Problem{Kind: catalog.ProblemUnreadable, Message: msg})
	}
	if tree.Truncated() {
		p.Problems = append(p.Problems, catalog.Problem{Kind: catalog.ProblemTooLarge,
			Message: fmt.Sprintf("the directory has more files than are read; facts cover the first %d", len(tree.Files()))})
	}
	return regularFiles(tree)
}

// Inventory returns the dependencies of the committed HEAD of the
// repository at dir, nothing else: the inventory alone, for benchmarks.
func Inventory(ctx context.Context, dir string) ([]catalog.Dependency, []catalog.Problem, error) {
	repo, err := gitrepo.Open(dir)
	if err != nil {
		return nil, nil, err
	}
	tree, err := repo.Tree(ctx, gitrepo.TreeOptions{})
	if err != nil {
		return nil, nil, err
	}
	defer tree.Close()
	f := extract.Run(ctx, tree, extract.Dependencies())[0]
	return f.Dependencies, f.Problems, nil
}

var _ repofs.Tree = (*safefs.Tree)(nil)
