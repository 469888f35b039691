package jira_test

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/source/jira"
	"github.com/ospo-project/ospo/internal/source/jira/jiratest"
	"github.com/ospo-project/ospo/internal/sourcesync"
	"github.com/ospo-project/ospo/internal/store"
	"github.com/ospo-project/ospo/internal/store/teststore"
)

const (
	user  = "ospo-bot@acme.example"
	token = "ATATT3xFfGF0-TESTtoken0123456789"
)

var syncedAt = time.Date(2025, 3, 4, 5, 6, 7, 0, time.UTC)

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

var links = map[string][]string{"EX": {"github.com/acme/example"}}

func newSource(t *testing.T, srv *jiratest.Server, flavor string, sl *sleeper) *jira.Source {
	t.Helper()
	opts := jira.Options{URL: srv.URL, Flavor: flavor, Token: token, Sleep: sl.sleep}
	if flavor == jira.Cloud {
		opts.User = user
	}
	src, err := jira.New("jira", links, opts)
	if err != nil {
		t.Fatal(err)
	}
	return src
}

func run(t *testing.T, st store.Store, src *jira.Source) sourcesync.Result {
	t.Helper()
	res, err := sourcesync.Run(context.Background(), st, []sourcesync.Job{{Name: "jira", Kind: catalog.SourceJIRA,
		Source: src, Secrets: []string{token}}}, func() time.Time { return syncedAt })
	if err != nil {
		t.Fatal(err)
	}
	return res[0]
}

// TestSync reads Atlassian's example issue from JIRA Cloud's enhanced
// search and from the offset search Server and Data Center answer, into
// both stores: the issue is linked to its catalogue project, and the next
// sync asks only for what was updated since.
func TestSync(t *testing.T) {
	for _, flavor := range []string{jira.Cloud, jira.Server} {
		t.Run(flavor, func(t *testing.T) {
			teststore.Each(t, func(t *testing.T, st store.Store) {
				ctx := context.Background()
				srv := jiratest.New(t)
				srv.Auth = "Bearer " + token
				if flavor == jira.Cloud {
					srv.Auth = jiratest.Basic(user, token)
				}
				src := newSource(t, srv, flavor, &sleeper{})
				res := run(t, st, src)
				if res.Err != nil {
					t.Fatal(res.Err)
				}
				if res.State.Requests != 1 {
					t.Errorf("%d requests, want 1", res.State.Requests)
				}
				got, err := st.TrackerIssues(ctx, catalog.TrackerQuery{ProjectKey: "github.com/acme/example"})
				if err != nil {
					t.Fatal(err)
				}
				if len(got) != 1 {
					t.Fatalf("issues of the linked project: %+v", got)
				}
				is := got[0]
				// The example's issue: key ED-1 in project EX, id 10002
				// (offset search) or 10002 too (enhanced search), updated
				// given as the number 1 (epoch milliseconds).
				if is.Key != "ED-1" || is.Project != "EX" || is.ID != "10002" || is.URL != srv.URL+"/browse/ED-1" ||
					!is.Updated.Equal(time.UnixMilli(1).UTC()) || !is.Open() {
					t.Errorf("issue %+v", is)
				}
				jql := srv.JQL()
				if len(jql) != 1 || jql[0] != `project = "EX" ORDER BY updated ASC, key ASC` {
					t.Errorf("first JQL %q", jql)
				}
				if res = run(t, st, src); res.Err != nil {
					t.Fatal(res.Err)
				}
				jql = srv.JQL()
				if len(jql) != 2 || !strings.Contains(jql[1], `AND updated >= "1969/12/31 00:00"`) {
					t.Errorf("resync JQL %q, want the issues updated since the last (less a day)", jql)
				}
				if all, _ := st.TrackerIssues(ctx, catalog.TrackerQuery{}); len(all) != 1 {
					t.Errorf("after the resync %d issues, want 1", len(all))
				}
			})
		})
	}
}

// TestPaging follows nextPageToken to the last page.
func TestPaging(t *testing.T) {
	st := teststore.SQLite(t)
	srv := jiratest.New(t)
	srv.Paged()
	res := run(t, st, newSource(t, srv, jira.Cloud, &sleeper{}))
	if res.Err != nil {
		t.Fatal(res.Err)
	}
	if res.State.Requests != 2 {
		t.Errorf("%d requests, want 2 pages", res.State.Requests)
	}
}

