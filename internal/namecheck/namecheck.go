// Package namecheck asks the public package registries whether package
// names are already taken: npm, PyPI, crates.io, Maven Central and the Go
// module proxy. It is online only; a name whose registry could not be
// asked (offline, an error, an ecosystem without a registry configured)
// is "not checked", never "free".
//
// Each registry is asked for the package's own document, and its answer
// read from the status: 200 taken, 404 (or the Go proxy's 410) free.
package namecheck

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"golang.org/x/mod/module"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/lazyre"
)

// Endpoints are the registries' base URLs; an empty one leaves its
// ecosystem not checked. Public returns the public registries'.
type Endpoints struct {
	NPM     string `yaml:"npm" json:"npm,omitempty"`           // https://registry.npmjs.org
	PyPI    string `yaml:"pypi" json:"pypi,omitempty"`         // https://pypi.org
	Crates  string `yaml:"crates" json:"crates,omitempty"`     // https://crates.io
	Maven   string `yaml:"maven" json:"maven,omitempty"`       // https://repo1.maven.org/maven2
	GoProxy string `yaml:"go_proxy" json:"go_proxy,omitempty"` // https://proxy.golang.org
}

// Public returns the public registries' endpoints.
func Public() Endpoints {
	return Endpoints{NPM: "https://registry.npmjs.org", PyPI: "https://pypi.org", Crates: "https://crates.io",
		Maven: "https://repo1.maven.org/maven2", GoProxy: "https://proxy.golang.org"}
}

// State is a name's answer.
type State string

// States of a name.
const (
	Free       State = "free"
	Taken      State = "taken"
	NotChecked State = "not-checked"
)

// Answer is what a registry said about one name.
type Answer struct {
	catalog.PackageName
	State State `json:"state"`
	// URL is the document asked for.
	URL string `json:"url,omitempty"`
	// Reason says why the name was not checked.
	Reason string `json:"reason,omitempty"`
}

// Checker asks registries. The zero value checks nothing.
type Checker struct {
	Endpoints Endpoints
	// Client makes the requests; nil means one with a 15 s timeout.
	Client *http.Client
}

// Check asks each name's registry, concurrently, and returns one answer
// per name in the order given. It never fails: an error is a NotChecked
// answer with the reason.
func (c *Checker) Check(ctx context.Context, names []catalog.PackageName) []Answer {
	client := c.Client
	if client == nil {
		client = &http.Client{Timeout: 15 * time.Second}
	}
	out := make([]Answer, len(names))
	var wg sync.WaitGroup
	for i, n := range names {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out[i] = c.one(ctx, client, n)
		}()
	}
	wg.Wait()
	return out
}

func (c *Checker) one(ctx context.Context, client *http.Client, n catalog.PackageName) Answer {
	a := Answer{PackageName: n, State: NotChecked}
	u, err := c.url(n)
	if err != nil {
		a.Reason = err.Error()
		return a
	}
	a.URL = u
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		a.Reason = err.Error()
		return a
	}
	// crates.io refuses requests without a User-Agent naming the client.
	req.Header.Set("User-Agent", "ospo (https://github.com/ospo-project/ospo)")
	resp, err := client.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // the URL is in the answer already
		}
		a.Reason = fmt.Sprintf("%s unreachable: %v", registryName(n.Ecosystem), err)
		return a
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	switch {
	case resp.StatusCode == http.StatusOK:
		a.State = Taken
	case resp.StatusCode == http.StatusNotFound || (n.Ecosystem == "Go" && resp.StatusCode == http.StatusGone):
		a.State = Free
	default:
		a.Reason = fmt.Sprintf("%s answered %s", registryName(n.Ecosystem), resp.Status)
	}
	return a
}

func registryName(eco string) string {
	switch eco {
	case "npm":
		return "the npm registry"
	case "PyPI":
		return "PyPI"
	case "crates.io":
		return "crates.io"
	case "Maven":
		return "Maven Central"
	case "Go":
		return "the Go module proxy"
	}
	return eco
}

var (
	npmName   = lazyre.New(`^(@[a-z0-9][a-z0-9._~-]*/)?[a-z0-9._~-][a-z0-9._~-]*$`)
	pypiName  = lazyre.New(`^(?i)[a-z0-9]([a-z0-9._-]*[a-z0-9])?$`)
	crateName = lazyre.New(`^[A-Za-z][A-Za-z0-9_-]{0,63}$`)
	mavenPart = lazyre.New(`^[A-Za-z0-9_.-]+$`)
	pypiSep   = lazyre.New(`[-_.]+`)
)

// url returns the document that exists exactly when the name is taken.
func (c *Checker) url(n catalog.PackageName) (string, error) {
	base := func(b string) (string, error) {
		if b == "" {
			return "", fmt.Errorf("%s is not configured", registryName(n.Ecosystem))
		}
		return strings.TrimRight(b, "/"), nil
	}
	bad := fmt.Errorf("%q is not a valid %s package name", n.Name, n.Ecosystem)
	switch n.Ecosystem {
	case "npm":
		b, err := base(c.Endpoints.NPM)
		if err != nil {
			return "", err
		}
		// The registry matches names case-insensitively for new packages;
		// its documents are named in lower case.
		name := strings.ToLower(n.Name)
		if !npmName.MatchString(name) || len(name) > 214 {
			return "", bad
		}
		return b + "/" + strings.Replace(name, "/", "%2f", 1), nil
	case "PyPI":
		b, err := base(c.Endpoints.PyPI)
		if err != nil {
			return "", err
		}
		if !pypiName.MatchString(n.Name) {
			return "", bad
		}
		// PEP 503 normalisation: the registry's canonical name.
		return b + "/pypi/" + pypiSep.ReplaceAllString(strings.ToLower(n.Name), "-") + "/json", nil
	case "crates.io":
		b, err := base(c.Endpoints.Crates)
		if err != nil {
			return "", err
		}
		if !crateName.MatchString(n.Name) {
			return "", bad
		}
		return b + "/api/v1/crates/" + n.Name, nil
	case "Maven":
		b, err := base(c.Endpoints.Maven)
		if err != nil {
			return "", err
		}
		g, a, ok := strings.Cut(n.Name, ":")
		if !ok || !mavenPart.MatchString(g) || !mavenPart.MatchString(a) || strings.Contains(g+a, "..") {
			return "", bad
		}
		return b + "/" + strings.ReplaceAll(g, ".", "/") + "/" + a + "/maven-metadata.xml", nil
	case "Go":
		b, err := base(c.Endpoints.GoProxy)
		if err != nil {
			return "", err
		}
		if err := module.CheckPath(n.Name); err != nil {
			return "", bad
		}
		ep, err := module.EscapePath(n.Name)
		if err != nil {
			return "", bad
		}
		return b + "/" + ep + "/@v/list", nil
	}
	return "", fmt.Errorf("no registry known for the %s ecosystem", n.Ecosystem)
}
