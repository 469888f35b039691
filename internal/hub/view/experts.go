package view

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"time"

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
	// Sum each person's work over the projects (precomputed per project by
	// index), then build the Person values of the top ones only: a package
	// used by 1,000 projects touches thousands of people.
	type sum struct {
		human       *catalog.Person
		commits     int
		added, rmvd int64
		first, last time.Time
		projects    []*catalog.PersonProject
	}
	sums := map[*catalog.Person]*sum{}
	var order []*sum
	seen := make(map[int64]bool, len(ids))
	for _, id := range ids {
		if seen[id] {
			continue
		}
		seen[id] = true
		for i := range e.workers[id] {
			w := &e.workers[id][i]
			s := sums[w.human]
			if s == nil {
				s = &sum{human: w.human}
				sums[w.human] = s
				order = append(order, s)
			}
			pp := &w.PersonProject
			s.projects = append(s.projects, pp)
			s.commits += pp.Commits
			s.added += pp.LinesAdded
			s.rmvd += pp.LinesRemoved
			if !pp.FirstCommit.IsZero() && (s.first.IsZero() || pp.FirstCommit.Before(s.first)) {
				s.first = pp.FirstCommit
			}
			if pp.LastCommit.After(s.last) {
				s.last = pp.LastCommit
			}
		}
	}
	slices.SortFunc(order, func(a, b *sum) int {
		return cmp.Or(b.commits-a.commits, strings.Compare(a.human.Name, b.human.Name), strings.Compare(a.human.ID, b.human.ID))
	})
	if limit > 0 && len(order) > limit {
		order = order[:limit]
	}
	out := make([]catalog.Person, len(order))
	for i, s := range order {
		h := s.human
		p := catalog.Person{ID: h.ID, Name: h.Name, Email: h.Email, Identities: h.Identities,
			Commits: s.commits, LinesAdded: s.added, LinesRemoved: s.rmvd, FirstCommit: s.first, LastCommit: s.last,
			Projects: make([]catalog.PersonProject, len(s.projects))}
		for j, pp := range s.projects {
			p.Projects[j] = *pp
		}
		slices.SortFunc(p.Projects, func(a, b catalog.PersonProject) int {
			return cmp.Or(b.Commits-a.Commits, strings.Compare(a.Project, b.Project), cmp.Compare(a.ProjectID, b.ProjectID))
		})
		out[i] = p
	}
	return out, nil
}

// worker is one person's work on one project, their identities' contributions summed.
type worker struct {
	human *catalog.Person
	catalog.PersonProject
}

// index fills the snapshot's lookup maps (built on first use).
func (e *Estate) index() {
	e.byID = make(map[int64]*catalog.Project, len(e.all))
	for i := range e.all {
		e.byID[e.all[i].ID] = &e.all[i]
	}
	e.packages = map[string]*catalog.Technology{}
	for i := range e.techs {
		if e.techs[i].Kind == "package" {
			e.packages[e.techs[i].ID] = &e.techs[i]
		}
	}
	e.humans = make(map[string]*catalog.Person, len(e.people))
	for i := range e.people {
		e.humans[e.people[i].ID] = &e.people[i]
	}
	// Each project's workers, in the order of their first contribution
	// there; bots and contributions of no person are left out.
	e.workers = make(map[int64][]worker, len(e.all))
	for _, pr := range e.all {
		var ws []worker
		for _, ct := range pr.Contributors {
			human := e.humans[ct.PersonID]
			if ct.PersonID == "" || human == nil {
				continue
			}
			i := slices.IndexFunc(ws, func(w worker) bool { return w.human == human })
			if i < 0 {
				i = len(ws)
				ws = append(ws, worker{human: human, PersonProject: catalog.PersonProject{ProjectID: pr.ID, Project: pr.Name}})
			}
			pp := &ws[i].PersonProject
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
		if ws != nil {
			e.workers[pr.ID] = ws
		}
	}
}
