package hub

import (
	"crypto/subtle"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/ospo-project/ospo/internal/auth"
	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/hub/web"
)

// AuthOptions configure who may use the hub (WithAuth).
type AuthOptions struct {
	// Service signs people in and checks sessions and tokens.
	Service *auth.Service
	// Required says that sign-in is configured (accounts exist, or an OIDC
	// issuer is set): everything but the public routes needs it. When
	// false the hub serves everyone as an anonymous viewer, which
	// cli.serve allows only on a loopback address.
	Required bool
	// AnonymousRead lets people who are not signed in read the catalogue.
	AnonymousRead bool
	// PublicMetrics serves /metrics to anyone.
	PublicMetrics bool
	// SecureCookies marks cookies Secure even on plain HTTP (behind a TLS
	// proxy); requests over TLS get Secure cookies anyway.
	SecureCookies bool
	// Notice is shown at the top of every page when sign-in is not
	// Required; empty means a default that says so.
	Notice string
	// OIDC, when not nil, offers sign-in through an OpenID provider.
	OIDC web.OIDCLogin
}

// WithAuth turns on accounts, sessions, API tokens and the permission check.
func WithAuth(o AuthOptions) Option { return func(opts *options) { opts.auth = &o } }

// publicRoutes are served to anyone, signed in or not.
var publicRoutes = map[string]bool{
	"GET /healthz":            true,
	"GET /readyz":             true,
	"GET /static/":            true,
	"GET /signin":             true,
	"POST /signin":            true,
	"GET /auth/oidc/login":    true,
	"GET /auth/oidc/callback": true,
}

// routeActions is what each route needs, beyond reading the catalogue (the
// action of every other GET route). A route that changes state and is not
// listed here is refused: the check fails closed.
var routeActions = map[string]auth.Action{
	"GET /metrics":                       auth.ReadMetrics,
	"GET /me":                            auth.UseAccount,
	"POST /me/opt-out":                   auth.UseAccount,
	"POST /signout":                      auth.UseAccount,
	"POST /signout-everywhere":           auth.UseAccount,
	"GET /me/tokens":                     auth.UseAccount,
	"POST /me/tokens":                    auth.UseAccount,
	"POST /me/tokens/{id}/revoke":        auth.UseAccount,
	"GET /admin/users":                   auth.ManageAccounts,
	"POST /admin/users":                  auth.ManageAccounts,
	"POST /admin/users/{email}/role":     auth.ManageAccounts,
	"POST /admin/users/{email}/disabled": auth.ManageAccounts,
	"GET /admin/tokens":                  auth.ManageAccounts,
	"POST /admin/tokens/{id}/revoke":     auth.ManageAccounts,
	"GET /admin/audit":                   auth.ReadAudit,
	"GET /admin/jobs":                    auth.ReadMetrics,
	"GET /api/v1/audit":                  auth.ReadAudit,
	"GET /api/v1/me":                     auth.ReadCatalog,
	// Governance: reading requests and the external estate needs an
	// account; opening and acting on requests a developer's (the
	// governance policy then decides who approves); editing the estate
	// the programme office's.
	"GET /requests":                      auth.ReadRequests,
	"GET /requests/new":                  auth.UseRequests,
	"POST /requests":                     auth.UseRequests,
	"GET /requests/{id}":                 auth.ReadRequests,
	"POST /requests/{id}/actions":        auth.UseRequests,
	"GET /requests/{id}/evidence.json":   auth.ReadRequests,
	"GET /requests/{id}/evidence.html":   auth.ReadRequests,
	"GET /external":                      auth.ReadRequests,
	"GET /external/{name}":               auth.ReadRequests,
	"POST /external":                     auth.Review,
	"POST /external/{name}":              auth.Review,
	"POST /external/{name}/attest":       auth.UseRequests,
	"GET /api/v1/requests":               auth.ReadRequests,
	"POST /api/v1/requests":              auth.UseRequests,
	"GET /api/v1/requests/{id}":          auth.ReadRequests,
	"POST /api/v1/requests/{id}/actions": auth.UseRequests,
	"GET /api/v1/requests/{id}/evidence": auth.ReadRequests,
	"GET /api/v1/external":               auth.ReadRequests,
	"GET /pushes":                        auth.PushContribution,
	"GET /pushes/{id}":                   auth.PushContribution,
	"POST /pushes/{id}/approve":          auth.Review,
	"POST /pushes/{id}/reject":           auth.Review,
	"GET /api/v1/pushes":                 auth.PushContribution,
	"GET /api/v1/pushes/{id}":            auth.PushContribution,
	"GET /api/v1/pushes/{id}/diff":       auth.PushContribution,
	"POST /api/v1/pushes/{id}/approve":   auth.Review,
	"POST /api/v1/pushes/{id}/reject":    auth.Review,
	"GET /claims":                        auth.UseAccount,
	"POST /claims":                       auth.UseAccount,
	"POST /claims/{id}/approve":          auth.Review,
	"POST /claims/{id}/reject":           auth.Review,
	"POST /me/leaderboard":               auth.UseAccount,
	// Help posts: the handlers check that the account maintains the
	// project (auth.EditProject with the effective role) or is the OSPO's.
	"POST /innersource/help":              auth.UseAccount,
	"POST /innersource/help/{id}/close":   auth.UseAccount,
	"POST /api/v1/help-wanted":            auth.UseAccount,
	"POST /api/v1/help-wanted/{id}/close": auth.UseAccount,
	"GET /me/inbox":                       auth.UseAccount,
	"GET /new":                            auth.CreateRepository,
	"POST /new":                           auth.CreateRepository,
	"POST /me/inbox":                      auth.UseAccount,
	"GET /api/v1/inbox":                   auth.ReadCatalog,
	"POST /api/v1/inbox/decisions":        auth.UseAccount,
	"GET /api/v1/me/opt-out":              auth.ReadCatalog,
	"POST /api/v1/me/opt-out":             auth.UseAccount,
}

