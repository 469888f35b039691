package notify

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"errors"
	"io"
	"log"
	"math/big"
	"mime"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	gosmtp "github.com/emersion/go-smtp"
)

// mailbox is an SMTP server started in the test: it offers STARTTLS (when
// tls is set), requires PLAIN authentication over TLS, and keeps what it
// receives.
type mailbox struct {
	mu   sync.Mutex
	got  []received
	addr string
	pool *x509.CertPool
}

type received struct {
	from, to string
	data     []byte
	tls      bool
}

type session struct {
	mb    *mailbox
	conn  *gosmtp.Conn
	auth  bool
	from  string
	to    string
	authn bool
}

func (s *session) AuthMechanisms() []string { return []string{sasl.Plain} }
func (s *session) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, user, pass string) error {
		if user != "ospo" || pass != "s3cret" {
			return errors.New("bad credentials")
		}
		s.auth = true
		return nil
	}), nil
}
func (s *session) Mail(from string, _ *gosmtp.MailOptions) error {
	if s.authn && !s.auth {
		return gosmtp.ErrAuthRequired
	}
	s.from = from
	return nil
}
func (s *session) Rcpt(to string, _ *gosmtp.RcptOptions) error { s.to = to; return nil }
func (s *session) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	_, isTLS := s.conn.TLSConnectionState()
	s.mb.mu.Lock()
	s.mb.got = append(s.mb.got, received{s.from, s.to, b, isTLS})
	s.mb.mu.Unlock()
	return nil
}
func (s *session) Reset()        {}
func (s *session) Logout() error { return nil }

func startMailbox(t *testing.T, withTLS, requireAuth bool) *mailbox {
	t.Helper()
	mb := &mailbox{}
	srv := gosmtp.NewServer(gosmtp.BackendFunc(func(c *gosmtp.Conn) (gosmtp.Session, error) {
		return &session{mb: mb, conn: c, authn: requireAuth}, nil
	}))
	srv.Domain = "localhost"
	srv.ErrorLog = log.New(io.Discard, "", 0)
	srv.ReadTimeout, srv.WriteTimeout = 10*time.Second, 10*time.Second
	if withTLS {
		cfg, pool := selfSigned(t)
		srv.TLSConfig, mb.pool = cfg, pool
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	mb.addr = ln.Addr().String()
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return mb
}

func selfSigned(t *testing.T) (*tls.Config, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "127.0.0.1"},
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}}, pool
}

func TestSMTPStartTLS(t *testing.T) {
	mb := startMailbox(t, true, true)
	m := &SMTP{Addr: mb.addr, From: "OSPO <ospo@example.com>", Username: "ospo", Password: "s3cret",
		TLS: &tls.Config{RootCAs: mb.pool, ServerName: "127.0.0.1"}}
	msg := Message{To: "ann@example.com", Topic: TopicRequestDecided, Subject: "Request #3 approved: ünï\r\nBcc: evil@example.com",
		Text: "Approved by olga.\n.\nDone", Link: "https://ospo.example.com/requests/3"}
	if err := m.Send(context.Background(), msg); err != nil {
		t.Fatal(err)
	}
	if len(mb.got) != 1 {
		t.Fatalf("%d messages delivered", len(mb.got))
	}
	g := mb.got[0]
	if !g.tls || g.from != "ospo@example.com" || g.to != "ann@example.com" {
		t.Errorf("delivered %+v", g)
	}
	text := string(g.data)
	if strings.Contains(text, "\r\nBcc:") {
		t.Errorf("header injected:\n%s", text)
	}
	var subject string
	for _, l := range strings.Split(text, "\r\n") {
		if s, ok := strings.CutPrefix(l, "Subject: "); ok {
			subject, _ = new(mime.WordDecoder).DecodeHeader(s)
		}
	}
	if subject != "Request #3 approved: ünï Bcc: evil@example.com" {
		t.Errorf("subject %q", subject)
	}
	if !strings.Contains(text, "https://ospo.example.com/requests/3") || !strings.Contains(text, "Approved by olga.") {
		t.Errorf("body:\n%s", text)
	}
}

func TestSMTPRefusals(t *testing.T) {
	plain := startMailbox(t, false, false)
	tlsBox := startMailbox(t, true, true)
	msg := Message{To: "ann@example.com", Subject: "x"}
	tests := []struct {
		name string
		s    *SMTP
		want string
	}{
		{"no STARTTLS", &SMTP{Addr: plain.addr, From: "ospo@example.com"}, "offers no STARTTLS"},
		{"no STARTTLS with password even when insecure", &SMTP{Addr: plain.addr, From: "ospo@example.com", Insecure: true, Username: "u", Password: "s3cret"}, "offers no STARTTLS"},
		{"untrusted certificate", &SMTP{Addr: tlsBox.addr, From: "ospo@example.com"}, "STARTTLS"},
		{"wrong password", &SMTP{Addr: tlsBox.addr, From: "ospo@example.com", Username: "ospo", Password: "wrong-pw",
			TLS: &tls.Config{RootCAs: tlsBox.pool, ServerName: "127.0.0.1"}}, "authenticate"},
		{"bad recipient", &SMTP{Addr: tlsBox.addr, From: "ospo@example.com"}, "not an address"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := msg
			if tt.name == "bad recipient" {
				m.To = "not an address\r\n"
			}
			err := tt.s.Send(context.Background(), m)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want %q", err, tt.want)
			}
			if tt.s.Password != "" && strings.Contains(err.Error(), tt.s.Password) {
				t.Errorf("the password is in the error: %v", err)
			}
		})
	}
	// A relay on the same machine without TLS, when allowed, delivers.
	if err := (&SMTP{Addr: plain.addr, From: "ospo@example.com", Insecure: true}).Send(context.Background(), msg); err != nil {
		t.Fatal(err)
	}
	if len(plain.got) != 1 || plain.got[0].tls {
		t.Errorf("insecure relay: %+v", plain.got)
	}
}

