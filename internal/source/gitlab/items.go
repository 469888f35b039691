package gitlab

import (
	"context"
	"fmt"
	"hash/fnv"
	"time"

	gl "gitlab.com/gitlab-org/api/client-go/v2"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/sourcesync"
)

// readItems reads a project's merge requests, issues and releases. With
// since set (the project was read before), only merge requests and issues
// updated after it are asked for and merged into the stored ones; approvals
// and notes are read only for those. Releases are one short listing and are
// read whole.
func (s *Source) readItems(ctx context.Context, sink sourcesync.Sink, fr, old catalog.ForgeRepo, known bool,
	since time.Time) ([]string, []catalog.ForgeItem, error) {
	kept := map[[2]any]catalog.ForgeItem{}
	if known && !since.IsZero() {
		olds, err := sink.ForgeItems(ctx, old.ProjectKey, "", 0)
		if err != nil {
			return nil, nil, err
		}
		for _, it := range olds {
			if it.Kind != catalog.ItemRelease {
				kept[[2]any{it.Kind, it.Number}] = it
			}
		}
	}
	var after *time.Time
	if !since.IsZero() {
		after = &since
	}

	mrs, err := s.listMergeRequests(ctx, fr.ID, after)
	if err != nil {
		return nil, nil, fmt.Errorf("list the merge requests of %s: %w", fr.FullName, err)
	}
	for _, mr := range mrs {
		it := mergeRequestItem(mr)
		if it.Reviews, err = s.approvals(ctx, fr.ID, mr.IID); err != nil {
			return nil, nil, fmt.Errorf("read the approvals of %s!%d: %w", fr.FullName, mr.IID, err)
		}
		var noted time.Time
		if it.Comments > 0 {
			if noted, err = s.firstNote(ctx, fr.ID, it); err != nil {
				return nil, nil, fmt.Errorf("list the notes of %s!%d: %w", fr.FullName, mr.IID, err)
			}
		}
		it.FirstResponseAt = firstResponse(it, noted)
		kept[[2]any{it.Kind, it.Number}] = it
	}

	issues, err := s.listIssues(ctx, fr.ID, after)
	if err != nil {
		return nil, nil, fmt.Errorf("list the issues of %s: %w", fr.FullName, err)
	}
	for _, is := range issues {
		it := issueItem(is)
		if it.Comments > 0 {
			noted, err := s.firstNote(ctx, fr.ID, it)
			if err != nil {
				return nil, nil, fmt.Errorf("list the notes of %s#%d: %w", fr.FullName, is.IID, err)
			}
			it.FirstResponseAt = noted
		}
		kept[[2]any{it.Kind, it.Number}] = it
	}

	rels, _, err := s.client.Releases.ListReleases(fr.ID, &gl.ListReleasesOptions{ListOptions: gl.ListOptions{PerPage: 100}}, gl.WithContext(ctx))
	if err != nil {
		return nil, nil, fmt.Errorf("list the releases of %s: %w", fr.FullName, err)
	}
	items := make([]catalog.ForgeItem, 0, len(kept)+len(rels))
	for _, it := range kept {
		items = append(items, it)
	}
	for _, r := range rels {
		items = append(items, releaseItem(r, fr.URL))
	}
	return []string{catalog.ItemIssue, catalog.ItemPullRequest, catalog.ItemRelease}, items, nil
}

// listMergeRequests reads up to maxPages pages of a project's merge
// requests, most recently updated first, updated after after when set.
func (s *Source) listMergeRequests(ctx context.Context, pid int64, after *time.Time) ([]*gl.BasicMergeRequest, error) {
	var all []*gl.BasicMergeRequest
	opts := &gl.ListProjectMergeRequestsOptions{ListOptions: gl.ListOptions{PerPage: 100, Page: 1},
		State: gl.Ptr("all"), OrderBy: gl.Ptr("updated_at"), Sort: gl.Ptr("desc"), UpdatedAfter: after}
	for page := 1; page <= s.maxPages; page++ {
		mrs, resp, err := s.client.MergeRequests.ListProjectMergeRequests(pid, opts, gl.WithContext(ctx))
		if err != nil {
			return nil, err
		}
		all = append(all, mrs...)
		if resp.NextPage == 0 {
			break
		}
		opts.Page = resp.NextPage
	}
	return all, nil
}

// listIssues reads up to maxPages pages of a project's issues, most
// recently updated first, updated after after when set.
func (s *Source) listIssues(ctx context.Context, pid int64, after *time.Time) ([]*gl.Issue, error) {
	var all []*gl.Issue
	opts := &gl.ListProjectIssuesOptions{ListOptions: gl.ListOptions{PerPage: 100, Page: 1},
		State: gl.Ptr("all"), OrderBy: gl.Ptr("updated_at"), Sort: gl.Ptr("desc"), UpdatedAfter: after}
	for page := 1; page <= s.maxPages; page++ {
		issues, resp, err := s.client.Issues.ListProjectIssues(pid, opts, gl.WithContext(ctx))
		if err != nil {
			return nil, err
		}
		all = append(all, issues...)
		if resp.NextPage == 0 {
			break
		}
		opts.Page = resp.NextPage
	}
	return all, nil
}

