package auth_test

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ospo-project/ospo/internal/auth"
	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/store"
	"github.com/ospo-project/ospo/internal/store/sqlite"
)

var fast = auth.Argon2Params{MemoryKiB: 1024, Time: 1, Threads: 1}

func TestPassword(t *testing.T) {
	h, err := auth.HashPassword("correct horse battery", fast)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=1024,t=1,p=1$") || strings.Contains(h, "correct horse") {
		t.Errorf("hash = %q, want a PHC argon2id string", h)
	}
	for _, tc := range []struct {
		pw   string
		want bool
	}{{"correct horse battery", true}, {"correct horse batterY", false}, {"", false}, {strings.Repeat("x", 5000), false}} {
		if ok, err := auth.CheckPassword(h, tc.pw); ok != tc.want || err != nil {
			t.Errorf("CheckPassword(%.20q) = %v, %v; want %v", tc.pw, ok, err, tc.want)
		}
	}
	for _, bad := range []string{"", "plain", "$argon2i$v=19$m=1024,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA",
		"$argon2id$v=19$m=99999999,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA", "$argon2id$v=19$m=1024,t=1,p=1$!!$aGFzaA",
		"$argon2id$v=18$m=1024,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA"} {
		if _, err := auth.CheckPassword(bad, "x"); !errors.Is(err, auth.ErrBadHash) {
			t.Errorf("CheckPassword(%q) = %v, want ErrBadHash", bad, err)
		}
	}
	for _, weak := range []string{"short", "\xff\xfe invalid utf8", strings.Repeat("x", 2000)} {
		if _, err := auth.HashPassword(weak, fast); !errors.Is(err, auth.ErrWeakPassword) {
			t.Errorf("HashPassword(%.10q) = %v, want ErrWeakPassword", weak, err)
		}
	}
	h2, _ := auth.HashPassword("correct horse battery", fast)
	if h == h2 {
		t.Error("two hashes of one password are equal: no salt")
	}
}

func TestTokens(t *testing.T) {
	secret, prefix, hash := auth.NewToken()
	if !strings.HasPrefix(secret, "ospo_") || !strings.HasPrefix(secret, prefix) || len(prefix) >= len(secret)/2 {
		t.Errorf("NewToken = %q, %q", secret, prefix)
	}
	if got, err := auth.ParseToken(secret); err != nil || got != hash {
		t.Errorf("ParseToken(new) = %q, %v; want its hash", got, err)
	}
	for _, bad := range []string{"", "ospo_", "ghp_" + secret[5:], secret + "x", secret[:len(secret)-1] + "!", strings.Repeat("a", 10000)} {
		if _, err := auth.ParseToken(bad); !errors.Is(err, auth.ErrMalformedToken) {
			t.Errorf("ParseToken(%.20q) = %v, want ErrMalformedToken", bad, err)
		}
	}
	id, _ := auth.NewSessionID()
	other, _ := auth.NewSessionID()
	tok := auth.CSRFToken(id)
	if !auth.CheckCSRF(id, tok) || auth.CheckCSRF(other, tok) || auth.CheckCSRF(id, "") || auth.CheckCSRF(id, tok+"x") {
		t.Error("CheckCSRF accepts a token of another session, or refuses its own")
	}
}

