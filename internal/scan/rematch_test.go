package scan_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/ospo-project/ospo/internal/analyze"
	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/scan"
	"github.com/ospo-project/ospo/internal/scorecard"
	"github.com/ospo-project/ospo/internal/store"
	"github.com/ospo-project/ospo/internal/store/teststore"
	"github.com/ospo-project/ospo/internal/vuln"
)

// TestRematchRescoresProjectsUsingImportedPackages stores a project that
// depends on a vulnerable jackson-databind and one that does not, scores
// both with no advisories, imports the advisory and re-matches: the first
// gets a new scorecard whose Security check counts the vulnerability, the
// second none; a second run writes nothing.
func TestRematchRescoresProjectsUsingImportedPackages(t *testing.T) {
	teststore.Each(t, func(t *testing.T, st store.Store) {
		ctx := context.Background()
		now := time.Date(2026, 12, 6, 12, 0, 0, 0, time.UTC)
		dep := func(name, version string) catalog.Dependency {
			return catalog.Dependency{PURL: "pkg:maven/" + strings.Replace(name, ":", "/", 1) + "@" + version, Ecosystem: "Maven",
				Name: name, Version: version, Direct: true, Scope: catalog.ScopeRuntime, Manifest: "pom.xml"}
		}
		projects := map[string]*catalog.Project{
			"uses": {Key: "github.com/org/uses", Name: "uses", Path: "/src/uses", HeadCommit: "a1", ScannedAt: now,
				Dependencies: []catalog.Dependency{dep("com.fasterxml.jackson.core:jackson-databind", "2.6.0")}},
			"other": {Key: "github.com/org/other", Name: "other", Path: "/src/other", HeadCommit: "b1", ScannedAt: now,
				Dependencies: []catalog.Dependency{dep("org.slf4j:slf4j-api", "1.7.0")}},
		}
		an := func(now time.Time) *analyze.Analyzer {
			t.Helper()
			status, err := st.AdvisoryStatus(ctx)
			if err != nil {
				t.Fatal(err)
			}
			a, err := analyze.New(analyze.Options{Advisories: st, AdvisoriesKnown: status.Total > 0, Now: func() time.Time { return now }})
			if err != nil {
				t.Fatal(err)
			}
			return a
		}
		before := an(now)
		for _, p := range projects {
			id, err := st.ReplaceProject(ctx, p)
			if err != nil {
				t.Fatal(err)
			}
			p.ID = id
			stored, err := st.Project(ctx, p.Key)
			if err != nil {
				t.Fatal(err)
			}
			res, err := before.Stored(ctx, stored, analyze.Scorecard, "")
			if err != nil {
				t.Fatal(err)
			}
			card := *res.Scorecard
			card.ProjectID = id
			if err := st.AddScore(ctx, card); err != nil {
				t.Fatal(err)
			}
		}

		advs, _, err := vuln.Load([]string{"../vuln/testdata/osv/GHSA-288c-cq4h-88gq.json"})
		if err != nil || len(advs) != 1 {
			t.Fatalf("load the advisory: %d, %v", len(advs), err)
		}
		if _, err := st.UpsertAdvisories(ctx, advs); err != nil {
			t.Fatal(err)
		}
		sum, err := scan.Rematch(ctx, st, an(now.Add(time.Hour)), advs[0].Packages)
		if err != nil {
			t.Fatal(err)
		}
		if sum != (scan.RematchSummary{Projects: 1, Rescored: 1}) {
			t.Errorf("first rematch: %+v, want 1 project rescored", sum)
		}
		security := func(name string) (n int, reason string) {
			t.Helper()
			hist, err := st.ScoreHistory(ctx, projects[name].ID, 10)
			if err != nil {
				t.Fatal(err)
			}
			for _, ch := range hist[0].Checks {
				if ch.Name == scorecard.CheckSecurity {
					return len(hist), ch.Reason + " " + strings.Join(ch.Details, " ")
				}
			}
			return len(hist), ""
		}
		// The scorecard of the same HEAD is replaced (AddScore keeps one per commit).
		if n, reason := security("uses"); n != 1 || !strings.Contains(reason, "known vulnerabilities: 0 critical, 1 high") {
			t.Errorf("uses: %d scorecards, latest Security %q; want 1, counting the vulnerability", n, reason)
		}
		_, otherBefore := security("other")
		if !strings.Contains(otherBefore, "no advisories imported") {
			t.Errorf("other: Security %q, want it untouched (it does not use the package)", otherBefore)
		}

		sum, err = scan.Rematch(ctx, st, an(now.Add(2*time.Hour)), advs[0].Packages)
		if err != nil {
			t.Fatal(err)
		}
		if sum != (scan.RematchSummary{Projects: 1, Rescored: 0}) {
			t.Errorf("second rematch: %+v, want nothing rescored", sum)
		}
		if n, _ := security("uses"); n != 1 {
			t.Errorf("uses: %d scorecards after a second rematch, want 1", n)
		}

		// After a first import every project is re-matched: other's
		// vulnerability probe now has advisories to go by.
		sum, err = scan.RematchProjects(ctx, st, an(now.Add(3*time.Hour)), []int64{projects["other"].ID, projects["uses"].ID, projects["other"].ID})
		if err != nil {
			t.Fatal(err)
		}
		if sum != (scan.RematchSummary{Projects: 2, Rescored: 1}) {
			t.Errorf("rematch of all: %+v, want 2 projects, other rescored", sum)
		}
		if _, reason := security("other"); !strings.Contains(reason, "pass: noKnownVulnerabilities") {
			t.Errorf("other after rematching all: Security %q, want noKnownVulnerabilities passing", reason)
		}
	})
}
