package events

import (
	"math/rand"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ospo-project/ospo/internal/catalog"
)

func TestDeriveForge(t *testing.T) {
	at := func(d int) time.Time { return base.AddDate(0, 0, d) }
	project := &catalog.Project{Key: "git.example.com/acme/pay", Name: "pay",
		Owners: []catalog.Owner{{Owner: "@acme/payments"}, {Owner: "lead@acme.example"}}}
	repo := catalog.ForgeRepo{Source: "gh", ID: 1, ProjectKey: project.Key, FullName: "acme/pay"}
	logins := map[string]string{"rev": "rev@acme.example", "mate": "mate@acme.example", "lead": "lead@acme.example",
		"dev": "dev@acme.example", "renovate-bot": "renovate@acme.example", "loner": "loner@acme.example",
		"dependabot[bot]": "dependabot@acme.example"}
	teams := map[string][]string{"rev@acme.example": {"ledger"}, "mate@acme.example": {"payments"},
		"dev@acme.example": {"ledger"}, "lead@acme.example": {"platform"},
		"renovate@acme.example": {"ledger"}, "dependabot@acme.example": {"ledger"}}
	pr := func(n int64, author string, merged bool, reviews ...catalog.Review) catalog.ForgeItem {
		it := catalog.ForgeItem{Kind: catalog.ItemPullRequest, Number: n, Author: author, State: "open", Title: "change",
			URL: "https://git.example.com/acme/pay/pull/" + string(rune('0'+n)), UpdatedAt: at(9), Reviews: reviews}
		if merged {
			it.State, it.MergedAt = "merged", at(10)
		}
		return it
	}
	rv := func(who, state string, d int) catalog.Review {
		return catalog.Review{Author: who, State: state, SubmittedAt: at(d)}
	}
	type got struct{ Kind, Email string }
	tests := []struct {
		name     string
		project  *catalog.Project
		items    []catalog.ForgeItem
		upstream []Approval
		want     []got
	}{
		{"approval by another team counts once however many reviews", project,
			[]catalog.ForgeItem{pr(1, "mate", false, rv("rev", "COMMENTED", 1), rv("rev", "APPROVED", 2), rv("rev", "APPROVED", 3))},
			nil, []got{{KindReview, "rev@acme.example"}}},
		{"changes requested count only once merged", project,
			[]catalog.ForgeItem{pr(1, "mate", false, rv("rev", "CHANGES_REQUESTED", 1)), pr(2, "mate", true, rv("dev", "CHANGES_REQUESTED", 1))},
			nil, []got{{KindReview, "dev@acme.example"}}},
		{"comments, dismissed and pending reviews earn nothing", project,
			[]catalog.ForgeItem{pr(1, "mate", true, rv("rev", "COMMENTED", 1), rv("dev", "DISMISSED", 1), rv("rev", "PENDING", 2))},
			nil, nil},
		{"own team, owner e-mail, own pull request, unknown team or login, bots: nothing", project,
			[]catalog.ForgeItem{pr(1, "rev", true, rv("mate", "APPROVED", 1), rv("lead", "APPROVED", 1), rv("rev", "APPROVED", 1),
				rv("loner", "APPROVED", 1), rv("stranger", "APPROVED", 1), rv("dependabot[bot]", "APPROVED", 1), rv("renovate-bot", "APPROVED", 1))},
			nil, nil},
		{"a project nobody owns gets no review events", &catalog.Project{Key: project.Key, Name: "pay"},
			[]catalog.ForgeItem{pr(1, "mate", true, rv("rev", "APPROVED", 1))}, nil, nil},
		{"merged upstream while approved", nil,
			[]catalog.ForgeItem{pr(1, "dev", true), pr(2, "dev", false), pr(3, "stranger", true), pr(4, "dependabot[bot]", true)},
			[]Approval{{From: at(5), Evidence: "request 3"}}, []got{{KindUpstream, "dev@acme.example"}}},
		{"merged before the approval or after it expired: nothing", nil,
			[]catalog.ForgeItem{pr(1, "dev", true)},
			[]Approval{{From: at(11), Evidence: "request 3"}, {From: at(1), Until: at(10), Evidence: "request 2"}}, nil},
		{"not an approved external project: no upstream event", nil,
			[]catalog.ForgeItem{pr(1, "dev", true)}, nil, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			evs := DeriveForge(ForgeInput{Repo: repo, Project: tc.project, Items: tc.items, Logins: logins, Teams: teams, Upstream: tc.upstream})
			var g []got
			for _, e := range evs {
				g = append(g, got{e.Kind, e.Email})
				if e.Source != catalog.EventForge || e.ProjectKey != repo.ProjectKey || e.Points != points(e.Kind) || len(e.Evidence) == 0 {
					t.Errorf("event %+v: source, project, points or evidence wrong", e)
				}
			}
			if diff := cmp.Diff(tc.want, g); diff != "" {
				t.Errorf("events (-want +got):\n%s", diff)
			}
		})
	}
}

