package resolve

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"golang.org/x/mod/module"

	"github.com/ospo-project/ospo/internal/extract/licensefile"
	"github.com/ospo-project/ospo/internal/license"
)

// errNotFound is a registry's 404: the answer "unknown", cached like any other.
var errNotFound = errors.New("not in the registry")

// Size caps of registry responses.
const (
	maxResponse  = 8 << 20  // JSON and XML documents
	maxModuleZip = 64 << 20 // a Go module zip
)

type fetchFunc func(ctx context.Context, name, version string) (string, error)

func (r *Resolver) fetcher(ecosystem string) fetchFunc {
	switch ecosystem {
	case "Go":
		return r.goProxy
	case "npm":
		return r.npm
	case "PyPI":
		return r.pypi
	case "Maven":
		return r.maven
	case "crates.io":
		return r.crates
	case "RubyGems":
		return r.rubygems
	case "NuGet":
		return r.nuget
	case "Packagist":
		return r.packagist
	}
	return nil
}

// get fetches u, at most max bytes.
func (r *Resolver) get(ctx context.Context, u string, max int64) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	// crates.io and others ask API users to identify themselves.
	req.Header.Set("User-Agent", "ospo (https://github.com/ospo-project/ospo)")
	r.requests.Add(1)
	resp, err := r.client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	switch {
	case resp.StatusCode == http.StatusNotFound || resp.StatusCode == http.StatusGone:
		return nil, errNotFound
	case resp.StatusCode != http.StatusOK:
		return nil, fmt.Errorf("GET %s: %s", u, resp.Status)
	}
	b, err := io.ReadAll(io.LimitReader(resp.Body, max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > max {
		return nil, fmt.Errorf("GET %s: larger than %d bytes", u, max)
	}
	return b, nil
}

// goProxy downloads the module zip (GOPROXY protocol: $base/$module/@v/$version.zip)
// and classifies the licence files at the module root.
func (r *Resolver) goProxy(ctx context.Context, mod, version string) (string, error) {
	ep, err := module.EscapePath(mod)
	if err != nil {
		return "", errNotFound
	}
	ev, err := module.EscapeVersion(version)
	if err != nil {
		return "", errNotFound
	}
	b, err := r.get(ctx, r.ep.GoProxy+"/"+ep+"/@v/"+ev+".zip", maxModuleZip)
	if err != nil {
		return "", err
	}
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return "", fmt.Errorf("module zip: %w", err)
	}
	prefix := mod + "@" + version + "/"
	var exprs []string
	for _, f := range zr.File {
		rest, ok := strings.CutPrefix(f.Name, prefix)
		if !ok || strings.Contains(rest, "/") || !licensefile.IsLicenseFile(rest) || f.UncompressedSize64 > maxCacheFile {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			return "", err
		}
		text, err := io.ReadAll(io.LimitReader(rc, maxCacheFile))
		rc.Close()
		if err != nil {
			return "", err
		}
		e, ok := licensefile.Classify(text)
		if !ok {
			return "", nil
		}
		exprs = append(exprs, e.License)
	}
	return license.And(exprs...), nil
}

// npm reads the version document: GET /$name/$version, field "license".
func (r *Resolver) npm(ctx context.Context, name, version string) (string, error) {
	b, err := r.get(ctx, r.ep.NPM+"/"+strings.Replace(name, "/", "%2f", 1)+"/"+url.PathEscape(version), maxResponse)
	if err != nil {
		return "", err
	}
	x, err := licensefile.Metadata("package.json", b)
	if err != nil {
		return "", fmt.Errorf("npm registry: %w", err)
	}
	return x, nil
}

