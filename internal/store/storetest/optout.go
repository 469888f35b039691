package storetest

import (
	"context"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/store"
)

// optOutTests cover store.OptOutStore.
var optOutTests = []namedTest{
	{"OptOuts", testOptOuts},
}

// testOptOuts sets, changes and withdraws opt-outs, each audited in its
// transaction, and checks that a choice outlives the people it names
// being rebuilt and that it leaves Generation alone.
func testOptOuts(t *testing.T, s store.Store) {
	ctx := context.Background()
	by := func() *catalog.AuditEntry {
		return &catalog.AuditEntry{At: t0, Actor: "ann@example.com", Source: "hub", Action: "person.opt-out"}
	}
	gen, err := s.Generation(ctx)
	if err != nil {
		t.Fatal(err)
	}
	e1 := by()
	if err := s.SetOptOut(ctx, catalog.OptOut{PersonID: "p-ann", Experts: true, UpdatedAt: t0}, e1); err != nil {
		t.Fatal(err)
	}
	if e1.Object != "person:p-ann" || e1.Before != `{"experts":false,"recommendations":false}` || e1.After != `{"experts":true,"recommendations":false}` {
		t.Errorf("audit entry: %+v", e1)
	}
	if err := s.SetOptOut(ctx, catalog.OptOut{PersonID: "p-bob", Recommendations: true, UpdatedAt: t0}, nil); err != nil {
		t.Fatal(err)
	}
	if err := s.ReplacePeople(ctx, nil); err != nil {
		t.Fatal(err)
	}
	got, err := s.OptOuts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := []catalog.OptOut{
		{PersonID: "p-ann", Experts: true, UpdatedAt: t0},
		{PersonID: "p-bob", Recommendations: true, UpdatedAt: t0},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("OptOuts (-want +got):\n%s", d)
	}
	// Opting back in to everything removes the row.
	e2 := by()
	if err := s.SetOptOut(ctx, catalog.OptOut{PersonID: "p-ann"}, e2); err != nil {
		t.Fatal(err)
	}
	if e2.Before != `{"experts":true,"recommendations":false}` || e2.Seq != e1.Seq+1 {
		t.Errorf("second audit entry: %+v", e2)
	}
	if got, _ = s.OptOuts(ctx); len(got) != 1 || got[0].PersonID != "p-bob" {
		t.Errorf("after opting back in: %+v", got)
	}
	if err := s.SetOptOut(ctx, catalog.OptOut{PersonID: " ", Experts: true}, nil); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("no person: got %v, want ErrInvalid", err)
	}
	// An entry the log refuses (no actor) undoes the change.
	if err := s.SetOptOut(ctx, catalog.OptOut{PersonID: "p-cat", Experts: true}, &catalog.AuditEntry{At: t0}); err == nil {
		t.Error("an audit entry without an actor was accepted")
	}
	if got, _ = s.OptOuts(ctx); len(got) != 1 {
		t.Errorf("a refused entry left the change: %+v", got)
	}
	if after, _ := s.Generation(ctx); after != gen+1 {
		// ReplacePeople advanced it once; the opt-outs did not.
		t.Errorf("Generation went from %d to %d, want one step (ReplacePeople's)", gen, after)
	}
}
