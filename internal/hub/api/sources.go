package api

import "net/http"

// sources lists the configured sources that have synced, with their last
// sync, status, last error and API budget.
func (a *API) sources(w http.ResponseWriter, r *http.Request) {
	states, err := a.cat.Sources(r.Context())
	if err != nil {
		a.fail(w, err)
		return
	}
	writeJSON(w, states)
}

// projectForge returns what forges say about a project: repositories, pull
// requests, issues and releases.
func (a *API) projectForge(w http.ResponseWriter, r *http.Request) {
	p, err := a.cat.Project(r.Context(), r.PathValue("id"))
	if err != nil {
		a.fail(w, err)
		return
	}
	f, err := a.cat.Forge(r.Context(), p.Key)
	if err != nil {
		a.fail(w, err)
		return
	}
	writeJSON(w, f)
}

// projectTracker returns the issue-tracker issues linked to a project.
func (a *API) projectTracker(w http.ResponseWriter, r *http.Request) {
	p, err := a.cat.Project(r.Context(), r.PathValue("id"))
	if err != nil {
		a.fail(w, err)
		return
	}
	issues, err := a.cat.Tracker(r.Context(), p.Key)
	if err != nil {
		a.fail(w, err)
		return
	}
	writeJSON(w, issues)
}

// projectBuilds returns a project's latest CI builds and their health.
func (a *API) projectBuilds(w http.ResponseWriter, r *http.Request) {
	p, err := a.cat.Project(r.Context(), r.PathValue("id"))
	if err != nil {
		a.fail(w, err)
		return
	}
	h, err := a.cat.Builds(r.Context(), p.Key)
	if err != nil {
		a.fail(w, err)
		return
	}
	writeJSON(w, h)
}

// artifacts lists the packages artifact repositories know, most
// downloaded first.
func (a *API) artifacts(w http.ResponseWriter, r *http.Request) {
	pkgs, err := a.cat.ArtifactPackages(r.Context())
	if err != nil {
		a.fail(w, err)
		return
	}
	writeJSON(w, pkgs)
}

// personWork returns a person's forge and tracker work.
func (a *API) personWork(w http.ResponseWriter, r *http.Request) {
	work, err := a.cat.Work(r.Context(), r.PathValue("id"))
	if err != nil {
		a.fail(w, err)
		return
	}
	writeJSON(w, work)
}
