package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/ospo-project/ospo/internal/catalog"
)

// worker is an `ospo worker` process.
type worker struct {
	cmd  *exec.Cmd
	mu   sync.Mutex
	out  bytes.Buffer
	done chan error
}

func (w *worker) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.out.Write(p)
}

func (w *worker) output() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.out.String()
}

// startWorker starts `ospo worker` and waits until it processes jobs.
func startWorker(t *testing.T, env []string, args ...string) *worker {
	t.Helper()
	w := &worker{done: make(chan error, 1)}
	w.cmd = exec.Command(ospoBinary(t), append([]string{"worker"}, args...)...)
	w.cmd.Env = append(os.Environ(), env...)
	w.cmd.Stdout, w.cmd.Stderr = w, w
	if err := w.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { w.done <- w.cmd.Wait() }()
	t.Cleanup(func() {
		w.cmd.Process.Kill()
		<-w.done
	})
	waitFor(t, 2*time.Minute, "worker start", func() (bool, string) {
		select {
		case err := <-w.done:
			w.done <- err
			t.Fatalf("worker exited: %v\n%s", err, w.output())
		default:
		}
		return strings.Contains(w.output(), "processing jobs"), w.output()
	})
	return w
}

// waitFor polls cond until it holds, failing the test after limit. It
// waits for a condition; it never sleeps then asserts.
func waitFor(t *testing.T, limit time.Duration, what string, cond func() (bool, string)) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for {
		ok, state := cond()
		if ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: not done after %s; last state: %s", what, limit, state)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func queryInt(t *testing.T, dsn, sql string, args ...any) int {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var n int
	if err := conn.QueryRow(ctx, sql, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return n
}

// TestWorkerKilledMidScan queues the scan of an estate for `ospo worker`
// processes on PostgreSQL, kills the first worker with SIGKILL while it
// scans, and checks that a second worker rescues the job and finishes:
// every repository is in the catalogue once, each HEAD has one history row
// and one score, people are derived, and SIGTERM stops the second worker
// gracefully.
func TestWorkerKilledMidScan(t *testing.T) {
	pg := postgresServer(t, "generates an estate and waits for River's rescuer")
	const repos = 6
	root := t.TempDir()
	gen := run(t, nil, "bench", "-q", "--dir", root, "--repos", "6", "--commits", "400", "--bench-db", filepath.Join(t.TempDir(), "gen.db"))
	if gen.code != 0 {
		t.Fatalf("generate: %s %s", gen.stdout, gen.stderr)
	}
	dsn := freshPostgres(t, pg)
	env := []string{"OSPO_DB=" + dsn}
	if r := run(t, env, "migrate"); r.code != 0 {
		t.Fatalf("migrate: %s", r.stderr)
	}
	// A job running longer than --rescue-after is deemed lost; the scans
	// here take seconds.
	flags := []string{"--concurrency", "1", "--job-timeout", "40s", "--rescue-after", "45s"}

	r := run(t, env, "scan", "--queue", "--format", "json", root)
	if r.code != 0 {
		t.Fatalf("scan --queue: %d %s %s", r.code, r.stdout, r.stderr)
	}
	var queued struct {
		Queued int     `json:"queued"`
		IDs    []int64 `json:"job_ids"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &queued); err != nil || queued.Queued != repos {
		t.Fatalf("scan --queue output %q (%v), want %d queued", r.stdout, err, repos)
	}
	// Queued again while queued: nothing new.
	if r := run(t, env, "scan", "--queue", root); !strings.Contains(r.stdout, "Queued 0 repositories") {
		t.Fatalf("second scan --queue: %s %s", r.stdout, r.stderr)
	}

	a := startWorker(t, env, append([]string{"--id", "worker-a"}, flags...)...)
	var killed int
	waitFor(t, 2*time.Minute, "worker a scanning", func() (bool, string) {
		killed = queryInt(t, dsn, `SELECT coalesce(min(id), 0) FROM river_job WHERE kind = 'scan_repo' AND state = 'running' AND attempted_by[1] = 'worker-a'`)
		return killed != 0, a.output()
	})
	if err := a.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	<-a.done
	a.done <- nil

	b := startWorker(t, env, append([]string{"--id", "worker-b"}, flags...)...)
	waitFor(t, 4*time.Minute, "every scan job completed", func() (bool, string) {
		left := queryInt(t, dsn, `SELECT count(*) FROM river_job WHERE kind = 'scan_repo' AND state <> 'completed'`)
		return left == 0, b.output()
	})
	if n := queryInt(t, dsn, `SELECT attempt FROM river_job WHERE id = $1`, killed); n != 2 {
		t.Errorf("the killed job ran %d times, want twice (rescued once)", n)
	}
	if n := queryInt(t, dsn, `SELECT count(*) FROM river_job WHERE kind = 'scan_repo' AND state = 'completed'`); n != repos {
		t.Errorf("%d scan jobs completed, want %d", n, repos)
	}
	r = run(t, env, "projects", "--format", "json")
	var ps []catalog.Project
	if err := json.Unmarshal([]byte(r.stdout), &ps); err != nil {
		t.Fatalf("projects: %v %s", err, r.stderr)
	}
	if len(ps) != repos {
		t.Errorf("%d projects, want %d", len(ps), repos)
	}
	for _, table := range []string{"project_history", "project_scores"} {
		if n := queryInt(t, dsn, `SELECT count(*) FROM (SELECT 1 FROM `+table+` GROUP BY project_id, head_commit HAVING count(*) > 1) d`); n != 0 {
			t.Errorf("%s: %d HEADs recorded twice", table, n)
		}
		if n := queryInt(t, dsn, `SELECT count(DISTINCT project_id) FROM `+table); n != repos {
			t.Errorf("%s: %d projects, want %d", table, n, repos)
		}
	}
	waitFor(t, 2*time.Minute, "people derived", func() (bool, string) {
		return queryInt(t, dsn, `SELECT count(*) FROM river_job WHERE kind = 'derive' AND state <> 'completed'`) == 0 &&
			queryInt(t, dsn, `SELECT count(*) FROM people`) > 0, b.output()
	})
	checkEventsDerived(t, env, dsn, root)

	// An unchanged estate queues no job: each repository is found up to
	// date and touched by the command itself.
	r = run(t, env, "scan", "--queue", "--format", "json", root)
	var again struct {
		Queued    int `json:"queued"`
		Unchanged int `json:"unchanged"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &again); err != nil || again.Queued != 0 || again.Unchanged != repos {
		t.Errorf("rescan: %s (%v), want 0 queued and %d unchanged", r.stdout, err, repos)
	}

	// SIGTERM: the worker stops gracefully and exits 0.
	if err := b.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-b.done:
		b.done <- err
		if err != nil {
			t.Errorf("worker after SIGTERM: %v\n%s", err, b.output())
		}
	case <-time.After(2 * time.Minute):
		t.Fatalf("worker did not stop on SIGTERM:\n%s", b.output())
	}
	if !strings.Contains(b.output(), "worker: stopped") {
		t.Errorf("worker output after SIGTERM:\n%s", b.output())
	}
}

