package gitlog

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/ospo-project/ospo/internal/catalog"
)

const hashA = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"

// hdr builds a header line as git prints it for logFormat.
func hdr(hash, at, email, name string) string {
	return "\x1e" + hash + "\x1f" + at + "\x1f" + email + "\x1f" + name + "\n"
}

func TestConsume(t *testing.T) {
	t0 := time.Date(2024, 1, 1, 10, 0, 0, 0, time.UTC) // a Monday
	at0 := "1704103200"
	longPath := strings.Repeat("p", 3*maxLine)
	tests := []struct {
		name  string
		in    string
		limit int
		want  []catalog.Contribution
		stats runStats
	}{
		{
			name: "numstat, binary and a blank line",
			in:   hdr(hashA, at0, "A@X.org", "A") + "\n2\t1\tf\n-\t-\tbin\n",
			want: []catalog.Contribution{contrib("A", "a@x.org", 1, 2, 1, t0, t0, wk(week1, 1, 2, 1))},
			// lastStat: the last commit had numstat lines.
			stats: runStats{commits: 1, lastStat: true},
			limit: -1,
		},
		{
			name:  "a numstat line longer than the buffer keeps its counts",
			in:    hdr(hashA, at0, "a@x.org", "A") + "\n7\t3\t" + longPath + "\n1\t1\tg\n",
			want:  []catalog.Contribution{contrib("A", "a@x.org", 1, 8, 4, t0, t0, wk(week1, 1, 8, 4))},
			stats: runStats{commits: 1, lastStat: true},
			limit: -1,
		},
		{
			name:  "a header longer than the buffer keeps its date and email, name clipped",
			in:    hdr(hashA, at0, "a@x.org", strings.Repeat("n", 2*maxLine)) + "\n1\t0\tf\n",
			want:  []catalog.Contribution{contrib(strings.Repeat("n", maxField), "a@x.org", 1, 1, 0, t0, t0, wk(week1, 1, 1, 0))},
			stats: runStats{commits: 1, lastStat: true},
			limit: -1,
		},
		{
			name:  "last line without a newline",
			in:    hdr(hashA, at0, "a@x.org", "A") + "\n4\t0\tf",
			want:  []catalog.Contribution{contrib("A", "a@x.org", 1, 4, 0, t0, t0, wk(week1, 1, 4, 0))},
			stats: runStats{commits: 1, lastStat: true},
			limit: -1,
		},
		{
			name:  "a header without numstat (failed diff or merge)",
			in:    hdr(hashA, at0, "a@x.org", "A") + "\n",
			want:  []catalog.Contribution{contrib("A", "a@x.org", 1, 0, 0, t0, t0, wk(week1, 1, 0, 0))},
			stats: runStats{commits: 1},
			limit: -1,
		},
		{
			name: "garbage before the first header and odd numbers are ignored",
			in: "1\t1\tbefore\nnoise\n" + hdr(hashA, at0, "a@x.org", "A") +
				"x\ty\tf\n-1\t2\tneg\n99999999999999999999999\t0\thuge\n1\t2\n3\t4\tok\n",
			want:  []catalog.Contribution{contrib("A", "a@x.org", 1, 1<<62-1+3, 4, t0, t0, wk(week1, 1, 1<<62-1+3, 4))},
			stats: runStats{commits: 1, lastStat: true},
			limit: -1,
		},
		{
			name:  "unreadable date: counted, no dates, no week",
			in:    hdr(hashA, "soon", "a@x.org", "A") + "\n1\t0\tf\n",
			want:  []catalog.Contribution{contrib("A", "a@x.org", 1, 1, 0, time.Time{}, time.Time{})},
			stats: runStats{commits: 1, lastStat: true},
			limit: -1,
		},
		{
			name:  "truncated header: only the hash",
			in:    "\x1e" + hashA + "\n",
			want:  []catalog.Contribution{contrib("", "", 1, 0, 0, time.Time{}, time.Time{})},
			stats: runStats{commits: 1},
			limit: -1,
		},
		{
			name:  "a name holding the unit separator stays one name",
			in:    hdr(hashA, at0, "a@x.org", "A\x1fB"),
			want:  []catalog.Contribution{contrib("A\x1fB", "a@x.org", 1, 0, 0, t0, t0, wk(week1, 1, 0, 0))},
			stats: runStats{commits: 1},
			limit: -1,
		},
		{
			name:  "invalid UTF-8 is replaced; non-ASCII email lowercased",
			in:    hdr(hashA, at0, "ÉMILE@X.org", "\xffA"),
			want:  []catalog.Contribution{contrib("\uFFFDA", "émile@x.org", 1, 0, 0, t0, t0, wk(week1, 1, 0, 0))},
			stats: runStats{commits: 1},
			limit: -1,
		},
		{
			name: "limit stops at the first commit beyond it",
			in: hdr(hashA, at0, "a@x.org", "A") + "\n1\t0\tf\n" +
				hdr(hashA, at0, "b@x.org", "B") + "\n1\t0\tf\n",
			limit: 1,
			want:  []catalog.Contribution{contrib("A", "a@x.org", 1, 1, 0, t0, t0, wk(week1, 1, 1, 0))},
			stats: runStats{commits: 1, lastStat: true, truncated: true},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := newAggregator()
			st, err := a.consume(strings.NewReader(tt.in), tt.limit)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.stats, st, cmp.AllowUnexported(runStats{})); diff != "" {
				t.Errorf("stats (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.want, contributions(a), cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("contributions (-want +got):\n%s", diff)
			}
		})
	}
}

