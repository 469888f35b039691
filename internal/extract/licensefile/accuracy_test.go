package licensefile

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ospo-project/ospo/internal/license"
)

// accuracy classifies each text against its expected SPDX identifier and
// reports correct, unknown and wrong answers and the time per file.
func accuracy(t *testing.T, cases map[string]string) (correct, unknown, wrong int, per time.Duration) {
	t.Helper()
	Warm()
	start := time.Now()
	for file, want := range cases {
		text, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		ev, ok := Classify(text)
		switch {
		case !ok:
			unknown++
			t.Logf("unknown: %s (want %s)", file, want)
		case sameLicense(ev.License, want):
			correct++
		default:
			wrong++
			t.Logf("WRONG: %s = %s, want %s", file, ev.License, want)
		}
	}
	return correct, unknown, wrong, time.Since(start) / time.Duration(max(len(cases), 1))
}

// sameLicense compares identifiers, counting a licence text that cannot
// say "only" or "or later" (the GPL family's texts are the same) as right
// for either.
func sameLicense(got, want string) bool {
	if strings.EqualFold(got, want) {
		return true
	}
	base := func(s string) string {
		for _, suf := range []string{"-only", "-or-later", "+"} {
			s = strings.TrimSuffix(s, suf)
		}
		return strings.ToUpper(s)
	}
	return base(got) == base(want)
}

// TestAccuracyReal classifies the licence files of popular projects.
func TestAccuracyReal(t *testing.T) {
	cases := map[string]string{}
	for name, want := range map[string]string{
		"cobra/LICENSE.txt": "Apache-2.0", "core/LICENSE": "MIT", "demo/LICENSE": "MIT", "express/LICENSE": "MIT",
		"flask/LICENSE.txt": "BSD-3-Clause", "phoenix/LICENSE.md": "MIT", "poetry/LICENSE": "MIT",
		"ripgrep/LICENSE-MIT": "MIT", "ripgrep/UNLICENSE": "Unlicense", "spring-petclinic/LICENSE.txt": "Apache-2.0",
		"rails/MIT-LICENSE": "MIT",
	} {
		cases[filepath.Join("testdata", "real", name)] = want
	}
	correct, unknown, wrong, per := accuracy(t, cases)
	t.Logf("real licence files: %d correct, %d unknown, %d wrong of %d; %s a file", correct, unknown, wrong, len(cases), per)
	if wrong > 0 || correct != len(cases) {
		t.Errorf("%d correct, %d unknown, %d wrong of %d", correct, unknown, wrong, len(cases))
	}
	// ripgrep's COPYING only says which licences apply: no text, no answer.
	if ev, ok := Classify(mustRead(t, "testdata/real/ripgrep/COPYING")); ok {
		t.Errorf("COPYING classified as %s, want no answer", ev.License)
	}
}

// TestAccuracySPDX classifies every text of the SPDX licence list when
// OSPO_SPDX_TEXTS names a checkout's text/ directory
// (github.com/spdx/license-list-data). Wrong answers must stay rare: they
// are worse than "unknown".
func TestAccuracySPDX(t *testing.T) {
	dir := os.Getenv("OSPO_SPDX_TEXTS")
	if dir == "" {
		t.Skip("set OSPO_SPDX_TEXTS to license-list-data/text to measure accuracy over the whole SPDX list")
	}
	files, err := filepath.Glob(filepath.Join(dir, "*.txt"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no texts in %s: %v", dir, err)
	}
	cases := map[string]string{}
	for _, f := range files {
		id := strings.TrimSuffix(filepath.Base(f), ".txt")
		if strings.HasPrefix(id, "deprecated_") {
			continue
		}
		if _, ok := license.Lookup(id); ok {
			cases[f] = id
		}
	}
	correct, unknown, wrong, per := accuracy(t, cases)
	n := len(cases)
	t.Logf("SPDX list texts: %d: %.1f%% correct, %.1f%% unknown, %.1f%% wrong; %s a file",
		n, 100*float64(correct)/float64(n), 100*float64(unknown)/float64(n), 100*float64(wrong)/float64(n), per)
	if float64(wrong) > 0.05*float64(n) {
		t.Errorf("%d wrong answers of %d: more than 5%%", wrong, n)
	}
}

func mustRead(t *testing.T, p string) []byte {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