func TestWebhookSignedAndRetried(t *testing.T) {
	secret := []byte("hook-secret")
	var calls atomic.Int32
	var mu sync.Mutex
	var deliveries []string
	var last []byte
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if !Verify(secret, body, r.Header.Get(SignatureHeader)) {
			http.Error(w, "bad signature", http.StatusUnauthorized)
			return
		}
		mu.Lock()
		deliveries = append(deliveries, r.Header.Get(DeliveryHeader))
		last = body
		mu.Unlock()
		if calls.Add(1) < 3 {
			http.Error(w, "busy", http.StatusServiceUnavailable)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	}))
	defer srv.Close()
	w := &Webhooks{Secret: secret, AllowHTTP: true, Backoff: time.Millisecond}
	m := Message{To: "ann@example.com", Topic: TopicRequestWaiting, Subject: "Request #1 waits on you", Text: "<b>hi</b> & bye", Link: "https://ospo/requests/1"}
	if err := w.Post(context.Background(), srv.URL+"/secret-path", FormatJSON, m); err != nil {
		t.Fatal(err)
	}
	if calls.Load() != 3 || deliveries[0] != deliveries[2] || deliveries[0] == "" {
		t.Errorf("%d calls, deliveries %v: want 3 with one id", calls.Load(), deliveries)
	}
	var got Message
	if err := json.Unmarshal(last, &got); err != nil || got.Subject != m.Subject || got.Text != m.Text {
		t.Errorf("payload %s: %v", last, err)
	}
}

func TestWebhookFailures(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		if strings.Contains(r.URL.Path, "gone") {
			http.Error(w, "gone", http.StatusGone)
			return
		}
		http.Error(w, "down", http.StatusBadGateway)
	}))
	defer srv.Close()
	w := &Webhooks{AllowHTTP: true, Backoff: time.Millisecond, Attempts: 3}
	m := Message{To: "a@b", Subject: "s"}
	err := w.Post(context.Background(), srv.URL+"/gone/secret-token", "", m)
	if err == nil || calls.Load() != 1 || strings.Contains(err.Error(), "secret-token") {
		t.Errorf("4xx: %v after %d calls (final, URL path not shown)", err, calls.Load())
	}
	calls.Store(0)
	if err := w.Post(context.Background(), srv.URL+"/down", "", m); err == nil || calls.Load() != 3 {
		t.Errorf("5xx: %v after %d calls, want 3", err, calls.Load())
	}
	if err := (&Webhooks{}).Post(context.Background(), srv.URL, "", m); err == nil || !strings.Contains(err.Error(), "https") {
		t.Errorf("http without AllowHTTP: %v", err)
	}
	if err := w.Post(context.Background(), srv.URL, "xml", m); err == nil {
		t.Error("unknown format accepted")
	}
}

func TestPayloads(t *testing.T) {
	m := Message{To: "a@b", Subject: "Request <#1> & co", Text: "needs *you*", Link: "https://ospo/requests/1"}
	slack, _ := Payload(FormatSlack, m)
	var s map[string]string
	json.Unmarshal(slack, &s)
	if s["text"] != "*Request &lt;#1&gt; &amp; co*\nneeds *you*\n<https://ospo/requests/1|Open in ospo>" {
		t.Errorf("slack: %q", s["text"])
	}
	teams, _ := Payload(FormatTeams, m)
	var c map[string]any
	json.Unmarshal(teams, &c)
	if c["@type"] != "MessageCard" || c["title"] != m.Subject || !bytes.Contains(teams, []byte(`"uri":"https://ospo/requests/1"`)) {
		t.Errorf("teams: %s", teams)
	}
}

type prefs map[string]Preferences

func (p prefs) NotifyPreferences(_ context.Context, email string) (Preferences, error) {
	return p[email], nil
}

func TestNotifierByPreferences(t *testing.T) {
	mb := startMailbox(t, true, false)
	var hooked atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hooked.Add(1) }))
	defer srv.Close()
	n := &Notifier{
		Prefs: prefs{
			"hook@example.com":  {NoEmail: true, Webhook: srv.URL, Format: FormatSlack},
			"muted@example.com": {Mute: []string{TopicDigest}},
		},
		Mail:  &SMTP{Addr: mb.addr, From: "ospo@example.com", TLS: &tls.Config{RootCAs: mb.pool, ServerName: "127.0.0.1"}},
		Hooks: &Webhooks{AllowHTTP: true, Backoff: time.Millisecond},
	}
	ctx := context.Background()
	for _, m := range []Message{
		{To: "ann@example.com", Topic: TopicDigest, Subject: "digest"},
		{To: "hook@example.com", Topic: TopicDigest, Subject: "digest"},
		{To: "muted@example.com", Topic: TopicDigest, Subject: "digest"},
		{To: "muted@example.com", Topic: TopicRequestDecided, Subject: "decided"},
	} {
		if err := n.Send(ctx, m); err != nil {
			t.Fatal(err)
		}
	}
	var to []string
	for _, g := range mb.got {
		to = append(to, g.to)
	}
	if strings.Join(to, ",") != "ann@example.com,muted@example.com" || hooked.Load() != 1 {
		t.Errorf("mailed %v, %d webhooks; want ann and muted (decided only), 1 webhook", to, hooked.Load())
	}
	if err := (&Notifier{}).Send(ctx, Message{}); err == nil {
		t.Error("a message without recipient was accepted")
	}
}
