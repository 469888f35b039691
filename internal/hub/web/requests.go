package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/ospo-project/ospo/internal/auth"
	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/govern"
	"github.com/ospo-project/ospo/internal/governance"
	"github.com/ospo-project/ospo/internal/report"
	"github.com/ospo-project/ospo/internal/store"
)

// GovernanceDeps is what the request and external-estate pages need.
type GovernanceDeps struct {
	Service *govern.Service
	Store   store.Store
	// Version is recorded in exported SBOMs.
	Version string
}

// RegisterGovernance adds the request pages (list, new, detail, actions,
// evidence pack) and the external estate's. The hub's permission check runs
// first (hub.RouteAction); who may approve a request is then the
// governance policy's, applied by the workflow.
func (p *Pages) RegisterGovernance(mux Mux, d GovernanceDeps) {
	p.gov = d
	mux.HandleFunc("GET /requests", p.requests)
	mux.HandleFunc("GET /requests/new", p.newRequest)
	mux.HandleFunc("POST /requests", p.openRequest)
	mux.HandleFunc("GET /requests/{id}", p.request)
	mux.HandleFunc("POST /requests/{id}/actions", p.actOnRequest)
	mux.HandleFunc("GET /requests/{id}/evidence.json", p.evidence)
	mux.HandleFunc("GET /requests/{id}/evidence.html", p.evidence)
	mux.HandleFunc("GET /external", p.external)
	mux.HandleFunc("GET /external/{name}", p.externalProject)
	mux.HandleFunc("POST /external", p.saveExternal)
	mux.HandleFunc("POST /external/{name}", p.saveExternal)
	mux.HandleFunc("POST /external/{name}/attest", p.attestExternal)
}

// who returns the signed-in person as the workflow's actor.
func (p *Pages) who(r *http.Request) (govern.Who, error) {
	a := auth.ActorOf(r)
	email := auth.FromContext(r.Context()).Principal.Email()
	if email == "" {
		return govern.Who{}, catalog.Kind("sign in first", catalog.ErrUnauthenticated)
	}
	return p.gov.Service.Who(r.Context(), email, a.Source, a.Address)
}

func (p *Pages) requests(w http.ResponseWriter, r *http.Request) {
	d := accountData(r, "Requests")
	who, err := p.who(r)
	if err != nil {
		p.fail(w, err)
		return
	}
	view := r.URL.Query().Get("view")
	var rs []governance.Request
	switch view {
	case "mine":
		rs, err = p.gov.Store.ListRequests(r.Context(), governance.RequestFilter{Requester: who.Email})
	case "all":
		rs, err = p.gov.Store.ListRequests(r.Context(), governance.RequestFilter{State: governance.State(r.URL.Query().Get("state")), Limit: 500})
	default:
		view = "review"
		rs, err = p.gov.Service.ToReview(r.Context(), who)
	}
	if err != nil {
		p.fail(w, err)
		return
	}
	d["Requests"], d["View"], d["Kinds"] = rs, view, governance.Kinds
	p.render(w, "requests.html", d)
}

func (p *Pages) newRequest(w http.ResponseWriter, r *http.Request) {
	kind := governance.Kind(r.URL.Query().Get("kind"))
	if !kind.Valid() {
		kind = governance.KindOpenSource
	}
	p.renderNewRequest(w, r, http.StatusOK, kind, "")
}

func (p *Pages) renderNewRequest(w http.ResponseWriter, r *http.Request, status int, kind governance.Kind, problem string) {
	d := accountData(r, "New request")
	d["Kind"], d["Kinds"], d["Problem"] = kind, governance.Kinds, problem
	d["Questions"] = p.gov.Service.Policy(kind).Questions
	d["Lifecycles"] = governance.Lifecycles
	d["Form"] = r.PostForm
	if status != http.StatusOK {
		w.WriteHeader(status)
	}
	p.render(w, "request_new.html", d)
}

