package estate_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/estategen"
	"github.com/ospo-project/ospo/internal/hub/estate"
	"github.com/ospo-project/ospo/internal/recommend"
	"github.com/ospo-project/ospo/internal/rusage"
	"github.com/ospo-project/ospo/internal/store"
	"github.com/ospo-project/ospo/internal/store/teststore"
)

// TestRecommendScale measures recommendations at scale (docs/benchmarks.md):
// a synthetic catalogue of OSPO_BENCH_RECOMMEND projects (10,000 when set
// to 1) and half as many people, with ~200 file-authorship pairs a
// project, is stored in SQLite and in PostgreSQL; then it times building
// the model, a person's recommendations and a technology's experts as the
// hub answers them, and reports the peak memory.
//
//	OSPO_BENCH_RECOMMEND=1 scripts/test -run TestRecommendScale -v -timeout 0 ./internal/hub/estate/
func TestRecommendScale(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("OSPO_BENCH_RECOMMEND"))
	switch {
	case n == 1:
		n = 10000
	case n <= 0:
		t.Skip("set OSPO_BENCH_RECOMMEND=1 (or a number of projects) to run")
	}
	start := time.Now()
	c := estategen.GenerateCatalogue(estategen.CatalogueOptions{Projects: n, People: n / 2, FilesPerProject: 165, Seed: 1})
	t.Logf("catalogue: %d projects, %d people, %d file-authorship pairs (generated in %s)",
		len(c.Projects), len(c.People), c.FileAuthorships, time.Since(start).Round(time.Millisecond))
	teststore.Each(t, func(t *testing.T, st store.Store) { recommendScale(t, st, c) })
}

func recommendScale(t *testing.T, st store.Store, c estategen.Catalogue) {
	ctx := context.Background()
	start := time.Now()
	ids := make([]int64, len(c.Projects))
	authorRows := 0
	for i := range c.Projects {
		p := c.Projects[i]
		p.ID = 0
		p.Path = "/synthetic/" + p.Name
		p.ScannerVersion = catalog.ScannerVersion
		id, err := st.ReplaceProject(ctx, &p)
		if err != nil {
			t.Fatal(err)
		}
		ids[i] = id
		if p.Expertise != nil {
			authorRows += len(p.Expertise.Authors)
		}
	}
	if err := st.ReplacePeople(ctx, c.People); err != nil {
		t.Fatal(err)
	}
	if err := st.ReplaceMemberships(ctx, catalog.MemberFile, c.Memberships, nil); err != nil {
		t.Fatal(err)
	}
	t.Logf("stored in %s (%d project_authors rows)", time.Since(start).Round(time.Millisecond), authorRows)

	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	runtime.GC()
	start, cpu0 := time.Now(), rusage.CPU()
	e, cache, err := estate.ReadRecommendInputs(ctx, st, nil, nil, nil, now)
	if err != nil {
		t.Fatal(err)
	}
	read := time.Since(start)
	start = time.Now()
	m := recommend.Build(e, now)
	built, cpu := time.Since(start), rusage.CPU()-cpu0
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	s := m.Stats()
	t.Logf("model: read from the store %s, built %s, %s of CPU for both (%d technologies, %d person-technology pairs); heap in use %d MiB",
		read.Round(time.Millisecond), built.Round(time.Millisecond), cpu.Round(time.Millisecond), s.Technologies, s.Uses, ms.HeapInuse>>20)

	// The hub's path: the catalog's snapshot and model, opt-outs read fresh.
	cat := estate.New(st, time.Hour)
	hm, err := cat.Recommender(ctx)
	if err != nil {
		t.Fatal(err)
	}
	start = time.Now()
	hm.Warm() // as the hub does in the background; here waited for
	warmed := time.Since(start)
	runtime.GC()
	runtime.ReadMemStats(&ms)
	t.Logf("hub model warmed (every person's answer) in %s; heap in use %d MiB", warmed.Round(time.Millisecond), ms.HeapInuse>>20)
	if dir := os.Getenv("OSPO_BENCH_PROFILE"); dir != "" {
		f, err := os.Create(filepath.Join(dir, filepath.Base(t.Name())+"-queries.cpu"))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			t.Fatal(err)
		}
		defer pprof.StopCPUProfile()
	}
	rng := rand.New(rand.NewPCG(1, 2))
	var recs []time.Duration
	for range 500 {
		p := c.People[rng.IntN(len(c.People))]
		t0 := time.Now()
		r, err := cat.Recommendations(ctx, p.ID, recommend.Options{Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		recs = append(recs, time.Since(t0))
		if len(r.Technologies) == 0 {
			t.Fatalf("%s has no recommendation", p.ID)
		}
	}
	techs, err := st.Technologies(ctx, store.TechnologyFilter{Kind: "package"})
	if err != nil {
		t.Fatal(err)
	}
	var experts []time.Duration
	for range 300 {
		tech := techs[rng.IntN(len(techs))]
		t0 := time.Now()
		if _, err := cat.Technology(ctx, tech.ID); err != nil {
			t.Fatal(err)
		}
		experts = append(experts, time.Since(t0))
	}
	// After a scan changed 10 projects only those are read again; the
	// model is built from the inputs kept.
	for i := range 10 {
		p, err := st.Project(ctx, strconv.FormatInt(ids[i], 10))
		if err != nil {
			t.Fatal(err)
		}
		p.Description = "changed"
		if _, err := st.ReplaceProject(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	start = time.Now()
	e, cache, err = estate.ReadRecommendInputs(ctx, st, cache, nil, nil, now)
	if err != nil {
		t.Fatal(err)
	}
	reread := time.Since(start)
	recommend.Build(e, now)
	rebuilt := time.Since(start)
	if len(cache.Reread) != 10 {
		t.Errorf("after 10 projects changed, %d were read again", len(cache.Reread))
	}
	t.Logf("recommendations: p50 %s, p99 %s (500 people); technology page with experts: p50 %s, p99 %s (300 packages); "+
		"rebuild after 10 projects changed %s (reading %s); peak RSS of the test process %d MiB",
		pct(recs, 50), pct(recs, 99), pct(experts, 50), pct(experts, 99), rebuilt.Round(time.Millisecond),
		reread.Round(time.Millisecond), rusage.PeakRSS())
}

func pct(ds []time.Duration, p int) string {
	s := slices.Clone(ds)
	slices.Sort(s)
	d := s[min(len(s)-1, len(s)*p/100)]
	return fmt.Sprint(d.Round(10 * time.Microsecond))
}
