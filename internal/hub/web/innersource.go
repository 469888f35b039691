package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/ospo-project/ospo/internal/auth"
	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/hub/estate"
	"github.com/ospo-project/ospo/internal/innersource"
)

// helpersPerPost is how many matched people the marketplace shows for
// each help post.
const helpersPerPost = 3

// cardsPerPage is how many project cards the marketplace shows before
// "show all": a page of 500 cards took 20 ms of CPU to render.
const cardsPerPage = 50

// innersource is the marketplace: the open "looking for help" posts with
// the people whose skills match, then the InnerSource projects as cards,
// most active first.
func (p *Pages) innersource(w http.ResponseWriter, r *http.Request) {
	p.renderInnerSource(w, r, http.StatusOK, "")
}

func (p *Pages) renderInnerSource(w http.ResponseWriter, r *http.Request, status int, problem string) {
	cs, err := p.cat.InnerSource(r.Context())
	if err != nil {
		p.fail(w, err)
		return
	}
	help, err := p.cat.HelpWanted(r.Context(), "", helpersPerPost)
	if err != nil {
		p.fail(w, err)
		return
	}
	f := estate.CardFilter(r.URL.Query())
	shown := f.Apply(cs)
	d := accountData(r, "InnerSource")
	d["Facets"], d["Filter"], d["Filtered"], d["Total"] = innersource.FacetsOf(cs), f, !f.IsZero(), len(cs)
	d["Matching"], d["More"] = len(shown), 0
	if r.URL.Query().Get("all") == "" && len(shown) > cardsPerPage {
		d["More"] = len(shown) - cardsPerPage
		shown = shown[:cardsPerPage]
	}
	d["Cards"], d["Help"], d["Problem"], d["Sizes"] = shown, help, problem, catalog.HelpSizes
	if status != http.StatusOK {
		w.WriteHeader(status)
	}
	p.render(w, "innersource.html", d)
}

// postHelp records a help post by the signed-in account, who must
// maintain the project (or be of the OSPO).
func (p *Pages) postHelp(w http.ResponseWriter, r *http.Request) {
	f := estate.HelpForm{Project: r.PostFormValue("project"), Title: r.PostFormValue("title"), Description: r.PostFormValue("description"),
		Skills: strings.Split(r.PostFormValue("skills"), ","), Size: r.PostFormValue("size"), Ends: r.PostFormValue("ends")}
	h, err := f.Post()
	if err == nil {
		_, err = p.cat.PostHelp(r.Context(), auth.FromContext(r.Context()).Principal, strings.TrimSpace(f.Project), h,
			auth.ActorOf(r).Entry("help.post", nowUTC()))
	}
	if err != nil {
		p.renderInnerSource(w, r, catalog.FaultOf(err).Status, catalog.UserText(err))
		return
	}
	http.Redirect(w, r, "/innersource#help", http.StatusSeeOther)
}

// closeHelp closes a help post (its project's maintainers, the OSPO).
func (p *Pages) closeHelp(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	if _, err := p.cat.CloseHelp(r.Context(), auth.FromContext(r.Context()).Principal, id, auth.ActorOf(r).Entry("help.close", nowUTC())); err != nil {
		p.renderInnerSource(w, r, catalog.FaultOf(err).Status, catalog.UserText(err))
		return
	}
	http.Redirect(w, r, "/innersource#help", http.StatusSeeOther)
}
