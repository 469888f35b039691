package recommend

import (
	"fmt"
	"maps"
	"slices"
	"sync/atomic"

	"github.com/ospo-project/ospo/internal/catalog"
)

// AnswerLimit is how many items of each list Answer keeps per person: the
// default of For, and the most a hub page or the API's default asks for.
const AnswerLimit = 10

// answerSpare is how many more people to meet an answer keeps than
// AnswerLimit, so that people who opt out after the model was built can be
// left out without computing the answer again.
const answerSpare = 10

// answers holds each person's answer (by person index), computed once per
// model: nil until asked for or warmed.
type answers struct {
	recs []atomic.Pointer[answer]
}

// answer is For's answer for one person at the model's build time with
// AnswerLimit items per list and nobody opted out; People holds up to
// AnswerLimit+answerSpare people, full reports that more may exist.
type answer struct {
	Recommendations
	peopleFull bool
}

// Warm computes every person's answer (see Answer) now, so that later
// calls are lookups. It is safe to call while Answer is in use.
func (m *Model) Warm() {
	for pi := range m.people {
		m.answerOf(int32(pi))
	}
}

// Answer returns what For returns for ref with the default recommenders at
// the model's build time, honouring optOuts (everybody's, by person ID; nil
// means the model's), with at most limit items per list (0 means
// AnswerLimit). Each person's answer is computed once per model (or by
// Warm) with AnswerLimit items per list and then looked up: a list of a
// smaller limit is the first limit items of that one (for resources, the
// gaps are then the first AnswerLimit recommended technologies, not the
// first limit). A limit above AnswerLimit is answered by For. Errors are
// For's.
func (m *Model) Answer(ref string, limit int, optOuts map[string]catalog.OptOut) (Recommendations, error) {
	if limit < 0 {
		return Recommendations{}, catalog.Kind("limit must not be negative", catalog.ErrInvalid)
	}
	if limit == 0 {
		limit = AnswerLimit
	}
	if optOuts == nil {
		optOuts = m.optOut
	}
	if limit > AnswerLimit {
		return m.For(ref, Options{Limit: limit, OptOuts: optOuts})
	}
	p, ok := m.Person(ref)
	if !ok {
		return Recommendations{}, fmt.Errorf("%w %q", ErrUnknownPerson, ref)
	}
	a := m.answerOf(m.persIdx[p.ID])
	r := a.Recommendations
	if optOuts[p.ID].Recommendations {
		r.OptedOut = true
		r.Technologies, r.Upgrades, r.Projects, r.People, r.Resources = []Item{}, []Item{}, []Item{}, []Item{}, []Item{}
		return r, nil
	}
	people := make([]Item, 0, limit)
	for _, it := range a.People {
		if o := optOuts[it.ID]; o.Experts || o.Recommendations {
			continue
		}
		if len(people) == limit {
			break
		}
		people = append(people, it)
	}
	if len(people) < limit && a.peopleFull && len(a.People) > len(people) {
		// Too many of the people kept opted out: the next ones are unknown.
		return m.For(ref, Options{Limit: limit, OptOuts: optOuts})
	}
	r.People = people
	r.Technologies = firstOf(r.Technologies, limit)
	r.Upgrades = firstOf(r.Upgrades, limit)
	r.Projects = firstOf(r.Projects, limit)
	r.Resources = firstOf(r.Resources, limit)
	r.Teams = slices.Clone(r.Teams)
	r.Recommenders = maps.Clone(r.Recommenders)
	return r, nil
}

// firstOf returns a copy of the first n items.
func firstOf(items []Item, n int) []Item {
	return slices.Clone(items[:min(len(items), n)])
}

// answerOf returns person pi's answer, computing it the first time.
func (m *Model) answerOf(pi int32) *answer {
	if a := m.memo.recs[pi].Load(); a != nil {
		return a
	}
	o := Options{Limit: AnswerLimit, Technologies: DefaultTechnologies, Projects: DefaultProjects, Now: m.built,
		OptOuts: map[string]catalog.OptOut{}}
	r, _ := m.forPerson(pi, o, AnswerLimit+answerSpare)
	a := &answer{Recommendations: r, peopleFull: len(r.People) == AnswerLimit+answerSpare}
	m.memo.recs[pi].Store(a)
	return a
}
