package hub_test

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/ospo-project/ospo/internal/catalog"
)

const evilRemediation = `Add SECURITY.md <script>alert(4)</script>`

// scoreFixture is the page fixture with scores: alpha scored twice (4.0,
// then 7.5 with a check not available and a failing probe), evil once
// with no available check.
func scoreFixture(t *testing.T, open opener) fixture {
	t.Helper()
	ctx := context.Background()
	f := newFixture(t, open)
	old := catalog.Scorecard{ProjectID: f.alphaID, ScoredAt: t0.AddDate(0, 0, -7), Commit: "a1", Score: 4, Availability: 1,
		Checks: []catalog.CheckScore{{Name: "Security", Score: 4, Reason: "no policy", Weight: 1}}}
	latest := catalog.Scorecard{ProjectID: f.alphaID, ScoredAt: t0, Commit: strings.Repeat("a", 40), Score: 7.5, Availability: 0.8,
		Checks: []catalog.CheckScore{
			{Name: "Security", Score: 5, Reason: "security policy missing", Weight: 2, Documentation: "https://example.com/checks#security",
				Findings: []catalog.ProbeFinding{
					{Probe: "hasSecurityPolicy", Outcome: catalog.OutcomeFail, Message: "no SECURITY.md", Remediation: evilRemediation},
					{Probe: "hasDependabot", Outcome: catalog.OutcomePass, Message: "dependabot configured", Remediation: "never shown"},
					{Probe: "packageInstallsPinned", Outcome: catalog.OutcomeFail, Message: "npm install is not pinned",
						Location: ".github/workflows/ci.yml", Line: 39},
				}},
			{Name: "Tests", Score: 10, Reason: "tests run in CI", Weight: 1},
			{Name: "CI-Tests", Score: catalog.ScoreNotAvailable, Reason: "no CI history", Weight: 1},
			{Name: "Maintenance", Score: 8, Reason: "1 of 7 probes not passing: busFactor", Weight: 1,
				Health: &catalog.CheckHealth{Weeks: 13, Figures: []catalog.HealthFigure{
					{ID: "commit-frequency", Name: "Commit Frequency (Code Changes Commits)", URL: "https://chaoss.community/kb/metric-code-changes-commits/",
						Value: 2.75, Unit: "commits per week", Available: true},
					{ID: "contributor-absence-factor", Name: "Contributor Absence Factor", URL: "https://chaoss.community/kb/metric-contributor-absence-factor/",
						Value: 1, Unit: "contributors", Available: true},
					{ID: "elephant-factor", Name: "Elephant <Factor>", URL: "https://chaoss.community/kb/metric-elephant-factor/", Unit: "organisations"},
				}}},
		}}
	none := catalog.Scorecard{ProjectID: f.evilID, ScoredAt: t0, Score: catalog.ScoreNotAvailable,
		Checks: []catalog.CheckScore{{Name: "Security", Score: catalog.ScoreNotAvailable, Reason: "not a git repository"}}}
	for _, sc := range []catalog.Scorecard{old, latest, none} {
		if err := f.st.AddScore(ctx, sc); err != nil {
			t.Fatal(err)
		}
	}
	return f
}

func TestScoresAPI(t *testing.T) { eachStore(t, testScoresAPI) }

