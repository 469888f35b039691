package recommend

import (
	"fmt"
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
// AnswerLimit items per list and nobody opted out, ranked but not put in
// words (about a kilobyte a person instead of twenty: Answer renders it);
// people holds up to AnswerLimit+answerSpare people, peopleFull reports
// that more may exist.
type answer struct {
	ranked
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
// AnswerLimit). Each person's answer is ranked once per model (or by
// Warm) with AnswerLimit items per list, kept as indices and scores, and
// then put in words on each call: a list of a smaller limit is the first
// limit items of that one (for resources, the gaps are then the first
// AnswerLimit recommended technologies, not the first limit). A limit
// above AnswerLimit is answered by For. Errors are For's.
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
	pi := m.persIdx[p.ID]
	r := m.header(pi, m.answerOptions())
	r.Teams = slices.Clone(r.Teams)
	if optOuts[p.ID].Recommendations {
		r.OptedOut = true
		return r, nil
	}
	a := m.answerOf(pi)
	people := make([]expert, 0, limit)
	for _, e := range a.people {
		if o := optOuts[m.people[e.who].ID]; o.Experts || o.Recommendations {
			continue
		}
		if len(people) == limit {
			break
		}
		people = append(people, e)
	}
	if len(people) < limit && a.peopleFull && len(a.people) > len(people) {
		// Too many of the people kept opted out: the next ones are unknown.
		return m.For(ref, Options{Limit: limit, OptOuts: optOuts})
	}
	m.render(&r, pi, a.ranked, m.built, AnswerLimit, limit, people)
	return r, nil
}

// answerOptions are the options of the answers Answer keeps.
func (m *Model) answerOptions() Options {
	return Options{Limit: AnswerLimit, Technologies: DefaultTechnologies, Projects: DefaultProjects, Now: m.built,
		OptOuts: map[string]catalog.OptOut{}}
}

// answerOf returns person pi's answer, ranking it the first time.
func (m *Model) answerOf(pi int32) *answer {
	if a := m.memo.recs[pi].Load(); a != nil {
		return a
	}
	rk := m.rank(pi, m.answerOptions(), AnswerLimit+answerSpare)
	a := &answer{ranked: rk, peopleFull: len(rk.people) == AnswerLimit+answerSpare}
	m.memo.recs[pi].Store(a)
	return a
}
