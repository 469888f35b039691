// Package e2e builds the ospo binary and drives it as a user would: real git
// repositories in a temporary folder, hostile ones among them, scanned into
// a real store and queried through the command line.
package e2e

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/ospo-project/ospo/internal/catalog"

	_ "modernc.org/sqlite" // reads the catalogue while a scan writes it
)

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

// ospoBinary builds cmd/ospo once per test run.
func ospoBinary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "ospo-e2e-bin-")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(dir, "ospo")
		out, err := exec.Command("go", "build", "-o", binPath, "../../cmd/ospo").CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binPath
}

type result struct {
	stdout, stderr string
	code           int
}

func run(t *testing.T, env []string, args ...string) result {
	t.Helper()
	cmd := exec.Command(ospoBinary(t), args...)
	cmd.Env = append(os.Environ(), env...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("run %v: %v", args, err)
	}
	return result{out.String(), errb.String(), code}
}

func git(t *testing.T, dir string, env []string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1",
		"GIT_COMMITTER_NAME=CI", "GIT_COMMITTER_EMAIL=ci@example.com")
	cmd.Env = append(cmd.Env, env...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %v in %s: %v\n%s", args, dir, err, out)
	}
	return strings.TrimSpace(string(out))
}

func write(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// commit commits everything in dir as the given author at a fixed date.
func commit(t *testing.T, dir, name, email, date, msg string) {
	t.Helper()
	git(t, dir, nil, "add", "-A")
	git(t, dir, []string{"GIT_AUTHOR_NAME=" + name, "GIT_AUTHOR_EMAIL=" + email,
		"GIT_AUTHOR_DATE=" + date, "GIT_COMMITTER_DATE=" + date}, "commit", "-q", "--allow-empty", "-m", msg)
}

func initRepo(t *testing.T, dir string) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	git(t, dir, nil, "init", "-q", "-b", "main")
}

