package storetest

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"sort"
	"strconv"
	"testing"
	"time"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/store"
)

// BenchSize is the estate Bench stores: Projects projects of Deps
// dependencies each. OSPO_BENCH_PROJECTS and OSPO_BENCH_DEPS override the
// defaults, 10,000 × 100 (a million dependency rows).
func BenchSize() (projects, deps int) {
	projects, deps = 10000, 100
	if n, err := strconv.Atoi(os.Getenv("OSPO_BENCH_PROJECTS")); err == nil && n > 0 {
		projects = n
	}
	if n, err := strconv.Atoi(os.Getenv("OSPO_BENCH_DEPS")); err == nil && n > 0 {
		deps = n
	}
	return projects, deps
}

// benchEcosystems are the ecosystems of the benchmark's packages, with the
// share of packages in each.
var benchEcosystems = []struct {
	eco, purlType string
	share         int
}{
	{"npm", "npm", 40}, {"Maven", "maven", 20}, {"PyPI", "pypi", 15}, {"Go", "golang", 15}, {"crates.io", "cargo", 10},
}

// benchPackage returns the i-th package of the benchmark's pool: its
// ecosystem, name and versionless purl.
func benchPackage(i int) (eco, name, purl string) {
	k := i % 100
	for _, e := range benchEcosystems {
		if k >= e.share {
			k -= e.share
			continue
		}
		switch e.eco {
		case "Maven":
			return e.eco, fmt.Sprintf("org.example.g%d:artifact-%d", i%50, i), fmt.Sprintf("pkg:maven/org.example.g%d/artifact-%d", i%50, i)
		case "Go":
			return e.eco, fmt.Sprintf("github.com/org%d/module-%d", i%50, i), fmt.Sprintf("pkg:golang/github.com/org%d/module-%d", i%50, i)
		case "PyPI":
			return e.eco, fmt.Sprintf("Py_Package.%d", i), fmt.Sprintf("pkg:pypi/py-package.%d", i)
		}
		return e.eco, fmt.Sprintf("package-%d", i), fmt.Sprintf("pkg:%s/package-%d", e.purlType, i)
	}
	panic("shares do not add up to 100")
}

// benchEstate fills s with BenchSize projects whose dependencies are drawn
// from a pool of 20,000 packages with Zipf-distributed popularity; one
// project in ten uses log4j-core. Each project has five contributors from
// a pool of 2,000 people.
func benchEstate(b *testing.B, s store.Store) (ids []int64) {
	ctx := context.Background()
	projects, deps := BenchSize()
	const pool, people = 20000, 2000
	r := rand.New(rand.NewPCG(1, 2))
	zipf := rand.NewZipf(r, 1.1, 10, pool-1)
	log4j := []string{"2.14.1", "2.17.0", "2.17.1", "2.20.0", "2.3.2", "2.12.4"}
	start := time.Now()
	rows := 0
	for i := 0; i < projects; i++ {
		p := &catalog.Project{Key: fmt.Sprintf("git.example.com/org/project-%05d", i), Name: fmt.Sprintf("project-%05d", i),
			Path: fmt.Sprintf("/src/project-%05d", i), Commits: 100,
			Languages: []catalog.Language{{Name: []string{"Go", "Java", "Python", "TypeScript", "Rust"}[i%5], Bytes: 1000, Files: 10}}}
		seen := map[uint64]bool{}
		if i%10 == 0 {
			v := log4j[i%len(log4j)]
			p.Dependencies = append(p.Dependencies, catalog.Dependency{
				PURL: "pkg:maven/org.apache.logging.log4j/log4j-core@" + v, Ecosystem: "Maven",
				Name: "org.apache.logging.log4j:log4j-core", Version: v, Direct: true, Manifest: "pom.xml"})
		}
		for len(p.Dependencies) < deps {
			k := zipf.Uint64()
			if seen[k] {
				continue
			}
			seen[k] = true
			eco, name, purl := benchPackage(int(k))
			v := fmt.Sprintf("1.%d.%d", r.IntN(20), r.IntN(10))
			p.Dependencies = append(p.Dependencies, catalog.Dependency{
				PURL: purl + "@" + v, Ecosystem: eco, Name: name, Version: v, Direct: r.IntN(5) == 0,
				Scope: catalog.ScopeRuntime, Manifest: "lockfile", Licenses: []string{"MIT"},
				Hashes: []catalog.Hash{{Algorithm: "sha512", Value: fmt.Sprintf("%086x==", k)}}})
		}
		for j := 0; j < 5; j++ {
			d := (i*7 + j*13) % people
			p.Contributors = append(p.Contributors, catalog.Contribution{
				Identity: catalog.Identity{Name: fmt.Sprintf("Dev %d", d), Email: fmt.Sprintf("dev%d@example.com", d)},
				Commits:  1 + (i+j)%50, LinesAdded: 100, LinesRemoved: 10, FirstCommit: t0, LastCommit: t0})
		}
		id, err := s.ReplaceProject(ctx, p)
		if err != nil {
			b.Fatal(err)
		}
		ids = append(ids, id)
		rows += len(p.Dependencies)
	}
	ps := make([]catalog.Person, people)
	for d := range ps {
		ps[d] = catalog.Person{ID: fmt.Sprintf("dev%d", d), Name: fmt.Sprintf("Dev %d", d), Email: fmt.Sprintf("dev%d@example.com", d),
			Identities: []catalog.Identity{{Name: fmt.Sprintf("Dev %d", d), Email: fmt.Sprintf("dev%d@example.com", d)}}}
	}
	if err := s.ReplacePeople(ctx, ps); err != nil {
		b.Fatal(err)
	}
	took := time.Since(start)
	b.Logf("stored %d projects, %d dependency rows in %v (%.0f rows/s)", projects, rows, took.Round(time.Millisecond), float64(rows)/took.Seconds())
	return ids
}

