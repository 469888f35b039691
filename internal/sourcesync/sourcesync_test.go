package sourcesync_test

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/sourcesync"
	"github.com/ospo-project/ospo/internal/store/sqlite"
)

// fakeSource is a source whose outcome the test chooses.
type fakeSource struct {
	out   sourcesync.Outcome
	err   error
	panic bool
	saw   catalog.SourceState
}

func (f *fakeSource) Sync(ctx context.Context, prev catalog.SourceState, sink sourcesync.Sink) (sourcesync.Outcome, error) {
	f.saw = prev
	if f.panic {
		panic("boom")
	}
	return f.out, f.err
}

func TestRun(t *testing.T) {
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "ospo.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	at := time.Date(2025, 6, 7, 8, 9, 10, 0, time.UTC)
	now := func() time.Time { return at }
	const secret = "tok-SECRET-1234"
	good := &fakeSource{out: sourcesync.Outcome{Cursor: map[string]string{"page1": `"e1"`}, Requests: 3, NotModified: 1,
		Rate: catalog.RateLimit{Limit: 5000, Remaining: 4997}}}
	jobs := []sourcesync.Job{
		{Name: "bad", Kind: catalog.SourceGitHub, Source: &fakeSource{err: errors.New("GET /orgs/acme/repos?token=" + secret + ": 500")}, Secrets: []string{secret}},
		{Name: "crash", Kind: catalog.SourceGitHub, Source: &fakeSource{panic: true}},
		{Name: "unset", Kind: catalog.SourceGitHub, Err: errors.New("environment variable X is not set")},
		{Name: "good", Kind: catalog.SourceBackstage, Source: good},
	}
	res, err := sourcesync.Run(ctx, st, jobs, now)
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 4 {
		t.Fatalf("%d results, want 4", len(res))
	}
	for i, want := range []string{"[redacted]", "internal error: boom", "is not set", ""} {
		got := ""
		if res[i].Err != nil {
			got = res[i].Err.Error()
		}
		if (want == "") != (got == "") || !strings.Contains(got, want) || strings.Contains(got, secret) {
			t.Errorf("%s: error %q, want one containing %q", res[i].Name, got, want)
		}
	}
	bad, _ := st.SourceState(ctx, "bad")
	if bad.Status != catalog.SyncFailed || strings.Contains(bad.LastError, secret) || !bad.LastSuccess.IsZero() {
		t.Errorf("bad = %+v", bad)
	}
	g, _ := st.SourceState(ctx, "good")
	if g.Status != catalog.SyncOK || !g.LastSuccess.Equal(at) || g.Cursor["page1"] != `"e1"` || g.Requests != 3 || g.Rate.Remaining != 4997 {
		t.Errorf("good = %+v", g)
	}

	// The next run hands the source its cursor; a failure keeps it and the
	// last success.
	good.err = errors.New("timeout")
	at = at.Add(time.Hour)
	res, _ = sourcesync.Run(ctx, st, jobs[3:], now)
	if good.saw.Cursor["page1"] != `"e1"` {
		t.Errorf("the source was given %+v, want the saved cursor", good.saw)
	}
	g, _ = st.SourceState(ctx, "good")
	if g.Status != catalog.SyncFailed || g.LastError != "timeout" || !g.LastSuccess.Equal(at.Add(-time.Hour)) ||
		!g.LastAttempt.Equal(at) || g.Cursor["page1"] != `"e1"` {
		t.Errorf("after a failure good = %+v", g)
	}
	if res[0].Err == nil {
		t.Error("no error reported")
	}
}

func TestDue(t *testing.T) {
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		last time.Time
		now  time.Time
		want bool
	}{
		{time.Time{}, t0, true},
		{t0, t0.Add(59 * time.Minute), false},
		{t0, t0.Add(time.Hour), true},
	} {
		if got := sourcesync.Due(tc.last, time.Hour, tc.now); got != tc.want {
			t.Errorf("Due(%v, 1h, %v) = %v", tc.last, tc.now, got)
		}
	}
}
