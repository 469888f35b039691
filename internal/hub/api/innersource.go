package api

import "net/http"

// innersource returns the marketplace's cards, highest activity score first.
func (a *API) innersource(w http.ResponseWriter, r *http.Request) {
	cs, err := a.cat.InnerSource(r.Context())
	if err != nil {
		a.fail(w, err)
		return
	}
	writeJSON(w, cs)
}
