package gitlog

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ospo-project/ospo/internal/catalog"
)

// checkLogRanges compares, for several ranges of the history of dir, what
// Mine's Log gives with what Commits reads from its own git process: the
// same commits in the same order, and the same files once IgnoringWhitespace
// has settled them; without settling, a commit none of whose files is marked
// MaybeWhitespace lists the same paths, created files and changed files.
func checkLogRanges(t *testing.T, dir string, keep int) {
	t.Helper()
	ctx := context.Background()
	res, err := Mine(ctx, dir, Options{Files: true, Log: keep})
	if err != nil {
		t.Fatal(err)
	}
	plain, err := Mine(ctx, dir, Options{Files: true})
	if err != nil {
		t.Fatal(err)
	}
	res.Log = nil
	if diff := cmp.Diff(plain, res); diff != "" {
		t.Fatalf("Mine with a Log found other facts (-without +with):\n%s", diff)
	}
	res, _ = Mine(ctx, dir, Options{Files: true, Log: keep})
	all, err := Commits(ctx, dir, CommitRange{})
	if err != nil {
		t.Fatal(err)
	}
	sinces := []string{""}
	for i := 0; i < len(all.Commits); i += max(1, len(all.Commits)/7) {
		sinces = append(sinces, all.Commits[i].Hash)
	}
	for _, c := range all.Commits {
		if len(c.Parents) > 1 { // a merge, and its second parent
			sinces = append(sinces, c.Hash, c.Parents[1])
			break
		}
	}
	for _, since := range sinces {
		for _, m := range []int{keep, 3} {
			r := CommitRange{Head: res.Head, Since: since, Max: m}
			want, err := Commits(ctx, dir, r)
			if err != nil {
				t.Fatal(err)
			}
			got, ok := res.Log.Range(r)
			if !ok {
				t.Fatalf("Range(%+v): not answered from the walk", r)
			}
			var hashes []string
			for _, c := range got.Commits {
				hashes = append(hashes, c.Hash)
			}
			exact, err := IgnoringWhitespace(ctx, dir, hashes)
			if err != nil {
				t.Fatal(err)
			}
			settled := got
			settled.Commits = append([]catalog.CommitFact(nil), got.Commits...)
			for i := range settled.Commits {
				c := &settled.Commits[i]
				c.Files = exact[c.Hash]
			}
			if diff := cmp.Diff(want, settled); diff != "" {
				t.Fatalf("Range(%+v) settled differs from Commits (-Commits +Range):\n%s", r, diff)
			}
			for i, c := range got.Commits {
				unsure := false
				for _, f := range c.Files {
					unsure = unsure || f.MaybeWhitespace
				}
				if unsure {
					continue
				}
				if diff := cmp.Diff(shape(want.Commits[i].Files), shape(c.Files)); diff != "" {
					t.Fatalf("Range(%+v): commit %s without MaybeWhitespace files differs (-Commits +Range):\n%s", r, c.Hash, diff)
				}
			}
		}
	}
}

// shape is what the event derivation reads of files besides the created
// files' lines: path, created, changed at all.
func shape(fs []catalog.CommitFile) []string {
	var out []string
	for _, f := range fs {
		s := f.Path
		if f.Created {
			s += " created"
		}
		if f.Added != 0 || f.Removed != 0 {
			s += " changed"
		}
		out = append(out, s)
	}
	return out
}

func TestLogRange(t *testing.T) {
	r := newRepo(t)
	c1 := r.commit("Ann", "Ann@Example.com", day(1, 10), map[string]string{
		"a.go": "package a\n\nfunc A() {\n\treturn\n}\n", "img.png": "\x89PNG\x00\x01", "dir/café tab\t.md": "x\n"})
	r.commit("Bob", "bob@example.com", day(2, 10), map[string]string{"a.go": "package a\n\nfunc A() {\n    return\n}\n"}) // whitespace only
	r.commit("Bob", "bob@example.com", day(3, 10), map[string]string{"a.go": "package a\n\nfunc A() {\n    return // done\n}\n", "b.md": "x\ny\n"})
	r.git(nil, "checkout", "-q", "-b", "side", c1)
	r.commit("Cy", "cy@example.com", day(4, 10), map[string]string{"c.go": "package c\n", "img.png": "\x89PNG\x00\x02", "dir/café tab\t.md": deleted})
	r.commit("Cy", "cy@example.com", day(5, 10), map[string]string{"c.go": "package c\n\n", "package.json": "{}\n"})
	r.git(nil, "checkout", "-q", "main")
	r.git(identityEnv("Dee", "dee@example.com", day(6, 10)), "merge", "-q", "--no-ff", "-m", "merge", "side")
	r.commit("Dee", "dee@example.com", day(7, 10), map[string]string{"package.json": "{ }\n", "b.md": "x\nz\n"})
	if err := os.Chmod(filepath.Join(r.dir, "c.go"), 0o755); err != nil {
		t.Fatal(err)
	}
	r.commit("Dee", "dee@example.com", day(8, 10), nil) // a mode change
	checkLogRanges(t, r.dir, 20000)

	res, err := Mine(context.Background(), r.dir, Options{Log: 2})
	if err != nil {
		t.Fatal(err)
	}
	if res.Log.Len() != 3 {
		t.Errorf("Log of 2 kept %d commits, want 3 (one more than asked, to tell a cut)", res.Log.Len())
	}
	if _, ok := res.Log.Range(CommitRange{Since: c1, Max: 2}); ok {
		t.Error("Range with Since answered from a cut walk")
	}
	if _, ok := res.Log.Range(CommitRange{Head: c1}); ok {
		t.Error("Range answered for another head")
	}
	if _, ok := res.Log.Range(CommitRange{Since: strings.Repeat("0", 40)}); ok {
		t.Error("Range answered for a Since outside the walk")
	}
	if got, ok := res.Log.Range(CommitRange{Max: 2}); !ok || !got.Truncated || len(got.Commits) != 2 {
		t.Errorf("Range(Max 2) = %+v, %v; want 2 commits, truncated", got, ok)
	}
}

// TestLogRangeRealRepositories runs checkLogRanges over the clones named in
// OSPO_GITLOG_DIRS (colon-separated), for example
// /tmp/real/spf13+cobra:/tmp/real/pallets+flask:/tmp/real/expressjs+express.
func TestLogRangeRealRepositories(t *testing.T) {
	dirs := os.Getenv("OSPO_GITLOG_DIRS")
	if dirs == "" {
		t.Skip("OSPO_GITLOG_DIRS not set")
	}
	for _, dir := range strings.Split(dirs, ":") {
		t.Run(filepath.Base(dir), func(t *testing.T) { checkLogRanges(t, dir, 20000) })
	}
}

func TestIgnoringWhitespaceRejectsOptions(t *testing.T) {
	r := newRepo(t)
	r.commit("Ann", "ann@example.com", day(1, 10), map[string]string{"a": "a\n"})
	if _, err := IgnoringWhitespace(context.Background(), r.dir, []string{"--all"}); err == nil {
		t.Error("IgnoringWhitespace took an option for a hash")
	}
}
