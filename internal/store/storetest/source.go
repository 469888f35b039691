package storetest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/store"
)

var sourceTests = []namedTest{
	{"Sources/State", testSourceState},
	{"Sources/ForgeRepo", testForgeRepo},
	{"Sources/ForgeRepoInvalid", testForgeRepoInvalid},
	{"Sources/Entities", testEntities},
	{"Sources/Delete", testDeleteSource},
	{"Sources/Refresh", testRefresh},
	{"Sources/Tracker", testTracker},
	{"Sources/Builds", testBuilds},
	{"Sources/Artifacts", testArtifacts},
	{"Sources/RekeyProject", testRekeyProject},
	{"Sources/AnnotatedTrackerProjects", testAnnotatedTrackerProjects},
}

// testSourceState checks that a source's sync state round-trips, is
// replaced whole by the next save, and that an unknown source is ErrNotFound.
func testSourceState(t *testing.T, s store.Store) {
	ctx := context.Background()
	if _, err := s.SourceState(ctx, "gh"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("SourceState of an unknown source: %v, want ErrNotFound", err)
	}
	if err := s.SaveSourceState(ctx, catalog.SourceState{Name: "gh"}); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("SaveSourceState without kind: %v, want ErrInvalid", err)
	}
	st := catalog.SourceState{
		Name: "gh", Kind: catalog.SourceGitHub, Status: catalog.SyncFailed,
		LastAttempt: t0, LastSuccess: t0.Add(-time.Hour),
		LastError: "GET /orgs/acme/repos: 500 Internal Server Error; ünï \x00",
		Cursor:    map[string]string{"repos:1": `W/"abc"`, "pulls:acme/x": "etag"},
		Rate:      catalog.RateLimit{Limit: 5000, Remaining: 4321, Reset: t0.Add(time.Hour)},
		Requests:  12, NotModified: 10,
	}
	if err := s.SaveSourceState(ctx, st); err != nil {
		t.Fatal(err)
	}
	bs := catalog.SourceState{Name: "bs", Kind: catalog.SourceBackstage, Status: catalog.SyncOK, LastAttempt: t0, LastSuccess: t0}
	if err := s.SaveSourceState(ctx, bs); err != nil {
		t.Fatal(err)
	}
	got, err := s.SourceState(ctx, "gh")
	if err != nil {
		t.Fatal(err)
	}
	want := st
	want.LastError = "GET /orgs/acme/repos: 500 Internal Server Error; ünï \uFFFD"
	if diff := cmp.Diff(want, *got, opts); diff != "" {
		t.Errorf("SourceState (-want +got):\n%s", diff)
	}

	// A later save replaces every field, including the cursor.
	st2 := catalog.SourceState{Name: "gh", Kind: catalog.SourceGitHub, Status: catalog.SyncOK,
		LastAttempt: t0.Add(time.Hour), LastSuccess: t0.Add(time.Hour), Cursor: map[string]string{"repos:1": "new"}}
	if err := s.SaveSourceState(ctx, st2); err != nil {
		t.Fatal(err)
	}
	all, err := s.SourceStates(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]catalog.SourceState{bs, st2}, all, opts); diff != "" {
		t.Errorf("SourceStates (-want +got):\n%s", diff)
	}
}

func forgeRepo(source string, id int64, name string) catalog.ForgeRepo {
	return catalog.ForgeRepo{
		Source: source, ID: id, ProjectKey: "github.com/acme/" + name, FullName: "acme/" + name,
		URL: "https://github.com/acme/" + name, CloneURL: "https://github.com/acme/" + name + ".git",
		Description: "The " + name + " service 'quoted' 100%_", Topics: []string{"go", "api"},
		Visibility: "public", Archived: id%2 == 0, Fork: id%3 == 0, Stars: 80, Forks: 9, Watchers: 42,
		OpenIssues: 3, DefaultBranch: "main", License: "MIT",
		PushedAt: t0.Add(-time.Hour), UpdatedAt: t0.Add(-2 * time.Hour), SyncedAt: t0,
	}
}

