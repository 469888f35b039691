package cli_test

import (
	"os"
	"path/filepath"
	"testing"
)

// TestAdvisoriesImportRematches imports advisories into a SQLite catalogue
// holding a scanned repository with a vulnerable lodash: the stored
// inventory is re-matched in-process (no rescan) and the project is
// rescored (what the new scorecard says: scan.TestRematch...); an import that changes nothing
// re-matches nothing, and --no-rematch skips it.
func TestAdvisoriesImportRematches(t *testing.T) {
	adv, err := filepath.Abs("../vuln/testdata/osv/GHSA-35jh-r3h4-6jhm.json")
	if err != nil {
		t.Fatal(err)
	}
	other, err := filepath.Abs("../vuln/testdata/osv/GHSA-288c-cq4h-88gq.json")
	if err != nil {
		t.Fatal(err)
	}
	isolate(t)
	root := t.TempDir()
	web := filepath.Join(root, "web")
	os.MkdirAll(web, 0o755)
	git(t, web, nil, "init", "-q", "-b", "main")
	write(t, filepath.Join(web, "package-lock.json"), oldLodash)
	commit(t, web, "Jane Doe", "jane@example.com", "2024-01-02T10:00:00Z")
	runSteps(t, []step{
		{args: []string{"scan", root}, code: 0},
		// The first import re-matches every project.
		{args: []string{"advisories", "import", adv}, code: 0, stdout: []string{"rematch: 1 projects use the packages, 1 rescored"}},
		{args: []string{"advisories", "import", adv}, code: 0, notStdout: []string{"rematch:"}},
		// An advisory of a package no project uses: nothing to rescore.
		{args: []string{"advisories", "import", other}, code: 0, stdout: []string{"rematch: 0 projects use the packages, 0 rescored"}},
		{args: []string{"advisories", "import", "--no-rematch", other}, code: 0, notStdout: []string{"rematch:"}},
	})
}
