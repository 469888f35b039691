package hub_test

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ospo-project/ospo/internal/catalog"
)

// TestSourcesAndForge checks the sources page and API, and the forge facts
// on a project's page and in the API, on both stores, with hostile text
// escaped.
func TestSourcesAndForge(t *testing.T) {
	eachStore(t, func(t *testing.T, open opener) {
		ctx := context.Background()
		f := newFixture(t, open)
		srv := newServer(t, f.st)

		// Before any sync.
		if r := do(t, srv, "GET", "/sources"); r.status != 200 || !strings.Contains(r.body, "No source has synced yet") {
			t.Errorf("GET /sources before a sync: %d\n%s", r.status, r.body)
		}
		if r := do(t, srv, "GET", "/api/v1/sources"); r.status != 200 || strings.TrimSpace(r.body) != "[]" {
			t.Errorf("GET /api/v1/sources before a sync: %d %s", r.status, r.body)
		}

		at := time.Date(2025, 5, 6, 7, 8, 0, 0, time.UTC)
		for _, st := range []catalog.SourceState{
			{Name: "gh", Kind: catalog.SourceGitHub, Status: catalog.SyncOK, LastAttempt: at, LastSuccess: at,
				Rate: catalog.RateLimit{Limit: 5000, Remaining: 4321, Reset: at.Add(time.Hour)}, Requests: 3, NotModified: 2},
			{Name: "portal", Kind: catalog.SourceBackstage, Status: catalog.SyncFailed, LastAttempt: at,
				LastError: `GET https://backstage/api: 502 <script>alert(1)</script>`},
		} {
			if err := f.st.SaveSourceState(ctx, st); err != nil {
				t.Fatal(err)
			}
		}
		repo := catalog.ForgeRepo{Source: "gh", ID: 42, ProjectKey: "github.com/acme/alpha", FullName: "acme/alpha",
			URL: "https://github.com/acme/alpha", Visibility: "public", Stars: 123, Forks: 7, Watchers: 9, License: "MIT",
			PushedAt: at}
		items := []catalog.ForgeItem{
			{Kind: catalog.ItemPullRequest, Number: 7, Title: "Add <b>bold</b> things", State: "open", Author: "octocat",
				URL: "javascript:alert(1)", CreatedAt: at.Add(-48 * time.Hour), FirstResponseAt: at.Add(-45 * time.Hour),
				Reviews: []catalog.Review{{Author: "hubot", State: "APPROVED", SubmittedAt: at.Add(-45 * time.Hour)}}},
			{Kind: catalog.ItemIssue, Number: 8, Title: "Crash on start", State: "open", Author: "mona",
				Labels: []string{"good first issue", "help wanted"}, CreatedAt: at.Add(-24 * time.Hour)},
			{Kind: catalog.ItemRelease, Number: 99, Title: "v1.2.0", Tag: "v1.2.0", State: "published", CreatedAt: at},
		}
		if err := f.st.ReplaceForgeRepo(ctx, repo, []string{catalog.ItemPullRequest, catalog.ItemIssue, catalog.ItemRelease}, items); err != nil {
			t.Fatal(err)
		}

		r := do(t, srv, "GET", "/sources")
		for _, want := range []string{"gh", "4321 / 5000", "2025-05-06 07:08 UTC", "3 (2)", "failed",
			"502 &lt;script&gt;alert(1)&lt;/script&gt;", `href="/sources"`} {
			if !strings.Contains(r.body, want) {
				t.Errorf("GET /sources lacks %q", want)
			}
		}
		if strings.Contains(r.body, "<script>alert(1)") {
			t.Error("GET /sources does not escape the error")
		}
		var states []catalog.SourceState
		if r := do(t, srv, "GET", "/api/v1/sources"); json.Unmarshal([]byte(r.body), &states) != nil || len(states) != 2 || states[0].Rate.Remaining != 4321 {
			t.Errorf("GET /api/v1/sources: %s", r.body)
		}

		id := strconv.FormatInt(f.alphaID, 10)
		r = do(t, srv, "GET", "/projects/"+id)
		for _, want := range []string{"On the forge", "acme/alpha", "123 · 7 · 9", "MIT", "1 open pull requests, 1 open issues, 1 good first issues",
			"median time to a first response: 3 hours", "Add &lt;b&gt;bold&lt;/b&gt; things", "hubot (APPROVED)", "good first issue, help wanted", "v1.2.0"} {
			if !strings.Contains(r.body, want) {
				t.Errorf("project page lacks %q", want)
			}
		}
		if strings.Contains(r.body, `href="javascript:`) {
			t.Error("the project page links to a javascript: URL")
		}
		var forge struct {
			Repos        []catalog.ForgeRepo `json:"repos"`
			PullRequests []catalog.ForgeItem `json:"pull_requests"`
			Issues       []catalog.ForgeItem `json:"issues"`
			Releases     []catalog.ForgeItem `json:"releases"`
			GoodFirst    int                 `json:"good_first_issues"`
		}
		r = do(t, srv, "GET", "/api/v1/projects/"+id+"/forge")
		if err := json.Unmarshal([]byte(r.body), &forge); err != nil || len(forge.Repos) != 1 || len(forge.PullRequests) != 1 ||
			len(forge.Issues) != 1 || len(forge.Releases) != 1 || forge.GoodFirst != 1 || forge.PullRequests[0].Reviews[0].Author != "hubot" {
			t.Errorf("GET /api/v1/projects/%s/forge: %v %s", id, err, r.body)
		}
		// A project no source knows: empty lists, no section.
		evil := strconv.FormatInt(f.evilID, 10)
		if r := do(t, srv, "GET", "/api/v1/projects/"+evil+"/forge"); r.status != 200 || !strings.Contains(r.body, `"repos":[]`) {
			t.Errorf("forge of an unknown project: %d %s", r.status, r.body)
		}
		if r := do(t, srv, "GET", "/projects/"+evil); strings.Contains(r.body, "On the forge") {
			t.Error("a project no source knows shows a forge section")
		}
		if r := do(t, srv, "GET", "/api/v1/projects/999999/forge"); r.status != 404 {
			t.Errorf("forge of a missing project: %d", r.status)
		}
	})
}