// testForgeRepo checks that a forge repository and its items round-trip,
// that items of kinds not being replaced are kept, and that a rename keeps
// one repository.
func testForgeRepo(t *testing.T, s store.Store) {
	ctx := context.Background()
	r := forgeRepo("gh", 1296269, "hello")
	pr := catalog.ForgeItem{Kind: catalog.ItemPullRequest, Number: 1347, Title: "Amazing new feature", State: "open",
		Author: "octocat", URL: "https://github.com/acme/hello/pull/1347", Labels: []string{"bug", "good first issue"},
		CreatedAt: t0.Add(-10 * time.Hour), UpdatedAt: t0.Add(-9 * time.Hour), FirstResponseAt: t0.Add(-8 * time.Hour),
		Comments: 2, Reviews: []catalog.Review{{Author: "hubot", State: "APPROVED", SubmittedAt: t0.Add(-8 * time.Hour)},
			{Author: "monalisa", State: "COMMENTED"}},
		RequestedReviewers: []string{"other_user", "Hubot"}, RequestedTeams: []string{"justice-league"}}
	merged := catalog.ForgeItem{Kind: catalog.ItemPullRequest, Number: 1, Title: "First", State: "merged",
		CreatedAt: t0.Add(-100 * time.Hour), ClosedAt: t0.Add(-99 * time.Hour), MergedAt: t0.Add(-99 * time.Hour)}
	issue := catalog.ForgeItem{Kind: catalog.ItemIssue, Number: 1348, Title: "Found a bug", State: "open",
		Author: "octocat", Labels: []string{"help wanted"}, CreatedAt: t0.Add(-5 * time.Hour)}
	rel := catalog.ForgeItem{Kind: catalog.ItemRelease, Number: 1, Title: "v1.0.0", State: "published", Tag: "v1.0.0",
		Author: "octocat", CreatedAt: t0.Add(-50 * time.Hour)}
	all := []string{catalog.ItemPullRequest, catalog.ItemIssue, catalog.ItemRelease}
	if err := s.ReplaceForgeRepo(ctx, r, all, []catalog.ForgeItem{merged, pr, issue, rel}); err != nil {
		t.Fatal(err)
	}
	other := forgeRepo("ghe", 7, "other")
	if err := s.ReplaceForgeRepo(ctx, other, nil, nil); err != nil {
		t.Fatal(err)
	}

	repos, err := s.ForgeRepos(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	wantR := r
	if diff := cmp.Diff([]catalog.ForgeRepo{wantR, other}, repos, opts); diff != "" {
		t.Errorf("ForgeRepos (-want +got):\n%s", diff)
	}
	if repos, err := s.ProjectForgeRepos(ctx, r.ProjectKey); err != nil || len(repos) != 1 || repos[0].ID != r.ID {
		t.Errorf("ProjectForgeRepos(%s) = %v, %v; want the one repository", r.ProjectKey, repos, err)
	}
	if repos, err := s.ProjectForgeRepos(ctx, "github.com/nobody/none"); err != nil || len(repos) != 0 {
		t.Errorf("ProjectForgeRepos of an unknown key = %v, %v; want none", repos, err)
	}
	if repos, err := s.ForgeRepos(ctx, "ghe"); err != nil || len(repos) != 1 || repos[0].ID != 7 {
		t.Errorf("ForgeRepos(ghe) = %v, %v; want the one repository of ghe", repos, err)
	}
	items, err := s.ForgeItems(ctx, r.ProjectKey, "", 0)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]catalog.ForgeItem{issue, pr, rel, merged}, items, opts); diff != "" {
		t.Errorf("ForgeItems, newest first (-want +got):\n%s", diff)
	}
	if items, err := s.ForgeItems(ctx, r.ProjectKey, catalog.ItemPullRequest, 1); err != nil || len(items) != 1 || items[0].Number != pr.Number {
		t.Errorf("ForgeItems(pull requests, 1) = %v, %v; want #%d", items, err, pr.Number)
	}
	// Across repositories: by kind, state, project and label (exactly,
	// case-insensitively: "help" is no label, "_" and "%" are no wildcards).
	helpOther := catalog.ForgeItem{Kind: catalog.ItemIssue, Number: 5, Title: "Docs", State: "open",
		Labels: []string{"Help Wanted"}, CreatedAt: t0.Add(-3 * time.Hour), UpdatedAt: t0.Add(-time.Hour)}
	odd := catalog.ForgeItem{Kind: catalog.ItemIssue, Number: 6, Title: "Odd", State: "open",
		Labels: []string{"help_wanted%", "helpwanted"}, CreatedAt: t0.Add(-3 * time.Hour)}
	third := forgeRepo("lab", 99, "third")
	if err := s.ReplaceForgeRepo(ctx, third, []string{catalog.ItemIssue}, []catalog.ForgeItem{helpOther, odd}); err != nil {
		t.Fatal(err)
	}
	refs := func(q catalog.ForgeItemQuery) []string {
		t.Helper()
		got, err := s.QueryForgeItems(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, it := range got {
			out = append(out, fmt.Sprintf("%s %s#%d", it.ProjectKey, it.Repo, it.Number))
		}
		return out
	}
	for _, tc := range []struct {
		name string
		q    catalog.ForgeItemQuery
		want []string
	}{
		{"help wanted", catalog.ForgeItemQuery{Kind: catalog.ItemIssue, Label: "HELP wanted", OpenOnly: true},
			[]string{"github.com/acme/third acme/third#5", "github.com/acme/hello acme/hello#1348"}},
		{"help wanted, limit 1", catalog.ForgeItemQuery{Label: "help wanted", Limit: 1}, []string{"github.com/acme/third acme/third#5"}},
		{"no partial label", catalog.ForgeItemQuery{Label: "help"}, nil},
		{"no wildcard", catalog.ForgeItemQuery{Label: "help_wanted"}, nil},
		{"odd label", catalog.ForgeItemQuery{Label: "help_wanted%"}, []string{"github.com/acme/third acme/third#6"}},
		{"open pull requests of a project", catalog.ForgeItemQuery{Kind: catalog.ItemPullRequest, OpenOnly: true,
			ProjectKeys: []string{r.ProjectKey, "github.com/acme/none"}}, []string{"github.com/acme/hello acme/hello#1347"}},
		{"unknown project", catalog.ForgeItemQuery{ProjectKeys: []string{"github.com/acme/none"}}, nil},
		{"opened by octocat", catalog.ForgeItemQuery{Kind: catalog.ItemIssue, Authors: []string{"OctoCat", "nobody"}},
			[]string{"github.com/acme/hello acme/hello#1348"}},
		{"reviewed by monalisa", catalog.ForgeItemQuery{Reviewers: []string{"MonaLisa"}}, []string{"github.com/acme/hello acme/hello#1347"}},
		{"reviewed by a prefix", catalog.ForgeItemQuery{Reviewers: []string{"mona"}}, nil},
		{"reviewed by the author", catalog.ForgeItemQuery{Reviewers: []string{"octocat"}}, nil},
		{"asks other_user", catalog.ForgeItemQuery{RequestedReviewers: []string{"nobody", "OTHER_user"}}, []string{"github.com/acme/hello acme/hello#1347"}},
		{"asks no prefix of a login", catalog.ForgeItemQuery{RequestedReviewers: []string{"other"}}, nil},
		{"asks no wildcard", catalog.ForgeItemQuery{RequestedReviewers: []string{"other%user"}}, nil},
		{"asks the team", catalog.ForgeItemQuery{RequestedTeams: []string{"Justice-League"}}, []string{"github.com/acme/hello acme/hello#1347"}},
		{"a login is no team", catalog.ForgeItemQuery{RequestedTeams: []string{"hubot"}}, nil},
		{"a team is no login", catalog.ForgeItemQuery{RequestedReviewers: []string{"justice-league"}}, nil},
		{"asks hubot, open only", catalog.ForgeItemQuery{Kind: catalog.ItemPullRequest, OpenOnly: true, RequestedReviewers: []string{"hubot"},
			RequestedTeams: []string{"nobody"}}, []string{"github.com/acme/hello acme/hello#1347"}},
	} {
		if diff := cmp.Diff(tc.want, refs(tc.q)); diff != "" {
			t.Errorf("QueryForgeItems %s (-want +got):\n%s", tc.name, diff)
		}
	}
	if got, err := s.QueryForgeItems(ctx, catalog.ForgeItemQuery{Kind: catalog.ItemPullRequest, OpenOnly: true}); err != nil || len(got) != 1 ||
		!cmp.Equal(got[0].ForgeItem, pr, opts) {
		t.Errorf("QueryForgeItems(open pull requests) = %+v, %v; want the pull request whole", got, err)
	}

	// Renamed, with only its issues refetched: one repository, the pull
	// requests and releases kept, the issues replaced.
	renamed := r
	renamed.FullName, renamed.ProjectKey, renamed.Stars = "acme/hello-world", "github.com/acme/hello-world", 81
	issue2 := catalog.ForgeItem{Kind: catalog.ItemIssue, Number: 1349, Title: "Another", State: "closed", CreatedAt: t0}
	if err := s.ReplaceForgeRepo(ctx, renamed, []string{catalog.ItemIssue}, []catalog.ForgeItem{issue2}); err != nil {
		t.Fatal(err)
	}
	repos, err = s.ForgeRepos(ctx, "gh")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]catalog.ForgeRepo{renamed}, repos, opts); diff != "" {
		t.Errorf("ForgeRepos after a rename (-want +got):\n%s", diff)
	}
	items, err = s.ForgeItems(ctx, renamed.ProjectKey, "", 0)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]catalog.ForgeItem{issue2, pr, rel, merged}, items, opts); diff != "" {
		t.Errorf("ForgeItems after replacing issues only (-want +got):\n%s", diff)
	}
	if items, _ := s.ForgeItems(ctx, r.ProjectKey, "", 0); len(items) != 0 {
		t.Errorf("the old project key still has %d items", len(items))
	}
}

