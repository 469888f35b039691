package docset_test

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ospo-project/ospo/internal/docset"
)

// git runs git in dir as author (name <email>) at date, failing the test on error.
func git(t *testing.T, dir, author, date string, args ...string) string {
	t.Helper()
	name, email, _ := strings.Cut(author, " <")
	cmd := exec.Command("git", append([]string{"-c", "init.defaultBranch=main"}, args...)...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=/dev/null", "HOME=/nonexistent",
		"GIT_AUTHOR_NAME="+name, "GIT_AUTHOR_EMAIL="+strings.TrimSuffix(email, ">"),
		"GIT_COMMITTER_NAME=ci", "GIT_COMMITTER_EMAIL=ci@example.com",
		"GIT_AUTHOR_DATE="+date, "GIT_COMMITTER_DATE="+date)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %v: %v\n%s", args, err, out)
	}
	return strings.TrimSpace(string(out))
}

func write(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// png is the smallest valid PNG (1x1, transparent).
const png = "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\x00\x01\x00\x00\x05\x00\x01\r\n-\xb4\x00\x00\x00\x00IEND\xaeB`\x82"

// repo makes a resources repository with two commits by two authors, a
// symlinked page, a symlinked folder pointing out of the repository and an
// uncommitted change, and returns its directory.
func repo(t *testing.T) string {
	t.Helper()
	outside := t.TempDir()
	write(t, outside, map[string]string{"secret.md": "# Secret\nthe outside file"})
	dir := t.TempDir()
	git(t, dir, "a <a@example.com>", "2025-01-02T03:04:05Z", "init", "-q")
	write(t, dir, map[string]string{
		"README.md":               "# Resources\n\nStart with the [policy](policies/open-source.md#how) or the [FAQ](faq).\n",
		"faq.md":                  "---\ntitle: Frequently asked questions\nowner: ospo@example.com\nupdated: 2024-12-01\nlayout: page\n---\n# FAQ\n\nSee [images](img/logo.png), ![logo](img/logo.png), ![vector](img/x.svg), [out](../../etc/passwd.md), [ci](.github/ci.yml) and [gone](nothing.md).\n",
		"policies/open-source.md": "# Open-sourcing a project\n\n## How\n\nAsk the OSPO. Back to [resources](../README.md); the [root](/faq.md).\n",
		"img/logo.png":            png,
		"img/x.svg":               "<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>",
		".github/ci.yml":          "on: push\n",
		"hostile.md":              "# <script>alert(1)</script>\n\n<script>alert(2)</script><img src=x onerror=alert(3)>\n\n[click](javascript:alert(4)) [data](data:text/html,hi) <a href=\"https://evil.example\">raw</a>\n\n![track](https://evil.example/pixel.png)\n",
	})
	if err := os.Symlink("/etc/passwd", filepath.Join(dir, "passwd.md")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, filepath.Join(dir, "outside")); err != nil {
		t.Fatal(err)
	}
	git(t, dir, "a <a@example.com>", "2025-01-02T03:04:05Z", "add", "-A")
	git(t, dir, "Alice Author <a@example.com>", "2025-01-02T03:04:05Z", "commit", "-q", "-m", "first")
	write(t, dir, map[string]string{"policies/open-source.md": "# Open-sourcing a project\n\n## How\n\nAsk the OSPO first. Back to [resources](../README.md); the [root](/faq.md).\n"})
	git(t, dir, "b <b@example.com>", "2025-03-04T05:06:07Z", "commit", "-q", "-am", "second")
	// Not committed: never shown.
	write(t, dir, map[string]string{"README.md": "# Changed in the work tree\n", "draft.md": "# Draft\n"})
	return dir
}

func TestLoad(t *testing.T) {
	dir := repo(t)
	s, err := docset.Load(context.Background(), dir, docset.Options{
		PageURL: func(name string) string { return "/resources/" + name },
		FileURL: func(name string) string { return "/resources/files/" + name },
		WebURL:  "https://git.example.com/ospo/resources/blob/abc/",
	})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()

	type meta struct {
		Name, Path, Title, Owner string
		Updated                  time.Time
	}
	var got []meta
	for _, p := range s.Pages() {
		got = append(got, meta{p.Name, p.Path, p.Title, p.Owner, p.Updated})
	}
	want := []meta{
		{"README", "README.md", "Resources", "Alice Author", time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)},
		{"faq", "faq.md", "Frequently asked questions", "ospo@example.com", time.Date(2024, 12, 1, 0, 0, 0, 0, time.UTC)},
		{"hostile", "hostile.md", "<script>alert(1)</script>", "Alice Author", time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)},
		{"policies/open-source", "policies/open-source.md", "Open-sourcing a project", "b", time.Date(2025, 3, 4, 5, 6, 7, 0, time.UTC)},
	}
	if d := cmp.Diff(want, got, cmp.Comparer(func(a, b time.Time) bool { return a.Equal(b) })); d != "" {
		t.Errorf("pages (-want +got):\n%s", d)
	}

	html := func(name string) string {
		t.Helper()
		p, err := s.Page(name)
		if err != nil {
			t.Fatal(err)
		}
		return string(p.HTML)
	}
	for _, tc := range []struct {
		page      string
		want, not []string
	}{
		{"README", []string{`href="/resources/policies/open-source#how"`, `href="/resources/faq"`}, []string{"work tree"}},
		{"faq", []string{
			`href="/resources/files/img/logo.png"`, `<img src="/resources/files/img/logo.png" alt="logo"`,
			"vector", `href="https://git.example.com/ospo/resources/blob/abc/.github/ci.yml"`,
		}, []string{"x.svg", "passwd", "nothing.md", "layout", "owner:"}},
		{"policies/open-source", []string{`href="/resources/README"`, `href="/resources/faq"`, "first"}, nil},
		{"hostile", []string{"track"}, []string{"<script", "onerror", "javascript:", "data:", "evil.example", "<img"}},
	} {
		h := html(tc.page)
		for _, w := range tc.want {
			if !strings.Contains(h, w) {
				t.Errorf("%s: no %q in\n%s", tc.page, w, h)
			}
		}
		for _, n := range tc.not {
			if strings.Contains(h, n) {
				t.Errorf("%s: %q in\n%s", tc.page, n, h)
			}
		}
	}

	// Symlinks, paths out of the repository and uncommitted files are not pages.
	for _, name := range []string{"passwd", "outside/secret", "draft", "../README", "/etc/passwd", "img/logo"} {
		if _, err := s.Page(name); !errors.Is(err, docset.ErrNotFound) {
			t.Errorf("Page(%q) = %v, want ErrNotFound", name, err)
		}
	}
	data, ct, err := s.File("img/logo.png")
	if err != nil || ct != "image/png" || string(data) != png {
		t.Errorf("File(img/logo.png) = %d bytes, %q, %v", len(data), ct, err)
	}
	for _, name := range []string{"img/x.svg", "faq.md", "passwd.md", "outside/secret.md", "../img/logo.png", ".github/ci.yml"} {
		if _, _, err := s.File(name); !errors.Is(err, docset.ErrNotFound) {
			t.Errorf("File(%q) = %v, want ErrNotFound", name, err)
		}
	}

	var found []string
	for _, p := range s.Search("ASK THE ospo") {
		found = append(found, p.Name)
	}
	if d := cmp.Diff([]string{"policies/open-source"}, found); d != "" {
		t.Errorf("search (-want +got):\n%s", d)
	}
	found = nil
	for _, p := range s.Search("OPEN") {
		found = append(found, p.Name)
	}
	if d := cmp.Diff([]string{"policies/open-source", "README"}, found); d != "" { // title match first
		t.Errorf("search open (-want +got):\n%s", d)
	}
}

