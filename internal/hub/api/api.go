// Package api serves the hub's REST API under /api/v1: JSON for everything
// the pages show, paged with limit and offset, described by the OpenAPI 3.1
// document served at /api/v1/openapi.json (a test keeps the two in step).
package api

import (
	"encoding/json"
	"log/slog"
	"net/http"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/hub/estate"
)

// Prefix is the path every API route starts with.
const Prefix = "/api/v1"

// API answers the REST routes from a Catalog.
type API struct {
	cat         *estate.Catalog
	log         *slog.Logger
	toolVersion string
}

// New returns the API over cat. toolVersion is recorded in the SBOMs it writes.
func New(cat *estate.Catalog, log *slog.Logger, toolVersion string) *API {
	return &API{cat: cat, log: log, toolVersion: toolVersion}
}

// Register adds the API's routes to mux and returns their patterns
// ("GET /api/v1/projects/{id}"), in registration order.
func (a *API) Register(mux Mux) []string {
	routes := []struct {
		pattern string
		h       http.HandlerFunc
	}{
		{"GET " + Prefix + "/openapi.json", a.openAPI},
		{"GET " + Prefix + "/estate", a.estate},
		{"GET " + Prefix + "/projects", a.projects},
		{"GET " + Prefix + "/projects/{id}", a.project},
		{"GET " + Prefix + "/projects/{id}/dependencies", a.dependencies},
		{"GET " + Prefix + "/projects/{id}/sbom/{format}", a.sbom},
		{"GET " + Prefix + "/projects/{id}/licenses", a.projectLicenses},
		{"GET " + Prefix + "/projects/{id}/vulnerabilities", a.projectVulnerabilities},
		{"GET " + Prefix + "/projects/{id}/score", a.projectScore},
		{"GET " + Prefix + "/projects/{id}/forge", a.projectForge},
		{"GET " + Prefix + "/projects/{id}/tracker", a.projectTracker},
		{"GET " + Prefix + "/projects/{id}/builds", a.projectBuilds},
		{"GET " + Prefix + "/artifacts", a.artifacts},
		{"GET " + Prefix + "/projects/{id}/similar", a.similar},
		{"GET " + Prefix + "/sources", a.sources},
		{"GET " + Prefix + "/licenses", a.licenses},
		{"GET " + Prefix + "/scores", a.scores},
		{"GET " + Prefix + "/vulnerabilities", a.vulnerabilities},
		{"GET " + Prefix + "/technologies", a.technologies},
		{"GET " + Prefix + "/technologies/{id}", a.technology},
		{"GET " + Prefix + "/people", a.people},
		{"GET " + Prefix + "/people/{id}", a.person},
		{"GET " + Prefix + "/people/{id}/recommendations", a.recommendations},
		{"GET " + Prefix + "/people/{id}/work", a.personWork},
		{"GET " + Prefix + "/teams", a.teams},
		{"GET " + Prefix + "/teams/{owner}", a.team},
		{"GET " + Prefix + "/search", a.search},
		{"GET " + Prefix + "/innersource", a.innersource},
		{"GET " + Prefix + "/help-wanted", a.helpWanted},
		{"GET " + Prefix + "/events", a.eventsList},
		{"GET " + Prefix + "/badges", a.badges},
		{"GET " + Prefix + "/people/{id}/badges", a.personBadges},
		{"GET " + Prefix + "/people/{id}/badges/{badge}/credential", a.credential},
		{"GET " + Prefix + "/leaderboard", a.leaderboard},
		{"GET " + Prefix + "/health", a.estateHealth},
		{"GET " + Prefix + "/projects/{id}/health", a.projectHealth},
		{"GET " + Prefix + "/teams/{owner}/health", a.teamHealth},
	}
	patterns := make([]string, 0, len(routes)+1)
	for _, r := range routes {
		mux.HandleFunc(r.pattern, r.h)
		patterns = append(patterns, r.pattern)
	}
	// Anything else under the prefix is a JSON 404, not an HTML page.
	mux.HandleFunc(Prefix+"/", func(w http.ResponseWriter, _ *http.Request) {
		writeError(w, http.StatusNotFound, "no such API route")
	})
	return patterns
}

// Mux is where routes are registered: an *http.ServeMux, or a wrapper
// that records the patterns.
type Mux interface {
	HandleFunc(pattern string, h func(http.ResponseWriter, *http.Request))
}

// errorBody is the JSON of every API error.
type errorBody struct {
	Error string `json:"error"`
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(true)
	enc.Encode(v)
}

func writeError(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(errorBody{msg})
}

// fail maps an error to its status; internal detail goes to the log only.
func (a *API) fail(w http.ResponseWriter, err error) {
	f := catalog.FaultOf(err)
	if f.Status == http.StatusInternalServerError {
		a.log.Error("api request failed", "err", err)
	}
	writeError(w, f.Status, f.Text)
}
