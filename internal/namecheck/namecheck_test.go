package namecheck

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"sync"
	"testing"

	"github.com/ospo-project/ospo/internal/catalog"
)

func readGz(t *testing.T, path string) []byte {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// registry is an in-process registry answering the documents of
// testdata (see SOURCE.md) at the paths the real registries use.
type registry struct {
	mu    sync.Mutex
	paths []string
	agent string
}

func (r *registry) serve(t *testing.T) *httptest.Server {
	npm := readGz(t, "testdata/npm-npm.json.gz")
	cobra, err := os.ReadFile("testdata/goproxy-cobra-list.txt")
	if err != nil {
		t.Fatal(err)
	}
	docs := map[string][]byte{
		"/npm/npm":                           npm,
		"/go/github.com/spf13/cobra/@v/list": cobra,
		// No PyPI, crates.io or Maven document could be obtained (SOURCE.md):
		// these answer the status only.
		"/pypi/pypi/requests/json":                                   {},
		"/crates/api/v1/crates/serde":                                {},
		"/maven/org/apache/commons/commons-lang3/maven-metadata.xml": {},
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		r.mu.Lock()
		r.paths = append(r.paths, req.URL.EscapedPath())
		r.agent = req.UserAgent()
		r.mu.Unlock()
		switch p := req.URL.EscapedPath(); {
		case p == "/go/github.com/ospo-project/gone/@v/list":
			http.Error(w, "not found: github.com/ospo-project/gone@latest: 410 Gone", http.StatusGone)
		case p == "/npm/busy":
			http.Error(w, "slow down", http.StatusTooManyRequests)
		default:
			d, ok := docs[p]
			if !ok {
				http.NotFound(w, req)
				return
			}
			w.Write(d)
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestCheck(t *testing.T) {
	reg := &registry{}
	srv := reg.serve(t)
	c := &Checker{Endpoints: Endpoints{NPM: srv.URL + "/npm", PyPI: srv.URL + "/pypi/", Crates: srv.URL + "/crates",
		Maven: srv.URL + "/maven", GoProxy: srv.URL + "/go"}}
	tests := []struct {
		eco, name string
		want      State
		path      string
		reason    string
	}{
		{"npm", "npm", Taken, "/npm/npm", ""},
		{"npm", "NPM", Taken, "/npm/npm", ""}, // npm compares names in lower case
		{"npm", "@acme/ledger-sdk", Free, "/npm/@acme%2fledger-sdk", ""},
		{"npm", "busy", NotChecked, "/npm/busy", "the npm registry answered 429 Too Many Requests"},
		{"npm", "../admin", NotChecked, "", `"../admin" is not a valid npm package name`},
		{"Go", "github.com/spf13/cobra", Taken, "/go/github.com/spf13/cobra/@v/list", ""},
		{"Go", "github.com/Acme/Ledger", Free, "/go/github.com/!acme/!ledger/@v/list", ""},
		{"Go", "github.com/ospo-project/gone", Free, "/go/github.com/ospo-project/gone/@v/list", ""},
		{"PyPI", "Requests", Taken, "/pypi/pypi/requests/json", ""},
		{"PyPI", "acme_ledger.sdk", Free, "/pypi/pypi/acme-ledger-sdk/json", ""},
		{"crates.io", "serde", Taken, "/crates/api/v1/crates/serde", ""},
		{"crates.io", "acme-ledger", Free, "/crates/api/v1/crates/acme-ledger", ""},
		{"Maven", "org.apache.commons:commons-lang3", Taken, "/maven/org/apache/commons/commons-lang3/maven-metadata.xml", ""},
		{"Maven", "com.acme:ledger", Free, "/maven/com/acme/ledger/maven-metadata.xml", ""},
		{"Maven", "no-artifact", NotChecked, "", `"no-artifact" is not a valid Maven package name`},
		{"RubyGems", "rails", NotChecked, "", "no registry known for the RubyGems ecosystem"},
	}
	var names []catalog.PackageName
	for _, tt := range tests {
		names = append(names, catalog.PackageName{Ecosystem: tt.eco, Name: tt.name})
	}
	got := c.Check(context.Background(), names)
	for i, tt := range tests {
		a := got[i]
		wantURL := ""
		if tt.path != "" {
			wantURL = srv.URL + tt.path
		}
		if a.State != tt.want || a.URL != wantURL || a.Reason != tt.reason || a.Name != tt.name {
			t.Errorf("%s %s: got %s %q %q, want %s %q %q", tt.eco, tt.name, a.State, a.URL, a.Reason, tt.want, wantURL, tt.reason)
		}
	}
	if reg.agent == "" || !bytes.Contains([]byte(reg.agent), []byte("ospo")) {
		t.Errorf("User-Agent %q does not name ospo (crates.io refuses anonymous clients)", reg.agent)
	}
}

// An ecosystem without an endpoint, and a registry that cannot be
// reached, are not checked, never free.
func TestNotChecked(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close()
	c := &Checker{Endpoints: Endpoints{NPM: url}}
	got := c.Check(context.Background(), []catalog.PackageName{{Ecosystem: "npm", Name: "left-pad"}, {Ecosystem: "PyPI", Name: "x"}})
	if got[0].State != NotChecked || got[0].Reason == "" || got[1].State != NotChecked ||
		got[1].Reason != "PyPI is not configured" {
		t.Errorf("answers %+v", got)
	}
}
