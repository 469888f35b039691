package storetest

import (
	"context"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/store"
)

// batchTests cover ReplaceProjects, the batch form of ReplaceProject and
// AddScore that a scan writes through.
var batchTests = []namedTest{
	{"ReplaceProjects/AsOneByOne", testReplaceProjects},
	{"ReplaceProjects/Invalid", testReplaceProjectsInvalid},
	{"ReplaceProjects/AtomicOnCancel", testReplaceProjectsAtomic},
	{"ReplaceProjects/CountsAcrossBatch", testReplaceProjectsCounts},
}

// testReplaceProjectsCounts checks the package counts of batches whose
// projects' changes cancel out (one project drops a version another takes
// up), or add up (several drop the same one), against the projects stored.
func testReplaceProjectsCounts(t *testing.T, s store.Store) {
	ctx := context.Background()
	dep := func(version string) catalog.Dependency {
		return catalog.Dependency{PURL: "pkg:npm/left-pad@" + version, Ecosystem: "npm", Name: "left-pad", Version: version, Direct: true}
	}
	with := func(key string, seed int, deps ...catalog.Dependency) catalog.Scanned {
		p := project("github.com/org/"+key, key, seed)
		p.Dependencies = deps
		return catalog.Scanned{Project: p}
	}
	// counts returns the number of projects using left-pad and of its versions in use.
	counts := func() (projects, versions int) {
		t.Helper()
		techs, err := s.Technologies(ctx, store.TechnologyFilter{Kind: "package"})
		if err != nil {
			t.Fatal(err)
		}
		for _, tc := range techs {
			if tc.ID == "pkg:npm/left-pad" {
				projects, versions = tc.Projects, tc.Versions
			}
		}
		return projects, versions
	}
	steps := []struct {
		name  string
		batch []catalog.Scanned
		want  [2]int // projects, versions
	}{
		{"a and b take 1.0.0", []catalog.Scanned{with("a", 1, dep("1.0.0")), with("b", 2, dep("1.0.0"))}, [2]int{2, 1}},
		{"a drops it, c takes it up", []catalog.Scanned{with("a", 3), with("c", 4, dep("1.0.0"))}, [2]int{2, 1}},
		{"b moves to 2.0.0 and back, c to 3.0.0", []catalog.Scanned{with("b", 5, dep("2.0.0")), with("c", 6, dep("3.0.0")), with("b", 7, dep("1.0.0"))}, [2]int{2, 2}},
		{"c moves to 1.0.0 and b to 3.0.0", []catalog.Scanned{with("c", 8, dep("1.0.0")), with("b", 9, dep("3.0.0"))}, [2]int{2, 2}},
		{"b and c drop it", []catalog.Scanned{with("b", 10), with("c", 11)}, [2]int{0, 0}},
	}
	for _, st := range steps {
		if _, err := s.ReplaceProjects(ctx, st.batch); err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		if p, v := counts(); [2]int{p, v} != st.want {
			t.Errorf("%s: left-pad used by %d projects, %d versions; want %v", st.name, p, v, st.want)
		}
	}
}

