package sqlite_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/store/teststore"
)

// TestSearchDocsLoad measures store.SearchDocs over 10,000 projects of
// three doc pages of catalog.MaxDocText bytes each (OSPO_DOCS_LOAD=1; the
// figures are in docs/benchmarks.md): a word on one page, a word on every
// page, a word on none. Only the counts are asserted.
func TestSearchDocsLoad(t *testing.T) {
	if os.Getenv("OSPO_DOCS_LOAD") == "" {
		t.Skip("set OSPO_DOCS_LOAD=1 to measure")
	}
	ctx := context.Background()
	st := teststore.SQLite(t)
	words := strings.Fields("the service exposes an api for payments ledger accounts and reconciliation with retries timeouts and metrics")
	start := time.Now()
	for i := 0; i < 10000; i++ {
		p := &catalog.Project{Key: fmt.Sprintf("path:/p/%d", i), Name: fmt.Sprintf("p%d", i), ScannerVersion: catalog.ScannerVersion}
		for j := 0; j < 3; j++ {
			var b strings.Builder
			for b.Len() < catalog.MaxDocText-20 {
				b.WriteString(words[(i*7+j*3+b.Len())%len(words)])
				b.WriteByte(' ')
			}
			if i == 9999 && j == 2 {
				b.WriteString("numbat")
			}
			p.Docs = append(p.Docs, catalog.DocPage{Name: fmt.Sprintf("page%d", j), Title: fmt.Sprintf("Page %d", j), Text: b.String()})
		}
		if _, err := st.ReplaceProject(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	t.Logf("filled 10,000 projects x 3 pages x %d bytes in %v", catalog.MaxDocText, time.Since(start))
	for q, want := range map[string]int{"numbat": 1, "payments": 30000, "zzz": 0} {
		var best time.Duration
		for k := 0; k < 5; k++ {
			s := time.Now()
			hits, total, err := st.SearchDocs(ctx, q, 20)
			if err != nil {
				t.Fatal(err)
			}
			if d := time.Since(s); k == 0 || d < best {
				best = d
			}
			if total != want || len(hits) != min(want, 20) {
				t.Fatalf("SearchDocs(%q) = %d hits of %d, want %d", q, len(hits), total, want)
			}
		}
		t.Logf("SearchDocs(%q) best of 5: %v", q, best)
	}
}
