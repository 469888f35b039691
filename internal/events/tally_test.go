package events

import (
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ospo-project/ospo/internal/catalog"
)

func ev(id, kind, project string, at time.Time, src string) catalog.Event {
	return catalog.Event{ID: id, Kind: kind, Source: src, ProjectKey: project, Email: "ann@example.com", At: at, Points: points(kind)}
}

func TestTallyCaps(t *testing.T) {
	d := base
	tests := []struct {
		name   string
		evs    []catalog.Event
		points int
		capped []string
	}{
		{"under the caps", []catalog.Event{ev("1", KindCrossTeam, "p", d, "git"), ev("2", KindFirstContribution, "p", d, "git")}, 15, []string{"", ""}},
		{"daily cap cuts the fourth event of a day", []catalog.Event{
			ev("1", KindCrossTeam, "p", d, "git"), ev("2", KindCrossTeam, "q", d.Add(time.Minute), "git"),
			ev("3", KindCrossTeam, "r", d.Add(2*time.Minute), "git"), ev("4", KindCrossTeam, "s", d.Add(3*time.Minute), "git")},
			30, []string{"", "", "", "daily"}},
		{"manual events are not capped", []catalog.Event{
			ev("1", KindVulnFixed, "p", d, "git"), ev("2", KindVulnFixed, "q", d, "git"), ev("3", KindTalk, "", d, catalog.EventManual)},
			50, []string{"", "", ""}},
	}
	// The project cap: 16 days of cross-team work in one project is 160 points, capped at 150.
	var long []catalog.Event
	var caps []string
	for i := 0; i < 16; i++ {
		long = append(long, ev(fmt.Sprint(i+10), KindCrossTeam, "p", d.AddDate(0, 0, i), "git"))
		caps = append(caps, "")
	}
	caps[15] = "project"
	tests = append(tests, struct {
		name   string
		evs    []catalog.Event
		points int
		capped []string
	}{"project cap", long, 150, caps})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ss := Tally(tt.evs, DefaultCaps)
			if len(ss) != 1 || ss[0].Points != tt.points {
				t.Fatalf("Tally = %+v, want one standing of %d points", ss, tt.points)
			}
			var got []string
			for _, a := range ss[0].Awards {
				got = append(got, a.Capped)
			}
			if diff := cmp.Diff(tt.capped, got); diff != "" {
				t.Errorf("capped (-want +got):\n%s", diff)
			}
		})
	}
}

func TestBadgesAndLevels(t *testing.T) {
	d := base
	evs := []catalog.Event{
		ev("1", KindCrossTeam, "p", d, "git"), ev("2", KindCrossTeam, "q", d.AddDate(0, 0, 1), "git"),
		ev("3", KindCrossTeam, "q", d.AddDate(0, 0, 2), "git"), ev("4", KindFirstContribution, "p", d, "git"),
		{ID: "5", Kind: KindBadge, Source: catalog.EventManual, Email: "ann@example.com", At: d.AddDate(0, 0, 3),
			Evidence: []catalog.Evidence{{Kind: "badge", Value: "community-hero"}}},
	}
	ss := Tally(evs, DefaultCaps)
	var got []string
	for _, b := range ss[0].Badges {
		got = append(got, b.ID+"@"+b.At.Format("01-02"))
	}
	// ambassador needs 3 projects: p and q are 2.
	if diff := cmp.Diff([]string{"first-steps@03-04", "bridge-builder@03-06", "community-hero@03-07"}, got); diff != "" {
		t.Errorf("badges (-want +got):\n%s", diff)
	}
	if ss[0].Points != 35 || ss[0].Level.Name != "Contributor" {
		t.Errorf("points %d level %s, want 35 Contributor", ss[0].Points, ss[0].Level.Name)
	}
	for _, tc := range []struct {
		p    int
		want string
	}{{0, "Newcomer"}, {24, "Newcomer"}, {25, "Contributor"}, {100, "Collaborator"}, {499, "Champion"}, {500, "Luminary"}} {
		if got := LevelOf(tc.p).Name; got != tc.want {
			t.Errorf("LevelOf(%d) = %s, want %s", tc.p, got, tc.want)
		}
	}
}

func TestBoards(t *testing.T) {
	ss := []Standing{{Person: "ann", Points: 30}, {Person: "bob", Points: 10, Level: LevelOf(10)}, {Person: "eve", Points: 50}}
	teams := map[string][]string{"ann": {"a"}, "bob": {"a", "b"}}
	got := TeamBoard(ss, func(p string) []string { return teams[p] })
	want := []BoardEntry{{Name: "a", Points: 40, People: 2}, {Name: "b", Points: 10, People: 1}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("TeamBoard (-want +got):\n%s", diff)
	}
	people := PeopleBoard(ss, func(p string) bool { return p == "bob" }, func(p string) string { return "Bob" })
	if diff := cmp.Diff([]BoardEntry{{Name: "Bob", Points: 10, Level: "Newcomer"}}, people); diff != "" {
		t.Errorf("PeopleBoard shows only who consented (-want +got):\n%s", diff)
	}
}

func TestCheckClaim(t *testing.T) {
	for _, tc := range []struct {
		c  catalog.EventClaim
		ok bool
	}{
		{catalog.EventClaim{Kind: KindTalk, Evidence: "https://x"}, true},
		{catalog.EventClaim{Kind: KindTalk}, false},
		{catalog.EventClaim{Kind: KindCrossTeam, Evidence: "https://x"}, false}, // derived kinds are never claimed
		{catalog.EventClaim{Kind: KindBadge, Badge: "community-hero", Evidence: "https://x"}, true},
		{catalog.EventClaim{Kind: KindBadge, Badge: "nope", Evidence: "https://x"}, false},
	} {
		if err := CheckClaim(tc.c); (err == nil) != tc.ok {
			t.Errorf("CheckClaim(%+v) = %v, want ok %v", tc.c, err, tc.ok)
		}
	}
}
