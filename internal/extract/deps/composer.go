package deps

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/lazyre"
)

// composerPackage is a package of composer.lock.
type composerPackage struct {
	Name    string          `json:"name"`
	Version string          `json:"version"`
	License json.RawMessage `json:"license"`
	Dist    struct {
		Shasum string `json:"shasum"`
	} `json:"dist"`
	Require map[string]string `json:"require"`
}

// parseComposerLock reads composer.lock: "packages" (runtime) and
// "packages-dev" (dev), with the licences and dist SHA-1 the lockfile
// records and the edges of "require". Platform requirements (php, ext-*,
// lib-*, composer-*) are not packages. composer.json says which packages
// are direct.
func parseComposerLock(_ context.Context, _ *input, data []byte) (output, error) {
	out := output{family: "composer"}
	var lock struct {
		Packages    []json.RawMessage `json:"packages"`
		PackagesDev []json.RawMessage `json:"packages-dev"`
	}
	if err := json.Unmarshal(data, &lock); err != nil {
		return out, fmt.Errorf("invalid JSON: %w", err)
	}
	var errs []error
	var pkgs []composerPackage
	var scopes []string
	for _, g := range []struct {
		field string
		raw   []json.RawMessage
		scope string
	}{{"packages", lock.Packages, catalog.ScopeRuntime}, {"packages-dev", lock.PackagesDev, catalog.ScopeDev}} {
		for i, r := range g.raw {
			var p composerPackage
			if err := json.Unmarshal(r, &p); err != nil {
				errs = append(errs, fmt.Errorf("%s[%d]: %w", g.field, i, err))
				continue
			}
			if p.Name == "" || p.Version == "" {
				continue
			}
			pkgs = append(pkgs, p)
			scopes = append(scopes, g.scope)
		}
	}
	byName := map[string]string{} // lowercased name → PURL
	for _, p := range pkgs {
		byName[strings.ToLower(p.Name)] = makePURL(ecoComposer, p.Name, p.Version, nil)
	}
	for i, p := range pkgs {
		d := newDep(ecoComposer, p.Name, p.Version)
		d.Scope = scopes[i]
		d.Licenses = composerLicenses(p.License)
		if p.Dist.Shasum != "" {
			d.Hashes = []catalog.Hash{{Algorithm: "sha1", Value: p.Dist.Shasum}}
		}
		for req := range p.Require {
			if u, ok := byName[strings.ToLower(req)]; ok {
				d.DependsOn = append(d.DependsOn, u)
			}
		}
		out.deps = append(out.deps, d)
	}
	return out, errors.Join(errs...)
}

// composerLicenses reads "license": an array of SPDX identifiers, or a
// single string in old lockfiles.
func composerLicenses(raw json.RawMessage) []string {
	var arr []string
	if json.Unmarshal(raw, &arr) == nil {
		return arr
	}
	var s string
	if json.Unmarshal(raw, &s) == nil && s != "" {
		return []string{s}
	}
	return nil
}

// composerPlatform reports a platform requirement, which is not a package.
func composerPlatform(name string) bool {
	n := strings.ToLower(name)
	return n == "php" || n == "hhvm" || strings.HasPrefix(n, "php-") || strings.HasPrefix(n, "ext-") ||
		strings.HasPrefix(n, "lib-") || strings.HasPrefix(n, "composer-") || !strings.Contains(n, "/")
}

// parseComposerJSON reads composer.json's require (runtime) and
// require-dev (dev). It is a manifest for composer.lock.
func parseComposerJSON(_ context.Context, _ *input, data []byte) (output, error) {
	out := output{family: "composer", manifest: true, knowsDirect: true}
	var cj struct {
		Require    json.RawMessage `json:"require"`
		RequireDev json.RawMessage `json:"require-dev"`
	}
	if err := json.Unmarshal(data, &cj); err != nil {
		return out, fmt.Errorf("invalid JSON: %w", err)
	}
	var errs []error
	for _, g := range []struct {
		field string
		raw   json.RawMessage
		scope string
	}{{"require", cj.Require, catalog.ScopeRuntime}, {"require-dev", cj.RequireDev, catalog.ScopeDev}} {
		if len(g.raw) == 0 || string(g.raw) == "null" || string(g.raw) == "[]" {
			continue
		}
		var m map[string]string
		if err := json.Unmarshal(g.raw, &m); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", g.field, err))
			continue
		}
		for _, name := range sortedKeys(m) {
			if composerPlatform(name) {
				continue
			}
			c := strings.TrimSpace(m[name])
			exact := reComposerExact.MatchString(c)
			out.deps = append(out.deps, constraintDep(ecoComposer, name, c, g.scope, exact))
		}
	}
	return out, errors.Join(errs...)
}

// reComposerExact matches a constraint of one exact version, "1.2.3" or "v1.2.3".
var reComposerExact = lazyre.New(`^v?\d+(?:\.\d+){0,3}(?:-[0-9A-Za-z.]+)?$`)
