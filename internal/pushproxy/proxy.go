// Package pushproxy is ospo's git push proxy: a git smart-HTTP endpoint that
// developers push to instead of an open-source upstream. Each push is
// received into a quarantine with git's own index-pack, against a
// persistent mirror of the upstream (fetched incrementally, never cloned
// per push), then run through a chain of checks (who pushes, where to,
// identities, messages, hidden objects, each commit's own diff for secrets
// and internal data, sizes and binaries, an optional pre-receive hook).
// Every failure is reported at once, as remote: lines in the developer's
// git output. A push that passes is forwarded to the upstream by the proxy;
// one that needs review is held, with its pack, in the store, and the proxy
// forwards it itself once a second person approves it (four eyes: the
// pusher never decides on their own push, whatever their role). Fetches
// and clones pass through to the upstream.
//
// Pushes to one upstream are serialised on its mirror; pushes to different
// upstreams run in parallel. Held pushes live in the store, so any replica
// sharing a PostgreSQL store can forward them.
//
// Transport-specific code is in this file and receive.go (HTTP); the chain
// (checks.go) and forwarding (forward.go) work on a quarantine directory
// and would serve an SSH front end unchanged.
package pushproxy

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/ospo-project/ospo/internal/auth"
	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/gitcmd"
	"github.com/ospo-project/ospo/internal/lazyre"
	"github.com/ospo-project/ospo/internal/mirror"
	"github.com/ospo-project/ospo/internal/notify"
	"github.com/ospo-project/ospo/internal/secrets"
	"github.com/ospo-project/ospo/internal/store"
)

// Upstream is a repository prefix pushes may go to.
type Upstream struct {
	// Prefix is a URL prefix: "https://github.com/acme/" allows every
	// repository of acme, "http://127.0.0.1:8080/org/repo.git" one.
	Prefix string
	// Review holds every push to it for a reviewer, even a clean one.
	Review bool
	// Token, when set, is sent to the upstream's host as HTTP basic
	// authentication when the proxy fetches its mirror and forwards pushes.
	Token string
}

// Contributions is where approved contribution requests (standing or
// one-off, issue 14) plug into step 2 of the chain: an https upstream that
// no Upstream prefix allows may still be pushed to when Approved reports
// that an approved contribution covers the pusher and the upstream URL.
type Contributions interface {
	Approved(ctx context.Context, pusher, upstream string) (bool, error)
}

// Config is the proxy's policy. The zero value allows no upstream.
type Config struct {
	// MirrorDir holds one bare mirror per upstream.
	MirrorDir string
	// WorkDir holds the quarantines of pushes being received; empty means
	// the system's temporary directory.
	WorkDir   string
	Upstreams []Upstream
	// Contributions, when not nil, allows upstreams beyond Upstreams.
	Contributions Contributions

	// EmailDomains, when not empty, are the only domains author and
	// committer e-mails may have.
	EmailDomains []string
	// BlockedLocalParts are e-mail local parts refused (root, admin…).
	BlockedLocalParts []string
	// OwnIdentity requires each commit's committer e-mail to be the
	// pusher's account e-mail or one of Identities[pusher].
	OwnIdentity bool
	// Identities are further e-mails of an account, by account e-mail.
	Identities map[string][]string
	// MessagePatterns are regular expressions commit messages must not
	// match (ticket keys, internal project names).
	MessagePatterns []string

	// Secrets scans each commit's diff; nil means gitleaks' default rules.
	Secrets *secrets.Scanner
	// MaxPackSize caps a push's pack in bytes; 0 means 100 MiB.
	MaxPackSize int64
	// MaxFileSize caps a file added or changed by a commit; 0 means 5 MiB.
	MaxFileSize int64
	// AllowBinaries lets commits add binary files.
	AllowBinaries bool
	// LicenceMarkers are texts that mark a proprietary licence header
	// ("Confidential", "Proprietary", "All rights reserved", the firm's
	// copyright line): a file a commit adds whose first LicenceHeaderLines
	// lines contain one (ignoring case) is a "licence" finding, naming the
	// commit, file, line and marker.
	LicenceMarkers []string
	// LicenceReject makes licence findings reject the push; by default they
	// hold it for a reviewer, as a marker such as "All rights reserved"
	// also appears in open-source licences (BSD).
	LicenceReject bool
	// LicenceHeaderLines is how many lines of a file's top are its header;
	// 0 means 40.
	LicenceHeaderLines int
	// Hook is an optional pre-receive program: it gets "old new ref" lines
	// on stdin, GIT_DIR of the quarantine, OSPO_PUSHER and OSPO_UPSTREAM,
	// and exits 0 to accept, 1 to reject, 2 to send the push to review; its
	// output is shown to the pusher.
	Hook        string
	HookTimeout time.Duration
	// HubURL is the hub's base URL, for links to held pushes.
	HubURL string
	// Attestations are the statements a reviewer must tick to approve a
	// push ("no client or personal data", "the licence allows it").
	Attestations []string
	// Notifier, when not nil, tells reviewers that a push is held and the
	// pusher that it was decided (approved and forwarded, rejected, failed
	// or expired), by each person's notification preferences.
	Notifier *notify.Notifier
	// HoldFor is how long a push may stay held: ExpireHeld discards older
	// ones. 0 means held pushes never expire.
	HoldFor time.Duration
}

