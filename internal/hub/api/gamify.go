package api

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/events"
	"github.com/ospo-project/ospo/internal/hub/estate"
)

// eventsList returns the verified events, filtered by person, project and
// kind, oldest first; limit keeps the newest.
func (a *API) eventsList(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	limit := 0
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			a.fail(w, catalog.Mark(errors.New("limit must be a non-negative number"), catalog.ErrInvalid))
			return
		}
		limit = n
	}
	evs, err := a.cat.Events(r.Context(), estate.EventQuery{Person: q.Get("person"), Project: q.Get("project"), Kind: q.Get("kind"), Limit: limit})
	if err != nil {
		a.fail(w, err)
		return
	}
	writeJSON(w, evs)
}

// Gamification is what GET /api/v1/badges returns: the published rules.
type Gamification struct {
	Badges []events.Badge    `json:"badges"`
	Kinds  []events.KindInfo `json:"kinds"`
	Levels []events.Level    `json:"levels"`
	Caps   events.Caps       `json:"caps"`
}

// badges returns the badges with their criteria, the event kinds with their
// points, the levels and the caps.
func (a *API) badges(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, Gamification{Badges: events.Badges, Kinds: events.Kinds, Levels: events.Levels, Caps: events.DefaultCaps})
}

// personBadges returns one person's points, level, badges and events.
func (a *API) personBadges(w http.ResponseWriter, r *http.Request) {
	s, err := a.cat.Standing(r.Context(), r.PathValue("id"))
	if err != nil {
		a.fail(w, err)
		return
	}
	writeJSON(w, s)
}

// leaderboard returns points by team, and by person for those who consented.
func (a *API) leaderboard(w http.ResponseWriter, r *http.Request) {
	b, err := a.cat.Leaderboard(r.Context())
	if err != nil {
		a.fail(w, err)
		return
	}
	writeJSON(w, b)
}

// credential returns the signed Open Badges 3.0 credential of a badge the
// person earned, as a download (404 when no issuer key is configured).
func (a *API) credential(w http.ResponseWriter, r *http.Request) {
	b, err := a.cat.Credential(r.Context(), r.PathValue("id"), r.PathValue("badge"))
	if err != nil {
		a.fail(w, err)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Write(b)
}