// RouteAction returns what the route pattern needs: public reports a route
// anyone may use; otherwise action is the action the policy checks, and ok
// is false for a route that changes state but has no action (refused).
func RouteAction(pattern string) (action auth.Action, public, ok bool) {
	if publicRoutes[pattern] || signedRoutes[pattern] {
		return "", true, true
	}
	if a, found := routeActions[pattern]; found {
		return a, false, true
	}
	method, _, hasMethod := strings.Cut(pattern, " ")
	// A pattern without a method is a fallback (the API's JSON 404): it
	// reads nothing, as does a request no route matches ("").
	if !hasMethod || method == http.MethodGet || method == http.MethodHead {
		return auth.ReadCatalog, false, true
	}
	return "", false, false
}

// guard authenticates the request and checks it against the policy. It
// answers refused requests itself and returns false; otherwise it returns
// the request with its auth.Request in the context.
func (s *Server) guard(w http.ResponseWriter, r *http.Request) (*http.Request, bool) {
	o := s.auth
	_, pattern := s.mux.Handler(r)
	if signedRoutes[pattern] {
		// The handler authenticates the request by its signature.
		return r, true
	}
	action, public, known := RouteAction(pattern)
	isAPI := strings.HasPrefix(r.URL.Path, "/api/") || r.URL.Path == "/metrics"

	p, err := s.authenticate(w, r)
	if err != nil {
		if !errors.Is(err, auth.ErrUnauthenticated) {
			s.log.Error("authenticate", "err", err)
			http.Error(w, "internal error", http.StatusInternalServerError)
			return nil, false
		}
		w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token"`)
		writeJSONError(w, http.StatusUnauthorized, "invalid, expired or revoked token")
		return nil, false
	}
	req := &auth.Request{Principal: p}
	if p.Via == auth.ViaSession {
		req.CSRF = auth.CSRFToken(p.SessionID)
	} else if c, err := r.Cookie(auth.PreCSRFCookie); err == nil && len(c.Value) == 43 {
		req.CSRF = c.Value
	} else if r.Method == http.MethodGet && pattern == "GET /signin" {
		req.CSRF, _ = auth.NewSessionID()
		s.setCookie(w, r, auth.PreCSRFCookie, req.CSRF, 0)
	}

	if !isSafe(r.Method) && p.Via != auth.ViaToken {
		if err := r.ParseForm(); err != nil {
			if mbe := (*http.MaxBytesError)(nil); errors.As(err, &mbe) {
				http.Error(w, "request body too large", http.StatusRequestEntityTooLarge)
			} else {
				http.Error(w, "bad request: malformed form", http.StatusBadRequest)
			}
			return nil, false
		}
		if err := s.cop.Check(r); err != nil {
			http.Error(w, "forbidden: cross-origin request", http.StatusForbidden)
			return nil, false
		}
		if !checkCSRF(r, p, req.CSRF) {
			http.Error(w, "forbidden: missing or invalid CSRF token; reload the page and try again", http.StatusForbidden)
			return nil, false
		}
	}
	r = r.WithContext(auth.NewContext(r.Context(), req))
	if public {
		return r, true
	}
	if !known {
		s.log.Error("route changes state but has no action in the policy; refused", "route", pattern)
		http.Error(w, "forbidden", http.StatusForbidden)
		return nil, false
	}
	if action == auth.ReadMetrics && o.PublicMetrics {
		return r, true
	}
	if p.Can(action) {
		return r, true
	}
	switch {
	case p.Account == nil && isAPI:
		w.Header().Set("WWW-Authenticate", `Bearer realm="ospo"`)
		writeJSONError(w, http.StatusUnauthorized, "sign-in required: send Authorization: Bearer <token>")
	case p.Account == nil && isSafe(r.Method):
		http.Redirect(w, r, "/signin?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
	case p.Account == nil:
		http.Error(w, "unauthorized: sign in first", http.StatusUnauthorized)
	case isAPI:
		writeJSONError(w, http.StatusForbidden, "forbidden: role "+string(p.Role)+scopeText(p)+" may not "+string(action))
	default:
		http.Error(w, "forbidden: your role ("+string(p.Role)+") may not "+string(action), http.StatusForbidden)
	}
	return nil, false
}

func scopeText(p *auth.Principal) string {
	if p.Via == auth.ViaToken {
		return " with a " + string(p.Scope) + " token"
	}
	return ""
}

// authenticate finds the caller: a bearer token (a malformed, unknown,
// revoked or expired one is an error, never a silent anonymous request), a
// session cookie (an invalid one is cleared and the caller is anonymous),
// or nobody.
func (s *Server) authenticate(w http.ResponseWriter, r *http.Request) (*auth.Principal, error) {
	o := s.auth
	if h := r.Header.Get("Authorization"); h != "" {
		scheme, tok, ok := strings.Cut(h, " ")
		if !ok || !strings.EqualFold(scheme, "Bearer") {
			return nil, auth.ErrUnauthenticated
		}
		return o.Service.Token(r.Context(), strings.TrimSpace(tok))
	}
	if c, err := r.Cookie(auth.SessionCookie); err == nil {
		p, err := o.Service.Session(r.Context(), c.Value)
		if err == nil {
			return p, nil
		}
		if !errors.Is(err, auth.ErrUnauthenticated) {
			return nil, err
		}
		s.setCookie(w, r, auth.SessionCookie, "", -1)
	}
	p := &auth.Principal{Via: auth.ViaAnonymous}
	if !o.Required || o.AnonymousRead {
		p.Role = catalog.RoleViewer
	}
	return p, nil
}

func isSafe(method string) bool {
	return method == http.MethodGet || method == http.MethodHead || method == http.MethodOptions
}

// checkCSRF compares the request's CSRF token (form field or header) with
// the one expected for its caller.
func checkCSRF(r *http.Request, p *auth.Principal, expected string) bool {
	got := r.Header.Get(auth.CSRFHeader)
	if got == "" {
		got = r.PostFormValue(auth.CSRFField)
	}
	if p.Via == auth.ViaSession {
		return auth.CheckCSRF(p.SessionID, got)
	}
	return expected != "" && got != "" && subtle.ConstantTimeCompare([]byte(expected), []byte(got)) == 1
}

func (s *Server) setCookie(w http.ResponseWriter, r *http.Request, name, value string, maxAge int) {
	auth.SetCookie(w, r, s.auth.SecureCookies, name, value, maxAge)
}

func writeJSONError(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(struct {
		Error string `json:"error"`
	}{msg})
}
