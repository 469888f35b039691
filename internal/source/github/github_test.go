package github_test

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
	"github.com/ospo-project/ospo/internal/source/github"
	"github.com/ospo-project/ospo/internal/source/github/githubtest"
	"github.com/ospo-project/ospo/internal/sourcesync"
	"github.com/ospo-project/ospo/internal/store"
	"github.com/ospo-project/ospo/internal/store/teststore"
)

const token = "ghp_TESTtoken0123456789abcdef"

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

func newSource(t *testing.T, srv *githubtest.Server, sl *sleeper) *github.Source {
	t.Helper()
	src, err := github.New("gh", githubtest.Org, github.Options{APIURL: srv.URL, Token: token,
		Now: func() time.Time { return syncedAt }, Sleep: sl.sleep, MaxWait: 2 * time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	return src
}

func run(t *testing.T, st store.Store, src *github.Source) sourcesync.Result {
	t.Helper()
	res, err := sourcesync.Run(context.Background(), st, []sourcesync.Job{{Name: "gh", Kind: catalog.SourceGitHub,
		Source: src, Secrets: []string{token}}}, func() time.Time { return syncedAt })
	if err != nil {
		t.Fatal(err)
	}
	return res[0]
}

// TestSync syncs the example organisation into both stores, checks what it
// recorded against the examples, then resyncs: one conditional request,
// answered 304, and nothing else.
func TestSync(t *testing.T) {
	teststore.Each(t, func(t *testing.T, st store.Store) {
		ctx := context.Background()
		srv := githubtest.New(t, map[string]string{"README.md": "# Hello\n"})
		srv.Token = token
		src := newSource(t, srv, &sleeper{})

		res := run(t, st, src)
		if res.Err != nil {
			t.Fatal(res.Err)
		}
		// One page of repositories, its issues, its open pull requests
		// (who is asked to review), the reviews of its one pull request,
		// its releases.
		if got := srv.Requests(); got != 5 || res.State.Requests != 5 {
			t.Errorf("first sync: %d requests (state says %d), want 5", got, res.State.Requests)
		}
		if want := (catalog.RateLimit{Limit: 5000, Remaining: 4995}); res.State.Rate.Limit != want.Limit || res.State.Rate.Remaining != want.Remaining || res.State.Rate.Reset.IsZero() {
			t.Errorf("rate = %+v, want %d/%d with a reset", res.State.Rate, want.Remaining, want.Limit)
		}
		// The catalogue's key for the clone URL (gitrepo.NormaliseRemote
		// leaves the port out), the key the scan of the mirror gets too.
		key := "127.0.0.1/octocat/hello-world"
		wantRepo := catalog.ForgeRepo{Source: "gh", ID: 1296269, ProjectKey: key, FullName: "octocat/Hello-World",
			URL: srv.Git.URL + "/octocat/Hello-World", CloneURL: srv.Git.URL + "/octocat/Hello-World.git",
			Description: "This your first repo!", Topics: []string{"octocat", "atom", "electron", "api"},
			Visibility: "public", Stars: 80, Forks: 9, Watchers: 80, DefaultBranch: "master",
			PushedAt:  time.Date(2011, 1, 26, 19, 6, 43, 0, time.UTC),
			UpdatedAt: time.Date(2011, 1, 26, 19, 14, 43, 0, time.UTC), SyncedAt: syncedAt}
		repos, err := st.ForgeRepos(ctx, "gh")
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff([]catalog.ForgeRepo{wantRepo}, repos); diff != "" {
			t.Errorf("repositories (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff([]sourcesync.Repo{{FullName: "octocat/Hello-World", CloneURL: wantRepo.CloneURL, Changed: true}},
			res.Outcome.Repos); diff != "" {
			t.Errorf("repositories to mirror (-want +got):\n%s", diff)
		}
		items, err := st.ForgeItems(ctx, key, "", 0)
		if err != nil {
			t.Fatal(err)
		}
		wantItems := []catalog.ForgeItem{ // newest first
			{Kind: catalog.ItemRelease, Number: 1, Title: "v1.0.0", State: "published", Author: "octocat",
				URL: srv.Git.URL + "/octocat/Hello-World/releases/v1.0.0", Tag: "v1.0.0",
				CreatedAt: time.Date(2013, 2, 27, 19, 35, 32, 0, time.UTC)},
			// The example issue is a pull request (it has pull_request),
			// reviewed by its own author: no first response. The example
			// pull request listing asks other_user and the team
			// justice-league to review it.
			{Kind: catalog.ItemPullRequest, Number: 1347, Title: "Found a bug", State: "open", Author: "octocat",
				URL: srv.Git.URL + "/octocat/Hello-World/issues/1347", Labels: []string{"bug"},
				CreatedAt: time.Date(2011, 4, 22, 13, 33, 48, 0, time.UTC), UpdatedAt: time.Date(2011, 4, 22, 13, 33, 48, 0, time.UTC),
				Reviews:            []catalog.Review{{Author: "octocat", State: "APPROVED", SubmittedAt: time.Date(2019, 11, 17, 17, 43, 43, 0, time.UTC)}},
				RequestedReviewers: []string{"other_user"}, RequestedTeams: []string{"justice-league"}},
		}
		if diff := cmp.Diff(wantItems, items); diff != "" {
			t.Errorf("items (-want +got):\n%s", diff)
		}

		// Unchanged: one conditional request, 304, nothing else.
		before := srv.Requests()
		res = run(t, st, src)
		if res.Err != nil {
			t.Fatal(res.Err)
		}
		if got := srv.Requests() - before; got != 1 || res.State.Requests != 1 || res.State.NotModified != 1 {
			t.Errorf("resync: %d requests, state %d/%d not modified; want 1 answered 304", got, res.State.Requests, res.State.NotModified)
		}
		if len(res.Outcome.Repos) != 1 || res.Outcome.Repos[0].Changed {
			t.Errorf("resync lists %+v, want the repository unchanged", res.Outcome.Repos)
		}
		if again, _ := st.ForgeItems(ctx, key, "", 0); len(again) != 2 {
			t.Errorf("resync left %d items, want 2", len(again))
		}

		// A webhook asked for the repository: its page is unchanged (304),
		// but its issues and releases are asked for again (conditionally),
		// and the request is served once.
		for _, ev := range []string{"issues", "push"} {
			if _, err := st.RequestRefresh(ctx, catalog.Refresh{Source: "gh", ID: 1296269, FullName: "octocat/Hello-World",
				Event: ev, RequestedAt: syncedAt.Add(-time.Minute)}); err != nil {
				t.Fatal(err)
			}
			before = srv.Requests()
			res = run(t, st, src)
			if res.Err != nil {
				t.Fatal(res.Err)
			}
			if got := srv.Requests() - before; got != 3 || res.State.NotModified != 3 {
				t.Errorf("after a %s webhook: %d requests (%d not modified), want 3 answered 304", ev, got, res.State.NotModified)
			}
			if changed := res.Outcome.Repos[0].Changed; changed != (ev == "push") {
				t.Errorf("after a %s webhook the repository is changed=%v", ev, changed)
			}
			if pending, _ := st.PendingRefreshes(ctx, "gh"); len(pending) != 0 {
				t.Errorf("after the sync %d refreshes wait", len(pending))
			}
		}

		// Someone comments (the example comment is by the author, so no
		// first response): a webhook brings the issue list again, which
		// now differs; the pull request's reviews and comments are read.
		srv.Comment(1)
		if _, err := st.RequestRefresh(ctx, catalog.Refresh{Source: "gh", ID: 1296269, FullName: "octocat/Hello-World",
			Event: "issue_comment", RequestedAt: syncedAt.Add(-time.Minute)}); err != nil {
			t.Fatal(err)
		}
		before, comments := srv.Requests(), srv.Hits("/repos/octocat/Hello-World/issues/1347/comments")
		res = run(t, st, src)
		if res.Err != nil {
			t.Fatal(res.Err)
		}
		if got := srv.Requests() - before; got != 6 || res.State.NotModified != 2 {
			t.Errorf("after a comment: %d requests (%d not modified), want 6: list 304, issues, pulls, reviews, comments, releases 304", got, res.State.NotModified)
		}
		if got := srv.Hits("/repos/octocat/Hello-World/issues/1347/comments") - comments; got != 1 {
			t.Errorf("comments read %d times, want 1", got)
		}
		if prs, _ := st.ForgeItems(ctx, key, catalog.ItemPullRequest, 0); len(prs) != 1 || prs[0].Comments != 1 || !prs[0].FirstResponseAt.IsZero() {
			t.Errorf("pull request after the comment: %+v", prs)
		}

		// A push: the repository page changes; issues and releases are
		// asked for conditionally and have not changed.
		srv.Push(t, map[string]string{"main.go": "package main\n"}, time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC))
		before = srv.Requests()
		res = run(t, st, src)
		if res.Err != nil {
			t.Fatal(res.Err)
		}
		if got := srv.Requests() - before; got != 3 || res.State.NotModified != 2 {
			t.Errorf("after a push: %d requests (%d not modified), want 3 (2 not modified)", got, res.State.NotModified)
		}
		if len(res.Outcome.Repos) != 1 || !res.Outcome.Repos[0].Changed {
			t.Errorf("after a push lists %+v, want the repository changed", res.Outcome.Repos)
		}
		repos, _ = st.ForgeRepos(ctx, "gh")
		if len(repos) != 1 || !repos[0].PushedAt.Equal(time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)) {
			t.Errorf("pushed_at not updated: %+v", repos)
		}
		if again, _ := st.ForgeItems(ctx, key, "", 0); len(again) != 2 {
			t.Errorf("after a push %d items, want the 2 kept", len(again))
		}
	})
}

// TestSyncFailures checks that a failing GitHub fails the sync with the
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
		{"server error", "/orgs/octocat/repos", 500, nil, "oops", "500"},
		{"malformed JSON", "/orgs/octocat/repos", 200, nil, `[{"id": 1, "full_name": `, "unexpected EOF"},
		{"error mid-way", "/repos/octocat/Hello-World/releases", 502, nil, "bad gateway", "list the releases of octocat/Hello-World"},
		{"rate limited for long", "/orgs/octocat/repos", 403,
			http.Header{"X-Ratelimit-Remaining": {"0"}, "X-Ratelimit-Limit": {"5000"}, "X-Ratelimit-Reset": {"4102444800"}},
			`{"message":"API rate limit exceeded for user ID 1.","documentation_url":"https://docs.github.com/rest/overview/rate-limits-for-the-rest-api"}`,
			"rate limit"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			st := teststore.SQLite(t)
			srv := githubtest.New(t, map[string]string{"a": "b"})
			srv.Token = token
			src := newSource(t, srv, &sleeper{})
			if res := run(t, st, src); res.Err != nil {
				t.Fatal(res.Err)
			}
			srv.Fail(tc.path, -1, tc.status, tc.header, tc.body)
			// Forget the ETags so the server is asked again.
			state, _ := st.SourceState(ctx, "gh")
			state.Cursor = nil
			st.SaveSourceState(ctx, *state)

			res := run(t, st, src)
			if res.Err == nil || !strings.Contains(res.Err.Error(), tc.want) {
				t.Fatalf("error %v, want one containing %q", res.Err, tc.want)
			}
			if strings.Contains(res.Err.Error(), token) {
				t.Errorf("the error shows the token: %v", res.Err)
			}
			got, _ := st.SourceState(ctx, "gh")
			if got.Status != catalog.SyncFailed || got.LastError == "" || !got.LastSuccess.Equal(syncedAt) {
				t.Errorf("state %+v, want failed with the reason and the last success kept", got)
			}
			repos, _ := st.ForgeRepos(ctx, "gh")
			if len(repos) != 1 || repos[0].Stars != 80 {
				t.Errorf("repositories after the failure: %+v", repos)
			}
			if items, _ := st.ForgeItems(ctx, repos[0].ProjectKey, "", 0); len(items) != 2 {
				t.Errorf("items after the failure: %d, want the 2 of the last good sync", len(items))
			}
		})
	}
}

