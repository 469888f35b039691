// Package scan turns discovered repositories into catalogue projects. It runs
// a pool of workers, one repository each, that call the analysis pipeline
// (package analyze: facts, licences, vulnerabilities, scorecard) on the
// committed HEAD, and hands every finished result to a single callback so
// the store sees one writer (Save records them). A repository that cannot be
// read becomes a project with problems recorded, never a failed scan.
package scan

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sort"
	"sync"
	"time"

	"github.com/ospo-project/ospo/internal/analyze"
	"github.com/ospo-project/ospo/internal/catalog"
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
	// Recheck, if set, is asked for the catalogue's state of a repository
	// whose Prior does not match, just before it is analysed: another scan
	// of the same catalogue may have saved it since Prior was read, and its
	// work is then not done twice. ok is false when the catalogue does not
	// have the project (or cannot say).
	Recheck func(ctx context.Context, key string) (p Prior, ok bool)
	// Progress, if set, is called after each repository, from one goroutine.
	Progress func(done, total int, name string)
	// Analyzer runs the pipeline on each repository; nil means one with
	// the default configuration.
	Analyzer *analyze.Analyzer
	// Analyses are the analyses run besides the facts (analyze.All for a
	// catalogue scan); 0 means facts only.
	Analyses analyze.Analyses
	// KeepLog keeps the history's walk on each Result's Analysis (see
	// analyze.Target.KeepLog), for a caller that derives events next.
	KeepLog bool
}

// Current reports whether the catalogue's prior state of a repository,
// identified as id at path, is up to date under the configuration hash:
// same HEAD, scanner version, configuration, path and origin, and the
// repository could be read. Such a repository need not be scanned again.
func Current(prior Prior, id *analyze.Ident, path, configHash string) bool {
	return id.Err == nil && id.Head != "" &&
		prior.HeadCommit == id.Head && prior.ScannerVersion == catalog.ScannerVersion &&
		prior.ConfigHash == configHash && prior.Path == path &&
		prior.RemoteURL == id.Remote
}

// Result is the outcome for one repository.
type Result struct {
	// Key is the project's catalogue key.
	Key string
	// Project is the scanned project; nil when Unchanged.
	Project *catalog.Project
	// Analysis is the pipeline's result, whose Project is Project; nil
	// when Unchanged.
	Analysis *analyze.Result
	// Err is an analysis that could not run (the advisories could not be
	// read); the facts in Project are complete.
	Err error
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
	cand source.Candidate
	*analyze.Ident
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
	an := opts.Analyzer
	if an == nil {
		var err error
		if an, err = analyze.New(analyze.Options{}); err != nil {
			return Summary{}, err
		}
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
				res := Result{Key: id.Key}
				current := func(prior Prior, ok bool) bool {
					return ok && !opts.Force && Current(prior, id.Ident, id.cand.Path, opts.ConfigHash)
				}
				prior, ok := opts.Prior[id.Key]
				if !current(prior, ok) && !opts.Force && opts.Recheck != nil {
					prior, ok = opts.Recheck(ctx, id.Key)
				}
				if current(prior, ok) {
					res.Unchanged = true
				} else {
					res.Analysis, res.Err = an.Analyze(ctx, analyze.Target{Dir: id.cand.Path, Source: analyze.Head,
						Ident: id.Ident, Analyses: opts.Analyses, Timeout: timeout, ConfigHash: opts.ConfigHash, KeepLog: opts.KeepLog})
					res.Project = res.Analysis.Project
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
			out[i].TimedOut = errors.Is(ctx.Err(), context.DeadlineExceeded)
		}()
	}
	wg.Wait()
	return out
}

func identifyOne(ctx context.Context, c source.Candidate) *ident {
	id := &ident{cand: c, Ident: analyze.Identify(ctx, c.Path, c.RealPath)}
	id.Bare = c.Bare
	return id
}

// dedupe keeps one candidate per key: a work tree before a bare mirror, then
// the shortest path. The others are noted on the kept one.
func dedupe(ids []*ident) ([]*ident, int) {
	byKey := map[string][]*ident{}
	var keys []string
	for _, id := range ids {
		if _, ok := byKey[id.Key]; !ok {
			keys = append(keys, id.Key)
		}
		byKey[id.Key] = append(byKey[id.Key], id)
	}
	out := make([]*ident, 0, len(keys))
	dups := 0
	for _, k := range keys {
		group := byKey[k]
		sort.SliceStable(group, func(i, j int) bool {
			a, b := group[i], group[j]
			if (a.Err == nil) != (b.Err == nil) {
				return a.Err == nil
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
			kept.Duplicates = append(kept.Duplicates, d.cand.Path)
			dups++
		}
		out = append(out, kept)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].cand.Path < out[j].cand.Path })
	return out, dups
}

