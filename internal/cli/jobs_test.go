package cli_test

import (
	"os"
	"testing"

	"github.com/ospo-project/ospo/internal/jobs"
	"github.com/ospo-project/ospo/internal/store/teststore"
)

// TestJobsCommands queues scans on a PostgreSQL catalogue with no worker
// running and drives the queue from the command line: the listing, a
// cancel, a retry, and the errors of bad or missing job ids. On SQLite the
// queue is refused with a usage error.
func TestJobsCommands(t *testing.T) {
	isolate(t)
	root := buildEstate(t)
	runSteps(t, []step{
		{args: []string{"jobs"}, code: 2, stderr: []string{"needs a PostgreSQL store"}},
		{args: []string{"scan", "--queue", root}, code: 2, stderr: []string{"--queue needs a PostgreSQL store"}},
	})
	pg := os.Getenv("OSPO_TEST_POSTGRES")
	if pg == "" {
		t.Skip("OSPO_TEST_POSTGRES is not set: run scripts/test, which starts a throwaway PostgreSQL")
	}
	t.Setenv("OSPO_DB", teststore.Schema(t, pg))
	runSteps(t, []step{
		// No worker runs: without --queue the scan works in-process.
		{args: []string{"scan", "-q", root}, stdout: []string{"Scanned 2 repositories", "2 scanned"}},
		// Unchanged repositories get no job.
		{args: []string{"scan", "--queue", root}, stdout: []string{"Queued 0 repositories", "2 unchanged"}},
		{args: []string{"scan", "--queue", "--force", "--format", "json", root}, json: func(t *testing.T, out []byte) {
			if r := decode[struct {
				Queued int     `json:"queued"`
				IDs    []int64 `json:"job_ids"`
			}](t, out); r.Queued != 2 || len(r.IDs) != 2 || r.IDs[0] != 1 {
				t.Errorf("scan --queue --force = %s", out)
			}
		}},
		{args: []string{"scan", "--queue", "--in-process", root}, code: 2, stderr: []string{"exclude each other"}},
		{args: []string{"jobs"}, stdout: []string{"KIND", jobs.KindScanRepo}},
		{args: []string{"jobs", "--format", "json"}, json: func(t *testing.T, out []byte) {
			st := decode[[]jobs.KindStats](t, out)
			if len(st) != 1 || st[0].Kind != jobs.KindScanRepo || st[0].Queued != 2 {
				t.Errorf("jobs = %+v, want 2 queued scans", st)
			}
		}},
		{args: []string{"jobs", "cancel", "1"}, stdout: []string{"Job 1 cancelled"}},
		{args: []string{"jobs", "retry", "1"}, stdout: []string{"Job 1 queued again"}},
		{args: []string{"jobs", "cancel", "99999"}, code: 2, stderr: []string{"no such job"}},
		{args: []string{"jobs", "cancel", "x"}, code: 2, stderr: []string{"want a positive number"}},
		{args: []string{"jobs", "parked"}, stdout: []string{"ID", "LAST ERROR"}},
	})
}
