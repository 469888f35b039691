package estate

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/ospo-project/ospo/internal/catalog"
)

// searchEstate is a snapshot built by hand: search works on the snapshot
// alone, so no store is needed to test what it matches and in what order.
func searchEstate() *Snapshot {
	e := &Snapshot{
		all: []catalog.Project{
			{ID: 1, Name: "api-gateway", Key: "github.com/acme/api-gateway", Path: "/src/api-gateway", Description: "Routes payments traffic"},
			{ID: 2, Name: "Payments", Key: "github.com/acme/payments", Path: "/src/payments"},
			{ID: 3, Name: "payments-ui", Key: "github.com/acme/payments-ui", Path: "/src/payments-ui"},
			{ID: 4, Name: "web", Key: "github.com/acme/web", Path: "/src/web", Description: "Ünïcode Ça va"},
			{ID: 5, Name: "x-payments", Key: "github.com/acme/x-payments", Path: "/src/x-payments"},
		},
		people: []catalog.Person{
			{ID: "p1", Name: "Alice Paymentson", Email: "alice@example.com"},
			{ID: "p2", Name: "Bob", Email: "bob@example.com", Identities: []catalog.Identity{{Name: "Robert", Email: "rob@old.example.org"}}},
		},
		techs: []catalog.Technology{
			{Kind: "package", ID: "pkg:npm/express", Ecosystem: "npm", Name: "express", Projects: 9},
			{Kind: "package", ID: "pkg:pypi/flask-sqlalchemy", Ecosystem: "pypi", Name: "flask-sqlalchemy", Projects: 5},
			{Kind: "package", ID: "pkg:npm/express-session", Ecosystem: "npm", Name: "express-session", Projects: 3},
			{Kind: "package", ID: "pkg:npm/%40types/express", Ecosystem: "npm", Name: "@types/express", Projects: 20},
			{Kind: "language", ID: "Go", Name: "Go", Projects: 4},
		},
		Teams:   []Team{{"@acme/payments", 3}, {"@acme/web", 1}},
		BuiltAt: time.Now(),
	}
	e.text = newSearchText(e)
	return e
}

func names[T any](xs []T, name func(T) string) []string {
	out := []string{}
	for _, x := range xs {
		out = append(out, name(x))
	}
	return out
}

func projectName(p catalog.Project) string { return p.Name }
func personID(p catalog.Person) string     { return p.ID }
func techID(t catalog.Technology) string   { return t.ID }
func teamOwner(t Team) string              { return t.Owner }
func catalogWith(e *Snapshot) *Catalog {
	c := New(nil, time.Hour)
	c.snap, c.checked = e, time.Now()
	return c
}
func eq(a, b []string) bool                      { return slices.Equal(a, b) }
func ids(ts []catalog.Technology) []string       { return names(ts, techID) }
func projectNames(ps []catalog.Project) []string { return names(ps, projectName) }

func TestSearchRanksNamesFirst(t *testing.T) {
	c := catalogWith(searchEstate())
	tests := []struct {
		query                   string
		projects, people, techs []string
		teams                   []string
	}{
		// The exact name first, then names starting with the query, then
		// containing it, then matches in other fields (the description).
		{"payments", []string{"Payments", "payments-ui", "x-payments", "api-gateway"}, []string{"p1"}, []string{}, []string{"@acme/payments"}},
		{"  PAYMENTS ", []string{"Payments", "payments-ui", "x-payments", "api-gateway"}, []string{"p1"}, []string{}, []string{"@acme/payments"}},
		{"express", []string{}, []string{}, []string{"pkg:npm/express", "pkg:npm/express-session", "pkg:npm/%40types/express"}, []string{}},
		// PyPI names match in their normalised form.
		{"Flask_SQLAlchemy", []string{}, []string{}, []string{"pkg:pypi/flask-sqlalchemy"}, []string{}},
		{"flask.sqlalchemy", []string{}, []string{}, []string{"pkg:pypi/flask-sqlalchemy"}, []string{}},
		// People by a former identity, by email, by ID.
		{"rob@old", []string{}, []string{"p2"}, []string{}, []string{}},
		{"payment", []string{"Payments", "payments-ui", "x-payments", "api-gateway"}, []string{"p1"}, []string{}, []string{"@acme/payments"}},
		// Non-ASCII text folds.
		{"ÇA VA", []string{"web"}, []string{}, []string{}, []string{}},
		{"%", []string{}, []string{}, []string{}, []string{}},
		{"", []string{}, []string{}, []string{}, []string{}},
	}
	for _, tt := range tests {
		r, err := c.Search(context.Background(), tt.query)
		if err != nil {
			t.Fatalf("Search(%q): %v", tt.query, err)
		}
		techs := append(ids(r.Packages), ids(r.Languages)...)
		if got := projectNames(r.Projects); !eq(got, tt.projects) {
			t.Errorf("Search(%q) projects = %q, want %q", tt.query, got, tt.projects)
		}
		if got := names(r.People, personID); !eq(got, tt.people) {
			t.Errorf("Search(%q) people = %q, want %q", tt.query, got, tt.people)
		}
		if !eq(techs, tt.techs) {
			t.Errorf("Search(%q) technologies = %q, want %q", tt.query, techs, tt.techs)
		}
		if got := names(r.Teams, teamOwner); !eq(got, tt.teams) {
			t.Errorf("Search(%q) teams = %q, want %q", tt.query, got, tt.teams)
		}
	}
}

