package cli_test

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/ospo-project/ospo/internal/cli"
	"github.com/ospo-project/ospo/internal/health"
)

// TestHealth scans a project with three commits by two people of two
// organisations in the last weeks and a tag, and reads its health as a
// project, as its team and as the estate.
func TestHealth(t *testing.T) {
	isolate(t)
	root := t.TempDir()
	now := time.Now().UTC()
	lib := filepath.Join(root, "lib")
	os.MkdirAll(filepath.Join(lib, ".github"), 0o755)
	git(t, lib, nil, "init", "-q", "-b", "main")
	write(t, filepath.Join(lib, ".github", "CODEOWNERS"), "* @acme/payments\n")
	write(t, filepath.Join(lib, "a.go"), "package a\n")
	commit(t, lib, "Ann", "ann@acme.example", now.AddDate(0, 0, -15).Format(time.RFC3339))
	git(t, lib, nil, "tag", "v1.0.0")
	write(t, filepath.Join(lib, "b.go"), "package a\n")
	commit(t, lib, "Ann", "ann@acme.example", now.AddDate(0, 0, -14).Format(time.RFC3339))
	write(t, filepath.Join(lib, "c.go"), "package a\n")
	commit(t, lib, "Bob", "bob@other.example", now.Format(time.RFC3339))

	check := func(scope string, projects int, releases bool) func(t *testing.T, out []byte) {
		return func(t *testing.T, out []byte) {
			r := decode[cli.HealthReport](t, out)
			if r.Scope != scope || r.Projects != projects || len(r.Weeks) != 8 {
				t.Fatalf("health = scope %s, %d projects, %d weeks", r.Scope, r.Projects, len(r.Weeks))
			}
			commits, newc := 0, 0
			for _, w := range r.Weeks {
				commits += w.Commits
				newc += w.New
			}
			if commits != 3 || newc != 2 || r.Weeks[7].Commits != 1 {
				t.Errorf("weeks = %+v, want 3 commits, 2 new contributors, 1 this week", r.Weeks)
			}
			if m, _ := r.Metric(health.MetricElephantFactor); !m.Available || m.Value != 1 {
				t.Errorf("elephant factor = %+v, want 1 (acme.example has 2 of 3 commits)", m)
			}
			if m, _ := r.Metric(health.MetricReleaseFrequency); m.Available != releases {
				t.Errorf("release frequency = %+v, want available %v", m, releases)
			}
			if m, _ := r.Metric(health.MetricFirstResponse); m.Available {
				t.Errorf("time to first response available without a forge source")
			}
		}
	}
	runSteps(t, []step{
		{args: []string{"scan", "-q", root}},
		{args: []string{"health", "lib", "--weeks", "8", "--format", "json"}, json: check("project", 1, true)},
		{args: []string{"health", "@acme/payments", "--weeks", "8", "--format", "json"}, json: check("team", 1, true)},
		{args: []string{"health", "payments", "--weeks", "8", "--format", "json"}, json: check("team", 1, true)},
		{args: []string{"health", "--weeks", "8", "--format", "json"}, json: check("estate", 1, false)},
		{args: []string{"health", "lib", "--weeks", "8"}, stdout: []string{"Health of project lib", "Elephant Factor", "https://chaoss.community/kb/metric-elephant-factor/", "acme.example", "66.7%"}},
		{args: []string{"health", "nothing"}, code: cli.ExitUsage, stderr: []string{`no project or team "nothing"`}},
		{args: []string{"health", "--weeks", "0"}, code: cli.ExitUsage, stderr: []string{"--weeks"}},
	})
}
