package web

import (
	"context"
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/docset"
	"github.com/ospo-project/ospo/internal/hub/estate"
)

// The OSPO's resources (/resources) and each project's documentation
// (/projects/{id}/docs): Markdown pages read from git by internal/docset.

// registerDocs adds the routes of the resources and the projects' docs.
func (p *Pages) registerDocs(mux Mux) {
	mux.HandleFunc("GET /resources", p.resources)
	mux.HandleFunc("GET /resources/{name...}", p.resource)
	mux.HandleFunc("GET /resources/_files/{name...}", p.resourceFile)
	mux.HandleFunc("GET /projects/{id}/docs", p.projectDocs)
	mux.HandleFunc("GET /projects/{id}/docs/{name...}", p.projectDoc)
	mux.HandleFunc("GET /projects/{id}/docs/_files/{name...}", p.projectDocFile)
	if p.cat.HasResourcePages() {
		for _, t := range p.tmpl {
			t.Funcs(template.FuncMap{"resourcesNav": func() bool { return true }})
		}
	}
}

// docIndex is the data of docs.html: a set's pages, or those matching a query.
type docIndex struct {
	Title   string
	Base    string // the index's address, where the search form goes
	Query   string
	Pages   []docset.Page
	Intro   *docset.Page // the set's index page, shown above the list
	Project *catalog.Project
	Commit  string
	Missing bool // no set to show
}

func (p *Pages) resources(w http.ResponseWriter, r *http.Request) {
	set, err := p.cat.ResourcePages(r.Context())
	if err != nil && !errors.Is(err, estate.ErrNoResources) {
		p.fail(w, err)
		return
	}
	d := docIndex{Title: "Resources", Base: "/resources", Query: r.URL.Query().Get("q"), Missing: set == nil}
	if set != nil {
		p.fillIndex(&d, set)
	}
	p.render(w, "docs.html", d)
}

// fillIndex sets the pages of d from set: all of them, or those matching
// d.Query; the set's index page (index, README) introduces the list.
func (p *Pages) fillIndex(d *docIndex, set *docset.Set) {
	d.Commit = set.Commit
	if d.Query != "" {
		d.Pages = set.Search(d.Query)
		return
	}
	d.Pages = set.Pages()
	for _, name := range []string{"index", "README", "readme", "_index"} {
		if pg, err := set.Page(name); err == nil {
			d.Intro = &pg
			break
		}
	}
}

// docPage is the data of doc.html.
type docPage struct {
	Title   string
	Section string // the index's title
	Base    string // the index's address
	Page    docset.Page
	Commit  string
	Project *catalog.Project
}

func (p *Pages) resource(w http.ResponseWriter, r *http.Request) {
	set, err := p.cat.ResourcePages(r.Context())
	if err != nil {
		p.fail(w, err)
		return
	}
	pg, err := set.Page(r.PathValue("name"))
	if err != nil {
		p.fail(w, err)
		return
	}
	p.render(w, "doc.html", docPage{Title: pg.Title, Section: "Resources", Base: "/resources", Page: pg, Commit: set.Commit})
}

func (p *Pages) resourceFile(w http.ResponseWriter, r *http.Request) {
	set, err := p.cat.ResourcePages(r.Context())
	if err != nil {
		p.fail(w, err)
		return
	}
	p.serveImage(w, set, r.PathValue("name"))
}

// projectDocs shows a project's docs/ folder: its index page and the list
// of pages, or the pages matching q.
func (p *Pages) projectDocs(w http.ResponseWriter, r *http.Request) {
	proj, set, err := p.docsOf(r.Context(), r.PathValue("id"))
	if err != nil && !errors.Is(err, estate.ErrNotFound) {
		p.fail(w, err)
		return
	}
	if err != nil {
		p.log.Info("project documentation not shown", "project", proj.ID, "err", err)
	}
	d := docIndex{Title: "Documentation of " + proj.Name, Base: "/projects/" + strconv.FormatInt(proj.ID, 10) + "/docs",
		Query: r.URL.Query().Get("q"), Project: proj, Missing: set == nil}
	if set != nil {
		p.fillIndex(&d, set)
	}
	p.render(w, "docs.html", d)
}

func (p *Pages) projectDoc(w http.ResponseWriter, r *http.Request) {
	proj, set, err := p.docsOf(r.Context(), r.PathValue("id"))
	if err != nil {
		p.fail(w, err)
		return
	}
	pg, err := set.Page(r.PathValue("name"))
	if err != nil {
		p.fail(w, err)
		return
	}
	p.render(w, "doc.html", docPage{Title: pg.Title + " · " + proj.Name, Section: "Documentation of " + proj.Name,
		Base: "/projects/" + strconv.FormatInt(proj.ID, 10) + "/docs", Page: pg, Commit: set.Commit, Project: proj})
}

func (p *Pages) projectDocFile(w http.ResponseWriter, r *http.Request) {
	_, set, err := p.docsOf(r.Context(), r.PathValue("id"))
	if err != nil {
		p.fail(w, err)
		return
	}
	p.serveImage(w, set, r.PathValue("name"))
}

// docsOf returns the project with ID id and its documentation set; the
// project is returned along with an error wrapping estate.ErrNotFound
// when the set cannot be read.
func (p *Pages) docsOf(ctx context.Context, id string) (*catalog.Project, *docset.Set, error) {
	proj, err := p.cat.Project(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	set, err := p.cat.ProjectDocs(ctx, id)
	return proj, set, err
}

// serveImage answers with the image name of set, as the image type it is
// named for (the hub sends nosniff: a disguised HTML file stays an image).
func (p *Pages) serveImage(w http.ResponseWriter, set *docset.Set, name string) {
	data, ct, err := set.File(name)
	if err != nil {
		p.fail(w, err)
		return
	}
	w.Header().Set("Content-Type", ct)
	w.Header().Set("Cache-Control", "private, max-age=300")
	w.Write(data)
}

// docPath escapes each element of a page's name for an address.
func docPath(name string) string {
	parts := strings.Split(name, "/")
	for i, s := range parts {
		parts[i] = url.PathEscape(s)
	}
	return strings.Join(parts, "/")
}
