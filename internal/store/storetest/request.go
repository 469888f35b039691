package storetest

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/governance"
	"github.com/ospo-project/ospo/internal/notify"
	"github.com/ospo-project/ospo/internal/store"
)

var requestTests = []namedTest{
	{"Requests/RoundTrip", testRequestRoundTrip},
	{"Requests/Invalid", testRequestInvalid},
	{"Requests/Stale", testRequestStale},
	{"Requests/ConcurrentDecisions", testRequestConcurrent},
	{"Requests/RandomSequences", testRequestRandom},
	{"Requests/ApprovedContribution", testApprovedContribution},
	{"Estate/RoundTrip", testExternalProjects},
	{"Notify/Preferences", testNotifyPreferences},
}

func draft(kind governance.Kind, subject, requester string) governance.Request {
	r, err := governance.New(governance.Draft{Kind: kind, Subject: subject, Requester: requester,
		Title:   "Open <b>source</b> it & \"quote\" \x00",
		Details: governance.Details{Reason: "ünï reason"}, Answers: map[string]string{"telemetry": "no"}},
		governance.Policies{}.For(kind), t0)
	if err != nil {
		panic(err)
	}
	r.Commit = "0123456789abcdef0123456789abcdef01234567"
	r.Checklist = append(r.Checklist, governance.Item{ID: governance.ItemLicense, Title: "Licence", Auto: true,
		Status: governance.Pass, Value: "MIT", Evidence: []string{"LICENSE"}, Commit: r.Commit})
	return *r
}

func auditBy(action string) *catalog.AuditEntry {
	return &catalog.AuditEntry{At: t0, Actor: "ann@example.com", Source: "cli", Action: action}
}

// testRequestRoundTrip checks that a request round-trips whole, that
// listings filter and order it, and that creation is audited.
func testRequestRoundTrip(t *testing.T, s store.Store) {
	ctx := context.Background()
	if _, err := s.Request(ctx, 1); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("Request of none: %v, want ErrNotFound", err)
	}
	a, err := s.CreateRequest(ctx, draft(governance.KindOpenSource, "acme/tool", "Ann@Example.com"), auditBy("request.open"))
	if err != nil {
		t.Fatal(err)
	}
	if a.ID == 0 || a.Version != 1 || a.Requester != "ann@example.com" {
		t.Fatalf("created %+v", a)
	}
	b, err := s.CreateRequest(ctx, draft(governance.KindContribute, "https://github.com/x/y", "bob@example.com"), nil)
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.Request(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := a
	want.Title = "Open <b>source</b> it & \"quote\" \uFFFD"
	if diff := cmp.Diff(want, *got, opts); diff != "" {
		t.Errorf("Request (-want +got):\n%s", diff)
	}
	for _, tt := range []struct {
		f    governance.RequestFilter
		want []int64
	}{
		{governance.RequestFilter{}, []int64{b.ID, a.ID}},
		{governance.RequestFilter{Kind: governance.KindOpenSource}, []int64{a.ID}},
		{governance.RequestFilter{Requester: "ANN@example.com"}, []int64{a.ID}},
		{governance.RequestFilter{Subject: "https://github.com/x/y"}, []int64{b.ID}},
		{governance.RequestFilter{State: governance.StateApproved}, nil},
		{governance.RequestFilter{Limit: 1}, []int64{b.ID}},
	} {
		rs, err := s.ListRequests(ctx, tt.f)
		if err != nil {
			t.Fatal(err)
		}
		var ids []int64
		for _, r := range rs {
			ids = append(ids, r.ID)
		}
		if !slicesEqual(ids, tt.want) {
			t.Errorf("ListRequests(%+v) = %v, want %v", tt.f, ids, tt.want)
		}
	}
	es, err := s.ListAudit(ctx, store.AuditFilter{Object: fmt.Sprintf("request:%d", a.ID)})
	if err != nil || len(es) != 1 || es[0].Action != "request.open" || es[0].After == "" {
		t.Errorf("audit of the creation: %+v, %v", es, err)
	}
}

