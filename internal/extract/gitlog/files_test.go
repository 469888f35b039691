package gitlog

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ospo-project/ospo/internal/catalog"
)

// TestMineFiles checks each file's history on a repository built for it:
// who created each file, who changed it how often and when, binary files
// and paths git quotes included.
func TestMineFiles(t *testing.T) {
	r := newRepo(t)
	day := func(d int) time.Time { return time.Date(2024, 1, d, 12, 0, 0, 0, time.UTC) }
	r.commit("Ann", "ann@example.com", day(1), map[string]string{"a.go": "1\n", "café.go": "x\n"})
	r.commit("Bob", "bob@example.com", day(2), map[string]string{"a.go": "2\n", "b.go": "b\n"})
	r.commit("Bob", "BOB@example.com", day(3), map[string]string{"a.go": "3\n", "logo.png": "\x89PNG\x00\x01"})
	r.commit("Ann", "ann@example.com", day(4), map[string]string{"b.go": "b2\n"})
	r.commit("Cy", "cy@example.com", day(5), map[string]string{"old.txt": "o\n"})
	r.commit("Cy", "cy@example.com", day(6), map[string]string{"old.txt": deleted})

	res, err := Mine(context.Background(), r.dir, Options{Files: true})
	if err != nil {
		t.Fatal(err)
	}
	idx := map[string]int{}
	for i, c := range res.Contributions {
		idx[c.Email] = i
	}
	ann, bob, cy := idx["ann@example.com"], idx["bob@example.com"], idx["cy@example.com"]
	want := []catalog.FileHistory{
		{Path: "a.go", Changes: 3, Creator: ann, Authors: []catalog.FileChanges{
			{Contributor: bob, Changes: 2, Last: day(3)}, {Contributor: ann, Changes: 1, Last: day(1)}}},
		{Path: "b.go", Changes: 2, Creator: bob, Authors: sortedChanges(
			catalog.FileChanges{Contributor: ann, Changes: 1, Last: day(4)}, catalog.FileChanges{Contributor: bob, Changes: 1, Last: day(2)})},
		{Path: "café.go", Changes: 1, Creator: ann, Authors: []catalog.FileChanges{{Contributor: ann, Changes: 1, Last: day(1)}}},
		{Path: "logo.png", Changes: 1, Creator: bob, Authors: []catalog.FileChanges{{Contributor: bob, Changes: 1, Last: day(3)}}},
		{Path: "old.txt", Changes: 2, Creator: cy, Authors: []catalog.FileChanges{{Contributor: cy, Changes: 2, Last: day(6)}}},
	}
	if diff := cmp.Diff(want, res.Files); diff != "" {
		t.Errorf("Files (-want +got):\n%s", diff)
	}

	plain, err := Mine(context.Background(), r.dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if plain.Files != nil {
		t.Errorf("Files without Options.Files = %v, want nil", plain.Files)
	}
}

// sortedChanges orders changes as Mine does: most changes first, then by
// contributor index.
func sortedChanges(cs ...catalog.FileChanges) []catalog.FileChanges {
	if cs[0].Changes == cs[1].Changes && cs[0].Contributor > cs[1].Contributor {
		cs[0], cs[1] = cs[1], cs[0]
	}
	return cs
}

// TestMineFilesCapped checks that the paths kept stop at maxFiles and that
// a problem says so. The aggregator is fed directly: a history of 2^18
// paths is too slow to build with git in a test.
func TestMineFilesCapped(t *testing.T) {
	a := newAggregator()
	a.files = map[string]*fileAgg{}
	a.header([]byte("0123456789012345678901234567890123456789\x1f1700000000\x1fa@example.com\x1fA"))
	for i := range maxFiles + 10 {
		a.numstat([]byte("1\t0\tf" + strconv.Itoa(i)))
	}
	if len(a.files) != maxFiles || !a.filesCut {
		t.Errorf("kept %d paths (cut %v), want %d and cut", len(a.files), a.filesCut, maxFiles)
	}
}

// TestMineFilesMatchesGitLog compares each file's history on a random
// history of 600 commits with one read independently from
// `git log --reverse --name-only`: changes per file and per author, and the
// creator (the author of the oldest commit naming the file).
func TestMineFilesMatchesGitLog(t *testing.T) {
	dir := buildSynthetic(t, synthetic{commits: 600, authors: 7, files: 40, step: time.Hour})
	res, err := Mine(context.Background(), dir, Options{Files: true})
	if err != nil {
		t.Fatal(err)
	}
	type fileRef struct {
		changes int
		creator string
		by      map[string]int
	}
	ref := map[string]*fileRef{}
	out := runGit(t, dir, nil, nil, "log", "--reverse", "--no-renames", "--format=@%aE", "--name-only")
	author := ""
	for _, line := range strings.Split(out, "\n") {
		switch {
		case line == "":
		case strings.HasPrefix(line, "@"):
			author = line[1:]
		default:
			f := ref[line]
			if f == nil {
				f = &fileRef{creator: author, by: map[string]int{}}
				ref[line] = f
			}
			f.changes++
			f.by[author]++
		}
	}
	got := map[string]*fileRef{}
	for _, h := range res.Files {
		f := &fileRef{changes: h.Changes, creator: res.Contributions[h.Creator].Email, by: map[string]int{}}
		for _, a := range h.Authors {
			f.by[res.Contributions[a.Contributor].Email] = a.Changes
		}
		got[h.Path] = f
	}
	if diff := cmp.Diff(ref, got, cmp.AllowUnexported(fileRef{})); diff != "" {
		t.Errorf("file histories differ from git log's (-git +Mine):\n%s", diff)
	}
}
