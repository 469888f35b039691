package sqlite_test

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/rusage"
	"github.com/ospo-project/ospo/internal/store"
	"github.com/ospo-project/ospo/internal/store/sqlite"
)

// BenchmarkReplaceProjects writes every project of the catalogue
// OSPO_BENCH_REPLACE_FROM (a SQLite file, read only) into a fresh store
// one ReplaceProject each (or OSPO_BENCH_REPLACE_BATCH projects per
// ReplaceProjects), and reports the CPU of the process per project:
//
//	OSPO_BENCH_REPLACE_FROM=ospo.db [OSPO_BENCH_REPLACE_BATCH=16] go test -run '^$' -bench ReplaceProjects -benchtime 3x ./internal/store/sqlite/
func BenchmarkReplaceProjects(b *testing.B) {
	from := os.Getenv("OSPO_BENCH_REPLACE_FROM")
	if from == "" {
		b.Skip("OSPO_BENCH_REPLACE_FROM not set")
	}
	ctx := context.Background()
	src, err := sqlite.OpenReadOnly(ctx, from)
	if err != nil {
		b.Fatal(err)
	}
	list, err := src.ListProjects(ctx, store.ProjectFilter{})
	if err != nil {
		b.Fatal(err)
	}
	var ps []*catalog.Project
	for _, l := range list {
		p, err := src.Project(ctx, l.Key)
		if err != nil {
			b.Fatal(err)
		}
		ps = append(ps, p)
	}
	src.Close()
	batch, _ := strconv.Atoi(os.Getenv("OSPO_BENCH_REPLACE_BATCH"))
	b.ResetTimer()
	var cpu time.Duration
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		s, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), "ospo.db"))
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		cpu0 := rusage.CPU()
		if batch <= 1 {
			for _, p := range ps {
				if _, err := s.ReplaceProject(ctx, p); err != nil {
					b.Fatal(err)
				}
			}
		}
		for start := 0; batch > 1 && start < len(ps); start += batch {
			var rs []catalog.Scanned
			for _, p := range ps[start:min(start+batch, len(ps))] {
				rs = append(rs, catalog.Scanned{Project: p})
			}
			if _, err := s.ReplaceProjects(ctx, rs); err != nil {
				b.Fatal(err)
			}
		}
		cpu += rusage.CPU() - cpu0
		b.StopTimer()
		s.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(cpu)/float64(b.N*len(ps)), "cpu-ns/project")
}
