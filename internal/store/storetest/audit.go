package storetest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ospo-project/ospo/internal/audit"
	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/store"
)

// auditTests cover store.AuditStore.
var auditTests = []namedTest{
	{"Audit/AppendAndList", testAuditAppend},
	{"Audit/Invalid", testAuditInvalid},
	{"Audit/Concurrent", testAuditConcurrent},
	{"Audit/Entries", testAuditEntries},
}

func entry(i int, actor, action string) catalog.AuditEntry {
	return catalog.AuditEntry{At: t0.Add(time.Duration(i) * time.Minute), Actor: actor, Source: "cli", Address: "",
		Action: action, Object: fmt.Sprintf("account:%d@example.com", i), Before: `{"role":"viewer"}`, After: `{"role":"admin"}`}
}

func testAuditAppend(t *testing.T, s store.Store) {
	ctx := context.Background()
	var want []catalog.AuditEntry
	for i, a := range []struct{ actor, action string }{
		{"root", "account.create"}, {"ann@example.com", "token.create"}, {"root", "account.set-role"}, {"ann@example.com", "token.revoke"},
	} {
		e := entry(i, a.actor, a.action)
		if i == 2 {
			e.Person = "Ann \xff Example" // not UTF-8: cleaned before it is sealed
		}
		got, err := s.AppendAudit(ctx, e)
		if err != nil {
			t.Fatal(err)
		}
		if got.Seq != int64(i+1) || got.Hash == "" || got.Hash != audit.Hash(&got) {
			t.Fatalf("AppendAudit = %+v, want seq %d and a hash over the entry", got, i+1)
		}
		if i == 0 && got.PrevHash != audit.Genesis || i > 0 && got.PrevHash != want[i-1].Hash {
			t.Fatalf("entry %d is not chained: prev %s", got.Seq, got.PrevHash)
		}
		want = append(want, got)
	}
	all, err := s.ListAudit(ctx, store.AuditFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, all, opts); diff != "" {
		t.Errorf("ListAudit (-want +got):\n%s", diff)
	}
	seqs := func(f store.AuditFilter) []int64 {
		es, err := s.ListAudit(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		var out []int64
		for _, e := range es {
			out = append(out, e.Seq)
		}
		return out
	}
	for _, tc := range []struct {
		f    store.AuditFilter
		want []int64
	}{
		{store.AuditFilter{Actor: "root"}, []int64{1, 3}},
		{store.AuditFilter{Since: t0.Add(time.Minute)}, []int64{2, 3, 4}},
		{store.AuditFilter{Since: t0.Add(time.Minute), Until: t0.Add(3 * time.Minute)}, []int64{2, 3}},
		{store.AuditFilter{Action: "token."}, []int64{2, 4}},
		{store.AuditFilter{Action: "token"}, nil},
		{store.AuditFilter{Action: "account.create"}, []int64{1}},
		{store.AuditFilter{Object: "account:2@example.com"}, []int64{3}},
		{store.AuditFilter{Newest: true, Limit: 2}, []int64{4, 3}},
		{store.AuditFilter{AfterSeq: 2, Limit: 1}, []int64{3}},
		{store.AuditFilter{BeforeSeq: 4, Newest: true, Limit: 2}, []int64{3, 2}},
	} {
		if diff := cmp.Diff(tc.want, seqs(tc.f)); diff != "" {
			t.Errorf("ListAudit(%+v) (-want +got):\n%s", tc.f, diff)
		}
	}
}

func testAuditInvalid(t *testing.T, s store.Store) {
	ctx := context.Background()
	for _, e := range []catalog.AuditEntry{
		{At: t0, Actor: "root"},
		{At: t0, Action: "account.create"},
		{Actor: "root", Action: "account.create"},
	} {
		if _, err := s.AppendAudit(ctx, e); !errors.Is(err, store.ErrInvalid) {
			t.Errorf("AppendAudit(%+v) = %v, want ErrInvalid", e, err)
		}
	}
}

// testAuditConcurrent appends from many goroutines at once: the chain must
// come out whole, each entry chained to the one before.
func testAuditConcurrent(t *testing.T, s store.Store) {
	ctx := context.Background()
	const workers, each = 8, 10
	var wg sync.WaitGroup
	errs := make(chan error, workers*each)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				if _, err := s.AppendAudit(ctx, entry(w*each+i, fmt.Sprintf("worker-%d", w), "test.append")); err != nil {
					errs <- err
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatalf("AppendAudit: %v", err)
	}
	n, err := audit.Verify(s.AuditEntries(ctx))
	if err != nil || n != workers*each {
		t.Errorf("Verify = %d, %v; want %d entries and an intact chain", n, err, workers*each)
	}
}

func testAuditEntries(t *testing.T, s store.Store) {
	ctx := context.Background()
	if n, err := audit.Verify(s.AuditEntries(ctx)); n != 0 || err != nil {
		t.Errorf("Verify(empty log) = %d, %v", n, err)
	}
	var want []int64
	for i := range 25 {
		e, err := s.AppendAudit(ctx, entry(i, "root", "test.append"))
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, e.Seq)
	}
	var got []int64
	for e, err := range s.AuditEntries(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, e.Seq)
		if len(got) == 10 {
			break // stopping early is allowed
		}
	}
	if diff := cmp.Diff(want[:10], got); diff != "" {
		t.Errorf("AuditEntries (-want +got):\n%s", diff)
	}
	if n, err := audit.Verify(s.AuditEntries(ctx)); n != 25 || err != nil {
		t.Errorf("Verify = %d, %v; want 25 entries", n, err)
	}
}
