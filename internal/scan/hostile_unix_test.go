//go:build unix

package scan_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/scan"
	"github.com/ospo-project/ospo/internal/source/localdir"
)

// TestScanSpecialFiles builds repositories whose git directories hold FIFOs
// where git and the scanner read files, beside a healthy repository, and
// checks that the scan ends, saves the healthy repository, and records a
// problem on each hostile one. Nothing ever writes to the FIFOs, so without
// the defences the scan would block forever; the test's context deadline
// turns such a hang into a failure instead of a stuck test run.
func TestScanSpecialFiles(t *testing.T) {
	root := t.TempDir()
	mk := func(name string) string {
		dir := filepath.Join(root, name)
		initRepo(t, dir)
		write(t, filepath.Join(dir, "main.go"), "package main\n")
		commit(t, dir, "A <a@example.com>", "2024-01-01T00:00:00Z", "init")
		return dir
	}
	fifo := func(path string) {
		t.Helper()
		os.Remove(path)
		if err := syscall.Mkfifo(path, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	mk("healthy")
	// .git/config is a FIFO: refused before anything opens it.
	fifo(filepath.Join(mk("config-fifo"), ".git", "config"))
	// .git/packed-refs and .git/shallow are FIFOs: refused likewise.
	fifo(filepath.Join(mk("packed-fifo"), ".git", "packed-refs"))
	fifo(filepath.Join(mk("shallow-fifo"), ".git", "shallow"))
	// The config includes a FIFO: only git reads includes, so identifying
	// the repository (its origin URL) waits on git, which blocks until the
	// per-repository timeout.
	inc := mk("include-fifo")
	fifo(filepath.Join(inc, ".git", "trap"))
	f, err := os.OpenFile(filepath.Join(inc, ".git", "config"), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("[include]\n\tpath = trap\n")
	f.Close()
	// A pack index is a FIFO: git blocks reading objects, after the cheap
	// identification pass succeeded.
	idx := mk("idx-fifo")
	git(t, idx, nil, "repack", "-a", "-d", "-q")
	packs, _ := filepath.Glob(filepath.Join(idx, ".git", "objects", "pack", "*.idx"))
	if len(packs) != 1 {
		t.Fatalf("want one pack index, got %v", packs)
	}
	fifo(packs[0])

	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cands, _, err := localdir.Discover(ctx, []string{root}, localdir.Options{})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]*catalog.Project{}
	_, err = scan.Run(ctx, cands, scan.Options{Workers: 4, Timeout: 3 * time.Second}, func(r scan.Result) error {
		got[r.Project.Name] = r.Project
		return nil
	})
	if err != nil {
		t.Fatalf("scan: %v (a hang would end here as a deadline)", err)
	}
	if p := got["healthy"]; p == nil || p.HeadCommit == "" {
		t.Fatalf("the healthy repository was not scanned: %+v", p)
	}
	for _, name := range []string{"config-fifo", "packed-fifo", "shallow-fifo", "include-fifo", "idx-fifo"} {
		p := got[name]
		if p == nil {
			t.Errorf("%s: not saved", name)
			continue
		}
		var kinds []string
		for _, pr := range p.Problems {
			kinds = append(kinds, pr.Kind+": "+pr.Message)
		}
		if len(kinds) == 0 {
			t.Errorf("%s: saved without a problem", name)
		}
		t.Logf("%s: %s", name, strings.Join(kinds, "; "))
	}
}
