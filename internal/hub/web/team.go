package web

import (
	"net/http"
)

// teams lists the owners named in CODEOWNERS, catalog-info.yaml and
// innersource.json, by the number of projects they own.
func (p *Pages) teams(w http.ResponseWriter, r *http.Request) {
	pg, err := paging(r)
	if err != nil {
		p.fail(w, err)
		return
	}
	query := r.URL.Query().Get("q")
	page, err := p.cat.Teams(r.Context(), query, pg)
	if err != nil {
		p.fail(w, err)
		return
	}
	p.render(w, "teams.html", map[string]any{"Query": query, "Page": page,
		"Pager": newPager(r, page.Limit, page.Offset, len(page.Items), page.Total, page.More)})
}

// team is one owner: its projects and the people who work on them.
func (p *Pages) team(w http.ResponseWriter, r *http.Request) {
	t, err := p.cat.Team(r.Context(), r.PathValue("owner"))
	if err != nil {
		p.fail(w, err)
		return
	}
	p.render(w, "team.html", map[string]any{"T": t})
}
