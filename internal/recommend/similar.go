package recommend

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"
)

// SimilarProject is a project like another one: the answer to "projects
// like mine".
type SimilarProject struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
	// Score is the cosine similarity of the two projects' dependencies,
	// each package weighted by its inverse document frequency (the log of
	// projects over projects using it), 0 to 1.
	Score float64 `json:"score"`
	// Shared is the number of packages both depend on; Rarest names the
	// rarest of them (at most 5), which weigh most.
	Shared int      `json:"shared"`
	Rarest []string `json:"rarest"`
	Why    string   `json:"why"`
}

// isPackage reports whether technology t is a package (not a language).
func (m *Model) isPackage(t int32) bool { return m.isPkg[t] }

// buildPackageNorms computes, once per model, which technologies are
// packages and each project's norm over its packages (the denominator of
// Similar's cosine): computed per call, they were two thirds of the CPU
// of Similar, which norms every project sharing a package with the
// project (a tenth of a 50,000-project estate through lodash). The sums
// run in the same order as they did per call, so the scores are the same
// to the bit.
func (m *Model) buildPackageNorms() {
	m.isPkg = make([]bool, len(m.techs))
	for t := range m.techs {
		m.isPkg[t] = strings.HasPrefix(m.techs[t].ID, "pkg:")
	}
	m.pkgNorm = make([]float64, len(m.projects))
	for p := range m.projects {
		var n float64
		for _, t := range m.projTechs[p] {
			if m.isPkg[t] {
				n += m.idf[t] * m.idf[t]
			}
		}
		m.pkgNorm[p] = math.Sqrt(n)
	}
}

// Similar returns the projects most like the project with the given ID by
// their shared direct dependencies, weighted so that a package everybody
// uses counts little and a rare one much, at most limit (0: 10). It
// returns an error wrapping catalog.ErrNotFound when the project is not in
// the model; a project without dependencies has no similar projects.
func (m *Model) Similar(projectID int64, limit int) ([]SimilarProject, error) {
	if limit <= 0 {
		limit = 10
	}
	pj, ok := m.projIdx[projectID]
	if !ok {
		return nil, fmt.Errorf("%w: project %d", ErrUnknownProject, projectID)
	}
	self := m.pkgNorm[pj]
	if self == 0 {
		return []SimilarProject{}, nil
	}
	n := 0 // at most this many candidates: sized once, the map does not grow
	for _, t := range m.projTechs[pj] {
		if m.isPackage(t) && m.idf[t] != 0 {
			n += len(m.techProjects[t])
		}
	}
	dot := make(map[int32]float64, n)
	for _, t := range m.projTechs[pj] {
		if !m.isPackage(t) || m.idf[t] == 0 {
			continue
		}
		for _, q := range m.techProjects[t] {
			if q != pj {
				dot[q] += m.idf[t] * m.idf[t]
			}
		}
	}
	var best []scored
	for q, d := range dot {
		best = keepBest(best, scored{idx: q, score: d / (self * m.pkgNorm[q])}, limit)
	}
	cands := best
	out := make([]SimilarProject, 0, len(cands))
	for _, c := range cands {
		var shared []int32
		for _, t := range m.projTechs[c.idx] {
			if m.isPackage(t) && slices.Contains(m.projTechs[pj], t) {
				shared = append(shared, t)
			}
		}
		slices.SortFunc(shared, func(a, b int32) int {
			return cmp.Or(cmp.Compare(m.idf[b], m.idf[a]), strings.Compare(m.techs[a].Name, m.techs[b].Name))
		})
		var rare []string
		for i, t := range shared {
			if i == 5 {
				break
			}
			rare = append(rare, m.techs[t].Name)
		}
		why := fmt.Sprintf("shares %s with %s", plural(len(shared), "dependency", "dependencies"), m.projects[pj].Name)
		if len(rare) > 0 {
			why += fmt.Sprintf(", the rarest being %s (%s: used by %s)", list(rare[:min(3, len(rare))]),
				rare[0], plural(len(m.techProjects[shared[0]]), "project", "projects"))
		}
		p := m.projects[c.idx]
		out = append(out, SimilarProject{ID: p.ID, Name: p.Name, Score: round(c.score), Shared: len(shared), Rarest: rare, Why: why})
	}
	return out, nil
}

// keepBest adds c to best, the at most k best candidates so far ordered as
// topK orders them (highest score first, then lowest index), dropping the
// worst past k. It gives what topK gives over all candidates without
// sorting them all: Similar has thousands for ten answers.
func keepBest(best []scored, c scored, k int) []scored {
	before := func(a, b scored) bool { return a.score > b.score || a.score == b.score && a.idx < b.idx }
	if len(best) == k && !before(c, best[k-1]) {
		return best
	}
	i := len(best)
	for i > 0 && before(c, best[i-1]) {
		i--
	}
	if len(best) < k {
		best = append(best, scored{})
	}
	copy(best[i+1:], best[i:len(best)-1])
	best[i] = c
	return best
}