// TestWorkersKilledAtRandom scans an estate with two `ospo worker`
// processes on PostgreSQL and, three times (fewer when the estate is
// scanned first; at least once), kills one of the workers then
// scanning (chosen at random) with SIGKILL at a random moment of its job,
// starting a new worker in its place. The catalogue must end complete
// (every repository once, every scan job completed) and without
// duplicates (one history row and one score per HEAD). The random choices
// come from a seed the test logs.
func TestWorkersKilledAtRandom(t *testing.T) {
	pg := postgresServer(t, "generates an estate and waits for River's rescuer")
	seed := time.Now().UnixNano()
	t.Logf("seed %d", seed)
	rnd := rand.New(rand.NewPCG(uint64(seed), 0))
	const repos, kills = 12, 3
	root := t.TempDir()
	gen := run(t, nil, "bench", "-q", "--dir", root, "--repos", strconv.Itoa(repos), "--commits", "300", "--bench-db", filepath.Join(t.TempDir(), "gen.db"))
	if gen.code != 0 {
		t.Fatalf("generate: %s %s", gen.stdout, gen.stderr)
	}
	dsn := freshPostgres(t, pg)
	env := []string{"OSPO_DB=" + dsn}
	if r := run(t, env, "migrate"); r.code != 0 {
		t.Fatalf("migrate: %s", r.stderr)
	}
	flags := []string{"--concurrency", "1", "--job-timeout", "40s", "--rescue-after", "45s"}
	if r := run(t, env, "scan", "--queue", root); r.code != 0 {
		t.Fatalf("scan --queue: %d %s %s", r.code, r.stdout, r.stderr)
	}
	workers := map[string]*worker{}
	started := 0
	start := func() {
		started++
		id := fmt.Sprintf("worker-%d", started)
		workers[id] = startWorker(t, env, append([]string{"--id", id}, flags...)...)
	}
	start()
	start()
	var killedJobs []int
	for k := range kills {
		// A worker running a scan: the one of the running jobs picked at random.
		var victim string
		var job int
		waitFor(t, 4*time.Minute, fmt.Sprintf("kill %d: a worker scanning", k+1), func() (bool, string) {
			// On a fast machine the estate may be scanned before every kill:
			// the first kill must happen, later ones only while work remains.
			if k > 0 && queryInt(t, dsn, `SELECT count(*) FROM river_job WHERE kind = 'scan_repo' AND state <> 'completed'`) == 0 {
				return true, ""
			}
			var running []string
			var ids []int
			for id := range workers {
				if j := queryInt(t, dsn, `SELECT coalesce(min(id), 0) FROM river_job WHERE kind = 'scan_repo' AND state = 'running'
					AND attempted_by[array_length(attempted_by, 1)] = $1`, id); j != 0 {
					running, ids = append(running, id), append(ids, j)
				}
			}
			if len(running) == 0 {
				return false, "no worker is scanning"
			}
			i := rnd.IntN(len(running))
			victim, job = running[i], ids[i]
			return true, ""
		})
		if victim == "" {
			t.Logf("kill %d: none, every scan job completed first", k+1)
			break
		}
		// A random moment of its job.
		time.Sleep(time.Duration(rnd.IntN(1500)) * time.Millisecond)
		w := workers[victim]
		if err := w.cmd.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		<-w.done
		w.done <- nil
		delete(workers, victim)
		// The job may have finished between the choice and the kill.
		if queryInt(t, dsn, `SELECT count(*) FROM river_job WHERE id = $1 AND state = 'completed'`, job) == 0 {
			killedJobs = append(killedJobs, job)
		}
		t.Logf("kill %d: %s, running job %d", k+1, victim, job)
		start()
	}
	waitFor(t, 6*time.Minute, "every scan job completed", func() (bool, string) {
		left := queryInt(t, dsn, `SELECT count(*) FROM river_job WHERE kind = 'scan_repo' AND state <> 'completed'`)
		return left == 0, fmt.Sprintf("%d scan jobs not completed", left)
	})
	if n := queryInt(t, dsn, `SELECT count(*) FROM river_job WHERE kind = 'scan_repo' AND state = 'completed'`); n != repos {
		t.Errorf("%d scan jobs completed, want %d", n, repos)
	}
	if n := queryInt(t, dsn, `SELECT count(*) FROM projects`); n != repos {
		t.Errorf("%d projects, want %d", n, repos)
	}
	for _, table := range []string{"project_history", "project_scores"} {
		if n := queryInt(t, dsn, `SELECT count(*) FROM (SELECT 1 FROM `+table+` GROUP BY project_id, head_commit HAVING count(*) > 1) d`); n != 0 {
			t.Errorf("%s: %d HEADs recorded twice", table, n)
		}
		if n := queryInt(t, dsn, `SELECT count(DISTINCT project_id) FROM `+table); n != repos {
			t.Errorf("%s: %d projects, want %d", table, n, repos)
		}
	}
	for _, job := range killedJobs {
		// Not completed when its worker died, so run again by another.
		if n := queryInt(t, dsn, `SELECT attempt FROM river_job WHERE id = $1`, job); n < 2 {
			t.Errorf("job %d, killed unfinished, ran %d times, want a second attempt", job, n)
		}
	}
	checkEventsDerived(t, env, dsn, root)
}

