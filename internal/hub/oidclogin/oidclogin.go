// Package oidclogin signs people in to the hub through an OpenID Connect
// provider (Entra ID, Okta, Keycloak, Dex…): the authorization code flow
// with PKCE (S256), a state and a nonce checked on return, the ID token's
// signature, issuer, audience and expiry verified (github.com/coreos/go-oidc),
// its e-mail and groups claims (configurable names, completed from the
// userinfo endpoint) mapped to an account, a role and team memberships.
//
// The state, nonce and PKCE verifier travel in a short-lived HttpOnly
// cookie scoped to /auth/oidc/, so any hub replica can finish a sign-in
// another began. Nothing the provider returns (codes, tokens) is logged.
package oidclogin

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"github.com/ospo-project/ospo/internal/auth"
	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/store"
)

// Config is what the provider and the claims mapping need.
type Config struct {
	Issuer       string
	ClientID     string
	ClientSecret string
	// RedirectURL is the hub's /auth/oidc/callback as the provider knows it.
	RedirectURL string
	// Scopes besides openid; nil means email, profile and groups.
	Scopes []string
	// EmailClaim and GroupsClaim name the claims; empty means "email" and
	// "groups".
	EmailClaim, GroupsClaim string
	// RoleGroups maps a role to the groups granting it; the highest wins.
	RoleGroups map[catalog.Role][]string
	// DefaultRole is the role of a person in none of RoleGroups (developer
	// if empty).
	DefaultRole catalog.Role
	// Name is shown on the sign-in button; empty means the issuer's host.
	Name string
	// SecureCookies marks cookies Secure on plain HTTP too (a TLS proxy).
	SecureCookies bool
	// TrustEmail takes the e-mail claim as verified when the provider sends
	// no email_verified claim (Entra ID does not). Without it, only an
	// e-mail with email_verified true creates or links an account.
	TrustEmail bool
}

// Provider is one OpenID provider. It implements web.OIDCLogin.
type Provider struct {
	cfg      Config
	oauth    oauth2.Config
	provider *oidc.Provider
	verifier *oidc.IDTokenVerifier
	svc      *auth.Service
	st       store.Store
	log      *slog.Logger
	// endSession ends the browser's previous session after a sign-in.
	now func() time.Time
}

// New discovers the provider at cfg.Issuer (its /.well-known/openid-configuration)
// and returns the Provider. ctx bounds the discovery and carries the HTTP
// client go-oidc uses (oidc.ClientContext).
func New(ctx context.Context, cfg Config, svc *auth.Service, st store.Store, log *slog.Logger) (*Provider, error) {
	if cfg.Issuer == "" || cfg.ClientID == "" || cfg.RedirectURL == "" {
		return nil, errors.New("oidc: issuer, client_id and redirect_url are required")
	}
	if err := checkRole(cfg.DefaultRole); err != nil {
		return nil, err
	}
	for r := range cfg.RoleGroups {
		if err := checkRole(r); err != nil {
			return nil, err
		}
	}
	p, err := oidc.NewProvider(ctx, cfg.Issuer)
	if err != nil {
		return nil, fmt.Errorf("oidc: discover %s: %w", cfg.Issuer, err)
	}
	scopes := cfg.Scopes
	if scopes == nil {
		scopes = []string{"email", "profile", "groups"}
	}
	if cfg.EmailClaim == "" {
		cfg.EmailClaim = "email"
	}
	if cfg.GroupsClaim == "" {
		cfg.GroupsClaim = "groups"
	}
	if cfg.Name == "" {
		if u, err := url.Parse(cfg.Issuer); err == nil {
			cfg.Name = u.Host
		}
	}
	return &Provider{
		cfg: cfg,
		oauth: oauth2.Config{ClientID: cfg.ClientID, ClientSecret: cfg.ClientSecret, RedirectURL: cfg.RedirectURL,
			Endpoint: p.Endpoint(), Scopes: append([]string{oidc.ScopeOpenID}, scopes...)},
		provider: p,
		verifier: p.Verifier(&oidc.Config{ClientID: cfg.ClientID}),
		svc:      svc, st: st, log: log, now: time.Now,
	}, nil
}

func checkRole(r catalog.Role) error {
	if r != "" && (!r.Valid() || r == catalog.RoleMaintainer) {
		return fmt.Errorf("oidc: unknown role %q (want one of %s)", r, auth.RoleNames())
	}
	return nil
}

// Name implements web.OIDCLogin.
func (p *Provider) Name() string { return p.cfg.Name }

// flowCookie carries the state of one sign-in between Login and Callback.
const flowCookie = "ospo_oidc"

type flow struct {
	State    string `json:"s"`
	Nonce    string `json:"n"`
	Verifier string `json:"v"`
	Next     string `json:"x"`
}