// buildEstate makes a folder of repositories, good and hostile, and returns
// it with the path of a marker file that must never be created (it would be
// if git ran a program a repository names).
func buildEstate(t *testing.T) (root, marker string) {
	root = t.TempDir()
	marker = filepath.Join(t.TempDir(), "pwned")

	alpha := filepath.Join(root, "team-a", "alpha")
	initRepo(t, alpha)
	git(t, alpha, nil, "remote", "add", "origin", "https://user:s3cret-token@github.com/Acme/alpha.git")
	write(t, filepath.Join(alpha, "README.md"), "# Alpha\n\n[![ci](https://x/badge.svg)](https://x)\n\nAlpha settles **payments** between ledgers.\n\n## Usage\n\nRun it.\n")
	write(t, filepath.Join(alpha, "main.go"), "package main\n\nfunc main() {}\n")
	write(t, filepath.Join(alpha, ".github", "CODEOWNERS"), "# owners\n* @acme/payments\n/docs/ @acme/writers\n")
	write(t, filepath.Join(alpha, "catalog-info.yaml"), "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: alpha\n  description: Payment settlement service\n  tags: [payments, go]\nspec:\n  type: service\n  lifecycle: production\n  owner: group:payments\n  system: ledger\n")
	write(t, filepath.Join(alpha, "LICENSE"), "Apache License\nVersion 2.0\n")
	write(t, filepath.Join(alpha, ".github", "workflows", "ci.yml"), "on: push\njobs: {}\n")
	write(t, filepath.Join(alpha, ".mailmap"), "Jane Doe <jane@acme.example> <jdoe@old.example>\n")
	commit(t, alpha, "J. Doe", "jdoe@old.example", "2024-01-02T10:00:00Z", "init")
	write(t, filepath.Join(alpha, "pay.go"), "package main\n\nfunc pay() int { return 1 }\n")
	commit(t, alpha, "Jane Doe", "jane@acme.example", "2024-01-10T10:00:00Z", "pay")
	write(t, filepath.Join(alpha, "go.sum"), "x\n")
	commit(t, alpha, "dependabot[bot]", "49699333+dependabot[bot]@users.noreply.github.com", "2024-02-01T10:00:00Z", "bump")
	// A malicious config: if git ran fsmonitor or an external diff, the marker would appear.
	git(t, alpha, nil, "config", "core.fsmonitor", "touch "+marker)
	git(t, alpha, nil, "config", "diff.external", "/bin/sh -c 'touch "+marker+"'")
	write(t, filepath.Join(alpha, ".git", "hooks", "post-checkout"), "#!/bin/sh\ntouch "+marker+"\n")
	os.Chmod(filepath.Join(alpha, ".git", "hooks", "post-checkout"), 0o755)

	// beta: the same developer under her noreply address, and a second person.
	beta := filepath.Join(root, "team-b", "beta")
	initRepo(t, beta)
	write(t, filepath.Join(beta, "app.py"), "print('hi')\n")
	write(t, filepath.Join(beta, "innersource.json"), `{"title":"Beta","description":"Shared scoring library","topics":["scoring"]}`)
	commit(t, beta, "Jane Doe", "1234+janedoe@users.noreply.github.com", "2024-03-01T10:00:00Z", "start")
	write(t, filepath.Join(beta, "lib.py"), "def f():\n    return 2\n")
	commit(t, beta, "Bob Stone", "bob@acme.example", "2024-03-05T10:00:00Z", "lib")

	// A bare mirror of alpha: the same repository reached twice.
	git(t, root, nil, "clone", "-q", "--bare", alpha, filepath.Join(root, "mirrors", "alpha.git"))
	git(t, filepath.Join(root, "mirrors", "alpha.git"), nil, "remote", "set-url", "origin", "git@github.com:acme/alpha.git")

	// empty: no commits.
	initRepo(t, filepath.Join(root, "empty"))

	// corrupt: HEAD is garbage.
	corrupt := filepath.Join(root, "corrupt")
	initRepo(t, corrupt)
	write(t, filepath.Join(corrupt, "x.txt"), "x\n")
	commit(t, corrupt, "A", "a@example.com", "2024-01-01T00:00:00Z", "x")
	write(t, filepath.Join(corrupt, ".git", "HEAD"), "\x00\xffgarbage\n")

	// missing: the root commit's object is gone.
	missing := filepath.Join(root, "missing")
	initRepo(t, missing)
	write(t, filepath.Join(missing, "a.go"), "package a\n")
	commit(t, missing, "A", "a@example.com", "2024-01-01T00:00:00Z", "one")
	first := git(t, missing, nil, "rev-parse", "HEAD")
	write(t, filepath.Join(missing, "b.go"), "package a\n")
	commit(t, missing, "A", "a@example.com", "2024-01-02T00:00:00Z", "two")
	os.Remove(filepath.Join(missing, ".git", "objects", first[:2], first[2:]))

	// hostile: symlinks out of the repository and in a loop, a big file,
	// invalid UTF-8 in a file name and in file content.
	hostile := filepath.Join(root, "hostile")
	initRepo(t, hostile)
	os.Symlink("/etc/passwd", filepath.Join(hostile, "README.md"))
	os.Symlink("loop-b", filepath.Join(hostile, "loop-a"))
	os.Symlink("loop-a", filepath.Join(hostile, "loop-b"))
	write(t, filepath.Join(hostile, "bad-\xff\xfe.go"), "package x // \xff\xfe\n")
	big, _ := os.Create(filepath.Join(hostile, "CODEOWNERS"))
	big.Truncate(40 << 20)
	big.Close()
	commit(t, hostile, "Eve \xff", "eve@example.com", "2024-01-01T00:00:00Z", "hostile")

	// A symlink loop in the estate itself, and one pointing outside it.
	os.Symlink(root, filepath.Join(root, "team-a", "loop"))
	os.Symlink("/", filepath.Join(root, "team-b", "slash-is-not-scanned-deeply"))
	os.Remove(filepath.Join(root, "team-b", "slash-is-not-scanned-deeply")) // keep the test fast and local
	return root, marker
}

