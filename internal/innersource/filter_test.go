package innersource

import (
	"slices"
	"testing"
)

func TestFilter(t *testing.T) {
	cs := []Card{
		{Key: "github.com/acme/market", Name: "market", Description: "Shared UI components", Languages: []string{"TypeScript", "CSS"},
			Topics: []string{"design", "react"}, Owners: []string{"@acme/payments"}},
		{Key: "github.com/acme/ledger", Name: "ledger", Description: "Double-entry ledger service", Languages: []string{"Go"},
			Topics: []string{"payments"}, Owners: []string{"@acme/core-banking", "ann@example.com"}},
		{Key: "github.com/acme/cli", Name: "cli", Languages: []string{"Go"}, Owners: []string{"platform"}},
	}
	for _, tc := range []struct {
		name string
		f    Filter
		want []string
	}{
		{"zero keeps all", Filter{}, []string{"market", "ledger", "cli"}},
		{"blank fields are zero", Filter{Query: "  ", Team: " "}, []string{"market", "ledger", "cli"}},
		{"language, any case", Filter{Language: "go"}, []string{"ledger", "cli"}},
		{"topic (skill)", Filter{Topic: "React"}, []string{"market"}},
		{"team by its last part", Filter{Team: "payments"}, []string{"market"}},
		{"team as written", Filter{Team: "@acme/core-banking"}, []string{"ledger"}},
		{"team without its @", Filter{Team: "acme/payments"}, []string{"market"}},
		{"a person owner", Filter{Team: "ann@example.com"}, []string{"ledger"}},
		{"last part of another team's path is not a team", Filter{Team: "acme"}, nil},
		{"words anywhere: a topic", Filter{Query: "payments"}, []string{"market", "ledger"}},
		{"every word must appear", Filter{Query: "ledger SERVICE"}, []string{"ledger"}},
		{"words and language", Filter{Query: "ledger", Language: "TypeScript"}, nil},
		{"nothing matches", Filter{Language: "Rust"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, c := range tc.f.Apply(cs) {
				got = append(got, c.Name)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("Apply(%+v) = %v, want %v", tc.f, got, tc.want)
			}
		})
	}
}

func TestFacetsOf(t *testing.T) {
	f := FacetsOf([]Card{
		{Languages: []string{"Go", "CSS"}, Topics: []string{"react"}, Owners: []string{"@acme/b"}},
		{Languages: []string{"go", "Awk"}, Topics: []string{"React", "api"}, Owners: []string{"@acme/a", "@acme/b"}},
	})
	if !slices.Equal(f.Languages, []string{"Awk", "CSS", "Go"}) || !slices.Equal(f.Topics, []string{"api", "react"}) ||
		!slices.Equal(f.Teams, []string{"@acme/a", "@acme/b"}) {
		t.Errorf("FacetsOf = %+v", f)
	}
}
