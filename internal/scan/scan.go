// Package scan turns discovered repositories into catalogue projects. It runs
// a pool of workers, one repository each, and hands every finished project to
// a single callback so the store sees one writer. A repository that cannot be
// read becomes a project with problems recorded, never a failed scan.
package scan

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/extract/deps"
	"github.com/ospo-project/ospo/internal/extract/gitlog"
	"github.com/ospo-project/ospo/internal/extract/languages"
	"github.com/ospo-project/ospo/internal/extract/licensefile"
	"github.com/ospo-project/ospo/internal/extract/repometa"
	"github.com/ospo-project/ospo/internal/gitrepo"
	"github.com/ospo-project/ospo/internal/source"
)

// Prior is what the catalogue already knows of a project, by key; it decides
// whether a repository must be scanned again.
type Prior struct {
	HeadCommit     string
	ScannerVersion string
	ConfigHash     string
	Path           string
	// RemoteURL is the origin URL stored; a repository whose origin reads
	// otherwise now is rescanned, so that a URL stored before credentials,
	// queries and fragments were stripped does not stay.
	RemoteURL string
}

// Options tune a scan. The zero value scans with one worker per CPU and no
// incremental skipping.
type Options struct {
	// Workers is the number of repositories scanned at once; 0 means one per CPU.
	Workers int
	// Timeout bounds the scan of one repository; 0 means 30 minutes. A
	// repository that runs out of time is saved with what was gathered and a
	// timeout problem.
	Timeout time.Duration
	// ConfigHash identifies the configuration that affects facts; a project
	// scanned under another configuration is rescanned.
	ConfigHash string
	// Prior maps project keys to what the catalogue holds. A repository whose
	// HEAD, scanner version and configuration hash match is not rescanned.
	Prior map[string]Prior
	// Force rescans every repository.
	Force bool
	// Progress, if set, is called after each repository, from one goroutine.
	Progress func(done, total int, name string)
}

// Result is the outcome for one repository.
type Result struct {
	// Key is the project's catalogue key.
	Key string
	// Project is the scanned project; nil when Unchanged.
	Project *catalog.Project
	// Unchanged reports that the repository was skipped because the
	// catalogue is up to date.
	Unchanged bool
}

// Summary counts what a scan did.
type Summary struct {
	Found      int
	Scanned    int
	Unchanged  int
	Duplicates int
	// Problems is the number of problems recorded on scanned projects.
	Problems int
	// WithProblems is the number of scanned projects with at least one problem.
	WithProblems int
}

// ident is a repository opened far enough to know its key and HEAD.
type ident struct {
	cand   source.Candidate
	repo   *gitrepo.Repo
	key    string
	name   string
	remote string
	head   string
	branch string
	err    error // the repository could not be opened
	// timedOut reports that identifying the repository ran out of the
	// per-repository time; what was read is kept, nothing more is scanned.
	timedOut bool
	dups     []string
}

