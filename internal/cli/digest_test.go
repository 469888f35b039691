package cli_test

import (
	"io"
	"net"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	gosmtp "github.com/emersion/go-smtp"

	"github.com/ospo-project/ospo/internal/catalog"
)

// relay is an SMTP relay on loopback that keeps the recipients and bodies.
type relay struct {
	mu  sync.Mutex
	got map[string]string
	n   map[string]int // messages per recipient
}

type relaySession struct {
	r  *relay
	to []string
}

func (s *relaySession) Mail(string, *gosmtp.MailOptions) error { return nil }
func (s *relaySession) Rcpt(to string, _ *gosmtp.RcptOptions) error {
	s.to = append(s.to, to)
	return nil
}
func (s *relaySession) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	s.r.mu.Lock()
	defer s.r.mu.Unlock()
	for _, to := range s.to {
		s.r.got[to] = string(b)
		s.r.n[to]++
	}
	return err
}
func (s *relaySession) Reset()        { s.to = nil }
func (s *relaySession) Logout() error { return nil }

func startRelay(t *testing.T) (*relay, string) {
	t.Helper()
	r := &relay{got: map[string]string{}, n: map[string]int{}}
	srv := gosmtp.NewServer(gosmtp.BackendFunc(func(*gosmtp.Conn) (gosmtp.Session, error) { return &relaySession{r: r}, nil }))
	srv.Domain = "localhost"
	srv.AllowInsecureAuth = true
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return r, ln.Addr().String()
}

// TestHealthDigest: a team's weekly digest says what moved between its
// last two complete weeks, on stdout and as JSON; --send mails it to the
// team's address from ospo.yaml and to each member (the relay receives it)
// but not to one who muted digests; a second --send (cron running again)
// sends nothing.
func TestHealthDigest(t *testing.T) {
	isolate(t)
	root := t.TempDir()
	monday := catalog.WeekOf(time.Now().UTC())
	lastWeek, weekBefore := monday.AddDate(0, 0, -7).Add(10*time.Hour), monday.AddDate(0, 0, -14).Add(10*time.Hour)
	market := filepath.Join(root, "market")
	os.MkdirAll(filepath.Join(market, ".github"), 0o755)
	git(t, market, nil, "init", "-q", "-b", "main")
	write(t, filepath.Join(market, ".github", "CODEOWNERS"), "* @acme/payments\n")
	write(t, filepath.Join(market, "main.go"), "package main\n\nfunc main() {}\n")
	commit(t, market, "Ann", "ann@acme.example", weekBefore.Format(time.RFC3339))
	for i, who := range []string{"ann", "ole", "ole"} {
		write(t, filepath.Join(market, "pay.go"), "package main\n\nfunc pay() int { return "+string(rune('1'+i))+" }\n")
		commit(t, market, who, who+"@acme.example", lastWeek.Add(time.Duration(i)*time.Hour).Format(time.RFC3339))
	}
	teamsFile := filepath.Join(root, "teams.yaml")
	write(t, teamsFile, "teams:\n  payments:\n    members: [ann@acme.example, ole@acme.example, sam@acme.example]\n")
	rl, addr := startRelay(t)
	write(t, "ospo.yaml", "governance:\n  notify:\n    smtp:\n      addr: "+addr+"\n      from: ospo@acme.example\n      insecure: true\n"+
		"health:\n  digest:\n    teams:\n      payments:\n        email: payments-list@acme.example\n")
	runSteps(t, []step{
		{args: []string{"teams", "import", teamsFile}},
		{args: []string{"scan", "-q", root}},
		{args: []string{"notify", "set", "sam@acme.example", "--mute", "digest"}},
		{args: []string{"health", "digest"}, stdout: []string{"Health of payments, week of " + monday.AddDate(0, 0, -7).Format(time.DateOnly),
			"- commits: 3, was 1 (+2)", "- contributors: 2, was 1 (+1)", "- new contributors: 1, was 1"}},
		{args: []string{"health", "digest", "payments", "--send"},
			stdout: []string{"sent to 3 recipients (3 members, channels: email:payments-list@acme.example), 0 had it already, 0 failed"}},
		{args: []string{"health", "digest", "--send", "--format", "json"}, stdout: []string{`"scope": "payments"`, `"sent": 0`, `"already_sent": 3`}},
	})
	rl.mu.Lock()
	defer rl.mu.Unlock()
	var to []string
	for k := range rl.got {
		to = append(to, k)
	}
	sort.Strings(to)
	if strings.Join(to, ",") != "ann@acme.example,ole@acme.example,payments-list@acme.example" {
		t.Errorf("mailed to %v, want ann, ole and the team's list (sam muted digests)", to)
	}
	for who, n := range rl.n {
		if n != 1 {
			t.Errorf("%s got %d digests, want 1", who, n)
		}
	}
	if body := rl.got["ann@acme.example"]; !strings.Contains(body, "commits: 3, was 1 (+2)") || !strings.Contains(body, "weekly digest: team payments") {
		t.Errorf("mail to ann:\n%s", body)
	}
}
