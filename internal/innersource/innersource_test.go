package innersource_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/innersource"
)

var update = flag.Bool("update", false, "rewrite the golden files")

var now = time.Date(2026, 12, 2, 12, 0, 0, 0, time.UTC)

func days(n float64) time.Time { return now.Add(-time.Duration(n * 24 * float64(time.Hour))) }

func weeks(last13 int, older int) []int {
	p := make([]int, 52)
	for i := range p {
		if i >= 39 {
			p[i] = last13
		} else {
			p[i] = older
		}
	}
	return p
}

// TestScore checks the formula against values computed by hand.
func TestScore(t *testing.T) {
	long := time.Time{}
	tests := []struct {
		name string
		in   innersource.ScoreInputs
		want int
	}{
		// 50·(1+100/100) = 100; no boost (created long ago); −50.
		{"updated today, old", innersource.ScoreInputs{UpdatedAt: now, CreatedAt: long}, 50},
		// 50·1.5 = 75; boost (1000−2.74·50)·(365−100)/365 = 626.56; 701.56−50.
		{"young project", innersource.ScoreInputs{UpdatedAt: days(50), CreatedAt: days(100)}, 652},
		// 100·(1+min(10−3,7)/7) = 200; −50.
		{"busy last 13 weeks", innersource.ScoreInputs{UpdatedAt: now, Participation: weeks(10, 0)}, 150},
		// 100·(1+(5−3)/7) = 128.57; −50.
		{"5 commits a week", innersource.ScoreInputs{UpdatedAt: now, Participation: weeks(5, 0)}, 79},
		// older weeks do not count.
		{"busy long ago", innersource.ScoreInputs{UpdatedAt: now, Participation: weeks(0, 100)}, 50},
		// +50 for a description over 30 characters, +100 for guidelines.
		{"description and guidelines", innersource.ScoreInputs{UpdatedAt: now,
			Description: "a description longer than thirty", Guidelines: true}, 200},
		{"motivation", innersource.ScoreInputs{UpdatedAt: now, Motivation: strings.Repeat("m", 31)}, 100},
		{"30 characters are not enough", innersource.ScoreInputs{UpdatedAt: now, Description: strings.Repeat("d", 30)}, 50},
		// (50+5·1000)·2 = 10100 > 3000: 3000 + 100·ln(10100) = 3922.03; −50.
		{"logarithmic above 3000", innersource.ScoreInputs{UpdatedAt: now, Forks: 1000}, 3872},
		// 50+10+9/3+10/5 = 65 → 130; −50.
		{"forge counts", innersource.ScoreInputs{UpdatedAt: now, Watchers: 10, Stars: 9, OpenIssues: 10}, 80},
		// never updated: no recency bonus, no boost.
		{"no dates", innersource.ScoreInputs{}, 0},
		// a date after now counts as now.
		{"future update", innersource.ScoreInputs{UpdatedAt: now.Add(48 * time.Hour)}, 50},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := innersource.Score(tt.in, now); got != tt.want {
				t.Errorf("Score = %d, want %d", got, tt.want)
			}
		})
	}
}

func TestParticipation(t *testing.T) {
	cs := []catalog.Contribution{
		{Weeks: []catalog.WeekActivity{{Week: catalog.WeekOf(now), Commits: 2}, {Week: catalog.WeekOf(now.AddDate(0, 0, -7)), Commits: 3}}},
		{Weeks: []catalog.WeekActivity{{Week: catalog.WeekOf(now), Commits: 1}, {Week: catalog.WeekOf(now.AddDate(0, 0, -7*51)), Commits: 4},
			{Week: catalog.WeekOf(now.AddDate(0, 0, -7*52)), Commits: 100}}},
	}
	got := innersource.Participation(cs, now)
	if len(got) != 52 {
		t.Fatalf("len = %d, want 52", len(got))
	}
	if got[51] != 3 || got[50] != 3 || got[0] != 4 {
		t.Errorf("Participation = %v, want …3,3 at the end and 4 first (week 52 ago dropped)", got)
	}
}

func TestOtherTeamContributors(t *testing.T) {
	recent := func(email string) catalog.Contribution {
		return catalog.Contribution{Identity: catalog.Identity{Email: email}, LastCommit: days(10),
			Weeks: []catalog.WeekActivity{{Week: catalog.WeekOf(days(10)), Commits: 1}}}
	}
	old := catalog.Contribution{Identity: catalog.Identity{Email: "old@x"}, LastCommit: days(200),
		Weeks: []catalog.WeekActivity{{Week: catalog.WeekOf(days(200)), Commits: 1}}}
	teams := innersource.Teams{"in@x": {"core"}, "out@x": {"web"}, "old@x": {"web"}}
	tests := []struct {
		name   string
		owners []string
		cs     []catalog.Contribution
		teams  innersource.Teams
		want   int
	}{
		{"member and outsider", []string{"@acme/core"}, []catalog.Contribution{recent("in@x"), recent("out@x")}, teams, 1},
		{"unknown team counts as other", []string{"group:default/core"}, []catalog.Contribution{recent("nobody@x")}, teams, 1},
		{"old contributions do not count", []string{"core"}, []catalog.Contribution{old}, teams, 0},
		{"owner by e-mail is inside", []string{"@acme/core", "out@x"}, []catalog.Contribution{recent("OUT@x")}, teams, 0},
		{"same e-mail counted once", []string{"@acme/core"}, []catalog.Contribution{recent("out@x"), recent("out@x")}, teams, 1},
		{"no owning team", []string{"@jane", "user:bob"}, []catalog.Contribution{recent("out@x")}, teams, -1},
		{"no memberships", []string{"@acme/core"}, []catalog.Contribution{recent("out@x")}, nil, -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := catalog.Project{Contributors: tt.cs}
			for _, o := range tt.owners {
				p.Owners = append(p.Owners, catalog.Owner{Owner: o, Source: catalog.OwnerCodeowners})
			}
			if got := innersource.OtherTeamContributors(p, tt.teams, now); got != tt.want {
				t.Errorf("OtherTeamContributors = %d, want %d", got, tt.want)
			}
		})
	}
}

