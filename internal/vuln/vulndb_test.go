package vuln

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ospo-project/ospo/internal/catalog"
)

// vulndbVersion is the golang.org/x/vulndb module whose data/osv is the
// real Go vulnerability database these tests use when it is in the
// module cache (go mod download golang.org/x/vulndb@<version>).
const vulndbVersion = "v0.0.0-20261105234957-e22db6528018"

// vulndbDir returns data/osv of golang.org/x/vulndb in the module cache, or
// skips the test.
func vulndbDir(tb testing.TB) string {
	tb.Helper()
	out, err := exec.Command("go", "env", "GOMODCACHE").Output()
	if err != nil {
		tb.Skipf("go env: %v", err)
	}
	dir := filepath.Join(strings.TrimSpace(string(out)), "golang.org", "x", "vulndb@"+vulndbVersion, "data", "osv")
	if _, err := os.Stat(dir); err != nil {
		tb.Skipf("golang.org/x/vulndb@%s not in the module cache", vulndbVersion)
	}
	return dir
}

func TestLoadVulndb(t *testing.T) {
	dir := vulndbDir(t)
	advs, rep, err := Load([]string{dir})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%s", rep.String())
	if len(advs) < 4000 {
		t.Errorf("loaded %d advisories from the Go vulndb, want over 4000", len(advs))
	}
	if n := rep.Skipped[ReasonMalformed]; n != 0 {
		t.Errorf("%d real records reported malformed: %v", n, rep.Examples)
	}
	live := 0
	for _, a := range advs {
		if a.Withdrawn.IsZero() {
			live++
		}
	}
	if ix := NewIndex(advs); ix.Len() != live {
		t.Errorf("indexed %d of %d advisories not withdrawn", ix.Len(), live)
	}
}

func BenchmarkLoadVulndb(b *testing.B) {
	dir := vulndbDir(b)
	for b.Loop() {
		advs, _, err := Load([]string{dir})
		if err != nil {
			b.Fatal(err)
		}
		NewIndex(advs)
	}
}

// BenchmarkMatchEstate matches a synthetic estate of 2,000 projects of 100
// Go and npm dependencies each (a quarter of them on packages the Go
// database knows) against the whole Go database.
func BenchmarkMatchEstate(b *testing.B) {
	dir := vulndbDir(b)
	advs, _, err := Load([]string{dir})
	if err != nil {
		b.Fatal(err)
	}
	ix := NewIndex(advs)
	var known []string
	for _, a := range advs {
		for _, p := range a.Packages {
			if p.Name != "stdlib" && p.Name != "toolchain" {
				known = append(known, p.Name)
			}
		}
	}
	// worst-case: a quarter of all dependencies are modules the database
	// knows, all at old versions, so nearly all of them are hit. typical:
	// one in twenty of those is a module the database knows (at an old
	// version); the rest are modules without advisories, as in a real estate.
	for _, tc := range []struct {
		name     string
		oldEvery int
	}{{"worst-case", 1}, {"typical", 20}} {
		b.Run(tc.name, func(b *testing.B) {
			projects := make([][]catalog.Dependency, 2000)
			for i := range projects {
				for j := 0; j < 100; j++ {
					var d catalog.Dependency
					switch {
					case j%4 == 0 && (i+j)%tc.oldEvery == 0:
						d = catalog.Dependency{Ecosystem: "Go", Name: known[(i*31+j)%len(known)], Version: fmt.Sprintf("v0.%d.%d", j%7, i%5)}
					case j%2 == 0:
						d = catalog.Dependency{Ecosystem: "Go", Name: fmt.Sprintf("example.com/org%d/mod%d", i%50, j), Version: "v1.2.3"}
					default:
						d = catalog.Dependency{Ecosystem: "npm", Name: fmt.Sprintf("pkg-%d", j), Version: "1.0.0"}
					}
					d.Direct = j < 20
					d.Manifest = "go.mod"
					projects[i] = append(projects[i], d)
				}
			}
			b.ResetTimer()
			findings := 0
			for b.Loop() {
				findings = 0
				for _, deps := range projects {
					findings += len(ix.Match(deps))
				}
			}
			b.ReportMetric(float64(findings), "findings")
		})
	}
}