func TestWeeksSortedAndIdentitiesOrdered(t *testing.T) {
	// Newest first, as git log prints, spanning three weeks and two authors.
	in := hdr(hashA, "1705312800", "a@x.org", "A") + // 2024-01-15
		hdr(hashA, "1704103200", "b@x.org", "B") + // 2024-01-01
		hdr(hashA, "1704708000", "a@x.org", "A") + // 2024-01-08
		hdr(hashA, "1704103200", "a@x.org", "A") //   2024-01-01
	a := newAggregator()
	if _, err := a.consume(strings.NewReader(in), -1); err != nil {
		t.Fatal(err)
	}
	got := contributions(a)
	d := func(day int) time.Time { return time.Date(2024, 1, day, 10, 0, 0, 0, time.UTC) }
	want := []catalog.Contribution{
		contrib("A", "a@x.org", 3, 0, 0, d(1), d(15), wk(day(1, 0), 1, 0, 0), wk(day(8, 0), 1, 0, 0), wk(day(15, 0), 1, 0, 0)),
		contrib("B", "b@x.org", 1, 0, 0, d(1), d(1), wk(day(1, 0), 1, 0, 0)),
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("contributions (-want +got):\n%s", diff)
	}
	if a.head != hashA {
		t.Errorf("head = %q, want %q", a.head, hashA)
	}
}

// FuzzConsume checks that any output, however malformed, is read without
// panicking and that every header line counts exactly one commit.
func FuzzConsume(f *testing.F) {
	f.Add([]byte(hdr(hashA, "1704103200", "a@x.org", "A") + "\n2\t1\tf\n-\t-\tbin\n"))
	f.Add([]byte("\x1e\x1f\x1f\x1f\n\n\x1e"))
	f.Add([]byte("1\t2\t3\n\x1eh\x1f-5\x1fE\x1fN\n9\t9\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		a := newAggregator()
		st, err := a.consume(bytes.NewReader(data), -1)
		if err != nil {
			t.Fatal(err)
		}
		want := 0
		for line := range bytes.SplitSeq(data, []byte("\n")) {
			if len(line) > 0 && line[0] == recordSep {
				want++
			}
		}
		if st.commits != want || a.commits != want {
			t.Errorf("counted %d (%d), want %d", st.commits, a.commits, want)
		}
		total := 0
		for _, c := range contributions(a) {
			total += c.Commits
			if c.LinesAdded < 0 || c.LinesRemoved < 0 {
				t.Errorf("negative lines: %+v", c)
			}
		}
		if total != want {
			t.Errorf("contributions hold %d commits, want %d", total, want)
		}
	})
}

// contributions returns what the aggregator has counted so far.
func contributions(a *aggregator) []catalog.Contribution {
	c, _ := a.result()
	return c
}
