package gitrepo

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestAddedLines checks a root commit's line counts, read through the
// tree's cat-file process, against git log --numstat (run by TestMain with
// cat-file --batch-command, then --batch).
func TestAddedLines(t *testing.T) {
	files := map[string]string{
		"empty":      "",
		"nofinal":    "a\nb",
		"crlf":       "x\r\ny\r\n",
		"binary":     "bin\x00ary\n",
		"nul-late":   strings.Repeat("a\n", 4000) + "\x00\n",
		"nul-before": strings.Repeat("a\n", 3999) + "a\x00\n",
		"big":        strings.Repeat("a line\n", 50_000) + "end",
		"d/e/f.go":   "package f\n",
	}
	dir := newRepo(t, files)
	if err := os.Symlink("nofinal", filepath.Join(dir, "link")); err != nil {
		t.Fatal(err)
	}
	run(t, dir, "add", "-A")
	run(t, dir, "commit", "--amend", "-q", "-m", "root")
	want := map[string]string{}
	for _, line := range strings.Split(run(t, dir, "log", "--numstat", "--format=", "HEAD"), "\n") {
		counts := strings.Split(line, "\t")
		want[counts[2]] = counts[0] + "\t" + counts[1]
	}

	repo := mustOpen(t, dir)
	tree, err := repo.Tree(context.Background(), TreeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer tree.Close()
	if err := repo.PlainLog(tree); err != nil {
		t.Errorf("PlainLog: %v, want nil", err)
	}
	added, err := tree.AddedLines()
	if err != nil {
		t.Fatal(err)
	}
	if len(added) != len(want) {
		t.Fatalf("%d counts, want %d (%v)", len(added), len(want), want)
	}
	for i, f := range tree.Files() {
		got := "-\t-"
		if !added[i].Binary {
			got = fmt.Sprintf("%d\t0", added[i].Lines)
		}
		if got != want[f.Path] {
			t.Errorf("%s: %q, want %q", f.Path, got, want[f.Path])
		}
	}

	// A work tree .mailmap is read by git log: PlainLog declines.
	write(t, dir, ".mailmap", "A <a@x> <test@example.com>\n")
	if err := repo.PlainLog(tree); err == nil || !strings.Contains(err.Error(), ".mailmap") {
		t.Errorf("PlainLog with a .mailmap: %v, want it to decline", err)
	}
}

// TestAddedLinesMissingBlob checks that a blob missing from the object
// store fails the count rather than counting nothing.
func TestAddedLinesMissingBlob(t *testing.T) {
	dir := newRepo(t, map[string]string{"a": "1\n", "b": "2\n"})
	oid := run(t, dir, "rev-parse", "HEAD:b")
	if err := os.Remove(filepath.Join(dir, ".git", "objects", oid[:2], oid[2:])); err != nil {
		t.Fatal(err)
	}
	tree, err := mustOpen(t, dir).Tree(context.Background(), TreeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer tree.Close()
	if _, err := tree.AddedLines(); err == nil {
		t.Error("AddedLines counted a tree with a missing blob")
	}
}
