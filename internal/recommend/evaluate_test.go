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
	t.Logf("%+v", ev)
}
