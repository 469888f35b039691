package resolve

import (
	"archive/zip"
	"bytes"
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ospo-project/ospo/internal/catalog"
)

func dep(eco, name, version string) catalog.Dependency {
	purls := map[string]string{"Go": "golang", "npm": "npm", "PyPI": "pypi", "Maven": "maven", "crates.io": "cargo",
		"RubyGems": "gem", "NuGet": "nuget", "Packagist": "composer"}
	n := name
	if eco == "Maven" {
		n = replaceColon(name)
	}
	return catalog.Dependency{PURL: "pkg:" + purls[eco] + "/" + n + "@" + version, Ecosystem: eco, Name: name, Version: version, Manifest: "lock"}
}

func replaceColon(s string) string {
	b := []byte(s)
	for i := range b {
		if b[i] == ':' {
			b[i] = '/'
		}
	}
	return string(b)
}

// registries serves the documented API of each registry for one package
// version, and counts requests.
func registries(t *testing.T, mit []byte) (*httptest.Server, *atomic.Int64) {
	var n atomic.Int64
	var zipBuf bytes.Buffer
	zw := zip.NewWriter(&zipBuf)
	w, _ := zw.Create("example.com/Mod@v1.2.3/LICENSE")
	w.Write(mit)
	w, _ = zw.Create("example.com/Mod@v1.2.3/sub/LICENSE")
	w.Write([]byte("GPL? no: a nested module's licence is not this one's"))
	zw.Close()
	mux := http.NewServeMux()
	mux.HandleFunc("GET /go/example.com/!mod/@v/v1.2.3.zip", func(w http.ResponseWriter, r *http.Request) { w.Write(zipBuf.Bytes()) })
	mux.HandleFunc("GET /npm/@scope%2fpkg/1.0.0", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`{"name":"@scope/pkg","version":"1.0.0","license":"(MIT OR Apache-2.0)"}`))
	})
	mux.HandleFunc("GET /pypi/pypi/requests/2.31.0/json", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`{"info":{"license":"Apache 2.0","classifiers":["License :: OSI Approved :: Apache Software License"]}}`))
	})
	mux.HandleFunc("GET /pypi/pypi/six/1.16.0/json", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`{"info":{"license":"","classifiers":["License :: OSI Approved :: MIT License"]}}`))
	})
	mux.HandleFunc("GET /maven/org/example/lib/1.0/lib-1.0.pom", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`<project><licenses><license><name>GNU Lesser General Public License</name><url>https://www.gnu.org/licenses/old-licenses/lgpl-2.1.html</url></license></licenses></project>`))
	})
	mux.HandleFunc("GET /crates/api/v1/crates/serde/1.0.0", func(w http.ResponseWriter, r *http.Request) {
		if r.UserAgent() == "" {
			http.Error(w, "crates.io requires a user agent", http.StatusForbidden)
			return
		}
		w.Write([]byte(`{"version":{"num":"1.0.0","license":"MIT/Apache-2.0"}}`))
	})
	mux.HandleFunc("GET /gems/api/v2/rubygems/rails/versions/7.1.0.json", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`{"name":"rails","version":"7.1.0","licenses":["MIT"]}`))
	})
	mux.HandleFunc("GET /nuget/newtonsoft.json/13.0.3/newtonsoft.json.nuspec", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`<?xml version="1.0"?><package xmlns="http://schemas.microsoft.com/packaging/2013/05/nuspec.xsd"><metadata><id>Newtonsoft.Json</id><license type="expression">MIT</license></metadata></package>`))
	})
	mux.HandleFunc("GET /packagist/p2/symfony/console.json", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`{"packages":{"symfony/console":[{"version":"v7.0.1","license":["MIT"]},{"version":"v7.0.0"}]}}`))
	})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		mux.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv, &n
}

