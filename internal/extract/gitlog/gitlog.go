// Package gitlog turns a repository's history into per-identity
// contributions: commits, lines added and removed, first and last commit
// dates and weekly activity.
//
// It streams `git log --numstat` (run through gitcmd, so a hostile
// repository cannot make git execute anything) and aggregates as it reads,
// so memory stays bounded by the number of authors and weeks, however long
// the history. Damage to a repository (missing objects, a partial clone
// whose blobs are absent) is recorded as problems on the result and never
// stops the work: what can be read is kept.
package gitlog

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/gitcmd"
	"github.com/ospo-project/ospo/internal/safefs"
)

// Options tune Mine. The zero value reads the whole history.
type Options struct {
	// MaxCommits caps the number of commits read, newest first; 0 means no
	// cap. When the history is longer, Result.Truncated is set and a
	// catalog.ProblemTooLarge problem is recorded.
	MaxCommits int
	// Files asks for each file's history (Result.Files): who created it and
	// who changed it how often. It costs memory in proportion to the files
	// the history touched times their authors, at most maxFiles files.
	Files bool
	// Log, when above 0, also keeps the newest Log+1 commits the walk reads
	// as the event derivation reads them (Result.Log, see Log.Range): the
	// same git process serves both. Memory grows with those commits and
	// their files.
	Log int
}

// Result is what Mine read from one repository's history.
type Result struct {
	// Contributions holds one entry per (name, lowercased email) identity,
	// as the repository's .mailmap rewrites them, ordered by commits (most
	// first), then email, then name. Names and emails are valid UTF-8 (bad
	// bytes become U+FFFD) of at most 1 KiB. Dates are author dates, in UTC;
	// a commit whose date cannot be read counts without a date or a week.
	// Identities are not merged across spellings here: that is package
	// identity's job, estate-wide.
	Contributions []catalog.Contribution
	// Commits is the number of commits counted: every commit reachable from
	// HEAD, merges included, unless the history was truncated or damaged.
	Commits int
	// Head is the full hash of HEAD as the walk saw it; empty when there are
	// no commits.
	Head string
	// Truncated reports that the history held more than Options.MaxCommits
	// commits and only the newest ones were read.
	Truncated bool
	// Files holds, when Options.Files is set, the history of each path the
	// commits read changed, sorted by path; author indexes refer to
	// Contributions. Renames are not followed: a moved file is a new file.
	Files []catalog.FileHistory
	// Problems records what could not be read: no commits, damage to the
	// history (line counts missing for some commits, or commits missing
	// altogether), truncation.
	Problems []catalog.Problem
	// Log holds the commits read when Options.Log asked for them.
	Log *Log
}

// maxStatFailures is how many times Mine restarts `git log --numstat` after
// it fails on a damaged commit before it stops asking for line counts. Each
// restart costs a git process and a walk of the commits already read, so a
// few isolated bad commits keep their neighbours' line counts, while a
// partial clone missing every old blob does not cost one process per commit.
const maxStatFailures = 8

// Mine reads the history of the repository at dir (a work tree or a bare git
// directory) from HEAD and returns each identity's contributions.
//
// Lines added and removed are those of each commit's diff against its
// parent (against nothing for a root commit). Merges count as commits and add
// no lines; binary files add none; renames are not detected, so a moved file
// counts as removed and added. In a shallow clone the commits at the edge of
// the history add no lines either (git would show them adding every file),
// and a problem says the history is incomplete.
//
// A repository without commits yields a Result with a catalog.ProblemNoCommits
// problem. A damaged repository yields what could be read, with
// catalog.ProblemHistory problems saying what is missing. Mine returns an
// error only when git cannot be run at all (for example it is not installed
// or dir does not exist) or when ctx is done; the Result is then empty.
func Mine(ctx context.Context, dir string, opts Options) (Result, error) {
	m := &miner{dir: dir, agg: newAggregator(), opts: opts}
	if opts.Files {
		m.agg.files = make(map[string]*fileAgg)
	}
	if opts.Log > 0 {
		m.agg.log = newLog(opts.Log + 1)
	}
	if err := m.mine(ctx); err != nil {
		return Result{}, err
	}
	return m.result(), nil
}