// checkEventsDerived checks that the workers derived the git events of the
// estate at root as an in-process scan of it does: each project's event
// cursor at its HEAD, and the same events (by ID, which is a hash of what
// the event is about) as a scan into SQLite finds.
func checkEventsDerived(t *testing.T, env []string, dsn, root string) {
	t.Helper()
	if n := queryInt(t, dsn, `SELECT count(*) FROM projects p LEFT JOIN event_cursors c ON c.project_key = p.key
		WHERE c.head IS DISTINCT FROM p.head_commit`); n != 0 {
		t.Errorf("%d projects whose events were not derived up to their HEAD", n)
	}
	inProcess := []string{"OSPO_DB=" + filepath.Join(t.TempDir(), "in-process.db")}
	if r := run(t, inProcess, "-q", "scan", root); r.code != 0 {
		t.Fatalf("in-process scan: %d %s", r.code, r.stderr)
	}
	ids := func(env []string) []string {
		r := run(t, env, "events", "--format", "json")
		var evs []catalog.Event
		if err := json.Unmarshal([]byte(r.stdout), &evs); err != nil {
			t.Fatalf("events: %v %s", err, r.stderr)
		}
		out := make([]string, len(evs))
		for i, e := range evs {
			out[i] = e.ID
		}
		slices.Sort(out)
		return out
	}
	got, want := ids(env), ids(inProcess)
	if len(want) == 0 {
		t.Fatal("the in-process scan derived no event: the estate tests nothing")
	}
	if !slices.Equal(got, want) {
		t.Errorf("the workers derived %d events, an in-process scan of the same estate %d", len(got), len(want))
	}
}
