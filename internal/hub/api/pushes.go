package api

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strconv"

	"github.com/ospo-project/ospo/internal/auth"
	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/pushproxy"
	"github.com/ospo-project/ospo/internal/store"
)

// PushReviewer decides on held pushes and forwards approved ones: the push
// proxy (pushproxy.Proxy).
type PushReviewer interface {
	Decide(ctx context.Context, id int64, d pushproxy.Decision) (*catalog.Push, error)
	Attestations() []string
	// Diff returns the patches of a held or approved push's commits.
	Diff(ctx context.Context, id int64) (string, error)
}

// PushDecision is the body of POST /api/v1/pushes/{id}/approve and
// /reject.
type PushDecision struct {
	// Attestations are the statements the reviewer makes (every one the
	// proxy is configured with, to approve).
	Attestations []string `json:"attestations"`
	// Reason is required to reject; a note for the pusher on approval.
	Reason string `json:"reason"`
}

// PushView is a push as the API shows it: the push, and what a reviewer
// must attest to approve it.
type PushView struct {
	catalog.Push
	Attestations []string `json:"required_attestations"`
}

// errNoProxy: the hub runs without a push proxy, so nothing can be decided.
var errNoProxy = errors.New("the hub runs without the push proxy (proxy section of ospo.yaml): pushes can be listed, not decided")

// RegisterPushes adds the push proxy's routes and returns their patterns:
// the pushes received (filtered by status, held ones first of all), one
// push with its commits and findings, its diff, and the reviewers'
// approve and reject. d may be nil (no proxy configured): listing works,
// deciding answers 503. The hub's permission check runs first; four eyes
// (the pusher never decides on their own push, whatever their role) is the
// proxy's and the store's, as on the web pages.
func RegisterPushes(mux Mux, st store.Store, d PushReviewer, log *slog.Logger) []string {
	fail := func(w http.ResponseWriter, err error) {
		f := catalog.FaultOf(err)
		if f.Status >= 500 {
			log.Error("api pushes", "err", err)
		}
		writeError(w, f.Status, f.Text)
	}
	id := func(r *http.Request) (int64, error) {
		n, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
		if err != nil || n <= 0 {
			return 0, catalog.Kind("no such push", catalog.ErrNotFound)
		}
		return n, nil
	}
	attestations := func() []string {
		if d == nil {
			return []string{}
		}
		if a := d.Attestations(); a != nil {
			return a
		}
		return []string{}
	}
	mux.HandleFunc("GET "+Prefix+"/pushes", func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		f := store.PushFilter{Status: catalog.PushStatus(q.Get("status")), Upstream: q.Get("upstream"), Limit: 100}
		if f.Status != "" && !f.Status.Valid() {
			writeError(w, http.StatusBadRequest, "status: want held, approved, forwarded, rejected, failed or expired")
			return
		}
		if v := q.Get("limit"); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 1 || n > 1000 {
				writeError(w, http.StatusBadRequest, "limit: want a number from 1 to 1000")
				return
			}
			f.Limit = n
		}
		list, err := st.ListPushes(r.Context(), f)
		if err != nil {
			fail(w, err)
			return
		}
		if list == nil {
			list = []catalog.Push{}
		}
		writeJSON(w, list)
	})
	mux.HandleFunc("GET "+Prefix+"/pushes/{id}", func(w http.ResponseWriter, r *http.Request) {
		n, err := id(r)
		if err == nil {
			var p *catalog.Push
			if p, err = st.Push(r.Context(), n); err == nil {
				writeJSON(w, PushView{Push: *p, Attestations: attestations()})
				return
			}
		}
		fail(w, err)
	})
	mux.HandleFunc("GET "+Prefix+"/pushes/{id}/diff", func(w http.ResponseWriter, r *http.Request) {
		n, err := id(r)
		if err != nil {
			fail(w, err)
			return
		}
		if d == nil {
			writeError(w, http.StatusServiceUnavailable, errNoProxy.Error())
			return
		}
		p, err := st.Push(r.Context(), n)
		if err != nil {
			fail(w, err)
			return
		}
		if p.Status != catalog.PushHeld && p.Status != catalog.PushApproved {
			writeError(w, http.StatusConflict, "push "+strconv.FormatInt(n, 10)+" is "+string(p.Status)+": its objects are kept only while it is held or approved")
			return
		}
		diff, err := d.Diff(r.Context(), n)
		if err != nil {
			fail(w, err)
			return
		}
		w.Header().Set("Content-Type", "text/x-diff; charset=utf-8")
		w.Header().Set("X-Content-Type-Options", "nosniff")
		io.WriteString(w, diff)
	})
	decide := func(approve bool) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			n, err := id(r)
			if err != nil {
				fail(w, err)
				return
			}
			if d == nil {
				writeError(w, http.StatusServiceUnavailable, errNoProxy.Error())
				return
			}
			var body PushDecision
			dec := json.NewDecoder(io.LimitReader(r.Body, 1<<20))
			dec.DisallowUnknownFields()
			if err := dec.Decode(&body); err != nil {
				writeError(w, http.StatusBadRequest, "body: "+err.Error())
				return
			}
			p, err := d.Decide(r.Context(), n, pushproxy.Decision{Approve: approve, Reviewer: auth.ActorOf(r),
				Reason: body.Reason, Attestations: body.Attestations})
			if err != nil && p == nil {
				fail(w, err)
				return
			}
			// An approval whose forward failed stands: the push says so
			// (status approved, retried by the proxy; or failed, with the
			// upstream's error).
			writeJSON(w, PushView{Push: *p, Attestations: attestations()})
		}
	}
	mux.HandleFunc("POST "+Prefix+"/pushes/{id}/approve", decide(true))
	mux.HandleFunc("POST "+Prefix+"/pushes/{id}/reject", decide(false))
	return []string{"GET " + Prefix + "/pushes", "GET " + Prefix + "/pushes/{id}", "GET " + Prefix + "/pushes/{id}/diff",
		"POST " + Prefix + "/pushes/{id}/approve", "POST " + Prefix + "/pushes/{id}/reject"}
}
