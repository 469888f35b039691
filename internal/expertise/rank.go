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

// ProjectAuthors is one project's authors, as Rank takes them.
type ProjectAuthors struct {
	ID      int64
	Name    string
	Authors []catalog.Author
}

// Rank ranks the people who know the given projects' code: each person's
// score sums their share of each project's files, weighted by
// 2^(−age/HalfLife) where age is the time since their last change there
// (a change in the future counts as now). People are told apart by
// catalogue person where the store knows it, else by e-mail. The result
// holds at most limit people (0: all), highest score first.
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