func projectByName(t *testing.T, env []string, name string) catalog.Project {
	t.Helper()
	r := run(t, env, "project", name, "--format", "json")
	if r.code != 0 {
		t.Fatalf("project %s: exit %d: %s", name, r.code, r.stderr)
	}
	var p catalog.Project
	if err := json.Unmarshal([]byte(r.stdout), &p); err != nil {
		t.Fatalf("project %s json: %v\n%s", name, err, r.stdout)
	}
	return p
}

func hasProblem(p catalog.Project, kind string) bool {
	for _, pr := range p.Problems {
		if pr.Kind == kind {
			return true
		}
	}
	return false
}

// stores returns the stores to run end-to-end scenarios against: a SQLite
// file always, and PostgreSQL when the test environment provides one.
func stores(t *testing.T) map[string]string {
	m := map[string]string{"sqlite": filepath.Join(t.TempDir(), "ospo.db")}
	if pg := os.Getenv("OSPO_TEST_POSTGRES"); pg != "" {
		m["postgres"] = pg
	}
	return m
}

func TestScanEstate(t *testing.T) {
	root, marker := buildEstate(t)
	for name, dsn := range stores(t) {
		t.Run(name, func(t *testing.T) {
			if name == "postgres" {
				dsn = freshPostgres(t, dsn)
			}
			env := []string{"OSPO_DB=" + dsn}
			r := run(t, env, "scan", "--workers", "2", root)
			if r.code != 0 {
				t.Fatalf("scan exit %d\nstdout: %s\nstderr: %s", r.code, r.stdout, r.stderr)
			}
			if !strings.Contains(r.stdout, "projects have problems") {
				t.Errorf("summary does not mention problems:\n%s", r.stdout)
			}
			if strings.Contains(r.stdout+r.stderr, "s3cret") {
				t.Errorf("a credential from a remote URL reached the output")
			}
			if _, err := os.Stat(marker); err == nil {
				t.Fatal("a program named by a repository was executed")
			}

			r = run(t, env, "projects", "--format", "json")
			var ps []catalog.Project
			if err := json.Unmarshal([]byte(r.stdout), &ps); err != nil {
				t.Fatalf("projects json: %v\n%s", err, r.stdout)
			}
			names := map[string]bool{}
			for _, p := range ps {
				names[p.Name] = true
			}
			for _, want := range []string{"alpha", "beta", "empty", "corrupt", "missing", "hostile"} {
				if !names[want] {
					t.Errorf("project %s missing from %v", want, names)
				}
			}
			if len(ps) != 6 {
				t.Errorf("got %d projects, want 6 (the bare mirror is the same repository as alpha)", len(ps))
			}

			alpha := projectByName(t, env, "alpha")
			if alpha.Key != "github.com/acme/alpha" || strings.Contains(alpha.RemoteURL, "s3cret") {
				t.Errorf("alpha key %q remote %q", alpha.Key, alpha.RemoteURL)
			}
			if alpha.Description != "Payment settlement service" || alpha.Lifecycle != "production" || alpha.System != "ledger" {
				t.Errorf("alpha catalog facts: %q %q %q", alpha.Description, alpha.Lifecycle, alpha.System)
			}
			if len(alpha.Languages) == 0 || alpha.Languages[0].Name != "Go" {
				t.Errorf("alpha languages: %+v", alpha.Languages)
			}
			owners := map[string]bool{}
			for _, o := range alpha.Owners {
				owners[o.Owner] = true
			}
			if !owners["@acme/payments"] || !owners["group:payments"] {
				t.Errorf("alpha owners: %+v", alpha.Owners)
			}
			if !alpha.HasFile(catalog.FileCodeowners) || !alpha.HasFile(catalog.FileCIGitHub) || !alpha.HasFile(catalog.FileLicense) {
				t.Errorf("alpha files: %+v", alpha.Files)
			}
			if alpha.Commits != 3 || alpha.DefaultBranch != "main" || alpha.HeadDate.IsZero() {
				t.Errorf("alpha commits %d branch %q head date %v", alpha.Commits, alpha.DefaultBranch, alpha.HeadDate)
			}
			if !hasProblem(alpha, catalog.ProblemDuplicate) {
				t.Errorf("alpha should note its bare mirror: %+v", alpha.Problems)
			}

			for name, kind := range map[string]string{"empty": catalog.ProblemNoCommits, "corrupt": catalog.ProblemUnreadable, "missing": catalog.ProblemHistory} {
				p := projectByName(t, env, name)
				if !hasProblem(p, kind) {
					t.Errorf("%s: want a %s problem, got %+v", name, kind, p.Problems)
				}
			}
			hostile := projectByName(t, env, "hostile")
			if strings.Contains(hostile.Description, "root:") {
				t.Errorf("a symlink out of the repository was followed: %q", hostile.Description)
			}

			// People: Jane's three spellings are one person; the bot is apart.
			r = run(t, env, "people", "--format", "json")
			var people []catalog.Person
			if err := json.Unmarshal([]byte(r.stdout), &people); err != nil {
				t.Fatalf("people json: %v\n%s", err, r.stdout)
			}
			var jane *catalog.Person
			for i, p := range people {
				if p.Bot {
					t.Errorf("bot listed without --bots: %+v", p)
				}
				if p.Name == "Jane Doe" {
					jane = &people[i]
				}
			}
			if jane == nil {
				t.Fatalf("Jane Doe not among people: %+v", people)
			}
			if jane.Commits != 3 {
				t.Errorf("Jane Doe commits = %d, want 3 (two in alpha via .mailmap, one in beta via noreply)", jane.Commits)
			}
			r = run(t, env, "person", "jane@acme.example")
			if r.code != 0 || !strings.Contains(r.stdout, "alpha") || !strings.Contains(r.stdout, "beta") {
				t.Errorf("person jane: exit %d\n%s%s", r.code, r.stdout, r.stderr)
			}
			r = run(t, env, "people", "--bots", "--format", "json")
			if !strings.Contains(r.stdout, "dependabot") {
				t.Errorf("--bots does not list dependabot")
			}

			// A rescan of the unchanged estate skips every project.
			r = run(t, env, "scan", "--format", "json", root)
			var run2 struct {
				Found, Scanned, Unchanged int
			}
			if err := json.Unmarshal([]byte(r.stdout), &run2); err != nil {
				t.Fatalf("scan json: %v\n%s", err, r.stdout)
			}
			// Projects with no HEAD (empty, corrupt) are always retried.
			if run2.Unchanged != 4 || run2.Scanned != 2 {
				t.Errorf("rescan: %+v, want 4 unchanged and 2 retried", run2)
			}
		})
	}
}

