package licensefile

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/licensecheck"
)

var update = flag.Bool("update", false, "rewrite third_party/licensecheck/builtin.multilre")

// savedMatcher is the file third_party/licensecheck loads its built-in matcher from.
var savedMatcher = filepath.Join("..", "..", "..", "third_party", "licensecheck", "builtin.multilre")

// TestSavedLicenceMatcherIsCurrent checks that the matcher licensecheck loads is the one its licence
// patterns compile to (with -update, saves it), so that loading it instead of compiling it changes no
// classification.
func TestSavedLicenceMatcherIsCurrent(t *testing.T) {
	built, err := licensecheck.BuildBuiltinMatcher()
	if err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.WriteFile(savedMatcher, built, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote %s (%d bytes)", savedMatcher, len(built))
	}
	saved, err := licensecheck.SavedBuiltinMatcher()
	if err != nil {
		t.Fatalf("%v (the embedded file is read at build time: rebuild after -update)", err)
	}
	if !bytes.Equal(built, saved) {
		t.Fatalf("%s is stale (%d bytes saved, %d built): run go test ./internal/extract/licensefile -run TestSavedLicenceMatcherIsCurrent -update", savedMatcher, len(saved), len(built))
	}
}

// TestSavedLicenceMatcherLoads checks that the built-in Scanner can use the saved matcher, rather than
// silently compiling the patterns (seconds per process) because the saved file does not load.
func TestSavedLicenceMatcherLoads(t *testing.T) {
	if err := licensecheck.CheckSavedBuiltinMatcher(); err != nil {
		t.Fatal(err)
	}
}
