package deps

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/ospo-project/ospo/internal/catalog"
)

// yarnEntry is one resolved package of a yarn.lock, in either format.
type yarnEntry struct {
	descriptors []string // "name@range" keys that resolve to it
	name        string
	version     string
	resolution  string            // berry
	integrity   string            // v1 "integrity"
	checksum    string            // berry "checksum"
	deps        map[string]string // name → range, incl. optional and peer
	line        int
}

// parseYarnLock reads a yarn.lock of Yarn 1 (its own line format) or of
// Yarn 2+ ("berry", YAML with a __metadata entry).
//
// Yarn 1 does not say which packages are direct: package.json beside it
// does. Berry lists the workspaces themselves (resolution "…@workspace:…"),
// which are not dependencies, but whose dependencies are the direct ones.
// Local packages (link:, portal:, file:, workspace: protocols) are skipped;
// a patched package (patch: protocol) is the same package version as the
// one it patches. Hashes: Yarn 1's integrity, berry's checksum (the SHA-512
// of the package archive, hex, after the cache-key prefix).
func parseYarnLock(ctx context.Context, in *input, data []byte) (output, error) {
	out := output{family: "npm"}
	var entries []*yarnEntry
	var workspaces []*yarnEntry
	var err error
	if isBerry(data) {
		entries, workspaces, err = parseBerry(data)
		out.knowsDirect = len(workspaces) > 0
	} else {
		entries, err = parseYarnV1(ctx, data)
	}
	byDesc := map[string]*yarnEntry{}
	for _, e := range entries {
		for _, d := range e.descriptors {
			byDesc[d] = e
		}
	}
	purl := func(e *yarnEntry) string { return makePURL(ecoNPM, e.name, e.version, nil) }
	lookup := func(name, rng string) *yarnEntry {
		if e := byDesc[name+"@"+rng]; e != nil {
			return e
		}
		if !strings.Contains(rng, ":") {
			return byDesc[name+"@npm:"+rng]
		}
		return nil
	}
	index := map[*yarnEntry]int{}
	for i, e := range entries {
		index[e] = i
	}
	out.declared = func(decl catalog.Dependency) []int {
		if e := lookup(decl.Name, decl.Version); e != nil {
			return []int{index[e]}
		}
		var idx []int
		for i, e := range entries {
			if e.name == decl.Name {
				idx = append(idx, i)
			}
		}
		return idx
	}
	direct := map[*yarnEntry]bool{}
	for _, w := range workspaces {
		for name, rng := range w.deps {
			if e := lookup(name, rng); e != nil {
				direct[e] = true
			}
		}
	}
	for _, e := range entries {
		d := newDep(ecoNPM, e.name, e.version)
		d.Direct = direct[e]
		d.Hashes = sriHashes(e.integrity)
		if e.checksum != "" {
			c := e.checksum
			if i := strings.IndexByte(c, '/'); i >= 0 { // "10c0/<hex>": cache key, then hash
				c = c[i+1:]
			}
			d.Hashes = append(d.Hashes, catalog.Hash{Algorithm: "sha512", Value: c})
		}
		for name, rng := range e.deps {
			if t := lookup(name, rng); t != nil {
				d.DependsOn = append(d.DependsOn, purl(t))
			}
		}
		out.deps = append(out.deps, d)
	}
	return out, err
}

// isBerry reports whether a yarn.lock is in the Yarn 2+ format.
func isBerry(data []byte) bool {
	return bytes.HasPrefix(data, []byte("__metadata:")) || bytes.Contains(data, []byte("\n__metadata:"))
}

// yarnSplitDescriptor splits "name@range" (name possibly scoped,
// "@scope/name@range").
func yarnSplitDescriptor(desc string) (name, rng string) {
	from := 0
	if strings.HasPrefix(desc, "@") {
		from = 1
	}
	i := strings.IndexByte(desc[from:], '@')
	if i < 0 {
		return desc, ""
	}
	return desc[:from+i], desc[from+i+1:]
}

// yarnLocal reports whether a range or resolution names code in the
// repository rather than a package.
func yarnLocal(rng string) bool {
	for _, p := range []string{"workspace:", "link:", "portal:", "file:", "exec:"} {
		if strings.HasPrefix(rng, p) {
			return true
		}
	}
	return strings.HasPrefix(rng, ".") || strings.HasPrefix(rng, "/")
}

