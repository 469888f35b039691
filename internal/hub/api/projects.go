package api

import (
	"net/http"

	"github.com/ospo-project/ospo/internal/hub/estate"
)

// projects lists projects: q, language, owner, band, license, kind,
// vulnerable, sort, limit, offset.
func (a *API) projects(w http.ResponseWriter, r *http.Request) {
	pg, err := estate.PagingOf(r.URL.Query())
	if err != nil {
		a.fail(w, err)
		return
	}
	pq, err := estate.ParseProjectQuery(r.URL.Query())
	if err != nil {
		a.fail(w, err)
		return
	}
	pq.Paging = pg
	page, err := a.cat.Projects(r.Context(), pq)
	if err != nil {
		a.fail(w, err)
		return
	}
	writeJSON(w, page)
}

// project returns one project with all its facts.
func (a *API) project(w http.ResponseWriter, r *http.Request) {
	p, err := a.cat.Project(r.Context(), r.PathValue("id"))
	if err != nil {
		a.fail(w, err)
		return
	}
	writeJSON(w, p)
}

// dependencies returns a project's dependencies, direct first; ?direct=true
// keeps the direct ones only.
func (a *API) dependencies(w http.ResponseWriter, r *http.Request) {
	p, err := a.cat.Project(r.Context(), r.PathValue("id"))
	if err != nil {
		a.fail(w, err)
		return
	}
	pg, err := estate.PagingOf(r.URL.Query())
	if err != nil {
		a.fail(w, err)
		return
	}
	deps := estate.DirectFirst(p.Dependencies)
	if r.URL.Query().Get("direct") == "true" {
		n := 0
		for n < len(deps) && deps[n].Direct {
			n++
		}
		deps = deps[:n]
	}
	writeJSON(w, estate.PageOf(deps, pg))
}