// Proxy serves git smart HTTP under /git/HOST/PATH.git. Create it with New.
// It is safe for concurrent use.
type Proxy struct {
	cfg      Config
	store    store.Store
	accounts *auth.Service
	log      *slog.Logger
	patterns []*regexp.Regexp
	scanner  *secrets.Scanner
	now      func() time.Time
	metrics  *Metrics

	client *http.Client   // for upstreams (remote)
	bg     sync.WaitGroup // notifications sent in the background

	mu     sync.Mutex
	locks  map[string]*sync.Mutex
	synced map[string]time.Time // when each upstream's mirror last matched the upstream
}

// fresh is how long a mirror fetched for a push's ref advertisement serves
// the push itself without another fetch: git sends the push right after.
// A mirror a little behind is safe: forwarding updates a ref only where the
// pusher saw it (--force-with-lease).
const fresh = 30 * time.Second

// New returns a proxy over st. Bad patterns or a missing mirror directory
// are errors.
func New(cfg Config, st store.Store, log *slog.Logger) (*Proxy, error) {
	if cfg.MirrorDir == "" {
		return nil, errors.New("push proxy: no mirror directory")
	}
	if err := os.MkdirAll(cfg.MirrorDir, 0o755); err != nil {
		return nil, fmt.Errorf("push proxy: %w", err)
	}
	if cfg.MaxPackSize <= 0 {
		cfg.MaxPackSize = 100 << 20
	}
	if cfg.MaxFileSize <= 0 {
		cfg.MaxFileSize = 5 << 20
	}
	if cfg.LicenceHeaderLines <= 0 {
		cfg.LicenceHeaderLines = 40
	}
	for _, m := range cfg.LicenceMarkers {
		if strings.TrimSpace(m) == "" {
			return nil, errors.New("push proxy: an empty licence marker would match every file")
		}
	}
	if cfg.HookTimeout <= 0 {
		cfg.HookTimeout = time.Minute
	}
	for i, u := range cfg.Upstreams {
		pu, err := url.Parse(u.Prefix)
		if err != nil || (pu.Scheme != "https" && pu.Scheme != "http") || pu.Host == "" || pu.User != nil {
			return nil, fmt.Errorf("push proxy: upstream %q is not an http(s) URL prefix without credentials", u.Prefix)
		}
		cfg.Upstreams[i].Prefix = strings.TrimSuffix(u.Prefix, ".git")
	}
	p := &Proxy{cfg: cfg, store: st, accounts: auth.NewService(st), log: log, now: time.Now,
		locks: map[string]*sync.Mutex{}, synced: map[string]time.Time{}, metrics: newMetrics(), scanner: cfg.Secrets,
		client: newClient()}
	if log == nil {
		p.log = slog.New(slog.DiscardHandler)
	}
	for _, pat := range cfg.MessagePatterns {
		re, err := regexp.Compile(pat)
		if err != nil {
			return nil, fmt.Errorf("push proxy: message pattern %q: %w", pat, err)
		}
		p.patterns = append(p.patterns, re)
	}
	if p.scanner == nil {
		s, err := defaultScanner()
		if err != nil {
			return nil, fmt.Errorf("push proxy: %w", err)
		}
		p.scanner = s
	}
	return p, nil
}

