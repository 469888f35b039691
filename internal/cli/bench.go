package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/spf13/cobra"

	"github.com/ospo-project/ospo/internal/analyze"
	"github.com/ospo-project/ospo/internal/estategen"
	"github.com/ospo-project/ospo/internal/gitcmd"
	"github.com/ospo-project/ospo/internal/report"
	"github.com/ospo-project/ospo/internal/rusage"
	"github.com/ospo-project/ospo/internal/source/localdir"
	"github.com/ospo-project/ospo/internal/store/backend"
)

func (a *app) benchCmd() *cobra.Command {
	var opts estategen.Options
	var dir, db string
	var workers int
	cmd := &cobra.Command{
		Use:   "bench [PATH]",
		Short: "Benchmark scanning: a synthetic estate, or any directory, against git log as reference",
		Long: `Bench measures, on the same repositories and in the same run:
  reference   git log --numstat over every repository (the physical limit of history mining)
  inventory   dependencies of every repository extracted, nothing stored
  full scan   ospo scan into a fresh store
  rescan      ospo scan again with nothing changed (incremental)
CPU is the user and system time of ospo and the git processes it ran
during each measure (not measured on Windows).
With PATH it scans that directory; without, it generates a synthetic estate
(--repos, --commits) under --dir, reusing one generated before.`,
		Example: "  ospo bench --repos 200 --commits 500\n  ospo bench ~/src",
		Args:    cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			root := dir
			if len(args) == 1 {
				root = args[0]
			} else {
				if root == "" {
					root = filepath.Join(os.TempDir(), fmt.Sprintf("ospo-estate-%dx%d", opts.Repos, opts.Commits))
				}
				start := time.Now()
				if _, err := estategen.Generate(ctx, root, opts); err != nil {
					return internalErr(err)
				}
				fmt.Fprintf(a.stderr, "estate of %d repositories x %d commits at %s (%s)\n", opts.Repos, opts.Commits, root, time.Since(start).Round(time.Millisecond))
			}
			return a.bench(ctx, root, db, workers)
		},
	}
	cmd.Flags().IntVar(&opts.Repos, "repos", 100, "synthetic estate: number of repositories")
	cmd.Flags().IntVar(&opts.Commits, "commits", 200, "synthetic estate: commits per repository")
	cmd.Flags().StringVar(&dir, "dir", "", "synthetic estate: where to generate it (default a folder in $TMPDIR named for its size)")
	cmd.Flags().StringVar(&db, "bench-db", "", "store to scan into (default a fresh SQLite file); its contents are replaced")
	cmd.Flags().IntVar(&workers, "workers", 0, "repositories at once, for ospo and the reference alike (default: one per CPU)")
	return cmd
}

func (a *app) bench(ctx context.Context, root, db string, workers int) error {
	if workers <= 0 {
		workers = runtime.NumCPU()
	}
	cands, _, err := localdir.Discover(ctx, []string{root}, localdir.Options{})
	if err != nil {
		return err
	}
	if db == "" {
		tmp, err := os.MkdirTemp("", "ospo-bench-")
		if err != nil {
			return internalErr(err)
		}
		defer os.RemoveAll(tmp)
		db = filepath.Join(tmp, "bench.db")
	}
	st, err := backend.Open(ctx, db)
	if err != nil {
		return internalErr(err)
	}
	a.st = st

	// Reference: git log --numstat over every repository, same parallelism.
	start, cpu := time.Now(), rusage.CPUWithChildren()
	var wg sync.WaitGroup
	sem := make(chan struct{}, workers)
	for _, c := range cands {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			cmd := gitcmd.Command(ctx, c.Path, "log", "--numstat", "--format=%H%x00%aN%x00%aE%x00%at", "HEAD")
			cmd.Stdout = io.Discard
			cmd.Run()
		}()
	}
	wg.Wait()
	ref, refCPU := time.Since(start), rusage.CPUWithChildren()-cpu

	// Inventory alone: every repository's dependencies extracted from its
	// committed tree, in parallel, nothing stored.
	start, cpu = time.Now(), rusage.CPUWithChildren()
	var depCount atomic.Int64
	for _, c := range cands {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			ds, _, _ := analyze.Inventory(ctx, c.Path)
			depCount.Add(int64(len(ds)))
		}()
	}
	wg.Wait()
	inventory, inventoryCPU := time.Since(start), rusage.CPUWithChildren()-cpu

	quiet := *a
	quiet.stdout = io.Discard
	quiet.quiet = true
	f := scanFlags{workers: workers, force: true, format: report.FormatTable}
	start, cpu = time.Now(), rusage.CPUWithChildren()
	rep, err := quiet.scan(ctx, []string{root}, f)
	if err != nil {
		return err
	}
	full, fullCPU := time.Since(start), rusage.CPUWithChildren()-cpu
	f.force = false
	start, cpu = time.Now(), rusage.CPUWithChildren()
	rep2, err := quiet.scan(ctx, []string{root}, f)
	if err != nil {
		return err
	}
	inc, incCPU := time.Since(start), rusage.CPUWithChildren()-cpu

	fmt.Fprintf(a.stdout, "repositories: %d (%d scanned, then %d unchanged on rescan), workers: %d, store: %s\n",
		rep.Found, rep.Scanned, rep2.Unchanged, workers, redactDSN(db))
	t := report.NewTable(a.stdout, "MEASURE", "TIME", "PER REPO", "VS REFERENCE", "CPU")
	row := func(name string, d, cpu time.Duration) {
		per := time.Duration(0)
		if rep.Found > 0 {
			per = d / time.Duration(rep.Found)
		}
		t.Row(name, d.Round(time.Millisecond).String(), per.Round(time.Microsecond).String(),
			fmt.Sprintf("%.2fx", float64(d)/float64(max(ref, 1))), cpu.Round(time.Millisecond).String())
	}
	row("reference: git log --numstat", ref, refCPU)
	row(fmt.Sprintf("ospo inventory only (%d dependencies)", depCount.Load()), inventory, inventoryCPU)
	row("ospo scan (full)", full, fullCPU)
	row("ospo scan (incremental rescan)", inc, incCPU)
	return t.Flush()
}
