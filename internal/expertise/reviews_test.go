package expertise

import (
	"encoding/json"
	"math"
	"os"
	"testing"
	"time"

	"github.com/ospo-project/ospo/internal/catalog"
)

// fixtureReview is the review of GitHub's published example answer
// (internal/source/github/testdata/api/pull-request-review-items.json):
// octocat approved, 2019-11-17.
func fixtureReview(t *testing.T) catalog.Review {
	t.Helper()
	b, err := os.ReadFile("../source/github/testdata/api/pull-request-review-items.json")
	if err != nil {
		t.Fatal(err)
	}
	var rs []struct {
		User struct {
			Login string `json:"login"`
		} `json:"user"`
		State       string    `json:"state"`
		SubmittedAt time.Time `json:"submitted_at"`
	}
	if err := json.Unmarshal(b, &rs); err != nil || len(rs) == 0 {
		t.Fatalf("fixture: %v (%d reviews)", err, len(rs))
	}
	return catalog.Review{Author: rs[0].User.Login, State: rs[0].State, SubmittedAt: rs[0].SubmittedAt}
}

func TestReviewsAreEvidence(t *testing.T) {
	r := fixtureReview(t) // octocat
	now := r.SubmittedAt  // the review is fresh
	people := []catalog.Person{
		{ID: "p-octo", Name: "The Octocat", Email: "octocat@acme.example"},
		{ID: "p-ann", Name: "Ann", Email: "ann@acme.example", Identities: []catalog.Identity{{Name: "Ann", Email: "583231+ann-gh@users.noreply.github.com"}}},
		{ID: "p-bot", Name: "dependabot", Email: "dependabot@acme.example", Bot: true},
	}
	logins := map[string]int{"octocat": 0, "ann-gh": 1}
	person := func(login string) (catalog.Person, bool) {
		i, ok := logins[login]
		if !ok {
			return catalog.Person{}, false
		}
		return people[i], true
	}
	annReview := catalog.Review{Author: "ann-gh", State: "APPROVED", SubmittedAt: now}
	items := []catalog.ForgeItem{
		{Kind: catalog.ItemPullRequest, Number: 1, Author: "ann-gh", Reviews: []catalog.Review{r, r, annReview}}, // ann's own review does not count
		{Kind: catalog.ItemPullRequest, Number: 2, Author: "octocat", Reviews: []catalog.Review{annReview, {Author: "renovate[bot]"}, {Author: "stranger", SubmittedAt: now}}},
		{Kind: catalog.ItemIssue, Number: 3, Reviews: []catalog.Review{annReview}}, // not a pull request
	}
	revs := Reviewers(items, person)
	want := []Reviewer{
		{Login: "octocat", Identity: catalog.Identity{Name: "The Octocat", Email: "octocat@acme.example"}, PersonID: "p-octo", Reviews: 2, Last: now},
		{Login: "ann-gh", Identity: catalog.Identity{Name: "Ann", Email: "ann@acme.example"}, PersonID: "p-ann", Reviews: 1, Last: now},
		{Login: "stranger", Identity: catalog.Identity{Name: "stranger"}, Reviews: 1, Last: now},
	}
	if len(revs) != len(want) {
		t.Fatalf("Reviewers = %+v, want %+v", revs, want)
	}
	for i := range want {
		if revs[i] != want[i] {
			t.Errorf("Reviewers[%d] = %+v, want %+v", i, revs[i], want[i])
		}
	}
	// Ann wrote 40% of the code; octocat wrote none but made half of the
	// reviews: 0.5 × 2/4 = 0.25; ann adds 0.5 × 1/4.
	got := Rank([]ProjectAuthors{{ID: 7, Name: "hello-world", Reviewers: revs,
		Authors: []catalog.Author{{Identity: catalog.Identity{Name: "Ann", Email: "ann@acme.example"}, PersonID: "p-ann", Files: 4, Share: 0.4, LastChange: now}}}}, now, 0)
	scores := map[string]float64{}
	for _, e := range got {
		key := e.PersonID
		if key == "" {
			key = e.Name
		}
		scores[key] = e.Score
		if key == "p-octo" && (len(e.Evidence) != 1 || e.Evidence[0].Reviews != 2 || e.Evidence[0].Files != 0 || !e.Evidence[0].LastReview.Equal(now)) {
			t.Errorf("octocat's evidence: %+v", e.Evidence)
		}
		if key == "p-ann" && (len(e.Evidence) != 1 || e.Evidence[0].Reviews != 1 || e.Evidence[0].Files != 4) {
			t.Errorf("ann's evidence (authorship and reviews of one project): %+v", e.Evidence)
		}
	}
	for key, w := range map[string]float64{"p-ann": 0.4 + 0.125, "p-octo": 0.25, "stranger": 0.125} {
		if math.Abs(scores[key]-w) > 1e-9 {
			t.Errorf("%s scores %.4f, want %.4f", key, scores[key], w)
		}
	}
	if got[0].PersonID != "p-ann" || got[1].PersonID != "p-octo" {
		t.Errorf("order: %+v", got)
	}
}
