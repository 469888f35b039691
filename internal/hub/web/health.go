package web

import (
	"bytes"
	"fmt"
	"html/template"
	"net/http"
	"strconv"
	"sync"

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
	trends, err := p.healthTrends(v)
	if err != nil {
		p.fail(w, err)
		return
	}
	orgs := make([]item, 0, 10)
	for i, o := range v.Organisations {
		if i == 10 {
			break
		}
		orgs = append(orgs, item{o.Name, float64(o.Commits)})
	}
	p.render(w, "health.html", map[string]any{"V": v, "Weeks": weeks, "Trends": trends,
		"Orgs": hbars("Commits by organisation", orgs)})
}

// trendsCache keeps the health pages' trend charts as drawn, by view: the
// estate keeps one view a scope and window until the next snapshot, and
// drawing five charts of up to 260 weeks through the templates (every
// attribute escaped) was most of such a page's CPU, 10-12 ms. A view is
// kept alive by its key, so its address is never reused while cached.
type trendsCache struct {
	mu sync.Mutex
	m  map[*estate.HealthView]template.HTML
}

// maxTrends bounds trendsCache: when full it starts again.
const maxTrends = 256

// healthTrends returns the trend charts of v, drawn once.
func (p *Pages) healthTrends(v *estate.HealthView) (template.HTML, error) {
	p.trends.mu.Lock()
	h, ok := p.trends.m[v]
	p.trends.mu.Unlock()
	if ok {
		return h, nil
	}
	series := func(f func(int) int) []item {
		items := make([]item, len(v.Weeks))
		for i, wk := range v.Weeks {
			items[i] = item{wk.Week.Format("2006-01-02"), float64(f(i))}
		}
		return items
	}
	var b bytes.Buffer
	if err := p.tmpl["health.html"].ExecuteTemplate(&b, "health-trends", map[string]any{
		"Commits":      columns("Commits per week", series(func(i int) int { return v.Weeks[i].Commits })),
		"Contributors": columns("Contributors per week", series(func(i int) int { return v.Weeks[i].Contributors })),
		"New":          columns("New contributors per week", series(func(i int) int { return v.Weeks[i].New })),
		"Inactive":     columns("Inactive contributors (no commit in 13 weeks)", series(func(i int) int { return v.Weeks[i].Inactive })),
		"Releases":     columns("Releases per week", series(func(i int) int { return v.Weeks[i].Releases })),
	}); err != nil {
		return "", fmt.Errorf("draw the health trends: %w", err)
	}
	h = template.HTML(b.String()) // drawn by html/template: escaped as the page would
	p.trends.mu.Lock()
	if p.trends.m == nil || len(p.trends.m) >= maxTrends {
		p.trends.m = make(map[*estate.HealthView]template.HTML)
	}
	p.trends.m[v] = h
	p.trends.mu.Unlock()
	return h, nil
}
