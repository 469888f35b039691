package recommend_test

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ospo-project/ospo/internal/estategen"
	"github.com/ospo-project/ospo/internal/recommend"
	"github.com/ospo-project/ospo/internal/rusage"
)

func synthetic(projects, people int) recommend.Estate {
	c := estategen.GenerateCatalogue(estategen.CatalogueOptions{Projects: projects, People: people, Seed: 1})
	return recommend.FromCatalogue(recommend.Catalogue{Projects: c.Projects, People: c.People, Memberships: c.Memberships})
}

// TestEvaluateSynthetic evaluates the recommenders on a synthetic catalogue
// whose people drift from their team's stack to the next one. Its table is
// docs/recommendations.md's; OSPO_EVAL_PROJECTS sets the size (people are
// three quarters of the projects):
//
//	OSPO_EVAL_PROJECTS=4000 go test -run TestEvaluateSynthetic -v ./internal/recommend/
func TestEvaluateSynthetic(t *testing.T) {
	n := 400
	if v, err := strconv.Atoi(os.Getenv("OSPO_EVAL_PROJECTS")); err == nil && v > 0 {
		n = v
	}
	e := synthetic(n, n*3/4)
	ev, err := recommend.Evaluate(e, recommend.EvalOptions{Until: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	t.Log("\n" + table(ev))
	// On an estate whose people drift to the next stack, the recommenders
	// that learn from people find what they adopt; popularity does not.
	if ev.TechnologyPeople < 20 || ev.ProjectPeople < 20 {
		t.Fatalf("too few people judged: %+v", ev)
	}
	if (ev.BestTechnologies != recommend.TechCF && ev.BestTechnologies != recommend.TechCFFlat) || ev.BestProjects == recommend.ProjectPopular {
		t.Errorf("best: technologies %s, projects %s; want collaborative filtering and a recommender beating popularity", ev.BestTechnologies, ev.BestProjects)
	}
	byName := map[string]recommend.Metric{}
	for _, m := range ev.Technologies {
		byName[m.Recommender] = m
	}
	if byName["random"].Recall >= byName["popularity"].Recall {
		t.Errorf("random (%v) is not below popularity (%v)", byName["random"], byName["popularity"])
	}
	if _, err := recommend.Evaluate(e, recommend.EvalOptions{}); err == nil {
		t.Error("an evaluation without a split date was accepted")
	}
}

// table renders an evaluation as docs/recommendations.md shows it.
func table(ev recommend.Evaluation) string {
	var b strings.Builder
	fmt.Fprintf(&b, "split %s: technologies %d people, %d adoptions; projects %d people, %d joins\n",
		ev.Until.Format("2006-01-02"), ev.TechnologyPeople, ev.Adoptions, ev.ProjectPeople, ev.Joins)
	b.WriteString("| list | recommender | recall@10 | MRR |\n|---|---|---:|---:|\n")
	for _, part := range []struct {
		name string
		ms   []recommend.Metric
		best string
	}{{"technologies", ev.Technologies, ev.BestTechnologies}, {"projects", ev.Projects, ev.BestProjects}} {
		for _, m := range part.ms {
			name := m.Recommender
			if name == part.best {
				name = "**" + name + "**"
			}
			fmt.Fprintf(&b, "| %s | %s | %.3f | %.3f |\n", part.name, name, m.Recall, m.MRR)
		}
	}
	return b.String()
}

// BenchmarkFor times one person's recommendations on a synthetic estate of
// 10,000 projects and 5,000 people, the model built once:
//
//	go test -run '^$' -bench For -benchtime 500x ./internal/recommend/
func BenchmarkFor(b *testing.B) {
	e := synthetic(10000, 5000)
	start := time.Now()
	m := recommend.Build(e, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	b.ReportMetric(float64(time.Since(start).Milliseconds()), "build-ms")
	i := 0
	// CPU time as well as wall time: on a loaded machine the wall time
	// says more about the neighbours than about For.
	cpu := rusage.CPU
	b.ResetTimer()
	before := cpu()
	for b.Loop() {
		if _, err := m.For(e.People[i%len(e.People)].ID, recommend.Options{}); err != nil {
			b.Fatal(err)
		}
		i += 7
	}
	b.ReportMetric(float64(cpu()-before)/float64(b.N)/1e6, "cpu-ms/op")
}
