package api

import "net/http"

// search looks for q in projects, packages, languages, people and teams.
func (a *API) search(w http.ResponseWriter, r *http.Request) {
	res, err := a.cat.Search(r.Context(), r.URL.Query().Get("q"))
	if err != nil {
		a.fail(w, err)
		return
	}
	writeJSON(w, res)
}
