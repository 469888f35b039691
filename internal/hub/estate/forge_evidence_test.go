package estate_test

import (
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/hub/estate"
	"github.com/ospo-project/ospo/internal/recommend"
	"github.com/ospo-project/ospo/internal/store"
	"github.com/ospo-project/ospo/internal/store/teststore"
)

// githubFixture reads GitHub's published example answers that the GitHub
// source is tested with (internal/source/github/testdata/api): the issue
// (#1347 "Found a bug", open, labelled bug, by octocat) and the review
// (octocat approved).
func githubFixture(t *testing.T) (catalog.ForgeItem, catalog.Review) {
	t.Helper()
	read := func(name string, v any) {
		b, err := os.ReadFile("../../source/github/testdata/api/" + name)
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(b, v); err != nil {
			t.Fatal(err)
		}
	}
	type user struct {
		Login string `json:"login"`
	}
	var is []struct {
		Number  int64  `json:"number"`
		Title   string `json:"title"`
		State   string `json:"state"`
		HTMLURL string `json:"html_url"`
		User    user   `json:"user"`
		Labels  []struct {
			Name string `json:"name"`
		} `json:"labels"`
	}
	read("issue-items.json", &is)
	var rs []struct {
		User        user      `json:"user"`
		State       string    `json:"state"`
		SubmittedAt time.Time `json:"submitted_at"`
	}
	read("pull-request-review-items.json", &rs)
	if len(is) == 0 || len(rs) == 0 {
		t.Fatal("fixtures: no issue or no review")
	}
	it := catalog.ForgeItem{Kind: catalog.ItemIssue, Number: is[0].Number, Title: is[0].Title, State: is[0].State,
		URL: is[0].HTMLURL, Author: is[0].User.Login}
	for _, l := range is[0].Labels {
		it.Labels = append(it.Labels, l.Name)
	}
	return it, catalog.Review{Author: rs[0].User.Login, State: rs[0].State, SubmittedAt: rs[0].SubmittedAt}
}

// TestForgeEvidence checks, on both stores, what a forge source's facts
// add: the reviewer of a project's pull requests is among the people who
// know a package it uses (with their reviews as evidence) though they
// wrote none of its code, and an InnerSource project with a good first
// issue is recommended first, the issue named.
func TestForgeEvidence(t *testing.T) {
	issue, review := githubFixture(t)
	teststore.Each(t, func(t *testing.T, st store.Store) {
		ctx := context.Background()
		ana := catalog.Identity{Name: "Ana", Email: "ana@acme.example"}
		bob := catalog.Identity{Name: "Bob", Email: "bob@acme.example"}
		cat := catalog.Identity{Name: "Cat", Email: "cat@acme.example"}
		// The Octocat commits with a no-reply address: that is how their
		// login is known.
		octo := catalog.Identity{Name: "The Octocat", Email: "583231+octocat@users.noreply.github.com"}
		at := review.SubmittedAt
		dep := func(name string) catalog.Dependency {
			return catalog.Dependency{Ecosystem: "Go", Name: name, Version: "v1.0.0", PURL: "pkg:golang/" + name + "@v1.0.0",
				Direct: true, Manifest: "go.mod"}
		}
		contrib := func(id catalog.Identity) []catalog.Contribution {
			return []catalog.Contribution{{Identity: id, Commits: 5, FirstCommit: at.AddDate(-1, 0, 0), LastCommit: at}}
		}
		projects := []*catalog.Project{
			{Key: "github.com/acme/mine", Name: "mine", Path: "/src/mine", Contributors: contrib(ana),
				Dependencies: []catalog.Dependency{dep("gin"), dep("zap")}},
			// alpha first: without its issue hello-world would come second.
			{Key: "github.com/acme/alpha", Name: "alpha", Path: "/src/alpha", Kind: catalog.KindInnerSource,
				Contributors: contrib(cat), Dependencies: []catalog.Dependency{dep("gin"), dep("zap")}},
			{Key: "github.com/octocat/Hello-World", Name: "hello-world", Path: "/src/hello", Kind: catalog.KindInnerSource,
				Contributors: append(contrib(bob), contrib(octo)...), Dependencies: []catalog.Dependency{dep("gin"), dep("zap")},
				Expertise: &catalog.Expertise{Files: 10, TruckFactor: 1, KeyPeople: []catalog.Identity{bob},
					Authors: []catalog.Author{{Identity: bob, Files: 10, Share: 1, LastChange: at}}}},
		}
		// Other projects, so that gin and zap are not what every project uses.
		for _, n := range []string{"tools", "docs", "site"} {
			projects = append(projects, &catalog.Project{Key: "github.com/acme/" + n, Name: n, Path: "/src/" + n,
				Contributors: contrib(cat), Dependencies: []catalog.Dependency{dep("cobra")}})
		}
		for _, p := range projects {
			p.ScannerVersion = catalog.ScannerVersion
			if _, err := st.ReplaceProject(ctx, p); err != nil {
				t.Fatal(err)
			}
		}
		var people []catalog.Person
		for _, id := range []catalog.Identity{ana, bob, cat, octo} {
			people = append(people, catalog.Person{ID: strings.ToLower(strings.Fields(id.Name)[len(strings.Fields(id.Name))-1]),
				Name: id.Name, Email: id.Email, Identities: []catalog.Identity{id}})
		}
		if err := st.ReplacePeople(ctx, people); err != nil {
			t.Fatal(err)
		}
		wanted := issue
		wanted.Labels = append(wanted.Labels, "good first issue")
		pr := catalog.ForgeItem{Kind: catalog.ItemPullRequest, Number: 1348, Title: "Fix the bug", State: "merged", Author: "bob-gh",
			CreatedAt: at.Add(-time.Hour), Reviews: []catalog.Review{review}}
		repo := catalog.ForgeRepo{Source: "github", ID: 1296269, ProjectKey: "github.com/octocat/Hello-World", FullName: "octocat/Hello-World"}
		if err := st.ReplaceForgeRepo(ctx, repo, []string{catalog.ItemIssue, catalog.ItemPullRequest}, []catalog.ForgeItem{wanted, pr}); err != nil {
			t.Fatal(err)
		}

		c := estate.New(st, time.Hour)
		tech, err := c.Technology(ctx, "pkg:golang/gin")
		if err != nil {
			t.Fatal(err)
		}
		var octoEv *catalog.ExpertEvidence
		for _, x := range tech.Authorship {
			if x.PersonID == "octocat" {
				octoEv = &x.Evidence[0]
			}
		}
		if octoEv == nil || octoEv.Reviews != 1 || octoEv.Files != 0 || octoEv.Project != "hello-world" || !octoEv.LastReview.Equal(at) {
			t.Errorf("who knows gin: %+v, want the octocat by 1 review of hello-world", tech.Authorship)
		}

		r, err := c.Recommendations(ctx, "ana", recommend.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if len(r.Projects) == 0 || r.Projects[0].Name != "hello-world" || r.Projects[0].HelpWanted == nil ||
			!strings.Contains(r.Projects[0].Why, `#1347 "Found a bug" (good first issue)`) {
			t.Errorf("projects for ana: %+v, want hello-world first, asking for help with #1347", r.Projects)
		}
	})
}