func slicesEqual(a, b []int64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func testRequestInvalid(t *testing.T, s store.Store) {
	ctx := context.Background()
	for name, mod := range map[string]func(*governance.Request){
		"kind":      func(r *governance.Request) { r.Kind = "merge" },
		"state":     func(r *governance.Request) { r.State = "limbo" },
		"subject":   func(r *governance.Request) { r.Subject = " " },
		"requester": func(r *governance.Request) { r.Requester = "" },
		"created":   func(r *governance.Request) { r.CreatedAt = time.Time{} },
	} {
		r := draft(governance.KindOpenSource, "acme/tool", "ann@example.com")
		mod(&r)
		if _, err := s.CreateRequest(ctx, r, auditBy("request.open")); !errors.Is(err, store.ErrInvalid) {
			t.Errorf("%s: %v, want ErrInvalid", name, err)
		}
	}
	if n, _ := s.ListAudit(ctx, store.AuditFilter{}); len(n) != 0 {
		t.Errorf("refused creations audited: %d entries", len(n))
	}
	r := draft(governance.KindOpenSource, "acme/tool", "ann@example.com")
	r.ID, r.Version = 99, 1
	if _, err := s.UpdateRequest(ctx, r, nil); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("UpdateRequest of none: %v, want ErrNotFound", err)
	}
}

// testRequestStale checks the compare-and-set: two updates from one
// version, the second is refused, writes nothing and audits nothing.
func testRequestStale(t *testing.T, s store.Store) {
	ctx := context.Background()
	r, err := s.CreateRequest(ctx, draft(governance.KindOpenSource, "acme/tool", "ann@example.com"), nil)
	if err != nil {
		t.Fatal(err)
	}
	one, two := r, r
	one.State = governance.StateWithdrawn
	got, err := s.UpdateRequest(ctx, one, auditBy("request.withdraw"))
	if err != nil || got.Version != 2 {
		t.Fatalf("first update: %+v, %v", got, err)
	}
	two.State = governance.StateApproved
	if _, err := s.UpdateRequest(ctx, two, auditBy("request.approve")); !errors.Is(err, store.ErrStale) || !errors.Is(err, catalog.ErrConflict) {
		t.Fatalf("stale update: %v, want ErrStale", err)
	}
	now, _ := s.Request(ctx, r.ID)
	if now.State != governance.StateWithdrawn || now.Version != 2 {
		t.Errorf("after a stale update: %s v%d", now.State, now.Version)
	}
	es, _ := s.ListAudit(ctx, store.AuditFilter{Action: "request."})
	if len(es) != 1 || es[0].Action != "request.withdraw" {
		t.Errorf("audit: %+v", es)
	}
}

// act applies step to the stored request id the way the workflow does:
// read, apply, update, and on ErrStale read again and retry.
func act(ctx context.Context, s store.Store, id int64, p governance.Policy, step governance.Step) (*governance.Request, error) {
	for {
		r, err := s.Request(ctx, id)
		if err != nil {
			return nil, err
		}
		bypass, err := governance.Apply(r, p, step)
		if err != nil {
			return r, err
		}
		by := &catalog.AuditEntry{At: step.At, Actor: step.By.Email, Source: "test", Action: governance.AuditAction(step.Action, bypass)}
		got, err := s.UpdateRequest(ctx, *r, by)
		if errors.Is(err, store.ErrStale) {
			continue
		}
		return &got, err
	}
}

