package repometa

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func TestParseCodeowners(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []CodeownersRule
	}{
		{name: "empty", in: ""},
		{
			name: "comments and blank lines",
			in:   "# top comment\n\n   # indented comment\n*.go @gophers\n",
			want: []CodeownersRule{{"*.go", "@gophers"}},
		},
		{
			name: "several owners and an email",
			in:   "/src/ @org/team-a @jane jane@example.com\n",
			want: []CodeownersRule{{"/src/", "@org/team-a"}, {"/src/", "@jane"}, {"/src/", "jane@example.com"}},
		},
		{
			name: "inline comment",
			in:   "docs/ @docs # the docs team\nx#y @a\n",
			want: []CodeownersRule{{"docs/", "@docs"}, {"x#y", "@a"}},
		},
		{
			name: "escaped space and hash",
			in:   "My\\ Folder/ @a\n\\#hash @b\n",
			want: []CodeownersRule{{`My\ Folder/`, "@a"}, {`\#hash`, "@b"}},
		},
		{
			name: "tabs and crlf",
			in:   "*.js\t@js-team\r\n*.css  \t @css-team\r\n",
			want: []CodeownersRule{{"*.js", "@js-team"}, {"*.css", "@css-team"}},
		},
		{
			name: "no owners means none",
			in:   "/vendor/\n/generated/ # nobody\n",
		},
		{
			name: "invalid tokens ignored",
			in:   "* owner-without-at @ @@x @ok @org/team user@ @x@y\n",
			want: []CodeownersRule{{"*", "@ok"}, {"*", "@org/team"}},
		},
		{
			name: "duplicates removed",
			in:   "* @a @a\n* @a\n",
			want: []CodeownersRule{{"*", "@a"}},
		},
		{
			name: "gitlab sections",
			in: "[Docs][2] @docs-team\n*.md\nREADME.md @writer\n" +
				"^[Optional] @opt\n/opt/\n[Empty]\n/none/\n",
			want: []CodeownersRule{{"*.md", "@docs-team"}, {"README.md", "@writer"}, {"/opt/", "@opt"}},
		},
		{
			name: "invalid utf8",
			in:   "/caf\xe9/ @t\xffm\n",
			want: []CodeownersRule{{"/caf\uFFFD/", "@t\uFFFDm"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, truncated := ParseCodeowners([]byte(tt.in))
			if truncated {
				t.Error("truncated")
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("ParseCodeowners (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseCatalogInfo(t *testing.T) {
	tests := []struct {
		name      string
		in        string
		wantName  string // "" for no entity
		wantOwner string
		wantTags  []string
		wantErr   string // substring; "" for none
	}{
		{name: "empty", in: ""},
		{name: "only comments", in: "# nothing\n"},
		{
			name:     "component",
			in:       "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: a\n  tags: [x, y]\nspec:\n  owner: team-a\n",
			wantName: "a", wantOwner: "team-a", wantTags: []string{"x", "y"},
		},
		{
			name:     "component after other kinds",
			in:       "kind: Group\nmetadata: {name: g}\n---\nkind: System\nmetadata: {name: s}\n---\nkind: component\nmetadata: {name: c}\n",
			wantName: "c",
		},
		{
			name:     "first entity when no component",
			in:       "---\n---\n- a list\n---\nkind: API\nmetadata: {name: api}\n---\nkind: Resource\nmetadata: {name: r}\n",
			wantName: "api",
		},
		{
			name:     "syntax error after a good document",
			in:       "kind: System\nmetadata: {name: s}\n---\nkind: [\n",
			wantName: "s", wantErr: "yaml:",
		},
		{
			name:      "wrong types keep the rest",
			in:        "kind: Component\nmetadata:\n  name: [not, a, string]\n  tags: {a: b}\nspec:\n  owner: team-b\n",
			wantOwner: "team-b", wantErr: "cannot unmarshal",
		},
		{
			name:     "scalars of other types become strings",
			in:       "kind: Component\nmetadata:\n  name: 123\n  tags: [1, true]\nspec:\n  owner: 42\n",
			wantName: "123", wantOwner: "42", wantTags: []string{"1", "true"},
		},
		{
			name:    "invalid utf8",
			in:      "kind: Component\nmetadata:\n  name: caf\xe9\n",
			wantErr: "UTF-8",
		},
		{
			name:    "tab indentation error",
			in:      "kind: Component\nmetadata:\n\tname: x\n",
			wantErr: "yaml:",
		},
		{
			name:     "merge keys and anchors",
			in:       "base: &b {owner: team-m}\nkind: Component\nmetadata: {name: m}\nspec:\n  <<: *b\n",
			wantName: "m", wantOwner: "team-m",
		},
		{
			name:     "billion laughs",
			in:       billionLaughsYAML,
			wantErr:  "",
			wantName: "laughs",
		},
		{
			name:     "billion laughs into a field read",
			in:       strings.Replace(billionLaughsYAML, "name: laughs", "name: laughs\n  tags: *i", 1),
			wantName: "laughs", wantErr: "cannot unmarshal",
		},
		{
			name:     "10000 levels",
			in:       "kind: Component\nmetadata: {name: deep}\nx: " + strings.Repeat("[", 10000) + strings.Repeat("]", 10000),
			wantName: "deep",
		},
		{
			name:    "10001 levels",
			in:      "kind: Component\nmetadata: {name: deep}\nx: " + strings.Repeat("[", 10001) + strings.Repeat("]", 10001),
			wantErr: "exceeded max depth",
		},
		{
			name:    "100000 block levels",
			in:      "kind: Component\nx:\n" + deepBlockYAML(100000),
			wantErr: "exceeded max depth",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, err := ParseCatalogInfo([]byte(tt.in))
			switch {
			case tt.wantErr == "" && err != nil:
				t.Errorf("error %v", err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Errorf("error %v, want one containing %q", err, tt.wantErr)
			}
			var name, owner string
			var tags []string
			if e != nil {
				name, owner, tags = e.Metadata.Name, e.Spec.Owner, e.Metadata.Tags
			}
			if name != tt.wantName || owner != tt.wantOwner || !cmp.Equal(tags, tt.wantTags, cmpopts.EquateEmpty()) {
				t.Errorf("got name %q owner %q tags %q, want %q %q %q", name, owner, tags, tt.wantName, tt.wantOwner, tt.wantTags)
			}
		})
	}
}

const billionLaughsYAML = `kind: Component
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
`

// deepBlockYAML returns n levels of block sequences, one "-" per level.
func deepBlockYAML(n int) string {
	var b strings.Builder
	for i := range n {
		if i > 0 {
			b.WriteString(" ")
		}
		b.WriteString("-")
	}
	b.WriteString(" x\n")
	return b.String()
}

func TestParseInnerSource(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    *InnerSource
		wantErr string
	}{
		{
			name: "sap format",
			in: `{"title": "T", "motivation": "M", "contributions": ["Bugfixes"], "skills": ["Go"],
			      "logo": "l.png", "docs": "https://d", "language": "Go"}`,
			want: &InnerSource{Title: "T", Motivation: "M", Contributions: []string{"Bugfixes"}, Skills: []string{"Go"},
				Logo: "l.png", Docs: "https://d", Language: "Go"},
		},
		{
			name: "owners in many shapes",
			in: `{"owner": "@a", "owners": ["@b", {"email": "c@example.com"}, ["@nested", [["@too-deep"]]]],
			      "maintainers": {"name": "Dee"}}`,
			want: &InnerSource{Owners: []string{"@a", "@b", "c@example.com", "@nested", "Dee"}},
		},
		{
			name:    "wrong type keeps the rest",
			in:      `{"description": "D", "topics": "not-a-list", "skills": ["Go"]}`,
			want:    &InnerSource{Description: "D", Skills: []string{"Go"}},
			wantErr: "cannot unmarshal",
		},
		{name: "syntax error", in: `{"title": `, wantErr: "unexpected end"},
		{name: "a list", in: `[{"title": "x"}]`, wantErr: "not a JSON object"},
		{name: "a string", in: `"x"`, wantErr: "not a JSON object"},
		{name: "bom", in: "\ufeff{\"title\": \"B\"}", want: &InnerSource{Title: "B"}},
		{name: "deep", in: `{"x": ` + strings.Repeat("[", 100000) + strings.Repeat("]", 100000) + `}`, wantErr: "exceeded max depth"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseInnerSource([]byte(tt.in))
			switch {
			case tt.wantErr == "" && err != nil:
				t.Errorf("error %v", err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Errorf("error %v, want one containing %q", err, tt.wantErr)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("ParseInnerSource (-want +got):\n%s", diff)
			}
		})
	}
}
