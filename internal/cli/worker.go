package cli

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/riverqueue/river"
	"github.com/spf13/cobra"

	"github.com/ospo-project/ospo/internal/analyze"
	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/jobs"
	"github.com/ospo-project/ospo/internal/progress"
	"github.com/ospo-project/ospo/internal/report"
	"github.com/ospo-project/ospo/internal/scan"
	"github.com/ospo-project/ospo/internal/source"
	"github.com/ospo-project/ospo/internal/source/localdir"
	"github.com/ospo-project/ospo/internal/sourcesync"
	"github.com/ospo-project/ospo/internal/store"
	"github.com/ospo-project/ospo/internal/store/backend"
)

// onPostgres reports whether the store is PostgreSQL, where work can go
// through the job queue.
func (a *app) onPostgres() bool {
	kind, _ := backend.Kind(a.dsn())
	return kind == backend.KindPostgres
}

// queue opens the job queue in the PostgreSQL store.
func (a *app) queue(ctx context.Context) (*jobs.Queue, error) {
	if !a.onPostgres() {
		return nil, usageErr("the job queue needs a PostgreSQL store (--db postgres://…); on SQLite, scan and sync work in-process")
	}
	q, err := jobs.Open(ctx, a.dsn(), a.log)
	if err != nil {
		return nil, internalErr(fmt.Errorf("%s", redactDSNIn(err.Error(), a.dsn())))
	}
	return q, nil
}

// redactDSNIn hides the DSN's password wherever msg repeats the DSN.
func redactDSNIn(msg, dsn string) string {
	return strings.ReplaceAll(msg, dsn, redactDSN(dsn))
}

type workerFlags struct {
	concurrency int
	jobTimeout  time.Duration
	rescueAfter time.Duration
	stopTimeout time.Duration
	id          string
}

func (a *app) workerCmd() *cobra.Command {
	var f workerFlags
	cmd := &cobra.Command{
		Use:   "worker",
		Short: "Process the job queue of a PostgreSQL catalogue (scans, source syncs), as one of many workers",
		Long: `worker takes jobs from the queue kept in the PostgreSQL store (River) and runs
them: scanning a repository, rediscovering the repositories under a directory,
syncing a source, deriving people after scans. Run as many workers, on as many
machines, as the estate needs; they must see the repositories at the same
paths. ` + "`ospo scan`" + ` and ` + "`ospo sync`" + ` queue their work when a worker runs.

Periodic work comes from ospo.yaml (scan.roots every scan.every, each source
every its interval); one worker, the elected leader, queues it. A failed job
is retried with backoff, then parked (` + "`ospo jobs parked`" + `). On SIGTERM
or Ctrl-C a worker takes no new job, lets running ones finish for
--stop-timeout, then cancels them; they are retried by another worker. A
worker killed outright loses no job: after --rescue-after another worker runs
it again, and a rerun writes nothing twice. See docs/workers.md.`,
		Example: "  ospo worker --db postgres://ospo@db/ospo\n  ospo worker --db postgres://ospo@db/ospo --concurrency 8",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.runWorker(cmd.Context(), f)
		},
	}
	fl := cmd.Flags()
	fl.IntVar(&f.concurrency, "concurrency", 0, "jobs run at once (default: scan.workers, else one per CPU)")
	fl.DurationVar(&f.jobTimeout, "job-timeout", 0, "time limit of one job (default: scan.timeout + 5m, i.e. 35m)")
	fl.DurationVar(&f.rescueAfter, "rescue-after", 0, "how long a job may run before its worker is deemed dead and the job is run again (default: job timeout + 5m)")
	fl.DurationVar(&f.stopTimeout, "stop-timeout", 30*time.Second, "on SIGTERM, how long running jobs may finish before they are cancelled")
	fl.StringVar(&f.id, "id", "", "this worker's name in job attempts (default: random)")
	return cmd
}

