package api

import (
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/ospo-project/ospo/internal/auth"
	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/store"
)

// RegisterAccounts adds the routes about accounts: GET /api/v1/me (the
// caller's account) and GET /api/v1/audit (the audit log, for those who may
// read it; the hub's permission check runs before either). It returns their
// patterns.
func RegisterAccounts(mux Mux, st store.Store, log *slog.Logger) []string {
	mux.HandleFunc("GET "+Prefix+"/me", func(w http.ResponseWriter, r *http.Request) {
		p := auth.FromContext(r.Context()).Principal
		if p.Account == nil {
			w.Header().Set("WWW-Authenticate", `Bearer realm="ospo"`)
			writeError(w, http.StatusUnauthorized, "not signed in: send Authorization: Bearer <token>")
			return
		}
		body := struct {
			*catalog.Account
			Via   string             `json:"via"`
			Scope catalog.TokenScope `json:"scope,omitempty"`
		}{p.Account, p.Via, p.Scope}
		writeJSON(w, body)
	})
	mux.HandleFunc("GET "+Prefix+"/audit", func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		f := store.AuditFilter{Actor: q.Get("actor"), Action: q.Get("action"), Object: q.Get("object"), Limit: 100}
		for name, dst := range map[string]*int64{"after": &f.AfterSeq} {
			if v := q.Get(name); v != "" {
				n, err := strconv.ParseInt(v, 10, 64)
				if err != nil || n < 0 {
					writeError(w, http.StatusBadRequest, name+" is not a sequence number")
					return
				}
				*dst = n
			}
		}
		if v := q.Get("limit"); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 1 || n > 1000 {
				writeError(w, http.StatusBadRequest, "limit must be 1 to 1000")
				return
			}
			f.Limit = n
		}
		if v := q.Get("since"); v != "" {
			t, err := time.Parse(time.RFC3339, v)
			if err != nil {
				writeError(w, http.StatusBadRequest, "since must be an RFC 3339 time")
				return
			}
			f.Since = t
		}
		es, err := st.ListAudit(r.Context(), f)
		if err != nil {
			log.Error("api audit", "err", err)
			writeError(w, http.StatusInternalServerError, "internal error")
			return
		}
		if es == nil {
			es = []catalog.AuditEntry{}
		}
		writeJSON(w, es)
	})
	return []string{"GET " + Prefix + "/me", "GET " + Prefix + "/audit"}
}
