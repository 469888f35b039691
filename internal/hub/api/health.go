package api

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/hub/estate"
)

// weeksOf reads ?weeks= (default 52, 4 to 260).
func weeksOf(r *http.Request) (int, error) {
	v := r.URL.Query().Get("weeks")
	if v == "" {
		return estate.DefaultHealthWeeks, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 4 || n > 260 {
		return 0, catalog.Mark(errors.New("weeks must be a number from 4 to 260"), catalog.ErrInvalid)
	}
	return n, nil
}

func (a *API) healthOf(w http.ResponseWriter, r *http.Request, get func(weeks int) (*estate.HealthView, error)) {
	weeks, err := weeksOf(r)
	if err != nil {
		a.fail(w, err)
		return
	}
	v, err := get(weeks)
	if err != nil {
		a.fail(w, err)
		return
	}
	writeJSON(w, v)
}

// estateHealth returns the estate's community health.
func (a *API) estateHealth(w http.ResponseWriter, r *http.Request) {
	a.healthOf(w, r, func(weeks int) (*estate.HealthView, error) { return a.cat.EstateHealth(r.Context(), weeks) })
}

// projectHealth returns one project's community health.
func (a *API) projectHealth(w http.ResponseWriter, r *http.Request) {
	a.healthOf(w, r, func(weeks int) (*estate.HealthView, error) {
		return a.cat.ProjectHealth(r.Context(), r.PathValue("id"), weeks)
	})
}

// teamHealth returns one team's community health.
func (a *API) teamHealth(w http.ResponseWriter, r *http.Request) {
	a.healthOf(w, r, func(weeks int) (*estate.HealthView, error) {
		return a.cat.TeamHealth(r.Context(), r.PathValue("owner"), weeks)
	})
}