func (a *app) runWorker(ctx context.Context, f workerFlags) error {
	if !a.onPostgres() {
		return usageErr("ospo worker needs a PostgreSQL store (--db postgres://…)")
	}
	cfg, err := a.config()
	if err != nil {
		return err
	}
	if _, err := a.store(ctx); err != nil {
		return err
	}
	q, err := a.queue(ctx)
	if err != nil {
		return err
	}
	defer q.Close()
	an, err := a.analyzer(ctx, pipelineOptions{advisories: true})
	if err != nil {
		return err
	}
	timeout := firstNonZero(time.Duration(cfg.Scan.Timeout), 30*time.Minute)
	opts := jobs.WorkerOptions{
		Concurrency: firstNonZero(f.concurrency, cfg.Scan.Workers, runtime.NumCPU()),
		JobTimeout:  firstNonZero(f.jobTimeout, timeout+5*time.Minute),
		RescueAfter: f.rescueAfter,
		StopTimeout: f.stopTimeout,
		ID:          f.id,
		Started: func() {
			a.log.Info("worker started")
			fmt.Fprintln(a.stderr, "worker: processing jobs; SIGTERM or Ctrl-C stops gracefully")
		},
	}
	if len(cfg.Scan.Roots) > 0 && cfg.Scan.Every > 0 {
		opts.Periodic = append(opts.Periodic, jobs.Periodic{ID: "rescan", Every: time.Duration(cfg.Scan.Every),
			Args: jobs.Rescan{Roots: cfg.Scan.Roots, Deep: cfg.Scan.Deep}})
	}
	for _, s := range cfg.Sources {
		opts.Periodic = append(opts.Periodic, jobs.Periodic{ID: "sync-" + s.Name, Every: s.EveryInterval(),
			Args: jobs.SyncSource{Name: s.Name}})
	}
	if len(cfg.Proxy.Upstreams) > 0 {
		// Held pushes past proxy.hold_for expire.
		opts.Periodic = append(opts.Periodic, jobs.Periodic{ID: "expire-pushes", Every: time.Hour, Args: jobs.ExpirePushes{}})
	}
	opts.Periodic = append(opts.Periodic, jobs.Periodic{ID: "govern",
		Every: firstNonZero(time.Duration(cfg.Governance.Schedule.Every), time.Hour), Args: jobs.Govern{}})
	opts.Periodic = append(opts.Periodic, jobs.Periodic{ID: "health-digest",
		Every: firstNonZero(time.Duration(cfg.Health.Digest.Every), time.Hour), Args: jobs.Digest{}})
	h := &workHandlers{a: a, q: q, an: an, timeout: timeout, configHash: cfg.FactsHash()}
	err = q.Work(ctx, h, opts)
	if ctx.Err() != nil {
		fmt.Fprintln(a.stderr, "worker: stopped")
		return nil
	}
	return internalErr(err)
}

// workHandlers run the jobs of the queue with the analysis pipeline and the
// store: the same code paths as `ospo scan` and `ospo sync` in-process.
type workHandlers struct {
	a          *app
	q          *jobs.Queue
	an         *analyze.Analyzer
	timeout    time.Duration
	configHash string
}

