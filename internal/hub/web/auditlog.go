package web

import (
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/ospo-project/ospo/internal/store"
)

// auditPageSize is how many entries the audit page shows at once.
const auditPageSize = 50

// auditLog shows the audit log, newest first, filtered by actor, action (a
// prefix ending in "." matches a family: "token.") and time.
func (p *Pages) auditLog(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := store.AuditFilter{Actor: q.Get("actor"), Action: q.Get("action"), Newest: true, Limit: auditPageSize + 1}
	if v := q.Get("before"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 0 {
			http.Error(w, "bad request: before is not a sequence number", http.StatusBadRequest)
			return
		}
		f.BeforeSeq = n
	}
	if v := q.Get("since"); v != "" {
		t, err := time.Parse("2006-01-02", v)
		if err != nil {
			http.Error(w, "bad request: since is not a date (2026-01-31)", http.StatusBadRequest)
			return
		}
		f.Since = t
	}
	es, err := p.acc.Store.ListAudit(r.Context(), f)
	if err != nil {
		p.fail(w, err)
		return
	}
	d := accountData(r, "Audit log")
	if len(es) > auditPageSize {
		es = es[:auditPageSize]
		next := url.Values{}
		for _, k := range []string{"actor", "action", "since"} {
			if v := q.Get(k); v != "" {
				next.Set(k, v)
			}
		}
		next.Set("before", strconv.FormatInt(es[len(es)-1].Seq, 10))
		d["Older"] = "/admin/audit?" + next.Encode()
	}
	d["Entries"], d["Actor"], d["Action"], d["Since"] = es, f.Actor, f.Action, q.Get("since")
	p.render(w, "audit.html", d)
}
