package scan_test

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/scan"
	"github.com/ospo-project/ospo/internal/source"
	"github.com/ospo-project/ospo/internal/source/localdir"
)

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

// commit commits everything in dir as the author at a fixed date.
func commit(t *testing.T, dir, author, date, msg string) {
	t.Helper()
	name, email, _ := strings.Cut(author, " <")
	email = strings.TrimSuffix(email, ">")
	git(t, dir, nil, "add", "-A")
	git(t, dir, []string{"GIT_AUTHOR_NAME=" + name, "GIT_AUTHOR_EMAIL=" + email,
		"GIT_AUTHOR_DATE=" + date, "GIT_COMMITTER_DATE=" + date}, "commit", "-q", "-m", msg)
}

func initRepo(t *testing.T, dir string) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	git(t, dir, nil, "init", "-q", "-b", "main")
}

// estate is a folder of small repositories:
//   - alpha: a Go project with an origin remote, two commits by two people;
//   - alpha-clone: a second checkout of alpha (same origin), a duplicate;
//   - beta: a Python project without a remote, one commit;
//   - corrupt: HEAD is garbage.
type estate struct {
	root, alpha, clone, beta, corrupt string
	alphaHead, betaHead               string
}

const alphaKey = "github.com/acme/alpha"

func buildEstate(t *testing.T) estate {
	t.Helper()
	root := t.TempDir()
	e := estate{
		root:    root,
		alpha:   filepath.Join(root, "alpha"),
		clone:   filepath.Join(root, "alpha-clone"),
		beta:    filepath.Join(root, "beta"),
		corrupt: filepath.Join(root, "corrupt"),
	}
	initRepo(t, e.alpha)
	git(t, e.alpha, nil, "remote", "add", "origin", "https://github.com/acme/alpha.git")
	write(t, filepath.Join(e.alpha, "README.md"), "# Alpha\n\nAlpha settles payments between ledgers.\n")
	write(t, filepath.Join(e.alpha, "main.go"), "package main\n\nfunc main() {}\n")
	commit(t, e.alpha, "Jane Doe <jane@example.com>", "2024-01-02T10:00:00Z", "init")
	write(t, filepath.Join(e.alpha, "pay.go"), "package main\n\nfunc pay() int { return 1 }\n")
	commit(t, e.alpha, "Bob Stone <bob@example.com>", "2024-01-10T10:00:00Z", "pay")
	e.alphaHead = git(t, e.alpha, nil, "rev-parse", "HEAD")

	git(t, root, nil, "clone", "-q", e.alpha, e.clone)
	git(t, e.clone, nil, "remote", "set-url", "origin", "https://github.com/acme/alpha.git")

	initRepo(t, e.beta)
	write(t, filepath.Join(e.beta, "app.py"), "print('hi')\n")
	commit(t, e.beta, "Bob Stone <bob@example.com>", "2024-03-01T10:00:00Z", "start")
	e.betaHead = git(t, e.beta, nil, "rev-parse", "HEAD")

	initRepo(t, e.corrupt)
	write(t, filepath.Join(e.corrupt, "x.txt"), "x\n")
	commit(t, e.corrupt, "A <a@example.com>", "2024-01-01T00:00:00Z", "x")
	write(t, filepath.Join(e.corrupt, ".git", "HEAD"), "\x00\xffgarbage\n")
	return e
}

