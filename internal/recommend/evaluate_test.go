package recommend_test

import (
	"testing"
	"time"

	"github.com/ospo-project/ospo/internal/estategen"
	"github.com/ospo-project/ospo/internal/recommend"
)

func synthetic(projects, people int) recommend.Estate {
	c := estategen.GenerateCatalogue(estategen.CatalogueOptions{Projects: projects, People: people, Seed: 1})
	return recommend.FromCatalogue(recommend.Catalogue{Projects: c.Projects, People: c.People, Memberships: c.Memberships})
}

func TestEvaluateSynthetic(t *testing.T) {
	e := synthetic(400, 300)
	ev, err := recommend.Evaluate(e, recommend.EvalOptions{Until: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	// On an estate whose people drift to the next stack, the recommenders
	// that learn from people find what they adopt; popularity does not.
	if ev.TechnologyPeople < 20 || ev.ProjectPeople < 20 {
		t.Fatalf("too few people judged: %+v", ev)
	}
	if ev.BestTechnologies != recommend.TechCF || ev.BestProjects == recommend.ProjectPopular {
		t.Errorf("best: technologies %s, projects %s; want cf and a recommender beating popularity", ev.BestTechnologies, ev.BestProjects)
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