// TestTracker checks the issue-tracker issues on a linked project's page
// and in the API, on both stores, hostile text escaped; an unlinked
// project shows none.
func TestTracker(t *testing.T) {
	eachStore(t, func(t *testing.T, open opener) {
		ctx := context.Background()
		f := newFixture(t, open)
		srv := newServer(t, f.st)
		at := time.Date(2025, 5, 6, 7, 8, 0, 0, time.UTC)
		issues := []catalog.TrackerIssue{
			{Source: "jira", Key: "PAY-7", Project: "PAY", Summary: `Refund <img src=x onerror=alert(1)> fails`, Type: "Bug",
				Status: "In Progress", StatusCategory: "indeterminate", Priority: "High", Assignee: "Ann Example",
				AssigneeEmail: "ann@example.com", URL: "https://acme.atlassian.net/browse/PAY-7", Updated: at},
			{Source: "jira", Key: "PAY-3", Project: "PAY", Summary: "Old one", Status: "Done", StatusCategory: "done",
				URL: "javascript:alert(1)", Updated: at.Add(-time.Hour), Resolved: at.Add(-time.Hour)},
		}
		if err := f.st.UpsertTrackerIssues(ctx, "jira", issues); err != nil {
			t.Fatal(err)
		}
		alpha, err := f.st.Project(ctx, strconv.FormatInt(f.alphaID, 10))
		if err != nil {
			t.Fatal(err)
		}
		if err := f.st.ReplaceTrackerLinks(ctx, "jira", []catalog.TrackerLink{{Source: "jira", Project: "PAY", ProjectKey: alpha.Key}}); err != nil {
			t.Fatal(err)
		}
		id := strconv.FormatInt(f.alphaID, 10)
		r := do(t, srv, "GET", "/projects/"+id)
		for _, want := range []string{"Issues in the tracker", `href="https://acme.atlassian.net/browse/PAY-7"`,
			"Refund &lt;img src=x onerror=alert(1)&gt; fails", "In Progress", "Ann Example", "Done <span class=\"muted small\">(done)</span>"} {
			if !strings.Contains(r.body, want) {
				t.Errorf("project page lacks %q", want)
			}
		}
		if strings.Contains(r.body, `href="javascript:`) || strings.Contains(r.body, "<img src=x") {
			t.Error("the project page does not escape tracker issues")
		}
		var got []catalog.TrackerIssue
		r = do(t, srv, "GET", "/api/v1/projects/"+id+"/tracker")
		if err := json.Unmarshal([]byte(r.body), &got); err != nil || len(got) != 2 || got[0].Key != "PAY-7" || !got[1].Resolved.Equal(at.Add(-time.Hour)) {
			t.Errorf("GET /api/v1/projects/%s/tracker: %v %s", id, err, r.body)
		}
		evil := strconv.FormatInt(f.evilID, 10)
		if r := do(t, srv, "GET", "/api/v1/projects/"+evil+"/tracker"); r.status != 200 || strings.TrimSpace(r.body) != "[]" {
			t.Errorf("tracker of an unlinked project: %d %s", r.status, r.body)
		}
		if r := do(t, srv, "GET", "/projects/"+evil); strings.Contains(r.body, "Issues in the tracker") {
			t.Error("an unlinked project shows a tracker section")
		}
	})
}

