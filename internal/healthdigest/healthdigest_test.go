package healthdigest_test

import (
	"context"
	"encoding/json"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	gosmtp "github.com/emersion/go-smtp"
	"github.com/google/go-cmp/cmp"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/health"
	"github.com/ospo-project/ospo/internal/healthdigest"
	"github.com/ospo-project/ospo/internal/notify"
	"github.com/ospo-project/ospo/internal/store"
	"github.com/ospo-project/ospo/internal/store/teststore"
)

var secret = []byte("digest-signing-key")

// receiver is a webhook receiver on loopback: it verifies each delivery's
// signature and keeps the bodies by path; fail makes it answer 500.
type receiver struct {
	srv  *httptest.Server
	mu   sync.Mutex
	got  map[string][]string
	bad  int
	fail atomic.Bool
}

func startReceiver(t *testing.T) *receiver {
	r := &receiver{got: map[string][]string{}}
	r.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		defer r.mu.Unlock()
		if !notify.Verify(secret, body, req.Header.Get(notify.SignatureHeader)) {
			r.bad++
			http.Error(w, "bad signature", http.StatusUnauthorized)
			return
		}
		if r.fail.Load() {
			http.Error(w, "down", http.StatusInternalServerError)
			return
		}
		r.got[req.URL.Path] = append(r.got[req.URL.Path], string(body))
	}))
	t.Cleanup(r.srv.Close)
	return r
}

func (r *receiver) count(path string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.got[path])
}

// mailbox is an SMTP server on loopback (go-smtp, as the notify and cli
// tests use) keeping each recipient's messages.
type mailbox struct {
	mu  sync.Mutex
	got map[string][]string
}

type session struct {
	mb *mailbox
	to []string
}

func (s *session) Mail(string, *gosmtp.MailOptions) error { return nil }
func (s *session) Rcpt(to string, _ *gosmtp.RcptOptions) error {
	s.to = append(s.to, to)
	return nil
}
func (s *session) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	s.mb.mu.Lock()
	defer s.mb.mu.Unlock()
	for _, to := range s.to {
		s.mb.got[to] = append(s.mb.got[to], string(b))
	}
	return err
}
func (s *session) Reset()        { s.to = nil }
func (s *session) Logout() error { return nil }

func startMailbox(t *testing.T) (*mailbox, string) {
	mb := &mailbox{got: map[string][]string{}}
	srv := gosmtp.NewServer(gosmtp.BackendFunc(func(*gosmtp.Conn) (gosmtp.Session, error) { return &session{mb: mb}, nil }))
	srv.Domain = "localhost"
	srv.ErrorLog = log.New(io.Discard, "", 0)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return mb, ln.Addr().String()
}

func (mb *mailbox) counts() map[string]int {
	mb.mu.Lock()
	defer mb.mu.Unlock()
	out := map[string]int{}
	for k, v := range mb.got {
		out[k] = len(v)
	}
	return out
}

// now is a Wednesday; the week digested is the one starting Monday 23
// November, against the one starting 16 November.
var (
	now        = time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC)
	lastWeek   = time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	weekBefore = time.Date(2026, 11, 16, 0, 0, 0, 0, time.UTC)
)

// report is the teams' health: payments had 3 commits by two people last
// week and 1 the week before; search nothing.
func report(_ context.Context, team string, o health.Options) (health.Report, error) {
	var in health.Input
	if healthdigest.Key(team) == "payments" {
		in.Contributions = []catalog.Contribution{
			{Identity: catalog.Identity{Email: "ann@acme.example"}, Weeks: []catalog.WeekActivity{{Week: weekBefore, Commits: 1}, {Week: lastWeek, Commits: 1}}},
			{Identity: catalog.Identity{Email: "ole@acme.example"}, Weeks: []catalog.WeekActivity{{Week: lastWeek, Commits: 2}}},
		}
	}
	return health.Compute(in, o), nil
}

