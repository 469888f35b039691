package cli

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/ospo-project/ospo/internal/analyze"
	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/identity"
	"github.com/ospo-project/ospo/internal/progress"
	"github.com/ospo-project/ospo/internal/report"
	"github.com/ospo-project/ospo/internal/scan"
	"github.com/ospo-project/ospo/internal/source"
	"github.com/ospo-project/ospo/internal/source/localdir"
	"github.com/ospo-project/ospo/internal/store"
)

type scanFlags struct {
	// queue, inProcess and wait choose between the job queue and this
	// process on PostgreSQL (scan and sync only).
	queue, inProcess, wait bool
	workers                int
	force                  bool
	deep                   bool
	timeout                time.Duration
	format                 string
}

func (a *app) scanCmd() *cobra.Command {
	var f scanFlags
	cmd := &cobra.Command{
		Use:   "scan PATH...",
		Short: "Scan every git repository under the given directories into the catalogue",
		Long: `Scan finds every git work tree and bare repository under the given
directories (not inside node_modules, vendor and the like), reads each one's
committed files and history, and saves one project per repository.

Repositories whose HEAD has not moved since the last scan are skipped, so a
rescan of an unchanged estate takes seconds; --force rescans everything.
Problems met on a repository (corruption, missing objects, unparsable files)
are recorded on that project and the scan goes on; the exit code is 0 when
the scan completed, whatever problems projects had.

On PostgreSQL, when ` + "`ospo worker`" + ` processes run (or with --queue), scan queues one
job per repository for them instead (a repository already queued or being
scanned is not queued twice) and returns; --wait waits for the jobs with a
progress bar. --in-process scans here regardless.`,
		Example: "  ospo scan ~/src\n  ospo scan --db postgres://ospo@db/ospo /srv/mirrors",
		Args:    cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.runScan(cmd.Context(), args, f)
		},
	}
	a.scanFlags(cmd, &f)
	a.queueFlags(cmd, &f)
	addFormat(cmd, &f.format, report.FormatTable, report.FormatJSON)
	return cmd
}

// queueFlags are the flags of commands that can queue their work.
func (a *app) queueFlags(cmd *cobra.Command, f *scanFlags) {
	cmd.Flags().BoolVar(&f.queue, "queue", false, "PostgreSQL: queue the work for `ospo worker` even when no worker runs now")
	cmd.Flags().BoolVar(&f.inProcess, "in-process", false, "PostgreSQL: do the work in this process even when workers run")
	cmd.Flags().BoolVar(&f.wait, "wait", false, "with queued work: wait until the workers have done it, showing progress")
}

func (a *app) scanFlags(cmd *cobra.Command, f *scanFlags) {
	cmd.Flags().IntVar(&f.workers, "workers", 0, "repositories scanned at once (default: one per CPU)")
	cmd.Flags().BoolVar(&f.force, "force", false, "rescan repositories even when unchanged")
	cmd.Flags().BoolVar(&f.deep, "deep", false, "also find repositories nested anywhere inside work trees (default: only submodules)")
	cmd.Flags().DurationVar(&f.timeout, "timeout", 0, "time limit per repository (default 30m)")
}

// scanReport is what `scan --format json` prints.
type scanReport struct {
	catalog.ScanRun
	Duplicates int `json:"duplicates"`
	// Events is how many verified events the scan derived.
	Events int `json:"events"`
	// EventsDuration is how long deriving them took (part of the scan).
	EventsDuration time.Duration    `json:"events_duration_ns"`
	Discovery      []source.Problem `json:"discovery_problems,omitempty"`
	ProjectsFailed []problemSummary `json:"projects_with_problems,omitempty"`
}

type problemSummary struct {
	Project  string            `json:"project"`
	Problems []catalog.Problem `json:"problems"`
}

func (a *app) runScan(ctx context.Context, roots []string, f scanFlags) error {
	if err := report.CheckFormat(f.format, report.FormatTable, report.FormatJSON); err != nil {
		return usageErr("%v", err)
	}
	if f.queue && f.inProcess {
		return usageErr("--queue and --in-process exclude each other")
	}
	// On PostgreSQL with workers running (or --queue), the workers scan.
	q, err := a.useQueue(ctx, f.queue, f.inProcess)
	if err != nil {
		return err
	}
	if q != nil {
		defer q.Close()
		return a.queueScan(ctx, q, roots, f)
	}
	_, err = a.scan(ctx, roots, f)
	return err
}

