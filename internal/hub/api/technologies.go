package api

import (
	"net/http"

	"github.com/ospo-project/ospo/internal/hub/estate"
)

// technologies lists packages and languages: kind, ecosystem, q, limit, offset.
func (a *API) technologies(w http.ResponseWriter, r *http.Request) {
	pg, err := estate.PagingOf(r.URL.Query())
	if err != nil {
		a.fail(w, err)
		return
	}
	q := r.URL.Query()
	page, err := a.cat.Technologies(r.Context(), q.Get("kind"), q.Get("ecosystem"), q.Get("q"), pg)
	if err != nil {
		a.fail(w, err)
		return
	}
	writeJSON(w, page)
}

// technology returns one package (by package URL without version) or
// language (by name): projects using it, versions in use, experts.
func (a *API) technology(w http.ResponseWriter, r *http.Request) {
	t, err := a.cat.Technology(r.Context(), r.PathValue("id"))
	if err != nil {
		a.fail(w, err)
		return
	}
	writeJSON(w, t)
}