// miner holds the state of one Mine call across the git processes it runs.
type miner struct {
	dir  string
	opts Options
	agg  *aggregator

	statFailures int    // failed `git log --numstat` runs
	noStat       int    // commits counted without (complete) line counts
	suspect      bool   // the last commit counted may lack its line counts
	firstErr     string // git's complaint on the first failure
	walkBroken   bool   // the revision walk itself cannot go on
	walkErr      string // git's complaint when the walk broke
	truncated    bool
	noCommits    bool
}

// run describes one git process run by the miner.
type run struct {
	stats  runStats
	failed bool   // git exited with an error that we did not cause
	stderr string // the start of git's standard error
}

func (m *miner) mine(ctx context.Context) error {
	m.agg.boundary = m.shallow(ctx)
	for {
		remaining := -1
		if m.opts.MaxCommits > 0 {
			remaining = m.opts.MaxCommits - m.agg.commits
		}
		if remaining == 0 {
			// Only needed after a failure: a plain run of one commit tells
			// whether the history goes on beyond the cap.
			r, err := m.log(ctx, false, 0)
			if err != nil {
				return err
			}
			m.truncated = r.stats.truncated
			return nil
		}

		if m.statFailures >= maxStatFailures {
			// Count the rest without line counts.
			r, err := m.log(ctx, false, remaining)
			if err != nil {
				return err
			}
			m.noStat += r.stats.commits
			m.truncated = r.stats.truncated
			if r.failed {
				m.broken(r)
			}
			return nil
		}

		r, err := m.log(ctx, true, remaining)
		if err != nil {
			return err
		}
		if r.stats.commits > 0 {
			m.suspect = false
		}
		if r.stats.truncated || !r.failed {
			m.truncated = r.stats.truncated
			return nil
		}
		if m.agg.commits == 0 {
			empty, err := m.unborn(ctx)
			if err != nil {
				return err
			}
			if empty {
				m.noCommits = true
				return nil
			}
		}
		m.statFailures++
		if m.firstErr == "" {
			m.firstErr = r.stderr
		}
		if r.stats.commits > 0 {
			if !r.stats.lastStat {
				// git prints a commit's header before reading the blobs its
				// line counts need, so the last commit is the one that failed
				// (or, if the walk broke, one without changes).
				m.noStat++
				m.suspect = true
			}
			continue
		}
		// git died before printing the next commit (a missing tree, a
		// partial clone's batch fetch of missing blobs, or a broken walk):
		// count that one commit without line counts and go on after it.
		r, err = m.log(ctx, false, 1)
		if err != nil {
			return err
		}
		if r.stats.commits == 0 {
			if m.suspect {
				m.noStat-- // the earlier failure was this broken walk
			}
			m.broken(r)
			return nil
		}
		m.suspect = false
		m.noStat += r.stats.commits
	}
}

// maxShallowFile bounds the bytes read from a shallow clone's list of
// boundary commits: 1 MiB holds about 25,000 of them.
const maxShallowFile = 1 << 20

// shallow returns the boundary commits of a shallow clone, as listed in its
// "shallow" file, or nil if the repository is complete (or the list cannot
// be read: then boundary commits count as root commits).
func (m *miner) shallow(ctx context.Context) map[string]bool {
	var path string
	fi, err := os.Lstat(filepath.Join(m.dir, ".git"))
	switch {
	case err == nil && fi.IsDir():
		path = filepath.Join(m.dir, ".git", "shallow")
	case err == nil:
		// A .git file (linked work tree, submodule): ask git where it is.
		p, err := gitcmd.Output(ctx, m.dir, "rev-parse", "--git-path", "shallow")
		if err != nil || p == "" {
			return nil
		}
		if !filepath.IsAbs(p) {
			p = filepath.Join(m.dir, p)
		}
		path = p
	default:
		path = filepath.Join(m.dir, "shallow") // a bare repository
	}
	f, err := safefs.OpenRegular(path) // a FIFO planted as shallow must not hang the scan
	if err != nil {
		return nil
	}
	defer f.Close()
	var boundary map[string]bool
	sc := bufio.NewScanner(io.LimitReader(f, maxShallowFile))
	for sc.Scan() {
		if h := strings.TrimSpace(sc.Text()); isHex([]byte(h)) {
			if boundary == nil {
				boundary = make(map[string]bool)
			}
			boundary[h] = true
		}
	}
	return boundary
}

