package hub_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/ospo-project/ospo/internal/health"
	"github.com/ospo-project/ospo/internal/hub/estate"
)

func TestHealth(t *testing.T) { eachStore(t, testHealth) }

// testHealth reads the fixture's community health as a project, a team
// and the estate, on the pages (metrics linked to CHAOSS, SVG charts) and
// in the API, and refuses a bad window.
func testHealth(t *testing.T, open opener) {
	f := newFixture(t, open)
	srv := newServer(t, f.st)
	for _, tc := range []struct {
		path, scope string
		projects    int
	}{
		{"/api/v1/projects/alpha/health?weeks=260", "project", 1},
		{"/api/v1/teams/%40acme%2Fpayments/health?weeks=260", "team", 1},
		{"/api/v1/teams/payments/health?weeks=260", "team", 1},
		{"/api/v1/health?weeks=260", "estate", -1},
	} {
		res := do(t, srv, http.MethodGet, tc.path)
		if res.status != http.StatusOK {
			t.Fatalf("GET %s = %d %s", tc.path, res.status, res.body)
		}
		var v estate.HealthView
		if err := json.Unmarshal([]byte(res.body), &v); err != nil {
			t.Fatal(err)
		}
		commits := 0
		for _, w := range v.Weeks {
			commits += w.Commits
		}
		if v.Scope != tc.scope || (tc.projects > 0 && v.Projects != tc.projects) || len(v.Weeks) != 260 || commits == 0 {
			t.Errorf("GET %s = scope %s, %d projects, %d weeks, %d commits", tc.path, v.Scope, v.Projects, len(v.Weeks), commits)
		}
		if m, ok := v.Metric(health.MetricAbsenceFactor); !ok || !m.Available || m.Value < 1 {
			t.Errorf("GET %s: absence factor %+v", tc.path, m)
		}
	}
	for _, path := range []string{"/projects/1/health?weeks=260", "/teams/%40acme%2Fpayments/health", "/health"} {
		page := do(t, srv, http.MethodGet, path)
		if page.status != http.StatusOK {
			t.Fatalf("GET %s = %d", path, page.status)
		}
		for _, want := range []string{`<a href="https://chaoss.community/kb/metric-elephant-factor/">Elephant Factor</a>`, `<svg class="chart"`, "Commits per week"} {
			if !strings.Contains(page.body, want) {
				t.Errorf("%s lacks %q", path, want)
			}
		}
		if strings.Contains(page.body, "<script>") {
			t.Errorf("%s has a script element", path)
		}
	}
	for path, status := range map[string]int{
		"/api/v1/health?weeks=1":       http.StatusBadRequest,
		"/api/v1/health?weeks=x":       http.StatusBadRequest,
		"/api/v1/projects/nope/health": http.StatusNotFound,
		"/api/v1/teams/nobody/health":  http.StatusNotFound,
		"/teams/nobody/health":         http.StatusNotFound,
	} {
		if res := do(t, srv, http.MethodGet, path); res.status != status {
			t.Errorf("GET %s = %d, want %d", path, res.status, status)
		}
	}
}
