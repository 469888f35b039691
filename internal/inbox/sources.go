package inbox

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/identity"
)

// Item kinds of the facts configured sources bring (docs/sources.md).
const (
	KindTrackerIssue = "tracker-issue" // a JIRA issue assigned to the person
	KindFailedBuild  = "failed-build"  // a CI job of their projects whose last build failed
	KindReview       = "review"        // a pull request asking their review (or of a project they own, asking nobody)
	KindHelpWanted   = "help-wanted"   // a help wanted issue in a project using their languages
)

// SourceFacts is what the source providers read: the facts JIRA, Jenkins,
// GitHub and GitLab sources stored. The store implements it
// (store.SourceStore); every method answers for many projects in one call.
type SourceFacts interface {
	// TrackerIssues returns the tracker issues q selects.
	TrackerIssues(ctx context.Context, q catalog.TrackerQuery) ([]catalog.TrackerIssue, error)
	// Builds returns the builds q selects, newest first.
	Builds(ctx context.Context, q catalog.BuildQuery) ([]catalog.Build, error)
	// QueryForgeItems returns the forge items q selects, most recently
	// updated first.
	QueryForgeItems(ctx context.Context, q catalog.ForgeItemQuery) ([]catalog.RepoItem, error)
}

// TrackerIssues provides one item per open tracker issue assigned to any
// of the person's e-mail addresses, ranked by the issue's priority
// (Blocker and Highest are critical, Critical and High high, Medium
// medium, Low and Lowest low). Its fingerprint is the issue's status and
// priority: a snoozed issue returns when it moves or is re-prioritised,
// and one resolved is gone.
type TrackerIssues struct{ Facts SourceFacts }

// Name implements Provider.
func (TrackerIssues) Name() string { return "tracker issues" }

// Items implements Provider.
func (t TrackerIssues) Items(ctx context.Context, p Person) ([]Item, error) {
	seen := map[string]bool{}
	var out []Item
	for _, email := range uniqueFold(p.Emails) {
		issues, err := t.Facts.TrackerIssues(ctx, catalog.TrackerQuery{AssigneeEmail: email, OpenOnly: true, Limit: 200})
		if err != nil {
			return nil, err
		}
		for _, is := range issues {
			key := KindTrackerIssue + ":" + is.Source + "/" + is.Key
			if seen[key] {
				continue
			}
			seen[key] = true
			detail := strings.TrimSpace(is.Type + " · " + is.Status)
			if is.Priority != "" {
				detail += " · priority " + is.Priority
			}
			out = append(out, Item{
				Key: key, Fingerprint: Fingerprint(is.Status, is.Priority), Kind: KindTrackerIssue,
				Title: is.Key + ": " + is.Summary, Detail: strings.Trim(detail, " ·"),
				Severity: trackerSeverity(is.Priority), Since: is.Created, URL: is.URL, Role: RoleOwner,
			})
		}
	}
	return out, nil
}

// trackerSeverity maps a JIRA priority to the inbox's scale.
func trackerSeverity(priority string) string {
	switch strings.ToLower(strings.TrimSpace(priority)) {
	case "blocker", "highest":
		return "critical"
	case "critical", "high":
		return "high"
	case "medium", "major":
		return "medium"
	case "low", "lowest", "minor", "trivial":
		return "low"
	}
	return "unknown"
}

// buildWindow is how far back the builds of a person's projects are read.
const buildWindow = 30 * 24 * time.Hour

// FailedBuilds provides one item per CI job of the person's projects
// whose latest finished build (in the last 30 days) failed: FAILURE is
// high, UNSTABLE medium. Since is the first build of the failing streak
// and the fingerprint its number, so a snoozed job stays snoozed while it
// keeps failing and returns when it fails again after a success; a job
// whose latest build passed is gone.
type FailedBuilds struct {
	Facts SourceFacts
	// Now is the clock the window is read from; nil means time.Now.
	Now func() time.Time
}

// Name implements Provider.
func (FailedBuilds) Name() string { return "failed builds" }