func testScoresAPI(t *testing.T, open opener) {
	f := scoreFixture(t, open)
	srv := newServer(t, f.st)
	alpha, evil := strconv.FormatInt(f.alphaID, 10), strconv.FormatInt(f.evilID, 10)
	tests := []struct {
		name, path string
		status     int
		want       map[string]string
	}{
		{"project score", "/api/v1/projects/" + alpha + "/score", 200, map[string]string{
			"project_id": alpha, "latest.score": "7.5", "latest.availability": "0.8", "latest.checks<len>": "4",
			"latest.checks.0.name": "Security", "latest.checks.0.findings.0.remediation": evilRemediation,
			"latest.checks.2.score": "-1", "latest.checks.3.health.weeks": "13", "latest.checks.3.health.figures.0.value": "2.75",
			"latest.checks.3.health.figures.2.available": "false", "history<len>": "2", "history.0.score": "4", "history.1.score": "7.5"}},
		{"project score not available", "/api/v1/projects/" + evil + "/score", 200, map[string]string{
			"latest.score": "-1", "history<len>": "1"}},
		{"project score unknown", "/api/v1/projects/999/score", 404, map[string]string{"error": "not found"}},
		{"project score bad id", "/api/v1/projects/alpha/score", 404, nil},
		{"scores", "/api/v1/scores", 200, map[string]string{
			"distribution.scored": "2", "distribution.not_available": "1", "distribution.mean": "7.5",
			"distribution.bands<len>": "5", "distribution.bands.3.band": "6-8", "distribution.bands.3.projects": "1",
			"distribution.bands.0.projects": "0",
			"projects.items<len>":           "2", "projects.items.0.project": "alpha", "projects.items.0.band": "6-8",
			"projects.items.1.project_id": evil, "projects.items.1.band": "none", "projects.total": "2"}},
		{"scores paged", "/api/v1/scores?limit=1&offset=1", 200, map[string]string{
			"projects.items<len>": "1", "projects.items.0.project_id": evil, "projects.more": "false"}},
		{"scores by band", "/api/v1/scores?band=6-8", 200, map[string]string{"band": "6-8", "projects.items<len>": "1", "projects.total": "1"}},
		{"scores empty band", "/api/v1/scores?band=0-2", 200, map[string]string{"projects.items<len>": "0", "projects.total": "0"}},
		{"scores bad band", "/api/v1/scores?band=5", 400, nil},
		{"projects by band", "/api/v1/projects?band=6-8", 200, map[string]string{"items<len>": "1", "items.0.id": alpha, "total": "1"}},
		{"projects by band none", "/api/v1/projects?band=none", 200, map[string]string{"items<len>": "1", "items.0.id": evil}},
		{"projects searched by band", "/api/v1/projects?q=ledgers&band=0-2", 200, map[string]string{"items<len>": "0"}},
		{"projects bad band", "/api/v1/projects?band=high", 400, nil},
		{"estate scores", "/api/v1/estate", 200, map[string]string{"scores.scored": "2", "scores.bands.3.projects": "1"}},
		{"team scores", "/api/v1/teams/@acme%2Fpayments", 200, map[string]string{"projects_total": "1", "scores.scored": "1",
			"scores.mean": "7.5", "scores.bands.3.projects": "1", "scores.not_available": "0"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := do(t, srv, "GET", tc.path)
			if r.status != tc.status {
				t.Fatalf("GET %s = %d, want %d\n%s", tc.path, r.status, tc.status, r.body)
			}
			checkJSON(t, tc.path, r.body, tc.want)
		})
	}
}

func TestScoresPages(t *testing.T) { eachStore(t, testScoresPages) }

