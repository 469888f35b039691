package storetest

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ospo-project/ospo/internal/audit"
	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/store"
)

// accountTests cover store.AccountStore.
var accountTests = []namedTest{
	{"Accounts/RoundTrip", testAccountRoundTrip},
	{"Accounts/Invalid", testAccountInvalid},
	{"Accounts/Update", testAccountUpdate},
	{"Sessions", testSessions},
	{"Tokens", testTokens},
	{"Memberships", testMemberships},
	{"Accounts/Audited", testAccountAudited},
}

func mustAccount(t *testing.T, s store.Store, email string, role catalog.Role) catalog.Account {
	t.Helper()
	a, err := s.CreateAccount(context.Background(), catalog.Account{Email: email, Name: "Name of " + email, Role: role,
		PasswordHash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA", CreatedAt: t0}, nil)
	if err != nil {
		t.Fatalf("CreateAccount(%s): %v", email, err)
	}
	return a
}

func testAccountRoundTrip(t *testing.T, s store.Store) {
	ctx := context.Background()
	a := mustAccount(t, s, "Ann@Example.COM ", catalog.RoleAdmin)
	if a.ID == 0 || a.Email != "ann@example.com" {
		t.Fatalf("CreateAccount = %+v, want an ID and the e-mail lower-cased", a)
	}
	b := mustAccount(t, s, "bob@example.com", catalog.RoleViewer)
	got, err := s.Account(ctx, "ANN@example.com")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(&a, got, opts); diff != "" {
		t.Errorf("Account (-want +got):\n%s", diff)
	}
	if got, err := s.AccountByID(ctx, b.ID); err != nil || got.Email != "bob@example.com" || got.Role != catalog.RoleViewer {
		t.Errorf("AccountByID = %+v, %v", got, err)
	}
	all, err := s.ListAccounts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]catalog.Account{a, b}, all, opts); diff != "" {
		t.Errorf("ListAccounts (-want +got):\n%s", diff)
	}
	if _, err := s.Account(ctx, "nobody@example.com"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Account(unknown) = %v, want ErrNotFound", err)
	}
	if _, err := s.AccountByID(ctx, 9999); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("AccountByID(unknown) = %v, want ErrNotFound", err)
	}
	iss, sub := "https://idp.example.com", "sub-123"
	if _, _, err := s.UpdateAccount(ctx, b.ID, store.AccountUpdate{Issuer: &iss, Subject: &sub}, nil); err != nil {
		t.Fatal(err)
	}
	if got, err := s.AccountBySubject(ctx, iss, sub); err != nil || got.ID != b.ID {
		t.Errorf("AccountBySubject = %+v, %v; want bob", got, err)
	}
	if _, err := s.AccountBySubject(ctx, iss, ""); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("AccountBySubject(empty subject) = %v, want ErrNotFound", err)
	}
}

func testAccountInvalid(t *testing.T, s store.Store) {
	ctx := context.Background()
	mustAccount(t, s, "ann@example.com", catalog.RoleDeveloper)
	for _, tc := range []struct {
		a    catalog.Account
		want error
	}{
		{catalog.Account{Email: "ANN@example.com", Role: catalog.RoleViewer}, store.ErrExists},
		{catalog.Account{Email: " ", Role: catalog.RoleViewer}, store.ErrInvalid},
		{catalog.Account{Email: "x@example.com", Role: "root"}, store.ErrInvalid},
	} {
		if _, err := s.CreateAccount(ctx, tc.a, nil); !errors.Is(err, tc.want) {
			t.Errorf("CreateAccount(%+v) = %v, want %v", tc.a, err, tc.want)
		}
	}
	bad := catalog.Role("root")
	if _, _, err := s.UpdateAccount(ctx, 1, store.AccountUpdate{Role: &bad}, nil); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("UpdateAccount(role root) = %v, want ErrInvalid", err)
	}
	role := catalog.RoleAdmin
	if _, _, err := s.UpdateAccount(ctx, 9999, store.AccountUpdate{Role: &role}, nil); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("UpdateAccount(unknown) = %v, want ErrNotFound", err)
	}
}