// approvals reads who approved a merge request, as reviews.
func (s *Source) approvals(ctx context.Context, pid, iid int64) ([]catalog.Review, error) {
	a, _, err := s.client.MergeRequestApprovals.GetConfiguration(pid, iid, gl.WithContext(ctx))
	if err != nil {
		return nil, err
	}
	var out []catalog.Review
	for _, u := range a.ApprovedBy {
		if u == nil || u.User == nil {
			continue
		}
		r := catalog.Review{Author: u.User.Username, State: "APPROVED"}
		if u.ApprovedAt != nil {
			r.SubmittedAt = u.ApprovedAt.UTC()
		}
		out = append(out, r)
	}
	return out, nil
}

// firstNote returns when someone other than the author first commented on
// an issue or merge request (the first page of its notes, oldest first);
// system notes ("changed the description", "closed") are not responses.
// Zero when nobody has.
func (s *Source) firstNote(ctx context.Context, pid int64, it catalog.ForgeItem) (time.Time, error) {
	var notes []*gl.Note
	var err error
	lo := gl.ListOptions{PerPage: 100, Page: 1}
	if it.Kind == catalog.ItemPullRequest {
		notes, _, err = s.client.Notes.ListMergeRequestNotes(pid, it.Number,
			&gl.ListMergeRequestNotesOptions{ListOptions: lo, OrderBy: gl.Ptr("created_at"), Sort: gl.Ptr("asc")}, gl.WithContext(ctx))
	} else {
		notes, _, err = s.client.Notes.ListIssueNotes(pid, it.Number,
			&gl.ListIssueNotesOptions{ListOptions: lo, OrderBy: gl.Ptr("created_at"), Sort: gl.Ptr("asc")}, gl.WithContext(ctx))
	}
	if err != nil {
		return time.Time{}, err
	}
	var first time.Time
	for _, n := range notes {
		if n.System || n.Author.Username == "" || n.Author.Username == it.Author || n.CreatedAt == nil {
			continue
		}
		if t := n.CreatedAt.UTC(); first.IsZero() || t.Before(first) {
			first = t
		}
	}
	return first, nil
}

// firstResponse returns the earliest of noted (zero if none) and the
// approvals by someone other than the author.
func firstResponse(it catalog.ForgeItem, noted time.Time) time.Time {
	first := noted
	for _, r := range it.Reviews {
		if r.Author != "" && r.Author != it.Author && !r.SubmittedAt.IsZero() && (first.IsZero() || r.SubmittedAt.Before(first)) {
			first = r.SubmittedAt
		}
	}
	return first
}

// mergeRequestItem turns a merge request into a pull-request fact; GitLab's
// states opened/closed/merged/locked become open/closed/merged/closed.
func mergeRequestItem(mr *gl.BasicMergeRequest) catalog.ForgeItem {
	it := catalog.ForgeItem{Kind: catalog.ItemPullRequest, Number: mr.IID, Title: mr.Title, State: state(mr.State),
		URL: mr.WebURL, Labels: []string(mr.Labels), Comments: int(mr.UserNotesCount),
		CreatedAt: utc(mr.CreatedAt), UpdatedAt: utc(mr.UpdatedAt), ClosedAt: utc(mr.ClosedAt), MergedAt: utc(mr.MergedAt)}
	if mr.Author != nil {
		it.Author = mr.Author.Username
	}
	if it.State == "open" {
		for _, r := range mr.Reviewers {
			if r != nil && r.Username != "" {
				it.RequestedReviewers = append(it.RequestedReviewers, r.Username)
			}
		}
	}
	if !it.MergedAt.IsZero() {
		it.State = "merged"
	}
	return it
}

// issueItem turns an issue into a fact.
func issueItem(is *gl.Issue) catalog.ForgeItem {
	it := catalog.ForgeItem{Kind: catalog.ItemIssue, Number: is.IID, Title: is.Title, State: state(is.State),
		URL: is.WebURL, Labels: []string(is.Labels), Comments: int(is.UserNotesCount),
		CreatedAt: utc(is.CreatedAt), UpdatedAt: utc(is.UpdatedAt), ClosedAt: utc(is.ClosedAt)}
	if is.Author != nil {
		it.Author = is.Author.Username
	}
	return it
}

// releaseItem turns a release into a fact. GitLab releases have no ID of
// their own (the tag names them), so the number is a hash of the tag.
func releaseItem(r *gl.Release, projectURL string) catalog.ForgeItem {
	state := "published"
	if r.UpcomingRelease {
		state = "prerelease"
	}
	created := utc(r.ReleasedAt)
	if created.IsZero() {
		created = utc(r.CreatedAt)
	}
	title := r.Name
	if title == "" {
		title = r.TagName
	}
	h := fnv.New64a()
	h.Write([]byte(r.TagName))
	it := catalog.ForgeItem{Kind: catalog.ItemRelease, Number: int64(h.Sum64() >> 1), Title: title, State: state,
		Author: r.Author.Username, Tag: r.TagName, CreatedAt: created}
	if projectURL != "" {
		it.URL = projectURL + "/-/releases/" + r.TagName
	}
	return it
}

func state(s string) string {
	switch s {
	case "opened":
		return "open"
	case "locked":
		return "closed"
	}
	return s
}

func utc(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return t.UTC()
}
