package scan_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ospo-project/ospo/internal/analyze"
	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/scan"
)

// memSink records what Save writes. A batch holding a project named
// "bad…" fails as a whole, as a store transaction would.
type memSink struct {
	next    int64
	batches [][]string // the project names of each ReplaceProjects call that succeeded
	scores  map[string]int64
	touched []string
}

func (m *memSink) TouchProjects(_ context.Context, keys []string, _ time.Time) (int, error) {
	m.touched = append(m.touched, keys...)
	return len(keys), nil
}

func (m *memSink) ReplaceProjects(_ context.Context, rs []catalog.Scanned) ([]int64, error) {
	var names []string
	for _, r := range rs {
		if strings.HasPrefix(r.Project.Name, "bad") {
			return nil, errors.New("constraint failed")
		}
		names = append(names, r.Project.Name)
	}
	ids := make([]int64, len(rs))
	for i, r := range rs {
		m.next++
		ids[i] = m.next
		if r.Score != nil {
			m.scores[r.Project.Name] = m.next
		}
	}
	m.batches = append(m.batches, names)
	return ids, nil
}

func TestSaveBatches(t *testing.T) {
	scanned := func(name string) scan.Result {
		p := &catalog.Project{Key: "example.com/" + name, Name: name}
		res := &analyze.Result{Project: p}
		if strings.HasSuffix(name, "0") {
			res.Scorecard = &catalog.Scorecard{Score: 5}
		}
		return scan.Result{Key: p.Key, Project: p, Analysis: res}
	}
	names := func(prefix string, n int) []string {
		var out []string
		for i := range n {
			out = append(out, fmt.Sprintf("%s%d", prefix, i))
		}
		return out
	}
	tests := []struct {
		name    string
		wait    time.Duration // saveWait; an hour if zero
		results []string      // "=x" is unchanged, "!x" an analysis that failed
		wantErr string        // of emit, or of flush if emit never failed
		batches [][]string
		saved   []string
		touched []string
	}{
		{name: "one batch", results: []string{"a0", "=u", "b1", "c2"},
			batches: [][]string{{"a0", "b1", "c2"}}, saved: []string{"a0", "b1", "c2"}, touched: []string{"example.com/u"}},
		{name: "full batches then the rest at flush", results: names("p", 70),
			batches: [][]string{names("p", 70)[:16], names("p", 70)[16:32], names("p", 70)[32:48], names("p", 70)[48:64], names("p", 70)[64:]}, saved: names("p", 70)},
		{name: "a failing project loses none before it", results: []string{"a0", "b1", "bad", "c2"},
			wantErr: "save bad: constraint failed", batches: [][]string{{"a0"}, {"b1"}}, saved: []string{"a0", "b1"}},
		{name: "a failed analysis after the pending are stored", results: []string{"a0", "b1", "!x", "c2"},
			wantErr: "analyse !x: no advisories", batches: [][]string{{"a0", "b1"}}, saved: []string{"a0", "b1"}},
		{name: "no wait: one project a batch", wait: -1, results: []string{"a0", "b1", "c2"},
			batches: [][]string{{"a0"}, {"b1"}, {"c2"}}, saved: []string{"a0", "b1", "c2"}},
		{name: "nothing scanned", results: []string{"=u", "=v"}, touched: []string{"example.com/u", "example.com/v"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wait := tt.wait
			if wait == 0 {
				wait = time.Hour // the batches do not depend on the machine's speed
			}
			defer scan.SetSaveWait(wait)()
			sink := &memSink{scores: map[string]int64{}}
			var saved []string
			emit, flush := scan.Save(context.Background(), sink, time.Now(), func(r scan.Result) {
				saved = append(saved, r.Project.Name)
				if r.Project.ID == 0 {
					t.Errorf("%s saved without its ID", r.Project.Name)
				}
				if c := r.Analysis.Scorecard; c != nil && c.ProjectID != r.Project.ID {
					t.Errorf("%s's scorecard has project ID %d, want %d", r.Project.Name, c.ProjectID, r.Project.ID)
				}
			})
			var err error
			for _, n := range tt.results {
				var r scan.Result
				switch {
				case strings.HasPrefix(n, "="):
					r = scan.Result{Key: "example.com/" + n[1:], Unchanged: true}
				case strings.HasPrefix(n, "!"):
					r = scanned(n)
					r.Err = errors.New("no advisories")
				default:
					r = scanned(n)
				}
				if err = emit(r); err != nil {
					break
				}
			}
			if err == nil {
				err = flush()
			}
			if got := fmt.Sprint(err); (tt.wantErr == "" && err != nil) || (tt.wantErr != "" && got != tt.wantErr) {
				t.Fatalf("error = %v, want %q", err, tt.wantErr)
			}
			if diff := cmp.Diff(tt.batches, sink.batches); diff != "" {
				t.Errorf("batches written (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.saved, saved); diff != "" {
				t.Errorf("saved (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.touched, sink.touched); diff != "" {
				t.Errorf("touched (-want +got):\n%s", diff)
			}
			for name := range sink.scores {
				if !strings.HasSuffix(name, "0") || !slices.Contains(saved, name) {
					t.Errorf("%s got a scorecard stored", name)
				}
			}
		})
	}
}
