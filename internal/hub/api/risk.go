package api

import (
	"net/http"

	"github.com/ospo-project/ospo/internal/hub/estate"
)

// projectLicenses returns a project's own licence with its evidence and its
// dependencies' licences with their policy status.
func (a *API) projectLicenses(w http.ResponseWriter, r *http.Request) {
	v, err := a.cat.ProjectLicenses(r.Context(), r.PathValue("id"))
	if err != nil {
		a.fail(w, err)
		return
	}
	writeJSON(w, v)
}

// projectVulnerabilities returns a project's vulnerability findings with
// the upgrades that remove them.
func (a *API) projectVulnerabilities(w http.ResponseWriter, r *http.Request) {
	v, err := a.cat.ProjectVulnerabilities(r.Context(), r.PathValue("id"))
	if err != nil {
		a.fail(w, err)
		return
	}
	writeJSON(w, v)
}

// licenses returns the estate's licence summary.
func (a *API) licenses(w http.ResponseWriter, r *http.Request) {
	b, err := a.cat.LicensesJSON(r.Context())
	if err != nil {
		a.fail(w, err)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Write(b)
}

// vulnerabilities returns the estate's exposure: counts by severity and the
// affected projects, worst first; severity, limit, offset.
func (a *API) vulnerabilities(w http.ResponseWriter, r *http.Request) {
	pg, err := estate.PagingOf(r.URL.Query())
	if err != nil {
		a.fail(w, err)
		return
	}
	v, err := a.cat.Exposure(r.Context(), r.URL.Query().Get("severity"), pg)
	if err != nil {
		a.fail(w, err)
		return
	}
	writeJSON(w, v)
}