// draftFromForm reads a request's fields from a form (the web page's, or
// the API's JSON turned into the same fields).
func draftFromForm(get func(string) string) (governance.Draft, error) {
	d := governance.Draft{Kind: governance.Kind(get("kind")), Subject: get("subject"), Title: get("title"),
		Details: governance.Details{Reason: get("reason"), Scope: get("scope"), Agreement: get("agreement"),
			Advisory: get("advisory"), License: get("license"), Package: get("package"), Lifecycle: get("lifecycle"),
			EstateWide: get("estate_wide") != ""}}
	if d.Kind == governance.KindException {
		switch {
		case d.Details.Advisory != "":
			d.Details.Exception = governance.ExceptionVulnerability
		case d.Details.License != "":
			d.Details.Exception = governance.ExceptionLicense
		case d.Details.Package != "":
			d.Details.Exception = governance.ExceptionDependency
		}
	}
	if v := get("expires"); v != "" {
		t, err := time.Parse(time.DateOnly, v)
		if err != nil {
			return d, catalog.Mark(errors.New("expires: want YYYY-MM-DD"), catalog.ErrInvalid)
		}
		d.Expires = t
	}
	return d, nil
}

func (p *Pages) openRequest(w http.ResponseWriter, r *http.Request) {
	kind := governance.Kind(r.PostFormValue("kind"))
	who, err := p.who(r)
	if err != nil {
		p.fail(w, err)
		return
	}
	d, err := draftFromForm(r.PostFormValue)
	if err == nil {
		d.Answers = map[string]string{}
		for _, q := range p.gov.Service.Policy(kind).Questions {
			if v := strings.TrimSpace(r.PostFormValue("answer." + q.ID)); v != "" {
				d.Answers[q.ID] = v
			}
		}
		var req *governance.Request
		req, err = p.gov.Service.Open(r.Context(), who, d)
		if err == nil {
			http.Redirect(w, r, "/requests/"+strconv.FormatInt(req.ID, 10), http.StatusSeeOther)
			return
		}
	}
	if f := catalog.FaultOf(err); f.Status >= 500 {
		p.fail(w, err)
		return
	}
	if !kind.Valid() {
		kind = governance.KindOpenSource
	}
	p.renderNewRequest(w, r, catalog.FaultOf(err).Status, kind, catalog.UserText(err))
}

func requestID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, catalog.Kind("no such request", catalog.ErrNotFound)
	}
	return id, nil
}

func (p *Pages) request(w http.ResponseWriter, r *http.Request) {
	p.renderRequest(w, r, http.StatusOK, "")
}

func (p *Pages) renderRequest(w http.ResponseWriter, r *http.Request, status int, problem string) {
	id, err := requestID(r)
	if err != nil {
		p.fail(w, err)
		return
	}
	req, err := p.gov.Store.Request(r.Context(), id)
	if err != nil {
		p.fail(w, err)
		return
	}
	who, err := p.who(r)
	if err != nil {
		p.fail(w, err)
		return
	}
	pol := p.gov.Service.Policy(req.Kind)
	d := accountData(r, "Request #"+strconv.FormatInt(id, 10))
	d["Request"], d["Policy"], d["Problem"] = req, pol, problem
	d["CanReview"] = governance.CanReview(req, pol, governance.Actor{Email: who.Email, Role: who.Role, Teams: who.Teams})
	d["Mine"] = governance.NormalizeEmail(who.Email) == req.Requester
	if status != http.StatusOK {
		w.WriteHeader(status)
	}
	p.render(w, "request.html", d)
}

func (p *Pages) actOnRequest(w http.ResponseWriter, r *http.Request) {
	id, err := requestID(r)
	if err != nil {
		p.fail(w, err)
		return
	}
	who, err := p.who(r)
	if err != nil {
		p.fail(w, err)
		return
	}
	step := governance.Step{Action: governance.Action(r.PostFormValue("action")), Text: r.PostFormValue("text"),
		Attestations: r.PostForm["attest"]}
	if _, err := p.gov.Service.Act(r.Context(), who, id, step); err != nil {
		if f := catalog.FaultOf(err); f.Status >= 500 || f.Status == http.StatusNotFound {
			p.fail(w, err)
			return
		}
		p.renderRequest(w, r, catalog.FaultOf(err).Status, catalog.UserText(err))
		return
	}
	http.Redirect(w, r, "/requests/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
}

// evidence serves the evidence pack as a download: the HTML page carries
// its own inline style, which the hub's Content-Security-Policy would not
// apply, so it is an attachment opened from disk, never rendered here.
func (p *Pages) evidence(w http.ResponseWriter, r *http.Request) {
	id, err := requestID(r)
	if err != nil {
		p.fail(w, err)
		return
	}
	pk, err := p.gov.Service.Export(r.Context(), id, p.gov.Version)
	if err != nil {
		p.fail(w, err)
		return
	}
	name := "request-" + strconv.FormatInt(id, 10) + "-evidence"
	if strings.HasSuffix(r.URL.Path, ".html") {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Content-Disposition", `attachment; filename="`+name+`.html"`)
		govern.WriteHTML(w, pk)
		return
	}
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`.json"`)
	w.Header().Set("Content-Type", "application/json")
	report.JSON(w, pk)
}