func random() string {
	b := make([]byte, 32)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// Login implements web.OIDCLogin: it starts a sign-in and redirects the
// browser to the provider.
func (p *Provider) Login(w http.ResponseWriter, r *http.Request) {
	f := flow{State: random(), Nonce: random(), Verifier: oauth2.GenerateVerifier(), Next: localPath(r.URL.Query().Get("next"))}
	b, _ := json.Marshal(f)
	http.SetCookie(w, &http.Cookie{Name: flowCookie, Value: base64.RawURLEncoding.EncodeToString(b), Path: "/auth/oidc/",
		MaxAge: 600, HttpOnly: true, Secure: r.TLS != nil || p.cfg.SecureCookies, SameSite: http.SameSiteLaxMode})
	http.Redirect(w, r, p.oauth.AuthCodeURL(f.State, oidc.Nonce(f.Nonce), oauth2.S256ChallengeOption(f.Verifier)), http.StatusFound)
}

// localPath returns next when it is a path on this site, else "/me".
func localPath(next string) string {
	if next == "" || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return "/me"
	}
	return next
}

// fail answers a failed sign-in with a clear 4xx; detail goes to the log,
// never a code or a token.
func (p *Provider) fail(w http.ResponseWriter, status int, msg string, err error) {
	if err != nil {
		p.log.Info("oidc sign-in refused", "reason", msg, "err", err)
	} else {
		p.log.Info("oidc sign-in refused", "reason", msg)
	}
	http.Error(w, "sign-in failed: "+msg, status)
}

