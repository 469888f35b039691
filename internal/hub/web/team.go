package web

import (
	"net/http"
	"net/url"

	"github.com/ospo-project/ospo/internal/hub/estate"
)

// teams lists the owners named in CODEOWNERS, catalog-info.yaml and
// innersource.json, by the number of projects they own.
func (p *Pages) teams(w http.ResponseWriter, r *http.Request) {
	pg, err := estate.PagingOf(r.URL.Query())
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

// teamProjectsShown is how many of a team's projects its page lists; the
// rest are a link away, on the project list filtered by owner.
const teamProjectsShown = 50

// team is one owner: its projects with their scores, the score bands of
// all of them, and the people who work on them.
func (p *Pages) team(w http.ResponseWriter, r *http.Request) {
	t, err := p.cat.Team(r.Context(), r.PathValue("owner"))
	if err != nil {
		p.fail(w, err)
		return
	}
	e, err := p.cat.Snapshot(r.Context())
	if err != nil {
		p.fail(w, err)
		return
	}
	shown := t.Projects[:min(len(t.Projects), teamProjectsShown)]
	rows := scoredRows(e, shown)
	all := "/projects?" + url.Values{"owner": {t.Owner}}.Encode()
	p.render(w, "team.html", map[string]any{"T": t, "Rows": rows, "All": all, "More": t.ProjectsTotal > len(rows),
		"ScoreChart": bandChart(t.Scores)})
}
