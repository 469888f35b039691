package storetest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/store"
)

var inboxTests = []namedTest{
	{"Inbox/States", testInboxStates},
	{"Inbox/StatesInvalid", testInboxStatesInvalid},
	{"Inbox/Digests", testInboxDigests},
}

// testInboxStates checks that inbox states round-trip per person, replace
// each other per item, are deleted, are audited in the same transaction
// and do not advance the generation.
func testInboxStates(t *testing.T, s store.Store) {
	ctx := context.Background()
	gen, err := s.Generation(ctx)
	if err != nil {
		t.Fatal(err)
	}
	by := func() *catalog.AuditEntry {
		return &catalog.AuditEntry{At: t0, Actor: "jane@example.com", Source: "hub", Action: "inbox.state"}
	}
	snooze := catalog.InboxState{Email: "Jane@Example.com", Item: "vulnerability:GHSA-1", State: catalog.InboxSnoozed,
		Fingerprint: "fp1", Until: t0.Add(48 * time.Hour), At: t0}
	got, err := s.SetInboxState(ctx, snooze, by())
	if err != nil {
		t.Fatal(err)
	}
	want := snooze
	want.Email = "jane@example.com"
	if diff := cmp.Diff(want, got, opts); diff != "" {
		t.Errorf("SetInboxState returned (-want +got):\n%s", diff)
	}
	done := catalog.InboxState{Email: "jane@example.com", Item: "license:x", State: catalog.InboxDone, Fingerprint: "fp2",
		Until: t0.Add(time.Hour), At: t0.Add(time.Minute)}
	if _, err := s.SetInboxState(ctx, done, by()); err != nil {
		t.Fatal(err)
	}
	done.Until = time.Time{} // done has no end
	other := catalog.InboxState{Email: "joe@example.com", Item: "license:x", State: catalog.InboxDone, Fingerprint: "fp3", At: t0}
	if _, err := s.SetInboxState(ctx, other, nil); err != nil {
		t.Fatal(err)
	}
	states, err := s.InboxStates(ctx, "JANE@example.com")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]catalog.InboxState{done, want}, states, opts); diff != "" {
		t.Errorf("InboxStates (-want +got):\n%s", diff)
	}
	// Replacing: the snooze becomes done with a new fingerprint.
	again := want
	again.State, again.Fingerprint, again.Until = catalog.InboxDone, "fp4", time.Time{}
	if _, err := s.SetInboxState(ctx, again, by()); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteInboxState(ctx, "jane@example.com", "license:x", by()); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteInboxState(ctx, "jane@example.com", "license:none", by()); err != nil {
		t.Errorf("deleting a state that does not exist: %v", err)
	}
	states, err = s.InboxStates(ctx, "jane@example.com")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]catalog.InboxState{again}, states, opts); diff != "" {
		t.Errorf("InboxStates after replace and delete (-want +got):\n%s", diff)
	}
	entries, err := s.ListAudit(ctx, store.AuditFilter{Action: "inbox.state"})
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 4 { // two sets, one replace, one delete (the no-op delete appends nothing)
		t.Fatalf("audit entries = %d, want 4: %+v", len(entries), entries)
	}
	if e := entries[2]; e.Object != "inbox:jane@example.com:vulnerability:GHSA-1" || e.Before == "" || e.After == "" {
		t.Errorf("replace entry = %+v, want object, before and after", e)
	}
	if e := entries[3]; e.Before == "" || e.After != "" {
		t.Errorf("delete entry = %+v, want before only", e)
	}
	if g, err := s.Generation(ctx); err != nil || g != gen {
		t.Errorf("generation after inbox writes = %d, %v; want %d (unchanged)", g, err, gen)
	}
}

func testInboxStatesInvalid(t *testing.T, s store.Store) {
	ctx := context.Background()
	for _, st := range []catalog.InboxState{
		{Item: "x", State: catalog.InboxDone},
		{Email: "a@example.com", State: catalog.InboxDone},
		{Email: "a@example.com", Item: "x", State: "archived"},
		{Email: "a@example.com", Item: "x", State: catalog.InboxSnoozed},
	} {
		if _, err := s.SetInboxState(ctx, st, nil); !errors.Is(err, store.ErrInvalid) {
			t.Errorf("SetInboxState(%+v) = %v, want ErrInvalid", st, err)
		}
	}
	if states, err := s.InboxStates(ctx, "a@example.com"); err != nil || len(states) != 0 {
		t.Errorf("InboxStates after refused writes = %v, %v; want none", states, err)
	}
}

// testInboxDigests checks that the time of the last digest round-trips
// per person and is replaced by the next.
func testInboxDigests(t *testing.T, s store.Store) {
	ctx := context.Background()
	if at, err := s.LastDigest(ctx, "jane@example.com"); err != nil || !at.IsZero() {
		t.Errorf("LastDigest before any = %v, %v; want zero", at, err)
	}
	for _, at := range []time.Time{t0, t0.Add(24 * time.Hour)} {
		if err := s.MarkDigestSent(ctx, "Jane@example.com", at); err != nil {
			t.Fatal(err)
		}
		if got, err := s.LastDigest(ctx, "jane@example.com"); err != nil || !got.Equal(at) {
			t.Errorf("LastDigest = %v, %v; want %v", got, err, at)
		}
	}
	if got, err := s.LastDigest(ctx, "joe@example.com"); err != nil || !got.IsZero() {
		t.Errorf("LastDigest of another person = %v, %v; want zero", got, err)
	}
	if err := s.MarkDigestSent(ctx, "", t0); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("MarkDigestSent without e-mail = %v, want ErrInvalid", err)
	}
}
