package pushproxy_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/cgi"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ospo-project/ospo/internal/auth"
	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/governance"
	"github.com/ospo-project/ospo/internal/notify"
	"github.com/ospo-project/ospo/internal/pushproxy"
	"github.com/ospo-project/ospo/internal/store"
	"github.com/ospo-project/ospo/internal/store/teststore"
)

// upstream serves the bare repositories under root with git http-backend
// (through net/http/cgi), pushes included; Down makes it answer 503.
type upstream struct {
	*httptest.Server
	root string
	Down atomic.Bool
}

func newUpstream(t testing.TB) *upstream {
	t.Helper()
	out, err := exec.Command("git", "--exec-path").Output()
	if err != nil {
		t.Skipf("git not available: %v", err)
	}
	u := &upstream{root: t.TempDir()}
	h := &cgi.Handler{
		Path: filepath.Join(strings.TrimSpace(string(out)), "git-http-backend"),
		Env:  []string{"GIT_PROJECT_ROOT=" + u.root, "GIT_HTTP_EXPORT_ALL=1", "GIT_CONFIG_NOSYSTEM=1", "HOME=" + u.root},
	}
	u.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if u.Down.Load() {
			http.Error(w, "down for maintenance", http.StatusServiceUnavailable)
			return
		}
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(u.Close)
	return u
}

// repo creates the bare repository org/name.git upstream with one commit.
func (u *upstream) repo(t *testing.T, name string) string {
	t.Helper()
	bare := filepath.Join(u.root, "org", name+".git")
	git(t, u.root, nil, "init", "-q", "--bare", "-b", "main", bare)
	git(t, bare, nil, "config", "http.receivepack", "true")
	work := t.TempDir()
	git(t, work, nil, "init", "-q", "-b", "main")
	write(t, work, "README.md", "# "+name+"\n")
	git(t, work, nil, "add", "-A")
	git(t, work, nil, "commit", "-q", "-m", "initial")
	git(t, work, nil, "push", "-q", bare, "main")
	return bare
}

func git(t *testing.T, dir string, env []string, args ...string) string {
	t.Helper()
	out, err := gitErr(dir, env, args...)
	if err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(out)
}

func gitErr(dir string, env []string, args ...string) (string, error) {
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=/dev/null", "GIT_TERMINAL_PROMPT=0",
		"GIT_AUTHOR_NAME=Dev", "GIT_AUTHOR_EMAIL=dev@example.com", "GIT_COMMITTER_NAME=Dev", "GIT_COMMITTER_EMAIL=dev@example.com")
	cmd.Env = append(cmd.Env, env...)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