func TestUsageAndStoreErrors(t *testing.T) {
	dir := t.TempDir()
	env := []string{"OSPO_DB=" + filepath.Join(dir, "x.db")}
	if r := run(t, env, "migrate"); r.code != 0 { // read-only commands never create the catalogue
		t.Fatalf("migrate: %d %s", r.code, r.stderr)
	}
	tests := []struct {
		name string
		args []string
		env  []string
		code int
		want string // in stderr or stdout
	}{
		{"no args", []string{"scan"}, env, 2, "requires at least 1 arg"},
		{"bad flag", []string{"projects", "--nope"}, env, 2, "unknown flag"},
		{"bad format", []string{"projects", "--format", "xml"}, env, 2, "unknown format"},
		{"unknown project", []string{"project", "nope"}, env, 2, `no project "nope"`},
		{"missing dir", []string{"scan", filepath.Join(dir, "absent")}, env, 2, "cannot read"},
		{"store unopenable", []string{"scan", dir}, []string{"OSPO_DB=/proc/ospo/x.db"}, 3, "store"},
		{"store missing", []string{"projects"}, []string{"OSPO_DB=" + filepath.Join(dir, "none.db")}, 2, "does not exist"},
		{"postgres unreachable", []string{"projects"}, []string{"OSPO_DB=postgres://u:hunter2@127.0.0.1:1/db?connect_timeout=2"}, 3, "postgres"},
		{"version", []string{"version"}, env, 0, "ospo "},
		{"purl with version and --version", []string{"who-uses", "pkg:npm/lodash@4.17.20", "--version", "<5"}, env, 2, "has a version"},
		{"bad constraint", []string{"who-uses", "lodash", "--version", "<<1"}, env, 2, "--version"},
		{"bad sbom format", []string{"sbom", ".", "--format", "xml"}, env, 2, "unknown format"},
		{"help", []string{"scan", "--help"}, env, 0, "Repositories whose HEAD has not moved"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := run(t, tc.env, tc.args...)
			if r.code != tc.code {
				t.Errorf("exit %d, want %d\nstdout: %s\nstderr: %s", r.code, tc.code, r.stdout, r.stderr)
			}
			if !strings.Contains(r.stdout+r.stderr, tc.want) {
				t.Errorf("output lacks %q\nstdout: %s\nstderr: %s", tc.want, r.stdout, r.stderr)
			}
			if strings.Contains(r.stdout+r.stderr, "hunter2") {
				t.Errorf("a password reached the output")
			}
		})
	}
}

