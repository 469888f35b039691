package estate_test

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/governance"
	"github.com/ospo-project/ospo/internal/hub/estate"
	"github.com/ospo-project/ospo/internal/inbox"
	"github.com/ospo-project/ospo/internal/store"
	"github.com/ospo-project/ospo/internal/store/teststore"
	"github.com/ospo-project/ospo/internal/vuln"
)

const (
	jane   = "jane@example.com"
	lodash = "vulnerability:GHSA-35jh-r3h4-6jhm"
	gpl    = "license:license/strong-copyleft:pkg:npm/gpl-thing"
)

var t0 = time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC)

// inboxProject is a project using lodash at version, with a strong-copyleft
// violation, owned by owner ("" for none) and with contributors.
func inboxProject(key, lodashVersion, owner string, contributors ...string) *catalog.Project {
	p := &catalog.Project{Key: key, Name: key, Path: "/src/" + key, HeadCommit: strings.Repeat("c", 40), HeadDate: t0,
		ScannerVersion: catalog.ScannerVersion, ScannedAt: t0,
		Dependencies: []catalog.Dependency{
			{PURL: "pkg:npm/lodash@" + lodashVersion, Ecosystem: "npm", Name: "lodash", Version: lodashVersion, Direct: true, Manifest: "package-lock.json"},
			{PURL: "pkg:npm/gpl-thing@1.0.0", Ecosystem: "npm", Name: "gpl-thing", Version: "1.0.0", Direct: true, Manifest: "package-lock.json"},
		},
		LicenseFindings: []catalog.LicenseFinding{{Severity: catalog.SeverityViolation, Rule: "license/strong-copyleft",
			PURL: "pkg:npm/gpl-thing@1.0.0", Manifest: "package-lock.json", License: "GPL-3.0-only", Category: "strong-copyleft",
			Message: "GPL-3.0-only is strong copyleft", Remediation: "replace gpl-thing"}},
	}
	if owner != "" {
		p.Owners = []catalog.Owner{{Owner: owner, Source: "codeowners", Path: ".github/CODEOWNERS", Pattern: "*"}}
	}
	for _, c := range contributors {
		p.Contributors = append(p.Contributors, catalog.Contribution{Identity: catalog.Identity{Name: c, Email: c},
			Commits: 3, FirstCommit: t0, LastCommit: t0})
	}
	return p
}

