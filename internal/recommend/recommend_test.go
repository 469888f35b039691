package recommend_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/recommend"
)

var now = time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)

func day(d int) time.Time { return now.AddDate(0, 0, -d) }

func techs(ids ...string) []recommend.Tech {
	var out []recommend.Tech
	for _, id := range ids {
		out = append(out, recommend.Tech{ID: "pkg:golang/" + id, Name: id})
	}
	return out
}

func contrib(who string, first, last int) recommend.Contribution {
	return recommend.Contribution{PersonID: who, FirstCommit: day(first), LastCommit: day(last), Commits: 10}
}

// small is an estate where everybody who uses gin also uses zap, except
// ana; bob and cat are on ana's team, dan is not.
func small() recommend.Estate {
	people := []recommend.Person{
		{ID: "ana", Name: "Ana", Email: "ana@x", Teams: []string{"payments"}},
		{ID: "bob", Name: "Bob", Email: "bob@x", Teams: []string{"payments"}},
		{ID: "cat", Name: "Cat", Email: "cat@x", Teams: []string{"payments"}},
		{ID: "dan", Name: "Dan", Email: "dan@x", Teams: []string{"platform"}},
		{ID: "eve", Name: "Eve", Email: "eve@x", Teams: []string{"platform"}},
	}
	author := func(id string, share float64, d int) catalog.Author {
		return catalog.Author{Identity: catalog.Identity{Name: id, Email: id + "@x"}, PersonID: id, Share: share, Files: int(share * 100), LastChange: day(d)}
	}
	return recommend.Estate{People: people, Projects: []recommend.Project{
		{ID: 1, Name: "pay-api", Teams: []string{"@org/payments"}, Techs: techs("gin", "zap", "common"),
			Contributors: []recommend.Contribution{contrib("bob", 300, 10), contrib("cat", 200, 20)},
			Authors:      []catalog.Author{author("bob", 0.7, 10), author("cat", 0.3, 20)}},
		{ID: 2, Name: "ledger", Teams: []string{"@org/payments"}, Techs: techs("gin", "common"),
			Contributors: []recommend.Contribution{contrib("ana", 100, 5)}},
		{ID: 3, Name: "platform-api", Teams: []string{"@org/platform"}, Techs: techs("gin", "zap", "sqlx", "common"), InnerSource: true,
			Contributors: []recommend.Contribution{contrib("dan", 400, 30), contrib("bob", 50, 40)},
			Authors:      []catalog.Author{author("dan", 0.9, 30)}},
		{ID: 4, Name: "tools", Teams: []string{"@org/platform"}, Techs: techs("cobra", "common"), InnerSource: true,
			Contributors: []recommend.Contribution{contrib("eve", 100, 3)}},
	}}
}

func TestForExplainsTechnologies(t *testing.T) {
	m := recommend.Build(small(), now)
	r, err := m.For("ana@x", recommend.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Technologies) == 0 || r.Technologies[0].Name != "zap" {
		t.Fatalf("first technology: got %+v, want zap", r.Technologies)
	}
	if want := "3 people who use gin also use zap, including 2 on your team"; r.Technologies[0].Why != want {
		t.Errorf("why: got %q, want %q", r.Technologies[0].Why, want)
	}
	// Projects: only InnerSource ones; platform-api shares gin (ana's stack)
	// and a person of her team contributes there.
	if len(r.Projects) == 0 || r.Projects[0].Name != "platform-api" {
		t.Fatalf("projects: %+v", r.Projects)
	}
	for _, p := range r.Projects {
		if p.Name == "pay-api" || p.Name == "ledger" {
			t.Errorf("recommended %s, which is not InnerSource or is hers", p.Name)
		}
	}
	if !strings.Contains(r.Projects[0].Why, "1 person of your team contributes") || !strings.Contains(r.Projects[0].Why, "gin") {
		t.Errorf("project why: %q", r.Projects[0].Why)
	}
	// People to meet: the authors of the zap code; dan is on another team.
	if len(r.People) < 2 {
		t.Fatalf("people: %+v", r.People)
	}
	got := map[string]recommend.Item{}
	for _, p := range r.People {
		got[p.ID] = p
	}
	if d, ok := got["dan"]; !ok || !d.Mentor || !strings.Contains(d.Why, "a mentor") {
		t.Errorf("dan: %+v", d)
	}
	if b := got["bob"]; b.Mentor {
		t.Errorf("bob is on ana's team, not a mentor: %+v", b)
	}
	if _, ok := got["ana"]; ok {
		t.Error("ana is recommended to herself")
	}
}