func testScoresPages(t *testing.T, open opener) {
	f := scoreFixture(t, open)
	srv := newServer(t, f.st)
	alpha, evil := strconv.FormatInt(f.alphaID, 10), strconv.FormatInt(f.evilID, 10)
	tests := []struct {
		name, path string
		status     int
		want, not  []string
	}{
		{"overview", "/", 200, []string{"<h2>Scores</h2>", `aria-label="Projects by score band"`, `<title>6-8: 1</title>`,
			`href="/projects?band=8-10"`, `href="/projects?band=none"`, "2 projects scored, mean 7.5"}, nil},
		{"project", "/projects/" + alpha, 200, []string{"<h2>Score</h2>", `<strong class="score">7.5</strong>`, "availability 80%",
			`aria-label="Score over time"`, `<title>2024-01-03: 4.0</title>`, `<a href="https://example.com/checks#security">Security</a>`,
			"security policy missing", "<strong>hasSecurityPolicy</strong> fail: no SECURITY.md",
			"Remediation: Add SECURITY.md &lt;script&gt;alert(4)&lt;/script&gt;", "CI-Tests", "not available", "no CI history",
			`npm install is not pinned (<a href="https://github.com/acme/alpha/blob/HEAD/.github/workflows/ci.yml#L39">.github/workflows/ci.yml:39</a>)`,
			// The Maintenance check shows the health figures it read, linked to CHAOSS and to the health page.
			`Community health over 13 weeks (<a href="/projects/` + alpha + `/health">trends</a>)`,
			`<a href="https://chaoss.community/kb/metric-code-changes-commits/">Commit Frequency (Code Changes Commits)</a>: 2.75 <span class="muted">commits per week</span>`,
			`Contributor Absence Factor</a>: 1 <span`, `Elephant &lt;Factor&gt;</a>: <span class="muted">n/a</span>`},
			[]string{"never shown", "<script>alert(4)"}},
		{"project not available", "/projects/" + evil, 200, []string{`<strong class="score">n/a</strong>`, "not a git repository"},
			[]string{`aria-label="Score over time"`}},
		{"projects", "/projects", 200, []string{"<th>Score</th>", `<td class="num score">7.5</td>`, `<td class="num score">n/a</td>`,
			`<option value="6-8">6-8</option>`, `<option value="none">not available</option>`}, nil},
		{"projects by band", "/projects?band=6-8", 200, []string{`<option value="6-8" selected>`, "/projects/" + alpha},
			[]string{`href="/projects/` + evil + `"`}},
		{"projects bad band", "/projects?band=x", 400, nil, nil},
		{"team", "/teams/@acme%2Fpayments", 200, []string{"Owns 1 projects", "mean score 7.5", `aria-label="Projects by score band"`,
			`href="/projects?owner=%40acme%2Fpayments&amp;band=6-8"`, `<td class="num score">7.5</td>`,
			`<a href="/projects?owner=%40acme%2Fpayments">All the team's projects</a>`}, []string{"Showing"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := do(t, srv, "GET", tc.path)
			if r.status != tc.status {
				t.Fatalf("GET %s = %d, want %d\n%s", tc.path, r.status, tc.status, r.body)
			}
			for _, s := range tc.want {
				if !strings.Contains(r.body, s) {
					t.Errorf("GET %s: no %q", tc.path, s)
				}
			}
			for _, s := range tc.not {
				if strings.Contains(r.body, s) {
					t.Errorf("GET %s: has %q", tc.path, s)
				}
			}
		})
	}
	// Unscored project: the page says so.
	f2 := newFixture(t, open)
	r := do(t, newServer(t, f2.st), "GET", "/projects/"+strconv.FormatInt(f2.alphaID, 10))
	if !strings.Contains(r.body, "Not scored yet.") {
		t.Error("unscored project page lacks \"Not scored yet.\"")
	}
	r = do(t, newServer(t, f2.st), "GET", "/")
	if !strings.Contains(r.body, "No project has been scored yet.") {
		t.Error("overview without scores lacks the empty message")
	}
}

func TestBadge(t *testing.T) { eachStore(t, testBadge) }

func testBadge(t *testing.T, open opener) {
	f := scoreFixture(t, open)
	srv := newServer(t, f.st)
	alpha, evil := strconv.FormatInt(f.alphaID, 10), strconv.FormatInt(f.evilID, 10)
	tests := []struct {
		path   string
		status int
		want   string
	}{
		{"/projects/" + alpha + "/badge.svg", 200, `aria-label="ospo score: 7.5/10"`},
		{"/projects/" + evil + "/badge.svg", 200, `aria-label="ospo score: n/a"`},
		{"/projects/999/badge.svg", 404, ""},
		{"/projects/alpha/badge.svg", 404, ""},
	}
	for _, tc := range tests {
		r := do(t, srv, "GET", tc.path)
		if r.status != tc.status {
			t.Errorf("GET %s = %d, want %d", tc.path, r.status, tc.status)
			continue
		}
		if tc.status != 200 {
			continue
		}
		if ct := r.header.Get("Content-Type"); ct != "image/svg+xml" {
			t.Errorf("GET %s: Content-Type %q", tc.path, ct)
		}
		if !strings.Contains(r.body, tc.want) {
			t.Errorf("GET %s: no %q\n%s", tc.path, tc.want, r.body)
		}
	}
	// The project page shows the badge and the Markdown to embed it.
	r := do(t, srv, "GET", "/projects/"+alpha)
	for _, s := range []string{`<img src="/projects/` + alpha + `/badge.svg"`, `[![ospo score](http://` + strings.TrimPrefix(srv.URL, "http://") + `/projects/` + alpha + `/badge.svg)]`} {
		if !strings.Contains(r.body, s) {
			t.Errorf("project page: no %q", s)
		}
	}
}
