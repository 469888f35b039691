package audit_test

import (
	"errors"
	"fmt"
	"iter"
	"slices"
	"testing"
	"time"

	"github.com/ospo-project/ospo/internal/audit"
	"github.com/ospo-project/ospo/internal/catalog"
)

// chain returns n sealed entries, as a store would append them.
func chain(n int) []catalog.AuditEntry {
	out := make([]catalog.AuditEntry, n)
	prev := audit.Genesis
	for i := range out {
		out[i] = catalog.AuditEntry{Seq: int64(i + 1), At: time.Unix(1700000000+int64(i), 0).UTC(), Actor: "root", Source: "cli",
			Action: "account.create", Object: fmt.Sprintf("account:%d@example.com", i), After: `{"role":"viewer"}`}
		audit.Seal(&out[i], prev)
		prev = out[i].Hash
	}
	return out
}

func entries(es []catalog.AuditEntry) iter.Seq2[*catalog.AuditEntry, error] {
	return func(yield func(*catalog.AuditEntry, error) bool) {
		for i := range es {
			if !yield(&es[i], nil) {
				return
			}
		}
	}
}

func TestVerify(t *testing.T) {
	for _, tc := range []struct {
		name   string
		tamper func([]catalog.AuditEntry) []catalog.AuditEntry
		bad    int64 // 0: intact
	}{
		{"intact", func(es []catalog.AuditEntry) []catalog.AuditEntry { return es }, 0},
		{"empty", func([]catalog.AuditEntry) []catalog.AuditEntry { return nil }, 0},
		{"altered actor", func(es []catalog.AuditEntry) []catalog.AuditEntry { es[3].Actor = "mallory"; return es }, 4},
		{"altered time", func(es []catalog.AuditEntry) []catalog.AuditEntry { es[2].At = es[2].At.Add(time.Second); return es }, 3},
		{"altered after", func(es []catalog.AuditEntry) []catalog.AuditEntry { es[0].After = `{"role":"admin"}`; return es }, 1},
		{"altered and rehashed", func(es []catalog.AuditEntry) []catalog.AuditEntry {
			es[2].Object = "account:x"
			es[2].Hash = audit.Hash(&es[2])
			return es
		}, 4},
		{"removed", func(es []catalog.AuditEntry) []catalog.AuditEntry { return slices.Delete(es, 4, 5) }, 5},
		{"removed and renumbered", func(es []catalog.AuditEntry) []catalog.AuditEntry {
			es = slices.Delete(es, 4, 5)
			for i := 4; i < len(es); i++ {
				es[i].Seq--
			}
			return es
		}, 5},
		{"first removed", func(es []catalog.AuditEntry) []catalog.AuditEntry { return es[1:] }, 1},
		{"reordered", func(es []catalog.AuditEntry) []catalog.AuditEntry { es[5], es[6] = es[6], es[5]; return es }, 6},
		{"reordered with numbers swapped", func(es []catalog.AuditEntry) []catalog.AuditEntry {
			es[5], es[6] = es[6], es[5]
			es[5].Seq, es[6].Seq = 6, 7
			return es
		}, 6},
		{"hash swapped in", func(es []catalog.AuditEntry) []catalog.AuditEntry { es[7].Hash = es[8].Hash; return es }, 8},
	} {
		t.Run(tc.name, func(t *testing.T) {
			es := tc.tamper(chain(10))
			n, err := audit.Verify(entries(es))
			if tc.bad == 0 {
				if err != nil || n != int64(len(es)) {
					t.Fatalf("Verify = %d, %v; want %d entries, intact", n, err, len(es))
				}
				return
			}
			var be *audit.BrokenError
			if !errors.As(err, &be) {
				t.Fatalf("Verify = %d, %v; want a BrokenError at entry %d", n, err, tc.bad)
			}
			if be.Seq != tc.bad {
				t.Errorf("Verify names entry %d (%v), want %d", be.Seq, err, tc.bad)
			}
		})
	}
}

func TestVerifyStopsOnError(t *testing.T) {
	boom := errors.New("disk on fire")
	es := chain(3)
	_, err := audit.Verify(func(yield func(*catalog.AuditEntry, error) bool) {
		if yield(&es[0], nil) {
			yield(nil, boom)
		}
	})
	if !errors.Is(err, boom) {
		t.Errorf("Verify = %v, want the iterator's error", err)
	}
}

// TestHashCoversEveryField changes each field in turn: every change must
// change the hash, and no two fields may run into each other.
func TestHashCoversEveryField(t *testing.T) {
	base := chain(1)[0]
	seen := map[string]string{audit.Hash(&base): "base"}
	for name, change := range map[string]func(*catalog.AuditEntry){
		"seq":      func(e *catalog.AuditEntry) { e.Seq++ },
		"at":       func(e *catalog.AuditEntry) { e.At = e.At.Add(time.Nanosecond) },
		"actor":    func(e *catalog.AuditEntry) { e.Actor += "x" },
		"person":   func(e *catalog.AuditEntry) { e.Person = "x" },
		"source":   func(e *catalog.AuditEntry) { e.Source = "hub" },
		"address":  func(e *catalog.AuditEntry) { e.Address = "x" },
		"action":   func(e *catalog.AuditEntry) { e.Action += "x" },
		"object":   func(e *catalog.AuditEntry) { e.Object += "x" },
		"before":   func(e *catalog.AuditEntry) { e.Before = "x" },
		"after":    func(e *catalog.AuditEntry) { e.After += "x" },
		"prev":     func(e *catalog.AuditEntry) { e.PrevHash = "x" },
		"boundary": func(e *catalog.AuditEntry) { e.Actor, e.Person = "roo", "t" },
	} {
		e := base
		change(&e)
		h := audit.Hash(&e)
		if other, dup := seen[h]; dup {
			t.Errorf("changing %s gives the hash of %s", name, other)
		}
		seen[h] = name
	}
}