// Run scans the candidates and calls emit once per distinct repository, from
// a single goroutine. It stops early only if ctx is cancelled or emit returns
// an error; that error is returned.
func Run(ctx context.Context, cands []source.Candidate, opts Options, emit func(Result) error) (Summary, error) {
	workers := opts.Workers
	if workers <= 0 {
		workers = runtime.NumCPU()
	}
	timeout := opts.Timeout
	if timeout <= 0 {
		timeout = 30 * time.Minute
	}

	idents := identify(ctx, cands, workers, timeout)
	idents, dups := dedupe(idents)
	sum := Summary{Found: len(idents), Duplicates: dups}

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	jobs := make(chan *ident)
	results := make(chan Result)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for id := range jobs {
				res := Result{Key: id.key}
				if prior, ok := opts.Prior[id.key]; ok && !opts.Force && id.err == nil && id.head != "" &&
					prior.HeadCommit == id.head && prior.ScannerVersion == catalog.ScannerVersion &&
					prior.ConfigHash == opts.ConfigHash && prior.Path == id.cand.Path &&
					prior.RemoteURL == id.remote {
					res.Unchanged = true
				} else {
					res.Project = scanOne(ctx, id, opts.ConfigHash, timeout)
				}
				select {
				case results <- res:
				case <-ctx.Done():
					return
				}
			}
		}()
	}
	go func() {
		defer close(jobs)
		for _, id := range idents {
			select {
			case jobs <- id:
			case <-ctx.Done():
				return
			}
		}
	}()
	go func() { wg.Wait(); close(results) }()

	var emitErr error
	done := 0
	for res := range results {
		if emitErr != nil {
			continue // drain so workers can finish
		}
		done++
		name := res.Key
		if res.Unchanged {
			sum.Unchanged++
		} else {
			sum.Scanned++
			name = res.Project.Name
			sum.Problems += len(res.Project.Problems)
			if len(res.Project.Problems) > 0 {
				sum.WithProblems++
			}
		}
		if err := emit(res); err != nil {
			emitErr = err
			cancel()
			continue
		}
		if opts.Progress != nil {
			opts.Progress(done, len(idents), name)
		}
	}
	if emitErr != nil {
		return sum, emitErr
	}
	return sum, ctx.Err()
}

// identify opens every candidate far enough to know its key and HEAD. This
// is the cheap pass (no git process in the common case) that lets an
// unchanged estate be skipped in seconds. Each repository gets the
// per-repository timeout here too: when git must be asked (a config with
// include directives, an unusual ref layout), a hostile repository can make
// it wait, and that must not stall the scan of the others.
func identify(ctx context.Context, cands []source.Candidate, workers int, timeout time.Duration) []*ident {
	out := make([]*ident, len(cands))
	var wg sync.WaitGroup
	sem := make(chan struct{}, workers*2)
	for i, c := range cands {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			ctx, cancel := context.WithTimeout(ctx, timeout)
			defer cancel()
			out[i] = identifyOne(ctx, c)
			out[i].timedOut = errors.Is(ctx.Err(), context.DeadlineExceeded)
		}()
	}
	wg.Wait()
	return out
}

func identifyOne(ctx context.Context, c source.Candidate) *ident {
	id := &ident{cand: c, name: nameFromPath(c.Path)}
	id.key = "path:" + c.RealPath
	repo, err := gitrepo.Open(c.Path)
	if err != nil {
		id.err = err
		return id
	}
	id.repo = repo
	if remote := repo.RemoteURL(ctx); remote != "" {
		id.remote = remote
		if k := gitrepo.NormaliseRemote(remote); k != "" {
			id.key = k
			id.name = nameFromPath(k)
		}
	}
	head, branch, err := repo.Head(ctx)
	id.head, id.branch = head, branch
	if err != nil && !errors.Is(err, gitrepo.ErrNoCommits) {
		id.err = err
	}
	return id
}

// dedupe keeps one candidate per key: a work tree before a bare mirror, then
// the shortest path. The others are noted on the kept one.
func dedupe(ids []*ident) ([]*ident, int) {
	byKey := map[string][]*ident{}
	var keys []string
	for _, id := range ids {
		if _, ok := byKey[id.key]; !ok {
			keys = append(keys, id.key)
		}
		byKey[id.key] = append(byKey[id.key], id)
	}
	out := make([]*ident, 0, len(keys))
	dups := 0
	for _, k := range keys {
		group := byKey[k]
		sort.SliceStable(group, func(i, j int) bool {
			a, b := group[i], group[j]
			if (a.err == nil) != (b.err == nil) {
				return a.err == nil
			}
			if a.cand.Bare != b.cand.Bare {
				return !a.cand.Bare
			}
			if len(a.cand.Path) != len(b.cand.Path) {
				return len(a.cand.Path) < len(b.cand.Path)
			}
			return a.cand.Path < b.cand.Path
		})
		kept := group[0]
		for _, d := range group[1:] {
			kept.dups = append(kept.dups, d.cand.Path)
			dups++
		}
		out = append(out, kept)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].cand.Path < out[j].cand.Path })
	return out, dups
}