// ScanRepo implements jobs.Handlers.
func (h *workHandlers) ScanRepo(ctx context.Context, j jobs.ScanRepo) (bool, error) {
	path := filepath.Clean(j.Path)
	cands, probs, err := localdir.Discover(ctx, []string{path}, localdir.Options{})
	if err != nil {
		return false, err
	}
	var mine []source.Candidate
	for _, c := range cands {
		if c.Path == path {
			mine = append(mine, c)
		}
	}
	if len(mine) == 0 {
		if len(probs) > 0 {
			return false, fmt.Errorf("no repository at %s: %s", path, probs[0].Message)
		}
		return false, fmt.Errorf("no repository at %s", path)
	}
	st := h.a.st
	toPrior := func(s store.State) scan.Prior {
		return scan.Prior{HeadCommit: s.HeadCommit, ScannerVersion: s.ScannerVersion, ConfigHash: s.ConfigHash, Path: s.Path, RemoteURL: s.RemoteURL}
	}
	opts := scan.Options{
		Workers:    1,
		Timeout:    h.timeout,
		ConfigHash: h.configHash,
		Force:      j.Force,
		Recheck: func(ctx context.Context, key string) (scan.Prior, bool) {
			s, err := st.ProjectState(ctx, key)
			return toPrior(s), err == nil
		},
		Analyzer: h.an,
		Analyses: analyze.All,
		KeepLog:  true, // the events below are derived from the scan's own walk
	}
	changed := false
	var saved []*catalog.Project
	logs := map[*catalog.Project]*analyze.Log{}
	emit, flush := scan.Save(ctx, st, time.Now().UTC(), func(r scan.Result) {
		changed = true
		saved = append(saved, r.Project)
		if r.Analysis != nil && r.Analysis.Log != nil {
			logs[r.Project] = r.Analysis.Log
		}
	})
	if _, err = scan.Run(ctx, mine, opts, emit); err != nil {
		return changed, err
	}
	if err := flush(); err != nil {
		return changed, err
	}
	if len(saved) == 0 {
		// Found up to date: a run of this job killed after saving and
		// before deriving left the events behind the HEAD. events.Update
		// derives only what lies between its cursor and the HEAD, so
		// this costs one cursor read when nothing was missed.
		p, err := st.Project(ctx, j.Key)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return changed, err
		}
		if p != nil {
			saved = append(saved, p)
		}
	}
	// As an in-process scan does (see app.scan), the commits the scan
	// brought become events; people are merged by the Derive job queued
	// after a change.
	_, err = h.a.deriveEvents(ctx, st, h.an, saved, logs)
	return changed, err
}

// Discover implements jobs.Handlers.
func (h *workHandlers) Discover(ctx context.Context, r jobs.Rescan) ([]jobs.ScanRepo, error) {
	todo, _, err := discoverScanJobs(ctx, r.Roots, r.Deep, r.Force, h.a)
	return todo, err
}

// discoverScanJobs lists the repositories under roots as scan jobs, keyed
// by their catalogue keys (read in pure Go, no git process in the common
// case). A repository whose key cannot be read is keyed by its path. Unless
// force, a repository the catalogue holds up to date (scan.Current) gets no
// job: it is touched here, as an in-process scan touches it, so that an
// unchanged estate costs no job at all.
func discoverScanJobs(ctx context.Context, roots []string, deep, force bool, a *app) (todo []jobs.ScanRepo, unchanged int, err error) {
	cfg, err := a.config()
	if err != nil {
		return nil, 0, err
	}
	st, err := a.store(ctx)
	if err != nil {
		return nil, 0, err
	}
	cands, probs, err := localdir.Discover(ctx, roots, localdir.Options{Deep: deep})
	if err != nil {
		return nil, 0, err
	}
	for _, p := range probs {
		a.log.Warn("discovery", "path", p.Path, "problem", p.Message)
	}
	if len(cands) == 0 && len(probs) > 0 && len(probs) == len(roots) {
		return nil, 0, usageErr("cannot read %s: %s", probs[0].Path, probs[0].Message)
	}
	var states map[string]store.State
	if !force {
		if states, err = st.ProjectStates(ctx); err != nil {
			return nil, 0, internalErr(err)
		}
	}
	hash, now := cfg.FactsHash(), time.Now().UTC()
	out := make([]jobs.ScanRepo, 0, len(cands))
	var current []string
	ids := identifyAll(ctx, cands)
	if err := ctx.Err(); err != nil {
		return nil, 0, err
	}
	for i, id := range ids {
		c := cands[i]
		if s, ok := states[id.Key]; ok && id.Key != "" &&
			scan.Current(scan.Prior{HeadCommit: s.HeadCommit, ScannerVersion: s.ScannerVersion, ConfigHash: s.ConfigHash, Path: s.Path, RemoteURL: s.RemoteURL}, id, c.Path, hash) {
			current = append(current, id.Key)
			continue
		}
		key := id.Key
		if key == "" {
			key = "path:" + c.Path
		}
		out = append(out, jobs.ScanRepo{Key: key, Path: c.Path, Force: force})
	}
	// One write for every up-to-date repository (a few statements, one
	// transaction), not one per repository.
	if _, err := st.TouchProjects(ctx, current, now); err != nil {
		return nil, 0, internalErr(err)
	}
	return out, len(current), nil
}

