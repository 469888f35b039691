package namecheck

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path"
	"strings"
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
	read := func(name string) []byte {
		b, err := os.ReadFile("testdata/" + name)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	docs := map[string][]byte{
		"/npm/npm":                                         npm,
		"/go/github.com/spf13/cobra/@v/list":               cobra,
		"/pypi/pypi/sampleproject/json":                    read("pypi-sampleproject.json"),
		"/crates/api/v1/crates/foo_show_minimal":           read("crates-foo_show_minimal.json"),
		"/maven/com/google/guava/guava/maven-metadata.xml": read("maven-guava-metadata.xml"),
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
			switch {
			case ok:
				w.Write(d)
			case strings.HasPrefix(p, "/crates/api/v1/crates/"):
				// crates.io's answer for a crate it does not have
				// (src/tests/routes/crates/read.rs, SOURCE.md).
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(http.StatusNotFound)
				fmt.Fprintf(w, `{"errors":[{"detail":"crate `+"`%s`"+` does not exist"}]}`, path.Base(p))
			default:
				http.NotFound(w, req)
			}
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
		{"PyPI", "SampleProject", Taken, "/pypi/pypi/sampleproject/json", ""},
		{"PyPI", "acme_ledger.sdk", Free, "/pypi/pypi/acme-ledger-sdk/json", ""},
		{"crates.io", "foo_show_minimal", Taken, "/crates/api/v1/crates/foo_show_minimal", ""},
		{"crates.io", "acme-ledger", Free, "/crates/api/v1/crates/acme-ledger", ""},
		{"Maven", "com.google.guava:guava", Taken, "/maven/com/google/guava/guava/maven-metadata.xml", ""},
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

// The registries' documents in testdata are what the test says they are:
// each names the package its path asks for, so that the "taken" cases
// rest on a real answer for that name.
func TestDocuments(t *testing.T) {
	var pypi struct {
		Info struct{ Name string } `json:"info"`
	}
	var crate struct {
		Crate struct{ Name string } `json:"crate"`
	}
	var maven struct {
		GroupID    string `xml:"groupId"`
		ArtifactID string `xml:"artifactId"`
	}
	for _, tc := range []struct {
		file   string
		decode func([]byte) error
		got    func() string
		want   string
	}{
		{"pypi-sampleproject.json", func(b []byte) error { return json.Unmarshal(b, &pypi) }, func() string { return pypi.Info.Name }, "sampleproject"},
		{"crates-foo_show_minimal.json", func(b []byte) error { return json.Unmarshal(b, &crate) }, func() string { return crate.Crate.Name }, "foo_show_minimal"},
		{"maven-guava-metadata.xml", func(b []byte) error { return xml.Unmarshal(b, &maven) }, func() string { return maven.GroupID + ":" + maven.ArtifactID }, "com.google.guava:guava"},
	} {
		b, err := os.ReadFile("testdata/" + tc.file)
		if err != nil {
			t.Fatal(err)
		}
		if err := tc.decode(b); err != nil {
			t.Fatalf("%s: %v", tc.file, err)
		}
		if got := tc.got(); got != tc.want {
			t.Errorf("%s names %q, want %q", tc.file, got, tc.want)
		}
	}
}