func testReplaceProjects(t *testing.T, s store.Store) {
	ctx := context.Background()
	if ids, err := s.ReplaceProjects(ctx, nil); err != nil || len(ids) != 0 {
		t.Fatalf("ReplaceProjects(nil) = %v, %v; want nothing, no error", ids, err)
	}
	// beta exists: the batch replaces it and keeps its ID.
	oldBeta := project("github.com/org/beta", "beta", 1)
	betaID := replace(t, s, oldBeta)

	alpha, beta, gamma := project("github.com/org/alpha", "alpha", 2), project("github.com/org/beta", "beta", 3),
		project("github.com/org/gamma", "gamma", 4)
	alphaAgain := project("github.com/org/alpha", "alpha", 5)
	score := scorecard(0, "beta", beta.Key, t0, 6.5)
	score.ProjectID = 999_999 // ignored: the score is the replaced project's
	ids, err := s.ReplaceProjects(ctx, []catalog.Scanned{
		{Project: alpha}, {Project: beta, Score: &score}, {Project: gamma}, {Project: alphaAgain},
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(ids) != 4 || ids[1] != betaID || ids[0] != ids[3] || ids[0] <= 0 || ids[2] <= 0 ||
		ids[0] == betaID || ids[2] == betaID || ids[0] == ids[2] {
		t.Fatalf("ReplaceProjects IDs = %v; want alpha's twice, beta's %d kept, gamma's, all distinct", ids, betaID)
	}
	for _, w := range []struct {
		p  *catalog.Project
		id int64
	}{{alphaAgain, ids[0]}, {beta, betaID}, {gamma, ids[2]}} {
		if diff := cmp.Diff(stored(w.p, w.id), *get(t, s, w.p.Key), opts); diff != "" {
			t.Errorf("%s after ReplaceProjects (-want +got):\n%s", w.p.Key, diff)
		}
	}
	if list, err := s.ListProjects(ctx, store.ProjectFilter{}); err != nil || len(list) != 3 {
		t.Fatalf("ListProjects = %d projects, %v; want 3", len(list), err)
	}
	// Counted as three projects each using the packages, as one by one.
	packageCounts(t, s, 3)

	hist, err := s.ScoreHistory(ctx, betaID, 0)
	if err != nil {
		t.Fatal(err)
	}
	want := score
	want.ProjectID = betaID
	if diff := cmp.Diff([]catalog.Scorecard{want}, hist, opts); diff != "" {
		t.Errorf("beta's ScoreHistory (-want +got):\n%s", diff)
	}
	for _, id := range []int64{ids[0], ids[2]} {
		if hist, err := s.ScoreHistory(ctx, id, 0); err != nil || len(hist) != 0 {
			t.Errorf("ScoreHistory(%d) = %v, %v; want none (not scored)", id, hist, err)
		}
	}
	// Each replaced project is seen as changed by a reader comparing revisions.
	states, err := s.ProjectStates(ctx)
	if err != nil {
		t.Fatal(err)
	}
	revs := map[int64]bool{}
	for _, st := range states {
		revs[st.Revision] = true
	}
	if len(revs) != 3 {
		t.Errorf("revisions after ReplaceProjects = %v; want three distinct", states)
	}
}

func testReplaceProjectsInvalid(t *testing.T, s store.Store) {
	ctx := context.Background()
	ok := project("github.com/org/alpha", "alpha", 1)
	for name, rs := range map[string][]catalog.Scanned{
		"nil project": {{Project: ok}, {Project: nil}},
		"empty key":   {{Project: ok}, {Project: project("", "nameless", 2)}},
		"empty first": {{Project: project("", "nameless", 2)}, {Project: ok}},
	} {
		if ids, err := s.ReplaceProjects(ctx, rs); err == nil {
			t.Errorf("%s: ReplaceProjects = %v, nil; want an error", name, ids)
		}
	}
	if list, err := s.ListProjects(ctx, store.ProjectFilter{}); err != nil || len(list) != 0 {
		t.Fatalf("ListProjects after invalid batches = %d projects, %v; want none stored", len(list), err)
	}
}

// testReplaceProjectsAtomic interrupts a batch at every few steps: the
// store then holds all of it or none of it, package counts included.
func testReplaceProjectsAtomic(t *testing.T, s store.Store) {
	ctx := context.Background()
	var rs []catalog.Scanned
	for i := range 3 {
		p := project(fmt.Sprintf("github.com/org/p%d", i), fmt.Sprintf("p%d", i), i+1)
		sc := scorecard(0, p.Name, p.Key, t0, float64(i))
		rs = append(rs, catalog.Scanned{Project: p, Score: &sc})
	}
	failed, none := 0, 0
	for n := int64(1); ; n += 1 + n/20 {
		if n > 5000 {
			t.Fatal("ReplaceProjects never succeeded")
		}
		_, err := s.ReplaceProjects(newDoneAfter(n), rs)
		list, lerr := s.ListProjects(ctx, store.ProjectFilter{})
		if lerr != nil {
			t.Fatal(lerr)
		}
		scores, lerr := s.LatestScores(ctx)
		if lerr != nil {
			t.Fatal(lerr)
		}
		switch {
		case len(list) == 0 && len(scores) == 0:
			if techs, err := s.Technologies(ctx, store.TechnologyFilter{Kind: "package"}); err != nil || len(techs) != 0 {
				t.Fatalf("packages after ReplaceProjects stopped at step %d stored nothing = %v, %v; want none", n, techs, err)
			}
		case len(list) == len(rs) && len(scores) == len(rs):
			packageCounts(t, s, len(rs))
		default:
			t.Fatalf("ReplaceProjects stopped at step %d (err %v) stored %d of %d projects and %d scores",
				n, err, len(list), len(rs), len(scores))
		}
		if err == nil {
			if len(list) != len(rs) {
				t.Fatalf("ReplaceProjects stopped at step %d succeeded but stored nothing", n)
			}
			break
		}
		failed++
		if len(list) == 0 {
			none++
			continue
		}
		for _, r := range rs { // committed although reported failed: start over
			if err := s.DeleteProject(ctx, r.Project.Key); err != nil {
				t.Fatal(err)
			}
		}
	}
	if failed == 0 || none == 0 {
		t.Errorf("no interrupted ReplaceProjects left the store as it was (%d interrupted)", failed)
	}
	t.Logf("%d interrupted batches, %d left nothing", failed, none)
}