// identifyAll reads the identity (key, HEAD) of every candidate, one
// goroutine per CPU: reading 50,000 HEADs is mostly system calls.
func identifyAll(ctx context.Context, cands []source.Candidate) []*analyze.Ident {
	ids := make([]*analyze.Ident, len(cands))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(cands)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= len(cands) {
					return
				}
				ids[i] = analyze.Identify(ctx, cands[i].Path, cands[i].RealPath)
			}
		}()
	}
	wg.Wait()
	return ids
}

// SyncSource implements jobs.Handlers.
func (h *workHandlers) SyncSource(ctx context.Context, j jobs.SyncSource) ([]string, error) {
	cfg, err := h.a.config()
	if err != nil {
		return nil, err
	}
	s, ok := cfg.FindSource(j.Name)
	if !ok {
		return nil, fmt.Errorf("no source named %s in the configuration", j.Name)
	}
	sj, gitToken := h.a.sourceJob(ctx, s)
	results, err := sourcesync.Run(ctx, h.a.st, []sourcesync.Job{sj}, nil)
	if err != nil {
		return nil, err
	}
	if len(results) != 1 {
		return nil, fmt.Errorf("source %s: no result", j.Name)
	}
	r := results[0]
	if r.Err != nil {
		return nil, r.Err
	}
	if n, err := h.a.deriveForgeEvents(ctx, h.a.st); err != nil {
		h.a.log.Warn("forge events", "source", s.Name, "error", err)
	} else if n > 0 {
		h.a.log.Info("forge events", "source", s.Name, "new", n)
	}
	if s.NoMirror || len(r.Outcome.Repos) == 0 {
		return nil, nil
	}
	dir := filepath.Join(h.a.mirrorsDir(), s.Name)
	n, errs := h.a.mirrorAll(ctx, h.a.st, dir, s, gitToken, r.Outcome.Repos)
	for _, e := range errs {
		h.a.log.Warn("mirror failed", "source", s.Name, "error", sourcesync.RedactString(e.Error(), sj.Secrets))
	}
	if n > 0 || len(errs) > 0 {
		return []string{dir}, nil
	}
	return nil, nil
}

// ExpirePushes implements jobs.Handlers: the push proxy of ospo.yaml
// discards the pushes held past proxy.hold_for.
func (h *workHandlers) ExpirePushes(ctx context.Context) (int, error) {
	cfg, err := h.a.config()
	if err != nil {
		return 0, err
	}
	if len(cfg.Proxy.Upstreams) == 0 {
		return 0, nil
	}
	p, err := pushProxy(cfg, h.a.st)
	if err != nil {
		return 0, err
	}
	expired, err := p.ExpireHeld(ctx)
	if len(expired) > 0 {
		h.a.log.Info("held pushes expired", "count", len(expired))
	}
	return len(expired), err
}

// Rematch implements jobs.Handlers. The analyzer is made afresh: the one the
// worker started with predates the import (it may not know advisories were
// imported at all).
func (h *workHandlers) Rematch(ctx context.Context, j jobs.Rematch) error {
	sum, err := h.a.rematch(ctx, j.Packages, j.All)
	if err != nil {
		return err
	}
	h.a.log.Info("rematched advisories", "packages", len(j.Packages), "projects", sum.Projects, "rescored", sum.Rescored)
	return nil
}

// Derive implements jobs.Handlers.
func (h *workHandlers) Derive(ctx context.Context) error { return h.a.mergePeople(ctx) }

