package cli_test

import (
	"os"
	"path/filepath"
	"testing"
)

// TestAdvisoriesImportUnreadable imports inputs that are not advisories
// (issue 20): each is exit 2 with a message naming the input, and nothing is
// stored (the catalogue is not even created).
func TestAdvisoriesImportUnreadable(t *testing.T) {
	db := isolate(t)
	runSteps(t, []step{
		{args: []string{"advisories", "import", "/etc/passwd"}, code: 2, stderr: []string{"/etc/passwd is neither a zip file nor OSV JSON"}},
		{args: []string{"advisories", "import", "/dev/zero"}, code: 2, stderr: []string{"/dev/zero is not a file or a directory"}},
		{args: []string{"advisories", "import", t.TempDir()}, code: 2, stderr: []string{"no OSV advisories in"}},
	})
	if _, err := os.Stat(db); err == nil {
		t.Errorf("a failed import created the catalogue %s", filepath.Base(db))
	}
}
