package sqldb

import (
	"math"
	"testing"
	"testing/fstest"
	"time"
)

func TestRebind(t *testing.T) {
	pg := &Dialect{Numbered: true}
	if got, want := pg.rebind(`SELECT a FROM t WHERE b = ? AND c IN (?, ?)`), `SELECT a FROM t WHERE b = $1 AND c IN ($2, $3)`; got != want {
		t.Errorf("rebind = %q, want %q", got, want)
	}
	lite := &Dialect{}
	if got, q := lite.rebind(`x = ?`), `x = ?`; got != q {
		t.Errorf("rebind without numbering = %q, want %q", got, q)
	}
}

func TestClean(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain", "plain"},
		{"ünï 日本 🚀", "ünï 日本 🚀"},
		{"a\x00b", "a\uFFFDb"},
		{"bad \xff\xfe bytes", "bad \uFFFD bytes"},
		{"\xc3", "\uFFFD"}, // truncated sequence
	}
	for _, tt := range tests {
		if got := clean(tt.in); got != tt.want {
			t.Errorf("clean(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestLikeContains(t *testing.T) {
	if got, want := likeContains(`50%_A\B`), `%50\%\_a\\b%`; got != want {
		t.Errorf("likeContains = %q, want %q", got, want)
	}
}

func TestTimes(t *testing.T) {
	if encTime(time.Time{}) != nil {
		t.Error("the zero time is not stored as NULL")
	}
	for _, tt := range []struct {
		in   time.Time
		want int64
	}{
		{time.Date(1, 1, 2, 0, 0, 0, 0, time.UTC), math.MinInt64},
		{time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC), math.MaxInt64},
		{time.Unix(1700000000, 123456789), 1700000000123456789},
	} {
		if got := encTime(tt.in); got != tt.want {
			t.Errorf("encTime(%v) = %v, want %d", tt.in, got, tt.want)
		}
	}
}

func TestMigrationFiles(t *testing.T) {
	ms, err := Migrations(fstest.MapFS{
		"0002_more.sql": {Data: []byte("B")},
		"0001_init.sql": {Data: []byte("A")},
		"README.md":     {Data: []byte("not a migration")},
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) != 2 || ms[0].Version != 1 || ms[0].Name != "0001_init" || ms[1].SQL != "B" {
		t.Errorf("Migrations = %+v", ms)
	}
	for name, fsys := range map[string]fstest.MapFS{
		"no version":   {"init.sql": {}},
		"zero version": {"0000_x.sql": {}},
		"duplicate":    {"0001_a.sql": {}, "1_b.sql": {}},
	} {
		if _, err := Migrations(fsys); err == nil {
			t.Errorf("Migrations(%s) succeeded", name)
		}
	}
}

// TestInList: an IN list is padded to the next power of two with its last
// argument, so that lists of different lengths share a few statements.
func TestInList(t *testing.T) {
	for _, tc := range []struct {
		n, want int
	}{{1, 1}, {2, 2}, {3, 4}, {4, 4}, {5, 8}, {100, 128}, {500, 512}} {
		args := make([]any, tc.n)
		for i := range args {
			args[i] = i
		}
		clause, got := inList(args)
		if len(got) != tc.want || clause != inClause(tc.want) {
			t.Errorf("inList of %d: %d arguments, %q; want %d", tc.n, len(got), clause, tc.want)
			continue
		}
		for i, a := range got {
			if want := min(i, tc.n-1); a != want {
				t.Errorf("inList of %d: argument %d = %v, want %d", tc.n, i, a, want)
			}
		}
	}
}
