package estate

import (
	"context"
	"slices"
	"time"

	"github.com/ospo-project/ospo/internal/catalog"
)

// Sources returns the sync state of every source that has synced, ordered
// by name. States hold no secret (see catalog.SourceState).
func (c *Catalog) Sources(ctx context.Context) ([]catalog.SourceState, error) {
	states, err := c.st.SourceStates(ctx)
	if states == nil {
		states = []catalog.SourceState{}
	}
	return states, err
}

// Forge is what forges say about one project: its repositories as the
// sources see them and their recent pull requests, issues and releases.
type Forge struct {
	Repos        []catalog.ForgeRepo `json:"repos"`
	PullRequests []catalog.ForgeItem `json:"pull_requests"`
	Issues       []catalog.ForgeItem `json:"issues"`
	Releases     []catalog.ForgeItem `json:"releases"`
	// OpenPullRequests, OpenIssues and GoodFirstIssues count the open
	// items among those read (at most ForgeItemLimit of each kind).
	OpenPullRequests int `json:"open_pull_requests"`
	OpenIssues       int `json:"open_issues"`
	GoodFirstIssues  int `json:"good_first_issues"`
	// MedianFirstResponse is the median time from opening to the first
	// response by someone else, over the items that had one; zero if none.
	MedianFirstResponse time.Duration `json:"median_first_response_ns,omitempty"`
}

// ForgeItemLimit is the most items of each kind Forge returns.
const ForgeItemLimit = 50

// Forge returns what forges say about the project with key, newest items
// first. A project no source knows gets an empty Forge.
func (c *Catalog) Forge(ctx context.Context, key string) (*Forge, error) {
	f := &Forge{Repos: []catalog.ForgeRepo{}, PullRequests: []catalog.ForgeItem{}, Issues: []catalog.ForgeItem{},
		Releases: []catalog.ForgeItem{}}
	repos, err := c.st.ProjectForgeRepos(ctx, key)
	if err != nil || len(repos) == 0 {
		return f, err
	}
	f.Repos = repos
	var waits []time.Duration
	for _, kind := range []string{catalog.ItemPullRequest, catalog.ItemIssue, catalog.ItemRelease} {
		items, err := c.st.ForgeItems(ctx, key, kind, ForgeItemLimit)
		if err != nil {
			return nil, err
		}
		for _, it := range items {
			if it.State == "open" {
				switch kind {
				case catalog.ItemPullRequest:
					f.OpenPullRequests++
				case catalog.ItemIssue:
					f.OpenIssues++
					if slices.Contains(it.Labels, "good first issue") {
						f.GoodFirstIssues++
					}
				}
			}
			if !it.FirstResponseAt.IsZero() && !it.CreatedAt.IsZero() {
				waits = append(waits, it.FirstResponseAt.Sub(it.CreatedAt))
			}
		}
		switch kind {
		case catalog.ItemPullRequest:
			f.PullRequests = items
		case catalog.ItemIssue:
			f.Issues = items
		default:
			f.Releases = items
		}
	}
	if len(waits) > 0 {
		slices.Sort(waits)
		f.MedianFirstResponse = waits[len(waits)/2]
	}
	return f, nil
}

// TrackerLimit is the most issue-tracker issues Tracker returns.
const TrackerLimit = 50

// Tracker returns the issues of the tracker (JIRA) projects linked to the
// project with key, most recently updated first; none when no tracker
// project is linked to it.
func (c *Catalog) Tracker(ctx context.Context, key string) ([]catalog.TrackerIssue, error) {
	issues, err := c.st.TrackerIssues(ctx, catalog.TrackerQuery{ProjectKey: key, Limit: TrackerLimit})
	if issues == nil {
		issues = []catalog.TrackerIssue{}
	}
	return issues, err
}

// BuildLimit is the most builds Builds returns.
const BuildLimit = 30

// BuildHealth is a project's CI builds and what they say.
type BuildHealth struct {
	Builds []catalog.Build `json:"builds"`
	// LastResult is the result of the newest finished build.
	LastResult string `json:"last_result,omitempty"`
	// SuccessRate is the share of the finished builds listed that
	// succeeded, 0 to 1; Finished counts them.
	SuccessRate float64 `json:"success_rate"`
	Finished    int     `json:"finished"`
}

// Builds returns the latest CI builds of the project with key and their
// health; an empty list when no CI source knows it.
func (c *Catalog) Builds(ctx context.Context, key string) (*BuildHealth, error) {
	builds, err := c.st.Builds(ctx, catalog.BuildQuery{ProjectKey: key, Limit: BuildLimit})
	if err != nil {
		return nil, err
	}
	h := &BuildHealth{Builds: builds}
	if h.Builds == nil {
		h.Builds = []catalog.Build{}
	}
	ok := 0
	for _, b := range builds {
		if b.Building || b.Result == "" {
			continue
		}
		if h.LastResult == "" {
			h.LastResult = b.Result
		}
		h.Finished++
		if b.Result == "SUCCESS" {
			ok++
		}
	}
	if h.Finished > 0 {
		h.SuccessRate = float64(ok) / float64(h.Finished)
	}
	return h, nil
}