// TestBuilds checks a project's CI builds on its page and in the API, on
// both stores, with their health.
func TestBuilds(t *testing.T) {
	eachStore(t, func(t *testing.T, open opener) {
		ctx := context.Background()
		f := newFixture(t, open)
		srv := newServer(t, f.st)
		alpha, err := f.st.Project(ctx, strconv.FormatInt(f.alphaID, 10))
		if err != nil {
			t.Fatal(err)
		}
		at := time.Date(2025, 5, 6, 7, 8, 0, 0, time.UTC)
		builds := []catalog.Build{
			{Source: "ci", Job: "alpha/<main>", Number: 3, Building: true, Started: at.Add(2 * time.Hour), ProjectKey: alpha.Key},
			{Source: "ci", Job: "alpha/<main>", Number: 2, Result: "FAILURE", Started: at.Add(time.Hour), Duration: 90 * time.Second,
				URL: "https://ci.example.com/job/alpha/2/", Revision: "d27afa0805201322d846d7defc29b82c88d9b5ce", ProjectKey: alpha.Key},
			{Source: "ci", Job: "alpha/<main>", Number: 1, Result: "SUCCESS", Started: at, ProjectKey: alpha.Key},
		}
		if err := f.st.UpsertBuilds(ctx, "ci", builds); err != nil {
			t.Fatal(err)
		}
		id := strconv.FormatInt(f.alphaID, 10)
		r := do(t, srv, "GET", "/projects/"+id)
		for _, want := range []string{"<h2>Builds</h2>", "Last finished build: <strong>FAILURE</strong>", "50% of the last 2 finished builds",
			"alpha/&lt;main&gt;", "building", "d27afa080520", "1m30s"} {
			if !strings.Contains(r.body, want) {
				t.Errorf("project page lacks %q", want)
			}
		}
		var h struct {
			Builds      []catalog.Build `json:"builds"`
			LastResult  string          `json:"last_result"`
			SuccessRate float64         `json:"success_rate"`
		}
		r = do(t, srv, "GET", "/api/v1/projects/"+id+"/builds")
		if err := json.Unmarshal([]byte(r.body), &h); err != nil || len(h.Builds) != 3 || h.LastResult != "FAILURE" || h.SuccessRate != 0.5 {
			t.Errorf("GET /api/v1/projects/%s/builds: %v %s", id, err, r.body)
		}
		evil := strconv.FormatInt(f.evilID, 10)
		if r := do(t, srv, "GET", "/api/v1/projects/"+evil+"/builds"); r.status != 200 || !strings.Contains(r.body, `"builds":[]`) {
			t.Errorf("builds of an unknown project: %d %s", r.status, r.body)
		}
		if r := do(t, srv, "GET", "/projects/"+evil); strings.Contains(r.body, "<h2>Builds</h2>") {
			t.Error("a project no CI knows shows a builds section")
		}
	})
}