func TestRegistries(t *testing.T) {
	mit, err := os.ReadFile("testdata/MIT.txt")
	if err != nil {
		t.Fatal(err)
	}
	srv, count := registries(t, mit)
	ep := Endpoints{GoProxy: srv.URL + "/go", NPM: srv.URL + "/npm", PyPI: srv.URL + "/pypi", Maven: srv.URL + "/maven",
		Crates: srv.URL + "/crates", RubyGems: srv.URL + "/gems", NuGet: srv.URL + "/nuget", Packagist: srv.URL + "/packagist"}
	deps := []catalog.Dependency{
		dep("Go", "example.com/Mod", "v1.2.3"),
		dep("npm", "@scope/pkg", "1.0.0"),
		dep("PyPI", "requests", "2.31.0"),
		dep("PyPI", "six", "1.16.0"),
		dep("Maven", "org.example:lib", "1.0"),
		dep("crates.io", "serde", "1.0.0"),
		dep("RubyGems", "rails", "7.1.0"),
		dep("NuGet", "Newtonsoft.Json", "13.0.3"),
		dep("Packagist", "symfony/console", "7.0.0"),
		dep("npm", "missing", "0.0.1"),
	}
	want := []string{"MIT", "MIT OR Apache-2.0", "Apache-2.0", "MIT", "LGPL-2.1-only", "MIT OR Apache-2.0", "MIT", "MIT", "MIT", catalog.LicenseUnknown}
	cache := t.TempDir()
	opts := Options{Online: true, Endpoints: ep, CacheDir: cache, GoModCache: t.TempDir(), M2: t.TempDir(), Cargo: t.TempDir()}
	got, probs := New(opts).Resolve(context.Background(), deps)
	if len(probs) > 0 {
		t.Errorf("problems: %v", probs)
	}
	var exprs []string
	for _, g := range got {
		exprs = append(exprs, g.Expression)
	}
	if diff := cmp.Diff(want, exprs); diff != "" {
		t.Errorf("licences (-want +got):\n%s", diff)
	}
	first := count.Load()
	if first != int64(len(deps)) {
		t.Errorf("first run made %d requests, want %d", first, len(deps))
	}

	// A second run, by a new resolver as a new process would, makes no requests.
	r2 := New(opts)
	got2, _ := r2.Resolve(context.Background(), deps)
	if diff := cmp.Diff(got, got2); diff != "" {
		t.Errorf("second run (-first +second):\n%s", diff)
	}
	if n := count.Load() - first; n != 0 || r2.Requests() != 0 {
		t.Errorf("second run made %d requests, want 0", n)
	}

	// Offline, nothing is asked and everything not in a lockfile is unknown.
	opts.Online = false
	opts.CacheDir = t.TempDir()
	before := count.Load()
	off, _ := New(opts).Resolve(context.Background(), deps)
	for _, o := range off {
		if o.Expression != catalog.LicenseUnknown {
			t.Errorf("offline %s = %s, want unknown", o.PURL, o.Expression)
		}
	}
	if count.Load() != before {
		t.Error("offline resolution made requests")
	}
}

