package languages

import (
	"strings"
	"testing"

	"github.com/go-enry/go-enry/v2"
	"github.com/google/go-cmp/cmp"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/repofs"
)

func TestRuleMatch(t *testing.T) {
	tests := []struct {
		pattern string
		dir     string
		path    string
		want    bool
	}{
		{"*.rb", "", "app.rb", true},
		{"*.rb", "", "lib/deep/app.rb", true},
		{"*.rb", "", "app.rbx", false},
		{"*.rb", "sub", "sub/x/app.rb", true},
		{"*.rb", "sub", "other/app.rb", false},
		{"docs/*", "", "docs/a.py", true},
		{"docs/*", "", "docs/x/a.py", false},
		{"docs/*", "", "src/docs/a.py", false},
		{"/docs/*", "", "docs/a.py", true},
		{"docs/**", "", "docs/x/a.py", true},
		{"docs/**", "", "docs", false},
		{"**/gen/*.go", "", "gen/a.go", true},
		{"**/gen/*.go", "", "a/b/gen/a.go", true},
		{"**/gen/*.go", "", "a/b/gen/c/a.go", false},
		{"a/**/b.c", "", "a/b.c", true},
		{"a/**/b.c", "", "a/x/y/b.c", true},
		{"a/**/b.c", "", "x/a/y/b.c", false},
		{"src/legacy.js", "", "src/legacy.js", true},
		{"src/legacy.js", "", "x/src/legacy.js", false},
		{"[!a]*.py", "", "b.py", true},
		{"[!a]*.py", "", "a.py", false},
		{"file\\*.go", "", "file*.go", true},
		{"file\\*.go", "", "filex.go", false},
		{"[", "", "[", false}, // malformed pattern never matches
		{"**/**/**/**/**/**/**/**/**/**/x", "", strings.Repeat("a/", 60) + "y", false},
	}
	for _, tt := range tests {
		rules := parseAttributes([]byte(tt.pattern + " linguist-vendored\n"))
		if len(rules) != 1 {
			t.Fatalf("parse %q: %d rules", tt.pattern, len(rules))
		}
		rules[0].dir = tt.dir
		if got := rules[0].match(tt.path); got != tt.want {
			t.Errorf("%q (in %q) match %q = %v, want %v", tt.pattern, tt.dir, tt.path, got, tt.want)
		}
	}
}

func TestParseAttributes(t *testing.T) {
	in := "\xef\xbb\xbf# comment\n" +
		"\n" +
		"[attr]binary -diff -merge -text\n" +
		"*.sh text eol=lf\n" + // no linguist attribute: dropped
		"!*.go linguist-vendored\n" + // negative patterns are not allowed
		"*.go linguist-generated=false -linguist-vendored !linguist-documentation linguist-detectable=yes\n" +
		"\"with space/*.c\" linguist-vendored\n" +
		"*.inc linguist-language=PHP\n" +
		"*.x linguist-language=NoSuchLanguage\n" +
		"*.y !linguist-language\n" +
		"docs/ linguist-documentation\n" +
		"\"unterminated linguist-vendored\n"
	got := parseAttributes([]byte(in))
	want := []rule{
		{segs: []string{"*.go"}, basename: true, assigns: []assignment{
			{name: "generated", state: attrFalse},
			{name: "vendored", state: attrFalse},
			{name: "documentation", state: attrUnset},
			{name: "detectable", state: attrTrue},
		}},
		{segs: []string{"with space", "*.c"}, assigns: []assignment{{name: "vendored", state: attrTrue}}},
		{segs: []string{"*.inc"}, basename: true, assigns: []assignment{{name: "language", state: attrTrue, lang: "PHP"}}},
		{segs: []string{"*.y"}, basename: true, assigns: []assignment{{name: "language"}}},
	}
	if diff := cmp.Diff(want, got, cmp.AllowUnexported(rule{}, assignment{})); diff != "" {
		t.Errorf("parseAttributes (-want +got):\n%s", diff)
	}
}

func TestAttributesPrecedence(t *testing.T) {
	tree := repofs.MemTree{
		".gitattributes":         "*.go linguist-vendored\nkeep.go -linguist-vendored\n",
		"a/.gitattributes":       "*.go -linguist-vendored\n",
		"a/b/.gitattributes":     "x.go linguist-vendored\n",
		"a/b/x.go":               "",
		"a/b/y.go":               "",
		"keep.go":                "",
		"other.go":               "",
		"symlink/.gitattributes": "",
	}
	var problems []catalog.Problem
	a := loadAttributes(tree, tree.Files(), func(p catalog.Problem) { problems = append(problems, p) })
	for p, want := range map[string]attrState{
		"a/b/x.go": attrTrue,  // deepest file wins
		"a/b/y.go": attrFalse, // a/.gitattributes overrides the root
		"keep.go":  attrFalse, // later line wins
		"other.go": attrTrue,
	} {
		if got := a.lookup(p).vendored; got != want {
			t.Errorf("vendored(%s) = %v, want %v", p, got, want)
		}
	}
	if len(problems) != 0 {
		t.Errorf("problems: %v", problems)
	}
}

func FuzzAttributes(f *testing.F) {
	f.Add([]byte("*.rb linguist-language=Java\ndocs/** linguist-documentation\n\"a b\" -linguist-vendored\n"), "docs/a/b.rb")
	f.Add([]byte("**/**/x/** linguist-generated\n[!a-]*.go linguist-vendored=false\n"), "x/y/z.go")
	f.Fuzz(func(t *testing.T, content []byte, p string) {
		a := &attributes{rules: parseAttributes(content)}
		for _, r := range a.rules {
			if len(r.segs) == 0 || len(r.assigns) == 0 {
				t.Fatalf("empty rule %+v", r)
			}
		}
		s := a.lookup(p)
		if _, err := enry.GetLanguageInfo(s.language); s.language != "" && err != nil {
			t.Errorf("unknown language %q: %v", s.language, err)
		}
	})
}
