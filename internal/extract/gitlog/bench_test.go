package gitlog

import (
	"context"
	"io"
	"os"
	"runtime"
	"runtime/metrics"
	"sync"
	"testing"
	"time"

	"github.com/ospo-project/ospo/internal/gitcmd"
)

// BenchmarkMine compares Mine with git producing the same output into
// io.Discard: the difference is the cost of parsing and aggregating.
//
//	go test -run '^$' -bench Mine ./internal/extract/gitlog/
func BenchmarkMine(b *testing.B) {
	const commits = 2000
	dir := buildSynthetic(b, synthetic{commits: commits, authors: 20, files: 200, step: time.Hour})
	ctx := context.Background()

	b.Run("ospo", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			res, err := Mine(ctx, dir, Options{})
			if err != nil {
				b.Fatal(err)
			}
			if res.Commits != commits || len(res.Problems) > 0 {
				b.Fatalf("Mine: %d commits, problems %v", res.Commits, res.Problems)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*commits), "µs/commit")
	})
	b.Run("ospo-files", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			res, err := Mine(ctx, dir, Options{Files: true})
			if err != nil {
				b.Fatal(err)
			}
			if res.Commits != commits || len(res.Files) == 0 {
				b.Fatalf("Mine: %d commits, %d files", res.Commits, len(res.Files))
			}
		}
		b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*commits), "µs/commit")
	})
	b.Run("git-log-reference", func(b *testing.B) {
		for b.Loop() {
			cmd := gitcmd.Command(ctx, dir, logArgs(true, 0, -1, "HEAD", false)...)
			cmd.Stdout = io.Discard
			if err := cmd.Run(); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*commits), "µs/commit")
	})
}

// TestMineMemoryBounded mines a 100,000-commit history while sampling the
// live heap, and checks that the peak stays small and does not grow with the
// history: Mine aggregates as it reads. Building the history takes about a
// minute, so the test runs only when OSPO_GITLOG_BIG=1.
func TestMineMemoryBounded(t *testing.T) {
	if testing.Short() || os.Getenv("OSPO_GITLOG_BIG") == "" {
		t.Skip("set OSPO_GITLOG_BIG=1 to mine a 100,000-commit history")
	}
	const limit = 16 << 20
	for _, commits := range []int{10_000, 100_000} {
		start := time.Now()
		// 50 authors, a commit every 30 minutes: 100,000 commits span
		// about 300 weeks.
		dir := buildSynthetic(t, synthetic{commits: commits, authors: 50, files: 500, step: 30 * time.Minute})
		built := time.Since(start)

		var out countingWriter
		start = time.Now()
		cmd := gitcmd.Command(context.Background(), dir, logArgs(true, 0, -1, "HEAD", false)...)
		cmd.Stdout = &out
		if err := cmd.Run(); err != nil {
			t.Fatal(err)
		}
		gitTime := time.Since(start)

		var res Result
		start = time.Now()
		peak := peakHeap(func() {
			var err error
			res, err = Mine(context.Background(), dir, Options{})
			if err != nil {
				t.Fatal(err)
			}
		})
		mineTime := time.Since(start)
		if res.Commits != commits || len(res.Problems) > 0 {
			t.Fatalf("Mine: %d commits, problems %v", res.Commits, res.Problems)
		}
		t.Logf("%d commits (built in %v): git log --numstat output %.1f MB in %v; Mine %v, peak live heap %.1f MB above baseline, %d identities",
			commits, built.Round(time.Millisecond), float64(out.n)/1e6, gitTime.Round(time.Millisecond),
			mineTime.Round(time.Millisecond), float64(peak)/1e6, len(res.Contributions))
		if peak > limit {
			t.Errorf("peak live heap %d bytes, want under %d", peak, limit)
		}
	}
}

type countingWriter struct{ n int64 }

func (w *countingWriter) Write(p []byte) (int, error) {
	w.n += int64(len(p))
	return len(p), nil
}

// peakHeap runs f and returns the highest heap in use by objects while it
// ran, sampled every millisecond, above what was in use before.
func peakHeap(f func()) uint64 {
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	read := func() uint64 {
		metrics.Read(sample)
		return sample[0].Value.Uint64()
	}
	runtime.GC()
	base := read()
	var peak uint64
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		for {
			peak = max(peak, read())
			select {
			case <-done:
				return
			case <-tick.C:
			}
		}
	})
	f()
	close(done)
	wg.Wait()
	peak = max(peak, read())
	if peak < base {
		return 0
	}
	return peak - base
}