// defaultScanner is the scanner of gitleaks' default rules, compiled once
// per process (a Scanner is safe for concurrent use).
var defaultScanner = sync.OnceValues(func() (*secrets.Scanner, error) { return secrets.New(secrets.Config{}) })

// stage starts timing a stage of a push; calling the function it returns
// ends it.
func (p *Proxy) stage(name string) func() {
	start := time.Now()
	return func() { p.metrics.observeStage(name, time.Since(start)) }
}

// Metrics returns the proxy's metrics, for /metrics.
func (p *Proxy) Metrics() *Metrics { return p.metrics }

// target is the upstream a request is for.
type target struct {
	// URL is the upstream repository ("https://github.com/org/repo.git").
	URL string
	// Upstream is the configured prefix that allows it; nil when none does.
	Upstream *Upstream
	token    string
}

var repoPath = lazyre.New(`^/git/([A-Za-z0-9.-]+(?::[0-9]{1,5})?)/((?:[A-Za-z0-9_.-]+/)*[A-Za-z0-9_.-]+?)(?:\.git)?/(info/refs|git-upload-pack|git-receive-pack)$`)

// resolve maps a request path to its upstream and the git service part.
func (p *Proxy) resolve(path string) (*target, string, bool) {
	m := repoPath.FindStringSubmatch(path)
	if m == nil || strings.Contains(m[2], "..") {
		return nil, "", false
	}
	host, repo, svc := m[1], m[2], m[3]
	// The longest prefix that matches decides (a repository's own entry
	// over its organisation's).
	var best *target
	for i := range p.cfg.Upstreams {
		u := &p.cfg.Upstreams[i]
		pu, _ := url.Parse(u.Prefix)
		if !strings.EqualFold(pu.Host, host) {
			continue
		}
		full := pu.Scheme + "://" + pu.Host + "/" + repo
		if full == u.Prefix || strings.HasPrefix(full, strings.TrimSuffix(u.Prefix, "/")+"/") {
			if best == nil || len(u.Prefix) > len(best.Upstream.Prefix) {
				best = &target{URL: full + ".git", Upstream: u, token: u.Token}
			}
		}
	}
	if best != nil {
		return best, svc, true
	}
	return &target{URL: "https://" + host + "/" + repo + ".git"}, svc, true
}

// lock serialises work on one upstream's mirror.
func (p *Proxy) lock(upstream string) func() {
	p.mu.Lock()
	l := p.locks[upstream]
	if l == nil {
		l = &sync.Mutex{}
		p.locks[upstream] = l
	}
	p.mu.Unlock()
	l.Lock()
	return l.Unlock
}

// mirrorPath is where the mirror of upstream lives.
func (p *Proxy) mirrorName(upstream string) string {
	h := sha256.Sum256([]byte(upstream))
	return "up/" + hex.EncodeToString(h[:12])
}

// sync brings the upstream's mirror up to date and returns its path.
func (p *Proxy) sync(ctx context.Context, t *target) (string, error) {
	start := time.Now()
	path, err := mirror.Sync(ctx, p.cfg.MirrorDir, mirror.Repo{FullName: p.mirrorName(t.URL), CloneURL: t.URL, Token: t.token})
	p.metrics.observeSync(time.Since(start), err)
	if err != nil {
		return "", fmt.Errorf("upstream %s: %w", t.URL, err)
	}
	p.markSynced(t.URL, true)
	return path, nil
}

// markSynced records that the mirror of upstream matches the upstream now
// (ok) or may not (!ok: the next push fetches before it is checked).
func (p *Proxy) markSynced(upstream string, ok bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if ok {
		p.synced[upstream] = time.Now()
	} else {
		delete(p.synced, upstream)
	}
}