// TestArtifacts checks what an artifact repository source brings on a
// technology's page and in the API, on both stores: downloads and builds
// beside the lockfile users of a package the catalogue knows, a page for a
// package only Artifactory knows, the artifacts list, hostile text
// escaped.
func TestArtifacts(t *testing.T) {
	eachStore(t, func(t *testing.T, open opener) {
		ctx := context.Background()
		f := newFixture(t, open)
		srv := newServer(t, f.st)
		alpha, err := f.st.Project(ctx, strconv.FormatInt(f.alphaID, 10))
		if err != nil {
			t.Fatal(err)
		}
		at := time.Date(2025, 5, 6, 7, 8, 0, 0, time.UTC)
		const cobra, leftpad = "pkg:golang/github.com/spf13/cobra", "pkg:npm/left-pad"
		arts := []catalog.Artifact{
			{Source: "rt", Repo: "go-remote", Remote: true, Path: "github.com/spf13/cobra/@v/v1.8.0.zip", Ecosystem: "Go",
				Package: "github.com/spf13/cobra", Version: "v1.8.0", PURL: cobra, Downloads: 12, LastDownloaded: at, LastDownloadedBy: "<b>jdoe</b>"},
			{Source: "rt", Repo: "npm-remote", Remote: true, Path: "left-pad/-/left-pad-1.3.0.tgz", Ecosystem: "npm",
				Package: "left-pad", Version: "1.3.0", PURL: leftpad, Downloads: 99, LastDownloaded: at},
		}
		if err := f.st.UpsertArtifacts(ctx, "rt", arts); err != nil {
			t.Fatal(err)
		}
		run := catalog.BuildRun{Source: "rt", Build: "alpha-ci", Number: "41", Started: at, ProjectKey: alpha.Key,
			Uses: []catalog.PackageUse{{Ecosystem: "Go", Package: "github.com/spf13/cobra", Version: "v1.8.0", PURL: cobra}}}
		if err := f.st.ReplaceBuildRun(ctx, "rt", run); err != nil {
			t.Fatal(err)
		}
		r := do(t, srv, "GET", "/technologies/pkg:golang%2Fgithub.com%2Fspf13%2Fcobra")
		for _, want := range []string{"<h2>In Artifactory</h2>", "12 downloads of 1 files", "&lt;b&gt;jdoe&lt;/b&gt;", "downloaded (remote)",
			"alpha-ci", `<a href="/projects/` + strconv.FormatInt(f.alphaID, 10) + `">` + alpha.Key + "</a>", "Projects using it"} {
			if !strings.Contains(r.body, want) {
				t.Errorf("cobra's page lacks %q", want)
			}
		}
		if strings.Contains(r.body, "<b>jdoe</b>") {
			t.Error("hostile user name not escaped")
		}
		// left-pad: no manifest names it, Artifactory does.
		if r := do(t, srv, "GET", "/technologies/pkg:npm%2Fleft-pad"); r.status != 200 || !strings.Contains(r.body, "99 downloads") {
			t.Errorf("left-pad's page: %d", r.status)
		}
		var view struct {
			Name        string `json:"name"`
			Artifactory struct {
				Files     []catalog.Artifact `json:"files"`
				Downloads int64              `json:"downloads"`
			} `json:"artifactory"`
		}
		r = do(t, srv, "GET", "/api/v1/technologies/pkg:npm%2Fleft-pad")
		if err := json.Unmarshal([]byte(r.body), &view); err != nil || view.Name != "left-pad" || view.Artifactory.Downloads != 99 {
			t.Errorf("GET /api/v1/technologies/left-pad: %v %s", err, r.body)
		}
		var pkgs []struct {
			PURL      string `json:"purl"`
			Downloads int64  `json:"downloads"`
			Projects  int    `json:"projects"`
		}
		r = do(t, srv, "GET", "/api/v1/artifacts")
		if err := json.Unmarshal([]byte(r.body), &pkgs); err != nil || len(pkgs) != 2 || pkgs[0].PURL != leftpad || pkgs[0].Projects != 0 ||
			pkgs[1].PURL != cobra || pkgs[1].Projects == 0 {
			t.Errorf("GET /api/v1/artifacts: %v %s", err, r.body)
		}
		r = do(t, srv, "GET", "/artifacts")
		if r.status != 200 || !strings.Contains(r.body, ">left-pad</a>") || !strings.Contains(r.body, `<span class="status-warn">none</span>`) {
			t.Errorf("/artifacts: %d\n%s", r.status, r.body)
		}
		if r := do(t, srv, "GET", "/technologies/pkg:npm%2Fright-pad"); r.status != 404 {
			t.Errorf("a package nothing knows: %d", r.status)
		}
	})
}

