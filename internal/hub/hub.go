// Package hub serves the catalogue over HTTP: the web pages (hub/web), the
// REST API (hub/api), Prometheus metrics and health checks, behind one
// middleware that sets the security headers, logs each request with
// log/slog and measures it. With WithAuth, one check (auth.go) authenticates
// every request (session cookie or bearer token), checks CSRF on changes and
// the route's action against internal/auth's policy table before any page or
// API handler runs.
package hub

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"runtime/debug"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/ospo-project/ospo/internal/govern"
	"github.com/ospo-project/ospo/internal/hub/api"
	"github.com/ospo-project/ospo/internal/hub/estate"
	"github.com/ospo-project/ospo/internal/hub/web"
	"github.com/ospo-project/ospo/internal/jobs"
	"github.com/ospo-project/ospo/internal/license"
	"github.com/ospo-project/ospo/internal/openbadge"
	"github.com/ospo-project/ospo/internal/store"
	"github.com/ospo-project/ospo/internal/vuln"
)

// ContentSecurityPolicy is sent with every response: nothing but the hub's
// own style sheet and images; no script, no inline style, no framing.
const ContentSecurityPolicy = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

// Server is the hub's HTTP handler over a store. It is safe for concurrent use.
type Server struct {
	st        store.Store
	cat       *estate.Catalog
	log       *slog.Logger
	mux       *http.ServeMux
	metrics   *metrics
	apiRoutes []string
	routes    []string    // every route pattern, in registration order
	warming   atomic.Bool // StartWarm's build of the estate snapshot is under way
	// auth is nil without WithAuth: the hub then only reads, for anyone.
	auth *AuthOptions
	cop  *http.CrossOriginProtection
	// hooks maps GitHub source names to their webhook secrets, labHooks
	// GitLab source names to theirs.
	hooks, labHooks map[string]string
	// queue is the job queue of a PostgreSQL store (WithQueue); nil
	// without one.
	queue *jobs.Queue
}

// Option configures a Server.
type Option func(*options)

type options struct {
	version    string
	ttl        time.Duration
	ignores    []vuln.Ignore
	classifier license.Classifier
	auth       *AuthOptions
	showPaths  bool
	hooks      map[string]string // GitHub source name → webhook secret
	golden     *web.GoldenPaths
	labHooks   map[string]string // GitLab source name → webhook secret
	queue      *jobs.Queue
	governor   *govern.Service
	pushes     web.PushDecider
	issuer     *openbadge.Issuer
	affiliate  map[string]string
	logins     map[string]string
	resources  string
}

// WithResources serves the Markdown pages of the git repository at dir
// (hub.resources of ospo.yaml) as the OSPO's resources under /resources,
// read at its HEAD (again when HEAD moves) and found by the hub's search.
func WithResources(dir string) Option { return func(o *options) { o.resources = dir } }

// WithAffiliations sets the affiliation map of the community health's
// elephant factor (health.affiliations of ospo.yaml): e-mail or domain to
// organisation.
func WithAffiliations(m map[string]string) Option { return func(o *options) { o.affiliate = m } }

// WithLogins sets the OSPO's map of forge logins to e-mails (events.logins
// of ospo.yaml), by which the reviewers of pull requests are matched to
// people first (who knows the code counts their reviews).
func WithLogins(m map[string]string) Option { return func(o *options) { o.logins = m } }

// WithQueue shows the job queue of a PostgreSQL store: /admin/jobs (depth,
// throughput, parked jobs), job metrics in /metrics, and /readyz checks
// that River's tables are current.
func WithQueue(q *jobs.Queue) Option { return func(o *options) { o.queue = q } }

// WithGovernance sets the request workflow the request and external-estate
// pages and API use (with WithAuth only); by default a workflow over the
// store with no pipeline (automatic checklist items not checked) and no
// notifications.
func WithGovernance(svc *govern.Service) Option { return func(o *options) { o.governor = svc } }

// WithPushProxy serves the push proxy's pages (/pushes, with the review
// forms) over d, when sign-in is configured (WithAuth).
func WithPushProxy(d web.PushDecider) Option { return func(o *options) { o.pushes = d } }