func discover(t *testing.T, roots ...string) []source.Candidate {
	t.Helper()
	cands, problems, err := localdir.Discover(context.Background(), roots, localdir.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(problems) > 0 {
		t.Fatalf("discovery problems: %v", problems)
	}
	return cands
}

// collect runs a scan and returns its results by key.
func collect(t *testing.T, ctx context.Context, cands []source.Candidate, opts scan.Options) (map[string]scan.Result, scan.Summary) {
	t.Helper()
	got := map[string]scan.Result{}
	sum, err := scan.Run(ctx, cands, opts, func(r scan.Result) error {
		if _, dup := got[r.Key]; dup {
			t.Errorf("emit called twice for %s", r.Key)
		}
		got[r.Key] = r
		return nil
	})
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	return got, sum
}

func keys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

func realPath(t *testing.T, p string) string {
	t.Helper()
	r, err := filepath.EvalSymlinks(p)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func problemKinds(p *catalog.Project) []string {
	var kinds []string
	for _, pr := range p.Problems {
		kinds = append(kinds, pr.Kind)
	}
	return kinds
}

func TestRun(t *testing.T) {
	e := buildEstate(t)
	cands := discover(t, e.root)
	if len(cands) != 4 {
		t.Fatalf("discovered %d candidates, want 4: %v", len(cands), cands)
	}
	got, sum := collect(t, context.Background(), cands, scan.Options{Workers: 2, ConfigHash: "cfg1"})

	betaKey := "path:" + realPath(t, e.beta)
	corruptKey := "path:" + realPath(t, e.corrupt)
	if diff := cmp.Diff([]string{alphaKey, betaKey, corruptKey}, keys(got)); diff != "" {
		t.Fatalf("one result per repository, duplicates merged (-want +got):\n%s", diff)
	}
	want := scan.Summary{Found: 3, Scanned: 3, Duplicates: 1, Problems: 2, WithProblems: 2}
	if diff := cmp.Diff(want, sum); diff != "" {
		t.Errorf("Summary (-want +got):\n%s", diff)
	}

	for key, r := range got {
		if r.Unchanged || r.Project == nil {
			t.Errorf("%s: first scan result is unchanged or has no project: %+v", key, r)
			continue
		}
		if r.Project.Key != key {
			t.Errorf("Result.Key %q but Project.Key %q", key, r.Project.Key)
		}
		if r.Project.ScannerVersion != catalog.ScannerVersion || r.Project.ConfigHash != "cfg1" {
			t.Errorf("%s: scanned with version %q, config %q", key, r.Project.ScannerVersion, r.Project.ConfigHash)
		}
		if r.Project.ScannedAt.IsZero() {
			t.Errorf("%s: ScannedAt not set", key)
		}
	}

	t.Run("alpha facts", func(t *testing.T) {
		p := got[alphaKey].Project
		if p.Name != "alpha" || p.Path != e.alpha || p.RemoteURL != "https://github.com/acme/alpha.git" {
			t.Errorf("identity: name %q, path %q, remote %q", p.Name, p.Path, p.RemoteURL)
		}
		if p.HeadCommit != e.alphaHead || p.DefaultBranch != "main" {
			t.Errorf("HEAD %q on %q, want %q on main", p.HeadCommit, p.DefaultBranch, e.alphaHead)
		}
		if want := time.Date(2024, 1, 10, 10, 0, 0, 0, time.UTC); !p.HeadDate.Equal(want) {
			t.Errorf("HeadDate = %v, want %v", p.HeadDate, want)
		}
		if p.Commits != 2 || len(p.Contributors) != 2 {
			t.Errorf("%d commits by %d contributors, want 2 by 2", p.Commits, len(p.Contributors))
		}
		if len(p.Languages) == 0 || p.Languages[0].Name != "Go" {
			t.Errorf("Languages = %+v, want Go first", p.Languages)
		}
		if !strings.Contains(p.Description, "settles payments") {
			t.Errorf("Description = %q", p.Description)
		}
	})

	t.Run("duplicate checkout", func(t *testing.T) {
		p := got[alphaKey].Project
		var dups []catalog.Problem
		for _, pr := range p.Problems {
			if pr.Kind == catalog.ProblemDuplicate {
				dups = append(dups, pr)
			}
		}
		if len(dups) != 1 {
			t.Fatalf("alpha problems = %+v, want one duplicate", p.Problems)
		}
		// The shorter path is scanned, the other noted.
		if dups[0].Path != e.clone || !strings.Contains(dups[0].Message, e.alpha) {
			t.Errorf("duplicate problem = %+v, want the clone's path noted and alpha's named", dups[0])
		}
	})

	t.Run("corrupt repository", func(t *testing.T) {
		p := got[corruptKey].Project
		if p.Name != "corrupt" || p.Path != e.corrupt {
			t.Errorf("corrupt project: name %q, path %q", p.Name, p.Path)
		}
		if !slices.Contains(problemKinds(p), catalog.ProblemUnreadable) {
			t.Errorf("corrupt problems = %+v, want %s", p.Problems, catalog.ProblemUnreadable)
		}
	})

	t.Run("clean repository", func(t *testing.T) {
		p := got[betaKey].Project
		if len(p.Problems) != 0 {
			t.Errorf("beta problems = %+v", p.Problems)
		}
		if p.HeadCommit != e.betaHead || p.Commits != 1 || p.RemoteURL != "" {
			t.Errorf("beta: head %q, %d commits, remote %q", p.HeadCommit, p.Commits, p.RemoteURL)
		}
	})
}

func TestRunIncremental(t *testing.T) {
	e := buildEstate(t)
	cands := discover(t, e.root)
	first, _ := collect(t, context.Background(), cands, scan.Options{Workers: 2, ConfigHash: "cfg1"})
	prior := map[string]scan.Prior{}
	for k, r := range first {
		p := r.Project
		prior[k] = scan.Prior{HeadCommit: p.HeadCommit, ScannerVersion: p.ScannerVersion, ConfigHash: p.ConfigHash, Path: p.Path, RemoteURL: p.RemoteURL}
	}
	betaKey := "path:" + realPath(t, e.beta)
	corruptKey := "path:" + realPath(t, e.corrupt)

	with := func(key string, change func(*scan.Prior)) map[string]scan.Prior {
		m := map[string]scan.Prior{}
		for k, v := range prior {
			if k == key {
				change(&v)
			}
			m[k] = v
		}
		return m
	}
	tests := []struct {
		name string
		opts scan.Options
		// wantScanned lists the keys scanned again; the rest must be unchanged.
		wantScanned []string
	}{
		{
			name: "nothing changed",
			opts: scan.Options{ConfigHash: "cfg1", Prior: prior},
			// A repository whose HEAD cannot be read is always retried.
			wantScanned: []string{corruptKey},
		},
		{
			name:        "no prior",
			opts:        scan.Options{ConfigHash: "cfg1"},
			wantScanned: []string{betaKey, corruptKey, alphaKey},
		},
		{
			name:        "force",
			opts:        scan.Options{ConfigHash: "cfg1", Prior: prior, Force: true},
			wantScanned: []string{betaKey, corruptKey, alphaKey},
		},
		{
			name:        "configuration changed",
			opts:        scan.Options{ConfigHash: "cfg2", Prior: prior},
			wantScanned: []string{betaKey, corruptKey, alphaKey},
		},
		{
			name:        "HEAD moved",
			opts:        scan.Options{ConfigHash: "cfg1", Prior: with(alphaKey, func(p *scan.Prior) { p.HeadCommit = strings.Repeat("0", 40) })},
			wantScanned: []string{corruptKey, alphaKey},
		},
		{
			name:        "older scanner",
			opts:        scan.Options{ConfigHash: "cfg1", Prior: with(betaKey, func(p *scan.Prior) { p.ScannerVersion = "0" })},
			wantScanned: []string{betaKey, corruptKey},
		},
		{
			// A URL stored before tokens in queries were stripped.
			name: "stored origin URL differs",
			opts: scan.Options{ConfigHash: "cfg1", Prior: with(alphaKey, func(p *scan.Prior) {
				p.RemoteURL = "https://github.com/acme/alpha.git?private_token=secret"
			})},
			wantScanned: []string{corruptKey, alphaKey},
		},
		{
			name:        "checkout moved",
			opts:        scan.Options{ConfigHash: "cfg1", Prior: with(betaKey, func(p *scan.Prior) { p.Path = "/old/place/beta" })},
			wantScanned: []string{betaKey, corruptKey},
		},
		{
			// Another scan saved alpha and beta after Prior was read: asked
			// again, the catalogue is current and nothing is done twice.
			name: "saved meanwhile by another scan",
			opts: scan.Options{ConfigHash: "cfg1", Prior: map[string]scan.Prior{},
				Recheck: func(_ context.Context, key string) (scan.Prior, bool) {
					p, ok := prior[key]
					return p, ok && key != corruptKey
				}},
			wantScanned: []string{corruptKey},
		},
		{
			name: "recheck finds nothing newer",
			opts: scan.Options{ConfigHash: "cfg1", Prior: with(alphaKey, func(p *scan.Prior) { p.HeadCommit = "" }),
				Recheck: func(_ context.Context, key string) (scan.Prior, bool) { return scan.Prior{}, false }},
			wantScanned: []string{corruptKey, alphaKey},
		},
		{
			name: "force does not recheck",
			opts: scan.Options{ConfigHash: "cfg1", Prior: prior, Force: true,
				Recheck: func(_ context.Context, key string) (scan.Prior, bool) { return prior[key], true }},
			wantScanned: []string{betaKey, corruptKey, alphaKey},
		},
		{
			name:        "scanned under another configuration",
			opts:        scan.Options{ConfigHash: "cfg1", Prior: with(alphaKey, func(p *scan.Prior) { p.ConfigHash = "cfg0" })},
			wantScanned: []string{corruptKey, alphaKey},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.opts.Workers = 2
			got, sum := collect(t, context.Background(), cands, tc.opts)
			if len(got) != 3 {
				t.Fatalf("got results for %v, want 3", keys(got))
			}
			var scanned []string
			for k, r := range got {
				if r.Unchanged == (r.Project != nil) {
					t.Errorf("%s: Unchanged %v with project %v", k, r.Unchanged, r.Project != nil)
				}
				if !r.Unchanged {
					scanned = append(scanned, k)
				}
			}
			if diff := cmp.Diff(tc.wantScanned, scanned, cmpopts.SortSlices(func(a, b string) bool { return a < b })); diff != "" {
				t.Errorf("rescanned (-want +got):\n%s", diff)
			}
			if sum.Scanned != len(tc.wantScanned) || sum.Unchanged != 3-len(tc.wantScanned) || sum.Found != 3 {
				t.Errorf("Summary = %+v", sum)
			}
		})
	}
}

func TestRunProgress(t *testing.T) {
	e := buildEstate(t)
	cands := discover(t, e.root)
	type call struct{ done, total int }
	var calls []call // appended without a lock: -race checks calls are never concurrent
	var names []string
	opts := scan.Options{Workers: 3, Progress: func(done, total int, name string) {
		calls = append(calls, call{done, total})
		names = append(names, name)
	}}
	collect(t, context.Background(), cands, opts)
	want := []call{{1, 3}, {2, 3}, {3, 3}}
	if diff := cmp.Diff(want, calls, cmp.AllowUnexported(call{})); diff != "" {
		t.Errorf("Progress calls (-want +got):\n%s", diff)
	}
	sort.Strings(names)
	if diff := cmp.Diff([]string{"alpha", "beta", "corrupt"}, names); diff != "" {
		t.Errorf("Progress names (-want +got):\n%s", diff)
	}
}

func TestRunEmitError(t *testing.T) {
	e := buildEstate(t)
	cands := discover(t, e.root)
	errFull := errors.New("disk full")
	var emitted, progressed int
	sum, err := scan.Run(context.Background(), cands, scan.Options{
		Workers:  1,
		Progress: func(int, int, string) { progressed++ },
	}, func(scan.Result) error {
		emitted++
		if emitted == 2 {
			return errFull
		}
		return nil
	})
	if !errors.Is(err, errFull) {
		t.Fatalf("Run error = %v, want the emit error", err)
	}
	if emitted != 2 {
		t.Errorf("emit called %d times, want 2 (none after it failed)", emitted)
	}
	if progressed != 1 {
		t.Errorf("Progress called %d times, want 1 (not for the result that failed)", progressed)
	}
	if sum.Found != 3 {
		t.Errorf("Summary.Found = %d, want 3", sum.Found)
	}
}

func TestRunCancelled(t *testing.T) {
	e := buildEstate(t)
	cands := discover(t, e.root)

	t.Run("before the start", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		_, err := scan.Run(ctx, cands, scan.Options{Workers: 2}, func(scan.Result) error { return nil })
		if !errors.Is(err, context.Canceled) {
			t.Errorf("Run with a cancelled context = %v, want context.Canceled", err)
		}
	})

	t.Run("during the scan", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		var emitted atomic.Int32
		_, err := scan.Run(ctx, cands, scan.Options{Workers: 1}, func(scan.Result) error {
			emitted.Add(1)
			cancel()
			return nil
		})
		if !errors.Is(err, context.Canceled) {
			t.Errorf("Run cancelled during the scan = %v, want context.Canceled", err)
		}
		if n := emitted.Load(); n == 0 || n > 3 {
			t.Errorf("emit called %d times", n)
		}
	})

	t.Run("deadline", func(t *testing.T) {
		ctx, cancel := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
		defer cancel()
		_, err := scan.Run(ctx, cands, scan.Options{Workers: 2}, func(scan.Result) error { return nil })
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("Run past its deadline = %v, want context.DeadlineExceeded", err)
		}
	})
}