// testForgeRepoInvalid checks that bad input is refused and stores nothing.
func testForgeRepoInvalid(t *testing.T, s store.Store) {
	ctx := context.Background()
	good := forgeRepo("gh", 1, "x")
	issue := catalog.ForgeItem{Kind: catalog.ItemIssue, Number: 1}
	for name, tc := range map[string]struct {
		r     catalog.ForgeRepo
		kinds []string
		items []catalog.ForgeItem
	}{
		"no source":          {r: func() catalog.ForgeRepo { r := good; r.Source = ""; return r }()},
		"no id":              {r: func() catalog.ForgeRepo { r := good; r.ID = 0; return r }()},
		"no name":            {r: func() catalog.ForgeRepo { r := good; r.FullName = ""; return r }()},
		"item of other kind": {r: good, kinds: []string{catalog.ItemPullRequest}, items: []catalog.ForgeItem{issue}},
	} {
		if err := s.ReplaceForgeRepo(ctx, tc.r, tc.kinds, tc.items); !errors.Is(err, store.ErrInvalid) {
			t.Errorf("%s: %v, want ErrInvalid", name, err)
		}
	}
	if repos, err := s.ForgeRepos(ctx, ""); err != nil || len(repos) != 0 {
		t.Errorf("after invalid calls: %d repositories, %v; want none", len(repos), err)
	}
}