// pypi reads the JSON API: GET /pypi/$name/$version/json, info.license_expression,
// info.license, info.classifiers.
func (r *Resolver) pypi(ctx context.Context, name, version string) (string, error) {
	b, err := r.get(ctx, r.ep.PyPI+"/pypi/"+url.PathEscape(name)+"/"+url.PathEscape(version)+"/json", maxResponse)
	if err != nil {
		return "", err
	}
	var doc struct {
		Info struct {
			LicenseExpression string   `json:"license_expression"`
			License           string   `json:"license"`
			Classifiers       []string `json:"classifiers"`
		} `json:"info"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		return "", fmt.Errorf("pypi: %w", err)
	}
	if x := license.Normalize(doc.Info.LicenseExpression); x != "" {
		return x, nil
	}
	if x := license.Normalize(doc.Info.License); x != "" {
		return x, nil
	}
	var cs []string
	for _, c := range doc.Info.Classifiers {
		if strings.HasPrefix(c, "License :: ") {
			cs = append(cs, c)
		}
	}
	return fromClassifiers(cs), nil
}

// maven reads the POM: GET /$group/as/path/$artifact/$version/$artifact-$version.pom.
// Licences inherited from a parent POM are not followed.
func (r *Resolver) maven(ctx context.Context, name, version string) (string, error) {
	group, artifact, ok := strings.Cut(name, ":")
	if !ok {
		return "", errNotFound
	}
	u := r.ep.Maven + "/" + strings.ReplaceAll(group, ".", "/") + "/" + url.PathEscape(artifact) + "/" +
		url.PathEscape(version) + "/" + url.PathEscape(artifact+"-"+version+".pom")
	b, err := r.get(ctx, u, maxResponse)
	if err != nil {
		return "", err
	}
	x, err := licensefile.Metadata("x.pom", b)
	if err != nil {
		return "", fmt.Errorf("maven pom: %w", err)
	}
	return x, nil
}

// crates reads GET /api/v1/crates/$name/$version, version.license.
func (r *Resolver) crates(ctx context.Context, name, version string) (string, error) {
	b, err := r.get(ctx, r.ep.Crates+"/api/v1/crates/"+url.PathEscape(name)+"/"+url.PathEscape(version), maxResponse)
	if err != nil {
		return "", err
	}
	var doc struct {
		Version struct {
			License string `json:"license"`
		} `json:"version"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		return "", fmt.Errorf("crates.io: %w", err)
	}
	// crates.io once accepted "MIT/Apache-2.0" for "MIT OR Apache-2.0".
	return license.Normalize(strings.ReplaceAll(doc.Version.License, "/", " OR ")), nil
}

// rubygems reads GET /api/v2/rubygems/$name/versions/$version.json, licenses
// (several are a choice, as RubyGems documents).
func (r *Resolver) rubygems(ctx context.Context, name, version string) (string, error) {
	b, err := r.get(ctx, r.ep.RubyGems+"/api/v2/rubygems/"+url.PathEscape(name)+"/versions/"+url.PathEscape(version)+".json", maxResponse)
	if err != nil {
		return "", err
	}
	var doc struct {
		Licenses []string `json:"licenses"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		return "", fmt.Errorf("rubygems: %w", err)
	}
	return orAll(doc.Licenses), nil
}

// nuget reads the nuspec from the flat container:
// GET /$id/$version/$id.nuspec (lower-cased), <license type="expression">.
func (r *Resolver) nuget(ctx context.Context, name, version string) (string, error) {
	id, v := strings.ToLower(name), strings.ToLower(version)
	b, err := r.get(ctx, r.ep.NuGet+"/"+url.PathEscape(id)+"/"+url.PathEscape(v)+"/"+url.PathEscape(id)+".nuspec", maxResponse)
	if err != nil {
		return "", err
	}
	x, err := licensefile.Metadata(id+".nuspec", b)
	if err != nil {
		return "", fmt.Errorf("nuspec: %w", err)
	}
	return x, nil
}

// packagist reads the p2 metadata: GET /p2/$vendor/$name.json,
// packages[$name][i].license for the version (an array of alternatives).
// Packagist "minifies" the list: a field absent from a version is inherited
// from the version before it.
func (r *Resolver) packagist(ctx context.Context, name, version string) (string, error) {
	if strings.Count(name, "/") != 1 {
		return "", errNotFound
	}
	b, err := r.get(ctx, r.ep.Packagist+"/p2/"+strings.ToLower(name)+".json", maxResponse)
	if err != nil {
		return "", err
	}
	var doc struct {
		Packages map[string][]map[string]json.RawMessage `json:"packages"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		return "", fmt.Errorf("packagist: %w", err)
	}
	var licenses []string
	want := strings.TrimPrefix(version, "v")
	for _, v := range doc.Packages[strings.ToLower(name)] {
		if raw, ok := v["license"]; ok {
			licenses = nil
			json.Unmarshal(raw, &licenses)
		}
		var ver string
		json.Unmarshal(v["version"], &ver)
		if strings.TrimPrefix(ver, "v") == want {
			return orAll(licenses), nil
		}
	}
	return "", errNotFound
}

func orAll(list []string) string {
	var ids []string
	for _, l := range list {
		x := license.Normalize(l)
		if x == "" {
			return ""
		}
		ids = append(ids, x)
	}
	return license.Or(ids...)
}
