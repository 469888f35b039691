package gitlog

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ospo-project/ospo/internal/catalog"
)

func TestCommits(t *testing.T) {
	ctx := context.Background()
	r := newRepo(t)
	if l, err := Commits(ctx, r.dir, CommitRange{}); err != nil || len(l.Commits) != 0 || !l.Complete {
		t.Fatalf("Commits of an empty repository = %+v, %v; want none, complete", l, err)
	}
	c1 := r.commit("Ann", "Ann@Example.com", day(1, 10), map[string]string{"a.go": "package a\n\nfunc A() {\n\treturn\n}\n", "img.png": "\x89PNG\x00\x01"})
	c2 := r.commit("Bob", "bob@example.com", day(2, 10), map[string]string{"a.go": "package a\n\nfunc A() {\n    return\n}\n"}) // whitespace only
	c3 := r.commit("Bob", "bob@example.com", day(3, 10), map[string]string{"a.go": "package a\n\nfunc A() {\n    return // done\n}\n", "b.md": "x\ny\n"})

	l, err := Commits(ctx, r.dir, CommitRange{})
	if err != nil {
		t.Fatal(err)
	}
	want := []catalog.CommitFact{
		{Hash: c1, Name: "Ann", Email: "ann@example.com", At: day(1, 10), Files: []catalog.CommitFile{
			{Path: "a.go", Added: 5, Created: true}, {Path: "img.png", Added: -1, Removed: -1, Created: true}}},
		{Hash: c2, Parents: []string{c1}, Name: "Bob", Email: "bob@example.com", At: day(2, 10)}, // whitespace only: no file listed
		{Hash: c3, Parents: []string{c2}, Name: "Bob", Email: "bob@example.com", At: day(3, 10), Files: []catalog.CommitFile{
			{Path: "a.go", Added: 1, Removed: 1}, {Path: "b.md", Added: 2, Created: true}}},
	}
	if diff := cmp.Diff(CommitList{Commits: want, Complete: true}, l); diff != "" {
		t.Errorf("Commits (-want +got):\n%s", diff)
	}
	for _, tc := range []struct {
		name string
		r    CommitRange
		want CommitList
	}{
		{"since", CommitRange{Since: c1}, CommitList{Commits: want[1:]}},
		{"head and since", CommitRange{Head: c2, Since: c1}, CommitList{Commits: want[1:2]}},
		{"max keeps the newest", CommitRange{Max: 2}, CommitList{Commits: want[1:], Complete: true, Truncated: true}},
		{"unknown since reads all", CommitRange{Since: "0123456789012345678901234567890123456789"}, CommitList{Commits: want, Complete: true}},
	} {
		got, err := Commits(ctx, r.dir, tc.r)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tc.name, diff)
		}
	}
	if _, err := Commits(ctx, t.TempDir(), CommitRange{}); err == nil {
		t.Error("Commits of a directory that is not a repository: no error")
	}
	r.git(nil, "tag", "v1", c1)
	r.git(identityEnv("Ann", "ann@example.com", day(5, 10)), "tag", "-a", "-m", "second", "v2", c3)
	tags, err := Tags(ctx, r.dir)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]time.Time{day(1, 10), day(5, 10)}, tags); diff != "" {
		t.Errorf("Tags (-want +got):\n%s", diff)
	}
}
