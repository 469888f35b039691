package expertise

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/ospo-project/ospo/internal/catalog"
)

// BenchmarkCompute computes the expertise of a large repository's history:
// 20,000 files at HEAD, 300 people, 1 to 8 authors a file (about 90,000
// file-author rows), as a 2,000-developer monorepo would give.
//
//	go test -run '^$' -bench Compute ./internal/expertise/
func BenchmarkCompute(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	const people, files = 300, 20_000
	contribs := make([]catalog.Contribution, people)
	for i := range contribs {
		contribs[i] = catalog.Contribution{Identity: catalog.Identity{Name: fmt.Sprintf("Dev %d", i),
			Email: fmt.Sprintf("dev%d@example.com", i)}, Commits: 1 + rng.IntN(500)}
	}
	history := make([]catalog.FileHistory, files)
	paths := make([]string, files)
	rows := 0
	for i := range history {
		paths[i] = fmt.Sprintf("svc%d/pkg%d/file%d.go", i%40, i%300, i)
		h := catalog.FileHistory{Path: paths[i], Creator: rng.IntN(people)}
		for range 1 + rng.IntN(8) {
			p := int(rng.ExpFloat64()*30) % people // a few people do most of the work
			n := 1 + rng.IntN(20)
			h.Authors = append(h.Authors, catalog.FileChanges{Contributor: p, Changes: n,
				Last: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).Add(-time.Duration(rng.IntN(1000)) * time.Hour)})
			h.Changes += n
			rows++
		}
		history[i] = h
	}
	in := Input{Contributors: contribs, History: history, Files: paths}
	b.ReportAllocs()
	var e catalog.Expertise
	for b.Loop() {
		e = Compute(in)
	}
	b.ReportMetric(float64(rows), "rows")
	b.ReportMetric(float64(e.TruckFactor), "truck-factor")
}