// testEntities checks that entities round-trip, that a source's import
// replaces only its own entities, and that duplicates collapse.
func testEntities(t *testing.T, s store.Store) {
	ctx := context.Background()
	comp := catalog.Entity{Source: "bs", Kind: "Component", Namespace: "default", Name: "artist-lookup",
		Title: "Artist Lookup", Description: "Artist Lookup", Type: "service", Lifecycle: "experimental",
		Owner: "team-a", System: "artist-engagement-portal", ProjectKey: "github.com/acme/artist-lookup",
		Document: `{"kind":"Component"}`}
	user := catalog.Entity{Source: "bs", Kind: "User", Namespace: "default", Name: "janelle.dawe",
		MemberOf: []string{"team-a"}, Email: "janelle-dawe@example.com", Document: `{"kind":"User"}`}
	other := catalog.Entity{Source: "bs2", Kind: "Group", Name: "team-a", Document: "{}"}
	if err := s.ReplaceEntities(ctx, "bs", []catalog.Entity{user, comp, user}); err != nil {
		t.Fatal(err)
	}
	if err := s.ReplaceEntities(ctx, "bs2", []catalog.Entity{other}); err != nil {
		t.Fatal(err)
	}
	got, err := s.Entities(ctx, "bs")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]catalog.Entity{comp, user}, got, opts); diff != "" {
		t.Errorf("Entities (-want +got):\n%s", diff)
	}
	// A second import replaces the first; bs2's are untouched.
	if err := s.ReplaceEntities(ctx, "bs", []catalog.Entity{user}); err != nil {
		t.Fatal(err)
	}
	got, err = s.Entities(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	wantOther := other
	wantOther.Namespace = "default"
	if diff := cmp.Diff([]catalog.Entity{wantOther, user}, got, opts); diff != "" {
		t.Errorf("Entities after a second import (-want +got):\n%s", diff)
	}
	for name, ents := range map[string][]catalog.Entity{
		"no name":      {{Source: "bs", Kind: "User"}},
		"other source": {other},
	} {
		if err := s.ReplaceEntities(ctx, "bs", ents); !errors.Is(err, store.ErrInvalid) {
			t.Errorf("%s: %v, want ErrInvalid", name, err)
		}
	}
	if got, _ := s.Entities(ctx, "bs"); len(got) != 1 {
		t.Errorf("an invalid import changed the entities: %v", got)
	}
}

// testDeleteSource checks that DeleteSource removes the source's state and
// facts and nothing else.
func testDeleteSource(t *testing.T, s store.Store) {
	ctx := context.Background()
	for _, name := range []string{"gh", "keep"} {
		if err := s.SaveSourceState(ctx, catalog.SourceState{Name: name, Kind: catalog.SourceGitHub}); err != nil {
			t.Fatal(err)
		}
	}
	r := forgeRepo("gh", 1, "x")
	if err := s.ReplaceForgeRepo(ctx, r, []string{catalog.ItemIssue}, []catalog.ForgeItem{{Kind: catalog.ItemIssue, Number: 1}}); err != nil {
		t.Fatal(err)
	}
	if err := s.ReplaceForgeRepo(ctx, forgeRepo("keep", 2, "y"), nil, nil); err != nil {
		t.Fatal(err)
	}
	if err := s.ReplaceEntities(ctx, "gh", []catalog.Entity{{Source: "gh", Kind: "Group", Name: "g", Document: "{}"}}); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteSource(ctx, "gh"); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteSource(ctx, "never-was"); err != nil {
		t.Errorf("DeleteSource of an unknown source: %v", err)
	}
	if _, err := s.SourceState(ctx, "gh"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("state after delete: %v, want ErrNotFound", err)
	}
	if items, _ := s.ForgeItems(ctx, r.ProjectKey, "", 0); len(items) != 0 {
		t.Errorf("items after delete: %v", items)
	}
	if ents, _ := s.Entities(ctx, ""); len(ents) != 0 {
		t.Errorf("entities after delete: %v", ents)
	}
	repos, _ := s.ForgeRepos(ctx, "")
	states, _ := s.SourceStates(ctx)
	if len(repos) != 1 || repos[0].Source != "keep" || len(states) != 1 || states[0].Name != "keep" {
		t.Errorf("the other source was touched: repos %v, states %v", repos, states)
	}
}

