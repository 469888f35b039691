package cli

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/config"
	"github.com/ospo-project/ospo/internal/scorecard"
	"github.com/ospo-project/ospo/internal/store/backend"
)

// BenchmarkScoreEstate scores an estate of 1,000 projects (40 dependencies,
// 16 file facts and 5 contributors with a year of weekly activity each)
// read from a SQLite store: every project is read in full and scored, as
// a rescore of the whole estate would. It reports ns per project. The
// LatestScores variant reads the scores a scan stored, as `ospo scores` does.
func BenchmarkScoreEstate(b *testing.B) {
	ctx := context.Background()
	st, err := backend.Open(ctx, filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	const n = 1000
	now := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	sc, err := scorecard.New(config.Scorecard{Custom: []config.CustomCheck{{Name: "Logging", Expression: `dependencies.exists(d, d.name == "go.uber.org/zap")`}}}, nil)
	if err != nil {
		b.Fatal(err)
	}
	ids := make([]int64, n)
	for i := range n {
		p := benchProject(i, now)
		if ids[i], err = st.ReplaceProject(ctx, p); err != nil {
			b.Fatal(err)
		}
		p.ID = ids[i]
		if err := st.AddScore(ctx, sc.Score(scorecard.NewFacts(p, nil, true, nil, now))); err != nil {
			b.Fatal(err)
		}
	}
	b.Run("Rescore", func(b *testing.B) {
		for b.Loop() {
			for _, id := range ids {
				p, err := st.Project(ctx, fmt.Sprint(id))
				if err != nil {
					b.Fatal(err)
				}
				_ = sc.Score(scorecard.NewFacts(p, nil, true, nil, now))
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/project")
	})
	b.Run("ScoreOnly", func(b *testing.B) {
		ps := make([]*catalog.Project, n)
		for i := range ps {
			ps[i] = benchProject(i, now)
		}
		b.ResetTimer()
		for b.Loop() {
			for _, p := range ps {
				_ = sc.Score(scorecard.NewFacts(p, nil, true, nil, now))
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/project")
	})
	b.Run("LatestScores", func(b *testing.B) {
		for b.Loop() {
			cards, err := st.LatestScores(ctx)
			if err != nil || len(cards) != n {
				b.Fatal(len(cards), err)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/project")
	})
}

func benchProject(i int, now time.Time) *catalog.Project {
	p := &catalog.Project{Key: fmt.Sprintf("github.com/acme/p%04d", i), Name: fmt.Sprintf("p%04d", i), Path: fmt.Sprintf("/src/p%04d", i),
		Kind: catalog.KindInternal, Description: "A service.", ScannerVersion: catalog.ScannerVersion, ScannedAt: now, HeadDate: now.AddDate(0, 0, -i%400),
		License: &catalog.ProjectLicense{Expression: "Apache-2.0", Confidence: 1}}
	for _, k := range []string{catalog.FileReadme, catalog.FileLicense, catalog.FileContributing, catalog.FileSecurity, catalog.FileDependabot,
		catalog.FileCIGitHub, catalog.FileChangelog, catalog.FileDocs, catalog.FileCodeowners, catalog.FileReadmeSection} {
		if (i+len(k))%3 != 0 {
			p.Files = append(p.Files, catalog.FileFact{Kind: k, Path: k})
		}
	}
	p.Files = append(p.Files, catalog.FileFact{Kind: catalog.FileCodeFiles, Path: "120"}, catalog.FileFact{Kind: catalog.FileTestFiles, Path: fmt.Sprint(i % 40)},
		catalog.FileFact{Kind: catalog.FileReadmeSize, Path: "3000"})
	for d := range 40 {
		name := fmt.Sprintf("github.com/org/mod-%d", (i*7+d)%500)
		if d == 0 && i%2 == 0 {
			name = "go.uber.org/zap"
		}
		p.Dependencies = append(p.Dependencies, catalog.Dependency{PURL: "pkg:golang/" + name + "@v1.0.0", Ecosystem: "Go", Name: name, Version: "v1.0.0", Direct: d < 10, Manifest: "go.mod"})
	}
	for c := range 5 {
		con := catalog.Contribution{Identity: catalog.Identity{Name: fmt.Sprintf("dev%d", c), Email: fmt.Sprintf("dev%d@acme.example", (i+c)%300)},
			Commits: 52, FirstCommit: now.AddDate(-1, 0, 0), LastCommit: now.AddDate(0, 0, -c)}
		for w := range 52 {
			con.Weeks = append(con.Weeks, catalog.WeekActivity{Week: catalog.WeekOf(now.AddDate(0, 0, -7*(52-w))), Commits: 1})
		}
		p.Contributors = append(p.Contributors, con)
	}
	return p
}
