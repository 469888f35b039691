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
func (m *Model) isPackage(t int32) bool { return strings.HasPrefix(m.techs[t].ID, "pkg:") }

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
	norm := func(p int32) float64 {
		var n float64
		for _, t := range m.projTechs[p] {
			if m.isPackage(t) {
				n += m.idf[t] * m.idf[t]
			}
		}
		return math.Sqrt(n)
	}
	self := norm(pj)
	if self == 0 {
		return []SimilarProject{}, nil
	}
	dot := map[int32]float64{}
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
	cands := make([]scored, 0, len(dot))
	for q, d := range dot {
		cands = append(cands, scored{idx: q, score: d / (self * norm(q))})
	}
	cands = topK(cands, limit)
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