type fixture struct {
	Now      time.Time         `json:"now"`
	Teams    innersource.Teams `json:"teams"`
	Projects []catalog.Project `json:"projects"`
}

func cards(t *testing.T) []innersource.Card {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "catalog.json"))
	if err != nil {
		t.Fatal(err)
	}
	var f fixture
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatal(err)
	}
	var cs []innersource.Card
	for _, p := range f.Projects {
		cs = append(cs, innersource.NewCard(p, f.Teams, f.Now))
	}
	innersource.Sort(cs)
	return cs
}

func golden(t *testing.T, name string, v any) []byte {
	t.Helper()
	got, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, '\n')
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs (run with -update):\n%s", name, got)
	}
	return got
}

func TestCardsGolden(t *testing.T) {
	cs := cards(t)
	if cs[0].Name != "payments-api" || cs[0].OtherTeamContributors != 1 || cs[1].OtherTeamContributors != -1 {
		t.Errorf("cards: %s first with %d other-team contributors, %s with %d; want payments-api with 1 (bob), notes with -1",
			cs[0].Name, cs[0].OtherTeamContributors, cs[1].Name, cs[1].OtherTeamContributors)
	}
	golden(t, "cards.golden.json", cs)
}

// TestExportShape checks that every field of the portal's sample is in
// the export, with the sample's JSON type.
func TestExportShape(t *testing.T) {
	out := golden(t, "repos.golden.json", innersource.Export(cards(t)))
	b, err := os.ReadFile(filepath.Join("testdata", "portal_shape.json"))
	if err != nil {
		t.Fatal(err)
	}
	var shape struct {
		Fields map[string]string `json:"fields"`
	}
	if err := json.Unmarshal(b, &shape); err != nil {
		t.Fatal(err)
	}
	var repos []map[string]any
	if err := json.Unmarshal(out, &repos); err != nil {
		t.Fatal(err)
	}
	if len(repos) != 2 {
		t.Fatalf("%d repos, want 2", len(repos))
	}
	var names []string
	for n := range shape.Fields {
		names = append(names, n)
	}
	sort.Strings(names)
	for i, r := range repos {
		for _, name := range names {
			v, ok := lookup(r, name)
			if !ok {
				t.Errorf("repo %d: no field %s", i, name)
				continue
			}
			if got, want := jsonType(v), shape.Fields[name]; !strings.Contains("|"+want+"|", "|"+got+"|") {
				t.Errorf("repo %d: %s is a %s, want %s", i, name, got, want)
			}
		}
	}
	// The first repo has a language: the type check must see a string there.
	if l, _ := lookup(repos[0], "language"); l != "Go" {
		t.Errorf("language = %v, want Go", l)
	}
	if !reflect.DeepEqual(repos[0]["full_name"], "acme/payments-api") {
		t.Errorf("full_name = %v", repos[0]["full_name"])
	}
}

func lookup(m map[string]any, dotted string) (any, bool) {
	parts := strings.Split(dotted, ".")
	var v any = m
	for _, p := range parts {
		o, ok := v.(map[string]any)
		if !ok {
			return nil, false
		}
		if v, ok = o[p]; !ok {
			return nil, false
		}
	}
	return v, true
}

func jsonType(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case string:
		return "string"
	case float64:
		return "number"
	case bool:
		return "boolean"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	}
	return "unknown"
}

// TestCards checks that only InnerSource projects get a card, that
// memberships are matched case-insensitively by e-mail, and the order.
func TestCards(t *testing.T) {
	recent := catalog.Contribution{Identity: catalog.Identity{Email: "Out@X"}, LastCommit: days(3),
		Weeks: []catalog.WeekActivity{{Week: catalog.WeekOf(days(3)), Commits: 1}}}
	owners := []catalog.Owner{{Owner: "@acme/core", Source: catalog.OwnerCodeowners}}
	ps := []catalog.Project{
		{Key: "a", Name: "quiet", Kind: catalog.KindInnerSource, Owners: owners},
		{Key: "b", Name: "internal", Kind: catalog.KindInternal, HeadDate: now},
		{Key: "c", Name: "busy", Kind: catalog.KindInnerSource, HeadDate: now, Owners: owners,
			Contributors: []catalog.Contribution{recent}},
	}
	ms := []catalog.Membership{{Team: "core", Email: "out@x"}}
	cs := innersource.Cards(ps, ms, now)
	if len(cs) != 2 || cs[0].Name != "busy" || cs[1].Name != "quiet" {
		t.Fatalf("Cards = %+v, want busy then quiet", cs)
	}
	if cs[0].OtherTeamContributors != 0 {
		t.Errorf("out@x is in core: OtherTeamContributors = %d, want 0", cs[0].OtherTeamContributors)
	}
	if got := innersource.Cards(nil, nil, now); got == nil || len(got) != 0 {
		t.Errorf("Cards(nil) = %#v, want an empty slice", got)
	}
}
