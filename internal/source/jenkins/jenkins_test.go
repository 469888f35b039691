package jenkins_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/source/jenkins"
	"github.com/ospo-project/ospo/internal/source/jenkins/jenkinstest"
	"github.com/ospo-project/ospo/internal/sourcesync"
	"github.com/ospo-project/ospo/internal/store"
	"github.com/ospo-project/ospo/internal/store/teststore"
)

const token = "11a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5"

var syncedAt = time.Date(2025, 3, 4, 5, 6, 7, 0, time.UTC)

func newSource(t *testing.T, srv *jenkinstest.Server) *jenkins.Source {
	t.Helper()
	src, err := jenkins.New("ci", jenkins.Options{URL: srv.URLBase(), User: "ospo", Token: token,
		Jobs: map[string]string{"DTS": "github.com/acme/dts"}})
	if err != nil {
		t.Fatal(err)
	}
	return src
}

func run(t *testing.T, st store.Store, src *jenkins.Source) sourcesync.Result {
	t.Helper()
	res, err := sourcesync.Run(context.Background(), st, []sourcesync.Job{{Name: "ci", Kind: catalog.SourceJenkins,
		Source: src, Secrets: []string{token}}}, func() time.Time { return syncedAt })
	if err != nil {
		t.Fatal(err)
	}
	return res[0]
}

// TestSync reads the captured controller into both stores: every job's
// builds with result, start, duration and the git revision, a configured
// job linked to its project; a resync with no new build costs the job
// listing only; a new build costs its job and itself.
func TestSync(t *testing.T) {
	teststore.Each(t, func(t *testing.T, st store.Store) {
		ctx := context.Background()
		srv := jenkinstest.New(t)
		srv.User, srv.Token = "ospo", token
		src := newSource(t, srv)
		res := run(t, st, src)
		if res.Err != nil {
			t.Fatal(res.Err)
		}
		// The listing, then per job (8) its build list and 7 builds.
		if res.State.Requests != 1+8*8 {
			t.Errorf("first sync: %d requests, want 65", res.State.Requests)
		}
		if !strings.Contains(res.Outcome.Summary, "8 jobs, 8 with new builds, 56 builds read") {
			t.Errorf("summary %q", res.Outcome.Summary)
		}
		got, err := st.Builds(ctx, catalog.BuildQuery{ProjectKey: "github.com/acme/dts"})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 7 {
			t.Fatalf("builds of DTS: %d, want 7", len(got))
		}
		b := got[0]
		if b.Job != "DTS" || b.Number != 7 || b.Result != "SUCCESS" || b.Duration != 60750*time.Millisecond ||
			!b.Started.Equal(time.UnixMilli(1461091892486).UTC()) || b.Revision != "d27afa0805201322d846d7defc29b82c88d9b5ce" ||
			b.URL != srv.URLBase()+"/job/DTS/7/" {
			t.Errorf("build %+v", b)
		}
		if all, _ := st.Builds(ctx, catalog.BuildQuery{}); len(all) != 56 {
			t.Errorf("%d builds stored, want 56", len(all))
		}

		before := srv.Requests()
		if res = run(t, st, src); res.Err != nil {
			t.Fatal(res.Err)
		}
		if got := srv.Requests() - before; got != 1 {
			t.Errorf("resync: %d requests, want the listing only", got)
		}

		srv.NewBuild("DTS")
		before = srv.Requests()
		if res = run(t, st, src); res.Err != nil {
			t.Fatal(res.Err)
		}
		if got := srv.Requests() - before; got != 3 {
			t.Errorf("after a build: %d requests, want 3 (listing, job, build)", got)
		}
		if got, _ := st.Builds(ctx, catalog.BuildQuery{Job: "DTS"}); len(got) != 8 || got[0].Number != 8 {
			t.Errorf("after a build: %+v", got)
		}
	})
}

// TestSyncFailures: a controller that refuses or breaks fails the sync
// with the reason, keeps the builds read before and never shows the token.
func TestSyncFailures(t *testing.T) {
	for name, tc := range map[string]struct {
		path   string
		status int
		want   string
	}{
		"listing down":      {jenkinstest.Base + "/api/json", http.StatusServiceUnavailable, "503"},
		"a job's build 500": {jenkinstest.Base + "/job/DTS/8/api/json", http.StatusInternalServerError, "read build DTS #8: 500"},
	} {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			st := teststore.SQLite(t)
			srv := jenkinstest.New(t)
			src := newSource(t, srv)
			if res := run(t, st, src); res.Err != nil {
				t.Fatal(res.Err)
			}
			srv.NewBuild("DTS")
			srv.Fail(tc.path, tc.status)
			res := run(t, st, src)
			if res.Err == nil || !strings.Contains(res.Err.Error(), tc.want) {
				t.Fatalf("error %v, want one containing %q", res.Err, tc.want)
			}
			if strings.Contains(res.Err.Error(), token) {
				t.Errorf("the error shows the token: %v", res.Err)
			}
			if all, _ := st.Builds(ctx, catalog.BuildQuery{}); len(all) != 56 {
				t.Errorf("%d builds after the failure, want the 56 read before", len(all))
			}
		})
	}
	t.Run("wrong token", func(t *testing.T) {
		srv := jenkinstest.New(t)
		srv.User, srv.Token = "ospo", "another"
		res := run(t, teststore.SQLite(t), newSource(t, srv))
		if res.Err == nil || !strings.Contains(res.Err.Error(), "401") || strings.Contains(res.Err.Error(), token) {
			t.Errorf("error %v, want a 401 without the token", res.Err)
		}
	})
}

// TestJobURLConfined checks that job URLs the listing gives on another
// host are not followed: the source builds them from the base instead, so
// the credentials stay with the controller.
func TestJobURLConfined(t *testing.T) {
	srv := jenkinstest.New(t)
	src, err := jenkins.New("ci", jenkins.Options{URL: srv.URLBase()})
	if err != nil {
		t.Fatal(err)
	}
	// The captured listing's URLs point at the test server; a hostile one
	// would point elsewhere. Build URLs go through the same check.
	res := run(t, teststore.SQLite(t), src)
	if res.Err != nil {
		t.Fatal(res.Err)
	}
	for _, bad := range []string{"http://evil.example/jenkins/job/x/", "https://" + strings.TrimPrefix(srv.URL, "http://") + "/jenkins/job/x/",
		srv.URL + "/elsewhere/job/x/"} {
		if got := jenkins.JobURL(src, "x", bad); got != srv.URLBase()+"/job/x/" {
			t.Errorf("jobURL(%q) = %q, want it rebuilt from the base", bad, got)
		}
	}
	if got := jenkins.JobURL(src, "folder/a b", "not a url"); got != srv.URLBase()+"/job/folder/job/a%20b/" {
		t.Errorf("jobURL of a nested job = %q", got)
	}
}
