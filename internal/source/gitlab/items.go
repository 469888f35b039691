package gitlab

import (
	"context"
	"fmt"
	"hash/fnv"
	"net/url"
	"strconv"
	"time"

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

	var rels []*release
	if _, err := s.client.get(ctx, projectPath(fr.ID, "releases"), url.Values{"per_page": {"100"}}, &rels); err != nil {
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
func (s *Source) listMergeRequests(ctx context.Context, pid int64, after *time.Time) ([]*mergeRequest, error) {
	return listUpdated[mergeRequest](ctx, s, projectPath(pid, "merge_requests"), after)
}

// listIssues reads up to maxPages pages of a project's issues, most
// recently updated first, updated after after when set.
func (s *Source) listIssues(ctx context.Context, pid int64, after *time.Time) ([]*issue, error) {
	return listUpdated[issue](ctx, s, projectPath(pid, "issues"), after)
}

// listUpdated reads up to maxPages pages of a project's listing (merge
// requests or issues) in every state, most recently updated first, updated
// after after when set.
func listUpdated[T any](ctx context.Context, s *Source, path string, after *time.Time) ([]*T, error) {
	var all []*T
	kv := []string{"state", "all", "order_by", "updated_at", "sort", "desc"}
	if after != nil {
		kv = append(kv, "updated_after", after.UTC().Format(time.RFC3339))
	}
	for page, n := 1, 1; n <= s.maxPages; n++ {
		var items []*T
		next, err := s.client.get(ctx, path, pageQuery(page, kv...), &items)
		if err != nil {
			return nil, err
		}
		all = append(all, items...)
		if next == 0 {
			break
		}
		page = next
	}
	return all, nil
}

// projectPath is the API path of a project's listing: projects/ID/what.
func projectPath(pid int64, what ...string) string {
	p := "projects/" + strconv.FormatInt(pid, 10)
	for _, w := range what {
		p += "/" + w
	}
	return p
}

// approvals reads who approved a merge request, as reviews.
func (s *Source) approvals(ctx context.Context, pid, iid int64) ([]catalog.Review, error) {
	var a approvals
	if _, err := s.client.get(ctx, projectPath(pid, "merge_requests", strconv.FormatInt(iid, 10), "approvals"), nil, &a); err != nil {
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
	what := "issues"
	if it.Kind == catalog.ItemPullRequest {
		what = "merge_requests"
	}
	var notes []*note
	if _, err := s.client.get(ctx, projectPath(pid, what, strconv.FormatInt(it.Number, 10), "notes"),
		pageQuery(1, "order_by", "created_at", "sort", "asc"), &notes); err != nil {
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
func mergeRequestItem(mr *mergeRequest) catalog.ForgeItem {
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
func issueItem(is *issue) catalog.ForgeItem {
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
func releaseItem(r *release, projectURL string) catalog.ForgeItem {
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