func TestSearchCapsEachKind(t *testing.T) {
	e := &Snapshot{BuiltAt: time.Now()}
	for i := range 3 * searchLimit {
		e.all = append(e.all, catalog.Project{ID: int64(i + 1), Name: "svc"})
	}
	e.text = newSearchText(e)
	r, err := catalogWith(e).Search(context.Background(), "svc")
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Projects) != searchLimit || r.Totals.Projects != 3*searchLimit {
		t.Errorf("%d projects of %d, want %d of %d", len(r.Projects), r.Totals.Projects, searchLimit, 3*searchLimit)
	}
}

func TestProjectsSearchSortsAndPages(t *testing.T) {
	e := searchEstate()
	for i := range e.all {
		e.all[i].Commits = int(e.all[i].ID)
	}
	c := catalogWith(e)
	tests := []struct {
		q    ProjectQuery
		want []string
		more bool
	}{
		{ProjectQuery{Query: "payments"}, []string{"api-gateway", "Payments", "payments-ui", "x-payments"}, false},
		{ProjectQuery{Query: "payments", Sort: "commits"}, []string{"x-payments", "payments-ui", "Payments", "api-gateway"}, false},
		{ProjectQuery{Query: "payments", Paging: Paging{Limit: 2, Offset: 1}}, []string{"Payments", "payments-ui"}, true},
		{ProjectQuery{Query: "nothing"}, []string{}, false},
	}
	for _, tt := range tests {
		page, err := c.Projects(context.Background(), tt.q)
		if err != nil {
			t.Fatalf("Projects(%+v): %v", tt.q, err)
		}
		if got := projectNames(page.Items); !eq(got, tt.want) || page.More != tt.more {
			t.Errorf("Projects(%+v) = %q more %v, want %q more %v", tt.q, got, page.More, tt.want, tt.more)
		}
	}
}

func TestTechnologiesFilter(t *testing.T) {
	c := catalogWith(searchEstate())
	tests := []struct {
		kind, eco, q string
		want         []string
	}{
		{"", "", "", []string{"pkg:npm/express", "pkg:pypi/flask-sqlalchemy", "pkg:npm/express-session", "pkg:npm/%40types/express", "Go"}},
		{"language", "", "", []string{"Go"}},
		{"package", "NPM", "express", []string{"pkg:npm/express", "pkg:npm/express-session", "pkg:npm/%40types/express"}},
		{"", "pypi", "", []string{"pkg:pypi/flask-sqlalchemy"}},
		{"", "", "go", []string{"Go"}},
	}
	for _, tt := range tests {
		page, err := c.Technologies(context.Background(), tt.kind, tt.eco, tt.q, Paging{})
		if err != nil {
			t.Fatal(err)
		}
		if got := ids(page.Items); !eq(got, tt.want) {
			t.Errorf("Technologies(%q, %q, %q) = %q, want %q", tt.kind, tt.eco, tt.q, got, tt.want)
		}
	}
	if _, err := c.Technologies(context.Background(), "framework", "", "", Paging{}); !errors.Is(err, ErrInvalid) {
		t.Errorf("unknown kind: err = %v, want ErrInvalid", err)
	}
}