func TestLoadDir(t *testing.T) {
	dir := t.TempDir()
	git(t, dir, "a <a@example.com>", "2025-01-02T03:04:05Z", "init", "-q")
	write(t, dir, map[string]string{
		"README.md":             "# Project\n",
		"docs/index.md":         "# Guide\n\nSee [setup](setup/install.md), the [README](../README.md), ![diagram](arch.png) and [escape](../../x.md).\n",
		"docs/setup/install.md": "# Install\n\n[Back](../index.md)\n",
		"docs/arch.png":         png,
	})
	git(t, dir, "a <a@example.com>", "2025-01-02T03:04:05Z", "add", "-A")
	git(t, dir, "Ann <a@example.com>", "2025-01-02T03:04:05Z", "commit", "-q", "-m", "docs")
	head := git(t, dir, "a <a@example.com>", "2025-01-02T03:04:05Z", "rev-parse", "HEAD")
	write(t, dir, map[string]string{"docs/index.md": "# Later\n"})
	git(t, dir, "a <a@example.com>", "2025-02-02T03:04:05Z", "commit", "-q", "-am", "later")

	s, err := docset.Load(context.Background(), dir, docset.Options{
		Commit: head, Dir: "docs",
		PageURL: func(name string) string { return "/p/1/docs/" + name },
		FileURL: func(name string) string { return "/p/1/docs-files/" + name },
	})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if s.Commit != head {
		t.Errorf("commit %s, want %s", s.Commit, head)
	}
	var names []string
	for _, p := range s.Pages() {
		names = append(names, p.Name)
	}
	if d := cmp.Diff([]string{"index", "setup/install"}, names); d != "" {
		t.Errorf("pages (-want +got):\n%s", d)
	}
	p, err := s.Page("index")
	if err != nil {
		t.Fatal(err)
	}
	if p.Title != "Guide" {
		t.Errorf("title %q, want the scanned commit's Guide", p.Title)
	}
	h := string(p.HTML)
	for _, w := range []string{`href="/p/1/docs/setup/install"`, `src="/p/1/docs-files/arch.png"`, "README", "escape"} {
		if !strings.Contains(h, w) {
			t.Errorf("no %q in\n%s", w, h)
		}
	}
	for _, n := range []string{"x.md", "../README", "href=\"\""} {
		if strings.Contains(h, n) {
			t.Errorf("%q in\n%s", n, h)
		}
	}
}

func TestLoadRefusesBadInput(t *testing.T) {
	if _, err := docset.Load(context.Background(), t.TempDir(), docset.Options{}); err == nil {
		t.Error("Load of a directory that is no repository: no error")
	}
	dir := repo(t)
	if _, err := docset.Load(context.Background(), dir, docset.Options{Commit: "HEAD~1"}); err == nil {
		t.Error("Load at a commit that is not a full object id: no error")
	}
}
