package estate_test

import (
	"context"
	"testing"
	"time"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/hub/estate"
	"github.com/ospo-project/ospo/internal/store"
	"github.com/ospo-project/ospo/internal/store/teststore"
)

// TestHelpWantedFollowsOptOuts: the matched people are kept between
// requests, yet a person who opts out leaves the matches at once.
func TestHelpWantedFollowsOptOuts(t *testing.T) {
	teststore.Each(t, func(t *testing.T, st store.Store) {
		ctx := context.Background()
		recent := time.Now().UTC().AddDate(0, 0, -7)
		ole := catalog.Identity{Name: "Ole", Email: "ole@example.com"}
		if _, err := st.ReplaceProject(ctx, &catalog.Project{Key: "k/market", Name: "market", Path: "/src/market",
			ScannerVersion: catalog.ScannerVersion, Languages: []catalog.Language{{Name: "Go", Bytes: 10, Files: 1}},
			Contributors: []catalog.Contribution{{Identity: ole, Commits: 3, FirstCommit: recent, LastCommit: recent}}}); err != nil {
			t.Fatal(err)
		}
		if err := st.ReplacePeople(ctx, []catalog.Person{{ID: "ole", Name: "Ole", Email: ole.Email, Identities: []catalog.Identity{ole}}}); err != nil {
			t.Fatal(err)
		}
		if _, err := st.SaveHelpPost(ctx, catalog.HelpPost{ProjectKey: "k/market", Title: "port", Skills: []string{"Go"}, Size: "small",
			EndsAt: time.Now().UTC().AddDate(0, 1, 0), Author: "someone@example.com"}, nil); err != nil {
			t.Fatal(err)
		}
		cat := estate.New(st, 0)
		helpers := func() int {
			t.Helper()
			hs, err := cat.HelpWanted(ctx, "", 5)
			if err != nil || len(hs) != 1 {
				t.Fatalf("HelpWanted = %+v, %v", hs, err)
			}
			return len(hs[0].Helpers)
		}
		if n := helpers(); n != 1 {
			t.Fatalf("helpers = %d, want Ole", n)
		}
		if n := helpers(); n != 1 {
			t.Fatalf("helpers the second time = %d, want Ole", n)
		}
		if err := st.SetOptOut(ctx, catalog.OptOut{PersonID: "ole", Recommendations: true}, nil); err != nil {
			t.Fatal(err)
		}
		if n := helpers(); n != 0 {
			t.Errorf("helpers after Ole opted out = %d, want none", n)
		}
	})
}