// TestForgeReplayAwardsNothingTwice: the items of a repository arrive in
// random syncs (a pull request seen open and approved, then merged with more
// reviews; syncs repeated); the union of the events of every sync is the set
// of events of one derivation over the final items, by ID.
func TestForgeReplayAwardsNothingTwice(t *testing.T) {
	project := &catalog.Project{Key: "k", Name: "pay", Owners: []catalog.Owner{{Owner: "@acme/payments"}}}
	logins := map[string]string{"a": "a@x.example", "b": "b@x.example", "c": "c@x.example"}
	teams := map[string][]string{"a@x.example": {"ledger"}, "b@x.example": {"ledger"}, "c@x.example": {"payments"}}
	rng := rand.New(rand.NewSource(17))
	states := []string{"APPROVED", "CHANGES_REQUESTED", "COMMENTED"}
	logs := []string{"a", "b", "c"}
	for round := 0; round < 50; round++ {
		// The final state: up to 6 pull requests with up to 4 reviews each.
		var final []catalog.ForgeItem
		for n := int64(1); n <= int64(1+rng.Intn(6)); n++ {
			it := catalog.ForgeItem{Kind: catalog.ItemPullRequest, Number: n, Author: logs[rng.Intn(3)], UpdatedAt: base}
			for r := 0; r < rng.Intn(5); r++ {
				it.Reviews = append(it.Reviews, catalog.Review{Author: logs[rng.Intn(3)], State: states[rng.Intn(3)],
					SubmittedAt: base.Add(time.Duration(r) * time.Hour)})
			}
			if rng.Intn(2) == 0 {
				it.MergedAt = base.AddDate(0, 0, 1)
			}
			final = append(final, it)
		}
		in := ForgeInput{Repo: catalog.ForgeRepo{ProjectKey: "k", FullName: "acme/pay"}, Project: project, Logins: logins, Teams: teams,
			Upstream: []Approval{{From: base}}}
		in.Items = final
		want := map[string]bool{}
		for _, e := range DeriveForge(in) {
			if want[e.ID] {
				t.Fatalf("round %d: one derivation gave %s twice", round, e.ID)
			}
			want[e.ID] = true
		}
		// Syncs that saw a prefix of each pull request's reviews, open.
		recorded := map[string]bool{}
		for s := 0; s < 1+rng.Intn(4); s++ {
			var partial []catalog.ForgeItem
			for _, it := range final {
				p := it
				p.Reviews = it.Reviews[:rng.Intn(len(it.Reviews)+1)]
				p.MergedAt = time.Time{}
				partial = append(partial, p)
			}
			in.Items = partial
			for _, e := range DeriveForge(in) {
				recorded[e.ID] = true
			}
		}
		in.Items = final
		for i := 0; i < 2; i++ {
			for _, e := range DeriveForge(in) {
				recorded[e.ID] = true
			}
		}
		if diff := cmp.Diff(want, recorded); diff != "" {
			t.Fatalf("round %d: events of repeated syncs differ from one derivation (-want +got):\n%s", round, diff)
		}
	}
}

func TestLogins(t *testing.T) {
	people := []catalog.Person{
		{ID: "jane", Email: "jane@acme.example", Identities: []catalog.Identity{
			{Email: "jane@acme.example"}, {Email: "1234+JDoe@users.noreply.github.com"}}},
		{ID: "bob", Email: "bob@acme.example", Identities: []catalog.Identity{{Email: "bsmith@users.noreply.github.com"}}},
		{ID: "bot", Email: "ci@acme.example", Bot: true, Identities: []catalog.Identity{{Email: "ci-bot@users.noreply.github.com"}}},
		{ID: "twin", Email: "twin@other.example", Identities: []catalog.Identity{{Email: "twin@users.noreply.github.com"}}},
	}
	entities := []catalog.Entity{
		{Kind: "User", Name: "ada", Email: "Ada@acme.example"},
		{Kind: "User", Name: "twin", Email: "twin@acme.example"},
		{Kind: "Group", Name: "payments", Email: "payments@acme.example"},
	}
	got := Logins(map[string]string{"BSmith": "bob.smith@acme.example"}, people, entities)
	want := map[string]string{"jdoe": "jane@acme.example", "bsmith": "bob.smith@acme.example", "ada": "ada@acme.example"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("logins (-want +got):\n%s", diff)
	}
}
