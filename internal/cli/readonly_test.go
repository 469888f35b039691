package cli_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestReadOnlyMedia scans into a catalogue, puts it on "read-only media"
// (permissions, or the immutable attribute for root) and checks that the
// commands that read still work, while a scan is refused.
func TestReadOnlyMedia(t *testing.T) {
	isolate(t)
	root := buildEstate(t)
	dir := filepath.Join(t.TempDir(), "media")
	db := filepath.Join(dir, "ospo.db")
	t.Setenv("OSPO_DB", db)
	if r := run(t, context.Background(), "scan", "-q", root); r.code != 0 {
		t.Fatalf("scan: %d %s", r.code, r.stderr)
	}
	paths := []string{dir}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		paths = append(paths, filepath.Join(dir, e.Name()))
	}
	if os.Geteuid() == 0 {
		if out, err := exec.Command("chattr", append([]string{"+i"}, paths...)...).CombinedOutput(); err != nil {
			t.Skipf("chattr +i: %v %s", err, out)
		}
		t.Cleanup(func() { exec.Command("chattr", append([]string{"-i"}, paths...)...).Run() })
	} else {
		for _, p := range paths[1:] {
			os.Chmod(p, 0o444)
		}
		os.Chmod(dir, 0o555)
		t.Cleanup(func() { os.Chmod(dir, 0o755) })
	}
	runSteps(t, []step{
		{args: []string{"projects"}, stdout: []string{"alpha", "beta"}},
		{args: []string{"project", "alpha", "--format", "json"}, stdout: []string{`"name": "alpha"`}},
		{args: []string{"who-uses", "lodash"}, stdout: []string{"alpha"}},
		{args: []string{"scan", "-q", root}, code: 3},
	})
}