func (p *Pages) external(w http.ResponseWriter, r *http.Request) {
	p.renderExternal(w, r, http.StatusOK, "")
}

func (p *Pages) renderExternal(w http.ResponseWriter, r *http.Request, status int, problem string) {
	rows, err := p.gov.Service.Estate(r.Context())
	if err != nil {
		p.fail(w, err)
		return
	}
	d := accountData(r, "External estate")
	d["Rows"], d["Lifecycles"], d["Problem"] = rows, governance.Lifecycles, problem
	d["CanEdit"] = auth.FromContext(r.Context()).Principal.Can(auth.Review)
	if status != http.StatusOK {
		w.WriteHeader(status)
	}
	p.render(w, "external.html", d)
}

func (p *Pages) externalProject(w http.ResponseWriter, r *http.Request) {
	rows, err := p.gov.Service.Estate(r.Context())
	if err != nil {
		p.fail(w, err)
		return
	}
	name := r.PathValue("name")
	for _, row := range rows {
		if strings.EqualFold(row.Project.Name, name) {
			d := accountData(r, row.Project.Name)
			d["Row"], d["Lifecycles"] = row, governance.Lifecycles
			d["CanEdit"] = auth.FromContext(r.Context()).Principal.Can(auth.Review)
			rs, err := p.gov.Store.ListRequests(r.Context(), governance.RequestFilter{})
			if err != nil {
				p.fail(w, err)
				return
			}
			var linked []governance.Request
			for _, q := range rs {
				for _, id := range row.Project.Requests {
					if q.ID == id {
						linked = append(linked, q)
					}
				}
			}
			d["Linked"] = linked
			p.render(w, "external_project.html", d)
			return
		}
	}
	p.fail(w, catalog.Kind("no such external project", catalog.ErrNotFound))
}

// saveExternal adds an estate project (POST /external) or changes one
// (POST /external/{name}): lifecycle, owners, URL, review date, notes.
func (p *Pages) saveExternal(w http.ResponseWriter, r *http.Request) {
	who, err := p.who(r)
	if err != nil {
		p.fail(w, err)
		return
	}
	var ep governance.ExternalProject
	if name := r.PathValue("name"); name != "" {
		cur, err := p.gov.Store.ExternalProject(r.Context(), name)
		if err != nil {
			p.fail(w, err)
			return
		}
		ep = *cur
	} else {
		ep.Name = r.PostFormValue("name")
	}
	set := func(field string, dst *string) {
		if v, ok := r.PostForm[field]; ok {
			*dst = strings.TrimSpace(v[0])
		}
	}
	set("url", &ep.URL)
	set("relation", &ep.Relation)
	set("notes", &ep.Notes)
	set("project_key", &ep.ProjectKey)
	if v := r.PostFormValue("lifecycle"); v != "" {
		ep.Lifecycle = governance.Lifecycle(v)
	}
	if v, ok := r.PostForm["owners"]; ok {
		ep.Owners = strings.FieldsFunc(v[0], func(c rune) bool { return c == ',' || c == ' ' || c == '\n' })
	}
	if v := r.PostFormValue("review_due"); v != "" {
		t, err := time.Parse(time.DateOnly, v)
		if err != nil {
			p.renderExternal(w, r, http.StatusBadRequest, "review date: want YYYY-MM-DD")
			return
		}
		ep.ReviewDue = t
	}
	got, err := p.gov.Service.SaveExternal(r.Context(), who, ep)
	if err != nil {
		if f := catalog.FaultOf(err); f.Status >= 500 {
			p.fail(w, err)
			return
		}
		p.renderExternal(w, r, catalog.FaultOf(err).Status, catalog.UserText(err))
		return
	}
	http.Redirect(w, r, "/external/"+got.Name, http.StatusSeeOther)
}

func (p *Pages) attestExternal(w http.ResponseWriter, r *http.Request) {
	who, err := p.who(r)
	if err != nil {
		p.fail(w, err)
		return
	}
	got, err := p.gov.Service.Attest(r.Context(), who, r.PathValue("name"))
	if err != nil {
		p.failChange(w, err)
		return
	}
	http.Redirect(w, r, "/external/"+got.Name, http.StatusSeeOther)
}
