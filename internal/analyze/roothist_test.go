package analyze

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ospo-project/ospo/internal/extract/gitlog"
)

// TestSingleCommitHistoryWithoutGitLog analyses a single-commit repository
// and a two-commit one with git wrapped to record its subcommands: the
// first's history is read from its tree (no git log runs), the second's by
// gitlog.Mine; both give Mine's contributions and commits, and the Log.
func TestSingleCommitHistoryWithoutGitLog(t *testing.T) {
	real, err := exec.LookPath("git")
	if err != nil {
		t.Skip("git not installed")
	}
	single, double := t.TempDir(), t.TempDir()
	for _, dir := range []string{single, double} {
		git(t, dir, "init", "-q", "-b", "main")
		write(t, filepath.Join(dir, "package-lock.json"), strings.ReplaceAll(lock, "%s", ""))
		write(t, filepath.Join(dir, "main.go"), "package main\n\nfunc main() {}")
		git(t, dir, "add", "-A")
		git(t, dir, "commit", "-q", "-m", "one")
	}
	write(t, filepath.Join(double, "main.go"), "package main\n")
	git(t, double, "commit", "-q", "-am", "two")

	// Mine's results, before git is wrapped.
	want := map[string]gitlog.Result{}
	for _, dir := range []string{single, double} {
		res, err := gitlog.Mine(context.Background(), dir, gitlog.Options{Files: true})
		if err != nil {
			t.Fatal(err)
		}
		want[dir] = res
	}

	bin := t.TempDir()
	calls := filepath.Join(t.TempDir(), "calls")
	script := "#!/bin/sh\nfor a in \"$@\"; do case $a in log|cat-file|ls-tree|rev-parse) echo $a >> " + calls + "; break;; esac; done\nexec " + real + " \"$@\"\n"
	if err := os.WriteFile(filepath.Join(bin, "git"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", bin+string(os.PathListSeparator)+os.Getenv("PATH"))

	an, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name string
		dir  string
		log  bool // whether git log must run
	}{{"one commit", single, false}, {"two commits", double, true}} {
		t.Run(tt.name, func(t *testing.T) {
			os.Remove(calls)
			res, err := an.Analyze(context.Background(), Target{Dir: tt.dir, Source: Head, Analyses: All, KeepLog: true})
			if err != nil {
				t.Fatal(err)
			}
			data, _ := os.ReadFile(calls)
			ran := strings.Fields(string(data))
			if got := slices.Contains(ran, "log"); got != tt.log {
				t.Errorf("git log ran: %v, want %v (git subcommands: %v)", got, tt.log, ran)
			}
			p := res.Project
			if diff := cmp.Diff(want[tt.dir].Contributions, p.Contributors); diff != "" {
				t.Errorf("contributors (-Mine +analysis):\n%s", diff)
			}
			if p.Commits != want[tt.dir].Commits || p.Expertise == nil {
				t.Errorf("commits = %d (expertise %v), want %d", p.Commits, p.Expertise != nil, want[tt.dir].Commits)
			}
			if res.Log.Len() != want[tt.dir].Commits {
				t.Errorf("Log holds %d commits, want %d", res.Log.Len(), want[tt.dir].Commits)
			}
		})
	}
}
