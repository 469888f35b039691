package recommend

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"slices"
	"time"
)

// scored is a candidate (technology, project or person index) with its
// score and, for technologies, the known technology that contributed most.
type scored struct {
	idx   int32
	score float64
	via   int32 // technology or project behind the score; -1 for none
}

// topK sorts cands by score (then index, for stable output) and keeps k.
func topK(cands []scored, k int) []scored {
	slices.SortFunc(cands, func(a, b scored) int {
		return cmp.Or(cmp.Compare(b.score, a.score), cmp.Compare(a.idx, b.idx))
	})
	if k > 0 && len(cands) > k {
		cands = cands[:k]
	}
	return cands
}

// knows reports whether person pi uses technology t (uses are sorted by tech).
func (m *Model) knows(pi, t int32) bool {
	_, ok := slices.BinarySearchFunc(m.uses[pi], t, func(u use, t int32) int { return cmp.Compare(u.tech, t) })
	return ok
}

// Technology recommenders, by name: what Evaluate compares and
// TechnologyRecommenders lists.
const (
	// TechCF is item-based collaborative filtering: a candidate scores the
	// cosine similarity (over people) to each technology the person uses,
	// weighted by how recently they used it.
	TechCF = "cf"
	// TechCFFlat is TechCF without the time weighting.
	TechCFFlat = "cf-flat"
	// TechPopular recommends the technologies the most people use.
	TechPopular = "popularity"
	// TechRandom recommends technologies at random (seeded by person).
	TechRandom = "random"
)

// TechnologyRecommenders are the technology recommenders, the default first.
var TechnologyRecommenders = []string{TechCF, TechCFFlat, TechPopular, TechRandom}

// rankTechs ranks the technologies person pi does not use yet by the named
// recommender, at most k.
func (m *Model) rankTechs(name string, pi int32, now time.Time, k int) []scored {
	switch name {
	case TechCF, TechCFFlat:
		type acc struct {
			scored
			best float64
		}
		score := map[int32]*acc{}
		for _, u := range m.uses[pi] {
			w := 1.0
			if name == TechCF {
				w = m.weight(u, now)
			}
			for _, nb := range m.neighbours[u.tech] {
				if m.knows(pi, nb.tech) {
					continue
				}
				a := score[nb.tech]
				if a == nil {
					a = &acc{scored: scored{idx: nb.tech, via: u.tech}}
					score[nb.tech] = a
				}
				add := w * float64(nb.sim)
				a.score += add
				if add > a.best { // the known technology that adds most explains it
					a.best, a.via = add, u.tech
				}
			}
		}
		cands := make([]scored, 0, len(score))
		for _, a := range score {
			cands = append(cands, a.scored)
		}
		return topK(cands, k)
	case TechPopular:
		var out []scored
		for _, t := range m.popular {
			if !m.knows(pi, t) {
				out = append(out, scored{idx: t, score: float64(len(m.techPeople[t])), via: -1})
				if k > 0 && len(out) == k {
					break
				}
			}
		}
		return out
	case TechRandom:
		rng := rand.New(rand.NewPCG(uint64(pi), 7))
		perm := rng.Perm(len(m.techs))
		var out []scored
		for _, t := range perm {
			if !m.knows(pi, int32(t)) {
				out = append(out, scored{idx: int32(t), via: -1})
				if k > 0 && len(out) == k {
					break
				}
			}
		}
		return out
	}
	return nil
}

// techWhy explains why technology s.idx is recommended to person pi.
func (m *Model) techWhy(pi int32, s scored) string {
	t := m.techs[s.idx]
	if s.via < 0 {
		return fmt.Sprintf("%d people in the estate use %s", len(m.techPeople[s.idx]), t.Name)
	}
	via := m.techs[s.via]
	both, team := 0, 0
	a, b := m.techPeople[s.via], m.techPeople[s.idx]
	for i, j := 0, 0; i < len(a) && j < len(b); {
		switch {
		case a[i] < b[j]:
			i++
		case a[i] > b[j]:
			j++
		default:
			both++
			if a[i] != pi && m.sameTeam(pi, a[i]) {
				team++
			}
			i++
			j++
		}
	}
	why := fmt.Sprintf("%s who use%s %s also use%s %s", plural(both, "person", "people"), verbS(both), via.Name, verbS(both), t.Name)
	if team > 0 {
		why += fmt.Sprintf(", including %d on your team", team)
	}
	return why
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// verbS is the "s" of a verb whose subject is n people.
func verbS(n int) string {
	if n == 1 {
		return "s"
	}
	return ""
}
