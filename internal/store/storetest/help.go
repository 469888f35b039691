package storetest

import (
	"context"
	"errors"
	"strconv"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/store"
)

// helpTests cover store.HelpStore.
var helpTests = []namedTest{
	{"HelpPosts", testHelpPosts},
}

// testHelpPosts creates, edits and closes posts, each audited in its
// transaction; checks what is refused, that the open filter hides closed
// and expired posts (a post is open all of its end day) and that a post
// outlives a rescan of its project.
func testHelpPosts(t *testing.T, s store.Store) {
	ctx := context.Background()
	if _, err := s.ReplaceProject(ctx, &catalog.Project{Key: "k/pay", Name: "pay", Path: "/src/pay", ScannerVersion: catalog.ScannerVersion}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ReplaceProject(ctx, &catalog.Project{Key: "k/ledger", Name: "ledger", Path: "/src/ledger", ScannerVersion: catalog.ScannerVersion}); err != nil {
		t.Fatal(err)
	}
	by := func() *catalog.AuditEntry {
		return &catalog.AuditEntry{At: t0, Actor: "ann@example.com", Source: "hub", Action: "help.post"}
	}
	day := t0.Truncate(24 * time.Hour)
	post := catalog.HelpPost{ProjectKey: "k/pay", Title: "  Port the CLI to cobra ", Description: "Two commands left.",
		Skills: []string{"Go", " go", "", "pkg:golang/github.com/spf13/cobra"}, Size: "small", EndsAt: day.Add(10 * 24 * time.Hour),
		Author: "Ann@Example.com", CreatedAt: t0, UpdatedAt: t0}
	e1 := by()
	got, err := s.SaveHelpPost(ctx, post, e1)
	if err != nil {
		t.Fatal(err)
	}
	want := post
	want.ID, want.ProjectID, want.Project, want.Title, want.Author = got.ID, got.ProjectID, "pay", "Port the CLI to cobra", "ann@example.com"
	want.Skills = []string{"Go", "pkg:golang/github.com/spf13/cobra"}
	if d := cmp.Diff(want, got); d != "" || got.ID == 0 || got.ProjectID == 0 {
		t.Errorf("SaveHelpPost (-want +got):\n%s", d)
	}
	if e1.Object != "help:"+strconv.FormatInt(got.ID, 10) || e1.Before != "" || e1.After == "" {
		t.Errorf("audit entry of the creation: %+v", e1)
	}
	read, err := s.HelpPost(ctx, got.ID)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(want, *read); d != "" {
		t.Errorf("HelpPost (-want +got):\n%s", d)
	}

	// Two more: one of ledger ending sooner, one that ended yesterday.
	soon := catalog.HelpPost{ProjectKey: "k/ledger", Title: "Review the schema", Skills: []string{"SQL"}, Size: "medium",
		EndsAt: day.Add(2 * 24 * time.Hour), Author: "bob@example.com", CreatedAt: t0, UpdatedAt: t0}
	if soon, err = s.SaveHelpPost(ctx, soon, nil); err != nil {
		t.Fatal(err)
	}
	old := catalog.HelpPost{ProjectKey: "k/ledger", Title: "Old", Size: "large", EndsAt: day.Add(-24 * time.Hour),
		Author: "bob@example.com", CreatedAt: t0, UpdatedAt: t0}
	if old, err = s.SaveHelpPost(ctx, old, nil); err != nil {
		t.Fatal(err)
	}
	ids := func(f store.HelpFilter) []int64 {
		t.Helper()
		hs, err := s.HelpPosts(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		var out []int64
		for _, h := range hs {
			out = append(out, h.ID)
		}
		return out
	}
	if d := cmp.Diff([]int64{old.ID, soon.ID, got.ID}, ids(store.HelpFilter{})); d != "" {
		t.Errorf("every post, soonest end first (-want +got):\n%s", d)
	}
	if d := cmp.Diff([]int64{soon.ID, got.ID}, ids(store.HelpFilter{OpenAt: t0})); d != "" {
		t.Errorf("open posts (-want +got):\n%s", d)
	}
	// Open all of the end day, not after.
	if d := cmp.Diff([]int64{soon.ID, got.ID}, ids(store.HelpFilter{OpenAt: day.Add(2*24*time.Hour + 23*time.Hour)})); d != "" {
		t.Errorf("open on soon's end day (-want +got):\n%s", d)
	}
	if d := cmp.Diff([]int64{got.ID}, ids(store.HelpFilter{OpenAt: day.Add(3 * 24 * time.Hour)})); d != "" {
		t.Errorf("open the day after soon's end (-want +got):\n%s", d)
	}
	if d := cmp.Diff([]int64{old.ID, soon.ID}, ids(store.HelpFilter{ProjectKey: "k/ledger"})); d != "" {
		t.Errorf("ledger's posts (-want +got):\n%s", d)
	}

	// Closing keeps the author and creation time whatever the caller says.
	closing := want
	closing.Closed, closing.Author, closing.CreatedAt, closing.UpdatedAt = true, "mallory@example.com", t0.Add(time.Hour), t0.Add(time.Hour)
	e2 := by()
	closed, err := s.SaveHelpPost(ctx, closing, e2)
	if err != nil {
		t.Fatal(err)
	}
	if closed.Author != "ann@example.com" || !closed.CreatedAt.Equal(t0) || !closed.Closed {
		t.Errorf("closed post: %+v", closed)
	}
	if e2.Before == "" || e2.After == "" || e2.Object != e1.Object {
		t.Errorf("audit entry of the edit: %+v", e2)
	}
	if d := cmp.Diff([]int64{soon.ID}, ids(store.HelpFilter{OpenAt: t0})); d != "" {
		t.Errorf("open posts after closing (-want +got):\n%s", d)
	}

	// A rescan of the project leaves its posts.
	if _, err := s.ReplaceProject(ctx, &catalog.Project{Key: "k/ledger", Name: "ledger", Path: "/src/ledger", HeadCommit: "abc", ScannerVersion: catalog.ScannerVersion}); err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff([]int64{old.ID, soon.ID}, ids(store.HelpFilter{ProjectKey: "k/ledger"})); d != "" {
		t.Errorf("ledger's posts after a rescan (-want +got):\n%s", d)
	}

	// Refused: nothing written.
	bad := []catalog.HelpPost{
		{ProjectKey: "k/pay", Size: "small", EndsAt: day, Author: "a@example.com"},                                   // no title
		{ProjectKey: "k/pay", Title: "x", Size: "huge", EndsAt: day, Author: "a@example.com"},                        // size
		{ProjectKey: "k/pay", Title: "x", Size: "small", Author: "a@example.com"},                                    // no end
		{ProjectKey: "k/pay", Title: "x", Size: "small", EndsAt: day},                                                // no author
		{ProjectKey: "k/nowhere", Title: "x", Size: "small", EndsAt: day, Author: "a@example.com"},                   // no such project
		{ProjectKey: "k/pay", Title: string(make([]byte, 201)), Size: "small", EndsAt: day, Author: "a@example.com"}, // too long
	}
	for i, b := range bad {
		if _, err := s.SaveHelpPost(ctx, b, by()); !errors.Is(err, store.ErrInvalid) {
			t.Errorf("bad post %d: error %v, want ErrInvalid", i, err)
		}
	}
	if _, err := s.SaveHelpPost(ctx, catalog.HelpPost{ID: 9999, ProjectKey: "k/pay", Title: "x", Size: "small", EndsAt: day, Author: "a@example.com"}, nil); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("editing a missing post: %v, want ErrNotFound", err)
	}
	if _, err := s.HelpPost(ctx, 9999); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("HelpPost(9999): %v, want ErrNotFound", err)
	}
	if n := len(ids(store.HelpFilter{})); n != 3 {
		t.Errorf("%d posts after refused saves, want 3", n)
	}
}
