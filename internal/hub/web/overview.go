package web

import (
	"net/http"
)

// overview is the estate page: counts, languages, activity, recent changes,
// scan problems and teams.
func (p *Pages) overview(w http.ResponseWriter, r *http.Request) {
	e, err := p.cat.Estate(r.Context())
	if err != nil {
		p.fail(w, err)
		return
	}
	langs := make([]item, len(e.Languages))
	for i, l := range e.Languages {
		langs[i] = item{l.Name, float64(l.Projects)}
	}
	p.render(w, "overview.html", map[string]any{
		"E":         e,
		"Languages": hbars("Projects by language", langs),
		"Activity":  monthChart("Projects by month of their last commit", e.Activity),
		"Teams":     e.Teams[:min(len(e.Teams), 10)],
		"Recent":    e.Recent,
		"Problems":  e.WithProblems,
		"NoTeams":   len(e.Teams) == 0,
		"Empty":     e.Projects == 0,
	})
}
