package deps

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
)

// swiftPin is a pin of Package.resolved, in any of its formats.
type swiftPin struct {
	Identity      string `json:"identity"`      // v2, v3
	Kind          string `json:"kind"`          // v2, v3
	Location      string `json:"location"`      // v2, v3
	Package       string `json:"package"`       // v1
	RepositoryURL string `json:"repositoryURL"` // v1
	State         struct {
		Version  string `json:"version"`
		Revision string `json:"revision"`
		Branch   string `json:"branch"`
	} `json:"state"`
}

// parsePackageResolved reads a SwiftPM Package.resolved, format 1
// ({"object": {"pins": …}}) or 2 and 3 ({"pins": …}). Each remote pin is a
// package of the SwiftURL ecosystem, named by its repository URL without
// scheme and ".git" ("github.com/apple/swift-nio"); its version is the
// pinned version or, for a branch or revision pin, the commit. Local
// packages are skipped. The file records every resolved package but not
// which are direct (Package.swift, which is code, says that).
func parsePackageResolved(_ context.Context, _ *input, data []byte) (output, error) {
	out := output{}
	var f struct {
		Pins   []swiftPin `json:"pins"`
		Object struct {
			Pins []swiftPin `json:"pins"`
		} `json:"object"`
	}
	if err := json.Unmarshal(data, &f); err != nil {
		return out, fmt.Errorf("invalid JSON: %w", err)
	}
	pins := append(f.Pins, f.Object.Pins...)
	for _, p := range pins {
		loc := p.Location
		if loc == "" {
			loc = p.RepositoryURL
		}
		if p.Kind == "localSourceControl" || p.Kind == "fileSystem" || loc == "" {
			continue
		}
		name := swiftName(loc)
		if name == "" {
			continue
		}
		v := p.State.Version
		if v == "" {
			v = p.State.Revision
		}
		out.deps = append(out.deps, newDep(ecoSwift, name, v))
	}
	return out, nil
}

// swiftName turns a repository URL into a SwiftURL package name:
// "https://github.com/apple/swift-nio.git" and "git@github.com:apple/swift-nio.git"
// → "github.com/apple/swift-nio". Local paths give "".
func swiftName(u string) string {
	u = strings.TrimSpace(u)
	if strings.HasPrefix(u, "/") || strings.HasPrefix(u, ".") || strings.HasPrefix(u, "file:") {
		return ""
	}
	if i := strings.Index(u, "://"); i >= 0 {
		u = u[i+3:]
		if at := strings.IndexByte(u, '@'); at >= 0 && at < strings.IndexByte(u+"/", '/') {
			u = u[at+1:] // user@host
		}
	} else if at := strings.IndexByte(u, '@'); at >= 0 { // scp-like git@host:path
		u = strings.Replace(u[at+1:], ":", "/", 1)
	}
	u = strings.TrimSuffix(strings.TrimSuffix(u, "/"), ".git")
	if !strings.Contains(u, "/") {
		return ""
	}
	return u
}
