// Package web serves the hub's HTML pages: server-rendered with
// html/template, charts drawn as SVG on the server, no script. Each page has
// its own file; templates and the style sheet are embedded and parsed when
// the Pages are made, so a broken template fails at start-up.
package web

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/hub/estate"
	"github.com/ospo-project/ospo/internal/inbox"
	"github.com/ospo-project/ospo/internal/markup"
	"github.com/ospo-project/ospo/internal/report"
	"github.com/ospo-project/ospo/internal/store"
	"github.com/ospo-project/ospo/internal/vuln"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Pages renders the hub's pages from a Catalog.
type Pages struct {
	cat  *estate.Catalog
	log  *slog.Logger
	tmpl map[string]*template.Template
	acc  AccountDeps    // set by RegisterAccounts
	gov  GovernanceDeps // set by RegisterGovernance
	// pushStore and pushes are set by RegisterPushes.
	pushStore store.Store
	pushes    PushDecider
	// golden serves the form of ospo new, set by RegisterGoldenPaths.
	golden GoldenPaths
	trends trendsCache // see healthTrends
}

// SetNotice sets a line shown at the top of every page (such as "this hub
// serves without sign-in"); call it before serving.
func (p *Pages) SetNotice(text string) {
	for _, t := range p.tmpl {
		t.Funcs(template.FuncMap{"notice": func() string { return text }})
	}
}

// New parses the templates and returns the pages over cat.
func New(cat *estate.Catalog, log *slog.Logger) (*Pages, error) {
	base, err := template.New("").Funcs(funcs).ParseFS(templateFS, "templates/_*.html")
	if err != nil {
		return nil, fmt.Errorf("parse templates: %w", err)
	}
	pages, err := fs.Glob(templateFS, "templates/[a-z]*.html")
	if err != nil {
		return nil, err
	}
	p := &Pages{cat: cat, log: log, tmpl: map[string]*template.Template{}}
	for _, name := range pages {
		t, err := template.Must(base.Clone()).ParseFS(templateFS, name)
		if err != nil {
			return nil, fmt.Errorf("parse templates: %w", err)
		}
		p.tmpl[strings.TrimPrefix(name, "templates/")] = t
	}
	return p, nil
}

// Mux is where routes are registered: an *http.ServeMux, or a wrapper
// that records the patterns.
type Mux interface {
	Handle(pattern string, h http.Handler)
	HandleFunc(pattern string, h func(http.ResponseWriter, *http.Request))
}

// Register adds the pages' routes to mux.
func (p *Pages) Register(mux Mux) {
	mux.HandleFunc("GET /{$}", p.overview)
	mux.HandleFunc("GET /projects", p.projects)
	mux.HandleFunc("GET /projects/{id}", p.project)
	mux.HandleFunc("GET /projects/{id}/badge.svg", p.badge)
	mux.HandleFunc("GET /technologies", p.technologies)
	mux.HandleFunc("GET /technologies/{id}", p.technology)
	mux.HandleFunc("GET /artifacts", p.artifacts)
	mux.HandleFunc("GET /people", p.people)
	mux.HandleFunc("GET /people/{id}", p.person)
	mux.HandleFunc("GET /teams", p.teams)
	mux.HandleFunc("GET /teams/{owner}", p.team)
	mux.HandleFunc("GET /search", p.search)
	mux.HandleFunc("GET /sources", p.sources)
	mux.HandleFunc("GET /innersource", p.innersource)
	mux.HandleFunc("GET /leaderboard", p.leaderboard)
	mux.HandleFunc("GET /health", p.estateHealth)
	mux.HandleFunc("GET /projects/{id}/health", p.projectHealth)
	mux.HandleFunc("GET /teams/{owner}/health", p.teamHealth)
	mux.HandleFunc("GET /people/{id}/badges/{badge}/credential.json", p.credential)
	p.registerDocs(mux)
	static, _ := fs.Sub(staticFS, "static")
	files := http.StripPrefix("/static/", http.FileServerFS(static))
	mux.Handle("GET /static/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/") { // no directory listings
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Cache-Control", "public, max-age=3600")
		files.ServeHTTP(w, r)
	}))
}

