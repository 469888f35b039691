package storetest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/store"
)

var eventTests = []namedTest{
	{"Events/AddIdempotent", testAddEvents},
	{"Events/AddMany", testAddManyEvents},
	{"Events/Claims", testClaims},
	{"Events/OptIn", testOptIn},
	{"Events/Tally", testTallyEvents},
	{"Events/TallyConcurrentWriters", testTallyConcurrent},
	{"Activity", testActivity},
}

// testAddManyEvents records more events in one call than one insert
// statement holds, half of them already recorded, and checks the count of
// new ones and that every one can be read.
func testAddManyEvents(t *testing.T, s store.Store) {
	ctx := context.Background()
	p := project("github.com/org/many", "many", 1)
	replace(t, s, p)
	evs := make([]catalog.Event, 1234)
	for i := range evs {
		evs[i] = catalog.Event{ID: fmt.Sprintf("many-%04d", i), Kind: "commit", Source: catalog.EventGit, ProjectKey: p.Key,
			Email: "many@example.com", At: t0.Add(time.Duration(i) * time.Minute), Points: 1, Summary: "c"}
	}
	if n, err := s.AddEvents(ctx, p.Key, "h1", evs[:617]); err != nil || n != 617 {
		t.Fatalf("AddEvents(first 617) = %d, %v; want 617", n, err)
	}
	if n, err := s.AddEvents(ctx, p.Key, "h2", evs); err != nil || n != len(evs)-617 {
		t.Fatalf("AddEvents(all) = %d, %v; want %d", n, err, len(evs)-617)
	}
	got, err := s.Events(ctx, store.EventFilter{ProjectKey: p.Key})
	if err != nil || len(got) != len(evs) {
		t.Fatalf("Events = %d, %v; want %d", len(got), err, len(evs))
	}
}

