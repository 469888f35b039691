package recommend

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestKeepBestIsTopK checks that keeping the k best candidates one at a
// time (Similar) gives what sorting them all gives (topK), ties included.
func TestKeepBestIsTopK(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 9))
	for _, tc := range []struct{ n, k, scores int }{
		{0, 10, 5}, {1, 10, 5}, {9, 10, 3}, {10, 10, 3}, {11, 10, 3}, {500, 1, 4}, {500, 3, 2}, {5000, 10, 50}, {200, 300, 1000},
	} {
		var cands []scored
		for i := range tc.n {
			cands = append(cands, scored{idx: int32(rng.IntN(tc.n * 2)), score: float64(rng.IntN(tc.scores)) / 7, via: int32(i)})
		}
		// Indices are unique among a model's candidates.
		slices.SortFunc(cands, func(a, b scored) int { return int(a.idx - b.idx) })
		cands = slices.CompactFunc(cands, func(a, b scored) bool { return a.idx == b.idx })
		rng.Shuffle(len(cands), func(i, j int) { cands[i], cands[j] = cands[j], cands[i] })
		var best []scored
		for _, c := range cands {
			best = keepBest(best, c, tc.k)
		}
		want := topK(slices.Clone(cands), tc.k)
		if !slices.Equal(best, want) {
			t.Errorf("n=%d k=%d: keepBest %v, topK %v", tc.n, tc.k, best, want)
		}
	}
}