// WithBadgeIssuer sets the issuer whose key signs the Open Badges
// credentials people download (badges.issuer_key_file of ospo.yaml); by
// default none is configured and the credential routes answer 404.
func WithBadgeIssuer(iss openbadge.Issuer) Option { return func(o *options) { o.issuer = &iss } }

// WithVulnIgnores sets the ignore rules (vulns.ignore of ospo.yaml) that
// mark vulnerability findings as suppressed on the pages and in the API.
func WithVulnIgnores(ignores []vuln.Ignore) Option { return func(o *options) { o.ignores = ignores } }

// WithLicenseClassifier sets how the projects' own licences are put in
// categories (licensing.categories of ospo.yaml) for the licence filter;
// by default the built-in table.
func WithLicenseClassifier(c license.Classifier) Option { return func(o *options) { o.classifier = c } }

// WithShowPaths shows each checkout's absolute path on the server in the
// pages and the API (hub.show_paths of ospo.yaml); by default they are left
// out, see view.Catalog.SetShowPaths.
func WithShowPaths(show bool) Option { return func(o *options) { o.showPaths = show } }

// WithGoldenPaths serves the form that creates a repository from a golden
// path (GET and POST /new, for developers and up; needs WithAuth). The
// caller supplies the templates and how a repository is made and scanned;
// the hub checks the values, audits the creation (Audit is set to the
// store's AppendAudit when nil) and shows the new project.
func WithGoldenPaths(g web.GoldenPaths) Option { return func(o *options) { o.golden = &g } }

// WithVersion sets the ospo version recorded in the SBOMs the hub serves;
// by default it is the main module's version from the build information.
func WithVersion(v string) Option { return func(o *options) { o.version = v } }

// WithSnapshotTTL sets how long the estate overview (counts, teams, the
// unfiltered project list) is reused before it is read again; default 30s.
func WithSnapshotTTL(d time.Duration) Option { return func(o *options) { o.ttl = d } }

// New returns a hub over st. Templates are parsed here, so a broken
// template fails at start-up, not on a request.
func New(st store.Store, log *slog.Logger, opts ...Option) (*Server, error) {
	o := options{ttl: 30 * time.Second}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "(devel)" {
		o.version = bi.Main.Version
	}
	for _, opt := range opts {
		opt(&o)
	}
	cat := estate.New(st, o.ttl)
	cat.SetVulnIgnores(o.ignores)
	cat.SetLicenseClassifier(o.classifier)
	cat.SetShowPaths(o.showPaths)
	cat.SetBadgeIssuer(o.issuer)
	cat.SetAffiliations(o.affiliate)
	cat.SetLogins(o.logins)
	cat.SetResourcePages(o.resources)
	pages, err := web.New(cat, log)
	if err != nil {
		return nil, err
	}
	s := &Server{st: st, cat: cat, log: log, mux: http.NewServeMux(), metrics: newMetrics(), auth: o.auth,
		cop: http.NewCrossOriginProtection()}
	mux := &recorder{ServeMux: s.mux, routes: &s.routes}
	pages.Register(mux)
	s.apiRoutes = api.New(cat, log, o.version).Register(mux)
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) { w.Write([]byte("ok\n")) })
	mux.HandleFunc("GET /readyz", s.ready)
	mux.HandleFunc("GET /metrics", s.serveMetrics)
	if o.queue != nil {
		s.queue = o.queue
		pages.RegisterJobs(mux, o.queue)
	}
	if len(o.hooks) > 0 {
		s.hooks = o.hooks
		mux.HandleFunc(GitHubHookRoute, s.githubHook)
	}
	if len(o.labHooks) > 0 {
		s.labHooks = o.labHooks
		mux.HandleFunc(GitLabHookRoute, s.gitlabHook)
	}
	if o.auth != nil {
		if o.auth.Service == nil {
			return nil, fmt.Errorf("hub: WithAuth without an auth.Service")
		}
		pages.RegisterAccounts(mux, web.AccountDeps{Service: o.auth.Service, Store: st, Required: o.auth.Required,
			SecureCookies: o.auth.SecureCookies, OIDC: o.auth.OIDC})
		pages.RegisterGamification(mux)
		s.apiRoutes = append(s.apiRoutes, api.RegisterAccounts(mux, st, log)...)
		gov := o.governor
		if gov == nil {
			gov = govern.New(govern.Options{Store: st, Log: log})
		}
		// The inbox's request items follow the same policies (who reviews
		// which kind) as the workflow, not the defaults.
		cat.SetGovernancePolicies(gov.Policies())
		pages.RegisterGovernance(mux, web.GovernanceDeps{Service: gov, Store: st, Version: o.version})
		s.apiRoutes = append(s.apiRoutes, api.RegisterGovernance(mux, gov, st, o.version, log)...)
		var reviewer api.PushReviewer
		if o.pushes != nil {
			pages.RegisterPushes(mux, st, o.pushes)
			reviewer = o.pushes
		}
		// The pushes API lists without a proxy too; deciding needs one.
		s.apiRoutes = append(s.apiRoutes, api.RegisterPushes(mux, st, reviewer, log)...)
		s.apiRoutes = append(s.apiRoutes, api.RegisterInbox(mux, cat, log)...)
		s.apiRoutes = append(s.apiRoutes, api.RegisterOptOut(mux, cat, log)...)
		s.apiRoutes = append(s.apiRoutes, api.RegisterHelp(mux, cat, log)...)
		mux.HandleFunc(InboxFeedRoute, s.inboxFeed)
		if o.golden != nil {
			g := *o.golden
			if g.Audit == nil {
				g.Audit = st.AppendAudit
			}
			pages.RegisterGoldenPaths(mux, g)
		}
		if !o.auth.Required {
			notice := o.auth.Notice
			if notice == "" {
				notice = "No sign-in is configured: this hub serves the catalogue read-only to anyone who can reach it, so it listens on this machine only (loopback)."
			}
			pages.SetNotice(notice)
		}
	}
	return s, nil
}