// testAddEvents checks that events round-trip, that recording the same
// IDs again adds nothing, that the cursor moves in the same call, and that
// reads carry the project's name and the person of the e-mail.
func testAddEvents(t *testing.T, s store.Store) {
	ctx := context.Background()
	p := project("github.com/org/ev", "ev", 1)
	replace(t, s, p)
	if c, err := s.EventCursor(ctx, p.Key); err != nil || c != "" {
		t.Fatalf("EventCursor before any = %q, %v; want empty", c, err)
	}
	evs := []catalog.Event{
		{ID: "a", Kind: "first_contribution", Source: catalog.EventGit, ProjectKey: p.Key, Email: "Ann@Example.com",
			At: t0, Points: 5, Summary: "first ünï \x00", Evidence: []catalog.Evidence{{Kind: "commit", Value: "abc"}}},
		{ID: "b", Kind: "documentation_added", Source: catalog.EventGit, ProjectKey: p.Key, Email: "bob@example.com",
			At: t0.Add(time.Hour), Points: 3, Summary: "docs"},
	}
	n, err := s.AddEvents(ctx, p.Key, "c1", evs)
	if err != nil || n != 2 {
		t.Fatalf("AddEvents = %d, %v; want 2", n, err)
	}
	talk := catalog.Event{ID: "c", Kind: "talk", Source: catalog.EventManual, Email: "ann@example.com", At: t0.Add(2 * time.Hour), Points: 20, Summary: "talk"}
	again := append(evs, talk, talk) // c twice in one call: recorded once
	if n, err := s.AddEvents(ctx, p.Key, "c2", again); err != nil || n != 1 {
		t.Fatalf("AddEvents again = %d, %v; want 1 (only c is new)", n, err)
	}
	if c, err := s.EventCursor(ctx, p.Key); err != nil || c != "c2" {
		t.Errorf("EventCursor = %q, %v; want c2", c, err)
	}
	if _, err := s.AddEvents(ctx, p.Key, "c3", []catalog.Event{{ID: "x"}}); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("AddEvents without kind: %v, want ErrInvalid", err)
	}
	if c, _ := s.EventCursor(ctx, p.Key); c != "c2" {
		t.Errorf("a failed AddEvents moved the cursor to %q", c)
	}
	ann := catalog.Identity{Name: "Ann", Email: "ann@example.com"}
	if err := s.ReplacePeople(ctx, []catalog.Person{{ID: "ann", Name: "Ann", Email: ann.Email, Identities: []catalog.Identity{ann}}}); err != nil {
		t.Fatal(err)
	}
	got, err := s.Events(ctx, store.EventFilter{PersonID: "ann"})
	if err != nil {
		t.Fatal(err)
	}
	want := []catalog.Event{
		{ID: "a", Kind: "first_contribution", Source: catalog.EventGit, ProjectKey: p.Key, Project: "ev", Email: "ann@example.com",
			PersonID: "ann", At: t0, Points: 5, Summary: "first ünï \uFFFD", Evidence: []catalog.Evidence{{Kind: "commit", Value: "abc"}}},
		{ID: "c", Kind: "talk", Source: catalog.EventManual, Email: "ann@example.com", PersonID: "ann",
			At: t0.Add(2 * time.Hour), Points: 20, Summary: "talk", Evidence: []catalog.Evidence{}},
	}
	if diff := cmp.Diff(want, got, opts); diff != "" {
		t.Errorf("Events of ann (-want +got):\n%s", diff)
	}
	for _, tc := range []struct {
		f    store.EventFilter
		want []string
	}{
		{store.EventFilter{}, []string{"a", "b", "c"}},
		{store.EventFilter{ProjectKey: p.Key}, []string{"a", "b"}},
		{store.EventFilter{Email: "BOB@example.com"}, []string{"b"}},
		{store.EventFilter{Kind: "talk"}, []string{"c"}},
		{store.EventFilter{Limit: 2}, []string{"b", "c"}},
		// A person's identities and their own address (not among them):
		// both, each event once.
		{store.EventFilter{PersonID: "ann", Email: "Bob@Example.com"}, []string{"a", "b", "c"}},
		{store.EventFilter{PersonID: "ann", Email: "ann@example.com"}, []string{"a", "c"}},
		{store.EventFilter{PersonID: "nobody", Email: "bob@example.com"}, []string{"b"}},
		{store.EventFilter{PersonID: "ann", Email: "ann@example.com", ProjectKey: p.Key}, []string{"a"}},
	} {
		got, err := s.Events(ctx, tc.f)
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, e := range got {
			ids = append(ids, e.ID)
		}
		if diff := cmp.Diff(tc.want, ids); diff != "" {
			t.Errorf("Events(%+v) (-want +got):\n%s", tc.f, diff)
		}
	}
}

