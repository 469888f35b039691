package estate

import (
	"sync"

	"github.com/ospo-project/ospo/internal/recommend"
)

// maxSimilar is how many answers of recommend.Model.Similar a Catalog
// keeps for its current model; past it, it starts again from none.
const maxSimilar = 4096

// similarCache keeps the projects like each project (see SimilarProjects)
// for one recommendation model: Similar scores every project that shares
// a dependency with the project (5,000 and more through a package a tenth
// of the estate uses directly: ~9 ms of CPU a project page at 50,000
// projects), and the answer only changes with the model.
type similarCache struct {
	mu      sync.Mutex
	model   *recommend.Model
	answers map[similarKey]similarAnswer
}

type similarKey struct {
	project int64
	limit   int
}

type similarAnswer struct {
	projects []recommend.SimilarProject
	err      error
}

// get returns m.Similar(id, limit), computed once per model: the answer is
// shared, callers must not change it.
func (s *similarCache) get(m *recommend.Model, id int64, limit int) ([]recommend.SimilarProject, error) {
	k := similarKey{id, limit}
	s.mu.Lock()
	if s.model == m {
		if a, ok := s.answers[k]; ok {
			s.mu.Unlock()
			return a.projects, a.err
		}
	}
	s.mu.Unlock()
	ps, err := m.Similar(id, limit)
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.model != m || len(s.answers) >= maxSimilar {
		s.model, s.answers = m, map[similarKey]similarAnswer{}
	}
	s.answers[k] = similarAnswer{ps, err}
	return ps, err
}