// broken records that the revision walk failed and cannot go further.
func (m *miner) broken(r run) {
	m.walkBroken = true
	m.walkErr = r.stderr
}

// log runs one git log from the commit after those already counted, with or
// without --numstat, counting at most limit commits (limit < 0: no limit).
func (m *miner) log(ctx context.Context, stat bool, limit int) (run, error) {
	// Once HEAD has been read, later runs walk from the same commit even if
	// the repository's HEAD moves meanwhile, so --skip stays exact.
	rev := "HEAD"
	if m.agg.head != "" {
		rev = m.agg.head
	}
	if m.agg.log != nil && (!stat || m.agg.commits > 0) {
		m.agg.log.bad = true // a second run: the walk is not one clean pass
	}
	args := logArgs(stat, m.agg.commits, limit, rev, m.agg.log != nil)

	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	cmd := gitcmd.Command(runCtx, m.dir, args...)
	cmd.WaitDelay = 5 * time.Second
	stderr := &headWriter{max: 4096}
	cmd.Stderr = stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return run{}, fmt.Errorf("gitlog: %s: %w", m.dir, err)
	}
	if err := cmd.Start(); err != nil {
		return run{}, fmt.Errorf("gitlog: start git in %s: %w", m.dir, err)
	}
	st, readErr := m.agg.consume(stdout, limit)
	if m.agg.log != nil {
		m.agg.log.done()
	}
	if st.truncated || readErr != nil {
		cancel() // we stop reading: stop git too
	}
	waitErr := cmd.Wait()
	if err := ctx.Err(); err != nil {
		return run{}, fmt.Errorf("gitlog: %s: %w", m.dir, err)
	}
	r := run{stats: st, stderr: reason(stderr.String())}
	switch {
	case st.truncated:
		// git was killed on purpose.
	case readErr != nil:
		r.failed = true
		r.stderr = "read git output: " + readErr.Error()
	case waitErr != nil:
		r.failed = true
		if r.stderr == "" {
			r.stderr = waitErr.Error()
		}
	}
	if r.failed && m.agg.log != nil {
		m.agg.log.bad = true
	}
	return r, nil
}

// logArgs returns the arguments of one git log run: from rev, skipping skip
// commits, with --numstat when stat is set, printing at most limit+1
// commits (one more than the limit, to tell whether the history goes on;
// limit < 0: no limit). With facts, each header also holds the commit's
// parents and --summary says which files each commit created (Log).
func logArgs(stat bool, skip, limit int, rev string, facts bool) []string {
	format := logFormat
	if facts {
		format = logFactsFormat
	}
	args := []string{
		"-c", "mailmap.file=", // a repository may not point us at files outside it
		"log", "--use-mailmap", "--no-renames", "--no-ext-diff", "--no-textconv",
		// Settings a repository's config could change: merges show no
		// diff, the root commit does, paths are not relative to a subdirectory.
		"--diff-merges=off", "--root", "--no-relative",
		"--format=" + format,
	}
	if stat {
		args = append(args, "--numstat")
	}
	if stat && facts {
		args = append(args, "--summary")
	}
	if skip > 0 {
		args = append(args, "--skip="+strconv.Itoa(skip))
	}
	if limit >= 0 {
		args = append(args, "--max-count="+strconv.Itoa(limit+1))
	}
	return append(args, rev, "--")
}