// Govern implements jobs.Handlers: one round of `ospo govern tick`; the
// requests left evaluating are queued again (EvaluateRequest jobs, unique
// per request) rather than evaluated inside this job.
func (h *workHandlers) Govern(ctx context.Context) error {
	rep, err := h.a.governTick(ctx, queueEvaluation(h.q))
	if err != nil {
		return err
	}
	h.a.log.Info("govern tick", "evaluations queued", len(rep.Evaluated), "returned", len(rep.Returned), "reminded", rep.Reminded, "held", rep.Held)
	return nil
}

// EvaluateRequest implements jobs.Handlers: the request's automatic items
// are answered (govern.Service.EvaluateRequest; a rerun records nothing).
func (h *workHandlers) EvaluateRequest(ctx context.Context, j jobs.EvaluateRequest) error {
	g, err := h.a.governor(ctx)
	if err != nil {
		return err
	}
	r, err := g.EvaluateRequest(ctx, j.ID)
	if err != nil {
		return err
	}
	h.a.log.Info("request evaluated", "request", r.ID, "state", r.State, "commit", r.Commit)
	return nil
}

// queueEvaluation returns the schedule (govern.Options.Schedule) that
// queues a request's evaluation as a River job.
func queueEvaluation(q *jobs.Queue) func(context.Context, int64) error {
	return func(ctx context.Context, id int64) error {
		_, err := q.Enqueue(ctx, jobs.EvaluateRequest{ID: id})
		return err
	}
}

// Digest implements jobs.Handlers: one round of `ospo health digest
// --send` (each team's digest goes at most once a week to each recipient).
func (h *workHandlers) Digest(ctx context.Context) error {
	st, err := h.a.store(ctx)
	if err != nil {
		return err
	}
	cfg, err := h.a.config()
	if err != nil {
		return err
	}
	rs, err := digestSender(st, cfg).Run(ctx, nil, true)
	if err != nil {
		return err
	}
	sent, failed := 0, 0
	for _, r := range rs {
		sent += r.Sent
		failed += r.Failed
	}
	h.a.log.Info("health digest", "teams", len(rs), "sent", sent, "failed", failed)
	return nil
}

// useQueue decides whether scan and sync queue their work: on PostgreSQL,
// when asked to (--queue) or when a worker is running; never with
// --in-process or on SQLite.
func (a *app) useQueue(ctx context.Context, queueFlag, inProcess bool) (*jobs.Queue, error) {
	if inProcess || !a.onPostgres() {
		if queueFlag {
			return nil, usageErr("--queue needs a PostgreSQL store (--db postgres://…)")
		}
		return nil, nil
	}
	// The store first: its errors (unreachable, schema too new) are the
	// ones to report, and the workers need its schema.
	if _, err := a.store(ctx); err != nil {
		return nil, err
	}
	q, err := a.queue(ctx)
	if err != nil {
		return nil, err
	}
	if queueFlag {
		return q, nil
	}
	alive, err := q.WorkersAlive(ctx)
	if err != nil || !alive {
		q.Close()
		return nil, err
	}
	return q, nil
}

