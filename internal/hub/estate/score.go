package estate

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/store"
)

// ScoreBands are the bands of the score distribution and of the "band"
// filters: 0-2, 2-4, 4-6, 6-8, 8-10 (each includes its lower bound; the
// last includes 10), and "none" for a scorecard with no available check.
var ScoreBands = []string{"0-2", "2-4", "4-6", "6-8", "8-10"}

// BandNone is the band of a scorecard whose score is not available.
const BandNone = "none"

// BandOf returns the band of an aggregate score.
func BandOf(score float64) string {
	if score < 0 {
		return BandNone
	}
	return ScoreBands[min(int(score/2), len(ScoreBands)-1)]
}

func validBand(b string) error {
	if b == "" || b == BandNone || slices.Contains(ScoreBands, b) {
		return nil
	}
	return fmt.Errorf("%w: unknown score band %q (want one of %s, %s)", ErrInvalid, b, strings.Join(ScoreBands, ", "), BandNone)
}

// ScoreBand is the number of projects whose latest score is in Band.
type ScoreBand struct {
	Band     string `json:"band"`
	Projects int    `json:"projects"`
}

// ScoreDistribution counts the projects' latest scores by band.
type ScoreDistribution struct {
	// Scored is the number of projects with a scorecard.
	Scored int `json:"scored"`
	// NotAvailable is the number whose scorecard has no available check.
	NotAvailable int `json:"not_available"`
	// Mean is the mean of the available scores (0 when there is none).
	Mean  float64     `json:"mean"`
	Bands []ScoreBand `json:"bands"`
}

// ScoreRank is one project's latest score in the estate ranking.
type ScoreRank struct {
	ProjectID    int64     `json:"project_id"`
	Project      string    `json:"project"`
	Key          string    `json:"key,omitempty"`
	Score        float64   `json:"score"`
	Band         string    `json:"band"`
	Availability float64   `json:"availability"`
	ScoredAt     time.Time `json:"scored_at"`
}

// ScoreRanking is the estate's scores: the distribution and a page of the
// projects, best first (those without an available score last).
type ScoreRanking struct {
	Distribution ScoreDistribution `json:"distribution"`
	Band         string            `json:"band,omitempty"`
	Projects     Page[ScoreRank]   `json:"projects"`
	BuiltAt      time.Time         `json:"built_at"`
}

// estateScores fills the snapshot's score distribution, ranking and the
// latest score per project.
func (c *Catalog) estateScores(ctx context.Context, e *Snapshot) error {
	latest, err := c.st.LatestScores(ctx)
	if err != nil {
		return err
	}
	e.scores = make(map[int64]float64, len(latest))
	var all []float64
	for _, sc := range latest {
		if _, dup := e.scores[sc.ProjectID]; dup {
			continue
		}
		e.scores[sc.ProjectID] = sc.Score
		e.ranking = append(e.ranking, ScoreRank{ProjectID: sc.ProjectID, Project: sc.Project, Key: sc.Key,
			Score: sc.Score, Band: BandOf(sc.Score), Availability: sc.Availability, ScoredAt: sc.ScoredAt})
		all = append(all, sc.Score)
	}
	// Stable: ties keep the store's name order.
	slices.SortStableFunc(e.ranking, func(a, b ScoreRank) int { return cmp.Compare(b.Score, a.Score) })
	e.Scores = distribution(all)
	return nil
}

// distribution counts scores (negative: not available) by band.
func distribution(scores []float64) ScoreDistribution {
	d := ScoreDistribution{Bands: make([]ScoreBand, len(ScoreBands))}
	for i, b := range ScoreBands {
		d.Bands[i].Band = b
	}
	var sum float64
	for _, s := range scores {
		d.Scored++
		if s < 0 {
			d.NotAvailable++
			continue
		}
		sum += s
		d.Bands[min(int(s/2), len(ScoreBands)-1)].Projects++
	}
	if n := d.Scored - d.NotAvailable; n > 0 {
		d.Mean = sum / float64(n)
	}
	return d
}

