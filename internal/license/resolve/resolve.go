// Package resolve finds the licences of a project's dependencies, best
// source first: a licence recorded in ospo.yaml, what the lockfile records,
// then local package caches (the Go module cache, node_modules,
// site-packages, ~/.m2, ~/.cargo/registry), then, only when asked to go
// online, the package registries themselves, whose answers are kept in an
// on-disk cache so that a second run makes no requests. What no source
// knows stays "unknown".
package resolve

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/package-url/packageurl-go"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/license"
)

// Endpoints are the registries' base URLs. The zero value means the public
// registries; tests point them at local servers.
type Endpoints struct {
	GoProxy   string // https://proxy.golang.org
	NPM       string // https://registry.npmjs.org
	PyPI      string // https://pypi.org
	Maven     string // https://repo1.maven.org/maven2
	Crates    string // https://crates.io
	RubyGems  string // https://rubygems.org
	NuGet     string // https://api.nuget.org/v3-flatcontainer
	Packagist string // https://repo.packagist.org
}

func (e Endpoints) withDefaults() Endpoints {
	def := func(v *string, d string) {
		if *v == "" {
			*v = d
		}
		*v = strings.TrimRight(*v, "/")
	}
	def(&e.GoProxy, "https://proxy.golang.org")
	def(&e.NPM, "https://registry.npmjs.org")
	def(&e.PyPI, "https://pypi.org")
	def(&e.Maven, "https://repo1.maven.org/maven2")
	def(&e.Crates, "https://crates.io")
	def(&e.RubyGems, "https://rubygems.org")
	def(&e.NuGet, "https://api.nuget.org/v3-flatcontainer")
	def(&e.Packagist, "https://repo.packagist.org")
	return e
}

// Options configure a Resolver. The zero value resolves from lockfiles and
// the local caches of the current user, offline.
type Options struct {
	// Online allows requests to the registries. Without it no network call is made.
	Online bool
	// Endpoints are the registries asked when Online.
	Endpoints Endpoints
	// Client makes the requests; nil means a client with a 30 s timeout.
	Client *http.Client
	// CacheDir keeps registry answers; empty means the user cache directory
	// (…/ospo/licenses). A second run reads answers from there.
	CacheDir string
	// ProjectDir is the project's checkout on disk, where node_modules and
	// virtual environments are looked for; empty skips them.
	ProjectDir string
	// GoModCache, M2, Cargo override the cache locations; empty means
	// $GOMODCACHE (or $GOPATH/pkg/mod, ~/go/pkg/mod), ~/.m2/repository and
	// $CARGO_HOME/registry (or ~/.cargo/registry).
	GoModCache, M2, Cargo string
	// Known maps a purl without version to the licence ospo.yaml records
	// for it; it wins over every other source.
	Known map[string]string
	// Workers bounds concurrent registry requests; 0 means 8.
	Workers int
}

// Resolver resolves dependency licences. It is safe for concurrent use.
type Resolver struct {
	opts   Options
	ep     Endpoints
	client *http.Client
	*memo  // shared with the resolvers For returns

	// venvs indexes the project's virtual environments' METADATA files,
	// listed at the first PyPI dependency; per resolver For returns.
	venvs map[string][]string
}

// memo is what the resolvers of one run share.
type memo struct {
	requests atomic.Int64
	mu       sync.Mutex
	answers  map[string]answer // purl@version -> answer, for this run
	goMods   map[string]string // module@version -> licence found in the module cache, for this run
}

// New returns a Resolver.
func New(opts Options) *Resolver {
	r := &Resolver{opts: opts, ep: opts.Endpoints.withDefaults(), client: opts.Client, memo: &memo{answers: map[string]answer{}, goMods: map[string]string{}}}
	if r.client == nil {
		r.client = &http.Client{Timeout: 30 * time.Second}
	}
	if r.opts.CacheDir == "" {
		if d, err := os.UserCacheDir(); err == nil {
			r.opts.CacheDir = filepath.Join(d, "ospo", "licenses")
		}
	}
	home, _ := os.UserHomeDir()
	if r.opts.GoModCache == "" {
		switch {
		case os.Getenv("GOMODCACHE") != "":
			r.opts.GoModCache = os.Getenv("GOMODCACHE")
		case os.Getenv("GOPATH") != "":
			r.opts.GoModCache = filepath.Join(filepath.SplitList(os.Getenv("GOPATH"))[0], "pkg", "mod")
		case home != "":
			r.opts.GoModCache = filepath.Join(home, "go", "pkg", "mod")
		}
	}
	if r.opts.M2 == "" && home != "" {
		r.opts.M2 = filepath.Join(home, ".m2", "repository")
	}
	if r.opts.Cargo == "" {
		if ch := os.Getenv("CARGO_HOME"); ch != "" {
			r.opts.Cargo = filepath.Join(ch, "registry")
		} else if home != "" {
			r.opts.Cargo = filepath.Join(home, ".cargo", "registry")
		}
	}
	return r
}

// Requests returns the number of HTTP requests made so far.
func (r *Resolver) Requests() int64 { return r.requests.Load() }

