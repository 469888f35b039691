package hub_test

import (
	"context"
	"log/slog"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/ospo-project/ospo/internal/hub"
	"github.com/ospo-project/ospo/internal/jobs"
	"github.com/ospo-project/ospo/internal/store/postgres"
	"github.com/ospo-project/ospo/internal/store/teststore"
)

// TestJobQueue checks what a hub on PostgreSQL shows of the job queue: the
// queue page, the job metrics, and /readyz, which answers 503 when River's
// tables are behind this binary.
func TestJobQueue(t *testing.T) {
	pg := os.Getenv("OSPO_TEST_POSTGRES")
	if pg == "" {
		t.Skip("OSPO_TEST_POSTGRES is not set: run scripts/test, which starts a throwaway PostgreSQL")
	}
	ctx := context.Background()
	dsn := teststore.Schema(t, pg)
	st, err := postgres.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	q, err := jobs.Open(ctx, dsn, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(q.Close)
	if _, err := q.Enqueue(ctx, jobs.ScanRepo{Key: "k<script>", Path: "/srv/<b>repo</b>"}); err != nil {
		t.Fatal(err)
	}
	h, err := hub.New(st, slog.New(slog.DiscardHandler), hub.WithQueue(q))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)

	r := do(t, srv, "GET", "/admin/jobs")
	if r.status != 200 || !strings.Contains(r.body, "scan_repo") || !strings.Contains(r.body, "Waiting and running") {
		t.Fatalf("GET /admin/jobs = %d\n%s", r.status, r.body)
	}
	if strings.Contains(r.body, "<b>repo</b>") || strings.Contains(r.body, "k<script>") {
		t.Errorf("job arguments are not escaped:\n%s", r.body)
	}
	r = do(t, srv, "GET", "/metrics")
	for _, want := range []string{"ospo_jobs_up 1", `ospo_jobs_queued{kind="scan_repo"} 1`, "ospo_http_requests_total"} {
		if !strings.Contains(r.body, want) {
			t.Errorf("/metrics lacks %q\n%s", want, r.body)
		}
	}
	if r := do(t, srv, "GET", "/readyz"); r.status != 200 {
		t.Fatalf("readyz = %d %s", r.status, r.body)
	}
	// River's migration table says a version is missing: not ready.
	if err := teststore.Exec(dsn, `DELETE FROM river_migration WHERE version = (SELECT max(version) FROM river_migration)`); err != nil {
		t.Fatal(err)
	}
	if r := do(t, srv, "GET", "/readyz"); r.status != 503 || !strings.Contains(r.body, "job queue") {
		t.Errorf("readyz with River's tables behind = %d %s", r.status, r.body)
	}
}