func write(t *testing.T, dir, name, content string) {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// env is a proxy in front of an upstream, with accounts and their tokens.
type env struct {
	st     store.Store
	up     *upstream
	proxy  *pushproxy.Proxy
	srv    *httptest.Server
	tokens map[string]string
}

func newEnv(t testing.TB, st store.Store, mod func(*pushproxy.Config)) *env {
	t.Helper()
	e := &env{st: st, up: newUpstream(t), tokens: map[string]string{}}
	cfg := pushproxy.Config{
		MirrorDir: t.TempDir(),
		Upstreams: []pushproxy.Upstream{
			{Prefix: e.up.URL + "/org/"},
			{Prefix: e.up.URL + "/org/held", Review: true},
			{Prefix: e.up.URL + "/org/held-down.git", Review: true},
		},
		EmailDomains:    []string{"example.com"},
		MessagePatterns: []string{`\bACME-[0-9]+\b`},
		HubURL:          "https://ospo.example",
		Attestations:    []string{"no client data"},
	}
	if mod != nil {
		mod(&cfg)
	}
	p, err := pushproxy.New(cfg, st, nil)
	if err != nil {
		t.Fatal(err)
	}
	e.proxy = p
	e.srv = httptest.NewServer(p)
	t.Cleanup(e.srv.Close)
	svc := auth.NewService(st)
	for email, role := range map[string]catalog.Role{
		"dev@example.com": catalog.RoleDeveloper, "boss@example.com": catalog.RoleAdmin,
		"ospo@example.com": catalog.RoleOSPO, "viewer@example.com": catalog.RoleViewer,
	} {
		by := auth.Actor{Name: "test", Source: "cli"}
		if _, err := svc.CreateAccount(context.Background(), by, email, role, ""); err != nil {
			t.Fatal(err)
		}
		secret, _, err := svc.CreateToken(context.Background(), by, email, "push", catalog.ScopeWrite, 0)
		if err != nil {
			t.Fatal(err)
		}
		e.tokens[email] = secret
	}
	return e
}

// remote is the proxy URL of upstream repository org/name as email pushes to it.
func (e *env) remote(email, name string) string {
	u, _ := url.Parse(e.srv.URL)
	up, _ := url.Parse(e.up.URL)
	if email != "" {
		u.User = url.UserPassword("git", e.tokens[email])
	}
	return u.String() + "/git/" + up.Host + "/org/" + name + ".git"
}

// clone clones org/name through the proxy (fetches pass through).
func (e *env) clone(t *testing.T, name string) string {
	t.Helper()
	work := t.TempDir()
	git(t, work, nil, "clone", "-q", e.remote("", name), ".")
	return work
}

func commit(t *testing.T, work, file, content, msg string, env ...string) string {
	t.Helper()
	write(t, work, file, content)
	git(t, work, env, "add", "-A")
	git(t, work, env, "commit", "-q", "-m", msg)
	return git(t, work, nil, "rev-parse", "HEAD")
}

func (e *env) push(work, email, name string, refspec ...string) (string, error) {
	args := append([]string{"push", e.remote(email, name)}, refspec...)
	if len(refspec) == 0 {
		args = append(args, "HEAD:refs/heads/main")
	}
	return gitErr(work, nil, args...)
}

func upstreamHead(t *testing.T, bare, ref string) string {
	t.Helper()
	out, _ := gitErr(bare, nil, "rev-parse", "--verify", "-q", ref)
	return strings.TrimSpace(out)
}

// A planted secret, assembled at run time.
var awsKey = "AKIA" + "Z7Q3LMNP4RT2XW5Y"

func TestPushProxy(t *testing.T) {
	teststore.Each(t, func(t *testing.T, st store.Store) {
		e := newEnv(t, st, nil)
		ctx := context.Background()

		t.Run("clean push is forwarded", func(t *testing.T) {
			bare := e.up.repo(t, "clean")
			work := e.clone(t, "clean")
			for i := range 3 {
				commit(t, work, fmt.Sprintf("f%d.txt", i), "hello\n", fmt.Sprintf("change %d", i))
			}
			out, err := e.push(work, "dev@example.com", "clean")
			if err != nil {
				t.Fatalf("push: %v\n%s", err, out)
			}
			if !strings.Contains(out, "forwarded to") {
				t.Errorf("push output lacks the proxy's report:\n%s", out)
			}
			if got, want := upstreamHead(t, bare, "main"), git(t, work, nil, "rev-parse", "HEAD"); got != want {
				t.Errorf("upstream main = %s, want %s", got, want)
			}
			list, _ := st.ListPushes(ctx, store.PushFilter{Upstream: e.up.URL + "/org/clean.git"})
			if len(list) != 1 || list[0].Status != catalog.PushForwarded || len(list[0].Commits) != 3 {
				t.Errorf("stored pushes = %+v, want one forwarded push of 3 commits", list)
			}

			// The mirror took in the forwarded push: the next push fetches
			// nothing from the upstream.
			fetches := e.proxy.Metrics().Stages()["mirror.fetch"].Count
			commit(t, work, "f9.txt", "again\n", "one more")
			if out, err := e.push(work, "dev@example.com", "clean"); err != nil {
				t.Fatalf("second push: %v\n%s", err, out)
			}
			if got, want := upstreamHead(t, bare, "main"), git(t, work, nil, "rev-parse", "HEAD"); got != want {
				t.Errorf("after the second push upstream main = %s, want %s", got, want)
			}
			if n := e.proxy.Metrics().Stages()["mirror.fetch"].Count; n != fetches {
				t.Errorf("the second push fetched into the mirror (%d fetches, was %d): the forwarded push was not adopted", n, fetches)
			}
		})

		t.Run("secret in the middle commit is rejected", func(t *testing.T) {
			bare := e.up.repo(t, "leak")
			before := upstreamHead(t, bare, "main")
			work := e.clone(t, "leak")
			commit(t, work, "app.py", "print('hi')\n", "first")
			mid := commit(t, work, "config.py", "AWS = '"+awsKey+"'\n", "add config")
			commit(t, work, "config.py", "AWS = None\n", "remove the key again")
			out, err := e.push(work, "dev@example.com", "leak")
			if err == nil {
				t.Fatalf("push with a secret succeeded:\n%s", out)
			}
			for _, want := range []string{"remote: ospo: push rejected", "aws-access-token", "commit " + mid[:12] + " config.py:1", "rotate"} {
				if !strings.Contains(out, want) {
					t.Errorf("push output lacks %q:\n%s", want, out)
				}
			}
			if strings.Contains(out, awsKey) {
				t.Errorf("push output shows the secret:\n%s", out)
			}
			if got := upstreamHead(t, bare, "main"); got != before {
				t.Errorf("upstream moved to %s", got)
			}
			list, _ := st.ListPushes(ctx, store.PushFilter{Upstream: e.up.URL + "/org/leak.git"})
			if len(list) != 1 || list[0].Status != catalog.PushRejected {
				t.Fatalf("stored pushes = %+v", list)
			}
			entries, _ := st.ListAudit(ctx, store.AuditFilter{Object: fmt.Sprintf("push:%d", list[0].ID)})
			if len(entries) != 1 || !strings.Contains(entries[0].After, "aws-access-token") || strings.Contains(entries[0].After, awsKey) {
				t.Errorf("audit of the rejected push = %+v", entries)
			}
		})

		t.Run("held push is approved by a second person and forwarded", func(t *testing.T) {
			bare := e.up.repo(t, "held")
			work := e.clone(t, "held")
			head := commit(t, work, "lib.go", "package lib\n", "add lib")
			out, err := e.push(work, "boss@example.com", "held")
			if err == nil || !strings.Contains(out, "held for review") || !strings.Contains(out, "https://ospo.example/pushes/") {
				t.Fatalf("push to a reviewed upstream: %v\n%s", err, out)
			}
			held, _ := st.ListPushes(ctx, store.PushFilter{Status: catalog.PushHeld})
			if len(held) != 1 {
				t.Fatalf("held pushes = %+v", held)
			}
			id := held[0].ID
			diff, err := e.proxy.Diff(ctx, id)
			if err != nil || !strings.Contains(diff, "lib.go") || !strings.Contains(diff, "+package lib") {
				t.Errorf("Diff of the held push = %q, %v", diff, err)
			}
			// The pusher is an admin: four eyes still refuses them.
			_, err = e.proxy.Decide(ctx, id, pushproxy.Decision{Approve: true, Reviewer: auth.Actor{Name: "boss@example.com"},
				Attestations: []string{"no client data"}})
			if !errors.Is(err, store.ErrSelfApproval) {
				t.Errorf("self-approval = %v, want ErrSelfApproval", err)
			}
			_, err = e.proxy.Decide(ctx, id, pushproxy.Decision{Approve: true, Reviewer: auth.Actor{Name: "dev@example.com"},
				Attestations: []string{"no client data"}})
			if !errors.Is(err, pushproxy.ErrNotReviewer) {
				t.Errorf("approval by a developer = %v, want ErrNotReviewer", err)
			}
			_, err = e.proxy.Decide(ctx, id, pushproxy.Decision{Approve: true, Reviewer: auth.Actor{Name: "ospo@example.com"}})
			if !errors.Is(err, pushproxy.ErrAttestations) {
				t.Errorf("approval without attestations = %v, want ErrAttestations", err)
			}
			if got := upstreamHead(t, bare, "main"); got == head {
				t.Fatal("upstream has the held push before approval")
			}
			p, err := e.proxy.Decide(ctx, id, pushproxy.Decision{Approve: true, Reviewer: auth.Actor{Name: "ospo@example.com", Source: "hub"},
				Attestations: []string{"no client data"}})
			if err != nil {
				t.Fatal(err)
			}
			if p.Status != catalog.PushForwarded {
				t.Errorf("after approval: %+v", p)
			}
			if got := upstreamHead(t, bare, "main"); got != head {
				t.Errorf("upstream main = %s, want the approved %s", got, head)
			}
			entries, _ := st.ListAudit(ctx, store.AuditFilter{Object: fmt.Sprintf("push:%d", id)})
			var actions []string
			for _, en := range entries {
				actions = append(actions, en.Action+" by "+en.Actor)
			}
			want := []string{"push.receive by boss@example.com", "push.approve by ospo@example.com", "push.forward by ospo-proxy"}
			if strings.Join(actions, ", ") != strings.Join(want, ", ") {
				t.Errorf("audit = %v, want %v", actions, want)
			}
		})

		t.Run("blocked e-mail domain and message pattern", func(t *testing.T) {
			e.up.repo(t, "email")
			work := e.clone(t, "email")
			c := commit(t, work, "a.txt", "a\n", "fix ACME-1234 in the parser", "GIT_AUTHOR_EMAIL=me@gmail.com")
			out, err := e.push(work, "dev@example.com", "email")
			if err == nil {
				t.Fatalf("push succeeded:\n%s", out)
			}
			for _, want := range []string{"email", `author e-mail "me@gmail.com"`, "commit " + c[:12], "blocked pattern", "2 problem(s)"} {
				if !strings.Contains(out, want) {
					t.Errorf("push output lacks %q:\n%s", want, out)
				}
			}
		})

		t.Run("hidden commit", func(t *testing.T) {
			bare := e.up.repo(t, "hidden")
			work := e.clone(t, "hidden")
			old := git(t, work, nil, "rev-parse", "HEAD")
			pushed := commit(t, work, "a.txt", "a\n", "visible")
			git(t, work, nil, "checkout", "-q", "--orphan", "other")
			hidden := commit(t, work, "secret-plan.txt", "plan\n", "hidden")
			pack := packOf(t, work, pushed+"\n^"+old+"\n"+hidden+"\n")
			resp := e.post(t, "dev@example.com", "hidden", old+" "+pushed+" refs/heads/main", pack)
			for _, want := range []string{"hidden commit", hidden[:12], "ng refs/heads/main"} {
				if !strings.Contains(resp, want) {
					t.Errorf("response lacks %q:\n%q", want, resp)
				}
			}
			if got := upstreamHead(t, bare, "main"); got != old {
				t.Errorf("upstream moved to %s", got)
			}
		})

		t.Run("malformed request", func(t *testing.T) {
			req, _ := http.NewRequest("POST", e.remote("", "clean")+"/git-receive-pack", strings.NewReader("00zzgarbage"))
			req.SetBasicAuth("git", e.tokens["dev@example.com"])
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusBadRequest || !strings.Contains(string(body), "malformed push request") {
				t.Errorf("malformed request: %d %q", resp.StatusCode, body)
			}
		})

		t.Run("unauthenticated and not allowed", func(t *testing.T) {
			e.up.repo(t, "auth")
			work := e.clone(t, "auth")
			commit(t, work, "a.txt", "a\n", "a")
			if out, err := e.push(work, "", "auth"); err == nil || !strings.Contains(out, "could not read Username") {
				t.Errorf("push without a token: %v\n%s", err, out)
			}
			if out, err := e.push(work, "viewer@example.com", "auth"); err == nil || !strings.Contains(out, "may not push through the proxy") {
				t.Errorf("push by a viewer: %v\n%s", err, out)
			}
		})

		t.Run("upstream down", func(t *testing.T) {
			bare := e.up.repo(t, "held-down")
			work := e.clone(t, "held-down")
			head := commit(t, work, "a.txt", "a\n", "a")
			out, err := e.push(work, "dev@example.com", "held-down")
			if err == nil || !strings.Contains(out, "held for review") {
				t.Fatalf("push: %v\n%s", err, out)
			}
			held, _ := st.ListPushes(ctx, store.PushFilter{Status: catalog.PushHeld, Upstream: e.up.URL + "/org/held-down.git"})
			if len(held) != 1 {
				t.Fatalf("held = %+v", held)
			}
			e.up.Down.Store(true)
			commit(t, work, "b.txt", "b\n", "b")
			out, err = e.push(work, "dev@example.com", "held-down")
			if err == nil || !strings.Contains(out, "cannot be reached") {
				t.Errorf("push while the upstream is down: %v\n%s", err, out)
			}
			p, err := e.proxy.Decide(ctx, held[0].ID, pushproxy.Decision{Approve: true, Reviewer: auth.Actor{Name: "ospo@example.com"},
				Attestations: []string{"no client data"}})
			if err == nil || p == nil || p.Status != catalog.PushApproved || p.Error == "" {
				t.Fatalf("approval while the upstream is down = %+v, %v; want approved with an error", p, err)
			}
			e.up.Down.Store(false)
			n, err := e.proxy.RetryApproved(ctx)
			if err != nil || n != 1 {
				t.Fatalf("RetryApproved = %d, %v", n, err)
			}
			if got := upstreamHead(t, bare, "main"); got != head {
				t.Errorf("upstream main = %s, want the approved %s", got, head)
			}
		})
	})
}

func TestPackOverLimit(t *testing.T) {
	e := newEnv(t, teststore.SQLite(t), func(c *pushproxy.Config) { c.MaxPackSize = 40 << 10 })
	bare := e.up.repo(t, "big")
	work := e.clone(t, "big")
	b := make([]byte, 75<<10)
	rand.Read(b)
	commit(t, work, "data.txt", base64.StdEncoding.EncodeToString(b), "big")
	out, err := e.push(work, "dev@example.com", "big")
	if err == nil || !strings.Contains(out, "over the limit of 40.0 KiB") {
		t.Errorf("push of a large pack: %v\n%s", err, out)
	}
	if got := upstreamHead(t, bare, "main"); got == git(t, work, nil, "rev-parse", "HEAD") {
		t.Error("the large push reached the upstream")
	}
}

// packOf returns a pack of the objects rev-list --objects lists for revs.
func packOf(t *testing.T, dir, revs string) []byte {
	t.Helper()
	cmd := exec.Command("git", "pack-objects", "--stdout", "--revs")
	cmd.Dir = dir
	cmd.Stdin = strings.NewReader(revs)
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// post sends a hand-made receive-pack request and returns the response.
func (e *env) post(t *testing.T, email, name, command string, pack []byte) string {
	t.Helper()
	var body bytes.Buffer
	line := command + "\x00report-status side-band-64k\n"
	fmt.Fprintf(&body, "%04x%s0000", len(line)+4, line)
	body.Write(pack)
	req, _ := http.NewRequest("POST", e.remote("", name)+"/git-receive-pack", &body)
	req.SetBasicAuth("git", e.tokens[email])
	req.Header.Set("Content-Type", "application/x-git-receive-pack-request")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}

// Step 2 accepts an upstream no prefix allows when an approved contribute
// request covers it (issue 14's requests, through ApprovedContributions).
func TestApprovedContribution(t *testing.T) {
	st := teststore.SQLite(t)
	e := newEnv(t, st, func(c *pushproxy.Config) { c.Contributions = pushproxy.ApprovedContributions(st) })
	e.up.repo(t, "contrib")
	work := e.clone(t, "contrib")
	commit(t, work, "a.txt", "a\n", "a")
	up, _ := url.Parse(e.up.URL)
	// "other/x" is under no allowed prefix: its upstream is https://HOST/other/x.git.
	remote := strings.Replace(e.remote("dev@example.com", "contrib"), "/org/contrib.git", "/other/x.git", 1)
	out, err := gitErr(work, nil, "push", remote, "HEAD:refs/heads/main")
	if err == nil || !strings.Contains(out, "upstream https://"+up.Host+"/other/x.git is not allowed") {
		t.Fatalf("push to an upstream without approval: %v\n%s", err, out)
	}
	_, err = st.CreateRequest(context.Background(), governance.Request{Kind: governance.KindContribute, Title: "x",
		Subject: "https://" + up.Host + "/other/x", Requester: "dev@example.com", State: governance.StateApproved, CreatedAt: time.Now(), UpdatedAt: time.Now(),
		Details: governance.Details{Scope: governance.ScopeOneOff}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	// Allowed now: the proxy goes on to fetch the upstream over https,
	// which this test's plain-HTTP server cannot answer.
	out, err = gitErr(work, nil, "push", remote, "HEAD:refs/heads/main")
	if err == nil || strings.Contains(out, "is not allowed") || !strings.Contains(out, "cannot be reached") {
		t.Errorf("push to an approved upstream: %v\n%s", err, out)
	}
}

// Proprietary licence headers in added files: found per commit, file and
// line; a file only modified, or a marker past the header, is not.
func TestLicenceHeaders(t *testing.T) {
	for _, tc := range []struct {
		name   string
		reject bool
		status catalog.PushStatus
		output string
	}{
		{"held for review by default", false, catalog.PushHeld, "held for review"},
		{"rejected when configured", true, catalog.PushRejected, "push rejected"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			teststore.Each(t, func(t *testing.T, st store.Store) {
				e := newEnv(t, st, func(c *pushproxy.Config) {
					c.LicenceMarkers = []string{"Confidential", "Copyright Acme Bank"}
					c.LicenceReject = tc.reject
					c.LicenceHeaderLines = 5
				})
				name := "lic" + map[bool]string{true: "-reject", false: "-review"}[tc.reject]
				bare := e.up.repo(t, name)
				before := upstreamHead(t, bare, "main")
				work := e.clone(t, name)
				commit(t, work, "README.md", "# x\nConfidential\n", "a marker in a modified file is not checked")
				first := commit(t, work, "src/engine.go", "// Copyright ACME BANK 2026\n// SPDX-License-Identifier: Apache-2.0\npackage engine\n", "add engine")
				commit(t, work, "src/late.go", "package late\n\n\n\n\n\n// Confidential\n", "a marker past the header")
				third := commit(t, work, "docs/plan.txt", "Plan\n\nCONFIDENTIAL - internal only\n", "add plan")
				out, err := e.push(work, "dev@example.com", name)
				if err == nil || !strings.Contains(out, tc.output) {
					t.Fatalf("push: %v\n%s", err, out)
				}
				for _, want := range []string{
					"licence [Copyright Acme Bank] commit " + first[:12] + " src/engine.go:1",
					"licence [Confidential] commit " + third[:12] + " docs/plan.txt:3",
				} {
					if !strings.Contains(out, want) {
						t.Errorf("push output lacks %q:\n%s", want, out)
					}
				}
				if upstreamHead(t, bare, "main") != before {
					t.Error("the upstream moved")
				}
				list, _ := st.ListPushes(context.Background(), store.PushFilter{Upstream: e.up.URL + "/org/" + name + ".git"})
				if len(list) != 1 || list[0].Status != tc.status {
					t.Fatalf("stored pushes = %+v, want one %s", list, tc.status)
				}
				var got []string
				for _, f := range list[0].Findings {
					got = append(got, fmt.Sprintf("%s %s:%d %s", f.Check, f.Path, f.Line, f.Severity))
				}
				sev := map[bool]string{true: catalog.SeverityReject, false: catalog.SeverityReview}[tc.reject]
				want := []string{"licence docs/plan.txt:3 " + sev, "licence src/engine.go:1 " + sev}
				if strings.Join(got, ", ") != strings.Join(want, ", ") {
					t.Errorf("findings = %v, want %v", got, want)
				}
			})
		})
	}
}

// hooks records the notifications posted to people's webhooks; got
// receives each one.
type hooks struct {
	srv *httptest.Server
	got chan notify.Message
}

func newHooks(t *testing.T) *hooks {
	h := &hooks{got: make(chan notify.Message, 100)}
	h.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var m notify.Message
		b, _ := io.ReadAll(r.Body)
		if err := json.Unmarshal(b, &m); err == nil {
			h.got <- m
		}
	}))
	t.Cleanup(h.srv.Close)
	return h
}