// Items implements Provider.
func (f FailedBuilds) Items(ctx context.Context, p Person) ([]Item, error) {
	byKey := map[string]Project{}
	var keys []string
	for _, pr := range p.Projects {
		if pr.Key != "" {
			if _, dup := byKey[pr.Key]; !dup {
				keys = append(keys, pr.Key)
			}
			if old, ok := byKey[pr.Key]; !ok || pr.Role == RoleOwner && old.Role != RoleOwner {
				byKey[pr.Key] = pr
			}
		}
	}
	if len(keys) == 0 {
		return nil, nil
	}
	now := time.Now
	if f.Now != nil {
		now = f.Now
	}
	builds, err := f.Facts.Builds(ctx, catalog.BuildQuery{ProjectKeys: keys, Since: now().Add(-buildWindow)})
	if err != nil {
		return nil, err
	}
	// Builds come newest first: per job, the finished builds from the
	// latest back to the last success.
	type streak struct {
		latest, first catalog.Build
		ended         bool // a success (or an older result) closed the streak
	}
	jobs := map[string]*streak{}
	var order []string
	for _, b := range builds {
		if b.Building || b.Result == "" {
			continue
		}
		id := b.Source + "/" + b.Job
		s := jobs[id]
		if s == nil {
			s = &streak{latest: b, first: b}
			jobs[id] = s
			order = append(order, id)
			if !failed(b.Result) {
				s.ended = true
			}
			continue
		}
		if s.ended {
			continue
		}
		if failed(b.Result) {
			s.first = b
		} else {
			s.ended = true
		}
	}
	var out []Item
	for _, id := range order {
		s := jobs[id]
		if !failed(s.latest.Result) {
			continue
		}
		b := s.latest
		sev := "high"
		if strings.EqualFold(b.Result, "UNSTABLE") {
			sev = "medium"
		}
		pr := byKey[b.ProjectKey]
		detail := fmt.Sprintf("build #%d: %s", b.Number, strings.ToLower(b.Result))
		if s.first.Number != b.Number {
			detail += fmt.Sprintf(", failing since #%d", s.first.Number)
		}
		out = append(out, Item{
			Key: KindFailedBuild + ":" + id, Fingerprint: Fingerprint(strconv.FormatInt(s.first.Number, 10)),
			Kind: KindFailedBuild, Title: fmt.Sprintf("%s is failing (%s)", b.Job, pr.Name), Detail: detail,
			Severity: sev, Since: s.first.Started, Projects: []Project{pr}, URL: b.URL,
		})
	}
	return out, nil
}

// failed reports whether a build result is a failure worth acting on.
func failed(result string) bool {
	switch strings.ToUpper(result) {
	case "FAILURE", "UNSTABLE", "FAILED":
		return true
	}
	return false
}

// Reviews provides one item per open pull request that waits on the
// person's review: one that asks them (one of their forge logins: GitHub
// no-reply addresses among their e-mails, and Logins) or one of their
// teams (a team's name, or its last path element, "@acme/payments" →
// "payments", equal to the GitHub team slug asked), in any project; and,
// only for a pull request that asks nobody, one of a project they own (an
// ownership claim names them or their team: they are who reviews). Pull
// requests they opened or reviewed already, and approved ones of their
// projects that ask nobody, are left out. Medium; since it was opened; the
// fingerprint is its last update, so a snoozed pull request returns when it
// is pushed to or commented on.
type Reviews struct {
	Facts SourceFacts
	// Logins returns the person's forge logins besides those their
	// e-mails give; nil: none.
	Logins func(ctx context.Context, p Person) ([]string, error)
}

// Name implements Provider.
func (Reviews) Name() string { return "reviews" }

// Items implements Provider.
func (r Reviews) Items(ctx context.Context, p Person) ([]Item, error) {
	byKey := map[string]Project{}
	var owned []string
	for _, pr := range p.Projects {
		if _, dup := byKey[pr.Key]; pr.Key == "" || dup {
			continue
		}
		byKey[pr.Key] = pr
		if pr.Role == RoleOwner {
			owned = append(owned, pr.Key)
		}
	}
	mine, err := personLogins(ctx, p, r.Logins)
	if err != nil {
		return nil, err
	}
	teams := teamSlugs(p.Teams)
	var out []Item
	seen := map[string]bool{}
	add := func(it catalog.RepoItem, asked bool) {
		num := strconv.FormatInt(it.Number, 10)
		key := KindReview + ":" + it.Repo + "#" + num
		if seen[key] || mine[strings.ToLower(it.Author)] || slices.ContainsFunc(it.Reviews, func(rv catalog.Review) bool {
			return (!asked && strings.EqualFold(rv.State, "APPROVED")) || mine[strings.ToLower(rv.Author)]
		}) {
			return
		}
		seen[key] = true
		detail := "opened by " + it.Author
		if it.Author == "" {
			detail = "open"
		}
		if asked {
			detail += ", your review is requested"
		}
		if n := len(it.Reviews); n > 0 {
			detail += fmt.Sprintf(", %d reviews", n)
		}
		// A pull request of a project that is not theirs names no project
		// (the title names the repository; the item links to the forge).
		var projects []Project
		if proj, ok := byKey[it.ProjectKey]; ok {
			projects = []Project{proj}
		}
		out = append(out, Item{
			Key: key, Fingerprint: Fingerprint(it.UpdatedAt.UTC().Format(time.RFC3339)),
			Kind: KindReview, Title: fmt.Sprintf("Review %s#%s: %s", it.Repo, num, it.Title), Detail: detail,
			Severity: "medium", Since: it.CreatedAt, Projects: projects, URL: it.URL,
		})
	}
	if len(mine)+len(teams) > 0 {
		logins := make([]string, 0, len(mine))
		for l := range mine {
			logins = append(logins, l)
		}
		slices.Sort(logins)
		asked, err := r.Facts.QueryForgeItems(ctx, catalog.ForgeItemQuery{Kind: catalog.ItemPullRequest, OpenOnly: true,
			RequestedReviewers: logins, RequestedTeams: teams})
		if err != nil {
			return nil, err
		}
		for _, it := range asked {
			add(it, true)
		}
	}
	if len(owned) > 0 {
		prs, err := r.Facts.QueryForgeItems(ctx, catalog.ForgeItemQuery{Kind: catalog.ItemPullRequest, OpenOnly: true, ProjectKeys: owned})
		if err != nil {
			return nil, err
		}
		for _, it := range prs {
			if len(it.RequestedReviewers)+len(it.RequestedTeams) == 0 {
				add(it, false)
			}
		}
	}
	return out, nil
}

