package recommend_test

import (
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
	"github.com/ospo-project/ospo/internal/recommend"
	"github.com/ospo-project/ospo/internal/rusage"
)

// loadCatalogue is the estate of the hub's load test (internal/hub
// TestLoad) as the recommenders read it: n projects, people people (5,000
// in TestLoad), 20
// direct dependencies a project among 20,000 npm packages in five
// versions, five contributors a project, two languages, one owning team of
// 40; no authors. Every person works on about 5n/people projects, so each
// uses hundreds of technologies: the shape that made the hub's model large.
func loadCatalogue(n, people int) recommend.Catalogue {
	const packages, deps, contributed = 20000, 20, 5
	langs := []string{"Go", "Java", "Python", "TypeScript", "Rust", "Shell", "C#", "Kotlin"}
	day := time.Date(2024, 6, 3, 0, 0, 0, 0, time.UTC)
	var c recommend.Catalogue
	c.Dependencies = make(map[int64][]recommend.Dependency, n)
	for i := range n {
		p := catalog.Project{ID: int64(i + 1), Key: fmt.Sprintf("github.com/acme/p%05d", i), Name: fmt.Sprintf("p%05d", i),
			Languages: []catalog.Language{{Name: langs[i%len(langs)]}, {Name: "Shell"}},
			Owners:    []catalog.Owner{{Owner: fmt.Sprintf("@acme/team%02d", i%40), Source: catalog.OwnerCodeowners}}}
		if i%5 == 0 {
			p.Kind = catalog.KindInnerSource
		}
		for d := range deps {
			k := (i*7 + d*13) % packages
			v := fmt.Sprintf("1.%d.0", i%5)
			dep := catalog.Dependency{PURL: fmt.Sprintf("pkg:npm/pkg%05d@%s", k, v), Ecosystem: "npm",
				Name: fmt.Sprintf("pkg%05d", k), Version: v, Direct: true, Manifest: "package-lock.json"}
			if d == 0 && i%10 == 0 {
				v := fmt.Sprintf("4.17.%d", i/10%22)
				dep.PURL, dep.Name, dep.Version = "pkg:npm/lodash@"+v, "lodash", v
			}
			c.Dependencies[p.ID] = append(c.Dependencies[p.ID], recommend.DependencyOf(dep))
		}
		for k := range contributed {
			who := (i*3 + k*17) % people
			p.Contributors = append(p.Contributors, catalog.Contribution{
				Identity: catalog.Identity{Name: fmt.Sprintf("Dev %04d", who), Email: fmt.Sprintf("dev%04d@example.com", who)},
				PersonID: fmt.Sprintf("dev%04d", who), Commits: 2 + k,
				FirstCommit: day.AddDate(0, -3-i%30, 0), LastCommit: day.AddDate(0, 0, -i%400)})
		}
		c.Projects = append(c.Projects, p)
	}
	for who := range people {
		c.People = append(c.People, catalog.Person{ID: fmt.Sprintf("dev%04d", who), Name: fmt.Sprintf("Dev %04d", who),
			Email: fmt.Sprintf("dev%04d@example.com", who)})
		c.Memberships = append(c.Memberships, catalog.Membership{Team: fmt.Sprintf("team%02d", who%40),
			Email: fmt.Sprintf("dev%04d@example.com", who), Source: catalog.MemberFile})
	}
	return c
}

// TestModelMemory measures the recommendation model's memory and build
// time in memory (no store): OSPO_BENCH_MODEL projects of the hub load
// test's estate (OSPO_BENCH_MODEL_SHAPE=load, the default: 5,000 people on
// 50 projects each at 50,000 projects) or of estategen's synthetic
// catalogue (=catalogue: half as many people as projects). It reports the
// heap in use after the build and after every person's answer was
// computed (Warm), CPU and wall times, a lookup's latency and the peak
// RSS; OSPO_BENCH_PROFILE=DIR writes a heap profile of the built, warmed
// model (go tool pprof -sample_index=inuse_space).
//
//	OSPO_BENCH_MODEL=50000 go test -run TestModelMemory -v -timeout 0 ./internal/recommend/
func TestModelMemory(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("OSPO_BENCH_MODEL"))
	if n <= 0 {
		t.Skip("set OSPO_BENCH_MODEL to a number of projects to run")
	}
	heap := func() uint64 {
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		return ms.HeapInuse
	}
	base := heap()
	shape := os.Getenv("OSPO_BENCH_MODEL_SHAPE")
	var c recommend.Catalogue
	switch shape {
	case "", "load":
		shape = "load"
		c = loadCatalogue(n, 5000)
	case "catalogue":
		g := estategen.GenerateCatalogue(estategen.CatalogueOptions{Projects: n, People: n / 2, FilesPerProject: 165, Seed: 1})
		c = recommend.Catalogue{Projects: g.Projects, People: g.People, Memberships: g.Memberships}
	default:
		t.Fatalf("OSPO_BENCH_MODEL_SHAPE=%q: want load or catalogue", shape)
	}
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	cpu0, t0 := rusage.CPU(), time.Now()
	e := recommend.FromCatalogue(c)
	m := recommend.Build(e, now)
	cpu, wall := rusage.CPU()-cpu0, time.Since(t0)
	c = recommend.Catalogue{} // the hub keeps no catalogue: only the model
	e = recommend.Estate{People: e.People}
	s := m.Stats()
	built := heap()
	cpu0, t0 = rusage.CPU(), time.Now()
	m.Warm()
	wcpu, wwall := rusage.CPU()-cpu0, time.Since(t0)
	warmed := heap()
	if dir := os.Getenv("OSPO_BENCH_PROFILE"); dir != "" {
		f, err := os.Create(filepath.Join(dir, fmt.Sprintf("model-%s-%d.heap", shape, n)))
		if err != nil {
			t.Fatal(err)
		}
		if err := pprof.WriteHeapProfile(f); err != nil {
			t.Fatal(err)
		}
		f.Close()
	}
	rng := rand.New(rand.NewPCG(1, 2))
	var lat []time.Duration
	for range 1000 {
		p := e.People[rng.IntN(len(e.People))]
		t1 := time.Now()
		if _, err := m.Answer(p.ID, 10, nil); err != nil {
			t.Fatal(err)
		}
		lat = append(lat, time.Since(t1))
	}
	slices.Sort(lat)
	runtime.KeepAlive(m)
	t.Logf("%s shape, %d projects, %d people, %d technologies, %d person-technology pairs", shape, s.Projects, s.People, s.Technologies, s.Uses)
	t.Logf("build (FromCatalogue + Build): %s wall, %s CPU; heap in use after the build %d MiB (model and its estate)",
		wall.Round(time.Millisecond), cpu.Round(time.Millisecond), (built-base)>>20)
	t.Logf("warm (every person's answer): %s wall, %s CPU; heap in use after %d MiB", wwall.Round(time.Millisecond),
		wcpu.Round(time.Millisecond), (warmed-base)>>20)
	t.Logf("Answer p50 %s, p99 %s (1,000 lookups); peak RSS %d MiB", lat[len(lat)/2], lat[len(lat)*99/100], rusage.PeakRSS())
}
