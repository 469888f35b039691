package api

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/ospo-project/ospo/internal/auth"
	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/hub/estate"
	"github.com/ospo-project/ospo/internal/inbox"
)

// RegisterInbox adds the caller's inbox: GET /api/v1/inbox (?all=true
// lists snoozed and done items too) and POST /api/v1/inbox/decisions
// (snooze, mark done or reopen one item; a JSON Decision, or the same
// fields as a form). It returns their patterns.
func RegisterInbox(mux Mux, cat *estate.Catalog, log *slog.Logger) []string {
	a := &API{cat: cat, log: log}
	mux.HandleFunc("GET "+Prefix+"/inbox", func(w http.ResponseWriter, r *http.Request) {
		p := auth.FromContext(r.Context()).Principal
		if p.Account == nil {
			w.Header().Set("WWW-Authenticate", `Bearer realm="ospo"`)
			writeError(w, http.StatusUnauthorized, "not signed in: send Authorization: Bearer <token>")
			return
		}
		all := strings.EqualFold(r.URL.Query().Get("all"), "true")
		in, _, err := cat.Inbox(r.Context(), p.Account.Email, inbox.Options{Hidden: all})
		if err != nil {
			a.fail(w, err)
			return
		}
		writeJSON(w, in)
	})
	mux.HandleFunc("POST "+Prefix+"/inbox/decisions", func(w http.ResponseWriter, r *http.Request) {
		p := auth.FromContext(r.Context()).Principal
		if p.Account == nil {
			writeError(w, http.StatusUnauthorized, "not signed in")
			return
		}
		var d Decision
		if strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
			dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 16<<10))
			dec.DisallowUnknownFields()
			if err := dec.Decode(&d); err != nil {
				writeError(w, http.StatusBadRequest, "bad request: the body must be a JSON decision {item, state, for, fingerprint}")
				return
			}
		} else { // a form: item, state, for, fingerprint
			d = Decision{Item: r.PostFormValue("item"), State: r.PostFormValue("state"), For: r.PostFormValue("for"),
				Fingerprint: r.PostFormValue("fingerprint")}
		}
		until, err := d.Until(time.Now())
		if err != nil {
			a.fail(w, err)
			return
		}
		by := auth.ActorOf(r).Entry("", time.Now())
		if err := cat.DecideInbox(r.Context(), p.Account.Email, d.Item, d.State, until, d.Fingerprint, by); err != nil {
			a.fail(w, err)
			return
		}
		writeJSON(w, struct {
			Item  string    `json:"item"`
			State string    `json:"state"`
			Until time.Time `json:"until,omitzero"`
		}{d.Item, d.State, until})
	})
	return []string{"GET " + Prefix + "/inbox", "POST " + Prefix + "/inbox/decisions"}
}

// Decision is a person's decision about one item of their inbox.
type Decision struct {
	Item string `json:"item"`
	// State is snoozed, done or open (reopen).
	State string `json:"state"`
	// For is how long a snooze lasts ("7d", "12h"); default 7d.
	For string `json:"for,omitempty"`
	// Fingerprint is the fact the person saw; empty: the current one.
	Fingerprint string `json:"fingerprint,omitempty"`
}

// Until returns when a snooze decided at now ends (zero for other states).
func (d Decision) Until(now time.Time) (time.Time, error) {
	if d.State != catalog.InboxSnoozed {
		return time.Time{}, nil
	}
	if d.For == "" {
		d.For = "7d"
	}
	dur, err := auth.ParseDuration(d.For)
	if err != nil {
		return time.Time{}, fmt.Errorf("%w: for: %s", estate.ErrInvalid, catalog.UserText(err))
	}
	return now.Add(dur), nil
}
