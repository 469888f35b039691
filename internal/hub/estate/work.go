package estate

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/events"
)

// WorkLimit caps each list of a person's work.
const WorkLimit = 20

// Work is what the sources say a person did and has on their plate: the
// pull requests and issues they opened and the pull requests they
// reviewed on the forges (GitHub, GitLab), and the issue-tracker (JIRA)
// issues assigned to them, the most recently updated first.
type Work struct {
	// Logins are the forge logins known to be the person's: GitHub
	// no-reply identities, Backstage users with their e-mail, and the
	// configured map (events.logins).
	Logins       []string               `json:"logins"`
	PullRequests []catalog.RepoItem     `json:"pull_requests"`
	Reviews      []ReviewGiven          `json:"reviews"`
	Issues       []catalog.RepoItem     `json:"issues"`
	Tracker      []catalog.TrackerIssue `json:"tracker_issues"`
}

// ReviewGiven is a pull request the person reviewed, with their last
// review of it.
type ReviewGiven struct {
	catalog.RepoItem
	ReviewState string    `json:"review_state"`
	ReviewedAt  time.Time `json:"reviewed_at,omitzero"`
}

// Work returns the forge and tracker work of the person ref names (an ID,
// e-mail or name). Lists are empty, not missing, when no source knows any.
func (c *Catalog) Work(ctx context.Context, ref string) (*Work, error) {
	p, err := c.st.Person(ctx, ref)
	if err != nil {
		return nil, err
	}
	return c.WorkOf(ctx, p)
}

// WorkOf is Work for a person already read from the store (a page that
// shows the person reads them once).
func (c *Catalog) WorkOf(ctx context.Context, p *catalog.Person) (*Work, error) {
	emails := map[string]bool{strings.ToLower(p.Email): true}
	for _, id := range p.Identities {
		emails[strings.ToLower(id.Email)] = true
	}
	delete(emails, "")
	w := &Work{Logins: []string{}, PullRequests: []catalog.RepoItem{}, Reviews: []ReviewGiven{},
		Issues: []catalog.RepoItem{}, Tracker: []catalog.TrackerIssue{}}
	ents, err := c.st.Entities(ctx, "")
	if err != nil {
		return nil, err
	}
	// The logins are matched as events and expertise match them
	// (events.Logins), then kept when they lead to one of the person's
	// e-mails.
	c.loginsMu.Lock()
	explicit := c.logins
	c.loginsMu.Unlock()
	for l, e := range events.Logins(explicit, []catalog.Person{*p}, ents) {
		if emails[e] {
			w.Logins = append(w.Logins, l)
		}
	}
	slices.Sort(w.Logins)
	if len(w.Logins) > 0 {
		if w.PullRequests, err = c.items(ctx, catalog.ForgeItemQuery{Kind: catalog.ItemPullRequest, Authors: w.Logins, Limit: WorkLimit}); err != nil {
			return nil, err
		}
		if w.Issues, err = c.items(ctx, catalog.ForgeItemQuery{Kind: catalog.ItemIssue, Authors: w.Logins, Limit: WorkLimit}); err != nil {
			return nil, err
		}
		reviewed, err := c.items(ctx, catalog.ForgeItemQuery{Kind: catalog.ItemPullRequest, Reviewers: w.Logins, Limit: WorkLimit})
		if err != nil {
			return nil, err
		}
		for _, it := range reviewed {
			rg := ReviewGiven{RepoItem: it}
			for _, r := range it.Reviews {
				if slices.Contains(w.Logins, strings.ToLower(r.Author)) {
					rg.ReviewState, rg.ReviewedAt = r.State, r.SubmittedAt
				}
			}
			w.Reviews = append(w.Reviews, rg)
		}
	}
	for e := range emails {
		issues, err := c.st.TrackerIssues(ctx, catalog.TrackerQuery{AssigneeEmail: e, Limit: WorkLimit})
		if err != nil {
			return nil, err
		}
		w.Tracker = append(w.Tracker, issues...)
	}
	slices.SortFunc(w.Tracker, func(a, b catalog.TrackerIssue) int {
		if c := b.Updated.Compare(a.Updated); c != 0 {
			return c
		}
		return strings.Compare(a.Key, b.Key)
	})
	w.Tracker = slices.CompactFunc(w.Tracker, func(a, b catalog.TrackerIssue) bool { return a.Source == b.Source && a.Key == b.Key })
	w.Tracker = w.Tracker[:min(len(w.Tracker), WorkLimit)]
	return w, nil
}

// items returns the forge items q selects, never nil.
func (c *Catalog) items(ctx context.Context, q catalog.ForgeItemQuery) ([]catalog.RepoItem, error) {
	its, err := c.st.QueryForgeItems(ctx, q)
	return nonNil(its), err
}
