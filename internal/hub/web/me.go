package web

import (
	"errors"
	"net/http"

	"github.com/ospo-project/ospo/internal/auth"
	"github.com/ospo-project/ospo/internal/catalog"
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
	p.render(w, "me.html", d)
}