// TestPersonWork checks a person's page and API show their forge and
// tracker work, on both stores: the pull requests and issues opened and
// the reviews given by the logins known to be theirs (a Backstage user
// with their e-mail), the tracker issues assigned to their e-mail;
// another person's work stays off their page; hostile titles escaped.
func TestPersonWork(t *testing.T) {
	eachStore(t, func(t *testing.T, open opener) {
		ctx := context.Background()
		f := newFixture(t, open)
		srv := newServer(t, f.st)
		at := time.Date(2025, 5, 6, 7, 8, 0, 0, time.UTC)
		if err := f.st.ReplaceEntities(ctx, "portal", []catalog.Entity{
			{Source: "portal", Kind: "User", Name: "JaneD", Email: "Jane@example.com", Document: "{}"},
		}); err != nil {
			t.Fatal(err)
		}
		repo := catalog.ForgeRepo{Source: "gh", ID: 42, ProjectKey: "github.com/acme/alpha", FullName: "acme/alpha", PushedAt: at}
		items := []catalog.ForgeItem{
			{Kind: catalog.ItemPullRequest, Number: 7, Title: "Add <b>bold</b> things", State: "open", Author: "janed",
				URL: "https://github.com/acme/alpha/pull/7", CreatedAt: at, UpdatedAt: at},
			{Kind: catalog.ItemPullRequest, Number: 9, Title: "Fix the build", State: "merged", Author: "bobs",
				CreatedAt: at, UpdatedAt: at, Reviews: []catalog.Review{{Author: "JaneD", State: "APPROVED", SubmittedAt: at}}},
			{Kind: catalog.ItemIssue, Number: 8, Title: "Crash on start", State: "open", Author: "janed", CreatedAt: at},
			{Kind: catalog.ItemIssue, Number: 10, Title: "Bob's issue", State: "open", Author: "bobs", CreatedAt: at},
		}
		if err := f.st.ReplaceForgeRepo(ctx, repo, []string{catalog.ItemPullRequest, catalog.ItemIssue}, items); err != nil {
			t.Fatal(err)
		}
		if err := f.st.UpsertTrackerIssues(ctx, "jira", []catalog.TrackerIssue{
			{Source: "jira", Key: "PAY-1", Project: "PAY", Summary: "Rotate the keys", Status: "In Progress",
				StatusCategory: "indeterminate", AssigneeEmail: "jane@example.com", Updated: at},
			{Source: "jira", Key: "PAY-2", Project: "PAY", Summary: "Bob's ticket", AssigneeEmail: "bob@example.com", Updated: at},
		}); err != nil {
			t.Fatal(err)
		}
		r := do(t, srv, "GET", "/people/jane@example.com")
		for _, want := range []string{"On the forge and in the tracker", "Forge logins: janed.", "#7 Add &lt;b&gt;bold&lt;/b&gt; things",
			"Reviews given", "#9 Fix the build", "APPROVED", "#8 Crash on start", "PAY-1", "Rotate the keys"} {
			if !strings.Contains(r.body, want) {
				t.Errorf("Jane's page lacks %q", want)
			}
		}
		for _, not := range []string{"Bob's issue", "Bob's ticket", "<b>bold</b>"} {
			if strings.Contains(r.body, not) {
				t.Errorf("Jane's page shows %q", not)
			}
		}
		var work struct {
			Logins       []string `json:"logins"`
			PullRequests []struct {
				Number int64  `json:"number"`
				Repo   string `json:"repo"`
			} `json:"pull_requests"`
			Reviews []struct {
				Number      int64  `json:"number"`
				ReviewState string `json:"review_state"`
			} `json:"reviews"`
			Issues  []json.RawMessage      `json:"issues"`
			Tracker []catalog.TrackerIssue `json:"tracker_issues"`
		}
		r = do(t, srv, "GET", "/api/v1/people/jane@example.com/work")
		if err := json.Unmarshal([]byte(r.body), &work); err != nil || len(work.Logins) != 1 || len(work.PullRequests) != 1 ||
			work.PullRequests[0].Repo != "acme/alpha" || len(work.Reviews) != 1 || work.Reviews[0].ReviewState != "APPROVED" ||
			len(work.Issues) != 1 || len(work.Tracker) != 1 || work.Tracker[0].Key != "PAY-1" {
			t.Errorf("GET /api/v1/people/jane/work: %v %s", err, r.body)
		}
		if r := do(t, srv, "GET", "/api/v1/people/nobody@example.com/work"); r.status != 404 {
			t.Errorf("work of nobody: %d", r.status)
		}
	})
}