func testAccountUpdate(t *testing.T, s store.Store) {
	ctx := context.Background()
	a := mustAccount(t, s, "ann@example.com", catalog.RoleDeveloper)
	role, disabled, login := catalog.RoleOSPO, true, t0.Add(time.Hour)
	if err := s.CreateSession(ctx, session("h1", a.ID), nil); err != nil {
		t.Fatal(err)
	}
	before, after, err := s.UpdateAccount(ctx, a.ID, store.AccountUpdate{Role: &role, Disabled: &disabled, LastLogin: &login}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if before.Role != catalog.RoleDeveloper || before.Disabled {
		t.Errorf("before = %+v, want the account as it was", before)
	}
	want := a
	want.Role, want.Disabled, want.LastLogin = role, true, login
	if diff := cmp.Diff(&want, after, opts); diff != "" {
		t.Errorf("after (-want +got):\n%s", diff)
	}
	got, err := s.Account(ctx, a.Email)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(&want, got, opts); diff != "" {
		t.Errorf("Account after update (-want +got):\n%s", diff)
	}
	if _, err := s.Session(ctx, "h1"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("a disabled account's session is still there: %v", err)
	}
}

func session(hash string, account int64) catalog.Session {
	return catalog.Session{IDHash: hash, AccountID: account, CreatedAt: t0, LastSeen: t0, ExpiresAt: t0.Add(24 * time.Hour),
		Address: "192.0.2.1", UserAgent: "test"}
}

func testSessions(t *testing.T, s store.Store) {
	ctx := context.Background()
	a := mustAccount(t, s, "ann@example.com", catalog.RoleDeveloper)
	b := mustAccount(t, s, "bob@example.com", catalog.RoleDeveloper)
	s1, s2, s3 := session("h1", a.ID), session("h2", a.ID), session("h3", b.ID)
	s2.ExpiresAt = t0.Add(time.Hour)
	for _, se := range []catalog.Session{s1, s2, s3} {
		if err := s.CreateSession(ctx, se, nil); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.CreateSession(ctx, session("h4", 9999), nil); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("CreateSession(unknown account) = %v, want ErrNotFound", err)
	}
	got, err := s.Session(ctx, "h1")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(&s1, got, opts); diff != "" {
		t.Errorf("Session (-want +got):\n%s", diff)
	}
	if err := s.TouchSession(ctx, "h1", t0.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Session(ctx, "h1"); got == nil || !got.LastSeen.Equal(t0.Add(time.Minute)) {
		t.Errorf("TouchSession did not move LastSeen: %+v", got)
	}
	if err := s.TouchSession(ctx, "nope", t0); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("TouchSession(unknown) = %v, want ErrNotFound", err)
	}
	// s2 has expired two hours on; s3 is idle since t0; s1 was seen at t0+1m.
	n, err := s.DeleteExpiredSessions(ctx, t0.Add(2*time.Hour), t0.Add(30*time.Second))
	if err != nil || n != 2 {
		t.Errorf("DeleteExpiredSessions = %d, %v; want 2", n, err)
	}
	if _, err := s.Session(ctx, "h1"); err != nil {
		t.Errorf("a live session was deleted: %v", err)
	}
	if err := s.CreateSession(ctx, session("h5", a.ID), nil); err != nil {
		t.Fatal(err)
	}
	if n, err := s.DeleteSessions(ctx, a.ID, nil); err != nil || n != 2 {
		t.Errorf("DeleteSessions = %d, %v; want 2", n, err)
	}
	if err := s.DeleteSession(ctx, "h1", nil); err != nil {
		t.Errorf("DeleteSession of a deleted session: %v", err)
	}
	if _, err := s.Session(ctx, "h5"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Session after sign-out everywhere = %v, want ErrNotFound", err)
	}
}

func testTokens(t *testing.T, s store.Store) {
	ctx := context.Background()
	a := mustAccount(t, s, "ann@example.com", catalog.RoleDeveloper)
	b := mustAccount(t, s, "bob@example.com", catalog.RoleAdmin)
	k1, err := s.CreateToken(ctx, catalog.APIToken{AccountID: a.ID, Name: "ci", Hash: "aa", Prefix: "ospo_aaaa", Scope: catalog.ScopeRead,
		CreatedAt: t0, ExpiresAt: t0.Add(90 * 24 * time.Hour)}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if k1.ID == 0 || k1.Email != "ann@example.com" {
		t.Errorf("CreateToken = %+v, want an ID and the account's e-mail", k1)
	}
	k2, err := s.CreateToken(ctx, catalog.APIToken{AccountID: b.ID, Hash: "bb", Prefix: "ospo_bbbb", Scope: catalog.ScopeAdmin, CreatedAt: t0.Add(time.Hour)}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		k    catalog.APIToken
		want error
	}{
		{catalog.APIToken{AccountID: a.ID, Hash: "aa", Scope: catalog.ScopeRead}, store.ErrExists},
		{catalog.APIToken{AccountID: a.ID, Hash: "cc", Scope: "root"}, store.ErrInvalid},
		{catalog.APIToken{AccountID: a.ID, Scope: catalog.ScopeRead}, store.ErrInvalid},
		{catalog.APIToken{AccountID: 9999, Hash: "dd", Scope: catalog.ScopeRead}, store.ErrNotFound},
	} {
		if _, err := s.CreateToken(ctx, tc.k, nil); !errors.Is(err, tc.want) {
			t.Errorf("CreateToken(%+v) = %v, want %v", tc.k, err, tc.want)
		}
	}
	got, err := s.TokenByHash(ctx, "aa")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(&k1, got, opts); diff != "" {
		t.Errorf("TokenByHash (-want +got):\n%s", diff)
	}
	if _, err := s.TokenByHash(ctx, "zz"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("TokenByHash(unknown) = %v, want ErrNotFound", err)
	}
	if err := s.TouchToken(ctx, k1.ID, t0.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Token(ctx, k1.ID); got == nil || !got.LastUsed.Equal(t0.Add(time.Minute)) {
		t.Errorf("TouchToken did not set LastUsed: %+v", got)
	}
	before, err := s.RevokeToken(ctx, k2.ID, t0.Add(2*time.Hour), nil)
	if err != nil || !before.RevokedAt.IsZero() {
		t.Fatalf("RevokeToken = %+v, %v; want the token before revocation", before, err)
	}
	if _, err := s.RevokeToken(ctx, k2.ID, t0.Add(3*time.Hour), nil); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Token(ctx, k2.ID); got == nil || !got.RevokedAt.Equal(t0.Add(2*time.Hour)) || got.Active(t0.Add(time.Hour)) {
		t.Errorf("revoked token = %+v, want revoked at the first revocation", got)
	}
	if _, err := s.RevokeToken(ctx, 9999, t0, nil); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("RevokeToken(unknown) = %v, want ErrNotFound", err)
	}
	ids := func(f store.TokenFilter) []int64 {
		ks, err := s.ListTokens(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		var out []int64
		for _, k := range ks {
			out = append(out, k.ID)
		}
		return out
	}
	if diff := cmp.Diff([]int64{k1.ID}, ids(store.TokenFilter{})); diff != "" {
		t.Errorf("ListTokens(active) (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]int64{k2.ID, k1.ID}, ids(store.TokenFilter{IncludeRevoked: true})); diff != "" {
		t.Errorf("ListTokens(all, newest first) (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]int64{k2.ID}, ids(store.TokenFilter{AccountID: b.ID, IncludeRevoked: true})); diff != "" {
		t.Errorf("ListTokens(bob) (-want +got):\n%s", diff)
	}
}

func testMemberships(t *testing.T, s store.Store) {
	ctx := context.Background()
	file := []catalog.Membership{
		{Team: "payments", Email: "Ann@example.com", Source: catalog.MemberFile},
		{Team: "payments", Email: "ann@example.com", Source: catalog.MemberFile}, // a duplicate
		{Team: "search", Email: "bob@example.com", Source: catalog.MemberFile},
	}
	if err := s.ReplaceMemberships(ctx, catalog.MemberFile, file, nil); err != nil {
		t.Fatal(err)
	}
	if err := s.SetAccountMemberships(ctx, "ann@example.com", catalog.MemberOIDC, []string{"payments", "sre", "sre", ""}, nil); err != nil {
		t.Fatal(err)
	}
	got, err := s.Memberships(ctx, "ANN@example.com")
	if err != nil {
		t.Fatal(err)
	}
	want := []catalog.Membership{
		{Team: "payments", Email: "ann@example.com", Source: catalog.MemberFile},
		{Team: "payments", Email: "ann@example.com", Source: catalog.MemberOIDC},
		{Team: "sre", Email: "ann@example.com", Source: catalog.MemberOIDC},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Memberships(ann) (-want +got):\n%s", diff)
	}
	// Replacing the file's memberships leaves OIDC's alone.
	if err := s.ReplaceMemberships(ctx, catalog.MemberFile, nil, nil); err != nil {
		t.Fatal(err)
	}
	all, err := s.Memberships(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want[1:], all); diff != "" {
		t.Errorf("Memberships after replacing the file's (-want +got):\n%s", diff)
	}
	for _, bad := range [][]catalog.Membership{
		{{Team: "", Email: "a@example.com", Source: catalog.MemberFile}},
		{{Team: "t", Email: "a@example.com", Source: catalog.MemberOIDC}},
	} {
		if err := s.ReplaceMemberships(ctx, catalog.MemberFile, bad, nil); !errors.Is(err, store.ErrInvalid) {
			t.Errorf("ReplaceMemberships(%+v) = %v, want ErrInvalid", bad, err)
		}
	}
	if err := s.ReplaceMemberships(ctx, "ldap", nil, nil); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("ReplaceMemberships(unknown source) = %v, want ErrInvalid", err)
	}
}

// testAccountAudited checks that a change given an audit entry appends it
// in its transaction, with the object and its states, and that a change
// whose entry is refused is not made.
func testAccountAudited(t *testing.T, s store.Store) {
	ctx := context.Background()
	by := func(action string) *catalog.AuditEntry {
		return &catalog.AuditEntry{At: t0, Actor: "root", Source: "cli", Action: action}
	}
	e1 := by("account.create")
	a, err := s.CreateAccount(ctx, catalog.Account{Email: "ann@example.com", Role: catalog.RoleViewer, PasswordHash: "$argon2id$secret"}, e1)
	if err != nil {
		t.Fatal(err)
	}
	if e1.Seq != 1 || e1.Object != "account:ann@example.com" || e1.Before != "" || !strings.Contains(e1.After, `"role":"viewer"`) {
		t.Errorf("CreateAccount's entry = %+v", e1)
	}
	role := catalog.RoleAdmin
	e2 := by("account.set-role")
	if _, _, err := s.UpdateAccount(ctx, a.ID, store.AccountUpdate{Role: &role}, e2); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(e2.Before, `"role":"viewer"`) || !strings.Contains(e2.After, `"role":"admin"`) || e2.PrevHash != e1.Hash {
		t.Errorf("UpdateAccount's entry = %+v", e2)
	}
	e3 := by("token.create")
	k, err := s.CreateToken(ctx, catalog.APIToken{AccountID: a.ID, Hash: "h", Prefix: "ospo_x", Scope: catalog.ScopeRead}, e3)
	if err != nil {
		t.Fatal(err)
	}
	e4 := by("token.revoke")
	if _, err := s.RevokeToken(ctx, k.ID, t0, e4); err != nil {
		t.Fatal(err)
	}
	e5 := by("session.create")
	if err := s.CreateSession(ctx, session("sessionhash-1", a.ID), e5); err != nil {
		t.Fatal(err)
	}
	e6 := by("session.delete")
	if err := s.DeleteSession(ctx, "sessionhash-1", e6); err != nil {
		t.Fatal(err)
	}
	e7 := by("session.delete-all")
	if _, err := s.DeleteSessions(ctx, a.ID, e7); err != nil {
		t.Fatal(err)
	}
	e8 := by("memberships.replace")
	if err := s.ReplaceMemberships(ctx, catalog.MemberFile, []catalog.Membership{{Team: "t", Email: "ann@example.com", Source: catalog.MemberFile}}, e8); err != nil {
		t.Fatal(err)
	}
	e9 := by("memberships.set")
	if err := s.SetAccountMemberships(ctx, "ann@example.com", catalog.MemberOIDC, []string{"t"}, e9); err != nil {
		t.Fatal(err)
	}
	all, err := s.ListAudit(ctx, store.AuditFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, e := range all {
		actions = append(actions, e.Action)
		for _, secret := range []string{"$argon2id$secret", `"h"`, "sessionhash-1"} {
			if strings.Contains(e.Before+e.After, secret) {
				t.Errorf("entry %d holds a secret %q: %s %s", e.Seq, secret, e.Before, e.After)
			}
		}
	}
	want := []string{"account.create", "account.set-role", "token.create", "token.revoke", "session.create", "session.delete",
		"session.delete-all", "memberships.replace", "memberships.set"}
	if diff := cmp.Diff(want, actions); diff != "" {
		t.Errorf("audit actions (-want +got):\n%s", diff)
	}
	// An entry the log refuses (no actor) undoes the change.
	if _, err := s.CreateAccount(ctx, catalog.Account{Email: "bob@example.com", Role: catalog.RoleViewer},
		&catalog.AuditEntry{At: t0, Action: "account.create"}); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("CreateAccount with an invalid entry = %v, want ErrInvalid", err)
	}
	if _, err := s.Account(ctx, "bob@example.com"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("the account was created although its audit entry was refused: %v", err)
	}
	if n, err := audit.Verify(s.AuditEntries(ctx)); err != nil || n != int64(len(want)) {
		t.Errorf("Verify = %d, %v", n, err)
	}
}
