package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/ospo-project/ospo/internal/auth"
	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/events"
	"github.com/ospo-project/ospo/internal/store"
)

// leaderboard shows points by team, the people who consented, and the
// published rules: badges with criteria, event kinds with points, levels.
func (p *Pages) leaderboard(w http.ResponseWriter, r *http.Request) {
	b, err := p.cat.Leaderboard(r.Context())
	if err != nil {
		p.fail(w, err)
		return
	}
	req := auth.FromContext(r.Context())
	p.render(w, "leaderboard.html", map[string]any{"Board": b, "Badges": events.Badges, "Kinds": events.Kinds,
		"Levels": events.Levels, "Caps": events.DefaultCaps, "Account": req.Principal.Account, "CSRF": req.CSRF})
}

// RegisterGamification adds the routes that change gamification state:
// claiming a manual event or badge, the OSPO's decisions, and consent to
// the individual leaderboard. They need accounts (RegisterAccounts first).
func (p *Pages) RegisterGamification(mux Mux) {
	mux.HandleFunc("GET /claims", p.claims)
	mux.HandleFunc("POST /claims", p.addClaim)
	mux.HandleFunc("POST /claims/{id}/approve", p.decideClaim(true))
	mux.HandleFunc("POST /claims/{id}/reject", p.decideClaim(false))
	mux.HandleFunc("POST /me/leaderboard", p.setConsent)
	mux.HandleFunc("POST /innersource/help", p.postHelp)
	mux.HandleFunc("POST /innersource/help/{id}/close", p.closeHelp)
}

// claims shows the claim form, the account's own claims and, to the OSPO,
// the pending claims with their decision buttons.
func (p *Pages) claims(w http.ResponseWriter, r *http.Request) {
	p.renderClaims(w, r, http.StatusOK, "")
}

func (p *Pages) renderClaims(w http.ResponseWriter, r *http.Request, status int, problem string) {
	d := accountData(r, "Claims")
	pr := auth.FromContext(r.Context()).Principal
	all, err := p.acc.Store.Claims(r.Context(), "")
	if err != nil {
		p.fail(w, err)
		return
	}
	var mine, pending []catalog.EventClaim
	for _, c := range all {
		if c.ClaimedBy == strings.ToLower(pr.Account.Email) || c.Email == strings.ToLower(pr.Account.Email) {
			mine = append(mine, c)
		}
		if c.Status == catalog.ClaimPending && pr.Can(auth.Review) {
			pending = append(pending, c)
		}
	}
	var kinds []events.KindInfo
	for _, k := range events.Kinds {
		if k.Source == "manual" && k.Kind != events.KindBadge {
			kinds = append(kinds, k)
		}
	}
	d["Mine"], d["Pending"], d["Problem"], d["Kinds"], d["Badges"] = mine, pending, problem, kinds, events.Badges
	if status != http.StatusOK {
		w.WriteHeader(status)
	}
	p.render(w, "claims.html", d)
}

// addClaim records a claim by the signed-in account: a manual event for
// themself, or (kind "badge") a badge for the person whose e-mail is given.
func (p *Pages) addClaim(w http.ResponseWriter, r *http.Request) {
	pr := auth.FromContext(r.Context()).Principal
	c := catalog.EventClaim{Kind: r.PostFormValue("kind"), Badge: r.PostFormValue("badge"), Email: r.PostFormValue("email"),
		Evidence: strings.TrimSpace(r.PostFormValue("evidence")), Note: r.PostFormValue("note"), ClaimedBy: pr.Account.Email}
	if c.Email == "" {
		c.Email = pr.Account.Email
	}
	if c.Kind != events.KindBadge {
		c.Badge = ""
	}
	if err := events.CheckClaim(c); err != nil {
		p.renderClaims(w, r, http.StatusBadRequest, catalog.UserText(err))
		return
	}
	if !strings.HasPrefix(c.Evidence, "https://") && !strings.HasPrefix(c.Evidence, "http://") {
		p.renderClaims(w, r, http.StatusBadRequest, "evidence must be a link (http:// or https://)")
		return
	}
	if _, err := p.acc.Store.AddClaim(r.Context(), c, auth.ActorOf(r).Entry("claim.add", nowUTC())); err != nil {
		p.renderClaims(w, r, catalog.FaultOf(err).Status, catalog.UserText(err))
		return
	}
	http.Redirect(w, r, "/claims", http.StatusSeeOther)
}

// decideClaim approves or rejects a claim (the OSPO; never the claimant).
func (p *Pages) decideClaim(approve bool) http.HandlerFunc {
	action := "claim.reject"
	if approve {
		action = "claim.approve"
	}
	return func(w http.ResponseWriter, r *http.Request) {
		pr := auth.FromContext(r.Context()).Principal
		id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
		if err != nil {
			http.Error(w, "bad request: not a claim id", http.StatusBadRequest)
			return
		}
		_, err = p.acc.Store.DecideClaim(r.Context(), id, store.ClaimDecision{Approve: approve, By: pr.Account.Email, Event: events.ClaimEvent},
			auth.ActorOf(r).Entry(action, nowUTC()))
		if errors.Is(err, store.ErrFourEyes) {
			p.renderClaims(w, r, http.StatusForbidden, "four eyes: you made this claim, someone else of the OSPO decides it")
			return
		}
		if err != nil {
			p.failChange(w, err)
			return
		}
		http.Redirect(w, r, "/claims", http.StatusSeeOther)
	}
}

// setConsent records the signed-in person's consent to appear on the
// individual leaderboard ("on") or its withdrawal.
func (p *Pages) setConsent(w http.ResponseWriter, r *http.Request) {
	pr := auth.FromContext(r.Context()).Principal
	in := r.PostFormValue("consent") == "on"
	if err := p.acc.Store.SetLeaderboardOptIn(r.Context(), pr.Account.Email, in, auth.ActorOf(r).Entry("leaderboard.consent", nowUTC())); err != nil {
		p.failChange(w, err)
		return
	}
	http.Redirect(w, r, "/leaderboard", http.StatusSeeOther)
}

func nowUTC() time.Time { return time.Now().UTC() }

// credential downloads the signed Open Badges 3.0 credential of a badge
// the person earned (404 when no issuer key is configured).
func (p *Pages) credential(w http.ResponseWriter, r *http.Request) {
	b, err := p.cat.Credential(r.Context(), r.PathValue("id"), r.PathValue("badge"))
	if err != nil {
		p.fail(w, err)
		return
	}
	serveCredential(w, r.PathValue("badge"), b)
}

// serveCredential answers a credential as a JSON download.
func serveCredential(w http.ResponseWriter, badge string, b []byte) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Disposition", `attachment; filename="`+safeName(badge)+`.json"`)
	w.Write(b)
}

// safeName keeps the letters, digits and dashes of s.
func safeName(s string) string {
	out := []rune{}
	for _, r := range s {
		if r == '-' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
			out = append(out, r)
		}
	}
	if len(out) == 0 {
		return "badge"
	}
	return string(out)
}
