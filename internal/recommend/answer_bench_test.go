package recommend_test

import (
	"runtime"
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
