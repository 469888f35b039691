// Package api serves the hub's REST API under /api/v1: JSON for everything
// the pages show, paged with limit and offset, described by the OpenAPI 3.1
// document served at /api/v1/openapi.json (a test keeps the two in step).
package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"

	"github.com/ospo-project/ospo/internal/hub/view"
	"github.com/ospo-project/ospo/internal/store"
)

// Prefix is the path every API route starts with.
const Prefix = "/api/v1"

// API answers the REST routes from a Catalog.
type API struct {
	cat         *view.Catalog
	log         *slog.Logger
	toolVersion string
}

// New returns the API over cat. toolVersion is recorded in the SBOMs it writes.
func New(cat *view.Catalog, log *slog.Logger, toolVersion string) *API {
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
		{"GET " + Prefix + "/licenses", a.licenses},
		{"GET " + Prefix + "/scores", a.scores},
		{"GET " + Prefix + "/vulnerabilities", a.vulnerabilities},
		{"GET " + Prefix + "/technologies", a.technologies},
		{"GET " + Prefix + "/technologies/{id}", a.technology},
		{"GET " + Prefix + "/people", a.people},
		{"GET " + Prefix + "/people/{id}", a.person},
		{"GET " + Prefix + "/teams", a.teams},
		{"GET " + Prefix + "/teams/{owner}", a.team},
		{"GET " + Prefix + "/search", a.search},
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
	switch {
	case errors.Is(err, store.ErrNotFound):
		writeError(w, http.StatusNotFound, "not found")
	case errors.Is(err, view.ErrInvalid), errors.Is(err, store.ErrInvalid):
		writeError(w, http.StatusBadRequest, userText(err))
	case errors.Is(err, store.ErrAmbiguous):
		writeError(w, http.StatusConflict, "ambiguous: more than one match")
	default:
		a.log.Error("api request failed", "err", err)
		writeError(w, http.StatusInternalServerError, "internal error")
	}
}

// userText is the message of an ErrInvalid, which is written to be shown.
func userText(err error) string {
	s := err.Error()
	if i := strings.LastIndex(s, ": "); i >= 0 && len(s) > i+2 {
		return s[i+2:]
	}
	return s
}

// paging reads limit and offset from the query string.
func paging(r *http.Request) (view.Paging, error) {
	var p view.Paging
	for name, dst := range map[string]*int{"limit": &p.Limit, "offset": &p.Offset} {
		if s := r.URL.Query().Get(name); s != "" {
			n, err := strconv.Atoi(s)
			if err != nil {
				return p, fmt.Errorf("%w: %s is not a number", view.ErrInvalid, name)
			}
			*dst = n
		}
	}
	return p.Normalize()
}
