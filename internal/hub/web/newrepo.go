package web

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ospo-project/ospo/internal/auth"
	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/goldenpath"
)

// GoldenPaths serve the form of `ospo new` (GET /new, POST /new).
type GoldenPaths struct {
	Templates *goldenpath.Set
	// Create makes the repository r asks for, commits it, creates it on
	// r.Forge when set (and pushes it there), scans it into the catalogue,
	// and returns the new project's ID. It is the composition root's (it
	// needs git, the sources and the pipeline); an error of kind
	// goldenpath.ErrInvalid is the user's, and so is the text of any error
	// of a forge creation (what the forge refused, or what it made before
	// a push failed).
	Create func(ctx context.Context, r NewRepository) (int64, error)
	// Forges are the names of the sources (github, gitlab) the form offers
	// to create the repository on too; none: the form offers none.
	Forges []string
	// Audit appends the entry of a creation (the store's AppendAudit).
	Audit func(ctx context.Context, e catalog.AuditEntry) (catalog.AuditEntry, error)
}

// NewRepository is what the form asks Create for.
type NewRepository struct {
	Template *goldenpath.Template
	// Name passed goldenpath.CheckName; Values were checked by
	// Template.Values.
	Name   string
	Values map[string]string
	// Forge is one of GoldenPaths.Forges, or empty: no remote repository.
	// Private asks the forge for a private repository.
	Forge   string
	Private bool
}

// ActRepositoryCreate is the audit action of a repository created from the
// hub's form.
const ActRepositoryCreate = "repository.create"

// RegisterGoldenPaths adds the form that creates a repository from a
// golden path.
func (p *Pages) RegisterGoldenPaths(mux Mux, g GoldenPaths) {
	p.golden = g
	mux.HandleFunc("GET /new", p.newRepoForm)
	mux.HandleFunc("POST /new", p.newRepo)
}

type newParam struct {
	goldenpath.Parameter
	Value string
}

func (p *Pages) renderNewRepo(w http.ResponseWriter, r *http.Request, status int, tmplName, name string, vals map[string]string, problem string) {
	d := accountData(r, "New repository")
	names := p.golden.Templates.Names()
	if tmplName == "" && len(names) > 0 {
		tmplName = names[0]
	}
	t, err := p.golden.Templates.Get(tmplName)
	if err != nil {
		status, problem, t = http.StatusBadRequest, catalog.UserText(err), nil
	}
	var params []newParam
	if t != nil {
		for _, pr := range t.Parameters {
			v, ok := vals[pr.Name]
			if !ok {
				v = pr.Default
			}
			params = append(params, newParam{Parameter: pr, Value: v})
		}
		d["Template"] = t
	}
	d["Templates"], d["Selected"], d["Name"], d["Params"], d["Problem"] = names, tmplName, name, params, problem
	d["Forges"], d["Forge"], d["Private"] = p.golden.Forges, r.PostFormValue("forge"), r.PostFormValue("private") != ""
	if status != http.StatusOK {
		w.WriteHeader(status)
	}
	p.render(w, "new.html", d)
}

// newRepoForm shows the templates and the chosen one's parameters.
func (p *Pages) newRepoForm(w http.ResponseWriter, r *http.Request) {
	p.renderNewRepo(w, r, http.StatusOK, r.URL.Query().Get("template"), "", nil, "")
}

// newRepo creates the repository: the values are checked by the template
// (a NAME that is not one plain path element, an unknown parameter or a
// value with control characters is refused; values are data, never
// templates; a forge not offered is refused), then Create makes, commits,
// creates on the forge and pushes when asked, and scans it, and the
// creation is audited. It answers with the new project's page.
func (p *Pages) newRepo(w http.ResponseWriter, r *http.Request) {
	tmplName, name := r.PostFormValue("template"), strings.TrimSpace(r.PostFormValue("name"))
	set := map[string]string{}
	for k, vs := range r.PostForm {
		if pn, ok := strings.CutPrefix(k, "param_"); ok && len(vs) > 0 {
			set[pn] = vs[0]
		}
	}
	t, err := p.golden.Templates.Get(tmplName)
	if err != nil {
		p.renderNewRepo(w, r, http.StatusBadRequest, "", name, set, catalog.UserText(err))
		return
	}
	vals, err := t.Values(name, set)
	if err != nil {
		p.renderNewRepo(w, r, http.StatusBadRequest, tmplName, name, set, err.Error())
		return
	}
	forge, private := r.PostFormValue("forge"), r.PostFormValue("private") != ""
	if forge != "" && !slices.Contains(p.golden.Forges, forge) {
		p.renderNewRepo(w, r, http.StatusBadRequest, tmplName, name, set, "no forge named "+forge)
		return
	}
	id, err := p.golden.Create(r.Context(), NewRepository{Template: t, Name: name, Values: vals, Forge: forge, Private: private})
	if err != nil {
		switch {
		case errors.Is(err, goldenpath.ErrInvalid):
			p.renderNewRepo(w, r, http.StatusBadRequest, tmplName, name, set, err.Error())
		case forge != "":
			p.renderNewRepo(w, r, catalog.FaultOf(err).Status, tmplName, name, set, err.Error())
		default:
			p.fail(w, err)
		}
		return
	}
	e := *auth.ActorOf(r).Entry(ActRepositoryCreate, time.Now())
	e.Object = "repository:" + name
	e.After = `{"template":` + strconv.Quote(t.Name) + `,"name":` + strconv.Quote(name) + `,"project_id":` + strconv.FormatInt(id, 10) +
		`,"forge":` + strconv.Quote(forge) + `,"private":` + strconv.FormatBool(private) + `}`
	if _, err := p.golden.Audit(r.Context(), e); err != nil {
		p.fail(w, err)
		return
	}
	http.Redirect(w, r, "/projects/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
}