// testRefresh checks that refresh requests are de-duplicated per
// repository, listed oldest first, and cleared up to a time.
func testRefresh(t *testing.T, s store.Store) {
	ctx := context.Background()
	req := func(id int64, name, event string, at time.Time) bool {
		t.Helper()
		q, err := s.RequestRefresh(ctx, catalog.Refresh{Source: "gh", ID: id, FullName: name, Event: event, RequestedAt: at})
		if err != nil {
			t.Fatal(err)
		}
		return q
	}
	if !req(2, "acme/b", "push", t0.Add(time.Minute)) || !req(1, "acme/a", "issues", t0) {
		t.Error("first requests not queued")
	}
	if req(2, "acme/b", "pull_request", t0.Add(2*time.Minute)) {
		t.Error("a second request for acme/b was queued")
	}
	if q, err := s.RequestRefresh(ctx, catalog.Refresh{Source: "other", ID: 2, FullName: "x/b", RequestedAt: t0}); err != nil || !q {
		t.Errorf("the same id for another source: %v, %v", q, err)
	}
	if _, err := s.RequestRefresh(ctx, catalog.Refresh{Source: "gh", FullName: "acme/z"}); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("a request without id: %v, want ErrInvalid", err)
	}
	got, err := s.PendingRefreshes(ctx, "gh")
	if err != nil {
		t.Fatal(err)
	}
	want := []catalog.Refresh{{Source: "gh", ID: 1, FullName: "acme/a", Event: "issues", RequestedAt: t0},
		{Source: "gh", ID: 2, FullName: "acme/b", Event: "push", RequestedAt: t0.Add(time.Minute)}}
	if diff := cmp.Diff(want, got, opts); diff != "" {
		t.Errorf("PendingRefreshes (-want +got):\n%s", diff)
	}
	if err := s.DoneRefreshes(ctx, "gh", t0); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.PendingRefreshes(ctx, "gh"); len(got) != 1 || got[0].ID != 2 {
		t.Errorf("after DoneRefreshes(t0): %v, want acme/b left", got)
	}
	if got, _ := s.PendingRefreshes(ctx, "other"); len(got) != 1 {
		t.Errorf("the other source's requests: %v", got)
	}
	if err := s.DeleteSource(ctx, "gh"); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.PendingRefreshes(ctx, "gh"); len(got) != 0 {
		t.Errorf("after DeleteSource: %v", got)
	}
}