// TestRateLimitWaits checks that short rate limits are waited out (without
// sleeping: the waits are recorded) and the sync goes on.
func TestRateLimitWaits(t *testing.T) {
	for _, tc := range []struct {
		name   string
		status int
		header http.Header
		want   time.Duration
	}{
		{"secondary, Retry-After", http.StatusTooManyRequests, http.Header{"Retry-After": {"7"}}, 7 * time.Second},
		{"secondary, 403 Retry-After", http.StatusForbidden, http.Header{"Retry-After": {"30"}}, 30 * time.Second},
		{"primary, reset soon", http.StatusForbidden, http.Header{"X-Ratelimit-Remaining": {"0"},
			"X-Ratelimit-Reset": {fmtUnix(syncedAt.Add(20 * time.Second))}}, 21 * time.Second},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st := teststore.SQLite(t)
			srv := githubtest.New(t, map[string]string{"a": "b"})
			sl := &sleeper{}
			src := newSource(t, srv, sl)
			srv.Fail("/orgs/octocat/repos", 1, tc.status, tc.header, `{"message":"You have exceeded a secondary rate limit."}`)
			res := run(t, st, src)
			if res.Err != nil {
				t.Fatal(res.Err)
			}
			if diff := cmp.Diff([]time.Duration{tc.want}, sl.waits); diff != "" {
				t.Errorf("waits (-want +got):\n%s", diff)
			}
			if res.State.Requests != 6 {
				t.Errorf("%d requests, want 6 (one refused, then 5)", res.State.Requests)
			}
		})
	}
}

func fmtUnix(t time.Time) string { return strconv.FormatInt(t.Unix(), 10) }
