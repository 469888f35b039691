package gitlab_test

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/source/gitlab"
	"github.com/ospo-project/ospo/internal/source/gitlab/gitlabtest"
	"github.com/ospo-project/ospo/internal/sourcesync"
	"github.com/ospo-project/ospo/internal/store"
	"github.com/ospo-project/ospo/internal/store/teststore"
)

const token = "glpat-TESTtoken0123456789ab"

var syncedAt = time.Date(2025, 3, 4, 5, 6, 7, 0, time.UTC)

// sleeper records the waits asked for instead of waiting.
type sleeper struct {
	mu    sync.Mutex
	waits []time.Duration
}

func (s *sleeper) sleep(_ context.Context, d time.Duration) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.waits = append(s.waits, d)
	return nil
}

func newSource(t *testing.T, srv *gitlabtest.Server, sl *sleeper) *gitlab.Source {
	t.Helper()
	src, err := gitlab.New("gl", gitlabtest.Group, gitlab.Options{APIURL: srv.APIURL(), Token: token,
		Now: func() time.Time { return syncedAt }, Sleep: sl.sleep, MaxWait: 2 * time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	return src
}

func run(t *testing.T, st store.Store, src *gitlab.Source) sourcesync.Result {
	t.Helper()
	res, err := sourcesync.Run(context.Background(), st, []sourcesync.Job{{Name: "gl", Kind: catalog.SourceGitLab,
		Source: src, Secrets: []string{token}}}, func() time.Time { return syncedAt })
	if err != nil {
		t.Fatal(err)
	}
	return res[0]
}

func ts(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		panic(err)
	}
	return t.UTC()
}

// TestSync syncs the example group into both stores, checks what it
// recorded against GitLab's examples, then resyncs an unchanged group (the
// project list only), after a push (that project's updates only) and after
// a webhook.
func TestSync(t *testing.T) {
	teststore.Each(t, func(t *testing.T, st store.Store) {
		ctx := context.Background()
		srv := gitlabtest.New(t, map[string]string{"README.md": "# Hello\n"})
		srv.Token = token
		src := newSource(t, srv, &sleeper{})

		res := run(t, st, src)
		if res.Err != nil {
			t.Fatal(res.Err)
		}
		// Two pages of projects; per project its merge requests, issues
		// and releases; for the busy one, each of its 3 merge requests'
		// approvals and notes (all have notes), and its issue's notes.
		if got := srv.Requests(); got != 2+3*3+3*2+1 || res.State.Requests != got {
			t.Errorf("first sync: %d requests (state says %d), want 18", got, res.State.Requests)
		}
		if res.State.Rate.Limit != 2000 || res.State.Rate.Remaining != 2000-18 || res.State.Rate.Reset.IsZero() {
			t.Errorf("rate = %+v, want 1982/2000 with a reset", res.State.Rate)
		}
		repos, err := st.ForgeRepos(ctx, "gl")
		if err != nil {
			t.Fatal(err)
		}
		if len(repos) != 3 {
			t.Fatalf("%d repositories, want 3", len(repos))
		}
		var busy catalog.ForgeRepo
		for _, r := range repos {
			if r.ID == gitlabtest.Busy {
				busy = r
			}
		}
		wantBusy := catalog.ForgeRepo{Source: "gl", ID: 9, ProjectKey: "127.0.0.1/h5bp/html5-boilerplate",
			FullName: "h5bp/html5-boilerplate", URL: srv.Git.URL + "/h5bp/html5-boilerplate",
			CloneURL: srv.Git.URL + "/h5bp/html5-boilerplate.git", Description: "foo", Visibility: "internal",
			Stars: 1, OpenIssues: 3, DefaultBranch: "master", PushedAt: ts("2016-04-06T16:52:08.432Z"),
			UpdatedAt: ts("2016-04-06T16:52:08.432Z"), SyncedAt: syncedAt}
		if diff := cmp.Diff(wantBusy, busy); diff != "" {
			t.Errorf("busy project (-want +got):\n%s", diff)
		}
		for _, r := range res.Outcome.Repos {
			if !r.Changed {
				t.Errorf("first sync: %s not marked changed", r.FullName)
			}
		}

		prs, err := st.ForgeItems(ctx, busy.ProjectKey, catalog.ItemPullRequest, 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(prs) != 3 {
			t.Fatalf("%d merge requests, want 3: %+v", len(prs), prs)
		}
		approval := catalog.Review{Author: "root", State: "APPROVED", SubmittedAt: ts("2016-06-09T01:45:21.720Z")}
		// The example's !15442 names tkuah as its reviewer; the others none.
		wantAsked := map[int64][]string{15442: {"tkuah"}}
		for _, pr := range prs {
			if diff := cmp.Diff(wantAsked[pr.Number], pr.RequestedReviewers); diff != "" || pr.RequestedTeams != nil {
				t.Errorf("!%d requested reviewers (-want +got):\n%s (teams %v)", pr.Number, diff, pr.RequestedTeams)
			}
			if pr.State != "open" || pr.Author == "" || pr.Comments == 0 {
				t.Errorf("merge request %+v", pr)
			}
			if diff := cmp.Diff([]catalog.Review{approval}, pr.Reviews); diff != "" {
				t.Errorf("!%d reviews (-want +got):\n%s", pr.Number, diff)
			}
			// The notes are system notes; root's approval is the first
			// response by someone else.
			if !pr.FirstResponseAt.Equal(approval.SubmittedAt) {
				t.Errorf("!%d first response %v, want the approval's", pr.Number, pr.FirstResponseAt)
			}
		}
		issues, _ := st.ForgeItems(ctx, busy.ProjectKey, catalog.ItemIssue, 0)
		wantIssue := catalog.ForgeItem{Kind: catalog.ItemIssue, Number: 6,
			Title: "Consequatur vero maxime deserunt laboriosam est voluptas dolorem.", State: "open",
			Author: "eileen.lowe", URL: "http://example.com/my-group/my-project/issues/6", Labels: []string{"foo", "bar"},
			Comments: 1, CreatedAt: ts("2016-01-04T15:31:51.081Z"), UpdatedAt: ts("2016-01-04T15:31:51.081Z")}
		if diff := cmp.Diff([]catalog.ForgeItem{wantIssue}, issues); diff != "" {
			t.Errorf("issues (-want +got):\n%s", diff)
		}
		rels, _ := st.ForgeItems(ctx, busy.ProjectKey, catalog.ItemRelease, 0)
		if len(rels) != 2 || rels[0].Tag != "v0.2" || rels[0].Title != "Awesome app v0.2 beta" || rels[0].Author != "root" ||
			!rels[0].CreatedAt.Equal(ts("2019-01-03T01:56:19.539Z")) {
			t.Errorf("releases: %+v", rels)
		}

		// Unchanged: the two pages of the project list, nothing else.
		before := srv.Requests()
		res = run(t, st, src)
		if res.Err != nil {
			t.Fatal(res.Err)
		}
		if got := srv.Requests() - before; got != 2 || res.State.Requests != 2 {
			t.Errorf("resync: %d requests (state %d), want 2", got, res.State.Requests)
		}
		for _, r := range res.Outcome.Repos {
			if r.Changed {
				t.Errorf("resync: %s marked changed", r.FullName)
			}
		}
		if again, _ := st.ForgeItems(ctx, busy.ProjectKey, "", 0); len(again) != 6 {
			t.Errorf("resync left %d items, want 6", len(again))
		}

		// A push to the busy project: its merge requests and issues are
		// asked for updated_after the last read (none), releases re-read;
		// the items read before stay.
		srv.Push(t, gitlabtest.Busy, map[string]string{"main.go": "package main\n"}, time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC))
		before = srv.Requests()
		res = run(t, st, src)
		if res.Err != nil {
			t.Fatal(res.Err)
		}
		if got := srv.Requests() - before; got != 5 {
			t.Errorf("after a push: %d requests, want 5 (2 pages, merge requests, issues, releases)", got)
		}
		for _, r := range res.Outcome.Repos {
			if r.Changed != (r.FullName == "h5bp/html5-boilerplate") {
				t.Errorf("after a push: %s changed=%v", r.FullName, r.Changed)
			}
		}
		if again, _ := st.ForgeItems(ctx, busy.ProjectKey, "", 0); len(again) != 6 {
			t.Errorf("after a push %d items, want the 6 kept", len(again))
		}

		// A webhook names an idle project: it is read although its
		// last_activity_at did not move, and the request is served once.
		if _, err := st.RequestRefresh(ctx, catalog.Refresh{Source: "gl", ID: 6, FullName: "twitter/flight",
			Event: "push", RequestedAt: syncedAt.Add(-time.Minute)}); err != nil {
			t.Fatal(err)
		}
		before = srv.Requests()
		res = run(t, st, src)
		if res.Err != nil {
			t.Fatal(res.Err)
		}
		if got := srv.Requests() - before; got != 5 {
			t.Errorf("after a webhook: %d requests, want 5", got)
		}
		for _, r := range res.Outcome.Repos {
			if r.Changed != (r.FullName == "twitter/flight") {
				t.Errorf("after a webhook: %s changed=%v", r.FullName, r.Changed)
			}
		}
		if pending, _ := st.PendingRefreshes(ctx, "gl"); len(pending) != 0 {
			t.Errorf("after the sync %d refreshes wait", len(pending))
		}
	})
}

// TestFirstResponse checks that a person's note counts as a first response
// and a system note does not.
func TestFirstResponse(t *testing.T) {
	st := teststore.SQLite(t)
	srv := gitlabtest.New(t, map[string]string{"a": "b"})
	srv.HumanNote()
	res := run(t, st, newSource(t, srv, &sleeper{}))
	if res.Err != nil {
		t.Fatal(res.Err)
	}
	issues, _ := st.ForgeItems(context.Background(), "127.0.0.1/h5bp/html5-boilerplate", catalog.ItemIssue, 0)
	if len(issues) != 1 || !issues[0].FirstResponseAt.Equal(ts("2013-10-02T09:56:03Z")) {
		t.Errorf("issue %+v: want the person's note as first response", issues)
	}
}

// TestSyncFailures checks that a failing GitLab fails the sync with the
// reason, keeps the last good data and never shows the token.
func TestSyncFailures(t *testing.T) {
	for _, tc := range []struct {
		name   string
		path   string
		status int
		header http.Header
		body   string
		want   string
	}{
		{"server error", "/api/v4/groups/examples/projects", 500, nil, `{"message":"500 Internal Server Error"}`, "500"},
		{"malformed JSON", "/api/v4/groups/examples/projects", 200, nil, `[{"id": 9, "path_with_namespace": `, "unexpected EOF"},
		{"error mid-way", "/api/v4/projects/9/releases", 502, nil, "bad gateway", "list the releases of h5bp/html5-boilerplate"},
		{"rate limited for long", "/api/v4/groups/examples/projects", 429, http.Header{"Retry-After": {"3600"}},
			`{"message":"429 Too Many Requests"}`, "429"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			st := teststore.SQLite(t)
			srv := gitlabtest.New(t, map[string]string{"a": "b"})
			srv.Token = token
			src := newSource(t, srv, &sleeper{})
			if res := run(t, st, src); res.Err != nil {
				t.Fatal(res.Err)
			}
			srv.Fail(tc.path, -1, tc.status, tc.header, tc.body)
			// Make the busy project look active so it is read again.
			srv.Push(t, gitlabtest.Busy, map[string]string{"x": "y"}, syncedAt)

			res := run(t, st, src)
			if res.Err == nil || !strings.Contains(res.Err.Error(), tc.want) {
				t.Fatalf("error %v, want one containing %q", res.Err, tc.want)
			}
			if strings.Contains(res.Err.Error(), token) {
				t.Errorf("the error shows the token: %v", res.Err)
			}
			got, _ := st.SourceState(ctx, "gl")
			if got.Status != catalog.SyncFailed || got.LastError == "" || !got.LastSuccess.Equal(syncedAt) {
				t.Errorf("state %+v, want failed with the reason and the last success kept", got)
			}
			repos, _ := st.ForgeRepos(ctx, "gl")
			if len(repos) != 3 {
				t.Errorf("repositories after the failure: %+v", repos)
			}
			if items, _ := st.ForgeItems(ctx, "127.0.0.1/h5bp/html5-boilerplate", "", 0); len(items) != 6 {
				t.Errorf("items after the failure: %d, want the 6 of the last good sync", len(items))
			}
		})
	}
}

