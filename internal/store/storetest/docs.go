package storetest

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/store"
)

// testDocs checks Project.Docs: SearchDocs finds a page by the starts of
// words of its title or text (case-insensitively; punctuation, "%" and "_"
// included, separates words; not by the middle of a word), title matches
// first, with the total beyond the limit; a rescan replaces the pages and
// deleting the project removes them; no project read returns them.
func testDocs(t *testing.T, s store.Store) {
	ctx := context.Background()
	ledger := project("github.com/org/ledger", "ledger", 1)
	ledger.Docs = []catalog.DocPage{
		{Name: "index", Title: "Ledger guide", Text: "ledger guide\n\nthe quokka reconciliation runs nightly. 100%_done\n"},
		{Name: "setup/install", Title: "Installing", Text: "installing\n\nrun make; then read the Quokka FAQ.\n"},
		{Name: "index", Title: "Duplicate", Text: "quokka"}, // the first of a name wins
	}
	id := replace(t, s, ledger)
	other := project("github.com/org/atlas", "atlas", 2)
	other.Docs = []catalog.DocPage{{Name: "quokka", Title: "Quokka notes", Text: "quokka notes\n"}}
	otherID := replace(t, s, other)

	search := func(q string, limit int) ([]catalog.DocHit, int) {
		t.Helper()
		hits, total, err := s.SearchDocs(ctx, q, limit)
		if err != nil {
			t.Fatal(err)
		}
		return hits, total
	}
	hits, total := search("QUOKKA", 0)
	want := []catalog.DocHit{
		{ProjectID: otherID, Project: "atlas", Name: "quokka", Title: "Quokka notes"},
		{ProjectID: id, Project: "ledger", Name: "index", Title: "Ledger guide"},
		{ProjectID: id, Project: "ledger", Name: "setup/install", Title: "Installing"},
	}
	if diff := cmp.Diff(want, hits); diff != "" || total != 3 {
		t.Errorf("SearchDocs(QUOKKA): total %d (-want +got):\n%s", total, diff)
	}
	if hits, total := search("quokka", 1); len(hits) != 1 || hits[0].Name != "quokka" || total != 3 {
		t.Errorf("SearchDocs(quokka, 1) = %+v, %d; want the title match and a total of 3", hits, total)
	}
	for _, q := range []string{"", "  ", "%", "q%a", "okka", "100%_d", "Reconcil nightl", "zebra"} {
		hits, _ := search(q, 0)
		if wantHit := q == "100%_d" || q == "Reconcil nightl"; (len(hits) == 1) != wantHit || (!wantHit && len(hits) != 0) {
			t.Errorf("SearchDocs(%q) = %+v", q, hits)
		}
	}
	if got := get(t, s, ledger.Key); got.Docs != nil {
		t.Errorf("Project returned the docs: %+v", got.Docs)
	}

	// A rescan without docs removes them; so does deleting the project.
	ledger.Docs = nil
	replace(t, s, ledger)
	if hits, _ := search("reconciliation", 0); len(hits) != 0 {
		t.Errorf("after a rescan without docs: %+v", hits)
	}
	if err := s.DeleteProject(ctx, other.Key); err != nil {
		t.Fatal(err)
	}
	if hits, _ := search("quokka", 0); len(hits) != 0 {
		t.Errorf("after deleting the project: %+v", hits)
	}
}
