package estate

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/store"
	"github.com/ospo-project/ospo/internal/store/teststore"
	"github.com/ospo-project/ospo/internal/vuln"
)

// TestIncrementalSnapshot checks, on both stores, that a snapshot updated
// from the previous one (buildEstate with old) is the snapshot built from
// scratch, after each kind of write: projects replaced with other
// dependencies, licences and contributors, added, deleted, touched,
// renamed; people merged; scores and advisories added; nothing; most of
// the estate replaced. It also checks the snapshot's licence summary,
// technologies and people's totals against the store's own aggregates.
func TestIncrementalSnapshot(t *testing.T) {
	teststore.Each(t, func(t *testing.T, st store.Store) {
		ctx := context.Background()
		advs, rep, err := vuln.Load([]string{"../../vuln/testdata/osv"})
		if err != nil || rep.SkippedTotal() != 0 {
			t.Fatalf("advisories: %v %v", err, rep.Examples)
		}
		if _, err := st.UpsertAdvisories(ctx, advs); err != nil {
			t.Fatal(err)
		}
		day := time.Date(2025, 3, 3, 0, 0, 0, 0, time.UTC)
		project := func(i, variant int) *catalog.Project {
			p := &catalog.Project{Key: fmt.Sprintf("github.com/acme/p%02d", i), Name: fmt.Sprintf("p%02d", i%7),
				Path: fmt.Sprintf("/src/p%02d", i), HeadCommit: fmt.Sprintf("%040x", i*100+variant), HeadDate: day.AddDate(0, 0, -i-variant),
				Languages: []catalog.Language{{Name: []string{"Go", "Python", "Rust"}[(i+variant)%3], Bytes: 100, Files: 2}},
				Owners:    []catalog.Owner{{Owner: fmt.Sprintf("@acme/team%d", (i+variant)%3), Source: catalog.OwnerCodeowners, Path: "CODEOWNERS"}},
				License:   &catalog.ProjectLicense{Expression: []string{"MIT", "Apache-2.0", "GPL-3.0-only"}[(i+variant)%3], Confidence: 1},
				Commits:   10 + i + variant, ScannerVersion: catalog.ScannerVersion, ScannedAt: day}
			if i%4 == 1 {
				p.Problems = []catalog.Problem{{Kind: "unreadable", Path: "x", Message: "cannot read x"}}
			}
			for d := range 4 + variant%3 {
				k := (i + d*3 + variant) % 9
				dep := catalog.Dependency{PURL: fmt.Sprintf("pkg:npm/pkg%d@1.%d.0", k, variant), Ecosystem: "npm", Name: fmt.Sprintf("pkg%d", k),
					Version: fmt.Sprintf("1.%d.0", variant), Direct: d < 2, Manifest: "package-lock.json"}
				if d == 0 && (i+variant)%2 == 0 {
					dep.PURL, dep.Name, dep.Version = "pkg:npm/lodash@4.17.1"+fmt.Sprint(variant), "lodash", "4.17.1"+fmt.Sprint(variant)
				}
				lic := []string{"MIT", "GPL-3.0-only", "unknown"}[(k+variant)%3]
				cat := map[string]string{"MIT": "permissive", "GPL-3.0-only": "strong-copyleft", "unknown": "unknown"}[lic]
				p.Dependencies = append(p.Dependencies, dep)
				p.DependencyLicenses = append(p.DependencyLicenses, catalog.DependencyLicense{PURL: dep.PURL, Manifest: dep.Manifest,
					Expression: lic, Category: cat, Source: catalog.LicenseSourceLockfile})
				if cat != "permissive" {
					sev := catalog.SeverityViolation
					if cat == "unknown" {
						sev = catalog.SeverityWarning
					}
					p.LicenseFindings = append(p.LicenseFindings, catalog.LicenseFinding{Severity: sev, Rule: "license/" + cat,
						PURL: dep.PURL, Manifest: dep.Manifest, License: lic, Category: cat, Message: lic})
				}
			}
			for c := range 2 + variant%2 {
				who := (i + c + variant) % 5
				p.Contributors = append(p.Contributors, catalog.Contribution{
					Identity: catalog.Identity{Name: fmt.Sprintf("Dev %d", who), Email: fmt.Sprintf("dev%d@example.com", who)},
					Commits:  1 + c, FirstCommit: day.AddDate(0, -1, 0), LastCommit: day})
			}
			return p
		}
		replace := func(i, variant int) int64 {
			t.Helper()
			id, err := st.ReplaceProject(ctx, project(i, variant))
			if err != nil {
				t.Fatal(err)
			}
			return id
		}
		people := func(merged bool, bots ...int) {
			t.Helper()
			var ps []catalog.Person
			for who := range 6 {
				id := catalog.Identity{Name: fmt.Sprintf("Dev %d", who), Email: fmt.Sprintf("dev%d@example.com", who)}
				if merged && who == 4 { // dev4 becomes an identity of dev3
					ps[3].Identities = append(ps[3].Identities, id)
					continue
				}
				ps = append(ps, catalog.Person{ID: fmt.Sprintf("dev%d", who), Name: id.Name, Email: id.Email, Identities: []catalog.Identity{id}, Bot: who == 5 || slices.Contains(bots, who)})
			}
			if err := st.ReplacePeople(ctx, ps); err != nil {
				t.Fatal(err)
			}
		}
		ids := map[int]int64{}
		for i := range 12 {
			ids[i] = replace(i, 0)
		}
		people(false)

		c := New(st, time.Minute)
		c.now = func() time.Time { return day }
		// A forge source's pull requests, reviewed by logins the OSPO's map
		// gives to people (dev4's reviews move to dev3 when they merge).
		c.logins = map[string]string{"dev1-gh": "dev1@example.com", "dev2-gh": "dev2@example.com", "dev4-gh": "dev4@example.com"}
		pr := func(n int64, reviewers ...string) catalog.ForgeItem {
			it := catalog.ForgeItem{Kind: catalog.ItemPullRequest, Number: n, Title: fmt.Sprint("change ", n), State: "merged",
				Author: "someone", CreatedAt: day.AddDate(0, 0, -int(n))}
			for _, r := range reviewers {
				it.Reviews = append(it.Reviews, catalog.Review{Author: r, State: "APPROVED", SubmittedAt: day.AddDate(0, 0, -int(n)+1)})
			}
			return it
		}
		sync := func(key string, id int64, at time.Time, items ...catalog.ForgeItem) {
			t.Helper()
			r := catalog.ForgeRepo{Source: "github", ID: id, ProjectKey: key, FullName: strings.TrimPrefix(key, "github.com/"), SyncedAt: at}
			if err := st.ReplaceForgeRepo(ctx, r, []string{catalog.ItemPullRequest}, items); err != nil {
				t.Fatal(err)
			}
		}
		sync("github.com/acme/p04", 4, day, pr(1, "dev1-gh"), pr(2, "dev1-gh", "dev2-gh"), pr(4, "dev4-gh"))
		snap, err := c.buildEstate(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		steps := []struct {
			name  string
			write func()
		}{
			{"nothing", func() {}},
			{"forge synced", func() {
				sync("github.com/acme/p04", 4, day.Add(time.Hour), pr(1, "dev1-gh"), pr(2, "dev1-gh", "dev2-gh"), pr(3, "dev2-gh"), pr(4, "dev4-gh"))
			}},
			{"forge repository added", func() { sync("github.com/acme/p07", 7, day.Add(time.Hour), pr(9, "outsider")) }},
			{"replaced", func() { replace(2, 1); replace(5, 2) }},
			{"added", func() { replace(12, 1) }},
			{"deleted", func() {
				if err := st.DeleteProject(ctx, "github.com/acme/p03"); err != nil {
					t.Fatal(err)
				}
			}},
			{"touched", func() {
				if _, err := st.TouchProjects(ctx, []string{"github.com/acme/p01", "github.com/acme/p06"}, day.AddDate(0, 0, 1)); err != nil {
					t.Fatal(err)
				}
			}},
			{"renamed", func() {
				if err := st.RekeyProject(ctx, "github.com/acme/p04", "github.com/acme/z04"); err != nil {
					t.Fatal(err)
				}
			}},
			{"people merged", func() { people(true) }},
			{"a person became a bot", func() { people(true, 2) }},
			{"and a human again", func() { people(true) }},
			{"scored", func() {
				if err := st.AddScore(ctx, catalog.Scorecard{ProjectID: ids[7], ScoredAt: day, Commit: "x", Score: 6.5, Availability: 1}); err != nil {
					t.Fatal(err)
				}
			}},
			{"replaced again and deleted", func() {
				replace(2, 2)
				if err := st.DeleteProject(ctx, "github.com/acme/p08"); err != nil {
					t.Fatal(err)
				}
			}},
			{"most replaced", func() {
				for i := range 10 {
					replace(i, 3)
				}
			}},
		}
		for _, step := range steps {
			step.write()
			inc, err := c.buildEstate(ctx, snap)
			if err != nil {
				t.Fatalf("%s: update: %v", step.name, err)
			}
			full, err := c.buildEstate(ctx, nil)
			if err != nil {
				t.Fatalf("%s: full build: %v", step.name, err)
			}
			if diff := cmp.Diff(full, inc, snapshotOpts); diff != "" {
				t.Errorf("after %s: updated snapshot differs from a full build (-full +updated):\n%s", step.name, diff)
			}
			// Against the store's own aggregates.
			ls, err := st.LicenseSummary(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(ls, inc.licenses, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("after %s: licence summary (-store +snapshot):\n%s", step.name, diff)
			}
			techs, err := st.Technologies(ctx, store.TechnologyFilter{})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(techs, inc.techs, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("after %s: technologies (-store +snapshot):\n%s", step.name, diff)
			}
			humans, err := st.ListPeople(ctx, store.PersonFilter{})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(humans, inc.people, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("after %s: people (-store +snapshot):\n%s", step.name, diff)
			}
			list, err := st.ListProjects(ctx, store.ProjectFilter{})
			if err != nil {
				t.Fatal(err)
			}
			for i := range list {
				c.redactPaths(&list[i])
			}
			if diff := cmp.Diff(list, inc.all, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("after %s: projects (-store +snapshot):\n%s", step.name, diff)
			}
			snap = inc
		}
		// The reviews were counted (p04's repository, whose project was
		// renamed away and then scanned anew), and dev4's went to dev3 with
		// the merge.
		var p04 int64
		for _, p := range snap.all {
			if p.Key == "github.com/acme/p04" {
				p04 = p.ID
			}
		}
		var who []string
		for _, r := range snap.reviewers[p04] {
			who = append(who, fmt.Sprintf("%s:%s:%d", r.Login, r.PersonID, r.Reviews))
		}
		if want := []string{"dev1-gh:dev1:2", "dev2-gh:dev2:2", "dev4-gh:dev3:1"}; !slices.Equal(who, want) {
			t.Errorf("reviewers of p04 at the end: %v, want %v", who, want)
		}
	})
}

// snapshotOpts compare two snapshots whole, unexported fields included,
// except when they were built and what is computed on first use.
var snapshotOpts = cmp.Options{
	cmp.Exporter(func(reflect.Type) bool { return true }),
	cmpopts.IgnoreFields(Snapshot{}, "BuiltAt", "langOnce", "claimOnce", "indexOnce", "byClaim", "mainLang", "licensesJSON", "facetOnce", "facets"),
	cmpopts.EquateEmpty(),
}
