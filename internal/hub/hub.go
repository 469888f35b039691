// Package hub serves the catalogue as web pages and, later, a REST API. It
// only reads the store; changes will come with authentication and roles.
package hub

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"time"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/store"
)

//go:embed web/templates/*.html
var templateFS embed.FS

// Server is the hub's HTTP handler over a store.
type Server struct {
	st   store.Store
	log  *slog.Logger
	tmpl *template.Template
	mux  *http.ServeMux
}

// New returns a hub over st. Templates are parsed here, so a broken
// template fails at start-up, not on a request.
func New(st store.Store, log *slog.Logger) (*Server, error) {
	tmpl, err := template.New("").Funcs(template.FuncMap{
		"date": func(t time.Time) string {
			if t.IsZero() {
				return "-"
			}
			return t.Format("2006-01-02")
		},
		"pct": func(part, total int64) string {
			if total == 0 {
				return "0"
			}
			return strconv.FormatFloat(100*float64(part)/float64(total), 'f', 1, 64)
		},
	}).ParseFS(templateFS, "web/templates/*.html")
	if err != nil {
		return nil, fmt.Errorf("parse templates: %w", err)
	}
	s := &Server{st: st, log: log, tmpl: tmpl, mux: http.NewServeMux()}
	s.mux.HandleFunc("GET /{$}", s.overview)
	s.mux.HandleFunc("GET /projects/{id}", s.project)
	s.mux.HandleFunc("GET /people/{id}", s.person)
	s.mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) { w.Write([]byte("ok\n")) })
	s.mux.HandleFunc("GET /readyz", s.ready)
	return s, nil
}

// ServeHTTP implements http.Handler, adding the security headers every
// response carries.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("X-Frame-Options", "DENY")
	start := time.Now()
	sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
	s.mux.ServeHTTP(sw, r)
	s.log.Info("request", "method", r.Method, "path", r.URL.Path, "status", sw.status, "duration", time.Since(start))
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) { w.status = code; w.ResponseWriter.WriteHeader(code) }

func (s *Server) render(w http.ResponseWriter, name string, data any) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if err := s.tmpl.ExecuteTemplate(w, name, data); err != nil {
		s.log.Error("render", "template", name, "err", err)
	}
}

func (s *Server) fail(w http.ResponseWriter, err error) {
	if errors.Is(err, store.ErrNotFound) {
		http.Error(w, "not found", http.StatusNotFound)
		return
	}
	s.log.Error("request failed", "err", err)
	http.Error(w, "internal error", http.StatusInternalServerError)
}

func (s *Server) overview(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query().Get("q")
	projects, err := s.st.ListProjects(r.Context(), store.ProjectFilter{Query: q, Limit: 500})
	if err != nil {
		s.fail(w, err)
		return
	}
	people, err := s.st.ListPeople(r.Context(), store.PersonFilter{Query: q, Limit: 50})
	if err != nil {
		s.fail(w, err)
		return
	}
	last, err := s.st.LastScan(r.Context())
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		s.fail(w, err)
		return
	}
	s.render(w, "overview.html", map[string]any{"Query": q, "Projects": projects, "People": people, "LastScan": last})
}

func (s *Server) project(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if _, err := strconv.ParseInt(id, 10, 64); err != nil {
		http.Error(w, "not found", http.StatusNotFound)
		return
	}
	p, err := s.st.Project(r.Context(), id)
	if err != nil {
		s.fail(w, err)
		return
	}
	var total int64
	for _, l := range p.Languages {
		total += l.Bytes
	}
	s.render(w, "project.html", map[string]any{"P": p, "LangTotal": total, "Contributors": catalog.ByPerson(p.Contributors)})
}

func (s *Server) person(w http.ResponseWriter, r *http.Request) {
	p, err := s.st.Person(r.Context(), r.PathValue("id"))
	if err != nil {
		s.fail(w, err)
		return
	}
	s.render(w, "person.html", map[string]any{"P": p})
}

func (s *Server) ready(w http.ResponseWriter, r *http.Request) {
	if _, err := s.st.ListProjects(r.Context(), store.ProjectFilter{Limit: 1}); err != nil {
		http.Error(w, "store unavailable", http.StatusServiceUnavailable)
		return
	}
	w.Write([]byte("ready\n"))
}

// Serve listens on addr and serves the hub until ctx is cancelled, then
// shuts down gracefully. ready, if set, is called with the bound address.
func Serve(ctx context.Context, addr string, h http.Handler, ready func(net.Addr)) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", addr, err)
	}
	srv := &http.Server{
		Handler:           http.MaxBytesHandler(http.TimeoutHandler(h, 30*time.Second, "timeout"), 1<<20),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
	}
	if ready != nil {
		ready(ln.Addr())
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		return srv.Shutdown(shutdown)
	}
}

// compile-time check that Server is a handler.
var _ http.Handler = (*Server)(nil)
