package auth

import (
	"context"
	"net"
	"net/http"
	"strings"
)

type ctxKey struct{}

// Request is what the hub learnt about a request's caller: who it is and
// the CSRF token its forms must carry.
type Request struct {
	Principal *Principal
	// CSRF is the token state-changing forms carry in the field CSRFField
	// (or the header CSRFHeader).
	CSRF string
}

// The names under which a CSRF token travels.
const (
	CSRFField  = "csrf_token"
	CSRFHeader = "X-CSRF-Token"
)

// NewContext returns ctx carrying r.
func NewContext(ctx context.Context, r *Request) context.Context {
	return context.WithValue(ctx, ctxKey{}, r)
}

// FromContext returns the Request of ctx, or an anonymous one with no
// rights when there is none.
func FromContext(ctx context.Context) *Request {
	if r, ok := ctx.Value(ctxKey{}).(*Request); ok && r != nil {
		return r
	}
	return &Request{Principal: &Principal{Via: ViaAnonymous}}
}

// Cookie names of the hub.
const (
	// SessionCookie holds the session id.
	SessionCookie = "ospo_session"
	// PreCSRFCookie holds the CSRF token of a browser that is not signed in
	// yet (the sign-in form): double-submit, compared with the form's.
	PreCSRFCookie = "ospo_csrf"
)

// SetCookie sets a cookie for the whole site, HttpOnly and SameSite=Lax,
// Secure when the request came over TLS or secure is set (a TLS proxy in
// front). maxAge 0 makes it last the browser session, a negative one
// deletes it.
func SetCookie(w http.ResponseWriter, r *http.Request, secure bool, name, value string, maxAge int) {
	http.SetCookie(w, &http.Cookie{Name: name, Value: value, Path: "/", MaxAge: maxAge, HttpOnly: true,
		Secure: r.TLS != nil || secure, SameSite: http.SameSiteLaxMode})
}

// ActorOf returns who makes the request r, for the audit log: its account,
// "hub" (or "api" for /api/ paths) and the client's address.
func ActorOf(r *http.Request) Actor {
	p := FromContext(r.Context()).Principal
	source := "hub"
	if strings.HasPrefix(r.URL.Path, "/api/") {
		source = "api"
	}
	addr := r.RemoteAddr
	if host, _, err := net.SplitHostPort(addr); err == nil {
		addr = host
	}
	return Actor{Name: p.Email(), Source: source, Address: addr}
}