// TestPolicy spells out the whole table, so that a change to it is a
// deliberate change to this test too.
func TestPolicy(t *testing.T) {
	want := map[auth.Action]string{ // viewer developer maintainer ospo admin
		auth.ReadCatalog:      "VVVVV",
		auth.UseAccount:       "VVVVV",
		auth.EditProject:      "..VVV",
		auth.CreateRepository: ".VVVV",
		auth.Review:           "...VV",
		auth.PushContribution: ".VVVV",
		auth.ReadAudit:        "...VV",
		auth.ReadMetrics:      "...VV",
		auth.ManageAccounts:   "....V",
		auth.UseRequests:      ".VVVV",
		auth.ReadRequests:     "VVVVV",
	}
	for _, a := range auth.Actions() {
		var got strings.Builder
		for _, r := range catalog.Roles {
			if auth.Allowed(r, a) {
				got.WriteByte('V')
			} else {
				got.WriteByte('.')
			}
		}
		if got.String() != want[a] {
			t.Errorf("%s: roles allowed %s, want %s", a, got.String(), want[a])
		}
		if auth.Allowed("root", a) || auth.Allowed("", a) {
			t.Errorf("%s: an unknown role is allowed", a)
		}
	}
	if auth.Allowed(catalog.RoleAdmin, "nuke") {
		t.Error("an unknown action is allowed")
	}
	if auth.EffectiveRole(catalog.RoleDeveloper, true) != catalog.RoleMaintainer || auth.EffectiveRole(catalog.RoleViewer, true) != catalog.RoleViewer ||
		auth.EffectiveRole(catalog.RoleDeveloper, false) != catalog.RoleDeveloper {
		t.Error("EffectiveRole: only a developer who owns the object is its maintainer")
	}
	admin := &catalog.Account{Email: "a@example.com", Role: catalog.RoleAdmin}
	for _, tc := range []struct {
		p    *auth.Principal
		a    auth.Action
		want bool
	}{
		{&auth.Principal{Account: admin, Role: catalog.RoleAdmin, Via: auth.ViaToken, Scope: catalog.ScopeRead}, auth.ReadCatalog, true},
		{&auth.Principal{Account: admin, Role: catalog.RoleAdmin, Via: auth.ViaToken, Scope: catalog.ScopeRead}, auth.ManageAccounts, false},
		{&auth.Principal{Account: admin, Role: catalog.RoleAdmin, Via: auth.ViaToken, Scope: catalog.ScopeWrite}, auth.UseAccount, true},
		{&auth.Principal{Account: admin, Role: catalog.RoleAdmin, Via: auth.ViaToken, Scope: catalog.ScopeAdmin}, auth.ManageAccounts, true},
		{&auth.Principal{Account: admin, Role: catalog.RoleAdmin, Via: auth.ViaSession}, auth.ManageAccounts, true},
		{&auth.Principal{Account: &catalog.Account{Role: catalog.RoleAdmin, Disabled: true}, Role: catalog.RoleAdmin, Via: auth.ViaSession}, auth.ReadCatalog, false},
		{&auth.Principal{Role: catalog.RoleViewer, Via: auth.ViaAnonymous}, auth.ReadCatalog, true},
		{&auth.Principal{Role: catalog.RoleViewer, Via: auth.ViaAnonymous}, auth.UseAccount, false},
		{&auth.Principal{Via: auth.ViaAnonymous}, auth.ReadCatalog, false},
		{nil, auth.ReadCatalog, false},
	} {
		if got := tc.p.Can(tc.a); got != tc.want {
			t.Errorf("%+v.Can(%s) = %v, want %v", tc.p, tc.a, got, tc.want)
		}
	}
}

func TestLimiter(t *testing.T) {
	l := auth.NewLimiter(3, time.Minute)
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range 3 {
		if !l.Allow("k", now) {
			t.Fatalf("refused after %d failures", i)
		}
		l.Fail("k", now.Add(time.Duration(i)*time.Second))
	}
	if l.Allow("k", now.Add(10*time.Second)) {
		t.Error("allowed after 3 failures within the window")
	}
	if !l.Allow("other", now) {
		t.Error("another key is refused")
	}
	if !l.Allow("k", now.Add(time.Minute+time.Second)) {
		t.Error("still refused once the first failure left the window")
	}
	l.Reset("k")
	if !l.Allow("k", now.Add(10*time.Second)) {
		t.Error("refused after Reset")
	}
}