// next returns the next n messages, sorted by recipient, failing the test
// if they do not come within a minute.
func (h *hooks) next(t *testing.T, n int) []notify.Message {
	t.Helper()
	var out []notify.Message
	deadline := time.After(time.Minute)
	for len(out) < n {
		select {
		case m := <-h.got:
			out = append(out, m)
		case <-deadline:
			t.Fatalf("got %d notifications, want %d: %+v", len(out), n, out)
		}
	}
	slices.SortFunc(out, func(a, b notify.Message) int { return strings.Compare(a.To, b.To) })
	return out
}

// Reviewers are told when a push is held, the pusher when it is decided or
// expires; expired pushes lose their packs and are audited.
func TestPushNotificationsAndExpiry(t *testing.T) {
	teststore.Each(t, func(t *testing.T, st store.Store) {
		ctx := context.Background()
		h := newHooks(t)
		e := newEnv(t, st, func(c *pushproxy.Config) {
			c.Notifier = &notify.Notifier{Prefs: st, Hooks: &notify.Webhooks{AllowHTTP: true, Backoff: time.Millisecond}}
			c.HoldFor = time.Hour
		})
		for _, email := range []string{"dev@example.com", "boss@example.com", "ospo@example.com", "viewer@example.com"} {
			if err := st.SetNotifyPreferences(ctx, email, notify.Preferences{NoEmail: true, Webhook: h.srv.URL}, nil); err != nil {
				t.Fatal(err)
			}
		}
		hold := func(name string) int64 {
			t.Helper()
			e.up.repo(t, name)
			work := e.clone(t, name)
			commit(t, work, "lib.go", "package lib\n", "add lib to "+name)
			if out, err := e.push(work, "dev@example.com", name); err == nil || !strings.Contains(out, "held for review") {
				t.Fatalf("push: %v\n%s", err, out)
			}
			list, _ := st.ListPushes(ctx, store.PushFilter{Upstream: e.up.URL + "/org/" + name + ".git"})
			if len(list) != 1 {
				t.Fatalf("pushes = %+v", list)
			}
			return list[0].ID
		}

		id := hold("held/notify")
		got := h.next(t, 2)
		for i, want := range []string{"boss@example.com", "ospo@example.com"} {
			m := got[i]
			if m.To != want || m.Topic != notify.TopicPushHeld || m.Link != fmt.Sprintf("https://ospo.example/pushes/%d", id) ||
				!strings.Contains(m.Text, "add lib to held/notify") {
				t.Errorf("held notification %d = %+v, want one to %s", i, m, want)
			}
		}
		if _, err := e.proxy.Decide(ctx, id, pushproxy.Decision{Reviewer: auth.Actor{Name: "ospo@example.com"}, Reason: "internal ticket in the code"}); err != nil {
			t.Fatal(err)
		}
		if m := h.next(t, 1)[0]; m.To != "dev@example.com" || m.Topic != notify.TopicPushDecided ||
			!strings.Contains(m.Text, "rejected by ospo@example.com: internal ticket in the code") {
			t.Errorf("decision notification = %+v", m)
		}

		// Expiry: a push held for less than HoldFor stays.
		id2 := hold("held/expire")
		h.next(t, 2)
		if got, err := e.proxy.ExpireHeld(ctx); err != nil || len(got) != 0 {
			t.Fatalf("ExpireHeld before its time = %+v, %v", got, err)
		}
		// A proxy holding pushes for no time at all expires it.
		quick, err := pushproxy.New(pushproxy.Config{MirrorDir: t.TempDir(), HoldFor: time.Nanosecond,
			Notifier: &notify.Notifier{Prefs: st, Hooks: &notify.Webhooks{AllowHTTP: true, Backoff: time.Millisecond}}}, st, nil)
		if err != nil {
			t.Fatal(err)
		}
		expired, err := quick.ExpireHeld(ctx)
		if err != nil || len(expired) != 1 || expired[0].ID != id2 || expired[0].Status != catalog.PushExpired {
			t.Fatalf("ExpireHeld = %+v, %v", expired, err)
		}
		if _, err := st.PushPack(ctx, id2); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("the expired push kept its pack: %v", err)
		}
		if m := h.next(t, 1)[0]; m.To != "dev@example.com" || m.Topic != notify.TopicPushDecided || !strings.Contains(m.Text, "expired") {
			t.Errorf("expiry notification = %+v", m)
		}
		entries, _ := st.ListAudit(ctx, store.AuditFilter{Object: fmt.Sprintf("push:%d", id2)})
		if n := len(entries); n != 2 || entries[1].Action != pushproxy.ActPushExpire || entries[1].Actor != "ospo-proxy" {
			t.Errorf("audit of the expired push = %+v", entries)
		}
		if _, err := e.proxy.Decide(ctx, id2, pushproxy.Decision{Approve: true, Reviewer: auth.Actor{Name: "ospo@example.com"},
			Attestations: []string{"no client data"}}); !errors.Is(err, store.ErrPushState) {
			t.Errorf("approving an expired push = %v, want ErrPushState", err)
		}
		e.proxy.Wait()
		select {
		case m := <-h.got:
			t.Errorf("unexpected notification %+v", m)
		default:
		}
	})
}
