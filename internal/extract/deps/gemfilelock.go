package deps

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/ospo-project/ospo/internal/catalog"
)

// parseGemfileLock reads Gemfile.lock (or gems.locked): the specs of its
// GEM and GIT sections are the packages, with their dependency edges; PATH
// sections are gems in the repository (often the project's own gemspec):
// not dependencies, but what they depend on is direct, as are the gems
// named under DEPENDENCIES. CHECKSUMS (Bundler 2.5+) gives SHA-256 hashes.
//
// A spec's version may carry a platform ("1.15.4-x86_64-linux"); the
// version is the part before it, so the platform variants of one gem
// version are one package.
func parseGemfileLock(ctx context.Context, _ *input, data []byte) (output, error) {
	out := output{knowsDirect: true}
	type spec struct {
		name, version string
		local         bool
		deps          []string
	}
	var (
		specs     []*spec
		cur       *spec
		section   string
		inSpecs   bool
		directs   []string
		checksums = map[string][]catalog.Hash{}
		errs      []error
	)
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for ln := 1; sc.Scan(); ln++ {
		if ln%4096 == 0 && ctx.Err() != nil {
			return out, ctx.Err()
		}
		line := strings.TrimRight(sc.Text(), "\r")
		if strings.TrimSpace(line) == "" {
			continue
		}
		indent := len(line) - len(strings.TrimLeft(line, " "))
		text := strings.TrimSpace(line)
		if indent == 0 {
			section, inSpecs, cur = text, false, nil
			continue
		}
		switch section {
		case "GEM", "GIT", "PATH", "PLUGIN SOURCE":
			switch {
			case indent == 2:
				inSpecs = text == "specs:"
			case indent == 4 && inSpecs:
				name, ver, ok := gemNameVersion(text)
				if !ok {
					errs = append(errs, fmt.Errorf("line %d: malformed spec %q", ln, text))
					cur = nil
					continue
				}
				cur = &spec{name: name, version: ver, local: section == "PATH"}
				specs = append(specs, cur)
			case indent == 6 && inSpecs && cur != nil:
				name, _, _ := strings.Cut(text, " ")
				cur.deps = append(cur.deps, name)
			}
		case "DEPENDENCIES":
			if indent == 2 {
				name, _, _ := strings.Cut(text, " ")
				directs = append(directs, strings.TrimSuffix(name, "!"))
			}
		case "CHECKSUMS":
			if indent == 2 {
				f := strings.Fields(text)
				if len(f) < 3 {
					continue
				}
				name, ver, ok := gemNameVersion(strings.Join(f[:2], " "))
				if !ok {
					continue
				}
				for _, h := range f[2:] {
					if alg, val, ok := strings.Cut(h, "="); ok {
						checksums[name+" "+ver] = append(checksums[name+" "+ver], catalog.Hash{Algorithm: alg, Value: val})
					}
				}
			}
		}
	}
	if err := sc.Err(); err != nil {
		errs = append(errs, err)
	}

	purlOf := map[string]string{}
	for _, s := range specs {
		if !s.local {
			purlOf[s.name] = makePURL(ecoGem, s.name, s.version, nil)
		}
	}
	direct := map[string]bool{}
	for _, n := range directs {
		direct[n] = true
	}
	for _, s := range specs {
		if s.local {
			for _, n := range s.deps {
				direct[n] = true
			}
		}
	}
	for _, s := range specs {
		if s.local {
			continue
		}
		d := newDep(ecoGem, s.name, s.version)
		d.Direct = direct[s.name]
		d.Hashes = checksums[s.name+" "+s.version]
		for _, n := range s.deps {
			if u, ok := purlOf[n]; ok {
				d.DependsOn = append(d.DependsOn, u)
			}
		}
		out.deps = append(out.deps, d)
	}
	return out, errors.Join(errs...)
}

// gemNameVersion splits "name (version[-platform])".
func gemNameVersion(s string) (name, version string, ok bool) {
	name, rest, ok := strings.Cut(s, " (")
	if !ok || !strings.HasSuffix(rest, ")") || name == "" {
		return "", "", false
	}
	version = strings.TrimSuffix(rest, ")")
	if i := strings.IndexByte(version, '-'); i > 0 {
		version = version[:i]
	}
	return name, version, version != ""
}
