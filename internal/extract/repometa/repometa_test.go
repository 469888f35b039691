package repometa

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/repofs"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// parseTxtar reads a tree written in the txtar format: a comment, then files
// each introduced by a "-- path --" line.
func parseTxtar(t *testing.T, data []byte) repofs.MemTree {
	t.Helper()
	tree := repofs.MemTree{}
	var name string
	var body []byte
	flush := func() {
		if name != "" {
			tree[name] = string(body)
		}
	}
	for _, line := range bytes.SplitAfter(data, []byte("\n")) {
		l := strings.TrimRight(string(line), "\n")
		if strings.HasPrefix(l, "-- ") && strings.HasSuffix(l, " --") && len(l) > 6 {
			flush()
			name, body = l[3:len(l)-3], nil
			continue
		}
		if name != "" {
			body = append(body, line...)
		}
	}
	flush()
	return tree
}

// hostileTrees are inputs built in code: too large, too deep or too
// self-referential to keep as files.
func hostileTrees() map[string]repofs.MemTree {
	billionLaughs := `apiVersion: backstage.io/v1alpha1
kind: Component
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
metadata:
  name: laughs
  description: Still described.
  tags: *i
spec:
  owner: *i
  lifecycle: experimental
`
	deepYAML := "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: deep\n  description: Deeply nested.\nspec:\n  owner: team-deep\n  extra: " +
		strings.Repeat("[", 10000) + strings.Repeat("]", 10000) + "\n"
	deeperYAML := "kind: Component\nx: " + strings.Repeat("{a: ", 100000) + "1" + strings.Repeat("}", 100000) + "\n"
	deepJSON := `{"description": "Deep JSON.", "topics": ["deep"], "x": ` + strings.Repeat("[", 10000) + strings.Repeat("]", 10000) + `}`
	deeperJSON := `{"x": ` + strings.Repeat(`{"a": `, 100000) + "1" + strings.Repeat("}", 100000) + `}`

	return map[string]repofs.MemTree{
		"hostile-billion-laughs": {
			"catalog-info.yaml": billionLaughs,
		},
		"hostile-deep-10000": {
			"catalog-info.yaml": deepYAML,
			"innersource.json":  deepJSON,
		},
		"hostile-deep-100000": {
			"catalog-info.yml": deeperYAML,
			"innersource.json": deeperJSON,
			"README.md":        strings.Repeat("> ", 50000) + "quoted deeply\n",
		},
		"hostile-invalid-utf8": {
			"README.md":                  "# T\xff\n\nA caf\xe9 \xff\xfe project \x00 with bad bytes.\n",
			".github/CODEOWNERS":         "/caf\xe9/ @t\xffeam\n",
			"innersource.json":           "{\"title\": \"\xff\", \"topics\": [\"caf\xe9\"], \"owner\": \"\xfe@example.com\"}",
			".github/workflows/\xff.yml": "on: push",
		},
		"hostile-too-large": {
			"catalog-info.yaml": "# " + strings.Repeat("x", maxMetaFile) + "\n",
			"README.md":         strings.Repeat("word ", maxReadmeRead/5+1),
			"CODEOWNERS":        strings.Repeat("a @b\n", maxMetaFile/5+1),
		},
	}
}

// goldenTrees are the trees of testdata/trees and hostileTrees by name.
func goldenTrees(t *testing.T) map[string]repofs.MemTree {
	t.Helper()
	cases := map[string]repofs.MemTree{}
	txtars, err := filepath.Glob("testdata/trees/*.txtar")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range txtars {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		cases[strings.TrimSuffix(filepath.Base(f), ".txtar")] = parseTxtar(t, data)
	}
	for name, tree := range hostileTrees() {
		cases[name] = tree
	}
	return cases
}

func TestExtractGolden(t *testing.T) {
	for name, tree := range goldenTrees(t) {
		t.Run(name, func(t *testing.T) {
			var p catalog.Project
			// A hostile tree that hangs fails by the test timeout; speed is
			// for benchmarks, not for assertions on a busy machine.
			p.AddFacts(Extract(context.Background(), tree))
			checkStored(t, &p)
			got, err := json.MarshalIndent(goldenView(p), "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, '\n')
			golden := filepath.Join("testdata", "golden", name+".json")
			if *update {
				if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if diff := cmp.Diff(string(want), string(got)); diff != "" {
				t.Errorf("Extract %s (-want +got):\n%s", name, diff)
			}
		})
	}
}

// TestDescriptionAgreesWithFacts: the description extractor, handed the
// root files only, finds what Facts finds over the whole tree (the
// description and the rest of catalog-info.yaml and innersource.json),
// and its problems are among Facts' problems.
func TestDescriptionAgreesWithFacts(t *testing.T) {
	for name, tree := range goldenTrees(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			all := Facts(ctx, tree, tree.Files())
			var ex DescriptionExtractor
			var root []repofs.File
			for _, f := range tree.Files() {
				if ex.FileRequired(f) {
					root = append(root, f)
				}
			}
			got := ex.Extract(ctx, tree, root)
			want := catalog.Facts{
				Description: all.Description, DescriptionSource: all.DescriptionSource, Topics: all.Topics,
				Lifecycle: all.Lifecycle, System: all.System, Kind: all.Kind, TrackerProjects: all.TrackerProjects,
			}
			for _, o := range all.Owners {
				if o.Source != catalog.OwnerCodeowners {
					want.Owners = append(want.Owners, o)
				}
			}
			problems := got.Problems
			got.Problems = nil
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("Description (-Facts +Description):\n%s", diff)
			}
			for _, pr := range problems {
				if !slices.Contains(all.Problems, pr) {
					t.Errorf("Description's problem %+v is not one of Facts'", pr)
				}
			}
		})
	}
}

