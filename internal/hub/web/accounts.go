package web

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/ospo-project/ospo/internal/auth"
	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/store"
)

// OIDCLogin is sign-in through an OpenID provider: Login sends the browser
// to the provider, Callback receives it back, signs the person in and
// redirects. Name is the provider's name on the sign-in page.
type OIDCLogin interface {
	Name() string
	Login(w http.ResponseWriter, r *http.Request)
	Callback(w http.ResponseWriter, r *http.Request)
}

// AccountDeps is what the account pages need.
type AccountDeps struct {
	Service *auth.Service
	Store   store.Store
	// Required says that sign-in is configured; when false the hub serves
	// everyone read-only, on a loopback address only.
	Required      bool
	SecureCookies bool
	OIDC          OIDCLogin
}

// RegisterAccounts adds the sign-in, "me", token and administration pages.
// The hub's permission check runs before each (see hub.RouteAction); the
// handlers only check what depends on the object (whose token it is).
func (p *Pages) RegisterAccounts(mux Mux, d AccountDeps) {
	p.acc = d
	mux.HandleFunc("GET /signin", p.signinPage)
	mux.HandleFunc("POST /signin", p.signin)
	mux.HandleFunc("POST /signout", p.signout)
	mux.HandleFunc("POST /signout-everywhere", p.signoutEverywhere)
	mux.HandleFunc("GET /me", p.me)
	mux.HandleFunc("POST /me/opt-out", p.setOptOut)
	mux.HandleFunc("GET /me/inbox", p.inboxPage)
	mux.HandleFunc("POST /me/inbox", p.decideInbox)
	mux.HandleFunc("GET /me/tokens", p.myTokens)
	mux.HandleFunc("POST /me/tokens", p.createToken)
	mux.HandleFunc("POST /me/tokens/{id}/revoke", p.revokeMyToken)
	mux.HandleFunc("GET /admin/users", p.users)
	mux.HandleFunc("POST /admin/users", p.addUser)
	mux.HandleFunc("POST /admin/users/{email}/role", p.setRole)
	mux.HandleFunc("POST /admin/users/{email}/disabled", p.setDisabled)
	mux.HandleFunc("GET /admin/tokens", p.allTokens)
	mux.HandleFunc("POST /admin/tokens/{id}/revoke", p.revokeAnyToken)
	mux.HandleFunc("GET /admin/audit", p.auditLog)
	if d.OIDC != nil {
		mux.HandleFunc("GET /auth/oidc/login", d.OIDC.Login)
		mux.HandleFunc("GET /auth/oidc/callback", d.OIDC.Callback)
	}
}

// accountData is what every account page shows: who is signed in and the
// CSRF token of its forms.
func accountData(r *http.Request, title string) map[string]any {
	req := auth.FromContext(r.Context())
	return map[string]any{"Title": title, "Principal": req.Principal, "Account": req.Principal.Account, "CSRF": req.CSRF}
}

// localPath returns next when it is a path on this site, else "/me": a
// sign-in never redirects elsewhere.
func localPath(next string) string {
	if next == "" || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return "/me"
	}
	u, err := url.Parse(next)
	if err != nil || u.Host != "" || u.Scheme != "" {
		return "/me"
	}
	return next
}

// failChange answers a failed change by the error table (catalog.FaultOf):
// bad input is a 400 with its reason, a name taken a 409, an unknown
// object a 404; anything else is a 500, logged here.
func (p *Pages) failChange(w http.ResponseWriter, err error) {
	f := catalog.FaultOf(err)
	if f.Status >= 500 {
		p.log.Error("change failed", "err", err)
	}
	http.Error(w, f.Text, f.Status)
}
