package sqldb

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"unicode"

	"github.com/ospo-project/ospo/internal/catalog"
)

// insertDocs writes p.Docs for project id (the first of two pages with one
// name wins); ReplaceProject has emptied project_docs for it.
func insertDocs(ctx context.Context, t tx, id int64, p *catalog.Project) error {
	seen := map[string]bool{}
	var docs []catalog.DocPage
	for _, d := range p.Docs {
		if n := clean(d.Name); n != "" && !seen[n] {
			seen[n] = true
			docs = append(docs, d)
		}
	}
	return t.insertRows(ctx, "project_docs", []string{"project_id", "name", "title", "text"}, len(docs), func(i int, args []any) []any {
		d := docs[i]
		return append(args, id, clean(d.Name), clean(d.Title), strings.ToLower(clean(d.Text)))
	})
}

// SearchDocs implements store.ProjectStore: pages holding every word of
// query as the start of a word of their title or text (full-text, through
// the dialect's index; punctuation separates words), title matches first.
func (s *Store) SearchDocs(ctx context.Context, query string, limit int) ([]catalog.DocHit, int, error) {
	words := docWords(clean(query))
	if len(words) == 0 {
		return nil, 0, nil
	}
	type hit struct {
		catalog.DocHit
		title bool
	}
	var hits []hit
	err := s.read(ctx, "search docs", func(t tx) error {
		return eachRow(ctx, t, "docs", s.d.DocSearch, []any{s.d.DocQuery(words)}, func(rows *sql.Rows) error {
			var h hit
			if err := rows.Scan(&h.ProjectID, &h.Project, &h.Name, &h.Title); err != nil {
				return err
			}
			h.title = prefixesAll(docWords(h.Title), words)
			hits = append(hits, h)
			return nil
		})
	})
	if err != nil {
		return nil, 0, fmt.Errorf("search docs for %q: %w", query, err)
	}
	// Title matches first, then by project name and page name.
	slices.SortFunc(hits, func(a, b hit) int {
		if a.title != b.title {
			if a.title {
				return -1
			}
			return 1
		}
		return cmp.Or(strings.Compare(a.Project, b.Project), cmp.Compare(a.ProjectID, b.ProjectID), strings.Compare(a.Name, b.Name))
	})
	n := len(hits)
	if limit > 0 && n > limit {
		n = limit
	}
	out := make([]catalog.DocHit, n)
	for i := range out {
		out[i] = hits[i].DocHit
	}
	if len(out) == 0 {
		out = nil
	}
	return out, len(hits), nil
}

// maxDocWords bounds the words of one doc search.
const maxDocWords = 16

// docWords splits s into its lower-cased runs of letters and digits, as the
// full-text indexes split the pages (at most maxDocWords).
func docWords(s string) []string {
	words := strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
	return words[:min(len(words), maxDocWords)]
}

// prefixesAll reports whether every one of words starts some word of have.
func prefixesAll(have, words []string) bool {
	for _, w := range words {
		if !slices.ContainsFunc(have, func(h string) bool { return strings.HasPrefix(h, w) }) {
			return false
		}
	}
	return true
}