// parseYarnV1 reads the Yarn 1 line format.
func parseYarnV1(ctx context.Context, data []byte) ([]*yarnEntry, error) {
	var entries []*yarnEntry
	var errs []error
	var cur *yarnEntry
	var sub string // "dependencies", "optionalDependencies", … while inside one
	keep := func() {
		if cur == nil {
			return
		}
		if cur.version == "" {
			errs = append(errs, fmt.Errorf("line %d: entry %s has no version", cur.line, strings.Join(cur.descriptors, ", ")))
		} else if cur.name != "" {
			entries = append(entries, cur)
		}
		cur = nil
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for ln := 1; sc.Scan(); ln++ {
		if ln%4096 == 0 && ctx.Err() != nil {
			return entries, ctx.Err()
		}
		line := strings.TrimRight(sc.Text(), "\r")
		trimmed := strings.TrimSpace(line)
		if trimmed == "" || strings.HasPrefix(trimmed, "#") {
			continue
		}
		indent := len(line) - len(strings.TrimLeft(line, " "))
		switch {
		case indent == 0:
			keep()
			if !strings.HasSuffix(trimmed, ":") {
				errs = append(errs, fmt.Errorf("line %d: expected an entry header ending in ':'", ln))
				continue
			}
			cur = &yarnEntry{line: ln, deps: map[string]string{}}
			for _, d := range splitYarnHeader(strings.TrimSuffix(trimmed, ":")) {
				cur.descriptors = append(cur.descriptors, d)
				name, rng := yarnSplitDescriptor(d)
				if real, ok := strings.CutPrefix(rng, "npm:"); ok && strings.Contains(real[1:], "@") {
					name, _ = yarnSplitDescriptor(real) // an alias: name@npm:real@range
				}
				if yarnLocal(rng) {
					name = ""
				}
				if cur.name == "" {
					cur.name = name
				}
			}
			sub = ""
		case cur == nil:
			errs = append(errs, fmt.Errorf("line %d: indented line outside an entry", ln))
		case indent == 2:
			key, val := yarnKeyValue(trimmed)
			sub = ""
			switch key {
			case "version":
				cur.version = val
			case "integrity":
				cur.integrity = val
			case "dependencies", "optionalDependencies":
				if val == "" {
					sub = key
				}
			}
		case indent >= 4 && sub != "":
			name, rng := yarnKeyValue(trimmed)
			if name != "" {
				cur.deps[name] = rng
			}
		}
	}
	keep()
	if err := sc.Err(); err != nil {
		errs = append(errs, err)
	}
	return entries, errors.Join(errs...)
}

// splitYarnHeader splits a Yarn 1 entry header into its descriptors:
// `"@a/b@^1", "@a/b@^1.2"` or `a@^1, a@^2`.
func splitYarnHeader(h string) []string {
	var out []string
	for h = strings.TrimSpace(h); h != ""; h = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(h), ",")) {
		var part string
		if h[0] == '"' {
			end := strings.IndexByte(h[1:], '"')
			if end < 0 {
				part, h = h[1:], ""
			} else {
				part, h = h[1:end+1], h[end+2:]
			}
		} else if i := strings.IndexByte(h, ','); i >= 0 {
			part, h = h[:i], h[i:]
		} else {
			part, h = h, ""
		}
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}

// yarnKeyValue splits a Yarn 1 `key "value"` or `key value` line (the key
// possibly quoted, a trailing ':' marking a nested map).
func yarnKeyValue(s string) (key, val string) {
	s = strings.TrimSuffix(s, ":")
	if strings.HasPrefix(s, `"`) {
		if end := strings.Index(s[1:], `"`); end >= 0 {
			key, s = s[1:end+1], strings.TrimSpace(s[end+2:])
		}
	} else {
		k, rest, _ := strings.Cut(s, " ")
		key, s = k, strings.TrimSpace(rest)
	}
	if u, err := strconv.Unquote(s); err == nil {
		s = u
	}
	return key, strings.Trim(s, `"`)
}

// berryEntry is an entry of a Yarn 2+ lockfile.
type berryEntry struct {
	Version              string            `yaml:"version"`
	Resolution           string            `yaml:"resolution"`
	Checksum             string            `yaml:"checksum"`
	Dependencies         map[string]string `yaml:"dependencies"`
	OptionalDependencies map[string]string `yaml:"optionalDependencies"`
	PeerDependencies     map[string]string `yaml:"peerDependencies"`
}

// parseBerry reads a Yarn 2+ lockfile. It returns the packages and,
// separately, the workspaces.
func parseBerry(data []byte) (entries, workspaces []*yarnEntry, err error) {
	// The decoder's panics on hostile input, here or in the walk below,
	// become an error.
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("yaml: %v", r)
		}
	}()
	root, err := yamlMapping(data)
	if err != nil || root == nil {
		return nil, nil, err
	}
	var errs []error
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		if k.Value == "__metadata" {
			continue
		}
		var be berryEntry
		if err := v.Decode(&be); err != nil {
			errs = append(errs, fmt.Errorf("line %d: entry %q: %w", k.Line, k.Value, err))
			continue
		}
		e := &yarnEntry{line: k.Line, version: be.Version, resolution: be.Resolution, checksum: be.Checksum,
			deps: map[string]string{}}
		for _, d := range strings.Split(k.Value, ",") {
			if d = strings.TrimSpace(d); d != "" {
				e.descriptors = append(e.descriptors, d)
			}
		}
		for _, m := range []map[string]string{be.Dependencies, be.OptionalDependencies} {
			for n, r := range m {
				e.deps[n] = r
			}
		}
		name, rng := yarnSplitDescriptor(be.Resolution)
		switch {
		case strings.HasPrefix(rng, "workspace:"):
			workspaces = append(workspaces, e)
			continue
		case be.Version == "" || be.Resolution == "" || yarnLocal(rng):
			continue
		}
		e.name = name
		entries = append(entries, e)
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].line < entries[j].line })
	return entries, workspaces, errors.Join(errs...)
}
