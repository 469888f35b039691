package web

import (
	"net/http"

	"github.com/ospo-project/ospo/internal/hub/estate"
)

// overview is the estate page: counts, languages, activity, recent changes,
// scan problems and teams.
func (p *Pages) overview(w http.ResponseWriter, r *http.Request) {
	e, err := p.cat.Snapshot(r.Context())
	if err != nil {
		p.fail(w, err)
		return
	}
	langs := make([]item, len(e.Languages))
	for i, l := range e.Languages {
		langs[i] = item{l.Name, float64(l.Projects)}
	}
	cats := make([]item, 0, len(e.LicenseCategories))
	for _, c := range e.LicenseCategories {
		cats = append(cats, item{c.Name, float64(c.Dependencies)})
	}
	lics, err := p.cat.Licenses(r.Context())
	if err != nil {
		p.fail(w, err)
		return
	}
	exposed, err := p.cat.Exposure(r.Context(), "", estate.Paging{Limit: 10})
	if err != nil {
		p.fail(w, err)
		return
	}
	p.render(w, "overview.html", map[string]any{
		"LicenseCategories": hbars("Dependency uses by licence category", cats),
		"InViolation":       lics.InViolation[:min(len(lics.InViolation), 10)],
		"Vulns":             e.Vulnerabilities,
		"Scores":            e.Scores,
		"ScoreChart":        bandChart(e.Scores),
		"Exposed":           exposed.Projects.Items,
		"E":                 e,
		"Languages":         hbars("Projects by language", langs),
		"Activity":          monthChart("Projects by month of their last commit", e.Activity),
		"Teams":             e.Teams[:min(len(e.Teams), 10)],
		"Recent":            e.Recent,
		"Problems":          e.WithProblems,
		"NoTeams":           len(e.Teams) == 0,
		"Empty":             e.Projects == 0,
	})
}