// TestKillMidScan kills a scan with SIGKILL while it writes and checks that
// every stored project is whole, then that a rerun completes the catalogue.
func TestKillMidScan(t *testing.T) {
	if testing.Short() {
		t.Skip("generates an estate")
	}
	root := t.TempDir()
	gen := run(t, nil, "bench", "--dir", root, "--repos", "24", "--commits", "150", "--bench-db", filepath.Join(t.TempDir(), "gen.db"))
	if gen.code != 0 {
		t.Fatalf("generate: %s %s", gen.stdout, gen.stderr)
	}
	// The scan is killed as soon as the store shows a saved project, which
	// the test sees by polling the database file, so the kill lands while
	// later projects are being written whatever the machine's load. Should
	// the whole estate be saved before the kill lands (a poll that lost
	// every race), the attempt is repeated on a fresh catalogue.
	var env []string
	for attempt := 1; ; attempt++ {
		db := filepath.Join(t.TempDir(), "kill.db")
		env = []string{"OSPO_DB=" + db}
		cmd := exec.Command(ospoBinary(t), "scan", "--workers", "2", "--quiet", root)
		cmd.Env = append(os.Environ(), env...)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		exited := make(chan struct{})
		go func() { cmd.Wait(); close(exited) }()
		saved := waitForSavedProject(t, db, exited)
		cmd.Process.Signal(syscall.SIGKILL)
		<-exited
		if !saved {
			t.Fatalf("the scan exited before any project was saved")
		}
		r := run(t, env, "projects", "--format", "json")
		var ps []catalog.Project
		json.Unmarshal([]byte(r.stdout), &ps)
		for _, p := range ps {
			full := projectByName(t, env, p.Key)
			sum := 0
			for _, c := range full.Contributors {
				sum += c.Commits
			}
			if full.Commits != 150 || sum != 150 {
				t.Fatalf("after kill, %s is half-written: %d commits, contributors sum %d", p.Name, full.Commits, sum)
			}
		}
		t.Logf("attempt %d: killed after %d of 24 projects were saved", attempt, len(ps))
		if len(ps) < 24 {
			break
		}
		if attempt == 5 {
			t.Fatalf("in %d attempts the kill never landed before the whole estate was saved", attempt)
		}
	}
	r := run(t, env, "scan", "--format", "json", root)
	if r.code != 0 {
		t.Fatalf("rerun: %d %s", r.code, r.stderr)
	}
	var rep struct{ Found, Scanned, Unchanged int }
	json.Unmarshal([]byte(r.stdout), &rep)
	if rep.Found != 24 || rep.Scanned+rep.Unchanged != 24 || rep.Unchanged == 0 {
		t.Errorf("rerun after kill: %+v; want the saved projects skipped and the rest scanned", rep)
	}
}

// waitForSavedProject polls the SQLite catalogue at db until it holds a
// project, and reports whether it did before the scan process exited.
func waitForSavedProject(t *testing.T, db string, exited <-chan struct{}) bool {
	t.Helper()
	deadline := time.Now().Add(5 * time.Minute)
	for time.Now().Before(deadline) {
		select {
		case <-exited:
			return savedProjects(db) > 0
		default:
		}
		if savedProjects(db) > 0 {
			return true
		}
		time.Sleep(5 * time.Millisecond) // a poll interval, not a wait for the outcome
	}
	t.Fatalf("no project was saved within 5 minutes")
	return false
}

