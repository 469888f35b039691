package expertise

import (
	"cmp"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/ospo-project/ospo/internal/catalog"
)

// HalfLife is how fast authorship fades in Rank: knowledge of code last
// changed a year ago counts half as much as of code changed today.
const HalfLife = 365 * 24 * time.Hour

// ProjectAuthors is one project's authors, as Rank takes them, and its
// reviewers when a forge source brought its pull requests.
type ProjectAuthors struct {
	ID        int64
	Name      string
	Authors   []catalog.Author
	Reviewers []Reviewer
}

// Rank ranks the people who know the given projects' code: each person's
// score sums their share of each project's files, weighted by
// 2^(−age/HalfLife) where age is the time since their last change there
// (a change in the future counts as now). A project's reviewers add their
// share of its reviews times ReviewWeight, decayed alike by the age of
// their last review: a reviewer who wrote none of the code still counts.
// People are told apart by catalogue person where the store knows it, else
// by e-mail (a reviewer of no known person by login). The result holds at
// most limit people (0: all), highest score first.
func Rank(projects []ProjectAuthors, now time.Time, limit int) []catalog.Expert {
	byKey := map[string]*catalog.Expert{}
	for _, p := range projects {
		for _, a := range p.Authors {
			key := a.PersonID
			if key == "" {
				key = "email:" + strings.ToLower(a.Email)
			}
			e := byKey[key]
			if e == nil {
				e = &catalog.Expert{Identity: a.Identity, PersonID: a.PersonID}
				byKey[key] = e
			}
			age := max(now.Sub(a.LastChange), 0)
			if a.LastChange.IsZero() {
				age = 10 * HalfLife // undated: known long ago, if at all
			}
			w := a.Share * math.Exp2(-float64(age)/float64(HalfLife))
			e.Score += w
			e.Evidence = append(e.Evidence, catalog.ExpertEvidence{ProjectID: p.ID, Project: p.Name,
				Files: a.Files, Share: a.Share, LastChange: a.LastChange, Weight: w})
		}
		total := 0
		for _, r := range p.Reviewers {
			total += r.Reviews
		}
		for _, r := range p.Reviewers {
			if r.Reviews == 0 {
				continue
			}
			key := r.PersonID
			if key == "" {
				key = "login:" + strings.ToLower(r.Login)
			}
			e := byKey[key]
			if e == nil {
				e = &catalog.Expert{Identity: r.Identity, PersonID: r.PersonID}
				byKey[key] = e
			}
			age := max(now.Sub(r.Last), 0)
			if r.Last.IsZero() {
				age = 10 * HalfLife
			}
			w := ReviewWeight * float64(r.Reviews) / float64(total) * math.Exp2(-float64(age)/float64(HalfLife))
			e.Score += w
			i := slices.IndexFunc(e.Evidence, func(x catalog.ExpertEvidence) bool { return x.ProjectID == p.ID })
			if i < 0 {
				e.Evidence = append(e.Evidence, catalog.ExpertEvidence{ProjectID: p.ID, Project: p.Name})
				i = len(e.Evidence) - 1
			}
			ev := &e.Evidence[i]
			ev.Reviews, ev.LastReview = r.Reviews, r.Last
			ev.Weight += w
		}
	}
	out := make([]catalog.Expert, 0, len(byKey))
	for _, e := range byKey {
		slices.SortFunc(e.Evidence, func(a, b catalog.ExpertEvidence) int {
			return cmp.Or(cmp.Compare(b.Weight, a.Weight), strings.Compare(a.Project, b.Project))
		})
		out = append(out, *e)
	}
	slices.SortFunc(out, func(a, b catalog.Expert) int {
		return cmp.Or(cmp.Compare(b.Score, a.Score), strings.Compare(a.Email, b.Email))
	})
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out
}