// refresh reads the upstream's refs (one request) and returns them with
// finish, which brings the mirror up to them: it fetches the objects of
// the tips the mirror lacks (one request, one index-pack) and sets the
// mirror's refs to the upstream's. The caller holds t's lock until finish
// returns, and may answer the pusher with refs meanwhile: the fetch then
// overlaps the client's packing and upload. A mirror not yet created is
// cloned before refresh returns (finish then does nothing).
func (p *Proxy) refresh(ctx context.Context, t *target) (refs []ref, finish func(context.Context) error, err error) {
	dir, err := mirror.Path(p.cfg.MirrorDir, p.mirrorName(t.URL))
	if err != nil {
		return nil, nil, err
	}
	nothing := func(context.Context) error { return nil }
	if _, err := os.Stat(filepath.Join(dir, "HEAD")); err != nil {
		done := p.stage("mirror.clone")
		dir, err := p.sync(ctx, t)
		done()
		if err != nil {
			return nil, nil, err
		}
		refs, err := listRefs(ctx, dir)
		return refs, nothing, err
	}
	p.markSynced(t.URL, false)
	done := p.stage("upstream.refs")
	up, err := p.remote(t).refs(ctx)
	done()
	if err != nil {
		p.metrics.observeSync(0, err)
		return nil, nil, fmt.Errorf("upstream %s: %w", t.URL, err)
	}
	have, err := listRefs(ctx, dir)
	if err != nil {
		return nil, nil, err
	}
	mine := map[string]string{}
	var haves []string
	seen := map[string]bool{}
	for _, r := range have {
		mine[r.Name] = r.ID
		if !seen[r.ID] {
			seen[r.ID] = true
			haves = append(haves, r.ID)
		}
	}
	var wants []string
	var updates strings.Builder
	theirs := map[string]bool{}
	for _, r := range up {
		theirs[r.Name] = true
		if mine[r.Name] == r.ID {
			continue
		}
		fmt.Fprintf(&updates, "update %s %s\n", r.Name, r.ID)
		if !seen[r.ID] {
			seen[r.ID] = true
			wants = append(wants, r.ID)
		}
	}
	for _, r := range have {
		if !theirs[r.Name] {
			fmt.Fprintf(&updates, "delete %s\n", r.Name)
		}
	}
	finish = func(ctx context.Context) error {
		if updates.Len() > 0 {
			defer p.stage("mirror.fetch")()
		}
		if len(wants) > 0 {
			if err := p.fetchInto(ctx, t, dir, wants, haves); err != nil {
				return err
			}
		}
		if updates.Len() > 0 {
			if _, err := run(ctx, dir, updates.String(), "update-ref", "--stdin"); err != nil {
				return fmt.Errorf("mirror of %s: %w", t.URL, err)
			}
		}
		p.markSynced(t.URL, true)
		return nil
	}
	return up, finish, nil
}

// fetchInto fetches the objects of wants from the upstream into the mirror
// at dir, streaming the pack into git index-pack.
func (p *Proxy) fetchInto(ctx context.Context, t *target, dir string, wants, haves []string) error {
	pr, pw := io.Pipe()
	errc := make(chan error, 1)
	go func() {
		_, err := indexPack(ctx, dir, pr)
		pr.CloseWithError(err)
		errc <- err
	}()
	ferr := p.remote(t).fetch(ctx, wants, haves, pw)
	pw.CloseWithError(ferr)
	ierr := <-errc
	if ferr != nil {
		return fmt.Errorf("fetch into the mirror: %w", ferr)
	}
	if ierr != nil {
		return fmt.Errorf("fetch into the mirror: index-pack: %w", ierr)
	}
	return nil
}

// syncIfStale is sync, skipped when the mirror was fetched within fresh.
func (p *Proxy) syncIfStale(ctx context.Context, t *target) (string, error) {
	p.mu.Lock()
	last := p.synced[t.URL]
	p.mu.Unlock()
	if time.Since(last) < fresh {
		path, err := mirror.Path(p.cfg.MirrorDir, p.mirrorName(t.URL))
		if err == nil {
			if _, err := os.Stat(filepath.Join(path, "HEAD")); err == nil {
				return path, nil
			}
		}
	}
	return p.sync(ctx, t)
}