// Callback implements web.OIDCLogin: it checks state, exchanges the code
// with the PKCE verifier, verifies the ID token and its nonce, and signs
// the person in.
func (p *Provider) Callback(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	c, err := r.Cookie(flowCookie)
	if err != nil {
		p.fail(w, http.StatusBadRequest, "no sign-in in progress in this browser (expired or started elsewhere); start again", nil)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: flowCookie, Value: "", Path: "/auth/oidc/", MaxAge: -1, HttpOnly: true,
		Secure: r.TLS != nil || p.cfg.SecureCookies, SameSite: http.SameSiteLaxMode})
	var f flow
	raw, err := base64.RawURLEncoding.DecodeString(c.Value)
	if err != nil || json.Unmarshal(raw, &f) != nil || f.State == "" || f.Nonce == "" || f.Verifier == "" {
		p.fail(w, http.StatusBadRequest, "the sign-in cookie is damaged; start again", nil)
		return
	}
	q := r.URL.Query()
	if e := q.Get("error"); e != "" {
		p.fail(w, http.StatusUnauthorized, "the provider refused: "+truncate(e, 100), nil)
		return
	}
	if subtle.ConstantTimeCompare([]byte(q.Get("state")), []byte(f.State)) != 1 {
		p.fail(w, http.StatusBadRequest, "state does not match this browser's sign-in", nil)
		return
	}
	code := q.Get("code")
	if code == "" || len(code) > 4096 {
		p.fail(w, http.StatusBadRequest, "no authorization code", nil)
		return
	}
	tok, err := p.oauth.Exchange(ctx, code, oauth2.VerifierOption(f.Verifier))
	if err != nil {
		p.fail(w, http.StatusUnauthorized, "the provider did not accept the authorization code", err)
		return
	}
	rawID, _ := tok.Extra("id_token").(string)
	if rawID == "" {
		p.fail(w, http.StatusUnauthorized, "the provider sent no ID token", nil)
		return
	}
	idt, err := p.verifier.Verify(ctx, rawID)
	if err != nil {
		p.fail(w, http.StatusUnauthorized, "the ID token does not verify", err)
		return
	}
	if subtle.ConstantTimeCompare([]byte(idt.Nonce), []byte(f.Nonce)) != 1 {
		p.fail(w, http.StatusBadRequest, "the ID token's nonce does not match this sign-in", nil)
		return
	}
	claims := map[string]any{}
	if err := idt.Claims(&claims); err != nil {
		p.fail(w, http.StatusUnauthorized, "the ID token's claims do not decode", err)
		return
	}
	// Providers put the e-mail and groups in the ID token or only in the
	// userinfo answer: complete what the ID token lacks.
	if _, ok := claims[p.cfg.EmailClaim]; !ok || claims[p.cfg.GroupsClaim] == nil {
		if ui, err := p.provider.UserInfo(ctx, oauth2.StaticTokenSource(tok)); err == nil && ui.Subject == idt.Subject {
			more := map[string]any{}
			if ui.Claims(&more) == nil {
				for k, v := range more {
					if _, have := claims[k]; !have {
						claims[k] = v
					}
				}
			}
		}
	}
	id, err := p.identify(idt.Issuer, idt.Subject, claims)
	if err != nil {
		p.fail(w, http.StatusForbidden, err.Error(), nil)
		return
	}
	ns, err := p.signIn(ctx, r, id)
	if err != nil {
		if errors.Is(err, auth.ErrDisabled) {
			p.fail(w, http.StatusForbidden, "account disabled", nil)
			return
		}
		if errors.Is(err, errUnverified) {
			p.fail(w, http.StatusForbidden, "the provider has not verified this e-mail address", nil)
			return
		}
		p.log.Error("oidc sign-in", "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	if old, err := r.Cookie(auth.SessionCookie); err == nil {
		if h, err := auth.ParseSessionID(old.Value); err == nil {
			p.st.DeleteSession(ctx, h, nil)
		}
	}
	auth.SetCookie(w, r, p.cfg.SecureCookies, auth.SessionCookie, ns.ID, int(ns.Session.ExpiresAt.Sub(ns.Session.CreatedAt).Seconds()))
	http.Redirect(w, r, f.Next, http.StatusSeeOther)
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

// errUnverified: the provider has not verified the e-mail, which therefore
// neither creates nor links an account.
var errUnverified = errors.New("e-mail not verified")

// identity is who the provider says signed in.
type identity struct {
	Issuer, Subject, Email string
	Verified               bool
	Groups                 []string
	Role                   catalog.Role
}

// identify reads the e-mail, its verification and the groups from claims
// and maps the groups to a role.
func (p *Provider) identify(issuer, subject string, claims map[string]any) (identity, error) {
	id := identity{Issuer: issuer, Subject: subject}
	id.Email, _ = claims[p.cfg.EmailClaim].(string)
	id.Email = strings.ToLower(strings.TrimSpace(id.Email))
	if id.Email == "" {
		return id, fmt.Errorf("the provider gave no %q claim", p.cfg.EmailClaim)
	}
	id.Verified = p.cfg.TrustEmail
	if v, ok := claims["email_verified"].(bool); ok {
		id.Verified = v
	}
	switch g := claims[p.cfg.GroupsClaim].(type) {
	case []any:
		for _, x := range g {
			if s, ok := x.(string); ok && s != "" {
				id.Groups = append(id.Groups, s)
			}
		}
	case string:
		id.Groups = strings.Fields(strings.ReplaceAll(g, ",", " "))
	}
	slices.Sort(id.Groups)
	id.Groups = slices.Compact(id.Groups)
	id.Role = p.cfg.DefaultRole
	if id.Role == "" {
		id.Role = catalog.RoleDeveloper
	}
	if len(p.cfg.RoleGroups) > 0 {
		best := catalog.Role("")
		for role, groups := range p.cfg.RoleGroups {
			for _, g := range groups {
				if slices.Contains(id.Groups, g) && role.Rank() > best.Rank() {
					best = role
				}
			}
		}
		if best != "" {
			id.Role = best
		}
	}
	return id, nil
}

// signIn finds the account of id (by its OIDC subject, else by a verified
// e-mail, which links it), creates it at the first sign-in, brings its role
// and teams in line with the groups, and opens a session. Each change is
// audited, made by the person signing in, from the hub.
func (p *Provider) signIn(ctx context.Context, r *http.Request, id identity) (*auth.NewSession, error) {
	by := auth.ActorOf(r)
	by.Name = id.Email
	now := p.now().UTC()
	acc, err := p.st.AccountBySubject(ctx, id.Issuer, id.Subject)
	if errors.Is(err, store.ErrNotFound) {
		if !id.Verified {
			return nil, errUnverified
		}
		acc, err = p.st.Account(ctx, id.Email)
		switch {
		case errors.Is(err, store.ErrNotFound):
			created, err := p.st.CreateAccount(ctx, catalog.Account{Email: id.Email, Role: id.Role, Issuer: id.Issuer, Subject: id.Subject, CreatedAt: now},
				by.Entry(auth.ActAccountCreate, now))
			if err != nil {
				return nil, err
			}
			acc = &created
		case err != nil:
			return nil, err
		default:
			_, acc, err = p.st.UpdateAccount(ctx, acc.ID, store.AccountUpdate{Issuer: &id.Issuer, Subject: &id.Subject},
				by.Entry("account.link-oidc", now))
			if err != nil {
				return nil, err
			}
		}
	} else if err != nil {
		return nil, err
	}
	if acc.Disabled {
		return nil, auth.ErrDisabled
	}
	if len(p.cfg.RoleGroups) > 0 && acc.Role != id.Role {
		role := id.Role
		if _, acc, err = p.st.UpdateAccount(ctx, acc.ID, store.AccountUpdate{Role: &role}, by.Entry(auth.ActAccountRole, now)); err != nil {
			return nil, err
		}
	}
	ms, err := p.st.Memberships(ctx, acc.Email)
	if err != nil {
		return nil, err
	}
	var have []string
	for _, m := range ms {
		if m.Source == catalog.MemberOIDC {
			have = append(have, m.Team)
		}
	}
	if !slices.Equal(have, id.Groups) {
		if err := p.st.SetAccountMemberships(ctx, acc.Email, catalog.MemberOIDC, id.Groups, by.Entry("memberships.set", now)); err != nil {
			return nil, err
		}
	}
	return p.svc.StartSession(ctx, by, acc, r.UserAgent())
}