// testRequestConcurrent has reviewers approve and reject one request at
// once, many times over: exactly one decision is stored, and the audit log
// holds exactly the successful actions.
func testRequestConcurrent(t *testing.T, s store.Store) {
	ctx := context.Background()
	p := governance.Policies{}.For(governance.KindContribute) // one approval decides
	for round := range 5 {
		r, err := s.CreateRequest(ctx, draft(governance.KindContribute, fmt.Sprintf("github.com/x/y%d", round), "ann@example.com"), nil)
		if err != nil {
			t.Fatal(err)
		}
		const n = 8
		var wg sync.WaitGroup
		errs := make([]error, n)
		for i := range n {
			wg.Go(func() {
				step := governance.Step{Action: governance.ActApprove, At: t0.Add(time.Minute),
					By: governance.Actor{Email: fmt.Sprintf("rev%d@example.com", i), Role: catalog.RoleOSPO}}
				if i%2 == 1 {
					step.Action, step.Text = governance.ActReject, "no"
				}
				_, errs[i] = act(ctx, s, r.ID, p, step)
			})
		}
		wg.Wait()
		won := 0
		for _, err := range errs {
			switch {
			case err == nil:
				won++
			case errors.Is(err, governance.ErrState):
			default:
				t.Fatalf("round %d: %v", round, err)
			}
		}
		got, err := s.Request(ctx, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		if won != 1 || len(got.Events) != 2 || got.Version != 2 {
			t.Fatalf("round %d: %d winners, %d events, version %d; want 1, 2, 2", round, won, len(got.Events), got.Version)
		}
		if (got.State == governance.StateApproved) != (len(got.Approvals) == 1) || (got.State != governance.StateApproved && got.State != governance.StateRejected) {
			t.Fatalf("round %d: state %s with %d approvals", round, got.State, len(got.Approvals))
		}
		es, err := s.ListAudit(ctx, store.AuditFilter{Object: fmt.Sprintf("request:%d", r.ID)})
		if err != nil || len(es) != 1 {
			t.Fatalf("round %d: %d audit entries, want 1 (%v)", round, len(es), err)
		}
	}
}

// testRequestRandom applies random sequences of actions through the store
// and the same sequence to an in-memory model: after each step the stored
// request is the model's.
func testRequestRandom(t *testing.T, s store.Store) {
	ctx := context.Background()
	actors := []governance.Actor{
		{Email: "ann@example.com", Role: catalog.RoleDeveloper},
		{Email: "olga@example.com", Role: catalog.RoleOSPO},
		{Email: "oscar@example.com", Role: catalog.RoleOSPO},
		{Email: "adam@example.com", Role: catalog.RoleAdmin},
	}
	actions := []governance.Action{governance.ActApprove, governance.ActReject, governance.ActComment,
		governance.ActReopen, governance.ActWithdraw, governance.ActInvalidate}
	for seed := range uint64(6) {
		rng := rand.New(rand.NewPCG(seed, 42))
		p := governance.Policies{governance.KindOpenSource: {AdminBypass: seed%2 == 0}}.For(governance.KindOpenSource)
		created, err := s.CreateRequest(ctx, draft(governance.KindOpenSource, fmt.Sprintf("acme/p%d", seed), actors[rng.IntN(len(actors))].Email), nil)
		if err != nil {
			t.Fatal(err)
		}
		model := created
		for i := range 25 {
			step := governance.Step{Action: actions[rng.IntN(len(actions))], By: actors[rng.IntN(len(actors))],
				At: t0.Add(time.Duration(i+1) * time.Second)}
			if rng.IntN(4) > 0 {
				step.Text = fmt.Sprintf("step %d <i>", i)
			}
			_, merr := governance.Apply(&model, p, step)
			if merr == nil {
				model.Version++
			}
			got, err := act(ctx, s, created.ID, p, step)
			if (merr == nil) != (err == nil) {
				t.Fatalf("seed %d step %d %s: model %v, store %v", seed, i, step.Action, merr, err)
			}
			if diff := cmp.Diff(model, *got, opts); diff != "" {
				t.Fatalf("seed %d step %d: stored request differs from the model (-model +store):\n%s", seed, i, diff)
			}
		}
	}
}

func testApprovedContribution(t *testing.T, s store.Store) {
	ctx := context.Background()
	p := governance.Policies{}.For(governance.KindContribute)
	r, err := s.CreateRequest(ctx, draft(governance.KindContribute, "https://github.com/acme/lib", "ann@example.com"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := governance.ApprovedContribution(ctx, s, "git@github.com:acme/lib.git", t0); err != nil || got != nil {
		t.Fatalf("before approval: %v, %v", got, err)
	}
	if _, err := act(ctx, s, r.ID, p, governance.Step{Action: governance.ActApprove, At: t0,
		By: governance.Actor{Email: "olga@example.com", Role: catalog.RoleOSPO}}); err != nil {
		t.Fatal(err)
	}
	got, err := governance.ApprovedContribution(ctx, s, "git@github.com:acme/lib.git", t0)
	if err != nil || got == nil || got.ID != r.ID {
		t.Fatalf("after approval: %v, %v", got, err)
	}
}

func testExternalProjects(t *testing.T, s store.Store) {
	ctx := context.Background()
	if _, err := s.ExternalProject(ctx, "nope"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("unknown: %v", err)
	}
	if _, err := s.SaveExternalProject(ctx, governance.ExternalProject{Name: "x", Lifecycle: "dead"}, nil); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("bad lifecycle: %v", err)
	}
	p := governance.ExternalProject{Name: "Acme-Tool", URL: "https://github.com/acme/tool", Relation: governance.RelationPublic,
		Lifecycle: governance.LifecycleActive, Owners: []string{"Ann@example.com"}, Requests: []int64{3},
		ReviewDue: t0.AddDate(1, 0, 0), License: "MIT", Notes: "<script>x</script>", CreatedAt: t0, UpdatedAt: t0}
	got, err := s.SaveExternalProject(ctx, p, auditBy("estate.create"))
	if err != nil {
		t.Fatal(err)
	}
	if got.ID == 0 || got.Version != 1 || got.Owners[0] != "ann@example.com" {
		t.Fatalf("saved %+v", got)
	}
	if _, err := s.SaveExternalProject(ctx, governance.ExternalProject{Name: "acme-tool", Lifecycle: governance.LifecycleProposed}, nil); !errors.Is(err, store.ErrExists) {
		t.Errorf("same name: %v, want ErrExists", err)
	}
	byName, err := s.ExternalProject(ctx, "ACME-TOOL")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(got, *byName, opts); diff != "" {
		t.Errorf("by name (-want +got):\n%s", diff)
	}
	stale := got
	got.Lifecycle = governance.LifecycleDeprecated
	upd, err := s.SaveExternalProject(ctx, got, auditBy("estate.update"))
	if err != nil || upd.Version != 2 || upd.Lifecycle != governance.LifecycleDeprecated {
		t.Fatalf("update: %+v, %v", upd, err)
	}
	if _, err := s.SaveExternalProject(ctx, stale, nil); !errors.Is(err, store.ErrStale) {
		t.Errorf("stale update: %v, want ErrStale", err)
	}
	if _, err := s.SaveExternalProject(ctx, governance.ExternalProject{Name: "b", Lifecycle: governance.LifecycleProposed}, nil); err != nil {
		t.Fatal(err)
	}
	all, err := s.ExternalProjects(ctx)
	if err != nil || len(all) != 2 || all[0].Name != "Acme-Tool" || all[1].Name != "b" {
		t.Fatalf("ExternalProjects = %+v, %v", all, err)
	}
	es, _ := s.ListAudit(ctx, store.AuditFilter{Action: "estate."})
	if len(es) != 2 || es[1].Before == "" {
		t.Errorf("estate audit: %+v", es)
	}
}

func testNotifyPreferences(t *testing.T, s store.Store) {
	ctx := context.Background()
	p, err := s.NotifyPreferences(ctx, "ann@example.com")
	if err != nil || !cmp.Equal(p, notify.Preferences{}, opts) {
		t.Fatalf("default preferences: %+v, %v", p, err)
	}
	want := notify.Preferences{NoEmail: true, Webhook: "https://hooks.example.com/secret-path", Format: "slack", Mute: []string{"digest"}}
	if err := s.SetNotifyPreferences(ctx, "Ann@Example.com", want, auditBy("notify.set")); err != nil {
		t.Fatal(err)
	}
	got, err := s.NotifyPreferences(ctx, "ann@example.com")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got, opts); diff != "" {
		t.Errorf("preferences (-want +got):\n%s", diff)
	}
	if err := s.SetNotifyPreferences(ctx, " ", want, nil); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("empty e-mail: %v", err)
	}
	es, _ := s.ListAudit(ctx, store.AuditFilter{Action: "notify."})
	if len(es) != 1 || strings.Contains(es[0].After, "secret-path") {
		t.Errorf("audit of preferences must not hold the webhook URL: %+v", es)
	}
}
