package vuln

import (
	"testing"
	"time"

	"github.com/ospo-project/ospo/internal/catalog"
)

func TestMatchUsagesTallyRank(t *testing.T) {
	advs := loadTestdata(t)
	use := func(id int64, project, eco, name, version string) catalog.Usage {
		return catalog.Usage{ProjectID: id, Project: project, ProjectKey: project, Dependency: dep(eco, name, version, true)}
	}
	uses := []catalog.Usage{
		use(1, "api", "Go", "gopkg.in/yaml.v2", "v2.2.2"),
		use(2, "web", "npm", "lodash", "4.17.20"),
		use(2, "web", "Maven", "org.apache.logging.log4j:log4j-core", "2.14.1"),
		use(3, "safe", "npm", "lodash", "4.17.21"),
	}
	es := MatchUsages(advs, uses, []Ignore{{ID: "GO-2022-0956", Reason: "unreachable"}}, time.Now())
	if len(es) != 2 {
		t.Fatalf("got %d exposures, want 2 (api, web)", len(es))
	}
	for i := range es {
		es[i].Tally("")
	}
	Rank(es)
	if es[0].Project != "web" || es[0].Counts["critical"] != 1 || es[0].Counts["high"] != 1 || es[0].Score != 1100 {
		t.Errorf("first = %+v, want web with 1 critical and 1 high (score 1100)", es[0])
	}
	if es[1].Project != "api" || es[1].Total != 2 || es[1].Suppressed != 1 || es[1].Counts["unknown"] != 2 {
		t.Errorf("second = %+v, want api with 2 unknown and 1 suppressed", es[1])
	}
	web := es[0]
	if !web.Tally("critical") || len(web.Findings) != 1 || web.Total != 1 {
		t.Errorf("Tally(critical) kept %d findings, total %d", len(web.Findings), web.Total)
	}
	if (&Exposure{}).Tally("") {
		t.Error("Tally of no findings reports findings")
	}
	if got := Packages(advs); len(got) == 0 {
		t.Error("Packages of the test advisories is empty")
	}
}

func TestUpgrades(t *testing.T) {
	ix := NewIndex(loadTestdata(t))
	fs := ix.Match([]catalog.Dependency{dep("Go", "gopkg.in/yaml.v2", "v2.2.2", true), dep("npm", "lodash", "4.17.20", true)})
	Suppress(fs, []Ignore{{ID: "GO-2020-0036"}}, time.Now())
	ups := Upgrades(fs)
	if len(ups) != 2 {
		t.Fatalf("Upgrades = %+v, want 2", ups)
	}
	byPkg := map[string]Upgrade{}
	for _, u := range ups {
		byPkg[u.Package] = u
	}
	// GO-2020-0036 (fixed in 2.2.8) is suppressed: 2.2.4 removes the others (2.2.3, 2.2.4).
	if u := byPkg["gopkg.in/yaml.v2"]; u.To != "2.2.4" || u.Fixes != 2 || u.Unfixed != 0 {
		t.Errorf("yaml upgrade = %+v, want to 2.2.4 fixing 2", u)
	}
	if u := byPkg["lodash"]; u.To != "4.17.21" || u.Fixes != 1 {
		t.Errorf("lodash upgrade = %+v, want to 4.17.21", u)
	}
	if largest("Go", "2.2.10", "2.2.9") != "2.2.10" || largest("npm", "", "1.0.0") != "1.0.0" {
		t.Error("largest does not order versions")
	}
}