// TestRateLimitWaits checks that short rate limits are waited out (without
// sleeping: the waits are recorded) and the sync goes on.
func TestRateLimitWaits(t *testing.T) {
	for _, tc := range []struct {
		name   string
		header http.Header
		want   time.Duration
	}{
		{"Retry-After", http.Header{"Retry-After": {"7"}}, 7 * time.Second},
		{"RateLimit-Reset", http.Header{"Ratelimit-Reset": {strconv.FormatInt(syncedAt.Add(20*time.Second).Unix(), 10)}}, 21 * time.Second},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st := teststore.SQLite(t)
			srv := gitlabtest.New(t, map[string]string{"a": "b"})
			sl := &sleeper{}
			src := newSource(t, srv, sl)
			srv.Fail("/api/v4/groups/examples/projects", 1, http.StatusTooManyRequests, tc.header, `{"message":"429 Too Many Requests"}`)
			res := run(t, st, src)
			if res.Err != nil {
				t.Fatal(res.Err)
			}
			if diff := cmp.Diff([]time.Duration{tc.want}, sl.waits); diff != "" {
				t.Errorf("waits (-want +got):\n%s", diff)
			}
			if res.State.Requests != 19 {
				t.Errorf("%d requests, want 19 (one refused, then 18)", res.State.Requests)
			}
		})
	}
}