// scan runs a whole scan and prints its summary; `up` reuses it.
func (a *app) scan(ctx context.Context, roots []string, f scanFlags) (*scanReport, error) {
	cfg, err := a.config()
	if err != nil {
		return nil, err
	}
	st, err := a.store(ctx)
	if err != nil {
		return nil, err
	}
	run := catalog.ScanRun{StartedAt: time.Now().UTC(), Roots: roots}
	runID, err := st.StartScan(ctx, run)
	if err != nil {
		return nil, internalErr(err)
	}
	run.ID = runID

	cands, discProblems, err := localdir.Discover(ctx, roots, localdir.Options{Deep: f.deep || cfg.Scan.Deep})
	if err != nil {
		return nil, err
	}
	for _, p := range discProblems {
		a.log.Warn("discovery", "path", p.Path, "problem", p.Message)
	}
	if len(cands) == 0 && len(discProblems) > 0 && len(discProblems) == len(roots) {
		return nil, usageErr("cannot read %s: %s", discProblems[0].Path, discProblems[0].Message)
	}

	states, err := st.ProjectStates(ctx)
	if err != nil {
		return nil, internalErr(err)
	}
	toPrior := func(s store.State) scan.Prior {
		return scan.Prior{HeadCommit: s.HeadCommit, ScannerVersion: s.ScannerVersion, ConfigHash: s.ConfigHash, Path: s.Path, RemoteURL: s.RemoteURL}
	}
	prior := make(map[string]scan.Prior, len(states))
	for k, s := range states {
		prior[k] = toPrior(s)
	}
	opts := scan.Options{
		Workers:    firstNonZero(f.workers, cfg.Scan.Workers),
		Timeout:    firstNonZero(f.timeout, time.Duration(cfg.Scan.Timeout)),
		ConfigHash: cfg.FactsHash(),
		Prior:      prior,
		Force:      f.force,
		// A concurrent scan of this catalogue may have saved a repository
		// since the states were read: ask again before doing its work.
		Recheck: func(ctx context.Context, key string) (scan.Prior, bool) {
			s, err := st.ProjectState(ctx, key)
			return toPrior(s), err == nil
		},
	}
	bar := progress.New(a.stderr, "scan", a.quiet)
	opts.Progress = bar.Update
	rep := &scanReport{Discovery: discProblems}
	now := time.Now().UTC()
	if opts.Analyzer, err = a.analyzer(ctx, pipelineOptions{advisories: true}); err != nil {
		return nil, err
	}
	opts.Analyses = analyze.All
	// The events are derived after the scan from the scan's own walks of
	// the histories, kept up to a bound on the commits and commit files
	// held (2^20, at most about 120 MB); the projects beyond it have their
	// history read again by the derivation, as before.
	opts.KeepLog = true
	const maxLogFiles = 1 << 20
	logs := map[*catalog.Project]*analyze.Log{}
	logFiles := 0
	var saved []*catalog.Project
	emit, flush := scan.Save(ctx, st, now, func(r scan.Result) {
		saved = append(saved, r.Project)
		if r.Analysis != nil && r.Analysis.Log != nil {
			if l := r.Analysis.Log; logFiles+l.Len()+l.Files() <= maxLogFiles {
				logs[r.Project] = l
				logFiles += l.Len() + l.Files()
			}
		}
		if len(r.Project.Problems) > 0 {
			rep.ProjectsFailed = append(rep.ProjectsFailed, problemSummary{Project: r.Project.Name, Problems: r.Project.Problems})
		}
	})
	sum, err := scan.Run(ctx, cands, opts, emit)
	if err == nil {
		err = flush()
	}
	bar.Done()
	if err != nil {
		if ctx.Err() != nil {
			fmt.Fprintf(a.stderr, "scan interrupted after %d of %d repositories; what was saved is complete, run the scan again to continue\n",
				sum.Scanned+sum.Unchanged, sum.Found)
			return nil, ctx.Err()
		}
		return nil, internalErr(err)
	}
	if err := a.mergePeople(ctx); err != nil {
		return nil, err
	}
	evStart := time.Now()
	if rep.Events, err = a.deriveEvents(ctx, st, opts.Analyzer, saved, logs); err != nil {
		return nil, err
	}
	rep.EventsDuration = time.Since(evStart)

	run.FinishedAt = time.Now().UTC()
	run.Found, run.Scanned, run.Unchanged = sum.Found, sum.Scanned, sum.Unchanged
	run.Failed, run.Problems = sum.WithProblems, sum.Problems
	if err := st.FinishScan(ctx, run); err != nil {
		return nil, internalErr(err)
	}
	rep.ScanRun = run
	rep.Duplicates = sum.Duplicates
	if f.format == report.FormatJSON {
		return rep, report.JSON(a.stdout, rep)
	}
	a.printScanSummary(rep)
	return rep, nil
}

// mergePeople recomputes people from every identity in the catalogue, so an
// identity seen in a new repository joins the person it belongs to.
func (a *app) mergePeople(ctx context.Context) error {
	ids, err := a.st.Identities(ctx)
	if err != nil {
		return internalErr(err)
	}
	if err := a.st.ReplacePeople(ctx, identity.Merge(ids)); err != nil {
		return internalErr(err)
	}
	return nil
}

func (a *app) printScanSummary(r *scanReport) {
	w := a.stdout
	fmt.Fprintf(w, "Scanned %d repositories in %s: %d scanned, %d unchanged",
		r.Found, r.FinishedAt.Sub(r.StartedAt).Round(time.Millisecond), r.Scanned, r.Unchanged)
	if r.Duplicates > 0 {
		fmt.Fprintf(w, ", %d duplicate checkouts merged", r.Duplicates)
	}
	fmt.Fprintln(w, ".")
	if len(r.Discovery) > 0 {
		fmt.Fprintf(w, "%d directories could not be read:\n", len(r.Discovery))
		for _, p := range r.Discovery {
			fmt.Fprintf(w, "  %s: %s\n", report.Clean(p.Path), report.Clean(p.Message))
		}
	}
	if len(r.ProjectsFailed) > 0 {
		fmt.Fprintf(w, "%d projects have problems (%d in all); see `ospo project NAME`:\n", len(r.ProjectsFailed), r.Problems)
		for i, p := range r.ProjectsFailed {
			if i == 20 {
				fmt.Fprintf(w, "  … and %d more\n", len(r.ProjectsFailed)-i)
				break
			}
			fmt.Fprintf(w, "  %s: %s\n", report.Clean(p.Project), report.Clean(p.Problems[0].Message))
		}
	}
}

func (a *app) configPath() string {
	if a.configFlag != "" {
		return a.configFlag
	}
	return os.Getenv("OSPO_CONFIG")
}

func firstNonZero[T comparable](vs ...T) T {
	var zero T
	for _, v := range vs {
		if v != zero {
			return v
		}
	}
	return zero
}
