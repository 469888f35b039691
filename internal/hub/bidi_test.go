package hub_test

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/ospo-project/ospo/internal/catalog"
)

func TestBidiControls(t *testing.T) { eachStore(t, testBidiControls) }

// testBidiControls: a bidirectional control in a repository's strings (a
// description, an author's name, a topic) reaches no page, where it would
// reorder the text after it; each shows as U+FFFD.
func testBidiControls(t *testing.T, open opener) {
	ctx := context.Background()
	st := open(t)
	mallory := catalog.Identity{Name: "Mallory \u202eyrollaM", Email: "mallory@example.com"}
	id, err := st.ReplaceProject(ctx, &catalog.Project{Key: "github.com/acme/trojan", Name: "trojan\u2067", Path: "/src/trojan",
		HeadCommit: strings.Repeat("a", 40), HeadDate: t0, Commits: 2, ScannerVersion: catalog.ScannerVersion, ScannedAt: t0,
		Description: "Opens \u202egnp.exe files", Topics: []string{"\u2066topic"},
		Contributors: []catalog.Contribution{
			{Identity: mallory, Commits: 1, FirstCommit: t0, LastCommit: t0},
			{Identity: catalog.Identity{Name: "Jane Doe", Email: "jane@example.com"}, Commits: 1, FirstCommit: t0, LastCommit: t0}}})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.ReplacePeople(ctx, []catalog.Person{{ID: "mallory", Name: mallory.Name, Email: mallory.Email, Identities: []catalog.Identity{mallory}}}); err != nil {
		t.Fatal(err)
	}
	srv := newServer(t, st)
	for _, tc := range []struct {
		path string
		want string
	}{
		{"/", "Opens \ufffdgnp.exe files"},
		{"/projects/" + strconv.FormatInt(id, 10), "Opens \ufffdgnp.exe files"},
		{"/projects", "trojan\ufffd"},
		{"/people", "Mallory \ufffdyrollaM"},
		{"/people/mallory", "Mallory \ufffdyrollaM"},
		{"/search?q=" + "%E2%80%AEtrojan", "\ufffdtrojan"},
	} {
		r := do(t, srv, "GET", tc.path)
		if r.status != 200 {
			t.Fatalf("GET %s = %d\n%s", tc.path, r.status, r.body)
		}
		if i := strings.IndexFunc(r.body, func(c rune) bool { return c >= 0x202a && c <= 0x202e || c >= 0x2066 && c <= 0x2069 }); i >= 0 {
			t.Errorf("GET %s: a bidirectional control in the page: %q", tc.path, r.body[max(0, i-40):min(len(r.body), i+40)])
		}
		if !strings.Contains(r.body, tc.want) {
			t.Errorf("GET %s: the page lacks %q", tc.path, tc.want)
		}
	}
}
