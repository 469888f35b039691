package api

import "net/http"

// estate returns the overview: counts, languages, activity, recent
// projects, scan problems and teams.
func (a *API) estate(w http.ResponseWriter, r *http.Request) {
	e, err := a.cat.Snapshot(r.Context())
	if err != nil {
		a.fail(w, err)
		return
	}
	writeJSON(w, e)
}
