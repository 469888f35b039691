package hub_test

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/ospo-project/ospo/internal/analyze"
	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/hub"
)

// gitIn runs git in dir with a fixed author and date, failing the test on error.
func gitIn(t *testing.T, dir, date string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", append([]string{"-c", "init.defaultBranch=main"}, args...)...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=/dev/null", "HOME=/nonexistent",
		"GIT_AUTHOR_NAME=Olga OSPO", "GIT_AUTHOR_EMAIL=olga@example.com", "GIT_COMMITTER_NAME=ci", "GIT_COMMITTER_EMAIL=ci@example.com",
		"GIT_AUTHOR_DATE="+date, "GIT_COMMITTER_DATE="+date)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %v: %v\n%s", args, err, out)
	}
	return strings.TrimSpace(string(out))
}

func writeFiles(t *testing.T, dir string, files map[string]string) {
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

// commitAll commits every change in dir at date and returns the commit.
func commitAll(t *testing.T, dir, date, msg string) string {
	t.Helper()
	gitIn(t, dir, date, "add", "-A")
	gitIn(t, dir, date, "commit", "-q", "-m", msg)
	return gitIn(t, dir, date, "rev-parse", "HEAD")
}

const onePixelPNG = "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\x00\x01\x00\x00\x05\x00\x01\r\n-\xb4\x00\x00\x00\x00IEND\xaeB`\x82"

func TestDocPages(t *testing.T) { eachStore(t, testDocPages) }

func testDocPages(t *testing.T, open opener) {
	ctx := context.Background()
	st := open(t)

	// The OSPO's resources: policies, a FAQ with front matter, hostile
	// Markdown, a symlink to a file outside the repository.
	res := t.TempDir()
	gitIn(t, res, "2025-01-02T03:04:05Z", "init", "-q")
	writeFiles(t, res, map[string]string{
		"README.md":                "# OSPO resources\n\nRead the [contribution policy](policies/contributing.md).\n",
		"policies/contributing.md": "---\ntitle: Contributing to open source\nowner: ospo@example.com\nupdated: 2025-02-03\n---\n\nSign the CLA first. ![flow](flow.png)\n",
		"policies/flow.png":        onePixelPNG,
		"hostile.md":               "# Hostile <script>alert(1)</script>\n\n<img src=x onerror=alert(2)> [x](javascript:alert(3)) <iframe src=https://evil.example></iframe>\n",
	})
	outside := filepath.Join(t.TempDir(), "secret.md")
	writeFiles(t, filepath.Dir(outside), map[string]string{"secret.md": "# top secret\n"})
	if err := os.Symlink(outside, filepath.Join(res, "secret.md")); err != nil {
		t.Fatal(err)
	}
	commitAll(t, res, "2025-01-02T03:04:05Z", "resources")

	// A project whose docs/ changed after the scanned commit.
	proj := t.TempDir()
	gitIn(t, proj, "2025-01-02T03:04:05Z", "init", "-q")
	writeFiles(t, proj, map[string]string{
		"README.md":             "# Ledger\n",
		"docs/index.md":         "# Ledger guide\n\nStart with [installing](setup/install.md). ![architecture](arch.png)\n",
		"docs/setup/install.md": "# Installing the ledger\n\nRun `make`. Back to the [guide](../index.md). Mind the numbat.\n",
		"docs/arch.png":         onePixelPNG,
	})
	scanned := commitAll(t, proj, "2025-01-02T03:04:05Z", "docs")
	writeFiles(t, proj, map[string]string{"docs/index.md": "# Rewritten later\n"})
	commitAll(t, proj, "2025-03-02T03:04:05Z", "later")
	writeFiles(t, proj, map[string]string{"docs/index.md": "# Work tree only\n"})
	// Its docs as the scan's pipeline collects them at the scanned commit.
	an, err := analyze.New(analyze.Options{})
	if err != nil {
		t.Fatal(err)
	}
	facts, err := an.Analyze(ctx, analyze.Target{Dir: proj, Source: analyze.Commit, Commit: scanned})
	if err != nil {
		t.Fatal(err)
	}
	id, err := st.ReplaceProject(ctx, &catalog.Project{Key: "path:" + proj, Name: "ledger", Path: proj,
		HeadCommit: scanned, ScannerVersion: catalog.ScannerVersion, Docs: facts.Project.Docs})
	if err != nil {
		t.Fatal(err)
	}
	pid := strconv.FormatInt(id, 10)

	h, err := hub.New(st, slog.New(slog.DiscardHandler), hub.WithResources(res), hub.WithSnapshotTTL(0))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()

	for _, tc := range []struct {
		path      string
		status    int
		ctype     string
		want, not []string
	}{
		{"/resources", 200, "text/html", []string{
			`href="/resources"`, "OSPO resources", `href="/resources/policies/contributing"`, "Contributing to open source",
			"ospo@example.com", "2025-02-03", "Olga OSPO", "2025-01-02",
		}, []string{"top secret", "secret"}},
		{"/resources/policies/contributing", 200, "text/html", []string{
			"<h1>Contributing to open source</h1>", "ospo@example.com", "2025-02-03", "Sign the CLA first",
			`src="/resources/_files/policies/flow.png"`,
		}, nil},
		{"/resources/hostile", 200, "text/html", []string{"Hostile"}, []string{"<script>alert", "onerror", "javascript:", "<iframe", "evil.example"}},
		{"/resources/_files/policies/flow.png", 200, "image/png", []string{"PNG"}, nil},
		{"/resources/secret", 404, "", nil, []string{"top secret"}},
		{"/resources/_files/secret.md", 404, "", nil, []string{"top secret"}},
		{"/resources/_files/README.md", 404, "", nil, nil},
		{"/resources/nothing", 404, "", nil, nil},
		{"/resources/..%2fsecret", 404, "", nil, []string{"top secret"}},
		{"/search?q=cla", 200, "text/html", []string{"<h2>Resources</h2>", `href="/resources/policies/contributing"`}, nil},
		// A word only in a project's docs (as scanned: not the later
		// commits or the work tree) is found by the header's search.
		{"/search?q=Numbat", 200, "text/html", []string{"<h2>Project docs</h2>", `href="/projects/` + pid + `/docs/setup/install"`,
			"Installing the ledger", "ledger · docs/setup/install"}, []string{"Nothing matches"}},
		{"/search?q=rewritten", 200, "text/html", []string{"Nothing matches"}, []string{"Project docs"}},
		{"/projects/" + pid + "/docs", 200, "text/html", []string{
			"Ledger guide", `href="/projects/` + pid + `/docs/setup/install"`, `src="/projects/` + pid + `/docs/_files/arch.png"`, scanned,
		}, []string{"Rewritten later", "Work tree only"}},
		{"/projects/" + pid + "/docs/setup/install", 200, "text/html", []string{
			"Installing the ledger", `href="/projects/` + pid + `/docs/index"`,
		}, nil},
		{"/projects/" + pid + "/docs/_files/arch.png", 200, "image/png", nil, nil},
		{"/projects/" + pid + "/docs/nothing", 404, "", nil, nil},
		{"/projects/" + pid + "/docs/_files/index.md", 404, "", nil, nil},
		{"/projects/999999/docs", 404, "", nil, nil},
		{"/projects/" + pid, 200, "text/html", []string{`href="/projects/` + pid + `/docs"`}, nil},
		{"/", 200, "text/html", []string{`<a href="/resources">Resources</a>`}, nil},
	} {
		r := do(t, srv, "GET", tc.path)
		if r.status != tc.status {
			t.Errorf("GET %s: status %d, want %d\n%.500s", tc.path, r.status, tc.status, r.body)
			continue
		}
		if tc.ctype != "" && !strings.HasPrefix(r.header.Get("Content-Type"), tc.ctype) {
			t.Errorf("GET %s: Content-Type %q, want %s", tc.path, r.header.Get("Content-Type"), tc.ctype)
		}
		for _, w := range tc.want {
			if !strings.Contains(r.body, w) {
				t.Errorf("GET %s: no %q in\n%s", tc.path, w, r.body)
			}
		}
		for _, n := range tc.not {
			if strings.Contains(r.body, n) {
				t.Errorf("GET %s: %q in the answer", tc.path, n)
			}
		}
	}

	// The API's search finds the resource pages too.
	r := do(t, srv, "GET", "/api/v1/search?q=contributing")
	var got struct {
		Resources []struct{ Name, URL, Title, Owner string }
		Totals    struct{ Resources int }
	}
	if err := json.Unmarshal([]byte(r.body), &got); err != nil {
		t.Fatalf("search: %v\n%s", err, r.body)
	}
	if got.Totals.Resources != 2 || len(got.Resources) != 2 || got.Resources[0].URL != "/resources/policies/contributing" ||
		got.Resources[0].Owner != "ospo@example.com" {
		t.Errorf("API search resources = %+v", got)
	}

	// So does the API's, with the page's address.
	r = do(t, srv, "GET", "/api/v1/search?q=numbat")
	var docs struct {
		Docs []struct {
			ProjectID                 int64 `json:"project_id"`
			Project, Name, Title, URL string
		}
		Totals struct{ Docs int }
	}
	if err := json.Unmarshal([]byte(r.body), &docs); err != nil {
		t.Fatalf("search: %v\n%s", err, r.body)
	}
	if docs.Totals.Docs != 1 || len(docs.Docs) != 1 || docs.Docs[0].URL != "/projects/"+pid+"/docs/setup/install" ||
		docs.Docs[0].ProjectID != id || docs.Docs[0].Title != "Installing the ledger" {
		t.Errorf("API search docs = %+v", docs)
	}

	// A new commit in the resources repository is served at once.
	writeFiles(t, res, map[string]string{"faq.md": "# FAQ\n\nWho approves? The OSPO.\n"})
	commitAll(t, res, "2025-04-05T06:07:08Z", "faq")
	if r := do(t, srv, "GET", "/resources/faq"); r.status != 200 || !strings.Contains(r.body, "Who approves?") || !strings.Contains(r.body, "2025-04-05") {
		t.Errorf("GET /resources/faq after a commit: %d\n%s", r.status, r.body)
	}
}

// TestNoResources: without a resources repository the section says how to
// configure one and is not in the navigation.
func TestNoResources(t *testing.T) {
	srv := newServer(t, openSQLite(t))
	r := do(t, srv, "GET", "/resources")
	if r.status != 200 || !strings.Contains(r.body, "hub.resources") {
		t.Errorf("GET /resources: %d\n%s", r.status, r.body)
	}
	if strings.Contains(r.body, `<a href="/resources">Resources</a>`) {
		t.Error("navigation links to resources that are not configured")
	}
	if r := do(t, srv, "GET", "/resources/faq"); r.status != 404 {
		t.Errorf("GET /resources/faq: %d, want 404", r.status)
	}
}
