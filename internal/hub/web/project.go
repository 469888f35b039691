package web

import (
	"errors"
	"html/template"
	"io"
	"net/http"
	"strconv"

	"github.com/ospo-project/ospo/internal/badge"
	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/hub/estate"
	"github.com/ospo-project/ospo/internal/markup"
)

// project is one project: identity, owners, languages, dependencies (direct
// first; every one with ?deps=all), contributors, weekly activity, problems
// and SBOM downloads.
func (p *Pages) project(w http.ResponseWriter, r *http.Request) {
	pg, err := p.cat.ProjectPage(r.Context(), r.PathValue("id"))
	if err != nil {
		p.fail(w, err)
		return
	}
	proj := pg.Project
	var total int64
	for _, l := range proj.Languages {
		total += l.Bytes
	}
	all := r.URL.Query().Get("deps") == "all"
	deps := estate.DirectFirst(proj.Dependencies)
	direct := 0
	for _, d := range deps {
		if d.Direct {
			direct++
		}
	}
	shown := deps
	if !all {
		shown = deps[:direct]
	}
	lics := estate.ProjectLicensesOf(proj)
	byDep := map[string]estate.DependencyLicense{}
	for _, l := range lics.Dependencies {
		byDep[l.PURL+"\x00"+l.Manifest] = l
	}
	rows := make([]depRow, len(shown))
	for i, d := range shown {
		rows[i] = depRow{Dependency: d, Lic: byDep[d.PURL+"\x00"+d.Manifest]}
	}
	similar, err := p.cat.SimilarProjects(r.Context(), proj.ID, 5)
	// Not found: newer than the model; not ready: the first model is still
	// being built.
	if err != nil && !errors.Is(err, catalog.ErrNotFound) && !errors.Is(err, estate.ErrModelNotReady) {
		p.fail(w, err)
		return
	}
	contributors := catalog.ByPerson(proj.Contributors)
	filesURL := markup.RepoFilesURL(proj.RemoteURL)
	var readme template.HTML
	if proj.Readme != nil {
		readme = markup.Render(proj.Readme.Format, proj.Readme.Text, filesURL)
	}
	p.render(w, "project.html", map[string]any{
		"P": proj, "LangTotal": total, "Contributors": contributors,
		"Deps": rows, "Licenses": lics, "Vulns": pg.Vulns, "AllDeps": all, "Direct": direct, "Transitive": len(deps) - direct,
		"Score": pg.Score, "ScoreTrend": scoreTrend(pg.Score.History), "BadgeMarkdown": badgeMarkdown(r, proj.ID), "Readme": readme,
		"FilesURL": filesURL, "Forge": pg.Forge, "Tracker": pg.Tracker, "Builds": pg.Builds, "FirstResponse": humanDuration(pg.Forge.MedianFirstResponse),
		"Activity": weekChart("Commits per week", estate.Activity(proj.Contributors)), "Similar": similar,
	})
}

// depRow is a dependency with its licence and policy status.
type depRow struct {
	catalog.Dependency
	Lic estate.DependencyLicense
}

// badge is a project's score as a shields-style SVG badge, for READMEs.
func (p *Pages) badge(w http.ResponseWriter, r *http.Request) {
	score, err := p.cat.LatestScore(r.Context(), r.PathValue("id"))
	if err != nil {
		p.fail(w, err)
		return
	}
	w.Header().Set("Content-Type", "image/svg+xml")
	w.Header().Set("Cache-Control", "max-age=300")
	io.WriteString(w, badge.Score("ospo score", score))
}

// badgeMarkdown is the Markdown that shows a project's badge, linked to its
// page, on the hub at the address the request came to.
func badgeMarkdown(r *http.Request, id int64) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	base := scheme + "://" + r.Host + "/projects/" + strconv.FormatInt(id, 10)
	return "[![ospo score](" + base + "/badge.svg)](" + base + ")"
}