// teamSlugs returns the forms a GitHub team slug of teams may take: each
// name and its last path element ("@acme/payments" gives "@acme/payments"
// and "payments"), lower-cased, once each.
func teamSlugs(teams []string) []string {
	var out []string
	for _, t := range teams {
		t = strings.ToLower(strings.TrimSpace(t))
		for _, s := range []string{t, t[strings.LastIndexByte(t, '/')+1:]} {
			if s != "" && !slices.Contains(out, s) {
				out = append(out, s)
			}
		}
	}
	return out
}

// personLogins returns the person's forge logins, lower-cased, as a set.
func personLogins(ctx context.Context, p Person, more func(context.Context, Person) ([]string, error)) (map[string]bool, error) {
	out := map[string]bool{}
	for _, e := range p.Emails {
		if l := identity.GitHubLogin(e); l != "" {
			out[strings.ToLower(l)] = true
		}
	}
	if more != nil {
		ls, err := more(ctx, p)
		if err != nil {
			return nil, err
		}
		for _, l := range ls {
			out[strings.ToLower(l)] = true
		}
	}
	return out, nil
}

// HelpWantedLabel is the label of the issues HelpWanted offers.
const HelpWantedLabel = "help wanted"

// MaxHelpWanted is how many help wanted items an inbox holds at most.
const MaxHelpWanted = 3

// HelpWanted provides, like recommendations, a few (MaxHelpWanted) open
// issues labelled "help wanted" in projects the person does not work on
// whose main language is one they use (the languages of their projects),
// newest first. Low; the fingerprint is the issue's last update.
type HelpWanted struct {
	Facts SourceFacts
	// Languages returns the main language of each project by key (the
	// estate snapshot knows them).
	Languages func(ctx context.Context) (map[string]string, error)
}

// Name implements Provider.
func (HelpWanted) Name() string { return "help wanted" }

// Items implements Provider.
func (h HelpWanted) Items(ctx context.Context, p Person) ([]Item, error) {
	if len(p.Projects) == 0 {
		return nil, nil
	}
	langs, err := h.Languages(ctx)
	if err != nil {
		return nil, err
	}
	skills := map[string]bool{}
	theirs := map[string]bool{}
	for _, pr := range p.Projects {
		theirs[pr.Key] = true
		if l := langs[pr.Key]; l != "" {
			skills[l] = true
		}
	}
	if len(skills) == 0 {
		return nil, nil
	}
	issues, err := h.Facts.QueryForgeItems(ctx, catalog.ForgeItemQuery{Kind: catalog.ItemIssue, OpenOnly: true,
		Label: HelpWantedLabel, Limit: 500})
	if err != nil {
		return nil, err
	}
	var out []Item
	for _, it := range issues {
		lang := langs[it.ProjectKey]
		if theirs[it.ProjectKey] || !skills[lang] {
			continue
		}
		num := strconv.FormatInt(it.Number, 10)
		out = append(out, Item{
			Key: KindHelpWanted + ":" + it.Repo + "#" + num, Fingerprint: Fingerprint(it.UpdatedAt.UTC().Format(time.RFC3339)),
			Kind: KindHelpWanted, Title: fmt.Sprintf("Help wanted in %s: %s", it.Repo, it.Title),
			Detail: "a " + lang + " project; you work in " + lang, Severity: "low", Since: it.CreatedAt, URL: it.URL,
		})
		if len(out) == MaxHelpWanted {
			break
		}
	}
	return out, nil
}

// uniqueFold returns the non-empty strings of ss, lower-cased, once each,
// in order.
func uniqueFold(ss []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range ss {
		s = strings.ToLower(strings.TrimSpace(s))
		if s != "" && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}
