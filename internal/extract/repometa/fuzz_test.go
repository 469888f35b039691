package repometa

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/repofs"
)

// Seeds are the files under testdata (README files, trees) plus the corpus
// committed in testdata/fuzz/<FuzzName>/.

var readmeMarkups = []string{"README.md", "README.rst", "README.adoc", "README"}

func FuzzReadmeDescription(f *testing.F) {
	files, _ := filepath.Glob("testdata/readme/*")
	for _, file := range files {
		b, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		for i := range readmeMarkups {
			f.Add(b, uint8(i))
		}
	}
	f.Fuzz(func(t *testing.T, content []byte, markup uint8) {
		name := readmeMarkups[int(markup)%len(readmeMarkups)]
		got := ReadmeDescription(name, content)
		if !utf8.ValidString(got) {
			t.Errorf("invalid UTF-8: %q", got)
		}
		if n := utf8.RuneCountInString(got); n > maxDescription {
			t.Errorf("%d runes", n)
		}
		if strings.ContainsAny(got, "\n\r\t") || strings.TrimSpace(got) != got {
			t.Errorf("not one trimmed line: %q", got)
		}
	})
}

func FuzzCodeowners(f *testing.F) {
	f.Add([]byte("* @a\n/docs/My\\ File.md @org/docs jane@example.com # c\n[S][2] @d\n*.md\n"))
	f.Fuzz(func(t *testing.T, content []byte) {
		rules, truncated := ParseCodeowners(content)
		if len(rules) > maxCodeownersRules || (truncated && len(rules) != maxCodeownersRules) {
			t.Errorf("%d rules, truncated %v", len(rules), truncated)
		}
		seen := map[CodeownersRule]bool{}
		for _, r := range rules {
			if r.Pattern == "" || !strings.Contains(r.Owner, "@") {
				t.Errorf("bad rule %+v", r)
			}
			if !utf8.ValidString(r.Pattern) || !utf8.ValidString(r.Owner) {
				t.Errorf("invalid UTF-8 in %+v", r)
			}
			if seen[r] {
				t.Errorf("duplicate %+v", r)
			}
			seen[r] = true
		}
	})
}

func FuzzCatalogInfo(f *testing.F) {
	f.Add([]byte(billionLaughsYAML))
	for _, name := range []string{"backstage-multidoc", "broken-metadata"} {
		b, err := os.ReadFile(filepath.Join("testdata", "trees", name+".txtar"))
		if err != nil {
			f.Fatal(err)
		}
		_, after, _ := strings.Cut(string(b), "-- catalog-info.yaml --\n")
		doc, _, _ := strings.Cut(after, "\n-- ")
		f.Add([]byte(doc))
	}
	f.Fuzz(func(t *testing.T, content []byte) {
		if _, err := ParseCatalogInfo(content); err != nil && strings.Contains(err.Error(), "internal error") {
			t.Errorf("parser panicked: %v", err)
		}
		var p catalog.Project
		p.AddFacts(Extract(context.Background(), repofs.MemTree{"catalog-info.yaml": string(content)}))
		checkStored(t, &p)
	})
}

func FuzzReadmeExcerpt(f *testing.F) {
	for _, glob := range []string{"testdata/readme/*", "testdata/readmetext/*"} {
		files, _ := filepath.Glob(glob)
		for _, file := range files {
			b, err := os.ReadFile(file)
			if err != nil {
				f.Fatal(err)
			}
			for i := range readmeMarkups {
				f.Add(b, uint8(i))
			}
		}
	}
	f.Fuzz(func(t *testing.T, content []byte, markup uint8) {
		name := readmeMarkups[int(markup)%len(readmeMarkups)]
		r := ReadmeExcerpt(name, content)
		checkReadmeText(t, r.Text)
		if r.Path != name || r.Format != ReadmeFormat(name) {
			t.Errorf("path %q, format %q for %s", r.Path, r.Format, name)
		}
		norm := normaliseReadme(content)
		if r.Format == catalog.ReadmeMarkdown {
			norm = stripFrontMatter(norm)
		}
		if !strings.HasPrefix(norm, r.Text) || r.Truncated != (len(r.Text) < len(norm)) {
			t.Errorf("text of %d bytes (truncated %v) is not the head of the %d normalised bytes", len(r.Text), r.Truncated, len(norm))
		}
		if r.Truncated && len(norm) > maxReadmeText && strings.Contains(norm[:maxReadmeText], "\n") && !strings.HasSuffix(r.Text, "\n") {
			t.Errorf("cut away from a line end although the head holds one")
		}
	})
}