// testTracker checks tracker issues: upserted by key (a later read replaces
// an issue), selected by linked catalogue project, by assignee e-mail
// (case-insensitively) and by openness, newest first; links replaced per
// source; invalid input refused; and DeleteSource removing them.
func testTracker(t *testing.T, s store.Store) {
	ctx := context.Background()
	issue := func(key, project, status, category, email string, updated time.Time) catalog.TrackerIssue {
		return catalog.TrackerIssue{Source: "jira", Key: key, ID: "1" + key[len(key)-1:], Project: project, Summary: "Fix " + key,
			Type: "Bug", Status: status, StatusCategory: category, Priority: "High", Assignee: "Ann",
			AssigneeEmail: email, Labels: []string{"backend"}, URL: "https://jira.example.com/browse/" + key,
			Created: t0, Updated: updated}
	}
	a1 := issue("PAY-1", "PAY", "Open", "new", "Ann@Example.com", t0.Add(time.Hour))
	a2 := issue("PAY-2", "PAY", "Done", "done", "ann@example.com", t0.Add(2*time.Hour))
	a2.Resolved = t0.Add(2 * time.Hour)
	b1 := issue("WEB-1", "WEB", "In Progress", "indeterminate", "bob@example.com", t0.Add(3*time.Hour))
	if err := s.UpsertTrackerIssues(ctx, "jira", []catalog.TrackerIssue{a1, a2, b1}); err != nil {
		t.Fatal(err)
	}
	// A later read of PAY-1: its status moved.
	a1.Status, a1.Updated = "In Review", t0.Add(4*time.Hour)
	if err := s.UpsertTrackerIssues(ctx, "jira", []catalog.TrackerIssue{a1}); err != nil {
		t.Fatal(err)
	}
	links := []catalog.TrackerLink{{Source: "jira", Project: "PAY", ProjectKey: "github.com/acme/pay"},
		{Source: "jira", Project: "WEB", ProjectKey: "github.com/acme/web"}}
	if err := s.ReplaceTrackerLinks(ctx, "jira", links); err != nil {
		t.Fatal(err)
	}
	keys := func(q catalog.TrackerQuery) []string {
		t.Helper()
		got, err := s.TrackerIssues(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, is := range got {
			out = append(out, is.Key)
		}
		return out
	}
	for name, tc := range map[string]struct {
		q    catalog.TrackerQuery
		want []string
	}{
		"all, newest first": {catalog.TrackerQuery{}, []string{"PAY-1", "WEB-1", "PAY-2"}},
		"by project":        {catalog.TrackerQuery{ProjectKey: "github.com/acme/pay"}, []string{"PAY-1", "PAY-2"}},
		"open by project":   {catalog.TrackerQuery{ProjectKey: "github.com/acme/pay", OpenOnly: true}, []string{"PAY-1"}},
		"by assignee":       {catalog.TrackerQuery{AssigneeEmail: "ANN@example.com"}, []string{"PAY-1", "PAY-2"}},
		"unlinked project":  {catalog.TrackerQuery{ProjectKey: "github.com/acme/none"}, nil},
		"limit":             {catalog.TrackerQuery{Limit: 1}, []string{"PAY-1"}},
		"other source":      {catalog.TrackerQuery{Source: "other"}, nil},
	} {
		if diff := cmp.Diff(tc.want, keys(tc.q)); diff != "" {
			t.Errorf("%s (-want +got):\n%s", name, diff)
		}
	}
	got, _ := s.TrackerIssues(ctx, catalog.TrackerQuery{ProjectKey: "github.com/acme/pay", Limit: 1})
	want := a1
	want.AssigneeEmail = "ann@example.com"
	if diff := cmp.Diff([]catalog.TrackerIssue{want}, got); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
	if got, _ := s.TrackerLinks(ctx, ""); !cmp.Equal(got, links) {
		t.Errorf("links = %v, want %v", got, links)
	}
	// Links are replaced per source.
	if err := s.ReplaceTrackerLinks(ctx, "jira", links[:1]); err != nil {
		t.Fatal(err)
	}
	if got := keys(catalog.TrackerQuery{ProjectKey: "github.com/acme/web"}); got != nil {
		t.Errorf("after the WEB link went: %v", got)
	}
	for name, bad := range map[string][]catalog.TrackerIssue{
		"no key":       {{Source: "jira", Project: "PAY"}},
		"no project":   {{Source: "jira", Key: "PAY-9"}},
		"other source": {{Source: "x", Key: "PAY-9", Project: "PAY"}},
	} {
		if err := s.UpsertTrackerIssues(ctx, "jira", bad); !errors.Is(err, store.ErrInvalid) {
			t.Errorf("%s: %v, want ErrInvalid", name, err)
		}
	}
	if err := s.ReplaceTrackerLinks(ctx, "jira", []catalog.TrackerLink{{Source: "jira", Project: "PAY"}}); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("a link without project key: %v, want ErrInvalid", err)
	}
	if err := s.DeleteSource(ctx, "jira"); err != nil {
		t.Fatal(err)
	}
	if got := keys(catalog.TrackerQuery{}); got != nil {
		t.Errorf("issues after DeleteSource: %v", got)
	}
	if got, _ := s.TrackerLinks(ctx, ""); len(got) != 0 {
		t.Errorf("links after DeleteSource: %v", got)
	}
}

// testBuilds checks CI builds: upserted by (job, number), selected by
// project and job, newest first; invalid input refused; DeleteSource
// removes them.
func testBuilds(t *testing.T, s store.Store) {
	ctx := context.Background()
	b := func(job string, n int64, result string, started time.Time, project string) catalog.Build {
		return catalog.Build{Source: "ci", Job: job, Number: n, Result: result, Started: started,
			Duration: 90 * time.Second, URL: fmt.Sprintf("https://ci.example.com/job/%s/%d/", job, n),
			Revision: "d27afa0805201322d846d7defc29b82c88d9b5ce", ProjectKey: project}
	}
	running := b("pay", 3, "", t0.Add(2*time.Hour), "github.com/acme/pay")
	running.Building = true
	builds := []catalog.Build{b("pay", 1, "SUCCESS", t0, "github.com/acme/pay"), b("pay", 2, "FAILURE", t0.Add(time.Hour), "github.com/acme/pay"),
		running, b("folder/web", 1, "SUCCESS", t0.Add(30*time.Minute), "github.com/acme/web")}
	if err := s.UpsertBuilds(ctx, "ci", builds); err != nil {
		t.Fatal(err)
	}
	done := b("pay", 3, "SUCCESS", t0.Add(2*time.Hour), "github.com/acme/pay")
	if err := s.UpsertBuilds(ctx, "ci", []catalog.Build{done}); err != nil {
		t.Fatal(err)
	}
	got, err := s.Builds(ctx, catalog.BuildQuery{ProjectKey: "github.com/acme/pay"})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]catalog.Build{done, builds[1], builds[0]}, got); diff != "" {
		t.Errorf("builds of pay (-want +got):\n%s", diff)
	}
	if got, _ := s.Builds(ctx, catalog.BuildQuery{Job: "folder/web"}); len(got) != 1 || got[0].Result != "SUCCESS" {
		t.Errorf("builds of folder/web: %+v", got)
	}
	if got, _ := s.Builds(ctx, catalog.BuildQuery{Limit: 2}); len(got) != 2 || got[0].Number != 3 {
		t.Errorf("limit 2: %+v", got)
	}
	var nums []string
	got, err = s.Builds(ctx, catalog.BuildQuery{ProjectKeys: []string{"github.com/acme/web", "github.com/acme/pay", "github.com/acme/none"},
		Since: t0.Add(30 * time.Minute)})
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range got {
		nums = append(nums, fmt.Sprintf("%s#%d", b.Job, b.Number))
	}
	if diff := cmp.Diff([]string{"pay#3", "pay#2", "folder/web#1"}, nums); diff != "" {
		t.Errorf("builds of two projects since t0+30m (-want +got):\n%s", diff)
	}
	for name, bad := range map[string]catalog.Build{
		"no job":       {Source: "ci", Number: 1},
		"no number":    {Source: "ci", Job: "x"},
		"other source": {Source: "x", Job: "x", Number: 1},
	} {
		if err := s.UpsertBuilds(ctx, "ci", []catalog.Build{bad}); !errors.Is(err, store.ErrInvalid) {
			t.Errorf("%s: %v, want ErrInvalid", name, err)
		}
	}
	if err := s.DeleteSource(ctx, "ci"); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Builds(ctx, catalog.BuildQuery{}); len(got) != 0 {
		t.Errorf("builds after DeleteSource: %v", got)
	}
}

