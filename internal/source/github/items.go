package github

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	gh "github.com/google/go-github/v75/github"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/sourcesync"
)

// readItems reads the issues, pull requests and releases of one repository
// with conditional requests, and returns the kinds it read afresh with their
// items; a kind whose listing was answered 304 is left out, so the store
// keeps what it has. prevCursor is the last sync's cursor, cursor this
// sync's (written here).
func (s *Source) readItems(ctx context.Context, sink sourcesync.Sink, prevCursor, cursor map[string]string,
	fr catalog.ForgeRepo, old catalog.ForgeRepo, known bool) ([]string, []catalog.ForgeItem, error) {
	owner, name, ok := strings.Cut(fr.FullName, "/")
	if !ok {
		return nil, nil, fmt.Errorf("repository name %q has no owner", fr.FullName)
	}
	id := strconv.FormatInt(fr.ID, 10)
	var kinds []string
	var items []catalog.ForgeItem

	// Issues and pull requests: GitHub lists both under issues.
	key := "issues:" + id
	issues, etag, err := s.listIssues(ctx, owner, name, prevCursor[key])
	switch {
	case notModified(err):
		cursor[key] = prevCursor[key]
	case err != nil:
		return nil, nil, fmt.Errorf("list the issues of %s: %w", fr.FullName, err)
	default:
		cursor[key] = etag
		kinds = append(kinds, catalog.ItemIssue, catalog.ItemPullRequest)
		// Reviews and comments are read again only for items updated since.
		prevItems := map[[2]any]catalog.ForgeItem{}
		if known {
			olds, err := sink.ForgeItems(ctx, old.ProjectKey, "", 0)
			if err != nil {
				return nil, nil, err
			}
			for _, it := range olds {
				prevItems[[2]any{it.Kind, it.Number}] = it
			}
		}
		// Who is asked to review: the issues listing does not say, the
		// open pull requests' listing does (one request per 100).
		asked, err := s.requestedReviewers(ctx, owner, name, issues)
		if err != nil {
			return nil, nil, fmt.Errorf("list the pull requests of %s: %w", fr.FullName, err)
		}
		for _, is := range issues {
			it := issueItem(is)
			if a, ok := asked[it.Number]; ok && it.Kind == catalog.ItemPullRequest && it.State == "open" {
				it.RequestedReviewers, it.RequestedTeams = a.users, a.teams
			}
			if p, ok := prevItems[[2]any{it.Kind, it.Number}]; ok && p.UpdatedAt.Equal(it.UpdatedAt) {
				it.Reviews, it.FirstResponseAt = p.Reviews, p.FirstResponseAt
				items = append(items, it)
				continue
			}
			if it.Kind == catalog.ItemPullRequest {
				if it.Reviews, err = s.reviews(ctx, owner, name, int(it.Number)); err != nil {
					return nil, nil, fmt.Errorf("list the reviews of %s#%d: %w", fr.FullName, it.Number, err)
				}
			}
			var commented time.Time
			if it.Comments > 0 {
				if commented, err = s.firstComment(ctx, owner, name, it); err != nil {
					return nil, nil, fmt.Errorf("list the comments of %s#%d: %w", fr.FullName, it.Number, err)
				}
			}
			it.FirstResponseAt = firstResponse(it, commented)
			items = append(items, it)
		}
	}

	key = "releases:" + id
	rels, resp, err := s.client.Repositories.ListReleases(withETag(ctx, prevCursor[key]), owner, name, &gh.ListOptions{PerPage: 100})
	switch {
	case notModified(err):
		cursor[key] = prevCursor[key]
	case err != nil:
		return nil, nil, fmt.Errorf("list the releases of %s: %w", fr.FullName, err)
	default:
		cursor[key] = resp.Header.Get("ETag")
		kinds = append(kinds, catalog.ItemRelease)
		for _, r := range rels {
			items = append(items, releaseItem(r))
		}
	}
	return kinds, items, nil
}

// listIssues reads up to maxPages pages of a repository's issues and pull
// requests, most recently updated first; the first page is conditional.
func (s *Source) listIssues(ctx context.Context, owner, name, etag string) ([]*gh.Issue, string, error) {
	var all []*gh.Issue
	var first string
	opts := &gh.IssueListByRepoOptions{State: "all", Sort: "updated", Direction: "desc", ListOptions: gh.ListOptions{PerPage: 100}}
	for page := 1; page <= s.maxPages; page++ {
		opts.ListOptions.Page = page
		c := ctx
		if page == 1 {
			c = withETag(ctx, etag)
		}
		issues, resp, err := s.client.Issues.ListByRepo(c, owner, name, opts)
		if err != nil {
			return nil, "", err
		}
		if page == 1 {
			first = resp.Header.Get("ETag")
		}
		all = append(all, issues...)
		if resp.NextPage == 0 {
			break
		}
	}
	return all, first, nil
}

// asked is who an open pull request asks a review of.
type asked struct{ users, teams []string }

