package web

import (
	"errors"
	"net/http"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/recommend"

	"github.com/ospo-project/ospo/internal/hub/estate"
)

// people lists developers, most commits first.
func (p *Pages) people(w http.ResponseWriter, r *http.Request) {
	pg, err := estate.PagingOf(r.URL.Query())
	if err != nil {
		p.fail(w, err)
		return
	}
	query := r.URL.Query().Get("q")
	page, err := p.cat.People(r.Context(), query, pg)
	if err != nil {
		p.fail(w, err)
		return
	}
	p.render(w, "people.html", map[string]any{"Query": query, "Page": page,
		"Pager": newPager(r, page.Limit, page.Offset, len(page.Items), page.Total, page.More)})
}

// person is one developer: projects, technologies from evidence, teams and
// weekly activity.
func (p *Pages) person(w http.ResponseWriter, r *http.Request) {
	pg, err := p.cat.PersonPage(r.Context(), r.PathValue("id"))
	if err != nil {
		p.fail(w, err)
		return
	}
	v := pg.Person
	rec, err := p.recommendationsFor(r, v.ID)
	if err != nil {
		p.fail(w, err)
		return
	}
	p.render(w, "person.html", map[string]any{"P": v, "Activity": weekChart("Commits per week", v.Activity), "Rec": rec, "Standing": pg.Standing,
		"Credentials": p.cat.IssuesCredentials(), "Work": pg.Work})
}

// recommendationsFor recommends five of each kind to the person with the
// given ID; nil when the model does not know them (a bot, or a person
// newer than the model).
func (p *Pages) recommendationsFor(r *http.Request, id string) (*recommend.Recommendations, error) {
	rec, err := p.cat.Recommendations(r.Context(), id, recommend.Options{Limit: 5})
	switch {
	case errors.Is(err, catalog.ErrNotFound), errors.Is(err, estate.ErrModelNotReady):
		return nil, nil
	case err != nil:
		return nil, err
	}
	return &rec, nil
}
