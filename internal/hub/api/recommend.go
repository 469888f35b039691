package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/ospo-project/ospo/internal/auth"
	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/hub/estate"
	"github.com/ospo-project/ospo/internal/recommend"
	"github.com/ospo-project/ospo/internal/store"
)

// limitOf reads the limit parameter: 1 to 50, default def.
func limitOf(r *http.Request, def int) (int, error) {
	s := r.URL.Query().Get("limit")
	if s == "" {
		return def, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > 50 {
		return 0, fmt.Errorf("%w: limit must be a number from 1 to 50", estate.ErrInvalid)
	}
	return n, nil
}

// recommendations recommends to one person technologies, upgrades,
// projects, people to meet and resources, each with why: limit (per list).
func (a *API) recommendations(w http.ResponseWriter, r *http.Request) {
	limit, err := limitOf(r, 10)
	if err != nil {
		a.fail(w, err)
		return
	}
	rec, err := a.cat.Recommendations(r.Context(), r.PathValue("id"), recommend.Options{Limit: limit})
	if err != nil {
		a.fail(w, err)
		return
	}
	writeJSON(w, rec)
}

// similar lists the projects like one by shared dependencies: limit.
func (a *API) similar(w http.ResponseWriter, r *http.Request) {
	limit, err := limitOf(r, 10)
	if err != nil {
		a.fail(w, err)
		return
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		a.fail(w, store.ErrNotFound)
		return
	}
	sim, err := a.cat.SimilarProjects(r.Context(), id, limit)
	if err != nil {
		a.fail(w, err)
		return
	}
	writeJSON(w, sim)
}

// RegisterOptOut adds the caller's opt-outs: GET /api/v1/me/opt-out (the
// signed-in person's choice) and POST /api/v1/me/opt-out (change it: a JSON
// object {"experts": bool, "recommendations": bool}, a field left out
// keeping its value, or the same fields as a form), audited as the
// caller's person.opt-out. The caller's e-mail must be a person of the
// catalogue. It returns their patterns.
func RegisterOptOut(mux Mux, cat *estate.Catalog, log *slog.Logger) []string {
	a := &API{cat: cat, log: log}
	// person returns the catalogue person of the signed-in caller; false
	// when it wrote an error.
	person := func(w http.ResponseWriter, r *http.Request) (*catalog.Person, bool) {
		p := auth.FromContext(r.Context()).Principal
		if p.Account == nil {
			w.Header().Set("WWW-Authenticate", `Bearer realm="ospo"`)
			writeError(w, http.StatusUnauthorized, "not signed in: send Authorization: Bearer <token>")
			return nil, false
		}
		who, err := cat.Store().Person(r.Context(), p.Account.Email)
		switch {
		case errors.Is(err, store.ErrNotFound), errors.Is(err, store.ErrAmbiguous):
			writeError(w, http.StatusBadRequest, "bad request: no person of the catalogue has your e-mail")
			return nil, false
		case err != nil:
			a.fail(w, err)
			return nil, false
		}
		return who, true
	}
	current := func(r *http.Request, id string) (catalog.OptOut, error) {
		all, err := cat.OptOuts(r.Context())
		if err != nil {
			return catalog.OptOut{}, err
		}
		o := all[id]
		o.PersonID = id
		return o, nil
	}
	mux.HandleFunc("GET "+Prefix+"/me/opt-out", func(w http.ResponseWriter, r *http.Request) {
		who, ok := person(w, r)
		if !ok {
			return
		}
		o, err := current(r, who.ID)
		if err != nil {
			a.fail(w, err)
			return
		}
		writeJSON(w, o)
	})
	mux.HandleFunc("POST "+Prefix+"/me/opt-out", func(w http.ResponseWriter, r *http.Request) {
		var body struct {
			Experts         *bool `json:"experts"`
			Recommendations *bool `json:"recommendations"`
		}
		if strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
			dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 4<<10))
			dec.DisallowUnknownFields()
			if err := dec.Decode(&body); err != nil {
				writeError(w, http.StatusBadRequest, `bad request: the body must be a JSON object {"experts": bool, "recommendations": bool}`)
				return
			}
		} else {
			for name, dst := range map[string]**bool{"experts": &body.Experts, "recommendations": &body.Recommendations} {
				if v := r.PostFormValue(name); v != "" {
					b, err := strconv.ParseBool(v)
					if err != nil {
						writeError(w, http.StatusBadRequest, "bad request: "+name+" must be true or false")
						return
					}
					*dst = &b
				}
			}
		}
		who, ok := person(w, r)
		if !ok {
			return
		}
		o, err := current(r, who.ID)
		if err != nil {
			a.fail(w, err)
			return
		}
		if body.Experts != nil {
			o.Experts = *body.Experts
		}
		if body.Recommendations != nil {
			o.Recommendations = *body.Recommendations
		}
		now := time.Now().UTC()
		o.UpdatedAt = now
		if err := cat.Store().SetOptOut(r.Context(), o, auth.ActorOf(r).Entry(auth.ActPersonOptOut, now)); err != nil {
			a.fail(w, err)
			return
		}
		writeJSON(w, o)
	})
	return []string{"GET " + Prefix + "/me/opt-out", "POST " + Prefix + "/me/opt-out"}
}