// Routes returns the pattern of every route ("GET /projects/{id}"), in
// registration order.
func (s *Server) Routes() []string { return append([]string(nil), s.routes...) }

// recorder registers routes on a ServeMux and remembers their patterns.
type recorder struct {
	*http.ServeMux
	routes *[]string
}

func (m *recorder) Handle(pattern string, h http.Handler) {
	m.ServeMux.Handle(pattern, h)
	*m.routes = append(*m.routes, pattern)
}

func (m *recorder) HandleFunc(pattern string, h func(http.ResponseWriter, *http.Request)) {
	m.Handle(pattern, http.HandlerFunc(h))
}

// APIRoutes returns the patterns of the REST API's routes ("GET /api/v1/projects").
func (s *Server) APIRoutes() []string { return append([]string(nil), s.apiRoutes...) }

// ServeHTTP implements http.Handler: security headers, the route, a
// structured log line and the route's metrics. A panic in a handler is
// logged and answered with a 500.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Security-Policy", ContentSecurityPolicy)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("X-Frame-Options", "DENY")
	start := time.Now()
	sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
	defer func() {
		if v := recover(); v != nil {
			if v == http.ErrAbortHandler {
				panic(v)
			}
			s.log.Error("panic", "method", r.Method, "path", r.URL.Path, "panic", v, "stack", string(debug.Stack()))
			if !sw.wrote {
				http.Error(sw, "internal error", http.StatusInternalServerError)
			}
		}
		d := time.Since(start)
		route := r.Pattern // set by the mux; empty when nothing matched
		if route == "" {
			route = "unmatched"
		}
		s.metrics.observe(route, sw.status, d)
		s.log.LogAttrs(r.Context(), slog.LevelInfo, "request",
			slog.String("method", r.Method), slog.String("path", r.URL.Path), slog.String("route", route),
			slog.Int("status", sw.status), slog.Int64("bytes", sw.bytes), slog.Duration("duration", d))
	}()
	if s.auth != nil {
		guarded, ok := s.guard(sw, r)
		if !ok {
			return
		}
		r = guarded // the mux sets r.Pattern on it, which the log reads
	}
	s.mux.ServeHTTP(sw, r)
}

type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int64
	wrote  bool
}