// TestSyncFailures checks that a failing JIRA fails the sync with JIRA's
// reason, keeps the issues of the last good sync and never shows the
// token; a short rate limit is waited out.
func TestSyncFailures(t *testing.T) {
	for _, tc := range []struct {
		name   string
		status int
		header http.Header
		body   string
		want   string
	}{
		{"not authenticated", 401, nil, `{"errorMessages":["You are not authenticated. Authentication required to perform this operation."],"errors":{}}`, "401 Unauthorized: You are not authenticated"},
		{"bad JQL", 400, nil, `{"errorMessages":[],"errors":{"jql":"The value 'EX' does not exist for the field 'project'."}}`, "jql: The value 'EX' does not exist"},
		{"server error", 500, nil, "<html>oops</html>", "500"},
		{"malformed JSON", 200, nil, `{"issues": [{"key": `, "not the JSON expected"},
		{"rate limited for long", 429, http.Header{"Retry-After": {"3600"}}, "", "429"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			st := teststore.SQLite(t)
			srv := jiratest.New(t)
			src := newSource(t, srv, jira.Cloud, &sleeper{})
			if res := run(t, st, src); res.Err != nil {
				t.Fatal(res.Err)
			}
			srv.Fail("/rest/api/3/search/jql", -1, tc.status, tc.header, tc.body)
			res := run(t, st, src)
			if res.Err == nil || !strings.Contains(res.Err.Error(), tc.want) {
				t.Fatalf("error %v, want one containing %q", res.Err, tc.want)
			}
			if strings.Contains(res.Err.Error(), token) {
				t.Errorf("the error shows the token: %v", res.Err)
			}
			state, _ := st.SourceState(ctx, "jira")
			if state.Status != catalog.SyncFailed || state.LastError == "" {
				t.Errorf("state %+v, want failed with the reason", state)
			}
			if got, _ := st.TrackerIssues(ctx, catalog.TrackerQuery{}); len(got) != 1 {
				t.Errorf("issues after the failure: %d, want the 1 of the last good sync", len(got))
			}
		})
	}
	t.Run("rate limited briefly", func(t *testing.T) {
		srv := jiratest.New(t)
		sl := &sleeper{}
		srv.Fail("/rest/api/3/search/jql", 1, 429, http.Header{"Retry-After": {"5"}}, "")
		res := run(t, teststore.SQLite(t), newSource(t, srv, jira.Cloud, sl))
		if res.Err != nil {
			t.Fatal(res.Err)
		}
		if len(sl.waits) != 1 || sl.waits[0] != 5*time.Second || res.State.Requests != 2 {
			t.Errorf("waits %v, %d requests; want one 5s wait and 2 requests", sl.waits, res.State.Requests)
		}
	})
}

func TestNewRefuses(t *testing.T) {
	for name, tc := range map[string]struct {
		links map[string][]string
		opts  jira.Options
	}{
		"no URL":         {links, jira.Options{}},
		"file URL":       {links, jira.Options{URL: "file:///etc"}},
		"bad key":        {map[string][]string{"ex; drop": nil}, jira.Options{URL: "https://jira.example.com"}},
		"no projects":    {nil, jira.Options{URL: "https://jira.example.com"}},
		"unknown flavor": {links, jira.Options{URL: "https://jira.example.com", Flavor: "onprem"}},
	} {
		if _, err := jira.New("j", tc.links, tc.opts); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

// TestAnnotated reads the JIRA projects repositories' catalog-info.yaml
// name besides the configured ones: the example project's issues are
// linked to the annotated catalogue project too, and an annotated key
// this JIRA does not know is skipped, while a configured one fails the
// sync.
func TestAnnotated(t *testing.T) {
	teststore.Each(t, func(t *testing.T, st store.Store) {
		ctx := context.Background()
		srv := jiratest.New(t)
		src, err := jira.New("jira", links, jira.Options{URL: srv.URL, Flavor: jira.Server, Token: token, Sleep: (&sleeper{}).sleep,
			Annotated: map[string][]string{"EX": {"github.com/acme/annotated"}, "NOPE": {"github.com/acme/other"}, "bad key": {"x"}}})
		if err != nil {
			t.Fatal(err)
		}
		res := run(t, st, src)
		if res.Err != nil {
			t.Fatal(res.Err)
		}
		if want := "1 issues updated in 1 projects (1 annotated projects unknown to this JIRA)"; res.Outcome.Summary != want {
			t.Errorf("summary %q, want %q", res.Outcome.Summary, want)
		}
		for _, key := range []string{"github.com/acme/example", "github.com/acme/annotated"} {
			if got, _ := st.TrackerIssues(ctx, catalog.TrackerQuery{ProjectKey: key}); len(got) != 1 {
				t.Errorf("issues of %s: %+v", key, got)
			}
		}
		src, err = jira.New("jira", map[string][]string{"NOPE": nil}, jira.Options{URL: srv.URL, Flavor: jira.Server, Token: token})
		if err != nil {
			t.Fatal(err)
		}
		if res := run(t, st, src); res.Err == nil || !strings.Contains(res.Err.Error(), "does not exist for the field 'project'") {
			t.Errorf("a configured unknown project: %v", res.Err)
		}
	})
}
