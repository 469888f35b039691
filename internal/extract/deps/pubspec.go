package deps

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"

	yaml "go.yaml.in/yaml/v3"

	"github.com/ospo-project/ospo/internal/catalog"
)

// pubspecLockPackage is an entry of pubspec.lock's packages.
type pubspecLockPackage struct {
	Dependency  string    `yaml:"dependency"`
	Source      string    `yaml:"source"`
	Version     string    `yaml:"version"`
	Description yaml.Node `yaml:"description"`
}

// parsePubspecLock reads a Dart/Flutter pubspec.lock. Every package from a
// registry ("hosted") or a git repository is a Pub dependency at its locked
// version; "direct main", "direct dev" and "direct overridden" say which
// are direct, "direct dev" that it is for development. Packages from a
// path are the repository's own code, and SDK packages (flutter,
// flutter_test, sky_engine: "source: sdk", version 0.0.0) ship with the
// Flutter SDK, not from pub.dev: neither is a dependency. The sha256 of a
// hosted package's archive (pub 2.19 and later) is kept. The file lists
// every package but not which depends on which.
func parsePubspecLock(_ context.Context, _ *input, data []byte) (out output, err error) {
	out = output{family: "pub", knowsDirect: true}
	// The decoder's panics on hostile input, here or in the walk below,
	// become an error.
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("yaml: %v", r)
		}
	}()
	root, err := yamlMapping(data)
	if err != nil || root == nil {
		return out, err
	}
	var pkgs *yaml.Node
	for i := 0; i+1 < len(root.Content); i += 2 {
		if root.Content[i].Value == "packages" {
			pkgs = root.Content[i+1]
		}
	}
	if pkgs == nil {
		return out, nil
	}
	if pkgs.Kind != yaml.MappingNode {
		return out, fmt.Errorf("line %d: packages is not a mapping", pkgs.Line)
	}
	var errs []error
	for i := 0; i+1 < len(pkgs.Content); i += 2 {
		k, v := pkgs.Content[i], pkgs.Content[i+1]
		var p pubspecLockPackage
		if err := v.Decode(&p); err != nil {
			errs = append(errs, fmt.Errorf("line %d: package %q: %w", k.Line, k.Value, err))
			continue
		}
		switch p.Source {
		case "hosted", "git":
		default: // path, sdk
			continue
		}
		if k.Value == "" || p.Version == "" {
			continue
		}
		d := newDep(ecoPub, k.Value, p.Version)
		kind := strings.Fields(p.Dependency)
		d.Direct = len(kind) > 0 && kind[0] == "direct"
		d.Scope = catalog.ScopeRuntime
		if d.Direct && len(kind) > 1 && kind[1] == "dev" {
			d.Scope = catalog.ScopeDev
		}
		if p.Source == "hosted" && p.Description.Kind == yaml.MappingNode {
			var desc struct {
				SHA256 string `yaml:"sha256"`
			}
			if p.Description.Decode(&desc) == nil && isHex(desc.SHA256, 64) {
				d.Hashes = []catalog.Hash{{Algorithm: "sha256", Value: strings.ToLower(desc.SHA256)}}
			}
		}
		out.deps = append(out.deps, d)
	}
	sort.SliceStable(out.deps, func(i, j int) bool { return out.deps[i].Name < out.deps[j].Name })
	return out, errors.Join(errs...)
}

// isHex reports whether s is n hexadecimal digits.
func isHex(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for _, c := range s {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}