// ServeHTTP serves /git/HOST/PATH.git/{info/refs,git-upload-pack,git-receive-pack}.
func (p *Proxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	t, svc, ok := p.resolve(r.URL.Path)
	if !ok {
		http.Error(w, "not a git repository path: use /git/HOST/OWNER/REPO.git", http.StatusNotFound)
		return
	}
	switch {
	case svc == "info/refs" && r.Method == http.MethodGet && r.URL.Query().Get("service") == "git-receive-pack":
		p.advertise(w, r, t)
	case svc == "git-receive-pack" && r.Method == http.MethodPost:
		p.receive(w, r, t)
	case (svc == "info/refs" && r.Method == http.MethodGet) || (svc == "git-upload-pack" && r.Method == http.MethodPost):
		p.passThrough(w, r, t, svc)
	default:
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
	}
}

// passThrough sends fetches and clones to an allowed upstream, without the
// pusher's ospo credentials.
func (p *Proxy) passThrough(w http.ResponseWriter, r *http.Request, t *target, svc string) {
	if t.Upstream == nil {
		http.Error(w, "upstream "+t.URL+" is not allowed by the proxy's configuration", http.StatusForbidden)
		return
	}
	u, _ := url.Parse(t.URL)
	rp := &httputil.ReverseProxy{
		Rewrite: func(pr *httputil.ProxyRequest) {
			pr.Out.URL.Scheme, pr.Out.URL.Host = u.Scheme, u.Host
			pr.Out.URL.Path, pr.Out.URL.RawPath = u.Path+"/"+svc, ""
			pr.Out.Host = u.Host
			pr.Out.Header.Del("Authorization")
			pr.Out.Header.Del("Cookie")
		},
		ErrorHandler: func(w http.ResponseWriter, r *http.Request, err error) {
			p.log.Warn("upstream unreachable", "upstream", t.URL, "err", err)
			http.Error(w, "upstream "+t.URL+" cannot be reached; try again later", http.StatusBadGateway)
		},
	}
	rp.ServeHTTP(w, r)
}

// pusher authenticates the request by an ospo API token in HTTP basic
// authentication (any user name). It answers 401 itself when there is none.
func (p *Proxy) pusher(w http.ResponseWriter, r *http.Request) (*auth.Principal, bool) {
	_, secret, ok := r.BasicAuth()
	if !ok || secret == "" {
		w.Header().Set("WWW-Authenticate", `Basic realm="ospo push proxy"`)
		http.Error(w, "push with an ospo API token as the password (ospo tokens create)", http.StatusUnauthorized)
		return nil, false
	}
	pr, err := p.accounts.Token(r.Context(), secret)
	if err != nil {
		if !errors.Is(err, auth.ErrUnauthenticated) {
			p.log.Error("authenticate pusher", "err", err)
			http.Error(w, "internal error", http.StatusInternalServerError)
			return nil, false
		}
		w.Header().Set("WWW-Authenticate", `Basic realm="ospo push proxy"`)
		http.Error(w, "invalid, expired or revoked ospo API token", http.StatusUnauthorized)
		return nil, false
	}
	return pr, true
}

// gate runs steps 1 and 2 of the chain: the pusher may push, and the
// upstream is allowed (by configuration or an approved contribution).
func (p *Proxy) gate(ctx context.Context, pr *auth.Principal, t *target) ([]catalog.PushFinding, error) {
	var out []catalog.PushFinding
	if !pr.Can(auth.PushContribution) {
		out = append(out, catalog.PushFinding{Check: "pusher", Severity: catalog.SeverityReject,
			Message: fmt.Sprintf("account %s (role %s, token scope %s) may not push through the proxy: it needs the developer role and a write token", pr.Account.Email, pr.Role, pr.Scope)})
	}
	if t.Upstream == nil {
		allowed := false
		if p.cfg.Contributions != nil {
			ok, err := p.cfg.Contributions.Approved(ctx, pr.Account.Email, t.URL)
			if err != nil {
				return nil, err
			}
			allowed = ok
		}
		if !allowed {
			out = append(out, catalog.PushFinding{Check: "upstream", Severity: catalog.SeverityReject,
				Message: fmt.Sprintf("upstream %s is not allowed: request an approved contribution for it in ospo, or ask the OSPO to allow it", t.URL)})
		} else {
			t.Upstream = &Upstream{Prefix: strings.TrimSuffix(t.URL, ".git")}
		}
	}
	return out, nil
}