// goldenView returns p as the golden files show it: a README text longer
// than 1 KiB is shown as its length, head and tail, so that golden files
// stay small enough to review.
func goldenView(p catalog.Project) catalog.Project {
	if r := p.Readme; r != nil && len(r.Text) > 1<<10 {
		c := *r
		rs := []rune(r.Text)
		c.Text = fmt.Sprintf("[%d bytes] %s … %s", len(r.Text), string(rs[:64]), string(rs[len(rs)-64:]))
		p.Readme = &c
	}
	return p
}

// checkStored checks the promises Extract makes about what it stores.
func checkStored(t *testing.T, p *catalog.Project) {
	t.Helper()
	valid := func(what, s string) {
		if !utf8Valid(s) {
			t.Errorf("%s %q is not valid UTF-8", what, s)
		}
	}
	if r := p.Readme; r != nil {
		valid("readme path", r.Path)
		checkReadmeText(t, r.Text)
	}
	valid("description", p.Description)
	if n := len([]rune(p.Description)); n > maxDescription {
		t.Errorf("description has %d runes", n)
	}
	for _, tp := range p.Topics {
		valid("topic", tp)
		if tp != strings.ToLower(tp) {
			t.Errorf("topic %q is not lower case", tp)
		}
	}
	for _, o := range p.Owners {
		valid("owner", o.Owner)
		valid("pattern", o.Pattern)
	}
	for _, f := range p.Files {
		valid("file", f.Path)
	}
	for _, pr := range p.Problems {
		valid("problem", pr.Message)
		valid("problem path", pr.Path)
	}
}

func utf8Valid(s string) bool { return strings.ToValidUTF8(s, "") == s }

func TestExtractManyCodeownersRules(t *testing.T) {
	var b strings.Builder
	for i := range maxCodeownersRules + 5 {
		fmt.Fprintf(&b, "/p%d/ @o\n", i)
	}
	var p catalog.Project
	p.AddFacts(Extract(context.Background(), repofs.MemTree{"CODEOWNERS": b.String()}))
	if len(p.Owners) != maxCodeownersRules {
		t.Errorf("%d owners, want %d", len(p.Owners), maxCodeownersRules)
	}
	if last := p.Owners[len(p.Owners)-1]; last.Pattern != fmt.Sprintf("/p%d/", maxCodeownersRules-1) {
		t.Errorf("last owner %+v", last)
	}
	want := []catalog.Problem{{Kind: catalog.ProblemTooLarge, Path: "CODEOWNERS",
		Message: "CODEOWNERS has more than 10000 owner rules; the rest are ignored"}}
	if diff := cmp.Diff(want, p.Problems); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}
}

func TestExtractKeepsExistingValues(t *testing.T) {
	p := catalog.Project{
		Description: "from the forge", DescriptionSource: "github",
		Topics: []string{"go"}, Kind: catalog.KindOpenSource,
	}
	p.AddFacts(Extract(context.Background(), repofs.MemTree{"main.go": "package main"}))
	want := catalog.Project{
		Description: "from the forge", DescriptionSource: "github",
		Topics: []string{"go"}, Kind: catalog.KindOpenSource,
		Files: []catalog.FileFact{{Kind: catalog.FileCodeFiles, Path: "1"}},
	}
	if diff := cmp.Diff(want, p); diff != "" {
		t.Errorf("Extract (-want +got):\n%s", diff)
	}
}

