package web

import (
	"net/http"

	"github.com/ospo-project/ospo/internal/hub/estate"
)

// people lists developers, most commits first.
func (p *Pages) people(w http.ResponseWriter, r *http.Request) {
	pg, err := estate.PagingOf(r.URL.Query())
	if err != nil {
		p.fail(w, err)
		return
	}
	query := r.URL.Query().Get("q")
	page, err := p.cat.People(r.Context(), query, pg)
	if err != nil {
		p.fail(w, err)
		return
	}
	p.render(w, "people.html", map[string]any{"Query": query, "Page": page,
		"Pager": newPager(r, page.Limit, page.Offset, len(page.Items), page.Total, page.More)})
}

// person is one developer: projects, technologies from evidence, teams and
// weekly activity.
func (p *Pages) person(w http.ResponseWriter, r *http.Request) {
	v, err := p.cat.Person(r.Context(), r.PathValue("id"))
	if err != nil {
		p.fail(w, err)
		return
	}
	p.render(w, "person.html", map[string]any{"P": v, "Activity": weekChart("Commits per week", v.Activity)})
}
