package web

import (
	"net/http"
	"strconv"
	"time"

	"github.com/ospo-project/ospo/internal/auth"
	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/store"
)

// tokenExpiries are the lifetimes offered when creating a token.
var tokenExpiries = []struct{ Value, Label string }{
	{"30d", "30 days"}, {"90d", "90 days"}, {"365d", "a year"}, {"never", "never"},
}

// myTokens lists the signed-in account's API tokens, with the form that
// creates one.
func (p *Pages) myTokens(w http.ResponseWriter, r *http.Request) {
	p.renderTokens(w, r, http.StatusOK, "", "")
}

func (p *Pages) renderTokens(w http.ResponseWriter, r *http.Request, status int, secret, problem string) {
	d := accountData(r, "API tokens")
	pr := auth.FromContext(r.Context()).Principal
	ks, err := p.acc.Store.ListTokens(r.Context(), store.TokenFilter{AccountID: pr.Account.ID})
	if err != nil {
		p.fail(w, err)
		return
	}
	d["Tokens"], d["Secret"], d["Problem"], d["Expiries"] = tokenRows(ks), secret, problem, tokenExpiries
	d["Scopes"] = []catalog.TokenScope{catalog.ScopeRead, catalog.ScopeWrite, catalog.ScopeAdmin}
	d["RevokeBase"] = "/me/tokens/"
	if status != http.StatusOK {
		w.WriteHeader(status)
	}
	// The page may hold a secret shown once: no cache may keep it.
	w.Header().Set("Cache-Control", "no-store")
	p.render(w, "tokens.html", d)
}

type tokenRow struct {
	catalog.APIToken
	Status string
}

func tokenRows(ks []catalog.APIToken) []tokenRow {
	now := time.Now()
	out := make([]tokenRow, len(ks))
	for i, k := range ks {
		out[i] = tokenRow{APIToken: k, Status: "active"}
		if !k.Active(now) {
			out[i].Status = "expired"
		}
	}
	return out
}

// createToken creates a token for the signed-in account and shows its
// secret once, in the response (nothing else ever holds it).
func (p *Pages) createToken(w http.ResponseWriter, r *http.Request) {
	pr := auth.FromContext(r.Context()).Principal
	var ttl time.Duration
	if e := r.PostFormValue("expires"); e != "never" {
		d, err := auth.ParseDuration(e)
		if err != nil {
			p.renderTokens(w, r, http.StatusBadRequest, "", "expiry: "+catalog.UserText(err))
			return
		}
		ttl = d
	}
	scope := catalog.TokenScope(r.PostFormValue("scope"))
	if scope == catalog.ScopeAdmin && !pr.Can(auth.ManageAccounts) {
		p.renderTokens(w, r, http.StatusForbidden, "", "only an admin may create an admin token")
		return
	}
	secret, _, err := p.acc.Service.CreateToken(r.Context(), auth.ActorOf(r), pr.Account.Email, r.PostFormValue("name"), scope, ttl)
	if err != nil {
		p.renderTokens(w, r, http.StatusBadRequest, "", catalog.UserText(err))
		return
	}
	p.renderTokens(w, r, http.StatusOK, secret, "")
}

// revokeMyToken revokes one of the signed-in account's tokens; another
// account's token is not found.
func (p *Pages) revokeMyToken(w http.ResponseWriter, r *http.Request) {
	pr := auth.FromContext(r.Context()).Principal
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		http.Error(w, "bad request: not a token id", http.StatusBadRequest)
		return
	}
	k, err := p.acc.Store.Token(r.Context(), id)
	if err != nil || k.AccountID != pr.Account.ID {
		http.Error(w, "not found", http.StatusNotFound)
		return
	}
	if _, err := p.acc.Service.RevokeToken(r.Context(), auth.ActorOf(r), id); err != nil {
		p.failChange(w, err)
		return
	}
	http.Redirect(w, r, "/me/tokens", http.StatusSeeOther)
}

// allTokens lists every account's tokens, for admins.
func (p *Pages) allTokens(w http.ResponseWriter, r *http.Request) {
	d := accountData(r, "All API tokens")
	ks, err := p.acc.Store.ListTokens(r.Context(), store.TokenFilter{})
	if err != nil {
		p.fail(w, err)
		return
	}
	d["Tokens"], d["All"], d["RevokeBase"] = tokenRows(ks), true, "/admin/tokens/"
	p.render(w, "tokens.html", d)
}

// revokeAnyToken revokes any account's token (admins).
func (p *Pages) revokeAnyToken(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		http.Error(w, "bad request: not a token id", http.StatusBadRequest)
		return
	}
	if _, err := p.acc.Service.RevokeToken(r.Context(), auth.ActorOf(r), id); err != nil {
		p.failChange(w, err)
		return
	}
	http.Redirect(w, r, "/admin/tokens", http.StatusSeeOther)
}
