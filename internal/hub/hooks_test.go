package hub_test

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ospo-project/ospo/internal/auth"
	"github.com/ospo-project/ospo/internal/hub"
)

func sign(secret string, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write(body)
	return "sha256=" + hex.EncodeToString(mac.Sum(nil))
}

// TestGitHubWebhook checks POST /hooks/github with and without sign-in
// configured: a delivery signed with a source's secret is answered 202 and
// queues one refresh of its repository (a second is de-duplicated); a bad or
// missing signature is 401 and queues nothing; the secret is never logged.
func TestGitHubWebhook(t *testing.T) {
	const secret = "whsec-0123456789"
	for _, withAuth := range []bool{false, true} {
		t.Run(map[bool]string{false: "no sign-in", true: "sign-in required"}[withAuth], func(t *testing.T) {
			ctx := context.Background()
			f := newFixture(t, openSQLite)
			var logs bytes.Buffer
			opts := []hub.Option{hub.WithGitHubWebhooks(map[string]string{"gh": secret, "other": "another-secret"})}
			if withAuth {
				opts = append(opts, hub.WithAuth(hub.AuthOptions{Service: auth.NewService(f.st), Required: true}))
			}
			h, err := hub.New(f.st, slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})), opts...)
			if err != nil {
				t.Fatal(err)
			}
			srv := httptest.NewServer(h)
			defer srv.Close()
			post := func(event string, body []byte, sig string) (int, string) {
				t.Helper()
				req, _ := http.NewRequest("POST", srv.URL+"/hooks/github", bytes.NewReader(body))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("X-GitHub-Event", event)
				if sig != "" {
					req.Header.Set("X-Hub-Signature-256", sig)
				}
				resp, err := srv.Client().Do(req)
				if err != nil {
					t.Fatal(err)
				}
				defer resp.Body.Close()
				b, _ := io.ReadAll(resp.Body)
				return resp.StatusCode, string(b)
			}
			push := []byte(`{"ref":"refs/heads/main","repository":{"id":1296269,"full_name":"octocat/Hello-World"}}`)
			for _, tc := range []struct {
				name  string
				event string
				body  []byte
				sig   string
				code  int
				want  string
			}{
				{"no signature", "push", push, "", 401, "signature"},
				{"wrong secret", "push", push, sign("nope", push), 401, "signature"},
				{"malformed signature", "push", push, "sha256=zz", 401, "signature"},
				{"sha1 only", "push", push, "sha1=" + strings.Repeat("0", 40), 401, "signature"},
				{"ping", "ping", []byte(`{"zen":"Keep it logically awesome.","hook_id":1}`), sign(secret, []byte(`{"zen":"Keep it logically awesome.","hook_id":1}`)), 202, `"ignored"`},
				{"push", "push", push, sign(secret, push), 202, `"queued"`},
				{"push again", "push", push, sign(secret, push), 202, `"already queued"`},
				{"issue event, same repository", "issues", push, sign(secret, push), 202, `"already queued"`},
				{"other source", "push", push, sign("another-secret", push), 202, `"source":"other","status":"queued"`},
				{"not JSON", "push", []byte("{"), sign(secret, []byte("{")), 400, "not JSON"},
			} {
				code, body := post(tc.event, tc.body, tc.sig)
				if code != tc.code || !strings.Contains(body, tc.want) {
					t.Errorf("%s: %d %s, want %d with %q", tc.name, code, body, tc.code, tc.want)
				}
			}
			pending, err := f.st.PendingRefreshes(ctx, "gh")
			if err != nil {
				t.Fatal(err)
			}
			if len(pending) != 1 || pending[0].ID != 1296269 || pending[0].FullName != "octocat/Hello-World" || pending[0].Event != "push" {
				t.Errorf("pending refreshes = %+v, want one push of octocat/Hello-World", pending)
			}
			if strings.Contains(logs.String(), secret) {
				t.Error("the webhook secret is in the log")
			}
			// Without the option the route does not exist.
			plain := newServer(t, f.st)
			resp, err := plain.Client().Post(plain.URL+"/hooks/github", "application/json", bytes.NewReader(push))
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode == http.StatusAccepted {
				t.Error("a hub without webhooks accepts deliveries")
			}
		})
	}
}

// TestGitLabWebhook checks POST /hooks/gitlab with GitLab's published
// example deliveries (internal/source/gitlab/testdata/api): a delivery with
// a source's secret token is answered 202 and queues one refresh of its
// project; a wrong or missing token is 401 and queues nothing; the secret
// is never logged.
func TestGitLabWebhook(t *testing.T) {
	const secret = "gl-webhook-0123456789"
	read := func(name string) []byte {
		b, err := os.ReadFile(filepath.Join("..", "source", "gitlab", "testdata", "api", name))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	push, mr := read("hook-push.json"), read("hook-merge-request.json")
	ctx := context.Background()
	f := newFixture(t, openSQLite)
	var logs bytes.Buffer
	h, err := hub.New(f.st, slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		hub.WithGitLabWebhooks(map[string]string{"gl": secret, "other": "another-secret"}),
		hub.WithAuth(hub.AuthOptions{Service: auth.NewService(f.st), Required: true}))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()
	for _, tc := range []struct {
		name  string
		event string
		body  []byte
		token string
		code  int
		want  string
	}{
		{"no token", "Push Hook", push, "", 401, "token"},
		{"wrong token", "Push Hook", push, "nope", 401, "token"},
		{"prefix of the token", "Push Hook", push, secret[:10], 401, "token"},
		{"push", "Push Hook", push, secret, 202, `"queued"`},
		{"push again", "Push Hook", push, secret, 202, `"already queued"`},
		{"merge request", "Merge Request Hook", mr, secret, 202, `"queued"`},
		{"other source", "Push Hook", push, "another-secret", 202, `"source":"other","status":"queued"`},
		{"not JSON", "Push Hook", []byte("{"), secret, 400, "not JSON"},
		{"no project", "System Hook", []byte(`{"event_name":"user_create"}`), secret, 202, `"ignored"`},
	} {
		req, _ := http.NewRequest("POST", srv.URL+"/hooks/gitlab", bytes.NewReader(tc.body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Gitlab-Event", tc.event)
		if tc.token != "" {
			req.Header.Set("X-Gitlab-Token", tc.token)
		}
		resp, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != tc.code || !strings.Contains(string(b), tc.want) {
			t.Errorf("%s: %d %s, want %d with %q", tc.name, resp.StatusCode, b, tc.code, tc.want)
		}
	}
	pending, err := f.st.PendingRefreshes(ctx, "gl")
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, p := range pending {
		got[fmt.Sprintf("%d %s", p.ID, p.FullName)] = p.Event
	}
	want := map[string]string{"15 mike/diaspora": "push", "1 gitlabhq/gitlab-test": "merge_request"}
	if !maps.Equal(got, want) {
		t.Errorf("pending refreshes = %v, want %v", got, want)
	}
	if strings.Contains(logs.String(), secret) {
		t.Error("the webhook secret is in the log")
	}
}
