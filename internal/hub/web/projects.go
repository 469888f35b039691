package web

import (
	"net/http"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/hub/estate"
	"github.com/ospo-project/ospo/internal/license"
)

// projectRow is a project with its latest score ("" when never scored).
type projectRow struct {
	catalog.Project
	Score string
}

// scoredRows pairs projects with their latest scores from the snapshot.
func scoredRows(e *estate.Snapshot, ps []catalog.Project) []projectRow {
	rows := make([]projectRow, len(ps))
	for i, pr := range ps {
		rows[i].Project = pr
		if s, ok := e.ScoreOf(pr.ID); ok {
			rows[i].Score = scoreText(s)
		}
	}
	return rows
}

// bandChart draws a score distribution as bars per band.
func bandChart(d estate.ScoreDistribution) chart {
	bands := make([]item, len(d.Bands))
	for i, b := range d.Bands {
		bands[i] = item{b.Band, float64(b.Projects)}
	}
	return hbars("Projects by score band", bands)
}

// projects is the searchable, filterable, sortable, paged project list.
func (p *Pages) projects(w http.ResponseWriter, r *http.Request) {
	pg, err := estate.PagingOf(r.URL.Query())
	if err != nil {
		p.fail(w, err)
		return
	}
	pq, err := estate.ParseProjectQuery(r.URL.Query())
	if err != nil {
		p.fail(w, err)
		return
	}
	pq.Paging = pg
	page, err := p.cat.Projects(r.Context(), pq)
	if err != nil {
		p.fail(w, err)
		return
	}
	if pq.Sort == "" {
		pq.Sort = "name"
	}
	e, err := p.cat.Snapshot(r.Context())
	if err != nil {
		p.fail(w, err)
		return
	}
	rows := scoredRows(e, page.Items)
	p.render(w, "projects.html", map[string]any{
		"Q": pq, "Page": page, "Rows": rows, "Sorts": estate.Sorts, "Bands": append(append([]string{}, estate.ScoreBands...), estate.BandNone),
		"Licenses": license.Categories, "Kinds": estate.Kinds,
		"Pager": newPager(r, page.Limit, page.Offset, len(page.Items), page.Total, page.More),
	})
}
