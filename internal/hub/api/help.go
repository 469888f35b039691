package api

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/ospo-project/ospo/internal/auth"
	"github.com/ospo-project/ospo/internal/hub/estate"
)

// helpersPerPost is how many matched people each help post lists.
const helpersPerPost = 5

// helpWanted returns the open "looking for help" posts, soonest end first,
// each with the people whose skills match (?project=KEY narrows to one
// project).
func (a *API) helpWanted(w http.ResponseWriter, r *http.Request) {
	hs, err := a.cat.HelpWanted(r.Context(), r.URL.Query().Get("project"), helpersPerPost)
	if err != nil {
		a.fail(w, err)
		return
	}
	writeJSON(w, hs)
}

// RegisterHelp adds the routes that write help posts: POST
// /api/v1/help-wanted (a JSON estate.HelpForm; the caller must maintain the
// project or be of the OSPO) and POST /api/v1/help-wanted/{id}/close. They
// need accounts. It returns their patterns.
func RegisterHelp(mux Mux, cat *estate.Catalog, log *slog.Logger) []string {
	a := &API{cat: cat, log: log}
	mux.HandleFunc("POST "+Prefix+"/help-wanted", func(w http.ResponseWriter, r *http.Request) {
		var f estate.HelpForm
		dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 64<<10))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&f); err != nil {
			writeError(w, http.StatusBadRequest, "bad request: the body must be a JSON help post {project, title, description, skills, size, ends}")
			return
		}
		h, err := f.Post()
		if err == nil {
			h, err = cat.PostHelp(r.Context(), auth.FromContext(r.Context()).Principal, f.Project, h,
				auth.ActorOf(r).Entry("help.post", time.Now().UTC()))
		}
		if err != nil {
			a.fail(w, err)
			return
		}
		w.Header().Set("Location", Prefix+"/help-wanted/"+strconv.FormatInt(h.ID, 10))
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusCreated)
		json.NewEncoder(w).Encode(h)
	})
	mux.HandleFunc("POST "+Prefix+"/help-wanted/{id}/close", func(w http.ResponseWriter, r *http.Request) {
		id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
		if err != nil {
			writeError(w, http.StatusNotFound, "not found")
			return
		}
		h, err := cat.CloseHelp(r.Context(), auth.FromContext(r.Context()).Principal, id, auth.ActorOf(r).Entry("help.close", time.Now().UTC()))
		if err != nil {
			a.fail(w, err)
			return
		}
		writeJSON(w, h)
	})
	return []string{"POST " + Prefix + "/help-wanted", "POST " + Prefix + "/help-wanted/{id}/close"}
}
