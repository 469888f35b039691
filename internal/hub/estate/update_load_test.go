package estate

import (
	"cmp"
	"context"
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	gocmp "github.com/google/go-cmp/cmp"

	"github.com/ospo-project/ospo/internal/query"
	"github.com/ospo-project/ospo/internal/rusage"
	"github.com/ospo-project/ospo/internal/store"
	"github.com/ospo-project/ospo/internal/store/postgres"
	"github.com/ospo-project/ospo/internal/store/sqlite"
)

// TestSnapshotUpdateLoad measures, on an estate filled by the hub's
// TestLoad, a full build of the estate snapshot against an update after a
// scan wrote a few projects (each read and written again with a new HEAD,
// as a rescan replaces it), and checks the update equals a full build. It
// is a benchmark: it prints wall and CPU time, it does not fail on a
// figure. It runs only when OSPO_SNAPSHOT_LOAD names the store: a
// postgres:// URL (with search_path=SCHEMA for a schema TestLoad kept
// with OSPO_HUB_LOAD_PG_SCHEMA) or a SQLite file (OSPO_HUB_LOAD_DB).
// OSPO_SNAPSHOT_LOAD_CHANGED is the number of projects written (default
// 20, 1,000 in docs/benchmarks.md's second row);
// OSPO_SNAPSHOT_LOAD_PROFILE=FILE writes a CPU profile of an update with
// nothing written to FILE. It also times making a technology's view
// (OSPO_SNAPSHOT_LOAD_TECH, default pkg:npm/lodash), what the first
// request for its page after a write pays.
//
//	OSPO_SNAPSHOT_LOAD='postgres://…/postgres?search_path=hub50k' go test ./internal/hub/estate -run SnapshotUpdateLoad -v
func TestSnapshotUpdateLoad(t *testing.T) {
	ctx := context.Background()
	st := openLoadStore(ctx, t)
	changed := 20
	if n, err := strconv.Atoi(os.Getenv("OSPO_SNAPSHOT_LOAD_CHANGED")); err == nil && n > 0 {
		changed = n
	}
	c := New(st, time.Minute)
	measure := func(what string, old *Snapshot) *Snapshot {
		t.Helper()
		cpu0, t0 := rusage.CPU(), time.Now()
		e, err := c.buildEstate(ctx, old)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%-40s wall %8.0f ms  CPU (this process) %8.0f ms  load average %s", what,
			float64(time.Since(t0).Microseconds())/1000, float64((rusage.CPU()-cpu0).Microseconds())/1000, loadAverage())
		return e
	}
	full := measure("full build", nil)
	// What the first request after a write pays for a technology's page:
	// the view made anew (OSPO_SNAPSHOT_LOAD_TECH, default the package
	// TestLoad's estate uses most).
	c.snap, c.checked = full, time.Now()
	tech := cmp.Or(os.Getenv("OSPO_SNAPSHOT_LOAD_TECH"), "pkg:npm/lodash")
	for range 3 {
		cpu0, t0 := rusage.CPU(), time.Now()
		v, err := c.technology(ctx, tech, nil)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%-40s wall %8.1f ms  CPU (this process) %8.1f ms  %d projects  load average %s", "view of "+tech+" made",
			float64(time.Since(t0).Microseconds())/1000, float64((rusage.CPU()-cpu0).Microseconds())/1000, v.Technology.Projects, loadAverage())
	}
	if full.Projects < changed {
		t.Fatalf("%d projects in the store, fewer than the %d to change", full.Projects, changed)
	}
	// OSPO_SNAPSHOT_LOAD_PROFILE=FILE: a CPU profile of this update.
	if os.Getenv("OSPO_SNAPSHOT_LOAD_PROFILE") != "" {
		stop := profileLoad(t)
		measure("update, nothing written", full)
		stop()
	}
	measure("update, nothing written", full)
	// A scan rewrites projects spread over the estate.
	step := full.Projects / changed
	t0 := time.Now()
	for i := range changed {
		id := full.all[i*step].ID
		p, err := st.Project(ctx, strconv.FormatInt(id, 10))
		if err != nil {
			t.Fatal(err)
		}
		p.HeadCommit = fmt.Sprintf("%040x", time.Now().UnixNano())
		if len(p.Dependencies) > 1 { // one dependency dropped: package counts move
			p.Dependencies = p.Dependencies[1:]
		}
		if _, err := st.ReplaceProject(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	t.Logf("%d projects rewritten in %v", changed, time.Since(t0).Round(time.Millisecond))
	inc := measure(fmt.Sprintf("update after %d projects written", changed), full)
	again := measure("full build (for comparison)", nil)
	if diff := gocmp.Diff(again, inc, snapshotOpts); diff != "" {
		t.Errorf("the updated snapshot differs from a full build (-full +updated):\n%s", diff)
	}
}

// openLoadStore opens the store OSPO_SNAPSHOT_LOAD names (see
// TestSnapshotUpdateLoad), closed when t ends, or skips t without it.
func openLoadStore(ctx context.Context, t *testing.T) store.Store {
	t.Helper()
	dsn := os.Getenv("OSPO_SNAPSHOT_LOAD")
	if dsn == "" {
		t.Skip("set OSPO_SNAPSHOT_LOAD to a store filled by the hub's TestLoad")
	}
	var st store.Store
	var err error
	if strings.HasPrefix(dsn, "postgres://") {
		st, err = postgres.Open(ctx, dsn)
	} else {
		st, err = sqlite.Open(ctx, dsn)
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// TestTechnologyViewLoad measures, on an estate filled by the hub's
// TestLoad (OSPO_SNAPSHOT_LOAD, as TestSnapshotUpdateLoad; nothing is
// written), what the first request for a technology's page after a write
// pays: its view made anew from the snapshot (OSPO_SNAPSHOT_LOAD_TECH,
// default pkg:npm/lodash, which a tenth of the estate uses), ten times
// (OSPO_SNAPSHOT_LOAD_MAKES), with the store's read of its uses timed
// alone. It is a benchmark: it
// prints wall and CPU time; OSPO_SNAPSHOT_LOAD_PROFILE=FILE writes a CPU
// profile of the makes.
//
//	OSPO_SNAPSHOT_LOAD='postgres://…/postgres?search_path=hub50k' go test ./internal/hub/estate -run TechnologyViewLoad -v
func TestTechnologyViewLoad(t *testing.T) {
	ctx := context.Background()
	c, _, st := loadCatalog(ctx, t)
	tech := cmp.Or(os.Getenv("OSPO_SNAPSHOT_LOAD_TECH"), "pkg:npm/lodash")
	defer profileLoad(t)()
	// Each timed after a collection, so that the collector's work on the
	// snapshot just built is not counted; the median is reported.
	makes := 10
	if n, err := strconv.Atoi(os.Getenv("OSPO_SNAPSHOT_LOAD_MAKES")); err == nil && n > 0 {
		makes = n
	}
	var cpus []time.Duration
	for range makes {
		runtime.GC()
		cpu0, t0 := rusage.CPU(), time.Now()
		v, err := c.technology(ctx, tech, nil)
		if err != nil {
			t.Fatal(err)
		}
		cpu := rusage.CPU() - cpu0
		cpus = append(cpus, cpu)
		t.Logf("%-40s wall %8.1f ms  CPU (this process) %8.1f ms  %d projects  load average %s", "view of "+tech+" made",
			float64(time.Since(t0).Microseconds())/1000, float64(cpu.Microseconds())/1000, v.Technology.Projects, loadAverage())
	}
	slices.Sort(cpus)
	t.Logf("view of %s made: %.1f ms of CPU (median of %d)", tech, float64(cpus[makes/2].Microseconds())/1000, makes)
	if IsPackage(tech) {
		id, _ := query.SplitPURL(tech)
		for _, f := range []store.UsageFilter{{Package: id, Limit: maxUsers}, {Package: id, NoNames: true}} {
			for range 3 {
				runtime.GC()
				cpu0, t0 := rusage.CPU(), time.Now()
				us, err := st.PackageProjects(ctx, f)
				if err != nil {
					t.Fatal(err)
				}
				t.Logf("%-40s wall %8.1f ms  CPU (this process) %8.1f ms  %d projects  load average %s",
					fmt.Sprintf("its uses read (PackageProjects, NoNames %v)", f.NoNames),
					float64(time.Since(t0).Microseconds())/1000, float64((rusage.CPU()-cpu0).Microseconds())/1000, len(us), loadAverage())
			}
		}
	}
}

// TestPersonViewLoad measures, on an estate filled by the hub's TestLoad
// (OSPO_SNAPSHOT_LOAD, as TestSnapshotUpdateLoad; nothing is written),
// what a person's page reads and computes besides its recommendations,
// once the model's inputs are read: the person's view (Catalog.Person:
// the person, the direct dependencies of their most active projects),
// their standing and their work, for OSPO_SNAPSHOT_LOAD_PERSON (default
// dev0042), 50 times. It prints the wall and CPU time a view;
// OSPO_SNAPSHOT_LOAD_PROFILE=FILE writes a CPU profile of them. Connect
// as a role with log_min_duration_statement=0 to see the statements in
// the server's log.
//
//	OSPO_SNAPSHOT_LOAD='postgres://…/postgres?search_path=hub50k' go test ./internal/hub/estate -run PersonViewLoad -v
func TestPersonViewLoad(t *testing.T) {
	ctx := context.Background()
	c, full, st := loadCatalog(ctx, t)
	var err error
	// What the hub holds once its recommendation model is built: the
	// projects' direct dependencies (see Catalog.directDependencies).
	_, c.inputs, err = readInputs(ctx, st, nil, &preread{projects: full.all, people: full.people, authors: full.authors}, nil, nil, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	id := cmp.Or(os.Getenv("OSPO_SNAPSHOT_LOAD_PERSON"), "dev0042")
	view := func() {
		v, err := c.Person(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.StandingOf(ctx, &v.Person); err != nil {
			t.Fatal(err)
		}
		if _, err := c.WorkOf(ctx, &v.Person); err != nil {
			t.Fatal(err)
		}
	}
	view() // the snapshot's indexes are built on first use
	runtime.GC()
	defer profileLoad(t)()
	const views = 50
	cpu0, t0 := rusage.CPU(), time.Now()
	for range views {
		view()
	}
	t.Logf("person %s: %.2f ms wall, %.2f ms CPU (this process) a view (Person, StandingOf, WorkOf; mean of %d), load average %s", id,
		float64(time.Since(t0).Microseconds())/1000/views, float64((rusage.CPU()-cpu0).Microseconds())/1000/views, views, loadAverage())
}

// loadAverage returns the machine's 1, 5 and 15-minute load averages.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil || len(b) < 14 {
		return "unknown"
	}
	var a, b5, c float64
	fmt.Sscanf(string(b), "%f %f %f", &a, &b5, &c)
	return fmt.Sprintf("%.1f %.1f %.1f", a, b5, c)
}

// profileLoad starts a CPU profile into the file OSPO_SNAPSHOT_LOAD_PROFILE
// names, if any, and returns what stops it.
func profileLoad(t *testing.T) (stop func()) {
	t.Helper()
	f := os.Getenv("OSPO_SNAPSHOT_LOAD_PROFILE")
	if f == "" {
		return func() {}
	}
	out, err := os.Create(f)
	if err != nil {
		t.Fatal(err)
	}
	if err := pprof.StartCPUProfile(out); err != nil {
		t.Fatal(err)
	}
	return func() {
		pprof.StopCPUProfile()
		if err := out.Close(); err != nil {
			t.Error(err)
		}
	}
}

// loadCatalog is a catalogue of the load store (openLoadStore) holding its
// full snapshot, with the snapshot and the store.
func loadCatalog(ctx context.Context, t *testing.T) (*Catalog, *Snapshot, store.Store) {
	t.Helper()
	st := openLoadStore(ctx, t)
	c := New(st, time.Minute)
	full, err := c.buildEstate(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	c.snap, c.checked = full, time.Now()
	return c, full, st
}
