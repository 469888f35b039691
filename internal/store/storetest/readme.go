package storetest

import (
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/store"
)

// testReadme checks Project.Readme: it round-trips through Project with its
// text cleaned like every other string, a rescan without a README removes
// it, and ListProjects never returns it.
func testReadme(t *testing.T, s store.Store) {
	ctx := context.Background()
	// 16 KiB of Markdown with the strings stores must not trip on: quotes,
	// backslashes, LIKE and HTML metacharacters, SQL, non-ASCII, a NUL and
	// invalid UTF-8 (which the scanner never produces, but the store cleans).
	line := "| a | `b` | <script>alert('x')</script> \\ 100%_ ''; DROP TABLE projects; -- ünï 日本語 🚀\n"
	text := "# Tïtle\n\n" + strings.Repeat(line, (16<<10)/len(line)-1)
	p := project("github.com/org/readme", "readme", 1)
	p.Readme = &catalog.Readme{Path: "docs/../README.md", Format: catalog.ReadmeMarkdown,
		Text: text + "nul\x00 bad \xff\xfe end", Truncated: true}
	id := replace(t, s, p)
	want := stored(p, id)
	want.Readme = &catalog.Readme{Path: "docs/../README.md", Format: catalog.ReadmeMarkdown,
		Text: text + "nul\uFFFD bad \uFFFD end", Truncated: true}
	if diff := cmp.Diff(want, *get(t, s, p.Key), opts); diff != "" {
		t.Errorf("Project with a README (-want +got):\n%s", diff)
	}

	// An empty README is still a README.
	empty := project("github.com/org/empty-readme", "empty-readme", 2)
	empty.Readme = &catalog.Readme{Path: "README", Format: catalog.ReadmeText}
	emptyID := replace(t, s, empty)
	if got := get(t, s, empty.Key).Readme; got == nil || *got != *empty.Readme {
		t.Errorf("empty README read back as %+v, want %+v", got, empty.Readme)
	}

	ps, err := s.ListProjects(ctx, store.ProjectFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) != 2 {
		t.Fatalf("ListProjects: %d projects, want 2", len(ps))
	}
	for _, lp := range ps {
		if lp.Readme != nil {
			t.Errorf("ListProjects returned the README of %s", lp.Key)
		}
	}

	// A rescan with another README replaces it; one without removes it, and
	// leaves the other project's alone.
	p2 := project(p.Key, p.Name, 3)
	p2.Readme = &catalog.Readme{Path: "README.rst", Format: catalog.ReadmeRST, Text: "Title\n=====\n"}
	replace(t, s, p2)
	if diff := cmp.Diff(stored(p2, id), *get(t, s, p.Key), opts); diff != "" {
		t.Errorf("Project after a rescan with another README (-want +got):\n%s", diff)
	}
	p3 := project(p.Key, p.Name, 4)
	p3.Readme = nil
	replace(t, s, p3)
	got := get(t, s, p.Key)
	if got.Readme != nil {
		t.Errorf("README kept after a rescan without one: %+v", got.Readme)
	}
	if diff := cmp.Diff(stored(p3, id), *got, opts); diff != "" {
		t.Errorf("Project after a rescan without a README (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(stored(empty, emptyID), *get(t, s, empty.Key), opts); diff != "" {
		t.Errorf("other project after the rescan (-want +got):\n%s", diff)
	}

	// A project deleted and scanned again without a README has none.
	if err := s.DeleteProject(ctx, empty.Key); err != nil {
		t.Fatal(err)
	}
	again := project(empty.Key, empty.Name, 5)
	again.Readme = nil
	replace(t, s, again)
	if got := get(t, s, empty.Key).Readme; got != nil {
		t.Errorf("README of a deleted project came back: %+v", got)
	}
}
