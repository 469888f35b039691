package e2e

import (
	"bufio"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// startServe starts `ospo serve` on a free loopback port and returns its
// base URL once it listens; args are added to its command line.
func startServe(t *testing.T, env []string, args ...string) string {
	t.Helper()
	cmd := exec.Command(ospoBinary(t), append([]string{"serve", "--listen", "127.0.0.1:0"}, args...)...)
	cmd.Env = append(os.Environ(), env...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		listening := regexp.MustCompile(`hub listening on (http://[^/ ]+)/`)
		for sc.Scan() {
			if m := listening.FindStringSubmatch(sc.Text()); m != nil {
				addr <- m[1]
			}
		}
		close(addr)
	}()
	select {
	case base, ok := <-addr:
		if !ok {
			t.Fatal("ospo serve exited before listening")
		}
		return base
	case <-time.After(2 * time.Minute):
		t.Fatal("ospo serve did not listen within 2 minutes")
	}
	return ""
}

// TestHubReplicasShareSessionsAndSnapshots runs two `ospo serve` processes
// on one PostgreSQL catalogue, as replicas behind a load balancer: a
// session opened on one is honoured by the other, a sign-out on either
// ends it on both, and a scan written by a third process shows on both
// (each replica follows the store's writes).
func TestHubReplicasShareSessionsAndSnapshots(t *testing.T) {
	pg := postgresServer(t, "starts two hubs")
	dsn := freshPostgres(t, pg)
	env := []string{"OSPO_DB=" + dsn}
	if r := run(t, env, "migrate"); r.code != 0 {
		t.Fatalf("migrate: %s", r.stderr)
	}
	const email, password = "admin@example.com", "replicas share one catalogue"
	add := exec.Command(ospoBinary(t), "users", "add", email, "--role", "admin", "--password-stdin")
	add.Env = append(os.Environ(), env...)
	add.Stdin = strings.NewReader(password + "\n")
	if out, err := add.CombinedOutput(); err != nil {
		t.Fatalf("users add: %v %s", err, out)
	}
	a, b := startServe(t, env), startServe(t, env)

	// One browser: cookies are per host, not per port, so both replicas
	// see the same cookies, as behind a load balancer.
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	client := &http.Client{Jar: jar, Timeout: time.Minute}
	get := func(u string) (int, string) {
		t.Helper()
		resp, err := client.Get(u)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(body)
	}
	post := func(u string, form url.Values) int {
		t.Helper()
		resp, err := client.PostForm(u, form)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	csrf := regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)
	token := func(page string) string {
		t.Helper()
		m := csrf.FindStringSubmatch(page)
		if m == nil {
			t.Fatalf("no CSRF token in the page:\n%.2000s", page)
		}
		return m[1]
	}

	// Signed in on replica A.
	_, page := get(a + "/signin")
	if code := post(a+"/signin", url.Values{"email": {email}, "password": {password}, "csrf_token": {token(page)}}); code != http.StatusOK {
		t.Fatalf("sign in on A: %d", code)
	}
	// Replica B knows the session.
	code, me := get(b + "/me")
	if code != http.StatusOK || !strings.Contains(me, email) {
		t.Fatalf("B's /me after signing in on A: %d, signed in as %s: %v", code, email, strings.Contains(me, email))
	}

	// A scan written by another process shows on both replicas.
	root := t.TempDir()
	if r := run(t, nil, "bench", "-q", "--dir", root, "--repos", "2", "--commits", "5", "--bench-db", filepath.Join(t.TempDir(), "gen.db")); r.code != 0 {
		t.Fatalf("generate: %s %s", r.stdout, r.stderr)
	}
	if r := run(t, env, "-q", "scan", "--in-process", root); r.code != 0 {
		t.Fatalf("scan: %d %s", r.code, r.stderr)
	}
	for name, base := range map[string]string{"A": a, "B": b} {
		waitFor(t, 2*time.Minute, "replica "+name+" lists the scanned projects", func() (bool, string) {
			code, body := get(base + "/api/v1/projects")
			var ps struct {
				Total int `json:"total"`
			}
			if code != http.StatusOK || json.Unmarshal([]byte(body), &ps) != nil {
				return false, body
			}
			return ps.Total == 2, body
		})
	}

	// Signed out on B: the session ends on A too. The browser drops the
	// cookie when signing out; the old cookie is sent to A by hand, as a
	// stolen copy would be.
	var session *http.Cookie
	aURL, _ := url.Parse(a)
	for _, c := range jar.Cookies(aURL) {
		if c.Name == "ospo_session" {
			session = c
		}
	}
	if session == nil {
		t.Fatal("no session cookie after signing in")
	}
	if code := post(b+"/signout", url.Values{"csrf_token": {token(me)}}); code != http.StatusOK {
		t.Fatalf("sign out on B: %d", code)
	}
	req, err := http.NewRequest(http.MethodGet, a+"/me", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.AddCookie(&http.Cookie{Name: session.Name, Value: session.Value})
	noRedirect := &http.Client{Timeout: time.Minute, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := noRedirect.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode == http.StatusOK || strings.Contains(string(body), email) {
		t.Errorf("A after the sign-out on B, with the old session cookie: %d, still signed in as %s: %v",
			resp.StatusCode, email, strings.Contains(string(body), email))
	}
}