// TestInnerSourceKind checks what marks a project InnerSource: an
// innersource.json, or a catalog-info tag spelled as InnerSource Commons and
// GitHub topics spell it; other tags do not.
func TestInnerSourceKind(t *testing.T) {
	info := func(tags string) string {
		return "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: x\n  tags: [" + tags + "]\nspec:\n  owner: team-a\n"
	}
	tests := []struct {
		name string
		tree repofs.MemTree
		want string
	}{
		{"innersource.json", repofs.MemTree{"innersource.json": `{"title": "x"}`}, catalog.KindInnerSource},
		{"broken innersource.json", repofs.MemTree{"innersource.json": `{`}, catalog.KindInnerSource},
		{"tag inner-source", repofs.MemTree{"catalog-info.yaml": info("go, inner-source")}, catalog.KindInnerSource},
		{"tag InnerSource", repofs.MemTree{"catalog-info.yaml": info("InnerSource")}, catalog.KindInnerSource},
		{"tag inner_source", repofs.MemTree{"catalog-info.yaml": info("inner_source")}, catalog.KindInnerSource},
		{"other tags", repofs.MemTree{"catalog-info.yaml": info("go, source, inner")}, ""},
		{"nothing", repofs.MemTree{"main.go": "package main"}, ""},
	}
	for _, tt := range tests {
		if got := Extract(context.Background(), tt.tree).Kind; got != tt.want {
			t.Errorf("%s: Kind = %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestExtractCanceled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var p catalog.Project
	p.AddFacts(Extract(ctx, repofs.MemTree{"README.md": "Hello there world."}))
	if p.Description != "" || len(p.Problems) != 1 || p.Problems[0].Kind != catalog.ProblemTimeout {
		t.Errorf("got %+v, want only a timeout problem", p)
	}
}

// symlinkTree marks some entries of a MemTree as symlinks or submodules.
type symlinkTree struct {
	repofs.MemTree
	links map[string]bool
}

func (s symlinkTree) Files() []repofs.File {
	files := s.MemTree.Files()
	for i := range files {
		if s.links[files[i].Path] {
			files[i].Symlink = true
		}
	}
	return files
}

func TestExtractIgnoresSymlinks(t *testing.T) {
	tree := symlinkTree{
		MemTree: repofs.MemTree{
			"README.md":  "../../etc/passwd",
			"LICENSE":    "/usr/share/common-licenses/GPL",
			"CODEOWNERS": "* @real",
		},
		links: map[string]bool{"README.md": true, "LICENSE": true},
	}
	var p catalog.Project
	p.AddFacts(Extract(context.Background(), tree))
	want := catalog.Project{
		Owners: []catalog.Owner{{Owner: "@real", Source: catalog.OwnerCodeowners, Path: "CODEOWNERS", Pattern: "*"}},
		Files:  []catalog.FileFact{{Kind: catalog.FileCodeowners, Path: "CODEOWNERS"}},
	}
	if diff := cmp.Diff(want, p); diff != "" {
		t.Errorf("Extract (-want +got):\n%s", diff)
	}
}

func BenchmarkExtract100k(b *testing.B) {
	m := repofs.MemTree{
		"README.md":          "# x\n\nA project.\n",
		".github/CODEOWNERS": "* @a\n",
		"LICENSE":            "MIT",
	}
	for i := 0; len(m) < 100_000; i++ {
		switch i % 4 {
		case 0:
			m[fmt.Sprintf("pkg/%d/file%d.go", i%300, i)] = "package x"
		case 1:
			m[fmt.Sprintf("pkg/%d/file%d_test.go", i%300, i)] = "package x"
		case 2:
			m[fmt.Sprintf("web/node_modules/dep%d/index%d.js", i%300, i)] = "x"
		case 3:
			m[fmt.Sprintf("docs/%d/page%d.md", i%300, i)] = "x"
		}
	}
	tree := fixedTree{files: m.Files(), MemTree: m}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		var p catalog.Project
		p.AddFacts(Extract(context.Background(), tree))
	}
}

// fixedTree serves a precomputed file list, as a real Tree does.
type fixedTree struct {
	repofs.MemTree
	files []repofs.File
}

func (f fixedTree) Files() []repofs.File { return f.files }

// TestTrackerProjects reads the jira/project-key annotation: one key or a
// comma-separated list, anything that is not a JIRA key left out.
func TestTrackerProjects(t *testing.T) {
	info := func(v string) string {
		return "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: x\n  annotations:\n    jira/project-key: " + v + "\nspec:\n  owner: team-a\n"
	}
	for _, tt := range []struct {
		value string
		want  []string
	}{
		{"PAY", []string{"PAY"}},
		{`"PAY, WEB_2 ,PAY"`, []string{"PAY", "WEB_2"}},
		{`"pay"`, nil},
		{`"<script>, ../X, A B"`, nil},
		{`""`, nil},
	} {
		got := Extract(context.Background(), repofs.MemTree{"catalog-info.yaml": info(tt.value)}).TrackerProjects
		if !slices.Equal(got, tt.want) {
			t.Errorf("jira/project-key %s: %q, want %q", tt.value, got, tt.want)
		}
	}
}
