package cli_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// scoreOf runs `ospo score REF --format json` and returns the score.
func scoreOf(t *testing.T, ref string) float64 {
	t.Helper()
	r := run(t, t.Context(), "score", ref, "--format", "json")
	if r.code != 0 {
		t.Fatalf("score %s: exit %d\n%s", ref, r.code, r.stderr)
	}
	var card struct {
		Score float64 `json:"score"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &card); err != nil {
		t.Fatalf("score %s: %v\n%s", ref, err, r.stdout)
	}
	return card.Score
}

// TestFix applies `ospo fix`'s patch to a poorly-scoring repository,
// rescans it and checks that its score rose; then makes the same change as
// a branch of another checkout, leaving its work tree alone.
func TestFix(t *testing.T) {
	isolate(t)
	root := t.TempDir()
	repo := filepath.Join(root, "ledger")
	os.MkdirAll(repo, 0o755)
	git(t, repo, nil, "init", "-q", "-b", "main")
	write(t, filepath.Join(repo, "go.mod"), "module example.com/ledger\n\ngo 1.22\n")
	write(t, filepath.Join(repo, "ledger.go"), "package ledger\n\n// Sum adds.\nfunc Sum(a, b int) int { return a + b }\n")
	write(t, filepath.Join(repo, "catalog-info.yaml"), "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: ledger\n  description: The ledger of payments.\nspec:\n  type: library\n  lifecycle: production\n  owner: group:payments\n")
	commit(t, repo, "Jane Doe", "jane@example.com", "2024-01-02T10:00:00Z")
	if r := run(t, t.Context(), "scan", root); r.code != 0 {
		t.Fatalf("scan: %d %s", r.code, r.stderr)
	}
	before := scoreOf(t, "ledger")

	runSteps(t, []step{
		{args: []string{"fix", "nope"}, code: 2, stderr: []string{`no project "nope"`}},
		{args: []string{"fix", "ledger", "--template", "nope"}, code: 2},
		{args: []string{"fix", "ledger", "--set", "nope=1"}, code: 2},
		{args: []string{"fix", "ledger", "--output", "x", "--branch", "y"}, code: 2},
		{args: []string{"fix", "ledger", "--branch", "-bad"}, code: 2},
		{args: []string{"fix", "ledger", "--format", "json"}, code: 0, stdout: []string{`"LICENSE"`, `"SECURITY.md"`, `"CODEOWNERS"`,
			`".github/workflows/ci.yml"`}, notStdout: []string{`"catalog-info.yaml"`}},
	})
	patch := filepath.Join(t.TempDir(), "fix.patch")
	if r := run(t, t.Context(), "fix", "ledger", "--output", patch); r.code != 0 {
		t.Fatalf("fix: %d %s", r.code, r.stderr)
	}
	body, err := os.ReadFile(patch)
	if err != nil {
		t.Fatal(err)
	}
	// Filled with what the catalogue knows: the owner of catalog-info.yaml
	// as CODEOWNERS names one, and the description.
	for _, want := range []string{"+++ b/CODEOWNERS", "+* @payments", "+++ b/innersource.json", `"The ledger of payments."`} {
		if !strings.Contains(string(body), want) {
			t.Errorf("patch lacks %q:\n%.2000s", want, body)
		}
	}
	git(t, repo, nil, "apply", patch)
	commit(t, repo, "Jane Doe", "jane@example.com", "2024-01-03T10:00:00Z")
	if r := run(t, t.Context(), "scan", root); r.code != 0 {
		t.Fatalf("rescan: %d %s", r.code, r.stderr)
	}
	after := scoreOf(t, "ledger")
	t.Logf("score of ledger: %.1f before ospo fix, %.1f after", before, after)
	if after < before+1 {
		t.Errorf("score %.1f after applying the fix, want at least a point above %.1f", after, before)
	}
	// Nothing left to propose.
	if r := run(t, t.Context(), "fix", "ledger"); r.code != 0 || r.stdout != "" || !strings.Contains(r.stderr, "nothing to propose") {
		t.Errorf("fix after fixing: %d %q %q", r.code, r.stdout, r.stderr)
	}

	// --branch: another poorly-scoring checkout gets a branch; its work
	// tree and current branch stay as they were.
	other := filepath.Join(root, "other")
	os.MkdirAll(other, 0o755)
	git(t, other, nil, "init", "-q", "-b", "main")
	write(t, filepath.Join(other, "main.go"), "package main\n\nfunc main() {}\n")
	commit(t, other, "Jane Doe", "jane@example.com", "2024-01-02T10:00:00Z")
	if r := run(t, t.Context(), "scan", root); r.code != 0 {
		t.Fatalf("scan: %d %s", r.code, r.stderr)
	}
	r := run(t, t.Context(), "fix", "other", "--branch", "ospo/hygiene")
	if r.code != 0 || !strings.Contains(r.stdout, "branch ospo/hygiene") {
		t.Fatalf("fix --branch: %d %s %s", r.code, r.stdout, r.stderr)
	}
	if _, err := os.Stat(filepath.Join(other, "SECURITY.md")); err == nil {
		t.Error("fix --branch wrote into the checkout's work tree")
	}
	if r := run(t, t.Context(), "fix", "other", "--branch", "ospo/hygiene"); r.code != 2 {
		t.Errorf("fix --branch onto an existing branch: %d, want 2", r.code)
	}
	git(t, other, nil, "checkout", "-q", "ospo/hygiene")
	if r := run(t, t.Context(), "scan", root); r.code != 0 {
		t.Fatalf("scan: %d %s", r.code, r.stderr)
	}
	if r := run(t, t.Context(), "fix", "other"); r.code != 0 || r.stdout != "" {
		t.Errorf("fix after checking the branch out: %d %q %q, want nothing to propose", r.code, r.stdout, r.stderr)
	}
}