// render executes a page into a buffer first, so a failing template gives
// a clean 500 rather than half a page.
func (p *Pages) render(w http.ResponseWriter, name string, data any) {
	var buf bytes.Buffer
	if err := p.tmpl[name].ExecuteTemplate(&buf, name, data); err != nil {
		p.log.Error("render", "template", name, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	// Escaping leaves bidirectional controls in a page, where one from a
	// repository would reorder the text after it; the hub's own templates
	// hold none.
	w.Write(report.NeutraliseBidi(buf.Bytes()))
}

// noName is how a person whose commits carry no name is shown.
const noName = "(no name)"

// named returns a person's name for a page, noName when it is empty or
// blank (git accepts such commits; a link with no text cannot be seen or
// followed).
func named(name string) string {
	if strings.TrimSpace(name) == "" {
		return noName
	}
	return name
}

// fail answers with the status an error maps to; internal detail goes to
// the log only.
func (p *Pages) fail(w http.ResponseWriter, err error) {
	f := catalog.FaultOf(err)
	switch f.Status {
	case http.StatusInternalServerError:
		p.log.Error("request failed", "err", err)
	case http.StatusBadRequest:
		f.Text = "bad request: " + f.Text
	}
	http.Error(w, f.Text, f.Status)
}

// pager is the data of the prev/next links under a paged table.
type pager struct {
	Prev, Next string
	From, To   int
	Total      int
}

func newPager(r *http.Request, limit, offset, n, total int, more bool) pager {
	link := func(off int) string {
		q := r.URL.Query()
		q.Set("offset", strconv.Itoa(off))
		q.Set("limit", strconv.Itoa(limit))
		return r.URL.Path + "?" + q.Encode()
	}
	pg := pager{From: offset + 1, To: offset + n, Total: total}
	if offset > 0 {
		pg.Prev = link(max(0, offset-limit))
	}
	if more {
		pg.Next = link(offset + limit)
	}
	return pg
}

var funcs = template.FuncMap{
	"date": func(t time.Time) string {
		if t.IsZero() {
			return "-"
		}
		return t.Format("2006-01-02")
	},
	"pct": func(part, total int64) string {
		if total == 0 {
			return "0"
		}
		return strconv.FormatFloat(100*float64(part)/float64(total), 'f', 1, 64)
	},
	"resourcesNav": func() bool { return false }, // see registerDocs
	"docPath":      docPath,
	"shortCommit": func(c string) string {
		if len(c) > 12 {
			return c[:12]
		}
		return c
	},
	"projectURL": func(id int64) string { return "/projects/" + strconv.FormatInt(id, 10) },
	"techURL":    func(id string) string { return "/technologies/" + url.PathEscape(id) },
	"personURL":  func(id string) string { return "/people/" + url.PathEscape(id) },
	"named":      named,
	"teamURL":    func(owner string) string { return "/teams/" + url.PathEscape(owner) },
	"lineURL":    markup.LineURL,
	"pkgID":      estate.PackageID,
	"langChart":  languageChart,
	"hbars":      hbars,
	"columns":    columns,
	"sevClass":   func(rating string) string { return "sev-" + vuln.RatingName(rating) },
	"sevText": func(s catalog.Severity) string {
		switch {
		case s.Rating == "":
			return "UNKNOWN"
		case s.Score > 0:
			return s.Rating + " " + strconv.FormatFloat(s.Score, 'f', 1, 64)
		}
		return s.Rating
	},
	"score": scoreText,
	"inboxRow": func(it inbox.Item, csrf string, snooze any) map[string]any {
		return map[string]any{"Item": it, "CSRF": csrf, "Snooze": snooze}
	},
	"failing": func(f catalog.ProbeFinding) bool {
		return f.Outcome == catalog.OutcomeFail || f.Outcome == catalog.OutcomePartial
	},
	"conf": func(f float64) string { return strconv.FormatFloat(100*f, 'f', 0, 64) + "%" },
	// figure is a health figure: a whole number as such, else two decimals.
	"figure": func(v float64) string {
		if v == math.Trunc(v) {
			return strconv.FormatFloat(v, 'f', 0, 64)
		}
		return strconv.FormatFloat(v, 'f', 2, 64)
	},
	// notice is replaced per Pages by SetNotice.
	"notice": func() string { return "" },
	"datetime": func(t time.Time) string {
		if t.IsZero() {
			return "-"
		}
		return t.UTC().Format("2006-01-02 15:04 UTC")
	},
}