// advertise answers info/refs for git-receive-pack: the mirror's refs,
// fetched from the upstream now, with the proxy's capabilities.
func (p *Proxy) advertise(w http.ResponseWriter, r *http.Request, t *target) {
	pr, ok := p.pusher(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	problems, err := p.gate(ctx, pr, t)
	if err != nil {
		p.log.Error("check upstream", "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	if len(problems) > 0 {
		var b strings.Builder
		b.WriteString("ospo: push refused\n")
		for _, f := range problems {
			fmt.Fprintf(&b, "  %s: %s\n", f.Check, f.Message)
		}
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(http.StatusForbidden)
		w.Write([]byte(b.String()))
		return
	}
	done := p.stage("advertise")
	defer done()
	// The lock is held until the mirror matches the refs advertised: the
	// push that follows waits for it.
	unlock := p.lock(t.URL)
	refs, finish, err := p.refresh(ctx, t)
	if err == nil {
		go func() {
			defer unlock()
			ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), upstreamTimeout)
			defer cancel()
			if err := finish(ctx); err != nil {
				// The push that follows fetches again (git fetch) first.
				p.log.Warn("refresh mirror", "upstream", t.URL, "err", err)
			}
		}()
	} else {
		unlock()
	}
	if err != nil {
		p.log.Warn("sync mirror", "upstream", t.URL, "err", err)
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(http.StatusBadGateway)
		fmt.Fprintf(w, "ospo: upstream %s cannot be reached, nothing was pushed; try again later\n", t.URL)
		return
	}
	w.Header().Set("Content-Type", "application/x-git-receive-pack-advertisement")
	w.Header().Set("Cache-Control", "no-cache")
	var b []byte
	b = append(b, pktLine("# service=git-receive-pack\n")...)
	b = append(b, "0000"...)
	if len(refs) == 0 {
		b = append(b, pktLine(zeroID+" capabilities^{}\x00"+capabilities+"\n")...)
	}
	for i, rf := range refs {
		line := rf.ID + " " + rf.Name
		if i == 0 {
			line += "\x00" + capabilities
		}
		b = append(b, pktLine(line+"\n")...)
	}
	b = append(b, "0000"...)
	w.Write(b)
}

// ref is one ref of a mirror.
type ref struct{ ID, Name string }

// listRefs returns the branches and tags of the repository at dir.
func listRefs(ctx context.Context, dir string) ([]ref, error) {
	out, err := gitcmd.Output(ctx, dir, "for-each-ref", "--format=%(objectname) %(refname)", "refs/heads/", "refs/tags/")
	if err != nil {
		return nil, err
	}
	var refs []ref
	for _, l := range strings.Split(out, "\n") {
		if id, name, ok := strings.Cut(l, " "); ok {
			refs = append(refs, ref{id, name})
		}
	}
	return refs, nil
}

// quarantine is a temporary bare repository whose objects/info/alternates
// point at the mirror: a push's objects land there, and the mirror is never
// written to.
type quarantine struct {
	dir      string
	upstream string // the upstream's URL
}

func (p *Proxy) newQuarantine(upstream, mirrorDir string) (*quarantine, error) {
	dir, err := os.MkdirTemp(p.cfg.WorkDir, "ospo-push-")
	if err != nil {
		return nil, err
	}
	q := &quarantine{dir: dir, upstream: upstream}
	for _, d := range []string{"objects/pack", "objects/info", "refs/heads", "refs/tags"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o755); err != nil {
			q.remove()
			return nil, err
		}
	}
	abs, err := filepath.Abs(filepath.Join(mirrorDir, "objects"))
	if err == nil {
		err = os.WriteFile(filepath.Join(dir, "objects/info/alternates"), []byte(abs+"\n"), 0o644)
	}
	if err == nil {
		err = os.WriteFile(filepath.Join(dir, "HEAD"), []byte("ref: refs/heads/main\n"), 0o644)
	}
	if err == nil {
		err = os.WriteFile(filepath.Join(dir, "config"), []byte("[core]\n\trepositoryformatversion = 0\n\tbare = true\n"), 0o644)
	}
	if err != nil {
		q.remove()
		return nil, err
	}
	return q, nil
}

func (q *quarantine) remove() { os.RemoveAll(q.dir) }
