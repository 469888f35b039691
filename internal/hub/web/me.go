package web

import (
	"errors"
	"net/http"
	"time"

	"github.com/ospo-project/ospo/internal/auth"
	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/inbox"
	"github.com/ospo-project/ospo/internal/store"
)

// me shows the signed-in account, the catalogue person its e-mail belongs
// to (the identities merged into one person), its teams and the projects
// it maintains (whose ownership claims name it or one of its teams).
func (p *Pages) me(w http.ResponseWriter, r *http.Request) {
	d := accountData(r, "Me")
	acc := auth.FromContext(r.Context()).Principal.Email()
	claimant := auth.Claimant{Emails: []string{acc}}
	person, err := p.acc.Store.Person(r.Context(), acc)
	switch {
	case err == nil:
		d["Person"] = person
		for _, id := range person.Identities {
			claimant.Emails = append(claimant.Emails, id.Email)
		}
		rec, err := p.recommendationsFor(r, person.ID)
		if err != nil {
			p.fail(w, err)
			return
		}
		d["Rec"] = rec
		opts, err := p.cat.OptOuts(r.Context())
		if err != nil {
			p.fail(w, err)
			return
		}
		d["OptOut"] = opts[person.ID]
	case errors.Is(err, store.ErrNotFound), errors.Is(err, store.ErrAmbiguous):
	default:
		p.fail(w, err)
		return
	}
	ms, err := p.acc.Store.Memberships(r.Context(), acc)
	if err != nil {
		p.fail(w, err)
		return
	}
	d["Memberships"] = ms
	for _, m := range ms {
		claimant.Teams = append(claimant.Teams, m.Team)
	}
	owned, err := p.cat.Owned(r.Context(), func(owners []catalog.Owner) bool { return auth.Owns(claimant, owners) })
	if err != nil {
		p.fail(w, err)
		return
	}
	d["Maintains"] = owned
	in, _, err := p.cat.Inbox(r.Context(), acc, inbox.Options{})
	if err != nil {
		p.fail(w, err)
		return
	}
	d["Inbox"] = in
	p.render(w, "me.html", d)
}

// setOptOut records the signed-in person's choice of appearing as an
// expert and in recommendations (form fields experts and recommendations:
// checked means opted out), audited as theirs.
func (p *Pages) setOptOut(w http.ResponseWriter, r *http.Request) {
	acc := auth.FromContext(r.Context()).Principal.Email()
	person, err := p.acc.Store.Person(r.Context(), acc)
	switch {
	case errors.Is(err, store.ErrNotFound), errors.Is(err, store.ErrAmbiguous):
		http.Error(w, "bad request: no person of the catalogue has your e-mail", http.StatusBadRequest)
		return
	case err != nil:
		p.fail(w, err)
		return
	}
	now := time.Now().UTC()
	o := catalog.OptOut{PersonID: person.ID, Experts: r.PostFormValue("experts") != "",
		Recommendations: r.PostFormValue("recommendations") != "", UpdatedAt: now}
	if err := p.acc.Store.SetOptOut(r.Context(), o, auth.ActorOf(r).Entry(auth.ActPersonOptOut, now)); err != nil {
		p.fail(w, err)
		return
	}
	http.Redirect(w, r, "/me#privacy", http.StatusSeeOther)
}
