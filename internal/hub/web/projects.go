package web

import (
	"net/http"

	"github.com/ospo-project/ospo/internal/hub/view"
)

// projects is the searchable, filterable, sortable, paged project list.
func (p *Pages) projects(w http.ResponseWriter, r *http.Request) {
	pg, err := paging(r)
	if err != nil {
		p.fail(w, err)
		return
	}
	q := r.URL.Query()
	pq := view.ProjectQuery{Query: q.Get("q"), Language: q.Get("language"), Owner: q.Get("owner"), Sort: q.Get("sort"), Paging: pg}
	page, err := p.cat.Projects(r.Context(), pq)
	if err != nil {
		p.fail(w, err)
		return
	}
	if pq.Sort == "" {
		pq.Sort = "name"
	}
	p.render(w, "projects.html", map[string]any{
		"Q": pq, "Page": page, "Sorts": view.Sorts,
		"Pager": newPager(r, page.Limit, page.Offset, len(page.Items), page.Total, page.More),
	})
}
