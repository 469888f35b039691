package recommend

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"time"
)

// Project recommenders, by name.
const (
	// ProjectStack scores a project by the cosine similarity of its stack
	// to the person's (technologies weighted by inverse document frequency
	// and, on the person's side, by how recently they used them), plus a
	// bonus for people of the person's team contributing there.
	ProjectStack = "stack"
	// ProjectPeers scores a project by the people the person worked with
	// who contribute there (user-based collaborative filtering over person
	// × project), weighted by how recently the person worked on the shared
	// project.
	ProjectPeers = "peers"
	// ProjectHybrid adds ProjectStack's and ProjectPeers' scores, each
	// scaled to the best candidate's.
	ProjectHybrid = "hybrid"
	// ProjectPopular recommends the projects with the most contributors.
	ProjectPopular = "popularity"
	// ProjectRandom recommends projects at random (seeded by person).
	ProjectRandom = "random"
)

// ProjectRecommenders are the project recommenders, the default first.
var ProjectRecommenders = []string{ProjectHybrid, ProjectStack, ProjectPeers, ProjectPopular, ProjectRandom}

// commonProjects is how many projects a technology must be used by, besides
// a fifth of them, to be common (see stackScores).
const commonProjects = 1000

// helpBoost is how much more a matching project scores when it asks for
// help (an open issue labelled help wanted or good first issue): a
// project that says where to start is a better first contribution.
const helpBoost = 0.25

// teamBonus is what ProjectStack adds for each person of the person's team
// contributing to a project, up to three.
const teamBonus = 0.1

// rankProjects ranks the projects person pi has not contributed to by the
// named recommender, at most k; only InnerSource projects when
// innerSourceOnly.
func (m *Model) rankProjects(name string, pi int32, now time.Time, k int, innerSourceOnly bool) []scored {
	eligible := func(pj int32) bool {
		return (!innerSourceOnly || m.projects[pj].InnerSource) && !slices.Contains(m.personProjs[pi], pj)
	}
	var cands []scored
	switch name {
	case ProjectStack:
		cands = m.stackScores(pi, now, eligible)
	case ProjectPeers:
		cands = m.peerScores(pi, now, eligible)
	case ProjectHybrid:
		a, b := m.stackScores(pi, now, eligible), m.peerScores(pi, now, eligible)
		byIdx := map[int32]*scored{}
		for _, part := range [][]scored{a, b} {
			top := 0.0
			for _, s := range part {
				top = max(top, s.score)
			}
			if top == 0 {
				continue
			}
			for _, s := range part {
				c := byIdx[s.idx]
				if c == nil {
					c = &scored{idx: s.idx, via: -1}
					byIdx[s.idx] = c
				}
				c.score += s.score / top
			}
		}
		for _, c := range byIdx {
			cands = append(cands, *c)
		}
	case ProjectPopular:
		var out []scored
		for _, pj := range m.popularProjects {
			if eligible(pj) {
				out = append(out, scored{idx: pj, score: float64(len(m.projPeople[pj])), via: -1})
				if k > 0 && len(out) == k {
					break
				}
			}
		}
		return out
	case ProjectRandom:
		rng := rand.New(rand.NewPCG(uint64(pi), 11))
		var out []scored
		for _, pj := range rng.Perm(len(m.projects)) {
			if eligible(int32(pj)) {
				out = append(out, scored{idx: int32(pj), via: -1})
				if k > 0 && len(out) == k {
					break
				}
			}
		}
		return out
	}
	for i := range cands {
		if len(m.projects[cands[i].idx].HelpWanted) > 0 {
			cands[i].score *= 1 + helpBoost
		}
	}
	return topK(cands, k)
}

// stackScores scores the eligible projects sharing a technology with
// person pi by the cosine of IDF-weighted stacks, plus the team bonus.
func (m *Model) stackScores(pi int32, now time.Time, eligible func(int32) bool) []scored {
	var norm float64
	dot := make([]float64, len(m.projects)) // dense: a popular technology touches thousands
	var touched []int32
	// On a large estate, candidates come from the person's technologies
	// that at most a fifth of the projects (and at most commonProjects)
	// use; the common ones (a package nearly every project uses) then add
	// to those candidates only: a project sharing nothing but them would
	// score little, and finding it would cost thousands of touches per
	// common technology.
	var common []use
	for _, u := range m.uses[pi] {
		w := m.weight(u, now) * m.idf[u.tech]
		norm += w * w
		if m.idf[u.tech] == 0 {
			continue
		}
		if n := len(m.techProjects[u.tech]); 5*n > len(m.projects) && n > commonProjects {
			common = append(common, u)
			continue
		}
		for _, pj := range m.techProjects[u.tech] {
			if dot[pj] == 0 {
				if !eligible(pj) {
					continue
				}
				touched = append(touched, pj)
			}
			dot[pj] += w * m.idf[u.tech]
		}
	}
	if len(touched) == 0 { // only common technologies: they are all there is
		for _, u := range common {
			w := m.weight(u, now) * m.idf[u.tech]
			for _, pj := range m.techProjects[u.tech] {
				if dot[pj] == 0 {
					if !eligible(pj) {
						continue
					}
					touched = append(touched, pj)
				}
				dot[pj] += w * m.idf[u.tech]
			}
		}
	} else {
		for _, pj := range touched {
			for _, u := range common {
				if slices.Contains(m.projTechs[pj], u.tech) {
					dot[pj] += m.weight(u, now) * m.idf[u.tech] * m.idf[u.tech]
				}
			}
		}
	}
	if norm == 0 {
		return nil
	}
	out := make([]scored, 0, len(touched))
	for _, pj := range touched {
		out = append(out, scored{idx: pj, score: dot[pj] / (math.Sqrt(norm) * m.projNorm[pj]), via: -1})
	}
	// The team bonus, at most 3 × teamBonus, can only lift the candidates
	// within that of the k-th best; counting team-mates is the costly
	// part, so only those are looked at.
	if len(out) > 50 {
		out = topK(out, 0)
		floor := out[49].score - 3*teamBonus
		kept := out[:0]
		for _, c := range out {
			if c.score < floor {
				break
			}
			kept = append(kept, c)
		}
		out = kept
	}
	for i := range out {
		out[i].score += teamBonus * float64(min(m.teamOn(pi, out[i].idx), 3))
	}
	return out
}