// TestInbox derives Jane's inbox on both stores: a vulnerability in two of
// her projects is one item (and not her colleague's third project), a
// licence violation likewise, a scorecard drop; a snoozed item returns when
// another of her projects becomes affected, a fix removes it, a dismissed
// scorecard drop returns with the next drop.
func TestInbox(t *testing.T) {
	teststore.Each(t, func(t *testing.T, st store.Store) {
		ctx := context.Background()
		put := func(p *catalog.Project) int64 {
			t.Helper()
			id, err := st.ReplaceProject(ctx, p)
			if err != nil {
				t.Fatal(err)
			}
			return id
		}
		web := put(inboxProject("web", "4.17.20", jane))
		put(inboxProject("api", "4.17.20", "", jane, "joe@example.com"))
		put(inboxProject("other", "4.17.20", "joe@example.com", "joe@example.com"))
		people := []catalog.Person{
			{ID: "p-jane", Name: "Jane", Email: jane, Identities: []catalog.Identity{{Name: jane, Email: jane}}},
			{ID: "p-joe", Name: "Joe", Email: "joe@example.com", Identities: []catalog.Identity{{Name: "joe@example.com", Email: "joe@example.com"}}},
		}
		if err := st.ReplacePeople(ctx, people); err != nil {
			t.Fatal(err)
		}
		score := func(commit string, s float64, at time.Time) {
			t.Helper()
			if err := st.AddScore(ctx, catalog.Scorecard{ProjectID: web, Commit: commit, ScoredAt: at, Score: s, Availability: 1,
				Checks: []catalog.CheckScore{{Name: "Documentation", Score: int(s)}}}); err != nil {
				t.Fatal(err)
			}
		}
		score("c1", 8, t0)
		score("c2", 8, t0.Add(time.Hour))

		c := estate.New(st, 0)
		now := t0.Add(24 * time.Hour)
		build := func() *inbox.Inbox {
			t.Helper()
			in, _, err := c.Inbox(ctx, jane, inbox.Options{Now: now})
			if err != nil {
				t.Fatal(err)
			}
			if len(in.Failed) > 0 {
				t.Fatalf("providers failed: %v", in.Failed)
			}
			return in
		}
		item := func(in *inbox.Inbox, key string) *inbox.Item {
			for i := range in.Items {
				if in.Items[i].Key == key {
					return &in.Items[i]
				}
			}
			return nil
		}
		names := func(it *inbox.Item) string {
			var ns []string
			for _, p := range it.Projects {
				ns = append(ns, p.Name+"/"+string(p.Role))
			}
			return strings.Join(ns, ",")
		}
		set := func(key, state string, until time.Time) {
			t.Helper()
			in := build()
			it := item(in, key)
			if it == nil {
				t.Fatalf("no item %s to set %s", key, state)
			}
			if _, err := st.SetInboxState(ctx, catalog.InboxState{Email: jane, Item: key, State: state,
				Fingerprint: it.Fingerprint, Until: until, At: now}, nil); err != nil {
				t.Fatal(err)
			}
		}

		// No advisory yet: only the licence violation, on both of her
		// projects, one item; no scorecard drop.
		in := build()
		if len(in.Items) != 1 || in.Items[0].Key != gpl {
			t.Fatalf("items before advisories = %+v, want the licence item only", in.Items)
		}
		if got := names(&in.Items[0]); got != "web/owner,api/contributor" {
			t.Errorf("licence item projects = %s, want web/owner,api/contributor", got)
		}

		// A new vulnerability appears: one item for two projects, with the
		// fix and the upgrade's size.
		advs, _, err := vuln.Load([]string{"../../vuln/testdata/osv/GHSA-35jh-r3h4-6jhm.json"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := st.UpsertAdvisories(ctx, advs); err != nil {
			t.Fatal(err)
		}
		in = build()
		v := item(in, lodash)
		if v == nil {
			t.Fatalf("no vulnerability item in %+v", in.Items)
		}
		if got := names(v); got != "web/owner,api/contributor" {
			t.Errorf("vulnerability projects = %s, want web/owner,api/contributor (de-duplicated, not other)", got)
		}
		if v.FixedIn != "4.17.21" || v.Upgrade != inbox.UpgradePatch || v.Severity != "high" || v.Role != inbox.RoleOwner {
			t.Errorf("vulnerability item = %+v, want fixed in 4.17.21, patch, high, owner", v)
		}

		// A scorecard drop appears.
		score("c3", 6, t0.Add(2*time.Hour))
		in = build()
		if sc := item(in, "scorecard:web"); sc == nil || sc.Severity != "medium" {
			t.Fatalf("scorecard item = %+v, want a medium drop", sc)
		}

		// Snooze the vulnerability, dismiss the rest: nothing open.
		set(lodash, catalog.InboxSnoozed, now.Add(7*24*time.Hour))
		set(gpl, catalog.InboxDone, time.Time{})
		set("scorecard:web", catalog.InboxDone, time.Time{})
		in = build()
		if len(in.Items) != 0 || in.SnoozedCount != 1 || in.DoneCount != 2 {
			t.Fatalf("after snooze and done: items %v, snoozed %d, done %d; want none, 1, 2", in.Items, in.SnoozedCount, in.DoneCount)
		}

		// The fact changes: another of her projects is affected. The
		// snoozed vulnerability returns, the licence item, also changed,
		// too; the dismissed scorecard item stays dismissed.
		put(inboxProject("svc", "4.17.19", jane))
		in = build()
		if v := item(in, lodash); v == nil || names(v) != "svc/owner,web/owner,api/contributor" {
			t.Fatalf("snoozed vulnerability after a new project is affected = %+v, want it back with three projects", v)
		}
		if item(in, gpl) == nil {
			t.Errorf("dismissed licence item did not come back when a new project got the violation")
		}
		if item(in, "scorecard:web") != nil {
			t.Errorf("dismissed scorecard item came back without a change")
		}

		// A fix removes it: every project upgrades.
		for _, k := range []string{"web", "api", "svc"} {
			owner := jane
			var cs []string
			if k == "api" {
				owner, cs = "", []string{jane}
			}
			put(inboxProject(k, "4.17.21", owner, cs...))
		}
		in = build()
		if v := item(in, lodash); v != nil {
			t.Errorf("vulnerability still listed after the fix: %+v", v)
		}

		// The next scorecard drop brings the dismissed item back.
		score("c4", 2, t0.Add(3*time.Hour))
		in = build()
		if sc := item(in, "scorecard:web"); sc == nil || sc.Severity != "high" {
			t.Errorf("scorecard item after a second drop = %+v, want it back, high", sc)
		}
	})
}

// TestInboxRequests derives the governance items on both stores: a request
// Jane (ospo) may review is hers to act on, until she approves it; Joe's
// request, once decided, is his; the estate project Jane owns whose review
// is due is hers. A snoozed request returns when it changes.
func TestInboxRequests(t *testing.T) {
	teststore.Each(t, func(t *testing.T, st store.Store) {
		ctx := context.Background()
		if _, err := st.CreateAccount(ctx, catalog.Account{Email: jane, Role: catalog.RoleOSPO}, nil); err != nil {
			t.Fatal(err)
		}
		now := time.Now()
		open := func(requester string) governance.Request {
			t.Helper()
			pol := governance.Policies{}.For(governance.KindContribute)
			r, err := governance.New(governance.Draft{Kind: governance.KindContribute, Subject: "https://github.com/up/stream",
				Requester: requester, Title: "Fix a typo upstream"}, pol, now.Add(-48*time.Hour))
			if err != nil {
				t.Fatal(err)
			}
			got, err := st.CreateRequest(ctx, *r, nil)
			if err != nil {
				t.Fatal(err)
			}
			return got
		}
		apply := func(r governance.Request, a governance.Action, by governance.Actor) governance.Request {
			t.Helper()
			if _, err := governance.Apply(&r, governance.Policies{}.For(r.Kind), governance.Step{Action: a, By: by, At: now, Text: "a note"}); err != nil {
				t.Fatal(err)
			}
			got, err := st.UpdateRequest(ctx, r, nil)
			if err != nil {
				t.Fatal(err)
			}
			return got
		}
		joes := open("joe@example.com")
		if _, err := st.SaveExternalProject(ctx, governance.ExternalProject{Name: "Tool", URL: "https://github.com/acme/tool",
			Relation: governance.RelationPublic, Lifecycle: governance.LifecycleActive, Owners: []string{"Jane@example.com"},
			ReviewDue: now.AddDate(0, 0, -3)}, nil); err != nil {
			t.Fatal(err)
		}
		c := estate.New(st, 0)
		keys := func(email string) map[string]inbox.Item {
			t.Helper()
			in, _, err := c.Inbox(ctx, email, inbox.Options{})
			if err != nil || len(in.Failed) > 0 {
				t.Fatalf("inbox of %s: %v %v", email, err, in.Failed)
			}
			out := map[string]inbox.Item{}
			for _, it := range in.Items {
				out[it.Key] = it
			}
			return out
		}
		req := "request:" + strconv.FormatInt(joes.ID, 10)
		got := keys(jane)
		if _, ok := got[req]; !ok {
			t.Errorf("Jane's inbox %v lacks Joe's request to review", got)
		}
		if it, ok := got["review-due:tool"]; !ok || it.Severity != "medium" {
			t.Errorf("Jane's inbox %v lacks the estate review due", got)
		}
		if _, ok := keys("joe@example.com")[req]; ok {
			t.Error("Joe is asked to review his own request")
		}
		// Snoozed, then the request changes (a comment): back.
		if err := c.DecideInbox(ctx, jane, req, catalog.InboxSnoozed, now.Add(time.Hour*24*7), "", nil); err != nil {
			t.Fatal(err)
		}
		if _, ok := keys(jane)[req]; ok {
			t.Error("snoozed request still listed")
		}
		joes = apply(joes, governance.ActComment, governance.Actor{Email: "joe@example.com", Role: catalog.RoleDeveloper})
		if _, ok := keys(jane)[req]; !ok {
			t.Error("snoozed request did not come back when it changed")
		}
		// Jane approves: no longer hers; Joe sees the decision.
		apply(joes, governance.ActApprove, governance.Actor{Email: jane, Role: catalog.RoleOSPO})
		if _, ok := keys(jane)[req]; ok {
			t.Error("an approved request still waits on Jane")
		}
		dec := keys("joe@example.com")["decision:"+strconv.FormatInt(joes.ID, 10)]
		if dec.Kind != inbox.KindDecision || !strings.Contains(dec.Title, "approved") || dec.Severity != "low" {
			t.Errorf("Joe's decision item = %+v, want an approved decision", dec)
		}

		// A push Joe made, held by the push proxy: Jane (a reviewer) is
		// asked, Joe is not (four eyes).
		push, err := st.CreatePush(ctx, catalog.Push{Upstream: "https://github.com/up/stream.git", Pusher: "joe@example.com",
			Status: catalog.PushHeld, CreatedAt: now}, []byte("PACK"), nil)
		if err != nil {
			t.Fatal(err)
		}
		held := "held-push:" + strconv.FormatInt(push.ID, 10)
		if it, ok := keys(jane)[held]; !ok || it.Severity != "high" {
			t.Errorf("Jane's inbox lacks the held push %s", held)
		}
		if _, ok := keys("joe@example.com")[held]; ok {
			t.Error("Joe is asked to review his own push")
		}
	})
}

// TestInboxSources derives the items of the sources' facts on both stores:
// JIRA issues assigned to Jane (under either of her addresses, once),
// failing jobs of her projects (a streak is one item; a success removes
// it; a new failure brings a snoozed one back), pull requests awaiting
// review: those asking her (her no-reply login, the configured login map,
// her team's slug) in any project, and those of the project she owns that
// ask nobody (not those approved, opened or reviewed by her, nor one asking
// Ann), and help wanted issues in Go projects that are not hers.
func TestInboxSources(t *testing.T) {
	teststore.Each(t, func(t *testing.T, st store.Store) {
		ctx := context.Background()
		const noreply = "1234+jane-gh@users.noreply.github.com"
		goProject := func(key, lang, owner string, contributors ...string) *catalog.Project {
			p := inboxProject(key, "4.17.21", owner, contributors...)
			p.Dependencies, p.LicenseFindings = nil, nil
			p.Languages = []catalog.Language{{Name: lang, Bytes: 1000, Files: 3}, {Name: "Shell", Bytes: 10, Files: 1}}
			return p
		}
		for _, p := range []*catalog.Project{goProject("web", "Go", jane), goProject("api", "Go", "", jane),
			goProject("other", "Go", "joe@example.com"), goProject("py", "Python", "joe@example.com")} {
			if _, err := st.ReplaceProject(ctx, p); err != nil {
				t.Fatal(err)
			}
		}
		if err := st.ReplacePeople(ctx, []catalog.Person{{ID: "p-jane", Name: "Jane", Email: jane,
			Identities: []catalog.Identity{{Name: "Jane", Email: jane}, {Name: "Jane", Email: noreply}}}}); err != nil {
			t.Fatal(err)
		}
		issue := func(key, email, category, priority string) catalog.TrackerIssue {
			return catalog.TrackerIssue{Source: "jira", Key: key, Project: "PAY", Summary: "Fix " + key, Type: "Bug",
				Status: "In Progress", StatusCategory: category, Priority: priority, AssigneeEmail: email,
				URL: "https://jira.example.com/browse/" + key, Created: t0.Add(-48 * time.Hour), Updated: t0}
		}
		if err := st.UpsertTrackerIssues(ctx, "jira", []catalog.TrackerIssue{issue("PAY-1", jane, "indeterminate", "High"),
			issue("PAY-2", jane, "done", "High"), issue("PAY-3", "joe@example.com", "new", "Highest"),
			issue("PAY-4", noreply, "new", "Low")}); err != nil {
			t.Fatal(err)
		}
		n := int64(0)
		build := func(job, project, result string) {
			t.Helper()
			n++
			if err := st.UpsertBuilds(ctx, "ci", []catalog.Build{{Source: "ci", Job: job, Number: n, Result: result,
				Started: t0.Add(time.Duration(n) * time.Minute), URL: "https://ci.example.com/job/" + job + "/", ProjectKey: project}}); err != nil {
				t.Fatal(err)
			}
		}
		build("web-main", "web", "SUCCESS")
		build("web-main", "web", "FAILURE")
		build("web-main", "web", "FAILURE")
		build("api-main", "api", "FAILURE")
		build("api-main", "api", "SUCCESS")
		build("other-main", "other", "FAILURE")

		pr := func(n int64, author string, updated time.Time, reviews ...catalog.Review) catalog.ForgeItem {
			return catalog.ForgeItem{Kind: catalog.ItemPullRequest, Number: n, Title: "Change " + strconv.FormatInt(n, 10), State: "open",
				Author: author, URL: "https://github.com/acme/web/pull/" + strconv.FormatInt(n, 10), CreatedAt: t0.Add(-time.Hour),
				UpdatedAt: updated, Reviews: reviews}
		}
		closed := pr(13, "joe", t0)
		closed.State = "closed"
		webPRs := []catalog.ForgeItem{pr(10, "joe", t0), pr(11, "joe", t0, catalog.Review{Author: "ann", State: "APPROVED"}),
			pr(12, "Jane-GH", t0), pr(14, "joe", t0, catalog.Review{Author: "jane-gh", State: "CHANGES_REQUESTED"}), closed}
		repo := func(id int64, name string) catalog.ForgeRepo {
			return catalog.ForgeRepo{Source: "gh", ID: id, ProjectKey: name, FullName: "acme/" + name}
		}
		forge := func(r catalog.ForgeRepo, items ...catalog.ForgeItem) {
			t.Helper()
			if err := st.ReplaceForgeRepo(ctx, r, []string{catalog.ItemPullRequest, catalog.ItemIssue}, items); err != nil {
				t.Fatal(err)
			}
		}
		forge(repo(2, "api"), pr(20, "joe", t0))
		help := func(n int64, title string) catalog.ForgeItem {
			return catalog.ForgeItem{Kind: catalog.ItemIssue, Number: n, Title: title, State: "open", Labels: []string{"Help Wanted"},
				URL: "https://github.com/acme/x/issues/" + strconv.FormatInt(n, 10), CreatedAt: t0, UpdatedAt: t0}
		}
		// Review requests: a pull request of hers asking Ann is Ann's, not
		// hers; pull requests of projects not hers asking her (by her
		// no-reply login, by the configured login map, by her team's
		// slug) are hers; one asking someone else and another team is not.
		asking := func(n int64, logins, teams []string) catalog.ForgeItem {
			it := pr(n, "joe", t0)
			it.RequestedReviewers, it.RequestedTeams = logins, teams
			return it
		}
		forge(repo(1, "web"), append(webPRs, catalog.ForgeItem{Kind: catalog.ItemIssue, Number: 1, Title: "Hers", State: "open",
			Labels: []string{"help wanted"}, CreatedAt: t0, UpdatedAt: t0}, asking(15, []string{"ann"}, nil))...)
		forge(repo(3, "other"), help(5, "Port the parser"), asking(30, []string{"Jane-GH"}, nil), asking(31, []string{"ann", "JaneDoe"}, nil),
			asking(33, []string{"someone"}, []string{"other-team"}))
		forge(repo(4, "py"), help(6, "Python work"), asking(32, nil, []string{"reviewers-team"}))
		if err := st.ReplaceMemberships(ctx, catalog.MemberFile, []catalog.Membership{{Team: "@acme/Reviewers-Team", Email: jane,
			Source: catalog.MemberFile}}, nil); err != nil {
			t.Fatal(err)
		}

		c := estate.New(st, 0)
		c.SetLogins(map[string]string{"JaneDoe": jane})
		now := t0.Add(2 * time.Hour)
		c.SetClock(func() time.Time { return now })
		get := func() map[string]inbox.Item {
			t.Helper()
			in, _, err := c.Inbox(ctx, jane, inbox.Options{Now: now})
			if err != nil {
				t.Fatal(err)
			}
			if len(in.Failed) > 0 {
				t.Fatalf("providers failed: %v", in.Failed)
			}
			out := map[string]inbox.Item{}
			for _, it := range in.Items {
				out[it.Key] = it
			}
			return out
		}
		keys := func(m map[string]inbox.Item) string {
			var ks []string
			for k := range m {
				ks = append(ks, k)
			}
			slices.Sort(ks)
			return strings.Join(ks, " ")
		}
		items := get()
		asked := "review:acme/other#30 review:acme/other#31 review:acme/py#32 "
		want := "failed-build:ci/web-main help-wanted:acme/other#5 " + asked + "review:acme/web#10 tracker-issue:jira/PAY-1 tracker-issue:jira/PAY-4"
		if got := keys(items); got != want {
			t.Fatalf("items = %s\nwant    %s", got, want)
		}
		if b := items["failed-build:ci/web-main"]; b.Severity != "high" || !strings.Contains(b.Detail, "failing since #2") || b.Role != inbox.RoleOwner ||
			len(b.Projects) != 1 || b.Projects[0].Name != "web" {
			t.Errorf("failed build item = %+v", b)
		}
		if j := items["tracker-issue:jira/PAY-1"]; j.Severity != "high" || j.URL != "https://jira.example.com/browse/PAY-1" {
			t.Errorf("tracker item = %+v", j)
		}
		if h := items["help-wanted:acme/other#5"]; h.Severity != "low" || !strings.Contains(h.Detail, "Go") {
			t.Errorf("help wanted item = %+v", h)
		}
		if r := items["review:acme/py#32"]; r.Severity != "medium" || !strings.Contains(r.Detail, "your review is requested") ||
			len(r.Projects) != 0 || r.URL != "https://github.com/acme/web/pull/32" { // py is not hers: no project named
			t.Errorf("requested review item = %+v", r)
		}

		decide := func(key, state string) {
			t.Helper()
			if err := c.DecideInbox(ctx, jane, key, state, now.Add(7*24*time.Hour), items[key].Fingerprint, nil); err != nil {
				t.Fatal(err)
			}
		}
		// Snoozed while the job keeps failing; a success removes it; the
		// next failure is a new streak and comes back.
		decide("failed-build:ci/web-main", catalog.InboxSnoozed)
		decide("review:acme/web#10", catalog.InboxDone)
		build("web-main", "web", "FAILURE")
		if items = get(); keys(items) != "help-wanted:acme/other#5 "+asked+"tracker-issue:jira/PAY-1 tracker-issue:jira/PAY-4" {
			t.Errorf("after snooze, done and another failure: %s", keys(items))
		}
		build("web-main", "web", "SUCCESS")
		build("web-main", "web", "FAILURE")
		if it, ok := get()["failed-build:ci/web-main"]; !ok || strings.Contains(it.Detail, "since") {
			t.Errorf("a new failure after a success: %+v, %v; want the item back, a streak of one", it, ok)
		}
		// The pull request marked done returns when it is updated; once
		// approved it is gone.
		webPRs[0].UpdatedAt = t0.Add(time.Hour)
		forge(repo(1, "web"), webPRs...)
		if _, ok := get()["review:acme/web#10"]; !ok {
			t.Error("the pull request marked done did not return when updated")
		}
		webPRs[0].Reviews = []catalog.Review{{Author: "ann", State: "APPROVED"}}
		forge(repo(1, "web"), webPRs...)
		if _, ok := get()["review:acme/web#10"]; ok {
			t.Error("an approved pull request still awaits review")
		}
	})
}