// Bench measures the dependency queries on an estate of BenchSize. If s is
// empty Bench fills it first, which takes minutes (the time is logged); a
// store that holds projects is taken to have been filled by an earlier run.
func Bench(b *testing.B, s store.Store) {
	ctx := context.Background()
	states, err := s.ProjectStates(ctx)
	if err != nil {
		b.Fatal(err)
	}
	var ids []int64
	if len(states) == 0 {
		ids = benchEstate(b, s)
	} else {
		for _, st := range states {
			ids = append(ids, st.ID)
		}
		sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
		b.Logf("using the %d projects already stored", len(ids))
	}
	_, popular, _ := benchPackage(12) // among the most used
	whoUses := []struct {
		name string
		f    store.UsageFilter
	}{
		{"purl", store.UsageFilter{Package: "pkg:maven/org.apache.logging.log4j/log4j-core"}},
		{"name", store.UsageFilter{Package: "org.apache.logging.log4j:log4j-core"}},
		{"artifact", store.UsageFilter{Package: "log4j-core"}},
		{"pypi", store.UsageFilter{Package: "py_package-62"}}, // PEP 503: Py_Package.62
		{"popular", store.UsageFilter{Package: popular}},
		{"ecosystem", store.UsageFilter{Package: "log4j-core", Ecosystem: "Maven"}},
		{"none", store.UsageFilter{Package: "no-such-package"}},
	}
	for _, w := range whoUses {
		b.Run("WhoUses/"+w.name, func(b *testing.B) {
			n := 0
			for b.Loop() {
				us, err := s.WhoUses(ctx, w.f)
				if err != nil {
					b.Fatal(err)
				}
				n = len(us)
			}
			b.ReportMetric(float64(n), "uses")
		})
	}
	techs := []struct {
		name string
		f    store.TechnologyFilter
	}{
		{"page", store.TechnologyFilter{Limit: 50}},
		{"ecosystem", store.TechnologyFilter{Ecosystem: "PyPI", Limit: 50}},
		{"query", store.TechnologyFilter{Query: "log4j", Limit: 50}},
		{"languages", store.TechnologyFilter{Kind: "language"}},
	}
	for _, tc := range techs {
		b.Run("Technologies/"+tc.name, func(b *testing.B) {
			n := 0
			for b.Loop() {
				ts, err := s.Technologies(ctx, tc.f)
				if err != nil {
					b.Fatal(err)
				}
				n = len(ts)
			}
			b.ReportMetric(float64(n), "rows")
		})
	}
	us, err := s.WhoUses(ctx, store.UsageFilter{Package: "log4j-core"})
	if err != nil {
		b.Fatal(err)
	}
	var users []int64
	for _, u := range us {
		users = append(users, u.ProjectID)
	}
	for _, e := range []struct {
		name string
		ids  []int64
	}{{"log4j-users", users}, {"one", ids[:1]}} {
		b.Run("Experts/"+e.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := s.Experts(ctx, e.ids, 10); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(len(e.ids)), "projects")
		})
	}
	b.Run("Project", func(b *testing.B) {
		for b.Loop() {
			if _, err := s.Project(ctx, fmt.Sprint(ids[len(ids)/2])); err != nil {
				b.Fatal(err)
			}
		}
	})
}
