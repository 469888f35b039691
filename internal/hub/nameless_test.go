package hub_test

import (
	"context"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/identity"
)

func TestNamelessPerson(t *testing.T) { eachStore(t, testNamelessPerson) }

// testNamelessPerson: git accepts commits whose author has no name; the
// pages show such a person as "(no name)", never as a link with no text.
func testNamelessPerson(t *testing.T, open opener) {
	ctx := context.Background()
	st := open(t)
	nameless := catalog.Identity{Name: "", Email: "ghost@example.com"}
	blank := catalog.Identity{Name: "  ", Email: "blank@example.com"}
	contrib := func(id catalog.Identity) catalog.Contribution {
		return catalog.Contribution{Identity: id, Commits: 1, FirstCommit: t0, LastCommit: t0}
	}
	id, err := st.ReplaceProject(ctx, &catalog.Project{Key: "github.com/acme/ghost", Name: "ghost", Path: "/src/ghost",
		HeadCommit: strings.Repeat("a", 40), HeadDate: t0, Commits: 2, ScannerVersion: catalog.ScannerVersion, ScannedAt: t0,
		Languages:    []catalog.Language{{Name: "Go", Bytes: 10, Files: 1}},
		Contributors: []catalog.Contribution{contrib(nameless), contrib(blank)}})
	if err != nil {
		t.Fatal(err)
	}
	people := identity.Merge([]catalog.IdentityCount{{Identity: nameless, Commits: 1}, {Identity: blank, Commits: 1}})
	if err := st.ReplacePeople(ctx, people); err != nil {
		t.Fatal(err)
	}
	srv := newServer(t, st)
	emptyLink := regexp.MustCompile(`<a href="/people/[^"]*">\s*</a>`)
	paths := []string{"/people", "/projects/" + strconv.FormatInt(id, 10), "/technologies/Go", "/search?q=ghost"}
	for _, p := range people {
		paths = append(paths, "/people/"+p.ID)
	}
	for _, path := range paths {
		r := do(t, srv, "GET", path)
		if r.status != 200 {
			t.Fatalf("GET %s = %d\n%s", path, r.status, r.body)
		}
		if m := emptyLink.FindString(r.body); m != "" {
			t.Errorf("GET %s: a link with no text: %s", path, m)
		}
		if !strings.Contains(r.body, "(no name)") {
			t.Errorf("GET %s: the nameless person is not shown as (no name)", path)
		}
	}
}
