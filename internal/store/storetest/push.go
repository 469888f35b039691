package storetest

import (
	"bytes"
	"context"
	"errors"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/store"
)

var pushTests = []namedTest{
	{"Pushes/RoundTrip", testPushRoundTrip},
	{"Pushes/Invalid", testPushInvalid},
	{"Pushes/Decide", testPushDecide},
	{"Pushes/FourEyes", testPushFourEyes},
	{"Pushes/ConcurrentDecisions", testPushConcurrentDecisions},
	{"Pushes/Expire", testPushExpire},
}

// Held pushes older than the cut-off expire: their packs go, each is
// audited; newer held pushes and decided ones stay as they are.
func testPushExpire(t *testing.T, s store.Store) {
	ctx := context.Background()
	old, err := s.CreatePush(ctx, heldPush("https://git.example/a.git", "ann@example.com", t0), []byte("old"), nil)
	if err != nil {
		t.Fatal(err)
	}
	decided, err := s.CreatePush(ctx, heldPush("https://git.example/a.git", "ann@example.com", t0), []byte("decided"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.DecidePush(ctx, decided.ID, store.PushDecision{Approve: true, By: "bob@example.com", At: t0}, nil); err != nil {
		t.Fatal(err)
	}
	recent, err := s.CreatePush(ctx, heldPush("https://git.example/b.git", "ann@example.com", t0.Add(48*time.Hour)), []byte("recent"), nil)
	if err != nil {
		t.Fatal(err)
	}
	by := &catalog.AuditEntry{At: t0.Add(72 * time.Hour), Actor: "ospo-proxy", Source: "proxy", Action: "push.expire"}
	got, err := s.ExpirePushes(ctx, t0.Add(24*time.Hour), t0.Add(72*time.Hour), "not decided within 24h", by)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].ID != old.ID || got[0].Status != catalog.PushExpired || got[0].Reason != "not decided within 24h" ||
		!got[0].DecidedAt.Equal(t0.Add(72*time.Hour)) {
		t.Fatalf("ExpirePushes = %+v, want push %d expired", got, old.ID)
	}
	if _, err := s.PushPack(ctx, old.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("the pack of an expired push is kept: %v", err)
	}
	for _, id := range []int64{decided.ID, recent.ID} {
		if _, err := s.PushPack(ctx, id); err != nil {
			t.Errorf("push %d lost its pack: %v", id, err)
		}
	}
	if p, _ := s.Push(ctx, recent.ID); p.Status != catalog.PushHeld {
		t.Errorf("a recent held push became %s", p.Status)
	}
	if p, _ := s.Push(ctx, decided.ID); p.Status != catalog.PushApproved {
		t.Errorf("an approved push became %s", p.Status)
	}
	entries, err := s.ListAudit(ctx, store.AuditFilter{Object: pushObjectName(old.ID)})
	if err != nil || len(entries) != 1 || entries[0].Action != "push.expire" || !strings.Contains(entries[0].After, `"expired"`) {
		t.Errorf("audit of the expired push = %+v, %v", entries, err)
	}
	if by.Object != "" {
		t.Errorf("the template entry was changed: %+v", by)
	}
	// Again: nothing left to expire.
	if got, err := s.ExpirePushes(ctx, t0.Add(24*time.Hour), t0.Add(73*time.Hour), "x", by); err != nil || len(got) != 0 {
		t.Errorf("second ExpirePushes = %+v, %v", got, err)
	}
}

func pushObjectName(id int64) string { return "push:" + strconv.FormatInt(id, 10) }

func heldPush(upstream, pusher string, at time.Time) catalog.Push {
	return catalog.Push{
		Upstream: upstream, Pusher: pusher, Status: catalog.PushHeld,
		Refs: []catalog.PushRef{{Ref: "refs/heads/main", Old: "a1", New: "b2"}},
		Commits: []catalog.PushCommit{{SHA: "b2", AuthorName: "Ann Émile", AuthorEmail: "ann@example.com",
			CommitterEmail: "ann@example.com", Subject: "Fix the parser\x00"}},
		Findings: []catalog.PushFinding{{Check: "hook", Severity: catalog.SeverityReview, Message: "needs review"},
			{Check: "secret", Severity: catalog.SeverityReject, Commit: "b2", Path: "a.py", Line: 3, Rule: "aws-access-token",
				Message: "AKIA****", Hash: "ff"}},
		PackSize:  12,
		CreatedAt: at,
	}
}

func testPushRoundTrip(t *testing.T, s store.Store) {
	ctx := context.Background()
	pack := []byte("PACK\x00\x01\x02binary\xff")
	by := &catalog.AuditEntry{At: t0, Actor: "ann@example.com", Source: "proxy", Action: "push.receive"}
	p, err := s.CreatePush(ctx, heldPush("https://git.example/org/a.git", "Ann@Example.com", t0), pack, by)
	if err != nil {
		t.Fatal(err)
	}
	if p.ID == 0 || p.Pusher != "ann@example.com" {
		t.Errorf("CreatePush = %+v, want an ID and the lower-cased pusher", p)
	}
	if by.Object != "push:1" && by.Object == "" || by.Seq == 0 {
		t.Errorf("audit entry %+v not appended", by)
	}
	got, err := s.Push(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := heldPush("https://git.example/org/a.git", "ann@example.com", t0)
	want.ID = p.ID
	want.Commits[0].Subject = "Fix the parser\uFFFD"
	if diff := cmp.Diff(&want, got, opts); diff != "" {
		t.Errorf("Push (-want +got):\n%s", diff)
	}
	if b, err := s.PushPack(ctx, p.ID); err != nil || !bytes.Equal(b, pack) {
		t.Errorf("PushPack = %q, %v; want %q", b, err, pack)
	}
	r, err := s.CreatePush(ctx, catalog.Push{Upstream: "https://git.example/org/b.git", Pusher: "bob@example.com",
		Status: catalog.PushRejected, Refs: []catalog.PushRef{{Ref: "refs/heads/x", Old: "0", New: "1"}}, CreatedAt: t0.Add(time.Minute)}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.PushPack(ctx, r.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("PushPack of a rejected push = %v, want ErrNotFound", err)
	}
	for _, tc := range []struct {
		f    store.PushFilter
		want []int64
	}{
		{store.PushFilter{}, []int64{r.ID, p.ID}},
		{store.PushFilter{Status: catalog.PushHeld}, []int64{p.ID}},
		{store.PushFilter{Upstream: "https://git.example/org/b.git"}, []int64{r.ID}},
		{store.PushFilter{Limit: 1}, []int64{r.ID}},
		{store.PushFilter{Status: catalog.PushForwarded}, nil},
	} {
		list, err := s.ListPushes(ctx, tc.f)
		if err != nil {
			t.Fatal(err)
		}
		var ids []int64
		for _, p := range list {
			ids = append(ids, p.ID)
		}
		if diff := cmp.Diff(tc.want, ids, opts); diff != "" {
			t.Errorf("ListPushes(%+v) (-want +got):\n%s", tc.f, diff)
		}
	}
	if _, err := s.Push(ctx, 999); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Push(999) = %v, want ErrNotFound", err)
	}
}

func testPushInvalid(t *testing.T, s store.Store) {
	ctx := context.Background()
	ok := heldPush("https://git.example/a.git", "ann@example.com", t0)
	for name, tc := range map[string]struct {
		p    func(catalog.Push) catalog.Push
		pack []byte
	}{
		"unknown status":    {func(p catalog.Push) catalog.Push { p.Status = "pending"; return p }, []byte("x")},
		"no upstream":       {func(p catalog.Push) catalog.Push { p.Upstream = " "; return p }, []byte("x")},
		"no pusher":         {func(p catalog.Push) catalog.Push { p.Pusher = ""; return p }, []byte("x")},
		"held without pack": {func(p catalog.Push) catalog.Push { return p }, nil},
	} {
		if _, err := s.CreatePush(ctx, tc.p(ok), tc.pack, nil); !errors.Is(err, store.ErrInvalid) {
			t.Errorf("%s: CreatePush = %v, want ErrInvalid", name, err)
		}
	}
	if list, _ := s.ListPushes(ctx, store.PushFilter{}); len(list) != 0 {
		t.Errorf("invalid pushes stored: %v", list)
	}
}

func testPushDecide(t *testing.T, s store.Store) {
	ctx := context.Background()
	p1, err := s.CreatePush(ctx, heldPush("https://git.example/a.git", "ann@example.com", t0), []byte("pack1"), nil)
	if err != nil {
		t.Fatal(err)
	}
	p2, err := s.CreatePush(ctx, heldPush("https://git.example/a.git", "ann@example.com", t0), []byte("pack2"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.ForwardedPush(ctx, p1.ID, t0, nil); !errors.Is(err, store.ErrPushState) {
		t.Errorf("ForwardedPush of a held push = %v, want ErrPushState", err)
	}
	by := &catalog.AuditEntry{At: t0, Actor: "bob@example.com", Source: "hub", Action: "push.approve"}
	before, after, err := s.DecidePush(ctx, p1.ID, store.PushDecision{Approve: true, By: "Bob@example.com", At: t0.Add(time.Hour),
		Reason: "fine", Attestations: []string{"no client data"}}, by)
	if err != nil {
		t.Fatal(err)
	}
	if before.Status != catalog.PushHeld || after.Status != catalog.PushApproved || after.DecidedBy != "bob@example.com" ||
		!after.DecidedAt.Equal(t0.Add(time.Hour)) || after.Reason != "fine" || len(after.Attestations) != 1 {
		t.Errorf("DecidePush = %+v -> %+v", before, after)
	}
	if by.Object != "push:1" || by.Before == "" || by.After == "" {
		t.Errorf("decision audit entry = %+v", by)
	}
	if _, _, err := s.DecidePush(ctx, p1.ID, store.PushDecision{Approve: false, By: "carol@example.com"}, nil); !errors.Is(err, store.ErrPushState) {
		t.Errorf("deciding an approved push = %v, want ErrPushState", err)
	}
	if err := s.PushForwardFailed(ctx, p1.ID, "upstream down", false, nil); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Push(ctx, p1.ID); got.Status != catalog.PushApproved || got.Error != "upstream down" {
		t.Errorf("after a failed forward: %+v", got)
	}
	if _, err := s.PushPack(ctx, p1.ID); err != nil {
		t.Errorf("the pack of an approved push is gone: %v", err)
	}
	fwd, err := s.ForwardedPush(ctx, p1.ID, t0.Add(2*time.Hour), nil)
	if err != nil {
		t.Fatal(err)
	}
	if fwd.Status != catalog.PushForwarded || !fwd.ForwardedAt.Equal(t0.Add(2*time.Hour)) || fwd.Error != "" {
		t.Errorf("ForwardedPush = %+v", fwd)
	}
	if _, err := s.PushPack(ctx, p1.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("the pack of a forwarded push is kept: %v", err)
	}
	if err := s.PushForwardFailed(ctx, p1.ID, "x", false, nil); !errors.Is(err, store.ErrPushState) {
		t.Errorf("PushForwardFailed on a forwarded push = %v, want ErrPushState", err)
	}

	p3, err := s.CreatePush(ctx, heldPush("https://git.example/a.git", "ann@example.com", t0), []byte("pack3"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.DecidePush(ctx, p3.ID, store.PushDecision{Approve: true, By: "bob@example.com"}, nil); err != nil {
		t.Fatal(err)
	}
	if err := s.PushForwardFailed(ctx, p3.ID, "stale info: the upstream moved", true, nil); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Push(ctx, p3.ID); got.Status != catalog.PushFailed || got.Error == "" {
		t.Errorf("after a final forward failure: %+v", got)
	}
	if _, err := s.PushPack(ctx, p3.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("the pack of a failed push is kept: %v", err)
	}

	if _, after, err := s.DecidePush(ctx, p2.ID, store.PushDecision{By: "bob@example.com", Reason: "client name in a test"}, nil); err != nil || after.Status != catalog.PushRejected {
		t.Fatalf("reject = %+v, %v", after, err)
	}
	if _, err := s.PushPack(ctx, p2.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("the pack of a rejected push is kept: %v", err)
	}
	if _, _, err := s.DecidePush(ctx, 999, store.PushDecision{By: "bob@example.com"}, nil); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("DecidePush(999) = %v, want ErrNotFound", err)
	}
}

// The pusher never decides on their own push, whatever their role: the
// store refuses it, not only the callers.
func testPushFourEyes(t *testing.T, s store.Store) {
	ctx := context.Background()
	p, err := s.CreatePush(ctx, heldPush("https://git.example/a.git", "ann@example.com", t0), []byte("pack"), nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, approve := range []bool{true, false} {
		by := &catalog.AuditEntry{At: t0, Actor: "ann@example.com", Source: "cli", Action: "push.approve"}
		if _, _, err := s.DecidePush(ctx, p.ID, store.PushDecision{Approve: approve, By: "ANN@example.com"}, by); !errors.Is(err, store.ErrSelfApproval) {
			t.Errorf("self-decision (approve=%v) = %v, want ErrSelfApproval", approve, err)
		}
		if by.Seq != 0 {
			t.Errorf("a refused decision was audited: %+v", by)
		}
	}
	if got, _ := s.Push(ctx, p.ID); got.Status != catalog.PushHeld {
		t.Errorf("status after refused self-decisions = %s", got.Status)
	}
}

// Two reviewers deciding at once: exactly one decision wins.
func testPushConcurrentDecisions(t *testing.T, s store.Store) {
	ctx := context.Background()
	p, err := s.CreatePush(ctx, heldPush("https://git.example/a.git", "ann@example.com", t0), []byte("pack"), nil)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make([]error, 6)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, _, errs[i] = s.DecidePush(ctx, p.ID, store.PushDecision{Approve: i%2 == 0, By: "bob@example.com"},
				&catalog.AuditEntry{At: t0, Actor: "bob@example.com", Source: "hub", Action: "push.decide"})
		}()
	}
	wg.Wait()
	won := 0
	for _, err := range errs {
		switch {
		case err == nil:
			won++
		case !errors.Is(err, store.ErrPushState):
			t.Errorf("DecidePush = %v, want nil or ErrPushState", err)
		}
	}
	if won != 1 {
		t.Errorf("%d decisions won, want 1", won)
	}
	entries, err := s.ListAudit(ctx, store.AuditFilter{Object: "push:1"})
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 {
		t.Errorf("%d decision entries audited, want 1", len(entries))
	}
}