// queueScan queues one scan job per repository under roots and, with
// --wait, waits for them with a progress bar.
func (a *app) queueScan(ctx context.Context, q *jobs.Queue, roots []string, f scanFlags) error {
	cfg, err := a.config()
	if err != nil {
		return err
	}
	repos, unchanged, err := discoverScanJobs(ctx, roots, f.deep || cfg.Scan.Deep, f.force, a)
	if err != nil {
		return err
	}
	args := make([]river.JobArgs, len(repos))
	for i, r := range repos {
		args[i] = r
	}
	enq, err := q.Enqueue(ctx, args...)
	if err != nil {
		return internalErr(err)
	}
	dups := 0
	ids := make([]int64, len(enq))
	for i, e := range enq {
		ids[i] = e.ID
		if e.Duplicate {
			dups++
		}
	}
	rep := queueReport{Queued: len(enq) - dups, AlreadyQueued: dups, Unchanged: unchanged, JobIDs: ids}
	if f.wait {
		bar := progress.New(a.stderr, "scan jobs", a.quiet)
		p, err := q.Wait(ctx, ids, 250*time.Millisecond, func(p jobs.Progress) {
			bar.Update(p.Done+p.Failed+p.Cancelled, p.Total, fmt.Sprintf("%d failed", p.Failed))
		})
		bar.Done()
		if err != nil {
			if ctx.Err() != nil {
				fmt.Fprintf(a.stderr, "stopped waiting; the %d jobs still queued go on\n", p.Total-p.Done-p.Failed-p.Cancelled)
				return ctx.Err()
			}
			return internalErr(err)
		}
		rep.Progress = &p
	}
	if f.format == report.FormatJSON {
		return report.JSON(a.stdout, rep)
	}
	fmt.Fprintf(a.stdout, "Queued %d repositories for the workers", rep.Queued)
	if dups > 0 {
		fmt.Fprintf(a.stdout, " (%d more were already queued or being scanned)", dups)
	}
	if unchanged > 0 {
		fmt.Fprintf(a.stdout, "; %d unchanged", unchanged)
	}
	fmt.Fprintln(a.stdout, ".")
	if p := rep.Progress; p != nil {
		fmt.Fprintf(a.stdout, "%d done, %d failed, %d cancelled.\n", p.Done, p.Failed, p.Cancelled)
		if p.Failed > 0 {
			fmt.Fprintln(a.stdout, "See `ospo jobs parked` for the failures.")
			return &exitError{code: ExitInternal, err: fmt.Errorf("%d of %d scan jobs failed", p.Failed, p.Total)}
		}
	}
	return nil
}

// queueReport is what a queued scan prints with --format json.
type queueReport struct {
	Queued        int `json:"queued"`
	AlreadyQueued int `json:"already_queued"`
	// Unchanged counts repositories the catalogue holds up to date: no job.
	Unchanged int            `json:"unchanged"`
	JobIDs    []int64        `json:"job_ids"`
	Progress  *jobs.Progress `json:"progress,omitempty"`
}

