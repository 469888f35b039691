package jobs_test

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"testing"
	"time"

	"github.com/ospo-project/ospo/internal/jobs"
)

// cluster is a PostgreSQL server of the test's own, which it may stop and
// start (the shared OSPO_TEST_POSTGRES server must stay up).
type cluster struct {
	bin, dir string
	port     int
	as       []string // runuser prefix when running as root
	cmd      *exec.Cmd
	done     chan error
}

// newCluster initialises a cluster, or skips the test when PostgreSQL's
// server binaries are not installed.
func newCluster(t *testing.T) *cluster {
	t.Helper()
	bins, _ := filepath.Glob("/usr/lib/postgresql/*/bin/initdb")
	if len(bins) == 0 {
		t.Skip("no PostgreSQL server binaries (initdb) under /usr/lib/postgresql")
	}
	c := &cluster{bin: filepath.Dir(bins[len(bins)-1])}
	dir, err := os.MkdirTemp("", "ospo-jobs-pg-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	c.dir = dir
	if os.Geteuid() == 0 {
		// PostgreSQL refuses to run as root; scripts/test creates ospo-pg.
		if err := exec.Command("id", "ospo-pg").Run(); err != nil {
			t.Skip("running as root without the ospo-pg user (scripts/test creates it)")
		}
		c.as = []string{"runuser", "-u", "ospo-pg", "--"}
		if out, err := exec.Command("chown", "ospo-pg:", dir).CombinedOutput(); err != nil {
			t.Fatalf("chown: %v %s", err, out)
		}
	}
	initdb := append(append([]string{}, c.as...), filepath.Join(c.bin, "initdb"), "-D", filepath.Join(dir, "data"),
		"-U", "postgres", "--auth=trust", "--no-sync", "--locale=C", "--encoding=UTF8")
	if out, err := exec.Command(initdb[0], initdb[1:]...).CombinedOutput(); err != nil {
		t.Fatalf("initdb: %v\n%s", err, out)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	c.port = l.Addr().(*net.TCPAddr).Port
	l.Close()
	c.start(t)
	t.Cleanup(func() { c.stop(t) })
	return c
}

func (c *cluster) dsn() string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", c.port)
}

// start runs the server and waits until it accepts connections.
func (c *cluster) start(t *testing.T) {
	t.Helper()
	args := append(append([]string{}, c.as...), filepath.Join(c.bin, "postgres"), "-D", filepath.Join(c.dir, "data"),
		"-p", fmt.Sprint(c.port), "-k", c.dir, "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off")
	c.cmd = exec.Command(args[0], args[1:]...)
	if err := c.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	c.done = make(chan error, 1)
	go func() { c.done <- c.cmd.Wait() }()
	deadline := time.Now().Add(time.Minute)
	for {
		b, _ := os.ReadFile(filepath.Join(c.dir, "data", "postmaster.pid"))
		if lines := strings.Split(string(b), "\n"); len(lines) > 7 && strings.HasPrefix(lines[7], "ready") {
			return
		}
		select {
		case err := <-c.done:
			t.Fatalf("postgres exited: %v", err)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatal("postgres did not become ready")
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// stop stops the server fast (connections are cut) and waits for it.
func (c *cluster) stop(t *testing.T) {
	t.Helper()
	if c.cmd == nil {
		return
	}
	args := append(append([]string{}, c.as...), filepath.Join(c.bin, "pg_ctl"), "-D", filepath.Join(c.dir, "data"), "-m", "fast", "-w", "stop")
	if out, err := exec.Command(args[0], args[1:]...).CombinedOutput(); err != nil {
		t.Logf("pg_ctl stop: %v %s", err, out)
		c.cmd.Process.Kill()
	}
	<-c.done
	c.cmd = nil
}

// gate is a handler whose scans of "hold-*" repositories wait until it is
// opened, so that the test can restart PostgreSQL while one runs.
type gate struct {
	*handlers
	open    chan struct{}
	holding chan string
}

func (g *gate) ScanRepo(ctx context.Context, a jobs.ScanRepo) (bool, error) {
	if strings.HasPrefix(a.Key, "hold") {
		select {
		case g.holding <- a.Key:
		default:
		}
		select {
		case <-g.open:
		case <-ctx.Done():
			return false, ctx.Err()
		}
	}
	return g.handlers.ScanRepo(ctx, a)
}

// TestPostgresRestartMidScan restarts PostgreSQL while a worker runs a scan
// job: the worker reconnects, and every job ends completed, the one that
// ran across the restart included (finished, or rescued and run again).
func TestPostgresRestartMidScan(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a PostgreSQL server")
	}
	c := newCluster(t)
	ctx := context.Background()
	q, err := jobs.Open(ctx, c.dsn(), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(q.Close)
	g := &gate{handlers: newHandlers(), open: make(chan struct{}), holding: make(chan string, 1)}
	g.started = make(chan string, 100)
	work(t, q, g, jobs.WorkerOptions{Concurrency: 2, JobTimeout: 20 * time.Second, RescueAfter: 25 * time.Second})
	enq, err := q.Enqueue(ctx, jobs.ScanRepo{Key: "hold-1", Path: "/h"}, jobs.ScanRepo{Key: "a", Path: "/a"}, jobs.ScanRepo{Key: "b", Path: "/b"})
	if err != nil {
		t.Fatal(err)
	}
	<-g.holding
	c.stop(t)
	c.start(t)
	close(g.open)
	if p := wait(t, q, ids(enq)); p.Done != len(enq) {
		t.Fatalf("after the restart: %+v, want every job done", p)
	}
	// Jobs queued after the restart run too.
	more, err := q.Enqueue(ctx, jobs.ScanRepo{Key: "c", Path: "/c"})
	if err != nil {
		t.Fatal(err)
	}
	if p := wait(t, q, ids(more)); p.Done != 1 {
		t.Fatalf("a job queued after the restart: %+v", p)
	}
}
