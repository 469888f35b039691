package api

import (
	"net/http"

	"github.com/ospo-project/ospo/internal/hub/estate"
)

// people lists people, most commits first: q, limit, offset.
func (a *API) people(w http.ResponseWriter, r *http.Request) {
	pg, err := estate.PagingOf(r.URL.Query())
	if err != nil {
		a.fail(w, err)
		return
	}
	page, err := a.cat.People(r.Context(), r.URL.Query().Get("q"), pg)
	if err != nil {
		a.fail(w, err)
		return
	}
	writeJSON(w, page)
}

// person returns one person with projects, technologies, teams and activity.
func (a *API) person(w http.ResponseWriter, r *http.Request) {
	p, err := a.cat.Person(r.Context(), r.PathValue("id"))
	if err != nil {
		a.fail(w, err)
		return
	}
	writeJSON(w, p)
}