func (w *statusWriter) WriteHeader(code int) {
	if !w.wrote {
		w.status, w.wrote = code, true
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	w.wrote = true
	n, err := w.ResponseWriter.Write(b)
	w.bytes += int64(n)
	return n, err
}

// StartWarm builds the estate snapshot, the leaderboard's tally and the
// marketplace cards in the background (estate.Catalog.Warm), then opens and
// warms the store's connections (see sqldb.Store.WarmConnections: each
// reads what a project's page and a person's page read, see
// estate.Catalog.WarmPages), so that the first people to open the hub do
// not wait for them (seconds on a large estate); until they are built,
// /readyz answers 503, so that a load balancer sends no traffic to a cold
// replica. done, if set, is called with the outcome. Then it builds the
// recommendation model, and until ctx ends it asks the store for its
// generation every WarmEvery: when it moved (a scan, a sync, a decided
// claim), it warms them again, so that no request pays for the rebuild
// (requests meanwhile get the previous values).
func (s *Server) StartWarm(ctx context.Context, done func(time.Duration, error)) {
	s.warming.Store(true)
	go func() {
		start := time.Now()
		gen, genErr := s.cat.Generation(ctx)
		err := s.cat.Warm(ctx)
		// Then the store's connections (PostgreSQL: each new connection
		// plans its first look at a table in 1-4 ms and prepares each
		// statement the first time it runs it), so that the first burst of
		// requests does not pay for it.
		if w, ok := s.st.(connWarmer); ok {
			pages := s.cat.WarmPages
			if err != nil { // no snapshot: the tables only
				pages = nil
			}
			if err := w.WarmConnections(ctx, pages); err != nil && ctx.Err() == nil {
				s.log.Warn("store connections not warmed", "error", err)
			}
		}
		s.warming.Store(false)
		if done != nil {
			done(time.Since(start), err)
		}
		if err != nil || genErr != nil {
			gen = -1
		}
		model := func() {
			if err := s.cat.WarmModel(ctx); err != nil && ctx.Err() == nil {
				s.log.Warn("recommendation model not built; requests will try again", "error", err)
			}
		}
		go model()
		tick := time.NewTicker(WarmEvery)
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
			}
			g, err := s.cat.Generation(ctx)
			if err != nil || g == gen {
				continue
			}
			if err := s.cat.Warm(ctx); err != nil {
				if ctx.Err() == nil {
					s.log.Warn("caches not warmed after a change; requests will rebuild them", "error", err)
				}
				continue
			}
			gen = g
			go model()
		}
	}()
}

// connWarmer is a store whose connections can be warmed before it serves
// (sqldb.Store.WarmConnections).
type connWarmer interface {
	WarmConnections(ctx context.Context, warm func(context.Context) error) error
}

// WarmEvery is how often a hub that StartWarm started asks the store
// whether anything changed.
const WarmEvery = 2 * time.Second

func (s *Server) ready(w http.ResponseWriter, r *http.Request) {
	if s.warming.Load() {
		http.Error(w, "warming up: building the estate snapshot", http.StatusServiceUnavailable)
		return
	}
	if _, err := s.st.ListProjects(r.Context(), store.ProjectFilter{Limit: 1}); err != nil {
		http.Error(w, "store unavailable", http.StatusServiceUnavailable)
		return
	}
	if s.queue != nil {
		ok, why, err := jobs.Current(r.Context(), s.queue.Pool())
		if err != nil {
			http.Error(w, "job queue unavailable", http.StatusServiceUnavailable)
			return
		}
		if !ok {
			s.log.Warn("readyz: job queue schema not current", "reason", why)
			http.Error(w, "job queue schema not current: run ospo migrate", http.StatusServiceUnavailable)
			return
		}
	}
	w.Write([]byte("ready\n"))
}

