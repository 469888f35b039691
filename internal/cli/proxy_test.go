package cli_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/store/sqlite"
)

// The review commands on a push held in the store: four eyes, reviewer
// roles, attestations, and an approval whose upstream cannot be reached
// (the approval stands; the proxy forwards it later). The proxy's own
// pushes are tested end to end in internal/pushproxy.
func TestPushReview(t *testing.T) {
	db := isolate(t)
	cfg := filepath.Join(t.TempDir(), "ospo.yaml")
	os.WriteFile(cfg, []byte(`proxy:
  mirror_dir: `+filepath.Join(t.TempDir(), "mirrors")+`
  upstreams:
    - url: http://127.0.0.1:1/org/
      review: true
  attestations: ["no client data"]
`), 0o644)
	t.Setenv("OSPO_CONFIG", cfg)
	runSteps(t, []step{
		{args: []string{"users", "add", "dev@example.com", "--role", "admin"}},
		{args: []string{"users", "add", "rev@example.com", "--role", "ospo"}},
		{args: []string{"users", "add", "other@example.com", "--role", "developer"}},
	})
	st, err := sqlite.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	_, err = st.CreatePush(context.Background(), catalog.Push{Upstream: "http://127.0.0.1:1/org/x.git", Pusher: "dev@example.com",
		Status: catalog.PushHeld, Refs: []catalog.PushRef{{Ref: "refs/heads/main", Old: "a", New: "b"}},
		Commits: []catalog.PushCommit{{SHA: "b", Subject: "fix"}}}, []byte{}, nil)
	st.Close()
	if err != nil {
		t.Fatal(err)
	}
	runSteps(t, []step{
		{args: []string{"pushes", "--held"}, stdout: []string{"1", "held", "dev@example.com", "http://127.0.0.1:1/org/x.git", "main"}},
		{args: []string{"pushes", "--format", "json"}, json: func(t *testing.T, out []byte) {
			if ps := decode[[]catalog.Push](t, out); len(ps) != 1 || ps[0].Status != catalog.PushHeld {
				t.Errorf("pushes = %+v", ps)
			}
		}},
		{args: []string{"push", "approve", "1"}, code: 2, stderr: []string{"--as EMAIL"}},
		{args: []string{"push", "approve", "1", "--as", "dev@example.com", "--attest-all"}, code: 2, stderr: []string{"may not review their own push"}},
		{args: []string{"push", "approve", "1", "--as", "other@example.com", "--attest-all"}, code: 2, stderr: []string{"ospo or admin role"}},
		{args: []string{"push", "approve", "1", "--as", "rev@example.com"}, code: 2, stderr: []string{"every attestation"}},
		{args: []string{"push", "reject", "1", "--as", "rev@example.com"}, code: 2, stderr: []string{"needs a reason"}},
		{args: []string{"push", "approve", "9", "--as", "rev@example.com", "--attest-all"}, code: 2, stderr: []string{`no push "9"`}},
		{args: []string{"push", "approve", "1", "--as", "rev@example.com", "--attest-all"}, stdout: []string{"push 1 approved by rev@example.com; forwarding failed"}},
		{args: []string{"push", "reject", "1", "--as", "rev@example.com", "--reason", "late"}, code: 2, stderr: []string{"not held"}},
		{args: []string{"audit", "list", "--action", "push."}, stdout: []string{"push.approve", "rev@example.com", "push.forward", "push:1"}},
	})
}

// ospo push expire (the cron form on SQLite) discards the pushes held past
// proxy.hold_for (14 days by default), and only those.
func TestPushExpire(t *testing.T) {
	db := isolate(t)
	cfg := filepath.Join(t.TempDir(), "ospo.yaml")
	os.WriteFile(cfg, []byte(`proxy:
  mirror_dir: `+filepath.Join(t.TempDir(), "mirrors")+`
  upstreams:
    - url: http://127.0.0.1:1/org/
      review: true
`), 0o644)
	t.Setenv("OSPO_CONFIG", cfg)
	st, err := sqlite.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	for _, age := range []time.Duration{15 * 24 * time.Hour, 13 * 24 * time.Hour} {
		_, err = st.CreatePush(context.Background(), catalog.Push{Upstream: "http://127.0.0.1:1/org/x.git", Pusher: "dev@example.com",
			Status: catalog.PushHeld, Refs: []catalog.PushRef{{Ref: "refs/heads/main", Old: "a", New: "b"}},
			CreatedAt: time.Now().Add(-age)}, []byte("pack"), nil)
		if err != nil {
			t.Fatal(err)
		}
	}
	st.Close()
	runSteps(t, []step{
		{args: []string{"push", "expire"}, stdout: []string{"push 1 (dev@example.com to http://127.0.0.1:1/org/x.git) expired"}, stderr: []string{"1 held push(es) expired"}},
		{args: []string{"push", "expire"}, stderr: []string{"0 held push(es) expired"}},
		{args: []string{"pushes", "--held"}, stdout: []string{"2", "held"}},
		{args: []string{"audit", "list", "--action", "push.expire"}, stdout: []string{"push.expire", "ospo-proxy", "push:1"}},
	})
}