// Sink is where Save records a scan: the catalogue store provides it.
type Sink interface {
	// TouchProjects records that the projects with keys were seen unchanged
	// at t, in one transaction, and returns how many it touched.
	TouchProjects(ctx context.Context, keys []string, t time.Time) (int, error)
	// ReplaceProjects stores each project as the whole truth about it, with
	// its scorecard when it has one, all in one transaction, and returns
	// their ids in order.
	ReplaceProjects(ctx context.Context, rs []catalog.Scanned) ([]int64, error)
}

// touchBatch is how many unchanged projects Save touches in one write.
const touchBatch = 1000

// saveBatch is the most scanned projects Save writes in one transaction,
// and saveWait how long a scanned project may wait for the others of its
// batch: a batch is written when it is full, when a project joins it more
// than saveWait after its first one, and by flush. One transaction per
// project wrote the pages projects share (the tables' and indexes' last
// pages, the package counts) once per project; see docs/benchmarks.md.
const saveBatch = 16

var saveWait = 2 * time.Second // a variable for tests, see export_test.go

// scoreOf returns r's scorecard, nil if it was not scored.
func scoreOf(r Result) *catalog.Scorecard {
	if r.Analysis == nil {
		return nil
	}
	return r.Analysis.Scorecard
}

// Save returns an emit function for Run that records each result in sink,
// and a flush function to call once Run has returned without error.
// Unchanged projects are touched at now in batches (one write per
// touchBatch of them, the rest by flush): an unchanged estate of 50,000
// repositories is 50 writes, not 50,000. Scanned projects replace the
// stored ones, with their scorecards (when scored) added to their trends,
// in batches too (see saveBatch): Run's progress counts a project when it
// is analysed, and it is stored at most a batch later (what was stored is
// complete whenever the scan stops). If a batch cannot be written, its
// projects are written one by one, in order, so that one project's failure
// loses none of those before it; the first failure is returned, naming the
// project. A result whose analysis failed is returned as an error after
// the projects before it are stored. saved, if set, is called after each
// scanned project is recorded, in the order of the results.
func Save(ctx context.Context, sink Sink, now time.Time, saved func(Result)) (emit func(Result) error, flush func() error) {
	var unchanged []string
	var pending []Result
	var first time.Time // when pending's first result came
	touch := func() error {
		if len(unchanged) == 0 {
			return nil
		}
		_, err := sink.TouchProjects(ctx, unchanged, now)
		unchanged = unchanged[:0]
		if err != nil {
			return fmt.Errorf("record unchanged projects: %w", err)
		}
		return nil
	}
	store1 := func(rs []Result) error {
		batch := make([]catalog.Scanned, len(rs))
		for i, r := range rs {
			batch[i] = catalog.Scanned{Project: r.Project, Score: scoreOf(r)}
		}
		ids, err := sink.ReplaceProjects(ctx, batch)
		if err != nil {
			return err
		}
		for i, r := range rs {
			r.Project.ID = ids[i]
			if c := scoreOf(r); c != nil {
				c.ProjectID = ids[i]
			}
			if saved != nil {
				saved(r)
			}
		}
		return nil
	}
	write := func() error {
		rs := pending
		pending = nil
		if len(rs) == 0 {
			return nil
		}
		if len(rs) > 1 && store1(rs) == nil {
			return nil
		}
		for _, r := range rs { // one by one: find the one that fails
			if err := store1([]Result{r}); err != nil {
				return fmt.Errorf("save %s: %w", r.Project.Name, err)
			}
		}
		return nil
	}
	flush = func() error {
		return errors.Join(write(), touch())
	}
	emit = func(r Result) error {
		if r.Unchanged {
			unchanged = append(unchanged, r.Key)
			if len(unchanged) >= touchBatch {
				return touch()
			}
			return nil
		}
		if r.Err != nil {
			if err := write(); err != nil {
				return err
			}
			return fmt.Errorf("analyse %s: %w", r.Project.Name, r.Err)
		}
		if len(pending) == 0 {
			first = time.Now()
		}
		pending = append(pending, r)
		if len(pending) >= saveBatch || time.Since(first) >= saveWait {
			return write()
		}
		return nil
	}
	return emit, flush
}
