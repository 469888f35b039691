package recommend

import (
	"fmt"
	"slices"
	"time"

	"github.com/ospo-project/ospo/internal/catalog"
)

// EvalOptions tune Evaluate.
type EvalOptions struct {
	// Until splits the history: the recommenders learn from the
	// contributions that started before it and are judged on those that
	// started after. Required.
	Until time.Time
	// K is the length of the recommendation lists judged; 0 means 10.
	K int
}

// Metric is one recommender's figures in an evaluation.
type Metric struct {
	Recommender string `json:"recommender"`
	// Recall is the mean, over the people judged, of the share of what
	// they adopted afterwards that their K recommendations held.
	Recall float64 `json:"recall_at_k"`
	// MRR is the mean reciprocal rank of the first thing they adopted in
	// the recommender's top 100 (0 when none is there).
	MRR float64 `json:"mrr"`
	// Baseline marks the popularity and random baselines.
	Baseline bool `json:"baseline,omitempty"`
}

// Evaluation is the offline evaluation of the recommenders on one estate.
type Evaluation struct {
	Until time.Time `json:"until"`
	K     int       `json:"k"`
	// TechnologyPeople and ProjectPeople are the people judged: those
	// known before Until who took up a technology (a project) new to them
	// afterwards that the estate knew before Until.
	TechnologyPeople int `json:"technology_people"`
	ProjectPeople    int `json:"project_people"`
	// Adoptions and Joins count what they took up.
	Adoptions    int      `json:"adoptions"`
	Joins        int      `json:"joins"`
	Technologies []Metric `json:"technologies"`
	Projects     []Metric `json:"projects"`
	// BestTechnologies and BestProjects name the recommender that should
	// be the default: the one with the highest recall that beats the
	// popularity baseline on both recall and MRR, else popularity.
	BestTechnologies string `json:"best_technologies"`
	BestProjects     string `json:"best_projects"`
}

// mrrDepth is how deep a ranking is searched for MRR.
const mrrDepth = 100

// Past returns the estate as it was at until: each project's contributions
// that started before until (their last commit capped at until), without
// the projects nobody had contributed to yet. Authors, upgrades and
// resources are dropped: they are not dated.
func Past(e Estate, until time.Time) Estate {
	past := Estate{People: e.People, OptOuts: e.OptOuts}
	for _, p := range e.Projects {
		var cs []Contribution
		for _, c := range p.Contributors {
			if c.FirstCommit.IsZero() || !c.FirstCommit.Before(until) {
				continue
			}
			if c.LastCommit.After(until) {
				c.LastCommit = until
			}
			cs = append(cs, c)
		}
		if len(cs) == 0 {
			continue
		}
		q := p
		q.Contributors, q.Authors = cs, nil
		past.Projects = append(past.Projects, q)
	}
	return past
}

// Evaluate splits e's history at o.Until, builds a model of the past,
// and measures how well each technology and project recommender predicts
// what each person took up afterwards: the technologies of the projects
// they first contributed to after Until that they had not used before,
// and those projects themselves (any project, InnerSource or not). Only
// what the past estate knew can be predicted, so only that counts.
//
// A technology's stack is the one the catalogue knows today: a project
// that adopted a package after Until shows it before Until too, which
// favours no recommender over another.
func Evaluate(e Estate, o EvalOptions) (Evaluation, error) {
	if o.Until.IsZero() {
		return Evaluation{}, fmt.Errorf("%w: the evaluation needs a date to split the history at", catalog.ErrInvalid)
	}
	if o.K <= 0 {
		o.K = 10
	}
	m := Build(Past(e, o.Until), o.Until)
	ev := Evaluation{Until: o.Until, K: o.K}
	techTruth := map[int32][]int32{}
	projTruth := map[int32][]int32{}
	for _, p := range e.Projects {
		pj, known := m.projIdx[p.ID]
		for _, c := range p.Contributors {
			pi, ok := m.persIdx[c.PersonID]
			if !ok || c.FirstCommit.Before(o.Until) || len(m.uses[pi]) == 0 || slices.Contains(m.personProjs[pi], pj) {
				continue
			}
			if known && !slices.Contains(projTruth[pi], pj) {
				projTruth[pi] = append(projTruth[pi], pj)
			}
			for _, t := range p.Techs {
				ti, ok := m.techIdx[t.ID]
				if ok && !m.knows(pi, ti) && !slices.Contains(techTruth[pi], ti) {
					techTruth[pi] = append(techTruth[pi], ti)
				}
			}
		}
	}
	ev.TechnologyPeople, ev.ProjectPeople = len(techTruth), len(projTruth)
	for _, ts := range techTruth {
		ev.Adoptions += len(ts)
	}
	for _, ps := range projTruth {
		ev.Joins += len(ps)
	}
	for _, name := range TechnologyRecommenders {
		ev.Technologies = append(ev.Technologies, measure(name, techTruth, o.K, func(pi int32) []scored {
			return m.rankTechs(name, pi, o.Until, mrrDepth)
		}))
	}
	for _, name := range ProjectRecommenders {
		ev.Projects = append(ev.Projects, measure(name, projTruth, o.K, func(pi int32) []scored {
			return m.rankProjects(name, pi, o.Until, mrrDepth, false)
		}))
	}
	ev.BestTechnologies = best(ev.Technologies, TechPopular)
	ev.BestProjects = best(ev.Projects, ProjectPopular)
	return ev, nil
}

func measure(name string, truth map[int32][]int32, k int, rank func(int32) []scored) Metric {
	m := Metric{Recommender: name, Baseline: name == TechPopular || name == TechRandom}
	if len(truth) == 0 {
		return m
	}
	people := make([]int32, 0, len(truth))
	for pi := range truth {
		people = append(people, pi)
	}
	slices.Sort(people)
	for _, pi := range people {
		want := truth[pi]
		got := rank(pi)
		hits := 0
		for _, s := range got[:min(k, len(got))] {
			if slices.Contains(want, s.idx) {
				hits++
			}
		}
		if f := firstHit(got, want); f >= 0 {
			m.MRR += 1 / float64(f+1)
		}
		m.Recall += float64(hits) / float64(len(want))
	}
	m.Recall /= float64(len(people))
	m.MRR /= float64(len(people))
	m.Recall, m.MRR = round(m.Recall), round(m.MRR)
	return m
}

// firstHit is the index in got of the first item of want; -1 if none.
func firstHit(got []scored, want []int32) int {
	for i, s := range got {
		if slices.Contains(want, s.idx) {
			return i
		}
	}
	return -1
}

// best is the recommender with the highest recall that beats the
// popularity baseline on recall and MRR, else popularity.
func best(ms []Metric, popularity string) string {
	var pop Metric
	for _, m := range ms {
		if m.Recommender == popularity {
			pop = m
		}
	}
	name, top := popularity, -1.0
	for _, m := range ms {
		if m.Baseline || m.Recall <= pop.Recall || m.MRR <= pop.MRR {
			continue
		}
		if m.Recall > top {
			name, top = m.Recommender, m.Recall
		}
	}
	return name
}
