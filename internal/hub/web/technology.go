package web

import (
	"net/http"

	"github.com/ospo-project/ospo/internal/hub/estate"
)

// techProjectsPerPage is how many projects using a technology its page lists at once.
const techProjectsPerPage = 100

// technologies lists packages and languages by how many projects use them.
func (p *Pages) technologies(w http.ResponseWriter, r *http.Request) {
	pg, err := estate.PagingOf(r.URL.Query())
	if err != nil {
		p.fail(w, err)
		return
	}
	q := r.URL.Query()
	kind, eco, query := q.Get("kind"), q.Get("ecosystem"), q.Get("q")
	page, err := p.cat.Technologies(r.Context(), kind, eco, query, pg)
	if err != nil {
		p.fail(w, err)
		return
	}
	p.render(w, "technologies.html", map[string]any{
		"Kind": kind, "Ecosystem": eco, "Query": query, "Page": page,
		"Pager": newPager(r, page.Limit, page.Offset, len(page.Items), page.Total, page.More),
	})
}

// technology is one package or language: the projects using it, the
// versions in use and the people to ask.
func (p *Pages) technology(w http.ResponseWriter, r *http.Request) {
	t, err := p.cat.Technology(r.Context(), r.PathValue("id"))
	if err != nil {
		p.fail(w, err)
		return
	}
	versions := make([]item, 0, len(t.Versions))
	for _, v := range t.Versions[:min(len(t.Versions), 25)] {
		versions = append(versions, item{v.Version, float64(v.Projects)})
	}
	// The projects using it are paged: a package used by 1,000 projects
	// shows the first 100 and a link to the next.
	pg := estate.Paging{Limit: techProjectsPerPage}
	q := r.URL.Query()
	if q.Get("limit") != "" || q.Get("offset") != "" {
		if pg, err = estate.PagingOf(r.URL.Query()); err != nil {
			p.fail(w, err)
			return
		}
		if q.Get("limit") == "" {
			pg.Limit = techProjectsPerPage
		}
	}
	projects := estate.PageOf(t.Projects, pg)
	p.render(w, "technology.html", map[string]any{"T": t, "Drift": hbars("Projects by version", versions),
		"Projects": projects.Items, "Pager": newPager(r, projects.Limit, projects.Offset, len(projects.Items), projects.Total, projects.More)})
}

// artifacts lists the packages artifact repositories (Artifactory) know,
// most downloaded first, with how many scanned projects name each.
func (p *Pages) artifacts(w http.ResponseWriter, r *http.Request) {
	pkgs, err := p.cat.ArtifactPackages(r.Context())
	if err != nil {
		p.fail(w, err)
		return
	}
	p.render(w, "artifacts.html", map[string]any{"Packages": pkgs})
}
