package api

import (
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/ospo-project/ospo/internal/auth"
	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/govern"
	"github.com/ospo-project/ospo/internal/governance"
	"github.com/ospo-project/ospo/internal/store"
)

// NewRequest is the body of POST /api/v1/requests.
type NewRequest struct {
	Kind    governance.Kind    `json:"kind"`
	Subject string             `json:"subject"`
	Title   string             `json:"title"`
	Details governance.Details `json:"details"`
	Answers map[string]string  `json:"answers"`
	// Expires is a date (YYYY-MM-DD) or an RFC 3339 time.
	Expires string `json:"expires"`
}

// RequestAction is the body of POST /api/v1/requests/{id}/actions.
type RequestAction struct {
	Action       governance.Action `json:"action"`
	Text         string            `json:"text"`
	Attestations []string          `json:"attestations"`
}

// RegisterGovernance adds the request and external-estate routes and
// returns their patterns. The hub's permission check runs first; who may
// approve is then the governance policy's.
func RegisterGovernance(mux Mux, svc *govern.Service, st store.Store, version string, log *slog.Logger) []string {
	fail := func(w http.ResponseWriter, err error) {
		f := catalog.FaultOf(err)
		if f.Status >= 500 {
			log.Error("api governance", "err", err)
		}
		writeError(w, f.Status, f.Text)
	}
	who := func(r *http.Request) (govern.Who, error) {
		a := auth.ActorOf(r)
		email := auth.FromContext(r.Context()).Principal.Email()
		if email == "" {
			return govern.Who{}, catalog.Kind("not signed in", catalog.ErrUnauthenticated)
		}
		return svc.Who(r.Context(), email, a.Source, a.Address)
	}
	id := func(r *http.Request) (int64, error) {
		n, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
		if err != nil || n <= 0 {
			return 0, catalog.Kind("no such request", catalog.ErrNotFound)
		}
		return n, nil
	}
	decode := func(r *http.Request, v any) error {
		dec := json.NewDecoder(io.LimitReader(r.Body, 1<<20))
		dec.DisallowUnknownFields()
		if err := dec.Decode(v); err != nil {
			return catalog.Mark(errors.New("body: "+err.Error()), catalog.ErrInvalid)
		}
		return nil
	}
	mux.HandleFunc("GET "+Prefix+"/requests", func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		var rs []governance.Request
		var err error
		if q.Get("view") == "to-review" {
			var wh govern.Who
			if wh, err = who(r); err == nil {
				rs, err = svc.ToReview(r.Context(), wh)
			}
		} else {
			f := governance.RequestFilter{Kind: governance.Kind(q.Get("kind")), State: governance.State(q.Get("state")),
				Requester: q.Get("requester"), Subject: q.Get("subject"), Limit: 500}
			rs, err = st.ListRequests(r.Context(), f)
		}
		if err != nil {
			fail(w, err)
			return
		}
		if rs == nil {
			rs = []governance.Request{}
		}
		writeJSON(w, rs)
	})
	mux.HandleFunc("POST "+Prefix+"/requests", func(w http.ResponseWriter, r *http.Request) {
		wh, err := who(r)
		if err != nil {
			fail(w, err)
			return
		}
		var body NewRequest
		if err := decode(r, &body); err != nil {
			fail(w, err)
			return
		}
		d := governance.Draft{Kind: body.Kind, Subject: body.Subject, Title: body.Title, Details: body.Details, Answers: body.Answers}
		if body.Expires != "" {
			t, err := time.Parse(time.DateOnly, body.Expires)
			if err != nil {
				if t, err = time.Parse(time.RFC3339, body.Expires); err != nil {
					fail(w, catalog.Mark(errors.New("expires: want YYYY-MM-DD"), catalog.ErrInvalid))
					return
				}
			}
			d.Expires = t
		}
		req, err := svc.Open(r.Context(), wh, d)
		if err != nil {
			fail(w, err)
			return
		}
		w.Header().Set("Location", Prefix+"/requests/"+strconv.FormatInt(req.ID, 10))
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusCreated)
		json.NewEncoder(w).Encode(req)
	})
	mux.HandleFunc("GET "+Prefix+"/requests/{id}", func(w http.ResponseWriter, r *http.Request) {
		n, err := id(r)
		if err == nil {
			var req *governance.Request
			if req, err = st.Request(r.Context(), n); err == nil {
				writeJSON(w, req)
				return
			}
		}
		fail(w, err)
	})
	mux.HandleFunc("POST "+Prefix+"/requests/{id}/actions", func(w http.ResponseWriter, r *http.Request) {
		n, err := id(r)
		if err != nil {
			fail(w, err)
			return
		}
		wh, err := who(r)
		if err != nil {
			fail(w, err)
			return
		}
		var body RequestAction
		if err := decode(r, &body); err != nil {
			fail(w, err)
			return
		}
		req, err := svc.Act(r.Context(), wh, n, governance.Step{Action: body.Action, Text: body.Text, Attestations: body.Attestations})
		if err != nil {
			fail(w, err)
			return
		}
		writeJSON(w, req)
	})
	mux.HandleFunc("GET "+Prefix+"/requests/{id}/evidence", func(w http.ResponseWriter, r *http.Request) {
		n, err := id(r)
		if err == nil {
			var pk *govern.Pack
			if pk, err = svc.Export(r.Context(), n, version); err == nil {
				writeJSON(w, pk)
				return
			}
		}
		fail(w, err)
	})
	mux.HandleFunc("GET "+Prefix+"/external", func(w http.ResponseWriter, r *http.Request) {
		rows, err := svc.Estate(r.Context())
		if err != nil {
			fail(w, err)
			return
		}
		writeJSON(w, rows)
	})
	return []string{"GET " + Prefix + "/requests", "POST " + Prefix + "/requests", "GET " + Prefix + "/requests/{id}",
		"POST " + Prefix + "/requests/{id}/actions", "GET " + Prefix + "/requests/{id}/evidence", "GET " + Prefix + "/external"}
}