func (a *app) jobsCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "jobs",
		Short: "The job queue of a PostgreSQL catalogue: depth, throughput and failures per kind",
		Args:  cobra.NoArgs,
	}
	var format string
	cmd.RunE = func(cmd *cobra.Command, _ []string) error {
		if err := report.CheckFormat(format, report.FormatTable, report.FormatJSON); err != nil {
			return usageErr("%v", err)
		}
		q, err := a.queue(cmd.Context())
		if err != nil {
			return err
		}
		defer q.Close()
		stats, err := q.Stats(cmd.Context())
		if err != nil {
			return internalErr(err)
		}
		if format == report.FormatJSON {
			return report.JSON(a.stdout, stats)
		}
		t := report.NewTable(a.stdout, "KIND", "QUEUED", "RUNNING", "RETRYING", "DONE (1H)", "PARKED (1H)", "CANCELLED (1H)", "PARKED", "OLDEST WAIT")
		for _, s := range stats {
			t.Row(s.Kind, fmt.Sprint(s.Queued), fmt.Sprint(s.Running), fmt.Sprint(s.Retrying), fmt.Sprint(s.Completed),
				fmt.Sprint(s.Parked), fmt.Sprint(s.Cancelled), fmt.Sprint(s.ParkedTotal), s.OldestQueued.Round(time.Second).String())
		}
		return t.Flush()
	}
	addFormat(cmd, &format, report.FormatTable, report.FormatJSON)

	var parkedFormat string
	var limit int
	parked := &cobra.Command{
		Use:   "parked",
		Short: "Jobs that failed every attempt, newest first, with each attempt's error (the dead letters)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := report.CheckFormat(parkedFormat, report.FormatTable, report.FormatJSON); err != nil {
				return usageErr("%v", err)
			}
			q, err := a.queue(cmd.Context())
			if err != nil {
				return err
			}
			defer q.Close()
			js, err := q.Parked(cmd.Context(), limit)
			if err != nil {
				return internalErr(err)
			}
			if parkedFormat == report.FormatJSON {
				return report.JSON(a.stdout, js)
			}
			t := report.NewTable(a.stdout, "ID", "KIND", "ARGS", "ATTEMPTS", "LAST ERROR")
			for _, j := range js {
				last := ""
				if len(j.Errors) > 0 {
					last = j.Errors[len(j.Errors)-1]
				}
				t.Row(fmt.Sprint(j.ID), j.Kind, report.Clean(string(j.Args)), fmt.Sprintf("%d/%d", j.Attempt, j.MaxAttempts), report.Clean(last))
			}
			return t.Flush()
		},
	}
	parked.Flags().IntVar(&limit, "limit", 100, "how many to show")
	addFormat(parked, &parkedFormat, report.FormatTable, report.FormatJSON)

	idCmd := func(use, short string, do func(*jobs.Queue, context.Context, int64) error, done string) *cobra.Command {
		return &cobra.Command{
			Use:   use + " ID",
			Short: short,
			Args:  cobra.ExactArgs(1),
			RunE: func(cmd *cobra.Command, args []string) error {
				var id int64
				if _, err := fmt.Sscan(args[0], &id); err != nil || id <= 0 {
					return usageErr("job id %q: want a positive number", args[0])
				}
				q, err := a.queue(cmd.Context())
				if err != nil {
					return err
				}
				defer q.Close()
				if err := do(q, cmd.Context(), id); err != nil {
					if errors.Is(err, jobs.ErrNoJob) {
						return &exitError{code: catalog.FaultOf(catalog.ErrNotFound).Exit, err: err}
					}
					return internalErr(err)
				}
				fmt.Fprintf(a.stdout, "Job %d %s.\n", id, done)
				return nil
			},
		}
	}
	cmd.AddCommand(parked,
		idCmd("cancel", "Cancel a queued or running job (a running one stops at its next check)", (*jobs.Queue).Cancel, "cancelled"),
		idCmd("retry", "Queue a parked or cancelled job again, now", (*jobs.Queue).Retry, "queued again"))
	return cmd
}

// queueSync queues one sync job per source for the workers (each then
// queues a rescan of the mirrors that moved) and, with --wait, waits for
// the syncs (not for the scans they queue).
func (a *app) queueSync(ctx context.Context, q *jobs.Queue, todo []sourcesync.Job, f syncFlags) error {
	args := make([]river.JobArgs, len(todo))
	for i, j := range todo {
		args[i] = jobs.SyncSource{Name: j.Name}
	}
	enq, err := q.Enqueue(ctx, args...)
	if err != nil {
		return internalErr(err)
	}
	ids := make([]int64, len(enq))
	for i, e := range enq {
		ids[i] = e.ID
	}
	rep := queueReport{JobIDs: ids}
	for _, e := range enq {
		if e.Duplicate {
			rep.AlreadyQueued++
		} else {
			rep.Queued++
		}
	}
	if f.scan.wait {
		p, err := q.Wait(ctx, ids, 250*time.Millisecond, nil)
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			return internalErr(err)
		}
		rep.Progress = &p
	}
	if f.format == report.FormatJSON {
		return report.JSON(a.stdout, rep)
	}
	fmt.Fprintf(a.stdout, "Queued %d source syncs for the workers (%d already queued); they queue the scans of what moved.\n", rep.Queued, rep.AlreadyQueued)
	if p := rep.Progress; p != nil {
		fmt.Fprintf(a.stdout, "%d done, %d failed.\n", p.Done, p.Failed)
		if p.Failed > 0 {
			return &exitError{code: ExitInternal, err: fmt.Errorf("%d of %d source syncs failed; see `ospo jobs parked`", p.Failed, p.Total)}
		}
	}
	return nil
}