// testArtifacts checks artifact files and build runs: upserted by
// (repo, path), selected by package, summed per package; a build run's
// uses replaced whole; invalid input refused; DeleteSource removes them.
func testArtifacts(t *testing.T, s store.Store) {
	ctx := context.Background()
	const log4j = "pkg:maven/org.apache.logging.log4j/log4j-core"
	art := func(repo, version string, remote bool, downloads int64) catalog.Artifact {
		return catalog.Artifact{Source: "rt", Repo: repo, Remote: remote, Ecosystem: "Maven",
			Path:    "org/apache/logging/log4j/log4j-core/" + version + "/log4j-core-" + version + ".jar",
			Package: "org.apache.logging.log4j:log4j-core", Version: version, PURL: log4j, Size: 1800000,
			Created: t0, Downloads: downloads, LastDownloaded: t0.Add(time.Duration(downloads) * time.Hour), LastDownloadedBy: "jdoe"}
	}
	own := catalog.Artifact{Source: "rt", Repo: "libs-release-local", Path: "com/acme/pay/1.0/pay-1.0.jar", Ecosystem: "Maven",
		Package: "com.acme:pay", Version: "1.0", PURL: "pkg:maven/com.acme/pay", Downloads: 3}
	old, fixed := art("maven-remote-cache", "2.14.1", true, 40), art("maven-remote-cache", "2.17.1", true, 2)
	if err := s.UpsertArtifacts(ctx, "rt", []catalog.Artifact{old, fixed, own}); err != nil {
		t.Fatal(err)
	}
	old.Downloads = 41 // a later sync sees one more download
	if err := s.UpsertArtifacts(ctx, "rt", []catalog.Artifact{old}); err != nil {
		t.Fatal(err)
	}
	got, err := s.Artifacts(ctx, catalog.ArtifactQuery{PURL: log4j})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]catalog.Artifact{old, fixed}, got); diff != "" {
		t.Errorf("artifacts of log4j-core (-want +got):\n%s", diff)
	}
	pkgs, err := s.ArtifactPackages(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	want := []catalog.ArtifactPackage{
		{Ecosystem: "Maven", Package: "org.apache.logging.log4j:log4j-core", PURL: log4j, Versions: 2, Downloads: 43,
			Remote: true, LastDownloaded: old.LastDownloaded},
		{Ecosystem: "Maven", Package: "com.acme:pay", PURL: "pkg:maven/com.acme/pay", Versions: 1, Downloads: 3, Published: true},
	}
	if diff := cmp.Diff(want, pkgs); diff != "" {
		t.Errorf("artifact packages (-want +got):\n%s", diff)
	}
	run := catalog.BuildRun{Source: "rt", Build: "pay", Number: "7", Started: t0, ProjectKey: "github.com/acme/pay",
		Revision: "d27afa0805201322d846d7defc29b82c88d9b5ce", Uses: []catalog.PackageUse{
			{Ecosystem: "Maven", Package: "org.apache.logging.log4j:log4j-core", Version: "2.14.1", PURL: log4j},
			{Ecosystem: "Maven", Package: "com.acme:pay", Version: "1.0", PURL: "pkg:maven/com.acme/pay", Published: true},
		}}
	if err := s.ReplaceBuildRun(ctx, "rt", run); err != nil {
		t.Fatal(err)
	}
	run.Uses = run.Uses[:1] // read again: the run's uses are replaced, not added to
	if err := s.ReplaceBuildRun(ctx, "rt", run); err != nil {
		t.Fatal(err)
	}
	uses, err := s.BuildUses(ctx, catalog.BuildUseQuery{ProjectKey: "github.com/acme/pay"})
	if err != nil {
		t.Fatal(err)
	}
	wantUse := catalog.BuildUse{Source: "rt", Build: "pay", Number: "7", Started: t0, ProjectKey: "github.com/acme/pay",
		Revision: run.Revision, PackageUse: run.Uses[0]}
	if diff := cmp.Diff([]catalog.BuildUse{wantUse}, uses); diff != "" {
		t.Errorf("build uses (-want +got):\n%s", diff)
	}
	if got, _ := s.BuildUses(ctx, catalog.BuildUseQuery{PURL: "pkg:maven/com.acme/pay"}); len(got) != 0 {
		t.Errorf("uses of pay after the run was replaced: %+v", got)
	}
	for name, bad := range map[string]catalog.Artifact{
		"no path":      {Source: "rt", Repo: "r", Package: "p", PURL: "pkg:npm/p"},
		"no purl":      {Source: "rt", Repo: "r", Path: "p", Package: "p"},
		"other source": {Source: "x", Repo: "r", Path: "p", Package: "p", PURL: "pkg:npm/p"},
	} {
		if err := s.UpsertArtifacts(ctx, "rt", []catalog.Artifact{bad}); !errors.Is(err, store.ErrInvalid) {
			t.Errorf("%s: %v, want ErrInvalid", name, err)
		}
	}
	if err := s.ReplaceBuildRun(ctx, "rt", catalog.BuildRun{Source: "rt", Build: "x"}); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("run without number: %v, want ErrInvalid", err)
	}
	if err := s.DeleteSource(ctx, "rt"); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Artifacts(ctx, catalog.ArtifactQuery{}); len(got) != 0 {
		t.Errorf("artifacts after DeleteSource: %v", got)
	}
	if got, _ := s.BuildUses(ctx, catalog.BuildUseQuery{}); len(got) != 0 {
		t.Errorf("build uses after DeleteSource: %v", got)
	}
}

