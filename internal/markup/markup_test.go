package markup

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// TestRenderGolden renders real READMEs (cobra, express, flask) and
// hostile ones, compares with testdata/*.html, and checks what must never
// come out whatever the input.
func TestRenderGolden(t *testing.T) {
	inputs, err := filepath.Glob(filepath.Join("testdata", "*.md"))
	if err != nil || len(inputs) < 4 {
		t.Fatalf("inputs: %v %v", inputs, err)
	}
	for _, in := range inputs {
		t.Run(filepath.Base(in), func(t *testing.T) {
			src, err := os.ReadFile(in)
			if err != nil {
				t.Fatal(err)
			}
			got := string(Render(Markdown, string(src), "https://github.com/acme/repo/blob/HEAD/"))
			for _, bad := range []string{"<script", "<img", "<iframe", "javascript:", "vbscript:", "data:text", "onerror", "onmouseover", "<h1", "<h2"} {
				if strings.Contains(strings.ToLower(got), bad) {
					t.Errorf("output contains %q", bad)
				}
			}
			golden := strings.TrimSuffix(in, ".md") + ".html"
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if got != string(want) {
				t.Errorf("output differs from %s (go test -update to accept):\n%s", golden, got)
			}
		})
	}
}

func TestRender(t *testing.T) {
	const base = "https://github.com/acme/repo/blob/HEAD/"
	tests := []struct {
		name, format, in, base string
		want, not              []string
	}{
		{"relative link resolved", Markdown, "[guide](docs/guide.md)", base,
			[]string{`href="https://github.com/acme/repo/blob/HEAD/docs/guide.md"`, `rel="nofollow noreferrer"`}, nil},
		{"root-relative link resolved", Markdown, "[c](/CONTRIBUTING.md)", base,
			[]string{`href="https://github.com/acme/repo/blob/HEAD/CONTRIBUTING.md"`}, nil},
		{"relative link without base dropped", Markdown, "[guide](docs/guide.md)", "", []string{"guide"}, []string{"href"}},
		{"anchor kept", Markdown, "[usage](#usage)", "", []string{`href="#usage"`}, nil},
		{"image becomes alt text", Markdown, "![the logo](logo.png)", base, []string{"the logo"}, []string{"<img", "logo.png"}},
		{"heading shifted", Markdown, "# Title\n\n## Sub\n\n###### Six", "", []string{"<h3", "Title", "<h4", "<h6"}, []string{"<h1", "<h2"}},
		{"raw html left out", Markdown, "<div onclick=x>hi</div>", "", nil, []string{"onclick", "<div"}},
		{"table", Markdown, "| a | b |\n|---|---|\n| 1 | 2 |", "", []string{"<table>", "<td>1</td>"}, nil},
		{"text escaped", Text, "<script>x</script>\nline 2", "", []string{"&lt;script&gt;", `<pre class="readme-text">`}, []string{"<script>"}},
		{"rst as text", "rst", "Title\n=====\n\n.. raw:: html\n\n   <script>", "", []string{"&lt;script&gt;"}, []string{"<script>"}},
		{"invalid utf-8", Markdown, "ok \xff\xfe done", "", []string{"ok \uFFFD"}, nil},
		{"deep quotes capped", Markdown, strings.Repeat(">", 50) + " deep\n\n" + strings.Repeat("> ", 50) + "deeper", "",
			[]string{strings.Repeat("<blockquote>\n", maxQuoteDepth) + "<p>deep</p>"}, []string{strings.Repeat("<blockquote>\n", maxQuoteDepth+1)}},
		{"shallow quotes kept", Markdown, ">> two\n", "", []string{"<blockquote>\n<blockquote>\n<p>two</p>"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := string(Render(tt.format, tt.in, tt.base))
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("no %q in\n%s", w, got)
				}
			}
			for _, n := range tt.not {
				if strings.Contains(got, n) {
					t.Errorf("%q in\n%s", n, got)
				}
			}
		})
	}
}

// TestRenderLarge checks that a huge input is cut, not rendered whole.
func TestRenderLarge(t *testing.T) {
	big := strings.Repeat("word *emph* [link](x) ", 1<<20/22) // 1 MiB on one line
	start := time.Now()
	got := Render(Markdown, big, "")
	if len(got) > 4*MaxInput {
		t.Errorf("rendered %d bytes from a cut input of %d", len(got), MaxInput)
	}
	t.Logf("1 MiB input rendered in %v", time.Since(start))
}

func TestRepoFilesURL(t *testing.T) {
	tests := []struct{ remote, want string }{
		{"https://github.com/spf13/cobra.git", "https://github.com/spf13/cobra/blob/HEAD/"},
		{"git@github.com:spf13/cobra.git", "https://github.com/spf13/cobra/blob/HEAD/"},
		{"ssh://git@github.example.com/org/repo", "https://github.example.com/org/repo/blob/HEAD/"},
		{"https://gitlab.com/group/sub/project.git", "https://gitlab.com/group/sub/project/-/blob/HEAD/"},
		{"https://bitbucket.org/team/repo.git", "https://bitbucket.org/team/repo/src/HEAD/"},
		{"https://git.internal.example/org/repo.git", ""},
		{"/srv/git/repo.git", ""},
		{"https://github.com/lonely", ""},
		{"", ""},
	}
	for _, tt := range tests {
		if got := RepoFilesURL(tt.remote); got != tt.want {
			t.Errorf("RepoFilesURL(%q) = %q, want %q", tt.remote, got, tt.want)
		}
	}
}

func TestLineURL(t *testing.T) {
	gh := "https://github.com/acme/repo/blob/HEAD/"
	tests := []struct {
		base, path string
		line       int
		want       string
	}{
		{gh, ".github/workflows/ci.yml", 39, gh + ".github/workflows/ci.yml#L39"},
		{gh, "docs/a b.md", 0, gh + "docs/a%20b.md"},
		{"https://bitbucket.org/team/repo/src/HEAD/", "Dockerfile", 3, "https://bitbucket.org/team/repo/src/HEAD/Dockerfile#lines-3"},
		{"", "Dockerfile", 3, ""},
		{gh, "../../etc/passwd", 1, ""},
		{gh, "/abs", 1, ""},
		{gh, "x?y", 1, ""},
		{gh, "", 1, ""},
	}
	for _, tt := range tests {
		if got := LineURL(tt.base, tt.path, tt.line); got != tt.want {
			t.Errorf("LineURL(%q, %q, %d) = %q, want %q", tt.base, tt.path, tt.line, got, tt.want)
		}
	}
}