// peerScores scores the eligible projects where people who worked with
// person pi contribute.
func (m *Model) peerScores(pi int32, now time.Time, eligible func(int32) bool) []scored {
	score := make([]float64, len(m.projects))
	var touched []int32
	for _, pj := range m.personProjs[pi] {
		c := m.contribution(pj, pi)
		w := weightAt(c.LastCommit, now) / math.Sqrt(float64(len(m.projPeople[pj])))
		for _, v := range m.projPeople[pj] {
			if v == pi {
				continue
			}
			for _, q := range m.personProjs[v] {
				if score[q] == 0 {
					if !eligible(q) {
						continue
					}
					touched = append(touched, q)
				}
				score[q] += w / math.Sqrt(float64(len(m.projPeople[q])))
			}
		}
	}
	out := make([]scored, 0, len(touched))
	for _, q := range touched {
		out = append(out, scored{idx: q, score: score[q], via: -1})
	}
	return out
}

// teamOn counts the people of person pi's team who contribute to project pj.
func (m *Model) teamOn(pi, pj int32) int {
	if len(m.teams[pi]) == 0 {
		return 0
	}
	n := 0
	for _, v := range m.projPeople[pj] {
		if v != pi && m.sameTeam(pi, v) {
			n++
		}
	}
	return n
}

// projectWhy explains why project pj is recommended to person pi.
func (m *Model) projectWhy(pi, pj int32) string {
	type shared struct {
		name string
		w    float64
	}
	var common []shared
	for _, t := range m.projTechs[pj] {
		if m.knows(pi, t) && m.idf[t] > 0 {
			common = append(common, shared{m.techs[t].Name, m.idf[t]})
		}
	}
	slices.SortStableFunc(common, func(a, b shared) int {
		switch {
		case a.w > b.w:
			return -1
		case a.w < b.w:
			return 1
		}
		return strings.Compare(a.name, b.name)
	})
	var parts []string
	if len(common) > 0 {
		names := make([]string, 0, 3)
		for i, c := range common {
			if i == 3 {
				break
			}
			names = append(names, c.name)
		}
		s := "it uses " + list(names)
		if len(common) > 3 {
			s += fmt.Sprintf(" and %d more technologies", len(common)-3)
		}
		parts = append(parts, s+", which you know")
	}
	peers := 0
	for _, v := range m.projPeople[pj] {
		if v != pi && m.workedWith(pi, v) {
			peers++
		}
	}
	if peers > 0 {
		parts = append(parts, fmt.Sprintf("%s you worked with contribute%s there", plural(peers, "person", "people"), verbS(peers)))
	}
	if n := m.teamOn(pi, pj); n > 0 {
		parts = append(parts, fmt.Sprintf("%s of your team contribute%s", plural(n, "person", "people"), verbS(n)))
	}
	if hw := m.projects[pj].HelpWanted; len(hw) > 0 {
		s := fmt.Sprintf("it asks for help: #%d %q (%s)", hw[0].Number, hw[0].Title, hw[0].Label)
		if len(hw) > 1 {
			s += fmt.Sprintf(" and %s more", plural(len(hw)-1, "issue", "issues"))
		}
		parts = append(parts, s)
	}
	if len(parts) == 0 {
		return fmt.Sprintf("%s people contribute to it", fmt.Sprint(len(m.projPeople[pj])))
	}
	return "because " + strings.Join(parts, "; ")
}

// workedWith reports whether people a and b contributed to a common project.
func (m *Model) workedWith(a, b int32) bool {
	for _, pj := range m.personProjs[a] {
		if slices.Contains(m.personProjs[b], pj) {
			return true
		}
	}
	return false
}

// list joins names as English does: "a", "a and b", "a, b and c".
func list(names []string) string {
	switch len(names) {
	case 0:
		return ""
	case 1:
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}