// testClaims checks the four-eyes rule, that an approval records its
// event and the audit entries in the same transaction, and that a decided
// claim cannot be decided again.
func testClaims(t *testing.T, s store.Store) {
	ctx := context.Background()
	by := func(action string) *catalog.AuditEntry {
		return &catalog.AuditEntry{At: t0, Actor: "ospo@example.com", Source: "cli", Action: action}
	}
	if _, err := s.AddClaim(ctx, catalog.EventClaim{Kind: "talk", Email: "ann@example.com"}, by("claim.add")); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("AddClaim without evidence: %v, want ErrInvalid", err)
	}
	c, err := s.AddClaim(ctx, catalog.EventClaim{Kind: "talk", Email: "Ann@example.com", Evidence: "https://conf.example/talk",
		ClaimedBy: "Ann@example.com"}, by("claim.add"))
	if err != nil || c.ID == 0 || c.Status != catalog.ClaimPending {
		t.Fatalf("AddClaim = %+v, %v", c, err)
	}
	mk := func(c catalog.EventClaim) catalog.Event {
		return catalog.Event{ID: "claim:1", Kind: c.Kind, Source: catalog.EventManual, Email: c.Email, At: c.ClaimedAt, Points: 20, Summary: "talk"}
	}
	if _, err := s.DecideClaim(ctx, c.ID, store.ClaimDecision{Approve: true, By: "ann@EXAMPLE.com", Event: mk}, by("claim.approve")); !errors.Is(err, store.ErrFourEyes) || !errors.Is(err, catalog.ErrForbidden) {
		t.Errorf("DecideClaim by the claimant: %v, want ErrFourEyes", err)
	}
	if _, err := s.DecideClaim(ctx, 999, store.ClaimDecision{Approve: true, By: "ospo@example.com", Event: mk}, nil); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("DecideClaim of an unknown claim: %v, want ErrNotFound", err)
	}
	if evs, _ := s.Events(ctx, store.EventFilter{}); len(evs) != 0 {
		t.Fatalf("events before approval: %+v", evs)
	}
	d, err := s.DecideClaim(ctx, c.ID, store.ClaimDecision{Approve: true, By: "ospo@example.com", Event: mk}, by("claim.approve"))
	if err != nil || d.Status != catalog.ClaimApproved || d.DecidedBy != "ospo@example.com" || d.EventID != "claim:1" {
		t.Fatalf("DecideClaim = %+v, %v", d, err)
	}
	if evs, _ := s.Events(ctx, store.EventFilter{Email: "ann@example.com"}); len(evs) != 1 || evs[0].ID != "claim:1" {
		t.Errorf("events after approval = %+v, want claim:1", evs)
	}
	if _, err := s.DecideClaim(ctx, c.ID, store.ClaimDecision{By: "other@example.com", Event: mk}, nil); !errors.Is(err, store.ErrDecided) {
		t.Errorf("DecideClaim twice: %v, want ErrDecided", err)
	}
	all, err := s.Claims(ctx, "")
	if err != nil || len(all) != 1 || all[0].Status != catalog.ClaimApproved {
		t.Errorf("Claims = %+v, %v", all, err)
	}
	if p, _ := s.Claims(ctx, catalog.ClaimPending); len(p) != 0 {
		t.Errorf("pending claims = %+v, want none", p)
	}
	log, err := s.ListAudit(ctx, store.AuditFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, e := range log {
		actions = append(actions, e.Action+" "+e.Object)
	}
	if diff := cmp.Diff([]string{"claim.add claim:1", "claim.approve claim:1"}, actions); diff != "" {
		t.Errorf("audit log (-want +got):\n%s", diff)
	}
}

func testOptIn(t *testing.T, s store.Store) {
	ctx := context.Background()
	for _, step := range []struct {
		email string
		in    bool
		want  []string
	}{
		{"Ann@example.com", true, []string{"ann@example.com"}},
		{"bob@example.com", true, []string{"ann@example.com", "bob@example.com"}},
		{"ann@example.com", true, []string{"ann@example.com", "bob@example.com"}},
		{"ann@example.com", false, []string{"bob@example.com"}},
	} {
		if err := s.SetLeaderboardOptIn(ctx, step.email, step.in, nil); err != nil {
			t.Fatal(err)
		}
		got, err := s.LeaderboardOptIns(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(step.want, got); diff != "" {
			t.Errorf("after %s %v (-want +got):\n%s", step.email, step.in, diff)
		}
	}
	if err := s.SetLeaderboardOptIn(ctx, " ", true, nil); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("empty e-mail: %v, want ErrInvalid", err)
	}
}

