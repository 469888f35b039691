package api

import (
	"net/http"

	"github.com/ospo-project/ospo/internal/hub/estate"
)

// projectScore returns a project's latest scorecard and its recent history.
func (a *API) projectScore(w http.ResponseWriter, r *http.Request) {
	v, err := a.cat.ProjectScore(r.Context(), r.PathValue("id"))
	if err != nil {
		a.fail(w, err)
		return
	}
	writeJSON(w, v)
}

// scores returns the estate ranking: the score distribution and the
// projects by latest score, best first; band, limit, offset.
func (a *API) scores(w http.ResponseWriter, r *http.Request) {
	pg, err := estate.PagingOf(r.URL.Query())
	if err != nil {
		a.fail(w, err)
		return
	}
	v, err := a.cat.Scores(r.Context(), r.URL.Query().Get("band"), pg)
	if err != nil {
		a.fail(w, err)
		return
	}
	writeJSON(w, v)
}
