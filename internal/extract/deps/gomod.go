package deps

import (
	"bufio"
	"bytes"
	"context"
	"go/version"
	"path"
	"strings"

	"golang.org/x/mod/modfile"

	"github.com/ospo-project/ospo/internal/catalog"
)

// parseGoMod reads a go.mod file: its requirements (direct unless marked
// "// indirect"), with replace directives applied, and the Go toolchain as
// the "stdlib" module (as osv-scanner reports it, so standard-library
// advisories match). Module versions are given as Go writes them, with the
// "v" prefix ("v1.8.0"), as syft, trivy and GitHub's dependency graph do in
// their package URLs; advisory matching reads both forms. The toolchain's
// version has no prefix ("1.22.1"), as osv-scanner reports "stdlib".
//
// Hashes come from the go.sum beside go.mod (the "h1:" hash of the module's
// content). Before Go 1.17 go.mod lists only direct requirements, so for
// such modules go.sum's entries are added as transitive dependencies.
//
// A replacement by a local directory ("=> ../lib") is code in the
// repository, not a module version, and is dropped.
func parseGoMod(_ context.Context, in *input, data []byte) (output, error) {
	out := output{knowsDirect: true}
	mf, err := modfile.Parse(in.path, data, nil)
	if err != nil {
		return out, err
	}
	sums := readGoSum(in)

	type key struct{ path, version string }
	type req struct {
		key
		direct bool
	}
	var reqs []req
	for _, r := range mf.Require {
		reqs = append(reqs, req{key{r.Mod.Path, r.Mod.Version}, !r.Indirect})
	}
	for _, rep := range mf.Replace {
		for i := range reqs {
			if reqs[i].path != rep.Old.Path || (rep.Old.Version != "" && reqs[i].version != rep.Old.Version) {
				continue
			}
			reqs[i].key = key{rep.New.Path, rep.New.Version} // local replacement: version ""
		}
	}
	seen := map[key]bool{}
	for _, r := range reqs {
		if r.version == "" || seen[r.key] { // a local directory
			continue
		}
		seen[r.key] = true
		d := newDep(ecoGo, r.path, r.version)
		d.Direct = r.direct
		if h := sums[r.path+" "+r.version]; h != "" {
			d.Hashes = []catalog.Hash{{Algorithm: "h1", Value: h}}
		}
		out.deps = append(out.deps, d)
	}

	goVersion := ""
	if mf.Go != nil {
		goVersion = mf.Go.Version
	}
	if mf.Toolchain != nil && mf.Toolchain.Name != "" {
		v, _, _ := strings.Cut(strings.TrimPrefix(mf.Toolchain.Name, "go"), "-")
		if v != "" {
			goVersion = v
		}
	}
	if goVersion != "" {
		d := newDep(ecoGo, "stdlib", goVersion)
		d.Direct = true
		out.deps = append(out.deps, d)
	}

	if goVersion != "" && version.Compare("go"+goVersion, "go1.17") < 0 {
		for k, h := range sums {
			p, v, _ := strings.Cut(k, " ")
			if seen[key{p, v}] {
				continue
			}
			seen[key{p, v}] = true
			d := newDep(ecoGo, p, v)
			d.Hashes = []catalog.Hash{{Algorithm: "h1", Value: h}}
			out.deps = append(out.deps, d)
		}
	}
	return out, nil
}

// readGoSum reads the go.sum beside a go.mod into "path version" → the h1
// hash of the module's content (not of its go.mod). A missing or unreadable
// go.sum gives no hashes; malformed lines are skipped.
func readGoSum(in *input) map[string]string {
	sums := map[string]string{}
	data, err := in.fs.readFile(path.Join(path.Dir(in.path), "go.sum"), in.fs.maxRead)
	if err != nil {
		return sums
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) != 3 || strings.HasSuffix(f[1], "/go.mod") {
			continue
		}
		h, ok := strings.CutPrefix(f[2], "h1:")
		if !ok {
			continue
		}
		sums[f[0]+" "+f[1]] = h
	}
	return sums
}