// testActivity checks that Activity returns what Project returns of the
// contributions (weeks and persons included), for some projects or all.
func testActivity(t *testing.T, s store.Store) {
	ctx := context.Background()
	a := replace(t, s, project("github.com/org/a", "a", 1))
	b := replace(t, s, project("github.com/org/b", "b", 2))
	empty := project("github.com/org/c", "c", 3)
	empty.Contributors = nil
	c := replace(t, s, empty)
	ids, err := s.Identities(ctx)
	if err != nil || len(ids) == 0 {
		t.Fatalf("Identities = %v, %v", ids, err)
	}
	first := ids[0].Identity
	if err := s.ReplacePeople(ctx, []catalog.Person{{ID: "p1", Name: first.Name, Email: first.Email, Identities: []catalog.Identity{first}}}); err != nil {
		t.Fatal(err)
	}
	want := map[int64][]catalog.Contribution{}
	for _, id := range []int64{a, b} {
		p, err := s.Project(ctx, fmt.Sprint(id))
		if err != nil {
			t.Fatal(err)
		}
		want[id] = p.Contributors
	}
	if len(want[a]) == 0 || len(want[a][0].Weeks) == 0 {
		t.Fatalf("the fixture has no weekly activity: %+v", want[a])
	}
	got, err := s.Activity(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got, opts); diff != "" {
		t.Errorf("Activity(all) (-want +got):\n%s", diff)
	}
	persons := 0
	for _, cs := range got {
		for _, ct := range cs {
			if ct.PersonID == "p1" {
				persons++
			}
		}
	}
	if persons == 0 {
		t.Error("Activity fills in no person")
	}
	got, err = s.Activity(ctx, []int64{b, c, b, 999})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[int64][]catalog.Contribution{b: want[b]}, got, opts); diff != "" {
		t.Errorf("Activity(b, c, 999) (-want +got):\n%s", diff)
	}
	if got, err := s.Activity(ctx, []int64{}); err != nil || len(got) != 0 {
		t.Errorf("Activity(none) = %v, %v", got, err)
	}
}