// answer is what one source said about one package version.
type answer struct {
	Expression string `json:"expression"`
	Source     string `json:"source"`
}

// Resolve returns one DependencyLicense per distinct (purl, manifest) of
// deps, in their order, and problems met on the way (a registry that could
// not be reached). A failure to reach a registry leaves the licence unknown.
func (r *Resolver) Resolve(ctx context.Context, deps []catalog.Dependency) ([]catalog.DependencyLicense, []catalog.Problem) {
	type key struct{ purl, manifest string }
	seen := map[key]bool{}
	var out []catalog.DependencyLicense
	var pending []int
	for _, d := range deps {
		k := key{d.PURL, d.Manifest}
		if seen[k] {
			continue
		}
		seen[k] = true
		dl := r.offline(d)
		out = append(out, dl)
		if dl.Expression == catalog.LicenseUnknown && r.opts.Online {
			pending = append(pending, len(out)-1)
		}
	}
	if len(pending) == 0 {
		return out, nil
	}
	byIndex := map[int]catalog.Dependency{}
	i := 0
	seen = map[key]bool{}
	for _, d := range deps {
		k := key{d.PURL, d.Manifest}
		if seen[k] {
			continue
		}
		seen[k] = true
		byIndex[i] = d
		i++
	}
	workers := r.opts.Workers
	if workers <= 0 {
		workers = 8
	}
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		probs []catalog.Problem
		sem   = make(chan struct{}, workers)
	)
	for _, idx := range pending {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			d := byIndex[idx]
			a, err := r.online(ctx, d)
			if err != nil {
				mu.Lock()
				probs = append(probs, catalog.Problem{Kind: catalog.ProblemUnreadable, Path: d.Manifest,
					Message: fmt.Sprintf("licence of %s: %v", d.PURL, err)})
				mu.Unlock()
				return
			}
			if a.Expression != "" && a.Expression != catalog.LicenseUnknown {
				out[idx].Expression, out[idx].Source = a.Expression, a.Source
			}
		}()
	}
	wg.Wait()
	return out, probs
}

// offline resolves from ospo.yaml, the lockfile and local caches.
func (r *Resolver) offline(d catalog.Dependency) catalog.DependencyLicense {
	dl := license.FromLockfile(d)
	if base := purlBase(d.PURL); base != "" {
		for k, v := range r.opts.Known {
			if strings.EqualFold(k, base) {
				if x := license.Normalize(v); x != "" {
					dl.Expression, dl.Source = x, "config"
					return dl
				}
			}
		}
	}
	if dl.Expression != catalog.LicenseUnknown {
		return dl
	}
	if x := r.localCache(d); x != "" {
		dl.Expression, dl.Source = x, catalog.LicenseSourceCache
	}
	return dl
}

func purlBase(p string) string {
	u, err := packageurl.FromString(p)
	if err != nil {
		return ""
	}
	u.Version, u.Qualifiers, u.Subpath = "", nil, ""
	return u.ToString()
}

// online asks the registry, through the on-disk cache.
func (r *Resolver) online(ctx context.Context, d catalog.Dependency) (answer, error) {
	if d.Version == "" || d.Constraint {
		return answer{}, nil // a range names no one package version
	}
	key := d.Ecosystem + "\x00" + d.Name + "\x00" + d.Version
	r.mu.Lock()
	if a, ok := r.answers[key]; ok {
		r.mu.Unlock()
		return a, nil
	}
	r.mu.Unlock()
	file := ""
	if r.opts.CacheDir != "" {
		sum := sha256.Sum256([]byte(key))
		file = filepath.Join(r.opts.CacheDir, hex.EncodeToString(sum[:16])+".json")
		if b, err := os.ReadFile(file); err == nil {
			var a answer
			if json.Unmarshal(b, &a) == nil {
				r.remember(key, a)
				return a, nil
			}
		}
	}
	fetch := r.fetcher(d.Ecosystem)
	if fetch == nil {
		return answer{}, nil
	}
	expr, err := fetch(ctx, d.Name, d.Version)
	if err != nil && !errors.Is(err, errNotFound) {
		return answer{}, err
	}
	a := answer{Expression: catalog.LicenseUnknown, Source: catalog.LicenseSourceRegistry}
	if expr != "" {
		a.Expression = expr
	}
	r.remember(key, a)
	if file != "" {
		if b, err := json.Marshal(a); err == nil {
			if os.MkdirAll(r.opts.CacheDir, 0o755) == nil {
				tmp := file + ".tmp"
				if os.WriteFile(tmp, b, 0o644) == nil {
					os.Rename(tmp, file)
				}
			}
		}
	}
	return a, nil
}

func (r *Resolver) remember(key string, a answer) {
	r.mu.Lock()
	r.answers[key] = a
	r.mu.Unlock()
}

// For returns a resolver like r that reads node_modules and virtual
// environments in the checkout at dir ("" for none). It shares r's memo of
// registry answers and request count, so a scan resolves many projects at
// once, from many goroutines, asking a registry once per package version.
func (r *Resolver) For(dir string) *Resolver {
	c := *r
	c.opts.ProjectDir = dir
	c.venvs = nil
	return &c
}
