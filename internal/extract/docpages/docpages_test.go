package docpages_test

import (
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/extract"
	"github.com/ospo-project/ospo/internal/extract/docpages"
	"github.com/ospo-project/ospo/internal/repofs"
)

// TestExtract reads the docs/ pages of a tree through the extractors' run
// (extract.Run): titles from front matter or the first heading, text
// lower-cased and bounded, pages outside docs/ and other files ignored.
func TestExtract(t *testing.T) {
	long := "# Long\n\n" + strings.Repeat("word ", 4000)
	tree := repofs.MemTree{
		"README.md":              "# Not a doc page\n",
		"docs/index.md":          "# Ledger guide\n\nThe Quokka reconciliation runs nightly.\n",
		"docs/setup/install.md":  "---\ntitle: Installing\n---\n\nRun make.\n",
		"docs/notes.txt":         "not markdown",
		"docs/long.markdown":     long,
		"documentation/other.md": "# Elsewhere\n",
	}
	facts := extract.Run(context.Background(), tree, []extract.Extractor{docpages.Extractor{}})[0]
	if len(facts.Problems) > 0 {
		t.Fatalf("problems: %v", facts.Problems)
	}
	if len(facts.Docs) != 3 {
		t.Fatalf("%d pages, want 3: %+v", len(facts.Docs), facts.Docs)
	}
	got := map[string]catalog.DocPage{}
	for _, d := range facts.Docs {
		got[d.Name] = d
	}
	if d := got["index"]; d.Title != "Ledger guide" || !strings.Contains(d.Text, "the quokka reconciliation runs nightly") {
		t.Errorf("index = %+v", d)
	}
	if diff := cmp.Diff(catalog.DocPage{Name: "setup/install", Title: "Installing", Text: "installing\n\n\nrun make.\n"}, got["setup/install"]); diff != "" {
		t.Errorf("setup/install (-want +got):\n%s", diff)
	}
	if d := got["long"]; d.Title != "Long" || len(d.Text) != catalog.MaxDocText {
		t.Errorf("long: title %q, %d bytes of text, want %d", d.Title, len(d.Text), catalog.MaxDocText)
	}
}
