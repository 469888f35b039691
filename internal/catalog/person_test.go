package catalog

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func day(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestWeekOf(t *testing.T) {
	tests := []struct{ in, want string }{
		{"2024-01-01", "2024-01-01"}, // a Monday
		{"2024-01-07", "2024-01-01"}, // the Sunday after
		{"2024-01-08", "2024-01-08"},
		{"2024-03-01", "2024-02-26"}, // across a month
	}
	for _, tc := range tests {
		if got := WeekOf(day(tc.in).Add(15 * time.Hour)); !got.Equal(day(tc.want)) {
			t.Errorf("WeekOf(%s) = %s, want %s", tc.in, got, tc.want)
		}
	}
}

func TestByPerson(t *testing.T) {
	w1, w2 := day("2024-01-01"), day("2024-01-08")
	in := []Contribution{
		{Identity: Identity{"J. Doe", "jdoe@old"}, Commits: 1, LinesAdded: 5, FirstCommit: day("2024-01-02"), LastCommit: day("2024-01-02"), PersonID: "p1",
			Weeks: []WeekActivity{{Week: w1, Commits: 1, LinesAdded: 5}}},
		{Identity: Identity{"Bob", "bob@x"}, Commits: 2, FirstCommit: day("2024-01-03"), LastCommit: day("2024-01-09"), PersonID: "p2"},
		{Identity: Identity{"Jane Doe", "jane@new"}, Commits: 3, LinesRemoved: 2, FirstCommit: day("2024-01-04"), LastCommit: day("2024-01-10"), PersonID: "p1",
			Weeks: []WeekActivity{{Week: w1, Commits: 1}, {Week: w2, Commits: 2, LinesRemoved: 2}}},
		{Identity: Identity{"Anon", "anon@x"}, Commits: 1},
	}
	want := []Contribution{
		{Identity: Identity{"Jane Doe", "jane@new"}, Commits: 4, LinesAdded: 5, LinesRemoved: 2, FirstCommit: day("2024-01-02"), LastCommit: day("2024-01-10"), PersonID: "p1",
			Weeks: []WeekActivity{{Week: w1, Commits: 2, LinesAdded: 5}, {Week: w2, Commits: 2, LinesRemoved: 2}}},
		{Identity: Identity{"Bob", "bob@x"}, Commits: 2, FirstCommit: day("2024-01-03"), LastCommit: day("2024-01-09"), PersonID: "p2"},
		{Identity: Identity{"Anon", "anon@x"}, Commits: 1},
	}
	if diff := cmp.Diff(want, ByPerson(in)); diff != "" {
		t.Errorf("ByPerson (-want +got):\n%s", diff)
	}
}