// testRekeyProject checks a renamed repository's project keeps its ID and
// the facts keyed by it under the new key; a missing project and a taken
// key are refused.
func testRekeyProject(t *testing.T, s store.Store) {
	ctx := context.Background()
	id, err := s.ReplaceProject(ctx, project("github.com/acme/old-name", "old-name", 1))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.ReplaceProject(ctx, project("github.com/acme/other", "other", 1)); err != nil {
		t.Fatal(err)
	}
	if err := s.UpsertBuilds(ctx, "ci", []catalog.Build{{Source: "ci", Job: "old", Number: 1, ProjectKey: "github.com/acme/old-name"}}); err != nil {
		t.Fatal(err)
	}
	if err := s.RekeyProject(ctx, "github.com/acme/old-name", "github.com/acme/new-name"); err != nil {
		t.Fatal(err)
	}
	p, err := s.Project(ctx, "github.com/acme/new-name")
	if err != nil || p.ID != id {
		t.Fatalf("after rekey: %v %+v, want ID %d", err, p, id)
	}
	if _, err := s.Project(ctx, "github.com/acme/old-name"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("old key still resolves: %v", err)
	}
	if b, _ := s.Builds(ctx, catalog.BuildQuery{ProjectKey: "github.com/acme/new-name"}); len(b) != 1 {
		t.Errorf("builds under the new key: %+v", b)
	}
	if err := s.RekeyProject(ctx, "github.com/acme/gone", "github.com/acme/x"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("rekey a missing project: %v, want ErrNotFound", err)
	}
	if err := s.RekeyProject(ctx, "github.com/acme/new-name", "github.com/acme/other"); !errors.Is(err, store.ErrExists) {
		t.Errorf("rekey onto a taken key: %v, want ErrExists", err)
	}
}

// testAnnotatedTrackerProjects checks the JIRA project keys projects name
// in their catalog-info annotation come back by key, with the projects.
func testAnnotatedTrackerProjects(t *testing.T, s store.Store) {
	ctx := context.Background()
	for _, p := range []*catalog.Project{project("github.com/acme/pay", "pay", 1), project("github.com/acme/pay-ui", "pay-ui", 1),
		project("github.com/acme/none", "none", 1)} {
		switch p.Name {
		case "pay":
			p.TrackerProjects = []string{"PAY", "OPS"}
		case "pay-ui":
			p.TrackerProjects = []string{"PAY"}
		}
		if _, err := s.ReplaceProject(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	got, err := s.AnnotatedTrackerProjects(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]string{"PAY": {"github.com/acme/pay", "github.com/acme/pay-ui"}, "OPS": {"github.com/acme/pay"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("annotated tracker projects (-want +got):\n%s", diff)
	}
	p, err := s.Project(ctx, "github.com/acme/pay")
	if err != nil || !slices.Equal(p.TrackerProjects, []string{"PAY", "OPS"}) {
		t.Errorf("project's tracker projects: %v %+v", err, p)
	}
}