// savedProjects counts the projects in the SQLite catalogue at db; 0 while
// the file or its schema does not exist yet.
func savedProjects(db string) int {
	if _, err := os.Stat(db); err != nil {
		return 0
	}
	h, err := sql.Open("sqlite", "file:"+db+"?mode=ro&_pragma=busy_timeout(1000)")
	if err != nil {
		return 0
	}
	defer h.Close()
	var n int
	if err := h.QueryRow("SELECT count(*) FROM projects").Scan(&n); err != nil {
		return 0
	}
	return n
}

// postgresServer returns the PostgreSQL server of OSPO_TEST_POSTGRES, and
// skips the test without one (scripts/test starts one) or, with -short,
// because of what makes it long (why).
func postgresServer(t *testing.T, why string) string {
	t.Helper()
	pg := os.Getenv("OSPO_TEST_POSTGRES")
	if pg == "" {
		t.Skip("OSPO_TEST_POSTGRES is not set: run scripts/test, which starts a throwaway PostgreSQL")
	}
	if testing.Short() {
		t.Skip(why)
	}
	return pg
}

// freshPostgres creates a database for one test on the server at dsn and
// returns its URL; it is dropped when the test ends.
func freshPostgres(t *testing.T, dsn string) string {
	t.Helper()
	name := fmt.Sprintf("ospo_e2e_%d_%d", os.Getpid(), time.Now().UnixNano()%1e9)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := adminExec(ctx, dsn, "CREATE DATABASE "+name); err != nil {
		t.Fatalf("create database: %v", err)
	}
	t.Cleanup(func() { adminExec(context.Background(), dsn, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)") })
	return replaceDB(dsn, name)
}

// TestConcurrentScans runs two scans of one estate into one SQLite
// catalogue at once: both complete, every project is saved, and no HEAD has
// two history rows or two scores. (Whether the second skips what the first
// saved depends on how they interleave; scan's own tests check the skip.)
func TestConcurrentScans(t *testing.T) {
	if testing.Short() {
		t.Skip("generates an estate")
	}
	root := t.TempDir()
	gen := run(t, nil, "bench", "--dir", root, "--repos", "12", "--commits", "40", "--bench-db", filepath.Join(t.TempDir(), "gen.db"))
	if gen.code != 0 {
		t.Fatalf("generate: %s %s", gen.stdout, gen.stderr)
	}
	db := filepath.Join(t.TempDir(), "twice.db")
	env := []string{"OSPO_DB=" + db}
	if r := run(t, env, "migrate"); r.code != 0 {
		t.Fatalf("migrate: %s", r.stderr)
	}
	var wg sync.WaitGroup
	results := make([]result, 2)
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i] = run(t, env, "scan", "--workers", "1", "--format", "json", root)
		}()
	}
	wg.Wait()
	scanned := 0
	for i, r := range results {
		if r.code != 0 {
			t.Fatalf("scan %d: exit %d\n%s", i, r.code, r.stderr)
		}
		var rep struct{ Found, Scanned, Unchanged int }
		json.Unmarshal([]byte(r.stdout), &rep)
		if rep.Found != 12 || rep.Scanned+rep.Unchanged != 12 {
			t.Errorf("scan %d: %+v, want 12 found and each scanned or unchanged", i, rep)
		}
		scanned += rep.Scanned
	}
	t.Logf("the two scans analysed %d repositories between them (12 at least, 24 at most)", scanned)
	if n := savedProjects(db); n != 12 {
		t.Errorf("%d projects saved, want 12", n)
	}
	h, err := sql.Open("sqlite", "file:"+db+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	for _, table := range []string{"project_history", "project_scores"} {
		var dup int
		err := h.QueryRow(`SELECT count(*) FROM (SELECT project_id, head_commit FROM ` + table + `
			GROUP BY project_id, head_commit HAVING count(*) > 1)`).Scan(&dup)
		if err != nil || dup != 0 {
			t.Errorf("%s: %d HEADs with more than one row (%v)", table, dup, err)
		}
	}
}
