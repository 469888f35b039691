package expertise

import (
	"math"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ospo-project/ospo/internal/catalog"
)

func TestDOA(t *testing.T) {
	tests := []struct {
		created     bool
		own, others int
		want        float64
	}{
		{true, 1, 0, 3.293 + 1.098 + 0.164},
		{false, 0, 0, 3.293},
		{false, 10, 0, 3.293 + 1.64},
		{true, 1, 9, 3.293 + 1.098 + 0.164 - 0.321*math.Log(10)},
		{false, 2, 100, 3.293 + 0.328 - 0.321*math.Log(101)},
	}
	for _, tt := range tests {
		if got := DOA(tt.created, tt.own, tt.others); math.Abs(got-tt.want) > 1e-9 {
			t.Errorf("DOA(%v, %d, %d) = %v, want %v", tt.created, tt.own, tt.others, got, tt.want)
		}
	}
}

func people(names ...string) []catalog.Contribution {
	out := make([]catalog.Contribution, len(names))
	for i, n := range names {
		out[i] = catalog.Contribution{Identity: catalog.Identity{Name: n, Email: n + "@example.com"}, Commits: 1}
	}
	return out
}

func hist(path string, creator int, changes ...int) catalog.FileHistory {
	h := catalog.FileHistory{Path: path, Creator: creator}
	for p, n := range changes {
		if n > 0 {
			h.Authors = append(h.Authors, catalog.FileChanges{Contributor: p, Changes: n})
			h.Changes += n
		}
	}
	return h
}

func TestFileAuthors(t *testing.T) {
	contribs := people("ann", "bob", "cy", "dependabot[bot]")
	tests := []struct {
		name  string
		files []string
		hist  []catalog.FileHistory
		want  map[string][]int
	}{
		{"creator alone", nil, []catalog.FileHistory{hist("a.go", 0, 1)}, map[string][]int{"a.go": {0}}},
		// ann created it once; bob changed it 20 times: bob's DOA
		// (3.293+3.28-0.321·ln2 = 6.35) leaves ann's (4.555-0.321·ln21 =
		// 3.58) below 0.75 of it.
		{"heavy maintainer takes over", nil, []catalog.FileHistory{hist("a.go", 0, 1, 20)}, map[string][]int{"a.go": {1}}},
		// Two near-equal contributors are both authors.
		{"shared", nil, []catalog.FileHistory{hist("a.go", 0, 3, 3)}, map[string][]int{"a.go": {0, 1}}},
		// Many others' changes push a one-time editor under the absolute threshold.
		{"drive-by edit", nil, []catalog.FileHistory{hist("a.go", 0, 10, 0, 1)}, map[string][]int{"a.go": {0}}},
		{"bots never author", nil, []catalog.FileHistory{hist("go.sum", 3, 0, 0, 0, 5), hist("b.go", 3, 1, 0, 0, 1)},
			map[string][]int{"b.go": {0}}},
		{"only files at HEAD", []string{"kept.go"}, []catalog.FileHistory{hist("kept.go", 0, 1), hist("gone.go", 1, 0, 1)},
			map[string][]int{"kept.go": {0}}},
		{"vendored files skipped", nil, []catalog.FileHistory{hist("vendor/x/y.go", 0, 1), hist("node_modules/a/b.js", 0, 1), hist("src/z.go", 2, 0, 0, 1)},
			map[string][]int{"src/z.go": {2}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := FileAuthors(Input{Contributors: contribs, History: tt.hist, Files: tt.files})
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("FileAuthors (-want +got):\n%s", diff)
			}
		})
	}
}

func TestTruckFactor(t *testing.T) {
	tests := []struct {
		name    string
		authors map[string][]int
		tf      int
		key     []int
	}{
		{"nobody", nil, 0, nil},
		{"one person", map[string][]int{"a": {0}, "b": {0}, "c": {0}}, 1, []int{0}},
		// ann's 2 files leave 2 of 4 orphaned (not more than half); bob
		// (tied with cy, lower index) makes it 3 of 4.
		{"greedy", map[string][]int{"a": {0}, "b": {0}, "c": {1}, "d": {2}}, 2, []int{0, 1}},
		// Every file has two authors: nothing is orphaned until both go.
		{"pairs", map[string][]int{"a": {0, 1}, "b": {0, 1}, "c": {2}}, 2, []int{0, 1}},
		{"spread", map[string][]int{"a": {0}, "b": {1}, "c": {2}, "d": {3}, "e": {4}}, 3, []int{0, 1, 2}},
	}
	for _, tt := range tests {
		tf, key := TruckFactor(tt.authors)
		if tf != tt.tf || !cmp.Equal(key, tt.key) {
			t.Errorf("%s: TruckFactor = %d %v, want %d %v", tt.name, tf, key, tt.tf, tt.key)
		}
	}
}