// testTallyEvents checks TallyEvents' lean read: only the events recorded
// after the mark asked for (an ID recorded again is not new, an approved
// claim's event is), and the people the e-mails belong to.
func testTallyEvents(t *testing.T, s store.Store) {
	ctx := context.Background()
	p := project("github.com/org/tally", "tally", 1)
	replace(t, s, p)
	r, err := s.TallyEvents(ctx, 0)
	if err != nil || len(r.Events) != 0 || r.Mark != 0 {
		t.Fatalf("TallyEvents of an empty store = %+v, %v", r, err)
	}
	evs := []catalog.Event{
		{ID: "a", Kind: "first_contribution", Source: catalog.EventGit, ProjectKey: p.Key, Email: "Ann@Example.com",
			At: t0, Points: 5, Summary: "first", Evidence: []catalog.Evidence{{Kind: "commit", Value: "abc"}}},
		{ID: "b", Kind: "talk", Source: catalog.EventManual, Email: "bob@example.com", At: t0.Add(time.Hour), Points: 20, Summary: "talk"},
	}
	if _, err := s.AddEvents(ctx, p.Key, "c1", evs); err != nil {
		t.Fatal(err)
	}
	ids := func(r store.TallyRead) []string {
		var out []string
		for _, e := range r.Events {
			out = append(out, e.ID)
		}
		slices.Sort(out)
		return out
	}
	first, err := s.TallyEvents(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	want := []catalog.Event{
		{ID: "a", Source: catalog.EventGit, ProjectKey: p.Key, Email: "ann@example.com", At: t0, Points: 5},
		{ID: "b", Source: catalog.EventManual, Email: "bob@example.com", At: t0.Add(time.Hour), Points: 20},
	}
	slices.SortFunc(first.Events, func(a, b catalog.Event) int { return strings.Compare(a.ID, b.ID) })
	if diff := cmp.Diff(want, first.Events, opts); diff != "" || first.Mark <= 0 {
		t.Errorf("TallyEvents(0): mark %d (-want +got):\n%s", first.Mark, diff)
	}
	if r, err := s.TallyEvents(ctx, first.Mark); err != nil || len(r.Events) != 0 || r.Mark != first.Mark {
		t.Errorf("TallyEvents(%d) with nothing new = %+v, %v", first.Mark, r, err)
	}
	if _, err := s.AddEvents(ctx, p.Key, "c2", append(evs, catalog.Event{ID: "c", Kind: "documentation_added",
		Source: catalog.EventGit, ProjectKey: p.Key, Email: "ann2@example.com", At: t0, Points: 3})); err != nil {
		t.Fatal(err)
	}
	second, err := s.TallyEvents(ctx, first.Mark)
	if err != nil || !slices.Equal(ids(second), []string{"c"}) || second.Mark <= first.Mark {
		t.Errorf("TallyEvents after c = %v mark %d, %v; want [c] and a mark above %d", ids(second), second.Mark, err, first.Mark)
	}
	c, err := s.AddClaim(ctx, catalog.EventClaim{Kind: "talk", Email: "bob@example.com", Evidence: "https://conf.example/t", ClaimedBy: "bob@example.com"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.DecideClaim(ctx, c.ID, store.ClaimDecision{Approve: true, By: "ospo@example.com", Event: func(c catalog.EventClaim) catalog.Event {
		return catalog.Event{ID: "claim:t", Kind: c.Kind, Source: catalog.EventManual, Email: c.Email, At: t0, Points: 20}
	}}, nil); err != nil {
		t.Fatal(err)
	}
	third, err := s.TallyEvents(ctx, second.Mark)
	if err != nil || !slices.Equal(ids(third), []string{"claim:t"}) {
		t.Errorf("TallyEvents after an approval = %v, %v; want [claim:t]", ids(third), err)
	}
	if all, err := s.TallyEvents(ctx, 0); err != nil || !slices.Equal(ids(all), []string{"a", "b", "c", "claim:t"}) || all.Mark != third.Mark {
		t.Errorf("TallyEvents(0) = %v mark %d, %v; want every event and mark %d", ids(all), all.Mark, err, third.Mark)
	}

	people := []catalog.Person{
		{ID: "ann", Name: "Ann", Email: "Ann@Example.com", Identities: []catalog.Identity{{Name: "Ann", Email: "Ann@Example.com"}, {Name: "A", Email: "ann2@example.com"}}},
		{ID: "bot", Name: "CI", Email: "ci@example.com", Bot: true, Identities: []catalog.Identity{{Name: "CI", Email: "ci@example.com"}}},
	}
	if err := s.ReplacePeople(ctx, people); err != nil {
		t.Fatal(err)
	}
	r, err = s.TallyEvents(ctx, third.Mark)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[string]string{"ann@example.com": "ann", "ann2@example.com": "ann", "ci@example.com": "bot"}, r.PersonOf); diff != "" {
		t.Errorf("PersonOf (-want +got):\n%s", diff)
	}
	wantPeople := []catalog.Person{{ID: "ann", Name: "Ann", Email: "Ann@Example.com", Identities: []catalog.Identity{{Email: "Ann@Example.com"}, {Email: "ann2@example.com"}}}}
	if diff := cmp.Diff(wantPeople, r.People, opts); diff != "" {
		t.Errorf("People (-want +got):\n%s", diff)
	}
}

// testTallyConcurrent checks that reading from the mark of the previous
// read, while several writers record events at once, misses no event and
// reads none twice, whatever order the writers commit in.
func testTallyConcurrent(t *testing.T, s store.Store) {
	ctx := context.Background()
	const writers, batches = 4, 15
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for b := range batches {
				key := fmt.Sprintf("github.com/org/w%d", w)
				evs := []catalog.Event{
					{ID: fmt.Sprintf("w%d-%d-x", w, b), Kind: "review", Source: catalog.EventForge, ProjectKey: key, Email: "x@example.com", At: t0, Points: 3},
					{ID: fmt.Sprintf("w%d-%d-y", w, b), Kind: "review", Source: catalog.EventForge, ProjectKey: key, Email: "y@example.com", At: t0, Points: 3},
				}
				if _, err := s.AddEvents(ctx, key, "", evs); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	seen := map[string]int{}
	var mark int64
	read := func() {
		r, err := s.TallyEvents(ctx, mark)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range r.Events {
			seen[e.ID]++
		}
		mark = r.Mark
	}
	for running := true; running; {
		select {
		case <-done:
			running = false
		default:
			read()
		}
	}
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	read()
	if len(seen) != writers*batches*2 {
		t.Errorf("read %d distinct events incrementally, want %d", len(seen), writers*batches*2)
	}
	for id, n := range seen {
		if n != 1 {
			t.Errorf("event %s read %d times", id, n)
		}
	}
}