func TestRunTimeout(t *testing.T) {
	// A repository that runs out of time is saved with a timeout problem;
	// the scan itself succeeds.
	e := buildEstate(t)
	cands := discover(t, e.beta)
	got, sum := collect(t, context.Background(), cands, scan.Options{Workers: 1, Timeout: time.Nanosecond})
	r, ok := got["path:"+realPath(t, e.beta)]
	if !ok || r.Project == nil {
		t.Fatalf("results = %v", keys(got))
	}
	if !slices.Contains(problemKinds(r.Project), catalog.ProblemTimeout) {
		t.Errorf("problems = %+v, want %s", r.Project.Problems, catalog.ProblemTimeout)
	}
	if r.Project.HeadCommit != e.betaHead {
		t.Errorf("HeadCommit = %q: identity read before the timeout is kept", r.Project.HeadCommit)
	}
	if sum.WithProblems != 1 {
		t.Errorf("Summary = %+v", sum)
	}
}

func TestRunNoCandidates(t *testing.T) {
	var progressed bool
	sum, err := scan.Run(context.Background(), nil, scan.Options{Progress: func(int, int, string) { progressed = true }},
		func(scan.Result) error { t.Error("emit called"); return nil })
	if err != nil || sum != (scan.Summary{}) || progressed {
		t.Errorf("Run(no candidates) = %+v, %v (progress called: %v)", sum, err, progressed)
	}
}

