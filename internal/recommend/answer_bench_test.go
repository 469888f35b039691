package recommend_test

import (
	"os"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/ospo-project/ospo/internal/recommend"
)

// BenchmarkAnswer measures the answers kept per model on a synthetic
// estate of 10,000 projects and 5,000 people: warming them all (every
// person's For), the memory they hold, and a lookup:
//
//	go test -run '^$' -bench Answer -benchtime 2000x ./internal/recommend/
func BenchmarkAnswer(b *testing.B) {
	e := synthetic(10000, 5000)
	m := recommend.Build(e, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	start := time.Now()
	m.Warm()
	warm := time.Since(start)
	runtime.GC()
	runtime.ReadMemStats(&after)
	i := 0
	b.ResetTimer()
	for b.Loop() {
		if _, err := m.Answer(e.People[i%len(e.People)].ID, 10, nil); err != nil {
			b.Fatal(err)
		}
		i += 7
	}
	// After the loop: ResetTimer drops the metrics reported before it.
	b.ReportMetric(float64(warm.Milliseconds()), "warm-ms")
	b.ReportMetric(float64(after.HeapInuse-before.HeapInuse)/(1<<20), "answers-MiB")
}

// BenchmarkSimilar measures Model.Similar (the projects like a project, on
// every project page of the hub) on the hub load test's estate
// (OSPO_BENCH_MODEL projects, 10,000 unless set; 5,000 people): a project
// using lodash, which a tenth of the projects use directly, so that it
// shares a dependency with a tenth of the estate and more.
//
//	OSPO_BENCH_MODEL=50000 go test -run '^$' -bench Similar -benchtime 200x ./internal/recommend/
func BenchmarkSimilar(b *testing.B) {
	n, _ := strconv.Atoi(os.Getenv("OSPO_BENCH_MODEL"))
	if n <= 0 {
		n = 10000
	}
	m := recommend.Build(recommend.FromCatalogue(loadCatalogue(n, 5000)), time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	id := int64(n/2 + 1) // project n/2 uses lodash (every tenth does)
	b.ResetTimer()
	for b.Loop() {
		if _, err := m.Similar(id, 10); err != nil {
			b.Fatal(err)
		}
	}
}