// requestedReviewers reads who the open pull requests among issues ask a
// review of (GET /repos/{owner}/{repo}/pulls?state=open, up to maxPages
// pages), by number. It asks nothing when no pull request is open.
func (s *Source) requestedReviewers(ctx context.Context, owner, name string, issues []*gh.Issue) (map[int64]asked, error) {
	open := false
	for _, is := range issues {
		if is.PullRequestLinks != nil && is.GetState() == "open" {
			open = true
			break
		}
	}
	if !open {
		return nil, nil
	}
	out := map[int64]asked{}
	opts := &gh.PullRequestListOptions{State: "open", ListOptions: gh.ListOptions{PerPage: 100}}
	for page := 1; page <= s.maxPages; page++ {
		opts.Page = page
		prs, resp, err := s.client.PullRequests.List(ctx, owner, name, opts)
		if err != nil {
			return nil, err
		}
		for _, pr := range prs {
			var a asked
			for _, u := range pr.RequestedReviewers {
				if l := u.GetLogin(); l != "" {
					a.users = append(a.users, l)
				}
			}
			for _, t := range pr.RequestedTeams {
				if sl := t.GetSlug(); sl != "" {
					a.teams = append(a.teams, sl)
				}
			}
			out[int64(pr.GetNumber())] = a
		}
		if resp.NextPage == 0 {
			break
		}
	}
	return out, nil
}

// reviews reads a pull request's reviews, oldest first.
func (s *Source) reviews(ctx context.Context, owner, name string, number int) ([]catalog.Review, error) {
	var out []catalog.Review
	opts := &gh.ListOptions{PerPage: 100}
	for page := 1; page <= s.maxPages; page++ {
		opts.Page = page
		rs, resp, err := s.client.PullRequests.ListReviews(ctx, owner, name, number, opts)
		if err != nil {
			return nil, err
		}
		for _, r := range rs {
			out = append(out, catalog.Review{Author: r.GetUser().GetLogin(), State: r.GetState(),
				SubmittedAt: r.GetSubmittedAt().Time.UTC()})
		}
		if resp.NextPage == 0 {
			break
		}
	}
	return out, nil
}

// issueItem turns an issue (or a pull request listed as one) into a fact.
func issueItem(is *gh.Issue) catalog.ForgeItem {
	it := catalog.ForgeItem{
		Kind: catalog.ItemIssue, Number: int64(is.GetNumber()), Title: is.GetTitle(), State: is.GetState(),
		Author: is.GetUser().GetLogin(), URL: is.GetHTMLURL(), Comments: is.GetComments(),
		CreatedAt: is.GetCreatedAt().Time.UTC(), UpdatedAt: is.GetUpdatedAt().Time.UTC(),
		ClosedAt: is.GetClosedAt().Time.UTC(),
	}
	for _, l := range is.Labels {
		it.Labels = append(it.Labels, l.GetName())
	}
	if pr := is.PullRequestLinks; pr != nil {
		it.Kind = catalog.ItemPullRequest
		if pr.MergedAt != nil && !pr.MergedAt.IsZero() {
			it.MergedAt = pr.MergedAt.Time.UTC()
			it.State = "merged"
		}
	}
	return it
}

// firstComment returns when someone other than the author first commented
// on an issue or pull request (the first page of its comments, oldest
// first, is read); zero when nobody has.
func (s *Source) firstComment(ctx context.Context, owner, name string, it catalog.ForgeItem) (time.Time, error) {
	cs, _, err := s.client.Issues.ListComments(ctx, owner, name, int(it.Number),
		&gh.IssueListCommentsOptions{Sort: gh.Ptr("created"), Direction: gh.Ptr("asc"), ListOptions: gh.ListOptions{PerPage: 100}})
	if err != nil {
		return time.Time{}, err
	}
	for _, c := range cs {
		if login := c.GetUser().GetLogin(); login != "" && login != it.Author {
			return c.GetCreatedAt().Time.UTC(), nil
		}
	}
	return time.Time{}, nil
}

// firstResponse returns when someone other than the author first reviewed
// or (at commented, zero if never) commented; zero when nobody has.
func firstResponse(it catalog.ForgeItem, commented time.Time) time.Time {
	first := commented
	for _, r := range it.Reviews {
		if r.Author != "" && r.Author != it.Author && !r.SubmittedAt.IsZero() && (first.IsZero() || r.SubmittedAt.Before(first)) {
			first = r.SubmittedAt
		}
	}
	return first
}

// releaseItem turns a release into a fact.
func releaseItem(r *gh.RepositoryRelease) catalog.ForgeItem {
	state := "published"
	switch {
	case r.GetDraft():
		state = "draft"
	case r.GetPrerelease():
		state = "prerelease"
	}
	created := r.GetPublishedAt().Time
	if created.IsZero() {
		created = r.GetCreatedAt().Time
	}
	title := r.GetName()
	if title == "" {
		title = r.GetTagName()
	}
	return catalog.ForgeItem{Kind: catalog.ItemRelease, Number: r.GetID(), Title: title, State: state,
		Author: r.GetAuthor().GetLogin(), URL: r.GetHTMLURL(), Tag: r.GetTagName(), CreatedAt: created.UTC()}
}
