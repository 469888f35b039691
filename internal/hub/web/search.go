package web

import (
	"net/http"
)

// search looks for the query in projects, packages, languages, people and teams.
func (p *Pages) search(w http.ResponseWriter, r *http.Request) {
	res, err := p.cat.Search(r.Context(), r.URL.Query().Get("q"))
	if err != nil {
		p.fail(w, err)
		return
	}
	p.render(w, "search.html", map[string]any{"R": res})
}