// serveMetrics writes the HTTP metrics, then the job queue's (when the hub
// has one). A queue that cannot be read is reported by ospo_jobs_up 0.
func (s *Server) serveMetrics(w http.ResponseWriter, r *http.Request) {
	s.metrics.serve(w, r)
	if s.queue == nil {
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), 5*time.Second)
	defer cancel()
	stats, err := s.queue.Stats(ctx)
	var b strings.Builder
	b.WriteString("# HELP ospo_jobs_up Whether the job queue could be read.\n# TYPE ospo_jobs_up gauge\n")
	if err != nil {
		s.log.Warn("metrics: job queue", "error", err)
		b.WriteString("ospo_jobs_up 0\n")
		w.Write([]byte(b.String()))
		return
	}
	b.WriteString("ospo_jobs_up 1\n")
	gauge := func(name, help string, v func(jobs.KindStats) float64) {
		fmt.Fprintf(&b, "# HELP %s %s\n# TYPE %s gauge\n", name, help, name)
		for _, k := range stats {
			fmt.Fprintf(&b, "%s{kind=\"%s\"} %s\n", name, labelValue.Replace(k.Kind), strconv.FormatFloat(v(k), 'g', -1, 64))
		}
	}
	gauge("ospo_jobs_queued", "Jobs waiting for a worker, by kind.", func(k jobs.KindStats) float64 { return float64(k.Queued) })
	gauge("ospo_jobs_running", "Jobs a worker holds, by kind.", func(k jobs.KindStats) float64 { return float64(k.Running) })
	gauge("ospo_jobs_retrying", "Queued jobs that failed an attempt, by kind.", func(k jobs.KindStats) float64 { return float64(k.Retrying) })
	gauge("ospo_jobs_completed_last_hour", "Jobs completed in the last hour, by kind.", func(k jobs.KindStats) float64 { return float64(k.Completed) })
	gauge("ospo_jobs_parked_last_hour", "Jobs parked (failed every attempt) in the last hour, by kind.", func(k jobs.KindStats) float64 { return float64(k.Parked) })
	gauge("ospo_jobs_parked", "Parked jobs kept (a week), by kind.", func(k jobs.KindStats) float64 { return float64(k.ParkedTotal) })
	gauge("ospo_jobs_oldest_queued_seconds", "How long the oldest waiting job has waited, by kind.", func(k jobs.KindStats) float64 { return k.OldestQueued.Seconds() })
	w.Write([]byte(b.String()))
}

// Request limits applied by Serve.
const (
	maxRequestBody = 1 << 20
	requestTimeout = 30 * time.Second
)

// ServeOptions tune Serve. The zero value is the default.
type ServeOptions struct {
	// AllowedHosts are the host names a hub on a loopback address answers
	// besides the loopback ones (see HostCheck).
	AllowedHosts []string
	// MaxConnections and MaxConnectionsPerClient bound open connections (see
	// LimitListener); 0 means DefaultMaxConnections and
	// DefaultMaxConnectionsPerClient.
	MaxConnections, MaxConnectionsPerClient int
	// ReadHeaderTimeout bounds the time a client may take to send a
	// request's headers; 0 means 10 s.
	ReadHeaderTimeout time.Duration
}

// Serve listens on addr and serves the hub until ctx is cancelled, then
// shuts down gracefully. ready, if set, is called with the bound address.
// Requests are limited in size (1 MiB body, 64 KiB headers) and time (30 s,
// headers within 10 s); connections are limited in number, overall and per
// client address (LimitListener); a hub on a loopback address answers only
// loopback host names and opts.AllowedHosts (HostCheck).
func Serve(ctx context.Context, addr string, h http.Handler, ready func(net.Addr), opts ...ServeOptions) error {
	var o ServeOptions
	if len(opts) > 0 {
		o = opts[0]
	}
	if o.MaxConnections <= 0 {
		o.MaxConnections = DefaultMaxConnections
	}
	if o.MaxConnectionsPerClient <= 0 {
		o.MaxConnectionsPerClient = DefaultMaxConnectionsPerClient
	}
	if o.ReadHeaderTimeout <= 0 {
		o.ReadHeaderTimeout = 10 * time.Second
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", addr, err)
	}
	h = HostCheck(h, IsLoopback(ln.Addr()), o.AllowedHosts)
	bound := ln.Addr()
	ln = LimitListener(ln, o.MaxConnections, o.MaxConnectionsPerClient)
	srv := &http.Server{
		Handler:           http.MaxBytesHandler(http.TimeoutHandler(h, requestTimeout, "timeout"), maxRequestBody),
		ReadHeaderTimeout: o.ReadHeaderTimeout,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
	}
	if ready != nil {
		ready(bound)
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
