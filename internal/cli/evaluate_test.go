package cli_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/cli"
	"github.com/ospo-project/ospo/internal/governance"
	"github.com/ospo-project/ospo/internal/store/teststore"
)

// syncBuffer is a buffer a running command writes to while the test reads.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// background runs an ospo command until the test ends, and returns what it
// writes to standard error.
func background(t *testing.T, args ...string) *syncBuffer {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	out := &syncBuffer{}
	done := make(chan struct{})
	go func() {
		defer close(done)
		cli.RunIO(ctx, append([]string{"ospo"}, args...), strings.NewReader(""), io.Discard, out)
	}()
	t.Cleanup(func() { cancel(); <-done })
	return out
}

// until polls cond until it holds, failing the test after two minutes.
func until(t *testing.T, what string, cond func() (bool, string)) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	for {
		ok, state := cond()
		if ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: not done after two minutes; last state: %s", what, state)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestServeQueuesEvaluation: on PostgreSQL with a worker running, the hub
// files an open-source request at once (201, every automatic item
// evaluating) and queues its evaluation as a River job, which the worker
// runs: the items are answered at the pinned commit, the evaluation is
// audited, and the request can then be approved.
func TestServeQueuesEvaluation(t *testing.T) {
	pg := os.Getenv("OSPO_TEST_POSTGRES")
	if pg == "" {
		t.Skip("OSPO_TEST_POSTGRES is not set: run scripts/test, which starts a throwaway PostgreSQL")
	}
	isolate(t)
	root := buildEstate(t)
	t.Setenv("OSPO_DB", teststore.Schema(t, pg))
	var key string
	var token, reviewer string
	runSteps(t, []step{
		{args: []string{"scan", "-q", "--in-process", root}, stdout: []string{"2 scanned"}},
		{args: []string{"projects", "--format", "json"}, json: func(t *testing.T, out []byte) {
			for _, p := range decode[[]catalog.Project](t, out) {
				if p.Name == "alpha" {
					key = p.Key
				}
			}
		}},
		{args: []string{"users", "add", "ann@example.com", "--role", "developer"}},
		{args: []string{"users", "add", "olga@example.com", "--role", "ospo"}},
	})
	for _, who := range []struct {
		email string
		dst   *string
	}{{"ann@example.com", &token}, {"olga@example.com", &reviewer}} {
		r := run(t, context.Background(), "tokens", "create", "--user", who.email, "--scope", "write")
		if r.code != 0 {
			t.Fatalf("tokens create: %s", r.stderr)
		}
		*who.dst = strings.TrimSpace(r.stdout)
	}

	worker := background(t, "worker", "--concurrency", "1")
	hub := background(t, "serve", "--listen", "127.0.0.1:0")
	addr := regexp.MustCompile(`http://[0-9.:]+/`)
	until(t, "the hub listening", func() (bool, string) { return addr.MatchString(hub.String()), hub.String() })
	base := strings.TrimSuffix(addr.FindString(hub.String()), "/")

	call := func(method, path, bearer, body string) (int, []byte) {
		req, err := http.NewRequest(method, base+path, strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Authorization", "Bearer "+bearer)
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, b
	}
	// The hub queues when a worker leads the queue (River elected it);
	// before that it would evaluate in its own process.
	until(t, "the worker elected leader", func() (bool, string) {
		return queryInt(t, os.Getenv("OSPO_DB"), `SELECT count(*) FROM river_leader WHERE expires_at > now()`) == 1, worker.String()
	})
	status, body := call("POST", "/api/v1/requests", token, `{"kind": "open-source", "subject": "`+key+`"}`)
	if status != http.StatusCreated {
		t.Fatalf("file: %d %s", status, body)
	}
	var filed governance.Request
	if err := json.Unmarshal(body, &filed); err != nil || !filed.Evaluating() || filed.Commit == "" {
		t.Fatalf("filed %s (%v): want its automatic items evaluating at a commit", body, err)
	}
	until(t, "the evaluation", func() (bool, string) {
		_, b := call("GET", "/api/v1/requests/1", token, "")
		var r governance.Request
		json.Unmarshal(b, &r)
		return len(r.Checklist) > 0 && !r.Evaluating(), string(b)
	})
	_, body = call("GET", "/api/v1/requests/1", token, "")
	var done governance.Request
	if err := json.Unmarshal(body, &done); err != nil {
		t.Fatal(err)
	}
	for _, it := range done.Checklist {
		if (it.ID == governance.ItemSecrets || it.ID == governance.ItemLicense) && (it.Status == governance.NotChecked || it.Commit != filed.Commit) {
			t.Errorf("item %+v: want it answered at %s", it, filed.Commit)
		}
	}
	// The worker evaluated it (the job completes just after it recorded the
	// result), not the hub.
	until(t, "the evaluate_request job completed", func() (bool, string) {
		n := queryInt(t, os.Getenv("OSPO_DB"), `SELECT count(*) FROM river_job WHERE kind = 'evaluate_request' AND state = 'completed'`)
		return n == 1, fmt.Sprintf("%d completed; worker: %s", n, worker.String())
	})
	runSteps(t, []step{
		{args: []string{"audit", "list", "--action", "request.evaluate"}, stdout: []string{"request.evaluate", "request:1"}},
	})
	if status, body := call("POST", "/api/v1/requests/1/actions", reviewer, `{"action": "approve"}`); status != http.StatusOK {
		t.Errorf("approve once evaluated: %d %s", status, body)
	}
}

func queryInt(t *testing.T, dsn, sql string) int {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var n int
	if err := conn.QueryRow(ctx, sql).Scan(&n); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return n
}