// ScoreOf returns a project's latest score from the snapshot (at most a
// TTL old); ok is false when it has none.
func (e *Snapshot) ScoreOf(projectID int64) (score float64, ok bool) {
	score, ok = e.scores[projectID]
	return score, ok
}

// Scores returns the estate ranking of the projects whose latest score is
// in band ("" for all), best first, paged; answered from the snapshot.
func (c *Catalog) Scores(ctx context.Context, band string, p Paging) (*ScoreRanking, error) {
	if err := validBand(band); err != nil {
		return nil, err
	}
	p, err := p.Normalize()
	if err != nil {
		return nil, err
	}
	e, err := c.Snapshot(ctx)
	if err != nil {
		return nil, err
	}
	rs := e.ranking
	if band != "" {
		rs = nil
		for _, r := range e.ranking {
			if r.Band == band {
				rs = append(rs, r)
			}
		}
	}
	return &ScoreRanking{Distribution: e.Scores, Band: band, Projects: PageOf(rs, p), BuiltAt: e.BuiltAt}, nil
}

// ScoreHistoryLen is how many past scorecards a project's score shows.
const ScoreHistoryLen = 30

// ProjectScore is a project's latest scorecard and its trend.
type ProjectScore struct {
	ProjectID int64 `json:"project_id"`
	// Latest is nil when the project was never scored.
	Latest *catalog.Scorecard `json:"latest"`
	// History are the last ScoreHistoryLen scores, oldest first.
	History []ScorePoint `json:"history"`
}

// ScorePoint is one past aggregate score.
type ScorePoint struct {
	ScoredAt time.Time `json:"scored_at"`
	Commit   string    `json:"commit,omitempty"`
	Score    float64   `json:"score"`
}

// ProjectScore returns the score of the project with the given ID;
// store.ErrNotFound when there is no such project.
func (c *Catalog) ProjectScore(ctx context.Context, id string) (*ProjectScore, error) {
	p, err := c.Project(ctx, id)
	if err != nil {
		return nil, err
	}
	return c.ScoreOf(ctx, p.ID)
}

// ScoreOf returns the score of a project known to exist.
func (c *Catalog) ScoreOf(ctx context.Context, projectID int64) (*ProjectScore, error) {
	hist, err := c.st.ScoreHistory(ctx, projectID, ScoreHistoryLen)
	if err != nil {
		return nil, err
	}
	ps := &ProjectScore{ProjectID: projectID, History: make([]ScorePoint, 0, len(hist))}
	if len(hist) > 0 {
		ps.Latest = &hist[0]
	}
	for i := len(hist) - 1; i >= 0; i-- {
		ps.History = append(ps.History, ScorePoint{ScoredAt: hist[i].ScoredAt, Commit: hist[i].Commit, Score: hist[i].Score})
	}
	return ps, nil
}

// LatestScore returns a project's latest aggregate score for its badge:
// from the estate snapshot (at most a TTL old, which a badge shown in
// READMEs can afford), catalog.ScoreNotAvailable when it has none, and
// store.ErrNotFound when id is not a project's.
func (c *Catalog) LatestScore(ctx context.Context, id string) (float64, error) {
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil || n <= 0 {
		return 0, store.ErrNotFound
	}
	e, err := c.Snapshot(ctx)
	if err != nil {
		return 0, err
	}
	e.indexOnce.Do(e.index)
	if e.byID[n] == nil { // newer than the snapshot, or no such project
		hist, err := c.st.ScoreHistory(ctx, n, 1)
		if err != nil {
			return 0, err
		}
		if len(hist) == 1 {
			return hist[0].Score, nil
		}
		if _, err := c.st.Project(ctx, id); err != nil {
			return 0, err
		}
		return catalog.ScoreNotAvailable, nil
	}
	if s, ok := e.scores[n]; ok {
		return s, nil
	}
	return catalog.ScoreNotAvailable, nil
}
