// Package gate turns the pipeline's findings into pass-or-fail gates: the
// licence policy, known vulnerabilities at or above a severity, and
// scorecard minimums. Every gate returns one Result, whose rules and
// findings the one SARIF writer (report.WriteSARIF) and the JUnit writer
// render, so `ospo check`, `ospo vulns` and `ospo score` say the same thing
// the same way. Gates take values and return values; the only file they
// read is a manifest in the checked work tree, to point a finding at its
// line.
package gate

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"strings"

	"github.com/ospo-project/ospo/internal/report"
)

// Result is what one gate concluded.
type Result struct {
	// Name names the gate in output ("license").
	Name  string
	Rules []report.Rule
	// Findings are rendered in the table, SARIF and JUnit failures.
	Findings []report.Finding
	// Cases are the JUnit test cases: one per check made.
	Cases []report.TestCase
	// Violations is the number of findings that fail the gate.
	Violations int
	// Summary is one line for the table output.
	Summary string
	// Detail is the gate's detail in JSON output.
	Detail any
}

// Merge returns the rules, findings and cases of rs, in order, and their
// violations.
func Merge(rs ...Result) (rules []report.Rule, findings []report.Finding, cases []report.TestCase, violations int) {
	for _, r := range rs {
		rules = append(rules, r.Rules...)
		findings = append(findings, r.Findings...)
		cases = append(cases, r.Cases...)
		violations += r.Violations
	}
	return rules, findings, cases, violations
}

// ManifestLine returns the 1-based line of the manifest at dir/manifest
// that first names the package, or 0 (dir "" for none: a project read
// from the catalogue).
func ManifestLine(dir, manifest, name string) int {
	if dir == "" || manifest == "" {
		return 0
	}
	f, err := os.Open(filepath.Join(dir, filepath.FromSlash(manifest)))
	if err != nil {
		return 0
	}
	defer f.Close()
	if _, artifact, ok := strings.Cut(name, ":"); ok {
		name = artifact // Maven group:artifact: the artifactId line
	}
	needles := [][]byte{[]byte(`"node_modules/` + name + `"`), []byte(`"` + name + `"`), []byte(name)}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	best := [3]int{}
	for n := 1; sc.Scan() && n < 1_000_000; n++ {
		for i, nd := range needles {
			if best[i] == 0 && bytes.Contains(sc.Bytes(), nd) {
				best[i] = n
			}
		}
		if best[0] != 0 {
			break
		}
	}
	for _, b := range best {
		if b != 0 {
			return b
		}
	}
	return 0
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func orText(s, alt string) string {
	if s == "" {
		return alt
	}
	return s
}
