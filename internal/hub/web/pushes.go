package web

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/ospo-project/ospo/internal/auth"
	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/pushproxy"
	"github.com/ospo-project/ospo/internal/store"
)

// PushDecider decides on held pushes and forwards approved ones: the push
// proxy (pushproxy.Proxy).
type PushDecider interface {
	Decide(ctx context.Context, id int64, d pushproxy.Decision) (*catalog.Push, error)
	Attestations() []string
	// Diff returns the patches of a held or approved push's commits.
	Diff(ctx context.Context, id int64) (string, error)
}

// RegisterPushes adds the push proxy's pages: the pushes received and one
// page per push with its commits, findings and the review forms. The
// hub's permission check runs before each (see hub.RouteAction).
func (p *Pages) RegisterPushes(mux Mux, st store.Store, d PushDecider) {
	p.pushStore, p.pushes = st, d
	mux.HandleFunc("GET /pushes", p.pushList)
	mux.HandleFunc("GET /pushes/{id}", p.pushPage)
	mux.HandleFunc("POST /pushes/{id}/approve", p.decidePush(true))
	mux.HandleFunc("POST /pushes/{id}/reject", p.decidePush(false))
}

// pushStatuses are the filters offered on the list.
var pushStatuses = []catalog.PushStatus{catalog.PushHeld, catalog.PushApproved, catalog.PushForwarded, catalog.PushRejected, catalog.PushFailed, catalog.PushExpired}

func (p *Pages) pushList(w http.ResponseWriter, r *http.Request) {
	status := catalog.PushStatus(r.URL.Query().Get("status"))
	if status != "" && !status.Valid() {
		http.Error(w, "bad request: unknown status", http.StatusBadRequest)
		return
	}
	list, err := p.pushStore.ListPushes(r.Context(), store.PushFilter{Status: status, Limit: 500})
	if err != nil {
		p.fail(w, err)
		return
	}
	d := accountData(r, "Pushes")
	d["Pushes"], d["Status"], d["Statuses"] = list, status, pushStatuses
	p.render(w, "pushes.html", d)
}

func (p *Pages) pushPage(w http.ResponseWriter, r *http.Request) {
	p.renderPush(w, r, http.StatusOK, "")
}

func (p *Pages) renderPush(w http.ResponseWriter, r *http.Request, status int, problem string) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		http.Error(w, "bad request: not a push id", http.StatusBadRequest)
		return
	}
	push, err := p.pushStore.Push(r.Context(), id)
	if err != nil {
		p.fail(w, err)
		return
	}
	d := accountData(r, "Push "+strconv.FormatInt(id, 10))
	pr := auth.FromContext(r.Context()).Principal
	d["Push"], d["Problem"], d["Attestations"] = push, problem, p.pushes.Attestations()
	d["CanReview"] = push.Status == catalog.PushHeld && pr.Can(auth.Review) && pr.Account != nil &&
		!strings.EqualFold(pr.Account.Email, push.Pusher)
	d["Own"] = pr.Account != nil && strings.EqualFold(pr.Account.Email, push.Pusher)
	if push.Status == catalog.PushHeld || push.Status == catalog.PushApproved {
		// The reviewers read the diff; a diff that cannot be built (the
		// upstream unreachable for a first fetch) is said, not fatal.
		if diff, err := p.pushes.Diff(r.Context(), id); err != nil {
			d["DiffProblem"] = "the diff cannot be shown: " + catalog.UserText(err)
		} else {
			d["Diff"] = diff
		}
	}
	if status != http.StatusOK {
		w.WriteHeader(status)
	}
	p.render(w, "push.html", d)
}

// decidePush approves or rejects a held push; an approval is forwarded by
// the proxy at once.
func (p *Pages) decidePush(approve bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
		if err != nil {
			http.Error(w, "bad request: not a push id", http.StatusBadRequest)
			return
		}
		push, err := p.pushes.Decide(r.Context(), id, pushproxy.Decision{Approve: approve, Reviewer: auth.ActorOf(r),
			Reason: r.PostFormValue("reason"), Attestations: r.PostForm["attestation"]})
		switch {
		case err != nil && push != nil:
			// Approved, but the upstream did not take it (yet).
			p.renderPush(w, r, http.StatusOK, catalog.UserText(err))
			return
		case errors.Is(err, store.ErrNotFound):
			p.fail(w, err)
			return
		case err != nil:
			f := catalog.FaultOf(err)
			if f.Status >= 500 {
				p.failChange(w, err)
				return
			}
			p.renderPush(w, r, f.Status, catalog.UserText(err))
			return
		}
		http.Redirect(w, r, "/pushes/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
	}
}
