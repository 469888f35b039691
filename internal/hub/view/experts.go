package view

import (
	"cmp"
	"context"
	"slices"
	"strings"

	"github.com/ospo-project/ospo/internal/catalog"
)

// experts returns the people who contributed to any of the given projects,
// as store.Experts does (commits and lines over those projects only, most
// commits first, then name and ID; bots and contributions of no person
// left out; each person's Projects by commits, then name and ID), but
// computed from the estate snapshot's projects and people, which carry
// every contribution with its person: no store query, whatever the number
// of projects (a package used by 1,000 projects took ~40 ms in the store).
// Like the rest of the snapshot it is at most a TTL old.
func (c *Catalog) experts(ctx context.Context, ids []int64, limit int) ([]catalog.Person, error) {
	e, err := c.Estate(ctx)
	if err != nil {
		return nil, err
	}
	e.indexOnce.Do(e.index)
	byID := map[string]*catalog.Person{}
	var order []*catalog.Person
	seen := make(map[int64]bool, len(ids))
	for _, id := range ids {
		if seen[id] {
			continue
		}
		seen[id] = true
		pr := e.byID[id]
		if pr == nil {
			continue
		}
		perProject := map[string]*catalog.PersonProject{}
		var pOrder []string
		for _, ct := range pr.Contributors {
			human := e.humans[ct.PersonID]
			if ct.PersonID == "" || human == nil {
				continue
			}
			pp := perProject[ct.PersonID]
			if pp == nil {
				pp = &catalog.PersonProject{ProjectID: pr.ID, Project: pr.Name}
				perProject[ct.PersonID] = pp
				pOrder = append(pOrder, ct.PersonID)
			}
			pp.Commits += ct.Commits
			pp.LinesAdded += ct.LinesAdded
			pp.LinesRemoved += ct.LinesRemoved
			if !ct.FirstCommit.IsZero() && (pp.FirstCommit.IsZero() || ct.FirstCommit.Before(pp.FirstCommit)) {
				pp.FirstCommit = ct.FirstCommit
			}
			if ct.LastCommit.After(pp.LastCommit) {
				pp.LastCommit = ct.LastCommit
			}
		}
		for _, pid := range pOrder {
			p := byID[pid]
			if p == nil {
				h := e.humans[pid]
				p = &catalog.Person{ID: h.ID, Name: h.Name, Email: h.Email, Identities: h.Identities}
				byID[pid] = p
				order = append(order, p)
			}
			pp := *perProject[pid]
			p.Projects = append(p.Projects, pp)
			p.Commits += pp.Commits
			p.LinesAdded += pp.LinesAdded
			p.LinesRemoved += pp.LinesRemoved
			if !pp.FirstCommit.IsZero() && (p.FirstCommit.IsZero() || pp.FirstCommit.Before(p.FirstCommit)) {
				p.FirstCommit = pp.FirstCommit
			}
			if pp.LastCommit.After(p.LastCommit) {
				p.LastCommit = pp.LastCommit
			}
		}
	}
	slices.SortFunc(order, func(a, b *catalog.Person) int {
		return cmp.Or(b.Commits-a.Commits, strings.Compare(a.Name, b.Name), strings.Compare(a.ID, b.ID))
	})
	if limit > 0 && len(order) > limit {
		order = order[:limit]
	}
	out := make([]catalog.Person, len(order))
	for i, p := range order {
		slices.SortFunc(p.Projects, func(a, b catalog.PersonProject) int {
			return cmp.Or(b.Commits-a.Commits, strings.Compare(a.Project, b.Project), cmp.Compare(a.ProjectID, b.ProjectID))
		})
		out[i] = *p
	}
	return out, nil
}

// index fills the snapshot's lookup maps (built on first use).
func (e *Estate) index() {
	e.byID = make(map[int64]*catalog.Project, len(e.all))
	for i := range e.all {
		e.byID[e.all[i].ID] = &e.all[i]
	}
	e.humans = make(map[string]*catalog.Person, len(e.people))
	for i := range e.people {
		e.humans[e.people[i].ID] = &e.people[i]
	}
}
