//go:build unix

package cli_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestScanGitProcesses holds a scan to its git processes per repository:
// one cat-file --batch-command for the tree and its files, one log for the
// contributors and the events together, except for a single-commit history
// (beta), read from the tree through cat-file; none for an unchanged
// repository.
func TestScanGitProcesses(t *testing.T) {
	isolate(t)
	root := buildEstate(t)
	real, err := exec.LookPath("git")
	if err != nil {
		t.Fatal(err)
	}
	bin := t.TempDir()
	calls := filepath.Join(t.TempDir(), "calls")
	script := "#!/bin/sh\nprintf '%s\\n' \"$*\" >> '" + calls + "'\nexec '" + real + "' \"$@\"\n"
	if err := os.WriteFile(filepath.Join(bin, "git"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", bin+string(os.PathListSeparator)+os.Getenv("PATH"))
	ctx := context.Background()
	scan := func() map[string]int {
		t.Helper()
		if err := os.WriteFile(calls, nil, 0o644); err != nil {
			t.Fatal(err)
		}
		if r := run(t, ctx, "-q", "scan", root); r.code != 0 {
			t.Fatalf("scan: %d %s", r.code, r.stderr)
		}
		data, err := os.ReadFile(calls)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]int{}
		for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
			if line != "" {
				got[subcommand(strings.Fields(line))]++
			}
		}
		return got
	}
	if diff := cmp.Diff(map[string]int{"cat-file": 2, "log": 1}, scan()); diff != "" {
		t.Errorf("git processes of a first scan of 2 repositories (-want +got):\n%s", diff)
	}
	if r := run(t, ctx, "events", "--format", "json"); r.code != 0 || !strings.Contains(r.stdout, "first_contribution") {
		t.Fatalf("no events derived: %d %s %s", r.code, r.stdout, r.stderr)
	}
	alpha := filepath.Join(root, "alpha")
	write(t, filepath.Join(alpha, "docs", "guide.md"), strings.Repeat("a line of the guide\n", 12))
	commit(t, alpha, "Ann Lee", "ann@example.com", "2024-02-01T10:00:00Z")
	if diff := cmp.Diff(map[string]int{"cat-file": 1, "log": 1}, scan()); diff != "" {
		t.Errorf("git processes of a rescan with one repository changed (-want +got):\n%s", diff)
	}
	if r := run(t, ctx, "events", "--format", "json"); r.code != 0 || !strings.Contains(r.stdout, "ann@example.com") {
		t.Fatalf("the new commit's events were not derived: %d %s %s", r.code, r.stdout, r.stderr)
	}
}

// subcommand returns git's subcommand in args, past the global options.
func subcommand(args []string) string {
	for i := 0; i < len(args); i++ {
		switch a := args[i]; {
		case a == "-c" || a == "-C":
			i++
		case strings.HasPrefix(a, "-"):
		default:
			return a
		}
	}
	return ""
}
