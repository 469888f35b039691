package web

import (
	"errors"
	"net/http"

	"github.com/ospo-project/ospo/internal/auth"
	"github.com/ospo-project/ospo/internal/store"
)

// me shows the signed-in account, the catalogue person its e-mail belongs
// to (the identities merged into one person) and its teams.
func (p *Pages) me(w http.ResponseWriter, r *http.Request) {
	d := accountData(r, "Me")
	acc := auth.FromContext(r.Context()).Principal.Email()
	person, err := p.acc.Store.Person(r.Context(), acc)
	switch {
	case err == nil:
		d["Person"] = person
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
	p.render(w, "me.html", d)
}
