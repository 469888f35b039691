package estate

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/store"
	"github.com/ospo-project/ospo/internal/store/teststore"
)

// TestWarmModelMatchesHelp: once WarmModel has built the model, every open
// help post's people are matched, so neither the marketplace page (3 a
// post) nor the API (5) matches on a request; and the shorter lists are
// the first people of the longer ones.
func TestWarmModelMatchesHelp(t *testing.T) {
	teststore.Each(t, func(t *testing.T, st store.Store) {
		ctx := context.Background()
		recent := time.Now().UTC().AddDate(0, 0, -7)
		var people []catalog.Person
		for i := range 8 {
			id := catalog.Identity{Name: fmt.Sprintf("Dev %d", i), Email: fmt.Sprintf("dev%d@example.com", i)}
			if _, err := st.ReplaceProject(ctx, &catalog.Project{Key: fmt.Sprintf("k/p%d", i), Name: fmt.Sprintf("p%d", i), Path: "/src/p",
				ScannerVersion: catalog.ScannerVersion, Languages: []catalog.Language{{Name: "Go", Bytes: int64(10 + i), Files: 1}},
				Contributors: []catalog.Contribution{{Identity: id, Commits: 1 + i, FirstCommit: recent, LastCommit: recent}}}); err != nil {
				t.Fatal(err)
			}
			people = append(people, catalog.Person{ID: fmt.Sprintf("dev%d", i), Name: id.Name, Email: id.Email, Identities: []catalog.Identity{id}})
		}
		if err := st.ReplacePeople(ctx, people); err != nil {
			t.Fatal(err)
		}
		for i := range 3 {
			if _, err := st.SaveHelpPost(ctx, catalog.HelpPost{ProjectKey: "k/p0", Title: fmt.Sprintf("post %d", i), Skills: []string{"Go"},
				Size: "small", EndsAt: time.Now().UTC().AddDate(0, 1, 0), Author: "dev1@example.com"}, nil); err != nil {
				t.Fatal(err)
			}
		}
		c := New(st, time.Hour)
		if err := c.WarmModel(ctx); err != nil {
			t.Fatal(err)
		}
		c.helpMu.Lock()
		warmed := len(c.helpMatched)
		c.helpMu.Unlock()
		if warmed != 3 {
			t.Fatalf("after WarmModel %d posts matched, want 3", warmed)
		}
		five, err := c.HelpWanted(ctx, "", 5)
		if err != nil {
			t.Fatal(err)
		}
		three, err := c.HelpWanted(ctx, "", 3)
		if err != nil {
			t.Fatal(err)
		}
		c.helpMu.Lock()
		matched := len(c.helpMatched)
		c.helpMu.Unlock()
		if matched != warmed {
			t.Errorf("requests matched again: %d entries, warmed %d", matched, warmed)
		}
		for i := range five {
			if len(five[i].Helpers) != 5 || len(three[i].Helpers) != 3 {
				t.Fatalf("post %d: %d and %d helpers, want 5 and 3", i, len(five[i].Helpers), len(three[i].Helpers))
			}
			if diff := cmp.Diff(five[i].Helpers[:3], three[i].Helpers); diff != "" {
				t.Errorf("post %d: the 3 helpers are not the first of the 5 (-5 +3):\n%s", i, diff)
			}
			for _, h := range five[i].Helpers {
				if h.ID == "dev1" {
					t.Errorf("post %d matched its author", i)
				}
			}
		}
	})
}
