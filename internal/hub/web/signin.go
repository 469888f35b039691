package web

import (
	"errors"
	"net/http"

	"github.com/ospo-project/ospo/internal/auth"
)

// signinPage shows the sign-in form (and the OIDC button when configured).
func (p *Pages) signinPage(w http.ResponseWriter, r *http.Request) {
	p.renderSignin(w, r, http.StatusOK, "")
}

func (p *Pages) renderSignin(w http.ResponseWriter, r *http.Request, status int, problem string) {
	d := accountData(r, "Sign in")
	d["Next"] = localPath(r.FormValue("next"))
	d["Problem"] = problem
	d["Required"] = p.acc.Required
	if p.acc.OIDC != nil {
		d["OIDC"] = p.acc.OIDC.Name()
	}
	if status != http.StatusOK {
		w.WriteHeader(status)
	}
	p.render(w, "signin.html", d)
}

// signin checks a local account's password, opens a new session (a new id
// every time: sign-in rotates it) and ends the session the browser had.
func (p *Pages) signin(w http.ResponseWriter, r *http.Request) {
	by := auth.ActorOf(r)
	ns, err := p.acc.Service.SignIn(r.Context(), by, r.PostFormValue("email"), r.PostFormValue("password"), r.UserAgent())
	switch {
	case errors.Is(err, auth.ErrRateLimited):
		p.log.Warn("sign-in refused: rate limited", "address", by.Address)
		p.renderSignin(w, r, http.StatusTooManyRequests, err.Error())
		return
	case errors.Is(err, auth.ErrBadCredentials), errors.Is(err, auth.ErrDisabled):
		p.log.Info("sign-in failed", "address", by.Address, "reason", err.Error())
		p.renderSignin(w, r, http.StatusUnauthorized, auth.ErrBadCredentials.Error())
		return
	case err != nil:
		p.log.Error("sign-in", "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	p.replaceSession(w, r, ns)
	http.Redirect(w, r, localPath(r.PostFormValue("next")), http.StatusSeeOther)
}

// replaceSession sets the cookie of the new session and ends the one the
// browser had, if any (without an audit entry: the sign-in is the change).
func (p *Pages) replaceSession(w http.ResponseWriter, r *http.Request, ns *auth.NewSession) {
	if c, err := r.Cookie(auth.SessionCookie); err == nil {
		if h, err := auth.ParseSessionID(c.Value); err == nil {
			p.acc.Store.DeleteSession(r.Context(), h, nil)
		}
	}
	auth.SetCookie(w, r, p.acc.SecureCookies, auth.SessionCookie, ns.ID, int(ns.Session.ExpiresAt.Sub(ns.Session.CreatedAt).Seconds()))
	auth.SetCookie(w, r, p.acc.SecureCookies, auth.PreCSRFCookie, "", -1)
}

// StartSession is replaceSession for sign-ins that do not come through the
// form (OIDC): it sets the new session's cookie and ends the old session.
func (p *Pages) StartSession(w http.ResponseWriter, r *http.Request, ns *auth.NewSession) {
	p.replaceSession(w, r, ns)
}

// signout ends this browser's session.
func (p *Pages) signout(w http.ResponseWriter, r *http.Request) {
	req := auth.FromContext(r.Context())
	if err := p.acc.Service.SignOut(r.Context(), auth.ActorOf(r), req.Principal.SessionID); err != nil {
		p.failChange(w, err)
		return
	}
	auth.SetCookie(w, r, p.acc.SecureCookies, auth.SessionCookie, "", -1)
	http.Redirect(w, r, "/signin", http.StatusSeeOther)
}

// signoutEverywhere ends every session of the account, this one included.
func (p *Pages) signoutEverywhere(w http.ResponseWriter, r *http.Request) {
	pr := auth.FromContext(r.Context()).Principal
	if _, err := p.acc.Service.SignOutEverywhere(r.Context(), auth.ActorOf(r), pr.Account.ID); err != nil {
		p.failChange(w, err)
		return
	}
	auth.SetCookie(w, r, p.acc.SecureCookies, auth.SessionCookie, "", -1)
	http.Redirect(w, r, "/signin", http.StatusSeeOther)
}
