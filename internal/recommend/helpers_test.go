package recommend_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/recommend"
)

func TestHelpers(t *testing.T) {
	ids := func(items []recommend.Item) []string {
		var out []string
		for _, it := range items {
			out = append(out, it.ID)
		}
		return out
	}
	cobra := recommend.Estate{People: []recommend.Person{{ID: "fay", Name: "Fay", Email: "fay@x"}},
		Projects: []recommend.Project{{ID: 9, Name: "cli", Techs: []recommend.Tech{{ID: "pkg:golang/github.com/spf13/cobra", Name: "github.com/spf13/cobra"}},
			Contributors: []recommend.Contribution{contrib("fay", 10, 1)}}}}
	tests := []struct {
		name   string
		estate recommend.Estate
		skills []string
		skip   string
		limit  int
		want   []string
	}{
		// bob and dan know both (bob used zap more recently), cat only zap.
		{"most skills first, then recency", small(), []string{"zap", "SQLX"}, "", 10, []string{"bob", "dan", "cat"}},
		{"by package URL, most recent use first", small(), []string{"pkg:golang/sqlx"}, "", 10, []string{"dan", "bob"}},
		{"limit", small(), []string{"zap", "sqlx"}, "", 1, []string{"bob"}},
		{"skipped people", small(), []string{"zap", "sqlx"}, "bob", 10, []string{"dan", "cat"}},
		{"nobody knows it", small(), []string{"haskell"}, "", 10, nil},
		{"last segment of a package name", cobra, []string{"cobra"}, "", 10, []string{"fay"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := recommend.Build(tc.estate, now)
			got := m.Helpers(tc.skills, func(p recommend.Person) bool { return p.ID == tc.skip }, tc.limit)
			if d := cmp.Diff(tc.want, ids(got)); d != "" {
				t.Errorf("helpers (-want +got):\n%s", d)
			}
			for _, it := range got {
				if it.Kind != recommend.KindPerson || it.Why == "" || it.Email == "" {
					t.Errorf("item %+v", it)
				}
			}
		})
	}
	e := small()
	e.OptOuts = map[string]catalog.OptOut{"bob": {PersonID: "bob", Experts: true}, "cat": {PersonID: "cat", Recommendations: true}}
	if d := cmp.Diff([]string{"dan"}, ids(recommend.Build(e, now).Helpers([]string{"zap"}, nil, 10))); d != "" {
		t.Errorf("opted-out people are offered (-want +got):\n%s", d)
	}
}
