package api

import (
	"net/http"

	"github.com/ospo-project/ospo/internal/hub/estate"
	"github.com/ospo-project/ospo/internal/innersource"
)

// innersource returns the marketplace's cards, highest activity score
// first, those the parameters q, language, topic and team select
// (innersource.Filter).
func (a *API) innersource(w http.ResponseWriter, r *http.Request) {
	cs, err := a.cat.InnerSource(r.Context())
	if err != nil {
		a.fail(w, err)
		return
	}
	cs = estate.CardFilter(r.URL.Query()).Apply(cs)
	if cs == nil {
		cs = []innersource.Card{}
	}
	writeJSON(w, cs)
}
