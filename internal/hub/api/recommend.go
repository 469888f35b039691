package api

import (
	"fmt"
	"net/http"
	"strconv"

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