// nameFromPath returns the last element of a path or URL key, without .git.
func nameFromPath(p string) string {
	p = strings.TrimRight(filepath.ToSlash(p), "/")
	if i := strings.LastIndex(p, "/"); i >= 0 {
		p = p[i+1:]
	}
	return strings.TrimSuffix(p, ".git")
}

// scanOne gathers every fact of one repository. It never fails: whatever
// cannot be read is recorded as a problem on the project.
func scanOne(ctx context.Context, id *ident, configHash string, timeout time.Duration) (p *catalog.Project) {
	start := time.Now()
	p = &catalog.Project{
		Key:            id.key,
		Name:           id.name,
		Path:           id.cand.Path,
		Bare:           id.cand.Bare,
		RemoteURL:      id.remote,
		HeadCommit:     id.head,
		Kind:           catalog.KindInternal,
		ScannerVersion: catalog.ScannerVersion,
		ConfigHash:     configHash,
	}
	for _, d := range id.dups {
		p.Problems = append(p.Problems, catalog.Problem{Kind: catalog.ProblemDuplicate, Path: d,
			Message: fmt.Sprintf("the same repository is also checked out at %s; %s was scanned", d, id.cand.Path)})
	}
	defer func() {
		if r := recover(); r != nil {
			p.Problems = append(p.Problems, catalog.Problem{Kind: catalog.ProblemInternal,
				Message: fmt.Sprintf("scanner crashed: %v", r)})
			debug.PrintStack()
		}
		p.ScannedAt = time.Now().UTC()
		p.ScanDuration = time.Since(start)
	}()
	if id.err != nil {
		p.Problems = append(p.Problems, catalog.Problem{Kind: catalog.ProblemUnreadable, Message: id.err.Error()})
		return p
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	defer func() {
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			p.Problems = append(p.Problems, catalog.Problem{Kind: catalog.ProblemTimeout,
				Message: fmt.Sprintf("scan stopped after %s; facts are incomplete", timeout)})
		}
	}()

	if id.timedOut {
		p.Problems = append(p.Problems, catalog.Problem{Kind: catalog.ProblemTimeout,
			Message: fmt.Sprintf("reading the repository's identity (origin, HEAD) took longer than %s; nothing else was read", timeout)})
		return p
	}
	repo := id.repo
	p.DefaultBranch = repo.DefaultBranch(ctx)
	if p.DefaultBranch == "" {
		p.DefaultBranch = id.branch
	}
	if id.head == "" {
		p.Problems = append(p.Problems, catalog.Problem{Kind: catalog.ProblemNoCommits, Message: "the repository has no commits"})
		return p
	}
	if t, err := repo.HeadDate(ctx); err == nil {
		p.HeadDate = t.UTC()
	} else {
		p.Problems = append(p.Problems, catalog.Problem{Kind: catalog.ProblemHistory, Message: err.Error()})
	}

	// Read exactly the commit recorded as HEAD, so the facts match it even
	// if the repository moves while it is scanned.
	tree, err := repo.Tree(ctx, gitrepo.TreeOptions{Commit: id.head})
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
		langs, probs := languages.Detect(ctx, tree)
		p.Languages = langs
		p.Problems = append(p.Problems, probs...)
		repometa.Extract(ctx, tree, p)
		lic, licProbs := licensefile.Detect(ctx, tree)
		p.License = lic
		p.Problems = append(p.Problems, licProbs...)
		found, depProbs := deps.Extract(ctx, tree)
		p.Dependencies = found
		p.Problems = append(p.Problems, depProbs...)
		tree.Close()
	}

	hist, err := gitlog.Mine(ctx, repo.Dir, gitlog.Options{})
	if err != nil {
		p.Problems = append(p.Problems, catalog.Problem{Kind: catalog.ProblemHistory, Message: err.Error()})
	}
	p.Contributors = hist.Contributions
	p.Commits = hist.Commits
	p.Problems = append(p.Problems, hist.Problems...)
	return p
}