func TestAbsenceFactor(t *testing.T) {
	with := func(commits ...int) []catalog.Contribution {
		cs := people("a", "b", "c", "d", "renovate[bot]")
		for i := range cs {
			cs[i].Commits = 0
		}
		for i, n := range commits {
			cs[i].Commits = n
		}
		return cs
	}
	tests := []struct {
		contribs []catalog.Contribution
		want     int
	}{
		{nil, 0},
		{with(10, 5, 3, 2), 1},
		{with(5, 5, 5, 5), 2},
		{with(3, 3, 3, 1), 2},
		{with(1, 1, 1, 1, 100), 2}, // the bot's commits do not count
	}
	for _, tt := range tests {
		if got := AbsenceFactor(tt.contribs); got != tt.want {
			t.Errorf("AbsenceFactor(%v) = %d, want %d", tt.contribs, got, tt.want)
		}
	}
}

func TestCompute(t *testing.T) {
	contribs := people("ann", "bob")
	day := func(d int) time.Time { return time.Date(2024, 5, d, 0, 0, 0, 0, time.UTC) }
	history := []catalog.FileHistory{
		{Path: "cmd/tool/main.go", Changes: 1, Creator: 0, Authors: []catalog.FileChanges{{Contributor: 0, Changes: 1, Last: day(1)}}},
		{Path: "cmd/tool/deep/x.go", Changes: 2, Creator: 0, Authors: []catalog.FileChanges{{Contributor: 0, Changes: 2, Last: day(3)}}},
		{Path: "lib.go", Changes: 1, Creator: 1, Authors: []catalog.FileChanges{{Contributor: 1, Changes: 1, Last: day(2)}}},
	}
	got := Compute(Input{Contributors: contribs, History: history})
	ann, bob := contribs[0].Identity, contribs[1].Identity
	want := catalog.Expertise{
		Files: 3, TruckFactor: 1, KeyPeople: []catalog.Identity{ann}, AbsenceFactor: 1,
		Authors: []catalog.Author{
			{Identity: ann, Files: 2, Share: 2.0 / 3, LastChange: day(3)},
			{Identity: bob, Files: 1, Share: 1.0 / 3, LastChange: day(2)},
		},
		Dirs: []catalog.DirAuthorship{
			{Dir: "cmd/tool", Files: 2, Authors: []catalog.Author{{Identity: ann, Files: 2, Share: 1, LastChange: day(3)}}},
			{Dir: "", Files: 1, Authors: []catalog.Author{{Identity: bob, Files: 1, Share: 1, LastChange: day(2)}}},
		},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Compute (-want +got):\n%s", diff)
	}
}

// TestComputeMergesIdentities checks that one person's two spellings
// author together: apart, neither passes the share threshold on the
// shared file and the truck factor would count them twice.
func TestComputeMergesIdentities(t *testing.T) {
	contribs := []catalog.Contribution{
		{Identity: catalog.Identity{Name: "TJ Holowaychuk", Email: "tj@vision-media.ca"}, Commits: 30},
		{Identity: catalog.Identity{Name: "Tj Holowaychuk", Email: "tj@vision-media.ca"}, Commits: 20},
		{Identity: catalog.Identity{Name: "Doug Wilson", Email: "doug@somethingdoug.com"}, Commits: 10},
	}
	history := []catalog.FileHistory{
		hist("a.js", 0, 5, 5, 0),
		hist("b.js", 1, 0, 3, 0),
		hist("c.js", 2, 0, 0, 4),
	}
	got := Compute(Input{Contributors: contribs, History: history})
	if got.TruckFactor != 1 || len(got.KeyPeople) != 1 || got.KeyPeople[0].Email != "tj@vision-media.ca" {
		t.Errorf("truck factor %d %v, want 1 (tj, both spellings)", got.TruckFactor, got.KeyPeople)
	}
	if len(got.Authors) != 2 || got.Authors[0].Files != 2 {
		t.Errorf("authors = %+v, want tj with 2 files, then doug", got.Authors)
	}
}