func TestOptOut(t *testing.T) {
	e := small()
	e.OptOuts = map[string]catalog.OptOut{"dan": {PersonID: "dan", Experts: true}, "cat": {PersonID: "cat", Recommendations: true}}
	m := recommend.Build(e, now)
	r, err := m.For("ana", recommend.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range r.People {
		if p.ID == "dan" || p.ID == "cat" {
			t.Errorf("%s opted out but is recommended: %+v", p.ID, p)
		}
	}
	r, err = m.For("cat", recommend.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !r.OptedOut || len(r.Technologies)+len(r.Projects)+len(r.People)+len(r.Resources) != 0 {
		t.Errorf("cat opted out of recommendations but got %+v", r)
	}
}

func TestForErrors(t *testing.T) {
	m := recommend.Build(small(), now)
	for _, tc := range []struct {
		ref  string
		o    recommend.Options
		want error
	}{
		{"nobody", recommend.Options{}, catalog.ErrNotFound},
		{"ana", recommend.Options{Technologies: "magic"}, catalog.ErrInvalid},
		{"ana", recommend.Options{Projects: "magic"}, catalog.ErrInvalid},
		{"ana", recommend.Options{Limit: -1}, catalog.ErrInvalid},
	} {
		if _, err := m.For(tc.ref, tc.o); !errors.Is(err, tc.want) {
			t.Errorf("For(%q, %+v): got %v, want %v", tc.ref, tc.o, err, tc.want)
		}
	}
}

func TestSimilarWeighsRarePackages(t *testing.T) {
	// a and b share one rare package; a and c share two packages every
	// project uses: b is more like a.
	var ps []recommend.Project
	ps = append(ps,
		recommend.Project{ID: 1, Name: "a", Techs: techs("rare", "everywhere", "common")},
		recommend.Project{ID: 2, Name: "b", Techs: techs("rare", "other")},
		recommend.Project{ID: 3, Name: "c", Techs: techs("everywhere", "common", "more")})
	for i := range 20 {
		ps = append(ps, recommend.Project{ID: int64(10 + i), Name: fmt.Sprint("filler", i), Techs: techs("everywhere", "common", fmt.Sprint("x", i))})
	}
	m := recommend.Build(recommend.Estate{Projects: ps}, now)
	got, err := m.Similar(1, 3)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) == 0 || got[0].Name != "b" {
		t.Fatalf("most similar to a: %+v, want b first", got)
	}
	if want := "shares 1 dependency with a, the rarest being rare (rare: used by 2 projects)"; got[0].Why != want {
		t.Errorf("why: got %q, want %q", got[0].Why, want)
	}
	if _, err := m.Similar(99, 3); !errors.Is(err, catalog.ErrNotFound) {
		t.Errorf("unknown project: %v", err)
	}
}

func TestParseResources(t *testing.T) {
	for _, tc := range []struct {
		name, content string
		want          []recommend.Resource
		err           bool
	}{
		{name: "gin.md", content: "---\nurl: https://example.com/gin\ntechnologies: [gin]\nlevel: Beginner\nkind: training\n---\n# Gin in a day\n",
			want: []recommend.Resource{{Title: "Gin in a day", URL: "https://example.com/gin", Technologies: []string{"gin"}, Level: "beginner", Kind: "training", Source: "gin.md"}}},
		{name: "list.yaml", content: "- title: A\n  url: https://a.example/\n  technologies: [zap]\n- title: B\n  url: http://b.example/x\n  topics: [Security]\n",
			want: []recommend.Resource{{Title: "A", URL: "https://a.example/", Technologies: []string{"zap"}, Source: "list.yaml"},
				{Title: "B", URL: "http://b.example/x", Topics: []string{"security"}, Source: "list.yaml"}}},
		{name: "one.yml", content: "title: One\nurl: https://one.example\n",
			want: []recommend.Resource{{Title: "One", URL: "https://one.example", Source: "one.yml"}}},
		{name: "js.yaml", content: "title: X\nurl: javascript:alert(1)\n", err: true},
		{name: "nolevel.yaml", content: "title: X\nurl: https://x.example\nlevel: guru\n", err: true},
		{name: "notitle.md", content: "---\nurl: https://x.example\n---\nno heading\n", err: true},
		{name: "nofront.md", content: "# Title\n", err: true},
		{name: "bad.yaml", content: "title: [unclosed\n", err: true},
		{name: "x.txt", content: "title: X\n", err: true},
	} {
		got, err := recommend.ParseResources(tc.name, []byte(tc.content))
		if tc.err {
			if !errors.Is(err, catalog.ErrInvalid) {
				t.Errorf("%s: got %v, %+v; want an invalid-resource error", tc.name, err, got)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if d := cmp.Diff(tc.want, got); d != "" {
			t.Errorf("%s (-want +got):\n%s", tc.name, d)
		}
	}
}

func TestReadResourcesAndMatch(t *testing.T) {
	fsys := fstest.MapFS{
		"resources/zap.md":          {Data: []byte("---\ntitle: Zap basics\nurl: https://z.example\ntechnologies: [zap]\nlevel: beginner\n---\n")},
		"resources/gin-secure.yaml": {Data: []byte("title: Using gin securely\nurl: https://g.example\ntechnologies: [pkg:golang/gin]\ntopics: [security]\n")},
		"resources/cobra.yaml":      {Data: []byte("title: Cobra\nurl: https://c.example\ntechnologies: [cobra]\n")},
		"resources/broken.yaml":     {Data: []byte("title: Broken\n")},
		"resources/.git/x.yaml":     {Data: []byte("title: Hidden\nurl: https://h.example\n")},
	}
	rs, errs, err := recommend.ReadResources(fsys)
	if err != nil || len(errs) != 1 || len(rs) != 3 {
		t.Fatalf("ReadResources: %d resources, errors %v, %v", len(rs), errs, err)
	}
	e := small()
	e.Resources = rs
	e.Upgrades = []recommend.Upgrade{{ProjectID: 2, Project: "ledger", TechID: "pkg:golang/gin", Package: "gin", Version: "1.6.0", To: "1.9.1",
		Reason: recommend.ReasonVulnerable, Worst: "HIGH", Detail: "1 known vulnerability (worst high)"}}
	r, err := recommend.Build(e, now).For("ana", recommend.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, it := range r.Resources {
		got = append(got, it.Name+": "+it.Why)
	}
	want := []string{
		"Using gin securely: because ledger runs a vulnerable version of gin: secure-usage material",
		"Zap basics: because zap is recommended to you",
		"Cobra: because cobra is recommended to you", // eve uses cobra and the package everybody uses: a weak recommendation
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("resources (-want +got):\n%s", d)
	}
	if len(r.Upgrades) != 1 || r.Upgrades[0].Why != "ledger runs gin 1.6.0: 1 known vulnerability (worst high); move to 1.9.1" {
		t.Errorf("upgrades: %+v", r.Upgrades)
	}
}

func TestDrift(t *testing.T) {
	dep := func(v string) []catalog.Dependency {
		return []catalog.Dependency{{PURL: "pkg:npm/lodash@" + v, Ecosystem: "npm", Name: "lodash", Version: v, Direct: true}}
	}
	ps := []catalog.Project{{ID: 1, Name: "old"}, {ID: 2, Name: "a"}, {ID: 3, Name: "b"}, {ID: 4, Name: "c"}}
	deps := map[int64][]catalog.Dependency{1: dep("4.9.0"), 2: dep("4.17.21"), 3: dep("4.17.21"), 4: dep("4.10.0")}
	got := recommend.Drift(ps, deps)
	want := []recommend.Upgrade{
		{ProjectID: 1, Project: "old", TechID: "pkg:npm/lodash", Package: "lodash", Version: "4.9.0", To: "4.17.21", Reason: "drifting",
			Detail: "3 of the 3 other projects using it run a newer version"},
		{ProjectID: 4, Project: "c", TechID: "pkg:npm/lodash", Package: "lodash", Version: "4.10.0", To: "4.17.21", Reason: "drifting",
			Detail: "2 of the 3 other projects using it run a newer version"},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("Drift (-want +got):\n%s", d)
	}
}

// fixtureIssue is the issue of GitHub's published example answer
// (internal/source/github/testdata/api/issue-items.json): #1347 "Found a
// bug", open, labelled bug.
func fixtureIssue(t *testing.T) catalog.ForgeItem {
	t.Helper()
	b, err := os.ReadFile("../source/github/testdata/api/issue-items.json")
	if err != nil {
		t.Fatal(err)
	}
	var is []struct {
		Number  int64  `json:"number"`
		Title   string `json:"title"`
		State   string `json:"state"`
		HTMLURL string `json:"html_url"`
		Labels  []struct {
			Name string `json:"name"`
		} `json:"labels"`
	}
	if err := json.Unmarshal(b, &is); err != nil || len(is) == 0 {
		t.Fatalf("fixture: %v", err)
	}
	it := catalog.ForgeItem{Kind: catalog.ItemIssue, Number: is[0].Number, Title: is[0].Title, State: is[0].State, URL: is[0].HTMLURL}
	for _, l := range is[0].Labels {
		it.Labels = append(it.Labels, l.Name)
	}
	return it
}

// TestHelpWantedRanksHigher checks that of two InnerSource projects that
// match a person equally, the one with an open issue asking for help comes
// first, the issue named in the explanation; an issue labelled otherwise,
// or closed, does not count.
func TestHelpWantedRanksHigher(t *testing.T) {
	issue := fixtureIssue(t) // #1347 "Found a bug", labelled bug
	contrib := func(id string) []catalog.Contribution {
		return []catalog.Contribution{{Identity: catalog.Identity{Email: id + "@x"}, PersonID: id, Commits: 5, FirstCommit: day(300), LastCommit: day(10)}}
	}
	dep := func(name string) catalog.Dependency {
		return catalog.Dependency{Ecosystem: "Go", Name: name, Version: "v1.0.0", PURL: "pkg:golang/" + name + "@v1.0.0", Direct: true}
	}
	c := recommend.Catalogue{
		Projects: []catalog.Project{
			{ID: 1, Key: "mine", Name: "mine", Contributors: contrib("ana"), Dependencies: []catalog.Dependency{dep("gin"), dep("zap")}},
			{ID: 2, Key: "a", Name: "alpha", Kind: catalog.KindInnerSource, Contributors: contrib("bob"), Dependencies: []catalog.Dependency{dep("gin"), dep("zap")}},
			{ID: 3, Key: "b", Name: "beta", Kind: catalog.KindInnerSource, Contributors: contrib("cat"), Dependencies: []catalog.Dependency{dep("gin"), dep("zap")}},
			{ID: 4, Key: "c", Name: "other", Contributors: contrib("dan"), Dependencies: []catalog.Dependency{dep("cobra")}},
		},
		People: []catalog.Person{{ID: "ana", Email: "ana@x"}, {ID: "bob", Email: "bob@x"}, {ID: "cat", Email: "cat@x"}, {ID: "dan", Email: "dan@x"}},
	}
	first := func(c recommend.Catalogue) recommend.Item {
		t.Helper()
		r, err := recommend.Build(recommend.FromCatalogue(c), now).For("ana", recommend.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if len(r.Projects) != 2 {
			t.Fatalf("projects: %+v, want alpha and beta", r.Projects)
		}
		return r.Projects[0]
	}
	if p := first(c); p.Name != "alpha" || p.HelpWanted != nil {
		t.Fatalf("without issues: %+v, want alpha first (a tie broken by order)", p)
	}
	closed := issue
	closed.State, closed.Labels = "closed", []string{"help wanted"}
	c.Issues = map[int64][]catalog.ForgeItem{3: {issue, closed}} // labelled bug; closed
	if p := first(c); p.Name != "alpha" {
		t.Errorf("an open bug and a closed help-wanted issue: %+v, want alpha still first", p)
	}
	wanted := issue
	wanted.Labels = append(slices.Clone(issue.Labels), "Good-First-Issue")
	c.Issues = map[int64][]catalog.ForgeItem{3: {issue, wanted}}
	p := first(c)
	if p.Name != "beta" || p.HelpWanted == nil || p.HelpWanted.Number != issue.Number || p.HelpWanted.URL != issue.URL {
		t.Fatalf("with a good first issue: %+v, want beta first with #%d", p, issue.Number)
	}
	if want := `it asks for help: #1347 "Found a bug" (Good-First-Issue)`; !strings.Contains(p.Why, want) {
		t.Errorf("why: %q, want it to contain %q", p.Why, want)
	}
}
