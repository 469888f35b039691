package hub

import (
	"errors"
	"net/http"
	"strings"

	"github.com/ospo-project/ospo/internal/auth"
	"github.com/ospo-project/ospo/internal/inbox"
)

// InboxFeedRoute is the Atom feed of a person's inbox. Feed readers rarely
// send headers, so besides Authorization: Bearer it takes the API token in
// the query (?token=): a read-scoped token of the person's own, which the
// handler checks itself (the route is in signedRoutes).
const InboxFeedRoute = "GET /feeds/inbox.atom"

func (s *Server) inboxFeed(w http.ResponseWriter, r *http.Request) {
	tok := r.URL.Query().Get("token")
	if h := r.Header.Get("Authorization"); h != "" {
		scheme, t, ok := strings.Cut(h, " ")
		if !ok || !strings.EqualFold(scheme, "Bearer") {
			http.Error(w, "unauthorized: send a token", http.StatusUnauthorized)
			return
		}
		tok = strings.TrimSpace(t)
	}
	if tok == "" {
		w.Header().Set("WWW-Authenticate", `Bearer realm="ospo"`)
		http.Error(w, "unauthorized: add ?token= with an API token of yours (read scope is enough)", http.StatusUnauthorized)
		return
	}
	p, err := s.auth.Service.Token(r.Context(), tok)
	if err != nil {
		if !errors.Is(err, auth.ErrUnauthenticated) {
			s.log.Error("inbox feed: token", "err", err)
			http.Error(w, "internal error", http.StatusInternalServerError)
			return
		}
		http.Error(w, "unauthorized: invalid, expired or revoked token", http.StatusUnauthorized)
		return
	}
	if p.Account == nil || !p.Can(auth.ReadCatalog) {
		http.Error(w, "forbidden", http.StatusForbidden)
		return
	}
	in, _, err := s.cat.Inbox(r.Context(), p.Account.Email, inbox.Options{})
	if err != nil {
		s.log.Error("inbox feed", "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	body, err := inbox.Atom(in, "/feeds/inbox.atom", s.cat.Now())
	if err != nil {
		s.log.Error("inbox feed", "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/atom+xml; charset=utf-8")
	// The URL may hold a token: no cache may keep the page, no link sends
	// it on.
	w.Header().Set("Cache-Control", "private, no-store")
	w.Header().Set("Referrer-Policy", "no-referrer")
	w.Write(body)
}
