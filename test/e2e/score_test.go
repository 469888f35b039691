package e2e

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestScore scans a well-kept repository and a bare one, then reads their
// scorecards: OpenSSF Scorecard-shaped JSON, the estate ranking, a badge,
// SARIF, and `ospo check --min-score` failing on the bare repository.
func TestScore(t *testing.T) {
	root := t.TempDir()
	good, bare := filepath.Join(root, "good"), filepath.Join(root, "bare")
	initRepo(t, good)
	write(t, filepath.Join(good, "README.md"), "# good\n\nA service that does things.\n\n## Installation\n\n    go install\n\n## Usage\n\n    good --help\n"+strings.Repeat("More words about it. ", 30)+"\n")
	write(t, filepath.Join(good, "LICENSE"), mitText)
	write(t, filepath.Join(good, "CONTRIBUTING.md"), "# Contributing\n\nSend a pull request.\n")
	write(t, filepath.Join(good, "CODE_OF_CONDUCT.md"), "# Code of conduct\n\nBe kind.\n")
	write(t, filepath.Join(good, "CHANGELOG.md"), "# Changelog\n\n## 1.0.0\n")
	write(t, filepath.Join(good, "SECURITY.md"), "# Security\n\nMail security@acme.example.\n")
	write(t, filepath.Join(good, ".github", "CODEOWNERS"), "* @acme/team\n")
	write(t, filepath.Join(good, ".github", "dependabot.yml"), "version: 2\n")
	write(t, filepath.Join(good, ".github", "workflows", "ci.yml"), "on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683\n      - run: go test ./...\n")
	write(t, filepath.Join(good, "go.mod"), "module example.com/good\n\ngo 1.22\n\nrequire go.uber.org/zap v1.27.0\n")
	write(t, filepath.Join(good, "main.go"), "package main\n\nfunc main() {}\n")
	write(t, filepath.Join(good, "main_test.go"), "package main\n\nimport \"testing\"\n\nfunc TestMain(t *testing.T) {}\n")
	write(t, filepath.Join(good, "coverage.out"), "mode: set\nexample.com/good/main.go:3.13,3.15 4 1\nexample.com/good/main.go:4.1,4.2 1 0\n")
	commit(t, good, "Ann Lee", "ann@acme.example", "2024-05-01T10:00:00Z", "init")

	initRepo(t, bare)
	write(t, filepath.Join(bare, "main.go"), "package main\n\nfunc main() {}\n")
	write(t, filepath.Join(bare, ".env"), "TOKEN=x\n")
	commit(t, bare, "Bob Roe", "bob@acme.example", "2024-05-01T10:00:00Z", "init")

	env := []string{"OSPO_DB=" + filepath.Join(root, "ospo.db")}
	if r := run(t, env, "scan", root); r.code != 0 {
		t.Fatalf("scan: %d %s %s", r.code, r.stdout, r.stderr)
	}

	r := run(t, env, "score", "good", "--format", "json")
	var sc struct {
		Date string `json:"date"`
		Repo struct {
			Name string `json:"name"`
		} `json:"repo"`
		Score        float64 `json:"score"`
		Availability float64 `json:"availability"`
		Checks       []struct {
			Name          string   `json:"name"`
			Score         int      `json:"score"`
			Reason        string   `json:"reason"`
			Details       []string `json:"details"`
			Documentation struct {
				Short string `json:"short"`
				URL   string `json:"url"`
			} `json:"documentation"`
		} `json:"checks"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &sc); err != nil || r.code != 0 {
		t.Fatalf("score json: %d %v\n%s%s", r.code, err, r.stdout, r.stderr)
	}
	byName := map[string]int{}
	for _, c := range sc.Checks {
		byName[c.Name] = c.Score
		if c.Reason == "" || c.Documentation.URL == "" || c.Details == nil {
			t.Errorf("check %s lacks reason, details or documentation: %+v", c.Name, c)
		}
	}
	if len(sc.Checks) != 7 || sc.Score < 6 || sc.Date == "" {
		t.Errorf("score good = %v over %d checks: %s", sc.Score, len(sc.Checks), r.stdout)
	}
	for _, name := range []string{"Documentation", "Licensing", "Tests"} {
		if byName[name] < 9 {
			t.Errorf("%s = %d, want ≥ 9", name, byName[name])
		}
	}

	// A directory scored on the fly, with a coverage report given.
	cov := filepath.Join(root, "lcov.info")
	write(t, cov, "SF:a.js\nLF:10\nLH:5\nend_of_record\n")
	r = run(t, env, "score", bare, "--coverage", cov, "--format", "json")
	if r.code != 0 || !strings.Contains(r.stdout, "line coverage 50.0%") || !strings.Contains(r.stdout, "secret-like") {
		t.Errorf("score PATH --coverage: %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	r = run(t, env, "score", bare, "--coverage", filepath.Join(root, "nope.info"))
	if r.code != 2 {
		t.Errorf("score --coverage missing file: exit %d, want 2", r.code)
	}

	r = run(t, env, "scores", "--format", "json")
	var rank []struct {
		Project string
		Score   float64
	}
	if err := json.Unmarshal([]byte(r.stdout), &rank); err != nil || len(rank) != 2 {
		t.Fatalf("scores: %v %s", err, r.stdout)
	}
	if rank[0].Project != "bare" || rank[1].Project != "good" || rank[0].Score >= rank[1].Score {
		t.Errorf("scores worst first = %+v", rank)
	}
	if r = run(t, env, "scores"); r.code != 0 || !strings.Contains(r.stdout, "DOCU") {
		t.Errorf("scores table: %d %s", r.code, r.stdout)
	}

	r = run(t, env, "badge", "good")
	if r.code != 0 || !strings.HasPrefix(r.stdout, "<svg") || !strings.Contains(r.stdout, "/10") {
		t.Errorf("badge: %d %s %s", r.code, r.stdout, r.stderr)
	}
	r = run(t, env, "score", "bare", "--format", "sarif")
	if r.code != 0 || !strings.Contains(r.stdout, `"version": "2.1.0"`) || !strings.Contains(r.stdout, "noSecretLikeFiles") {
		t.Errorf("score sarif: %d %s", r.code, r.stdout)
	}

	if r = run(t, env, "check", bare, "--min-score", "9"); r.code != 1 || !strings.Contains(r.stdout, "scorecard") {
		t.Errorf("check --min-score 9 on bare: exit %d, want 1\n%s%s", r.code, r.stdout, r.stderr)
	}
	if r = run(t, env, "check", good, "--min-check", "Documentation=8"); r.code != 0 {
		t.Errorf("check --min-check Documentation=8 on good: exit %d, want 0\n%s%s", r.code, r.stdout, r.stderr)
	}
	if r = run(t, env, "check", good, "--min-check", "Nope=3"); r.code != 2 {
		t.Errorf("check --min-check Nope=3: exit %d, want 2", r.code)
	}

	// A custom check that does not compile is a configuration error.
	cfg := filepath.Join(root, "ospo.yaml")
	write(t, cfg, "scorecard:\n  custom:\n    - name: Broken\n      expression: 'dependencies.exists(d, d.nme ==)'\n")
	if r = run(t, append(env, "OSPO_CONFIG="+cfg), "score", "good"); r.code != 2 {
		t.Errorf("score with a broken custom check: exit %d, want 2\n%s", r.code, r.stderr)
	}
	write(t, cfg, "scorecard:\n  custom:\n    - name: Uses-Zap\n      expression: 'dependencies.exists(d, d.name == \"go.uber.org/zap\")'\n  exemptions:\n    - check: Maintenance\n      reason: done\n      approved_by: ospo\n      expires: 2999-01-01\n")
	r = run(t, append(env, "OSPO_CONFIG="+cfg), "score", "good")
	if r.code != 0 || !strings.Contains(r.stdout, "Uses-Zap") || !strings.Contains(r.stdout, "exempt: done") {
		t.Errorf("score with custom check and exemption: %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if _, err := os.Stat(filepath.Join(root, "ospo.db")); err != nil {
		t.Fatal(err)
	}
}
