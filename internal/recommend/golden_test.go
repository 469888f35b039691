package recommend_test

import (
	"crypto/sha256"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/estategen"
	"github.com/ospo-project/ospo/internal/recommend"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// TestAnswersGolden pins every answer of the model on two generated
// estates (estategen's catalogue, and the hub load test's shape where
// everybody uses hundreds of technologies) to the answers the model gave
// before its memory was made compact (issue 19): For with each
// recommender, Answer under opt-outs, Similar, Helpers and Stats. The
// golden file holds one digest of the JSON answer per call, so that a
// difference names the call (go test ./internal/recommend -run Golden
// -update rewrites it).
func TestAnswersGolden(t *testing.T) {
	resources := []recommend.Resource{
		{Title: "Go in depth", URL: "https://learn.example/go", Technologies: []string{"Go"}, Level: "advanced", Kind: "training"},
		{Title: "lib-0-1 for beginners", URL: "https://learn.example/lib-0-1", Technologies: []string{"lib-0-1"}, Level: "beginner"},
		{Title: "Using lib-1-0 safely", URL: "https://learn.example/lib-1-0", Technologies: []string{"lib-1-0", "pkg:npm/lib-1-2"},
			Topics: []string{"security"}},
		{Title: "common-3 tour", URL: "https://learn.example/common-3", Technologies: []string{"common-3"}, Kind: "article"},
		{Title: "pkg00042 notes", URL: "https://learn.example/pkg42", Technologies: []string{"pkg00042", "TypeScript"}},
	}
	for _, tc := range []struct {
		name string
		cat  func() recommend.Catalogue
	}{
		{"catalogue", func() recommend.Catalogue {
			g := estategen.GenerateCatalogue(estategen.CatalogueOptions{Projects: 600, People: 450, Seed: 3})
			return recommend.Catalogue{Projects: g.Projects, People: g.People, Memberships: g.Memberships}
		}},
		{"load", func() recommend.Catalogue { return loadCatalogue(1500, 300) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := tc.cat()
			c.Resources = resources
			c.Findings = map[int64][]catalog.VulnFinding{}
			e := recommend.FromCatalogue(c)
			m := recommend.Build(e, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
			var b strings.Builder
			line := func(what string, v any, err error) {
				if err != nil {
					fmt.Fprintf(&b, "%s: error %v\n", what, err)
					return
				}
				j, err := json.Marshal(v)
				if err != nil {
					t.Fatal(err)
				}
				sum := sha256.Sum256(j)
				fmt.Fprintf(&b, "%s: %x\n", what, sum[:8])
			}
			line("stats", m.Stats(), nil)
			optOuts := map[string]catalog.OptOut{}
			for i, p := range e.People {
				if i%7 == 3 {
					optOuts[p.ID] = catalog.OptOut{PersonID: p.ID, Experts: true}
				}
				if i%31 == 5 {
					optOuts[p.ID] = catalog.OptOut{PersonID: p.ID, Recommendations: true}
				}
			}
			later := time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC)
			for i, p := range e.People {
				r, err := m.For(p.ID, recommend.Options{})
				line("for "+p.ID, r, err)
				if i%10 == 0 {
					for _, tr := range recommend.TechnologyRecommenders {
						for _, pr := range recommend.ProjectRecommenders {
							r, err := m.For(p.ID, recommend.Options{Technologies: tr, Projects: pr, Limit: 5, Now: later})
							line(fmt.Sprintf("for %s %s/%s", p.ID, tr, pr), r, err)
						}
					}
				}
				r, err = m.Answer(p.ID, 0, optOuts)
				line("answer "+p.ID, r, err)
				if i%5 == 0 {
					r, err = m.Answer(p.ID, 3, nil)
					line("answer 3 "+p.ID, r, err)
				}
			}
			for i, p := range e.Projects {
				if i%10 == 0 {
					s, err := m.Similar(p.ID, 0)
					line("similar "+strconv.FormatInt(p.ID, 10), s, err)
				}
			}
			for _, skills := range [][]string{{"Go"}, {"lib-0-1", "lib-0-2"}, {"pkg00042", "TypeScript", "lodash"}, {"common-1", "Java"}} {
				line("helpers "+strings.Join(skills, ","), m.Helpers(skills, nil, 10), nil)
			}
			golden := filepath.Join("testdata", "answers-"+tc.name+".golden")
			if *update {
				if err := os.WriteFile(golden, []byte(b.String()), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			got := strings.Split(b.String(), "\n")
			wl := strings.Split(string(want), "\n")
			if len(got) != len(wl) {
				t.Fatalf("%d answers, the golden file has %d", len(got), len(wl))
			}
			bad := 0
			for i := range got {
				if got[i] != wl[i] {
					if bad++; bad <= 10 {
						t.Errorf("answer changed: got %s, want %s", got[i], wl[i])
					}
				}
			}
			if bad > 10 {
				t.Errorf("%d answers changed in all", bad)
			}
		})
	}
}