func TestDuration(t *testing.T) {
	for in, want := range map[string]time.Duration{"90d": 90 * 24 * time.Hour, "12h": 12 * time.Hour, "1d12h": 36 * time.Hour, "30m": 30 * time.Minute} {
		if got, err := auth.ParseDuration(in); err != nil || got != want {
			t.Errorf("ParseDuration(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "d", "-1d", "90x", "1d-2h", "99999d"} {
		if _, err := auth.ParseDuration(bad); !errors.Is(err, store.ErrInvalid) {
			t.Errorf("ParseDuration(%q) = %v, want ErrInvalid", bad, err)
		}
	}
}

// clock is a settable time for the service.
type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

func newService(t *testing.T) (*auth.Service, *clock) {
	t.Helper()
	st, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "ospo.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	c := &clock{time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)}
	s := auth.NewService(st)
	s.Argon2, s.Now = fast, c.now
	return s, c
}

var root = auth.Actor{Name: "root", Source: "cli"}

func TestSignInAndSessions(t *testing.T) {
	ctx := context.Background()
	s, c := newService(t)
	if _, err := s.CreateAccount(ctx, root, "Ann@Example.com", "", "correct horse battery"); err != nil {
		t.Fatal(err)
	}
	web := auth.Actor{Source: "hub", Address: "192.0.2.1"}
	if _, err := s.SignIn(ctx, web, "ann@example.com", "wrong password!", "ua"); !errors.Is(err, auth.ErrBadCredentials) {
		t.Errorf("wrong password: %v", err)
	}
	if _, err := s.SignIn(ctx, web, "nobody@example.com", "correct horse battery", "ua"); !errors.Is(err, auth.ErrBadCredentials) {
		t.Errorf("unknown account: %v", err)
	}
	ns, err := s.SignIn(ctx, web, "ANN@example.com", "correct horse battery", "ua")
	if err != nil {
		t.Fatal(err)
	}
	p, err := s.Session(ctx, ns.ID)
	if err != nil || p.Email() != "ann@example.com" || p.Role != catalog.RoleDeveloper || p.Via != auth.ViaSession {
		t.Fatalf("Session = %+v, %v", p, err)
	}
	for _, bad := range []string{"", "x", ns.ID + "x", strings.Repeat("A", 43)} {
		if _, err := s.Session(ctx, bad); !errors.Is(err, auth.ErrUnauthenticated) {
			t.Errorf("Session(%q) = %v, want ErrUnauthenticated", bad, err)
		}
	}
	// Idle expiry.
	c.t = c.t.Add(13 * time.Hour)
	if _, err := s.Session(ctx, ns.ID); !errors.Is(err, auth.ErrUnauthenticated) {
		t.Errorf("idle session = %v, want ErrUnauthenticated", err)
	}
	// Absolute expiry, even when used all along.
	ns, err = s.SignIn(ctx, web, "ann@example.com", "correct horse battery", "ua")
	if err != nil {
		t.Fatal(err)
	}
	for range 7 * 24 / 6 {
		c.t = c.t.Add(6 * time.Hour)
		if _, err := s.Session(ctx, ns.ID); err != nil {
			break
		}
	}
	if _, err := s.Session(ctx, ns.ID); !errors.Is(err, auth.ErrUnauthenticated) {
		t.Errorf("session past its absolute expiry = %v", err)
	}
	// Sign out, sign out everywhere, disable.
	a1, _ := s.SignIn(ctx, web, "ann@example.com", "correct horse battery", "ua")
	a2, _ := s.SignIn(ctx, web, "ann@example.com", "correct horse battery", "ua")
	if a1.ID == a2.ID {
		t.Fatal("two sign-ins share a session id")
	}
	web.Name = "ann@example.com"
	if err := s.SignOut(ctx, web, a1.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Session(ctx, a1.ID); !errors.Is(err, auth.ErrUnauthenticated) {
		t.Errorf("session after sign-out = %v", err)
	}
	if _, err := s.Session(ctx, a2.ID); err != nil {
		t.Errorf("the other session ended too: %v", err)
	}
	if n, err := s.SignOutEverywhere(ctx, web, a2.Account.ID); err != nil || n != 1 {
		t.Errorf("SignOutEverywhere = %d, %v", n, err)
	}
	// Sweeping deletes the expired sessions, none of the live ones.
	live, _ := s.SignIn(ctx, web, "ann@example.com", "correct horse battery", "ua")
	c.t = c.t.Add(13 * time.Hour)
	fresh, _ := s.SignIn(ctx, web, "ann@example.com", "correct horse battery", "ua")
	if n, err := s.SweepSessions(ctx); err != nil || n != 1 {
		t.Errorf("SweepSessions = %d, %v; want the idle one", n, err)
	}
	if _, err := s.Store.Session(ctx, auth.HashSecret(live.ID)); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("the idle session is still stored: %v", err)
	}
	if _, err := s.Session(ctx, fresh.ID); err != nil {
		t.Errorf("the fresh session was swept: %v", err)
	}
	if _, err := s.SetDisabled(ctx, root, "ann@example.com", true); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SignIn(ctx, web, "ann@example.com", "correct horse battery", "ua"); !errors.Is(err, auth.ErrDisabled) {
		t.Errorf("disabled account signs in: %v", err)
	}
}

func TestSignInRateLimit(t *testing.T) {
	ctx := context.Background()
	s, c := newService(t)
	s.PerAccount = auth.NewLimiter(3, time.Minute)
	s.PerAddress = auth.NewLimiter(5, time.Minute)
	for _, e := range []string{"ann@example.com", "bob@example.com"} {
		if _, err := s.CreateAccount(ctx, root, e, "", "correct horse battery"); err != nil {
			t.Fatal(err)
		}
	}
	from := func(addr string) auth.Actor { return auth.Actor{Source: "hub", Address: addr} }
	for range 3 {
		s.SignIn(ctx, from("192.0.2.1"), "ann@example.com", "wrong wrong wrong", "")
	}
	if _, err := s.SignIn(ctx, from("192.0.2.99"), "ann@example.com", "correct horse battery", ""); !errors.Is(err, auth.ErrRateLimited) {
		t.Errorf("per-account limit: %v, want ErrRateLimited even with the right password", err)
	}
	if _, err := s.SignIn(ctx, from("192.0.2.1"), "bob@example.com", "correct horse battery", ""); err != nil {
		t.Errorf("another account from the same address is refused too early: %v", err)
	}
	for range 2 {
		s.SignIn(ctx, from("192.0.2.1"), "bob@example.com", "wrong wrong wrong", "")
	}
	if _, err := s.SignIn(ctx, from("192.0.2.1"), "carl@example.com", "whatever whatever", ""); !errors.Is(err, auth.ErrRateLimited) {
		t.Errorf("per-address limit: %v, want ErrRateLimited", err)
	}
	c.t = c.t.Add(2 * time.Minute)
	if _, err := s.SignIn(ctx, from("192.0.2.1"), "ann@example.com", "correct horse battery", ""); err != nil {
		t.Errorf("still limited after the window: %v", err)
	}
}

func TestAPITokens(t *testing.T) {
	ctx := context.Background()
	s, c := newService(t)
	if _, err := s.CreateAccount(ctx, root, "ann@example.com", catalog.RoleOSPO, ""); err != nil {
		t.Fatal(err)
	}
	secret, k, err := s.CreateToken(ctx, root, "ann@example.com", "ci", "", 90*24*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if k.Scope != catalog.ScopeRead || k.Hash == secret || !k.ExpiresAt.Equal(c.t.Add(90*24*time.Hour)) {
		t.Errorf("token = %+v", k)
	}
	p, err := s.Token(ctx, secret)
	if err != nil || p.Email() != "ann@example.com" || !p.Can(auth.ReadAudit) || p.Can(auth.UseAccount) {
		t.Fatalf("Token = %+v, %v; want ann with read scope", p, err)
	}
	if _, err := s.Token(ctx, "ospo_"+strings.Repeat("A", 43)); !errors.Is(err, auth.ErrUnauthenticated) {
		t.Errorf("unknown token: %v", err)
	}
	c.t = c.t.Add(91 * 24 * time.Hour)
	if _, err := s.Token(ctx, secret); !errors.Is(err, auth.ErrUnauthenticated) {
		t.Errorf("expired token: %v", err)
	}
	secret2, k2, err := s.CreateToken(ctx, root, "ann@example.com", "", catalog.ScopeWrite, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.RevokeToken(ctx, root, k2.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Token(ctx, secret2); !errors.Is(err, auth.ErrUnauthenticated) {
		t.Errorf("revoked token: %v", err)
	}
	if _, _, err := s.CreateToken(ctx, root, "ann@example.com", "", "root", 0); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("scope root: %v", err)
	}
	if _, _, err := s.CreateToken(ctx, root, "nobody@example.com", "", "", 0); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("unknown account: %v", err)
	}
}
