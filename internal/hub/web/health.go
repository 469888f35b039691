package web

import (
	"net/http"
	"strconv"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/hub/estate"
)

// healthWeeks reads ?weeks= (default 52, 4 to 260).
func healthWeeks(r *http.Request) (int, error) {
	v := r.URL.Query().Get("weeks")
	if v == "" {
		return estate.DefaultHealthWeeks, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 4 || n > 260 {
		return 0, catalog.Mark(errWeeks, catalog.ErrInvalid)
	}
	return n, nil
}

type healthError string

func (e healthError) Error() string { return string(e) }

const errWeeks = healthError("weeks must be a number from 4 to 260")

// estateHealth is the estate's community health.
func (p *Pages) estateHealth(w http.ResponseWriter, r *http.Request) {
	p.health(w, r, func(weeks int) (*estate.HealthView, error) { return p.cat.EstateHealth(r.Context(), weeks) })
}

// projectHealth is one project's community health.
func (p *Pages) projectHealth(w http.ResponseWriter, r *http.Request) {
	p.health(w, r, func(weeks int) (*estate.HealthView, error) {
		return p.cat.ProjectHealth(r.Context(), r.PathValue("id"), weeks)
	})
}

// teamHealth is one team's community health.
func (p *Pages) teamHealth(w http.ResponseWriter, r *http.Request) {
	p.health(w, r, func(weeks int) (*estate.HealthView, error) {
		return p.cat.TeamHealth(r.Context(), r.PathValue("owner"), weeks)
	})
}

func (p *Pages) health(w http.ResponseWriter, r *http.Request, get func(weeks int) (*estate.HealthView, error)) {
	weeks, err := healthWeeks(r)
	if err != nil {
		p.fail(w, err)
		return
	}
	v, err := get(weeks)
	if err != nil {
		p.fail(w, err)
		return
	}
	series := func(f func(int) int) []item {
		items := make([]item, len(v.Weeks))
		for i, wk := range v.Weeks {
			items[i] = item{wk.Week.Format("2006-01-02"), float64(f(i))}
		}
		return items
	}
	orgs := make([]item, 0, 10)
	for i, o := range v.Organisations {
		if i == 10 {
			break
		}
		orgs = append(orgs, item{o.Name, float64(o.Commits)})
	}
	p.render(w, "health.html", map[string]any{"V": v, "Weeks": weeks,
		"Commits":      columns("Commits per week", series(func(i int) int { return v.Weeks[i].Commits })),
		"Contributors": columns("Contributors per week", series(func(i int) int { return v.Weeks[i].Contributors })),
		"New":          columns("New contributors per week", series(func(i int) int { return v.Weeks[i].New })),
		"Inactive":     columns("Inactive contributors (no commit in 13 weeks)", series(func(i int) int { return v.Weeks[i].Inactive })),
		"Releases":     columns("Releases per week", series(func(i int) int { return v.Weeks[i].Releases })),
		"Orgs":         hbars("Commits by organisation", orgs),
	})
}
