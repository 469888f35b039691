package api

import (
	"net/http"

	"github.com/ospo-project/ospo/internal/hub/estate"
)

// teams lists owners by the number of projects they own: q, limit, offset.
func (a *API) teams(w http.ResponseWriter, r *http.Request) {
	pg, err := estate.PagingOf(r.URL.Query())
	if err != nil {
		a.fail(w, err)
		return
	}
	page, err := a.cat.Teams(r.Context(), r.URL.Query().Get("q"), pg)
	if err != nil {
		a.fail(w, err)
		return
	}
	writeJSON(w, page)
}

// team returns one owner's projects and members.
func (a *API) team(w http.ResponseWriter, r *http.Request) {
	t, err := a.cat.Team(r.Context(), r.PathValue("owner"))
	if err != nil {
		a.fail(w, err)
		return
	}
	writeJSON(w, t)
}