// TestSendOncePerWeek sends the digest to a team's signed webhook (Slack
// payload), its list address and its members by their preferences, then
// runs again: nothing is sent twice. A failed webhook is tried again by the
// next run; the next week sends again.
func TestSendOncePerWeek(t *testing.T) {
	teststore.Each(t, func(t *testing.T, st store.Store) {
		ctx := context.Background()
		rcv := startReceiver(t)
		mb, addr := startMailbox(t)
		ms := []catalog.Membership{
			{Team: "payments", Email: "ann@acme.example", Source: catalog.MemberFile},
			{Team: "payments", Email: "ole@acme.example", Source: catalog.MemberFile},
			{Team: "payments", Email: "sam@acme.example", Source: catalog.MemberFile},
			{Team: "search", Email: "ole@acme.example", Source: catalog.MemberFile},
		}
		if err := st.ReplaceMemberships(ctx, catalog.MemberFile, ms, nil); err != nil {
			t.Fatal(err)
		}
		// ann wants webhooks only; sam muted digests; ole has the defaults (e-mail).
		if err := st.SetNotifyPreferences(ctx, "ann@acme.example", notify.Preferences{NoEmail: true, Webhook: rcv.srv.URL + "/ann"}, nil); err != nil {
			t.Fatal(err)
		}
		if err := st.SetNotifyPreferences(ctx, "sam@acme.example", notify.Preferences{Mute: []string{notify.TopicDigest}}, nil); err != nil {
			t.Fatal(err)
		}
		clock := now
		n := &notify.Notifier{Prefs: st, Hooks: &notify.Webhooks{Secret: secret, AllowHTTP: true, Attempts: 1},
			Mail: &notify.SMTP{Addr: addr, From: "ospo@acme.example", Insecure: true}}
		s := healthdigest.New(healthdigest.Options{Store: st, Notifier: n, Report: report, Now: func() time.Time { return clock },
			BaseURL: "https://ospo.acme.example",
			Teams: []healthdigest.Team{
				{Name: "@Payments", Email: "payments@acme.example", Webhook: rcv.srv.URL + "/payments", Format: notify.FormatSlack},
				{Name: "search", Webhook: rcv.srv.URL + "/search"},
			}})
		type tally struct{ Sent, Already, Failed int }
		run := func(want map[string]tally) {
			t.Helper()
			rs, err := s.Run(ctx, nil, true)
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]tally{}
			for _, r := range rs {
				got[r.Scope] = tally{r.Sent, r.AlreadySent, r.Failed}
			}
			if d := cmp.Diff(want, got); d != "" {
				t.Errorf("run at %s (-want +got):\n%s", clock.Format(time.DateOnly), d)
			}
		}

		// payments: team webhook, team e-mail, ann (webhook), ole (e-mail);
		// search: its webhook, ole. The webhook receiver is down at first
		// (one attempt: no retry wait): the e-mails go, the webhooks fail
		// and are not recorded; the next run sends only those.
		rcv.fail.Store(true)
		run(map[string]tally{"payments": {Sent: 2, Failed: 2}, "search": {Sent: 1, Failed: 1}})
		rcv.fail.Store(false)
		run(map[string]tally{"payments": {Sent: 2, Already: 2}, "search": {Sent: 1, Already: 1}})
		run(map[string]tally{"payments": {Already: 4}, "search": {Already: 2}})

		for path, want := range map[string]int{"/payments": 1, "/ann": 1, "/search": 1} {
			if got := rcv.count(path); got != want {
				t.Errorf("%s received %d deliveries, want %d", path, got, want)
			}
		}
		if rcv.bad != 0 {
			t.Errorf("%d deliveries had a bad signature", rcv.bad)
		}
		if d := cmp.Diff(map[string]int{"payments@acme.example": 1, "ole@acme.example": 2}, mb.counts()); d != "" {
			t.Errorf("mails (-want +got):\n%s", d)
		}
		var slack struct{ Text string }
		if err := json.Unmarshal([]byte(rcv.got["/payments"][0]), &slack); err != nil {
			t.Fatal(err)
		}
		for _, s := range []string{"*ospo weekly digest: team payments*", "week of 2026-11-23 against the week of 2026-11-16",
			"- commits: 3, was 1 (+2)", "- contributors: 2, was 1 (+1)", "<https://ospo.acme.example/teams/payments/health|Open in ospo>"} {
			if !strings.Contains(slack.Text, s) {
				t.Errorf("Slack payload lacks %q:\n%s", s, slack.Text)
			}
		}
		var m notify.Message
		if err := json.Unmarshal([]byte(rcv.got["/ann"][0]), &m); err != nil || m.To != "ann@acme.example" || m.Topic != notify.TopicDigest {
			t.Errorf("ann's delivery: %+v (%v)", m, err)
		}
		recorded, err := st.DigestRecipients(ctx, "payments", lastWeek)
		if err != nil {
			t.Fatal(err)
		}
		want := []string{"email:payments@acme.example", "member:ann@acme.example", "member:ole@acme.example", "webhook"}
		sort.Strings(want)
		if d := cmp.Diff(want, recorded); d != "" {
			t.Errorf("recorded recipients (-want +got):\n%s", d)
		}
		for _, r := range recorded {
			if strings.Contains(r, "http") {
				t.Errorf("a webhook URL was stored: %q", r)
			}
		}

		// A week later: the next week's digest goes again.
		clock = now.AddDate(0, 0, 7)
		run(map[string]tally{"payments": {Sent: 4}, "search": {Sent: 2}})
		if got := rcv.count("/payments"); got != 2 {
			t.Errorf("team webhook received %d deliveries after two weeks, want 2", got)
		}
	})
}

// TestConcurrentRuns: two senders at once (a cron job beside the worker's
// periodic job) deliver each digest once.
func TestConcurrentRuns(t *testing.T) {
	st := teststore.SQLite(t)
	ctx := context.Background()
	rcv := startReceiver(t)
	if err := st.ReplaceMemberships(ctx, catalog.MemberFile, []catalog.Membership{{Team: "payments", Email: "ann@acme.example", Source: catalog.MemberFile}}, nil); err != nil {
		t.Fatal(err)
	}
	if err := st.SetNotifyPreferences(ctx, "ann@acme.example", notify.Preferences{NoEmail: true, Webhook: rcv.srv.URL + "/ann"}, nil); err != nil {
		t.Fatal(err)
	}
	mk := func() *healthdigest.Sender {
		return healthdigest.New(healthdigest.Options{Store: st, Report: report, Now: func() time.Time { return now },
			Notifier: &notify.Notifier{Prefs: st, Hooks: &notify.Webhooks{Secret: secret, AllowHTTP: true, Attempts: 1}},
			Teams:    []healthdigest.Team{{Name: "payments", Webhook: rcv.srv.URL + "/payments"}}})
	}
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := mk().Run(ctx, []string{"payments"}, true); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if a, p := rcv.count("/ann"), rcv.count("/payments"); a != 1 || p != 1 {
		t.Errorf("deliveries: ann %d, team %d; want 1 each", a, p)
	}
}