func TestLockfileAndCaches(t *testing.T) {
	mit, err := os.ReadFile("testdata/MIT.txt")
	if err != nil {
		t.Fatal(err)
	}
	gomod, m2, cargo, proj := t.TempDir(), t.TempDir(), t.TempDir(), t.TempDir()
	write := func(p string, b []byte) {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(filepath.Join(gomod, "github.com", "!burnt!sushi", "toml@v1.0.0", "COPYING"), mit)
	write(filepath.Join(m2, "org", "example", "lib", "2.0", "lib-2.0.pom"),
		[]byte(`<project><licenses><license><name>Apache License, Version 2.0</name></license></licenses></project>`))
	write(filepath.Join(cargo, "src", "index.crates.io-6f17d22bba15001f", "rand-0.8.5", "Cargo.toml"),
		[]byte("[package]\nname = \"rand\"\nlicense = \"MIT OR Apache-2.0\"\n"))
	write(filepath.Join(proj, "web", "node_modules", "left-pad", "package.json"), []byte(`{"name":"left-pad","version":"1.3.0","license":"WTFPL"}`))
	write(filepath.Join(proj, ".venv", "lib", "python3.12", "site-packages", "python_dateutil-2.9.0.dist-info", "METADATA"),
		[]byte("Metadata-Version: 2.4\nName: python-dateutil\nLicense-Expression: Apache-2.0 OR BSD-3-Clause\n\nbody"))
	locked := dep("npm", "lodash", "4.17.21")
	locked.Licenses = []string{"MIT"}
	leftPad := dep("npm", "left-pad", "1.3.0")
	leftPad.Manifest = "web/package-lock.json"
	deps := []catalog.Dependency{
		locked,
		dep("Go", "github.com/BurntSushi/toml", "v1.0.0"),
		dep("Maven", "org.example:lib", "2.0"),
		dep("crates.io", "rand", "0.8.5"),
		leftPad,
		dep("PyPI", "python-dateutil", "2.9.0"),
		dep("Go", "example.com/nowhere", "v1.0.0"),
	}
	r := New(Options{GoModCache: gomod, M2: m2, Cargo: cargo, ProjectDir: proj, CacheDir: t.TempDir()})
	got, _ := r.Resolve(context.Background(), deps)
	want := []catalog.DependencyLicense{
		{PURL: deps[0].PURL, Manifest: "lock", Expression: "MIT", Source: "lockfile"},
		{PURL: deps[1].PURL, Manifest: "lock", Expression: "MIT", Source: "cache"},
		{PURL: deps[2].PURL, Manifest: "lock", Expression: "Apache-2.0", Source: "cache"},
		{PURL: deps[3].PURL, Manifest: "lock", Expression: "MIT OR Apache-2.0", Source: "cache"},
		{PURL: deps[4].PURL, Manifest: "web/package-lock.json", Expression: "WTFPL", Source: "cache"},
		{PURL: deps[5].PURL, Manifest: "lock", Expression: "Apache-2.0 OR BSD-3-Clause", Source: "cache"},
		{PURL: deps[6].PURL, Manifest: "lock", Expression: "unknown"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Resolve (-want +got):\n%s", diff)
	}
	if r.Requests() != 0 {
		t.Errorf("offline resolver made %d requests", r.Requests())
	}
}

// reachable skips the test unless host answers on 443.
func reachable(t *testing.T, host string) {
	t.Helper()
	if os.Getenv("OSPO_TEST_OFFLINE") != "" {
		t.Skip("OSPO_TEST_OFFLINE is set")
	}
	c, err := net.DialTimeout("tcp", host+":443", 3*time.Second)
	if err != nil {
		t.Skipf("%s is not reachable (%v): skipping the real-registry test", host, err)
	}
	c.Close()
}

// TestRealRegistries asks the real Go module proxy and npm registry.
func TestRealRegistries(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: no network")
	}
	tests := []struct {
		host string
		dep  catalog.Dependency
		want string
	}{
		{"proxy.golang.org", dep("Go", "github.com/google/go-cmp", "v0.6.0"), "BSD-3-Clause"},
		{"proxy.golang.org", dep("Go", "github.com/BurntSushi/toml", "v1.3.2"), "MIT"},
		{"registry.npmjs.org", dep("npm", "express", "4.18.2"), "MIT"},
		{"registry.npmjs.org", dep("npm", "@babel/core", "7.23.0"), "MIT"},
	}
	for _, tc := range tests {
		t.Run(tc.dep.PURL, func(t *testing.T) {
			reachable(t, tc.host)
			r := New(Options{Online: true, CacheDir: t.TempDir(), GoModCache: t.TempDir()})
			got, probs := r.Resolve(context.Background(), []catalog.Dependency{tc.dep})
			if len(probs) > 0 {
				t.Skipf("registry did not answer: %v", probs)
			}
			if got[0].Expression != tc.want || got[0].Source != catalog.LicenseSourceRegistry {
				t.Errorf("got %+v, want %s from the registry", got[0], tc.want)
			}
		})
	}
}