func TestRunEmptyRepository(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "empty")
	initRepo(t, dir)
	got, _ := collect(t, context.Background(), discover(t, dir), scan.Options{Workers: 1})
	if len(got) != 1 {
		t.Fatalf("results = %v", keys(got))
	}
	for _, r := range got {
		if !slices.Contains(problemKinds(r.Project), catalog.ProblemNoCommits) || r.Project.HeadCommit != "" {
			t.Errorf("empty repository: head %q, problems %+v", r.Project.HeadCommit, r.Project.Problems)
		}
		if r.Project.DefaultBranch != "main" {
			t.Errorf("empty repository: default branch %q, want main", r.Project.DefaultBranch)
		}
	}
}

// TestRunStripsRemoteSecrets builds repositories whose origin URLs carry
// tokens in every place a URL can hold one, and checks that none reaches the
// scanned project, and that the key is the one the plain URL gives.
func TestRunStripsRemoteSecrets(t *testing.T) {
	root := t.TempDir()
	urls := map[string]string{
		"query":    "https://gitlab.example.com/a/query.git?private_token=glpat-SECRET",
		"fragment": "https://gitlab.example.com/a/fragment.git#SECRET",
		"params":   "https://gitlab.example.com/a/params.git;SECRET",
		"userinfo": "https://oauth2:SECRET@gitlab.example.com/a/userinfo.git",
		"scp":      "git@gitlab.example.com:a/scp.git?SECRET",
	}
	for name, u := range urls {
		dir := filepath.Join(root, name)
		initRepo(t, dir)
		git(t, dir, nil, "remote", "add", "origin", u)
		write(t, filepath.Join(dir, "README.md"), "x\n")
		commit(t, dir, "A <a@example.com>", "2024-01-01T00:00:00Z", "x")
	}
	got, _ := collect(t, context.Background(), discover(t, root), scan.Options{Workers: 2})
	if len(got) != len(urls) {
		t.Fatalf("got %d projects, want %d", len(got), len(urls))
	}
	for name := range urls {
		key := "gitlab.example.com/a/" + name
		r, ok := got[key]
		if !ok {
			t.Errorf("no project with key %s (keys %v)", key, keys(got))
			continue
		}
		if strings.Contains(r.Project.RemoteURL, "SECRET") || !strings.Contains(r.Project.RemoteURL, name) {
			t.Errorf("%s: RemoteURL = %q", name, r.Project.RemoteURL)
		}
	}
}