// unborn reports whether HEAD names no commit at all: a fresh repository or
// an unborn branch. A HEAD that names a missing object is not unborn.
func (m *miner) unborn(ctx context.Context) (bool, error) {
	cmd := gitcmd.Command(ctx, m.dir, "rev-parse", "--verify", "--quiet", "HEAD")
	cmd.WaitDelay = 5 * time.Second
	err := cmd.Run()
	if ctxErr := ctx.Err(); ctxErr != nil {
		return false, fmt.Errorf("gitlog: %s: %w", m.dir, ctxErr)
	}
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		// --verify --quiet exits 1, silently, when HEAD does not resolve;
		// other failures (not a repository) exit 128.
		return exit.ExitCode() == 1, nil
	}
	if err != nil {
		return false, fmt.Errorf("gitlog: run git in %s: %w", m.dir, err)
	}
	return false, nil
}

func (m *miner) result() Result {
	contribs, files := m.agg.result()
	res := Result{
		Contributions: contribs,
		Files:         files,
		Commits:       m.agg.commits,
		Head:          m.agg.head,
		Truncated:     m.truncated,
		Log:           m.agg.log,
	}
	if m.truncated && res.Log != nil {
		res.Log.cut = true
	}
	if m.noCommits {
		res.Problems = append(res.Problems, catalog.Problem{
			Kind:    catalog.ProblemNoCommits,
			Message: "the repository has no commits",
		})
		return res
	}
	if m.agg.boundary != nil {
		msg := "the repository is a shallow clone: older history is absent"
		if n := m.agg.boundaryHits; n > 0 {
			msg += fmt.Sprintf(", and the lines of %s at its edge, which git shows as adding every file, are not counted", plural(n, "commit"))
		}
		res.Problems = append(res.Problems, catalog.Problem{Kind: catalog.ProblemHistory, Message: msg})
	}
	if m.noStat > 0 {
		msg := fmt.Sprintf("line counts are missing for %d of %d commits", m.noStat, m.agg.commits)
		if m.firstErr != "" {
			msg += ": git: " + m.firstErr
		}
		res.Problems = append(res.Problems, catalog.Problem{Kind: catalog.ProblemHistory, Message: msg})
	}
	if m.walkBroken {
		msg := fmt.Sprintf("the history is damaged: only %d of its commits could be read", m.agg.commits)
		if m.agg.commits == 0 {
			msg = "the history could not be read"
		}
		if m.walkErr != "" {
			msg += ": git: " + m.walkErr
		}
		res.Problems = append(res.Problems, catalog.Problem{Kind: catalog.ProblemHistory, Message: msg})
	}
	if m.agg.filesCut {
		res.Problems = append(res.Problems, catalog.Problem{
			Kind:    catalog.ProblemTooLarge,
			Message: fmt.Sprintf("the history changed more than %d paths; authorship covers the first %d met, newest history first", maxFiles, maxFiles),
		})
	}
	if m.truncated {
		res.Problems = append(res.Problems, catalog.Problem{
			Kind:    catalog.ProblemTooLarge,
			Message: fmt.Sprintf("the history has more than %d commits; only the newest %d were read", m.opts.MaxCommits, m.opts.MaxCommits),
		})
	}
	return res
}

// plural returns "1 commit", "2 commits".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}

// headWriter keeps the first max bytes written to it and discards the rest,
// so that a chatty failure cannot fill memory.
type headWriter struct {
	b   strings.Builder
	max int
}

func (w *headWriter) Write(p []byte) (int, error) {
	if room := w.max - w.b.Len(); room > 0 {
		w.b.Write(p[:min(len(p), room)])
	}
	return len(p), nil
}

func (w *headWriter) String() string { return w.b.String() }

// reason condenses git's standard error into one line for a problem
// message: its non-empty lines joined by "; ", at most maxReason bytes.
func reason(s string) string {
	const maxReason = 512
	var b strings.Builder
	sc := bufio.NewScanner(strings.NewReader(s))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteString("; ")
		}
		b.WriteString(line)
	}
	out := b.String()
	if len(out) > maxReason {
		out = out[:maxReason] + "…"
	}
	return strings.ToValidUTF8(out, "\uFFFD")
}
