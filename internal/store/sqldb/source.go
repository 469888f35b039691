package sqldb

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/store"
)

const sourceStateCols = `name, kind, status, last_attempt, last_success, last_error, cursor,
	rate_limit, rate_remaining, rate_reset, requests, not_modified`

// SourceStates implements store.SourceStore.
func (s *Store) SourceStates(ctx context.Context) ([]catalog.SourceState, error) {
	var out []catalog.SourceState
	err := s.read(ctx, "source states", func(t tx) error {
		return eachRow(ctx, t, "source states", `SELECT `+sourceStateCols+` FROM source_states ORDER BY name`, nil,
			func(rows *sql.Rows) error {
				st, err := scanSourceState(rows)
				if err != nil {
					return err
				}
				out = append(out, st)
				return nil
			})
	})
	return out, err
}

// SourceState implements store.SourceStore.
func (s *Store) SourceState(ctx context.Context, name string) (*catalog.SourceState, error) {
	var st catalog.SourceState
	err := s.read(ctx, "source state", func(t tx) error {
		var err error
		st, err = scanSourceState(t.queryRow(ctx, `SELECT `+sourceStateCols+` FROM source_states WHERE name = ?`, clean(name)))
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("source %q: %w", name, store.ErrNotFound)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return &st, nil
}

type scanner interface{ Scan(...any) error }

func scanSourceState(r scanner) (catalog.SourceState, error) {
	var st catalog.SourceState
	var attempt, success, reset sql.NullInt64
	var cursor string
	if err := r.Scan(&st.Name, &st.Kind, &st.Status, &attempt, &success, &st.LastError, &cursor,
		&st.Rate.Limit, &st.Rate.Remaining, &reset, &st.Requests, &st.NotModified); err != nil {
		return st, err
	}
	st.LastAttempt, st.LastSuccess, st.Rate.Reset = decTime(attempt), decTime(success), decTime(reset)
	if err := json.Unmarshal([]byte(cursor), &st.Cursor); err != nil {
		return st, fmt.Errorf("source %s: cursor: %w", st.Name, err)
	}
	if len(st.Cursor) == 0 {
		st.Cursor = nil
	}
	return st, nil
}

// SaveSourceState implements store.SourceStore.
func (s *Store) SaveSourceState(ctx context.Context, st catalog.SourceState) error {
	if st.Name == "" || st.Kind == "" {
		return fmt.Errorf("save source state: name and kind are required: %w", store.ErrInvalid)
	}
	cursor := map[string]string{}
	for k, v := range st.Cursor {
		cursor[clean(k)] = clean(v)
	}
	cur, _ := json.Marshal(cursor) // cannot fail for map[string]string
	return s.write(ctx, "save source state", func(t tx) error {
		_, err := t.exec(ctx, `INSERT INTO source_states (`+sourceStateCols+`)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (name) DO UPDATE SET kind = excluded.kind, status = excluded.status,
				last_attempt = excluded.last_attempt, last_success = excluded.last_success,
				last_error = excluded.last_error, cursor = excluded.cursor,
				rate_limit = excluded.rate_limit, rate_remaining = excluded.rate_remaining,
				rate_reset = excluded.rate_reset, requests = excluded.requests,
				not_modified = excluded.not_modified`,
			clean(st.Name), clean(st.Kind), clean(st.Status), encTime(st.LastAttempt), encTime(st.LastSuccess),
			clean(st.LastError), string(cur), st.Rate.Limit, st.Rate.Remaining, encTime(st.Rate.Reset),
			st.Requests, st.NotModified)
		return err
	})
}

// ReplaceForgeRepo implements store.SourceStore.
func (s *Store) ReplaceForgeRepo(ctx context.Context, r catalog.ForgeRepo, kinds []string, items []catalog.ForgeItem) error {
	if r.Source == "" || r.FullName == "" || r.ID == 0 {
		return fmt.Errorf("save forge repository %q: source, full name and id are required: %w", r.FullName, store.ErrInvalid)
	}
	for _, it := range items {
		if !slices.Contains(kinds, it.Kind) {
			return fmt.Errorf("save forge repository %s: item %s #%d is not of a kind being replaced: %w",
				r.FullName, it.Kind, it.Number, store.ErrInvalid)
		}
	}
	return s.write(ctx, "save forge repository", func(t tx) error {
		var id int64
		err := t.queryRow(ctx, `INSERT INTO forge_repos (source, forge_id, project_key, full_name, url, clone_url,
				description, topics, visibility, archived, fork, stars, forks, watchers, open_issues,
				default_branch, license, pushed_at, updated_at, synced_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (source, forge_id) DO UPDATE SET project_key = excluded.project_key,
				full_name = excluded.full_name, url = excluded.url, clone_url = excluded.clone_url,
				description = excluded.description, topics = excluded.topics,
				visibility = excluded.visibility, archived = excluded.archived, fork = excluded.fork,
				stars = excluded.stars, forks = excluded.forks, watchers = excluded.watchers,
				open_issues = excluded.open_issues, default_branch = excluded.default_branch,
				license = excluded.license, pushed_at = excluded.pushed_at,
				updated_at = excluded.updated_at, synced_at = excluded.synced_at
			RETURNING id`,
			clean(r.Source), r.ID, clean(r.ProjectKey), clean(r.FullName), clean(r.URL), clean(r.CloneURL),
			clean(r.Description), encStrings(r.Topics), clean(r.Visibility), r.Archived, r.Fork,
			r.Stars, r.Forks, r.Watchers, r.OpenIssues, clean(r.DefaultBranch), clean(r.License),
			encTime(r.PushedAt), encTime(r.UpdatedAt), encTime(r.SyncedAt)).Scan(&id)
		if err != nil {
			return fmt.Errorf("upsert %s: %w", r.FullName, err)
		}
		for _, k := range kinds {
			if _, err := t.exec(ctx, `DELETE FROM forge_items WHERE repo_id = ? AND kind = ?`, id, clean(k)); err != nil {
				return fmt.Errorf("delete %s items: %w", k, err)
			}
		}
		// The last of two items with the same kind and number wins.
		seen := map[[2]any]int{}
		var uniq []catalog.ForgeItem
		for _, it := range items {
			k := [2]any{it.Kind, it.Number}
			if i, ok := seen[k]; ok {
				uniq[i] = it
				continue
			}
			seen[k] = len(uniq)
			uniq = append(uniq, it)
		}
		cols := []string{"repo_id", "kind", "number", "title", "state", "author", "url", "labels", "tag",
			"created_at", "updated_at", "closed_at", "merged_at", "first_response_at", "comments", "reviews",
			"requested_reviewers", "requested_teams"}
		return t.insertRows(ctx, "forge_items", cols, len(uniq), func(i int, args []any) []any {
			it := uniq[i]
			return append(args, id, clean(it.Kind), it.Number, clean(it.Title), clean(it.State), clean(it.Author),
				clean(it.URL), encStrings(it.Labels), clean(it.Tag), encTime(it.CreatedAt), encTime(it.UpdatedAt),
				encTime(it.ClosedAt), encTime(it.MergedAt), encTime(it.FirstResponseAt), it.Comments,
				encReviews(it.Reviews), encStrings(it.RequestedReviewers), encStrings(it.RequestedTeams))
		})
	})
}

// storedReview is a catalog.Review as forge_items.reviews holds it.
type storedReview struct {
	Author      string `json:"a"`
	State       string `json:"s"`
	SubmittedAt any    `json:"t,omitempty"`
}

func encReviews(rs []catalog.Review) string {
	out := make([]storedReview, len(rs))
	for i, r := range rs {
		out[i] = storedReview{Author: clean(r.Author), State: clean(r.State), SubmittedAt: encTime(r.SubmittedAt)}
	}
	b, _ := json.Marshal(out) // cannot fail
	return string(b)
}

func decReviews(s string) ([]catalog.Review, error) {
	var in []struct {
		Author      string `json:"a"`
		State       string `json:"s"`
		SubmittedAt *int64 `json:"t"`
	}
	if err := json.Unmarshal([]byte(s), &in); err != nil {
		return nil, err
	}
	if len(in) == 0 {
		return nil, nil
	}
	out := make([]catalog.Review, len(in))
	for i, r := range in {
		out[i] = catalog.Review{Author: r.Author, State: r.State}
		if r.SubmittedAt != nil {
			out[i].SubmittedAt = decTime(sql.NullInt64{Int64: *r.SubmittedAt, Valid: true})
		}
	}
	return out, nil
}

// ForgeRepos implements store.SourceStore.
func (s *Store) ForgeRepos(ctx context.Context, source string) ([]catalog.ForgeRepo, error) {
	var where string
	var args []any
	if source != "" {
		where = ` WHERE source = ?`
		args = append(args, clean(source))
	}
	return s.forgeRepos(ctx, where+` ORDER BY full_name, source`, args)
}

// ProjectForgeRepos implements store.SourceStore.
func (s *Store) ProjectForgeRepos(ctx context.Context, projectKey string) ([]catalog.ForgeRepo, error) {
	return s.forgeRepos(ctx, ` WHERE project_key = ? ORDER BY source, forge_id`, []any{clean(projectKey)})
}

// forgeRepos reads the forge repositories selected by the WHERE and ORDER
// BY clauses in tail.
func (s *Store) forgeRepos(ctx context.Context, tail string, args []any) ([]catalog.ForgeRepo, error) {
	q := `SELECT source, forge_id, project_key, full_name, url, clone_url, description, topics, visibility,
		archived, fork, stars, forks, watchers, open_issues, default_branch, license, pushed_at, updated_at,
		synced_at FROM forge_repos` + tail
	var out []catalog.ForgeRepo
	err := s.readStatement(ctx, "forge repositories", func(t tx) error {
		return eachRow(ctx, t, "forge repositories", q, args, func(rows *sql.Rows) error {
			var r catalog.ForgeRepo
			var topics string
			var pushed, updated, synced sql.NullInt64
			if err := rows.Scan(&r.Source, &r.ID, &r.ProjectKey, &r.FullName, &r.URL, &r.CloneURL, &r.Description,
				&topics, &r.Visibility, &r.Archived, &r.Fork, &r.Stars, &r.Forks, &r.Watchers, &r.OpenIssues,
				&r.DefaultBranch, &r.License, &pushed, &updated, &synced); err != nil {
				return err
			}
			var err error
			if r.Topics, err = decStrings(topics); err != nil {
				return fmt.Errorf("%s topics: %w", r.FullName, err)
			}
			r.PushedAt, r.UpdatedAt, r.SyncedAt = decTime(pushed), decTime(updated), decTime(synced)
			out = append(out, r)
			return nil
		})
	})
	return out, err
}

// ForgeItems implements store.SourceStore.
func (s *Store) ForgeItems(ctx context.Context, projectKey, kind string, limit int) ([]catalog.ForgeItem, error) {
	q := `SELECT ` + forgeItemCols + `, r.project_key, r.full_name
		FROM forge_items i JOIN forge_repos r ON r.id = i.repo_id WHERE r.project_key = ?`
	args := []any{clean(projectKey)}
	if kind != "" {
		q += ` AND i.kind = ?`
		args = append(args, clean(kind))
	}
	q += ` ORDER BY i.created_at DESC, i.kind, i.number DESC`
	if limit > 0 {
		q += ` LIMIT ?`
		args = append(args, limit)
	}
	items, err := s.forgeItems(ctx, q, args, nil, 0)
	out := make([]catalog.ForgeItem, len(items))
	for i, it := range items {
		out[i] = it.ForgeItem
	}
	return out, err
}

// QueryForgeItems implements store.SourceStore.
func (s *Store) QueryForgeItems(ctx context.Context, fq catalog.ForgeItemQuery) ([]catalog.RepoItem, error) {
	var where []string
	var args []any
	if fq.Kind != "" {
		where, args = append(where, "i.kind = ?"), append(args, clean(fq.Kind))
	}
	if fq.OpenOnly {
		where = append(where, "i.state = 'open'")
	}
	if len(fq.ProjectKeys) > 0 {
		marks := make([]string, len(fq.ProjectKeys))
		for i, k := range fq.ProjectKeys {
			marks[i], args = "?", append(args, clean(k))
		}
		where = append(where, "r.project_key IN ("+strings.Join(marks, ", ")+")")
	}
	label := strings.ToLower(clean(fq.Label))
	if label != "" {
		// The labels are a JSON array: narrow with LIKE on the encoded
		// label (wildcards escaped), then compare exactly below.
		enc, _ := json.Marshal(label)
		pat := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(string(enc))
		where, args = append(where, `LOWER(i.labels) LIKE ? ESCAPE '\'`), append(args, "%"+pat+"%")
	}
	if len(fq.Authors) > 0 {
		marks := make([]string, len(fq.Authors))
		for i, a := range fq.Authors {
			marks[i], args = "?", append(args, strings.ToLower(clean(a)))
		}
		where = append(where, "LOWER(i.author) IN ("+strings.Join(marks, ", ")+")")
	}
	reviewers := map[string]bool{}
	if len(fq.Reviewers) > 0 {
		// The reviews are a JSON array: narrow with LIKE on each encoded
		// author, then compare exactly below.
		var ors []string
		for _, r := range fq.Reviewers {
			r = strings.ToLower(clean(r))
			reviewers[r] = true
			enc, _ := json.Marshal(r)
			pat := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(`"a":` + string(enc))
			ors, args = append(ors, `LOWER(i.reviews) LIKE ? ESCAPE '\'`), append(args, "%"+pat+"%")
		}
		where = append(where, "("+strings.Join(ors, " OR ")+")")
	}
	requested := map[string]bool{}
	if len(fq.RequestedReviewers)+len(fq.RequestedTeams) > 0 {
		// Both are JSON arrays of strings: narrow with LIKE on each
		// encoded name, then compare exactly below.
		var ors []string
		for col, names := range map[string][]string{"requested_reviewers": fq.RequestedReviewers, "requested_teams": fq.RequestedTeams} {
			for _, n := range names {
				n = strings.ToLower(clean(n))
				requested[col+"\x00"+n] = true
				enc, _ := json.Marshal(n)
				pat := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(string(enc))
				ors, args = append(ors, `LOWER(i.`+col+`) LIKE ? ESCAPE '\'`), append(args, "%"+pat+"%")
			}
		}
		where = append(where, "("+strings.Join(ors, " OR ")+")")
	}
	q := `SELECT ` + forgeItemCols + `, r.project_key, r.full_name
		FROM forge_items i JOIN forge_repos r ON r.id = i.repo_id`
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	q += ` ORDER BY i.updated_at IS NULL, i.updated_at DESC, r.full_name, i.kind, i.number DESC`
	// The limit is applied after the exact label and reviewer comparisons.
	keep := func(it catalog.RepoItem) bool {
		if label != "" && !slices.ContainsFunc(it.Labels, func(l string) bool { return strings.ToLower(l) == label }) {
			return false
		}
		if len(reviewers) > 0 && !slices.ContainsFunc(it.Reviews, func(r catalog.Review) bool { return reviewers[strings.ToLower(r.Author)] }) {
			return false
		}
		return len(requested) == 0 ||
			slices.ContainsFunc(it.RequestedReviewers, func(l string) bool { return requested["requested_reviewers\x00"+strings.ToLower(l)] }) ||
			slices.ContainsFunc(it.RequestedTeams, func(t string) bool { return requested["requested_teams\x00"+strings.ToLower(t)] })
	}
	return s.forgeItems(ctx, q, args, keep, fq.Limit)
}

// forgeItemCols are the columns forgeItems reads, before the repository's.
const forgeItemCols = `i.kind, i.number, i.title, i.state, i.author, i.url, i.labels, i.tag, i.created_at,
		i.updated_at, i.closed_at, i.merged_at, i.first_response_at, i.comments, i.reviews, i.requested_reviewers,
		i.requested_teams`

// forgeItems reads the items of query (forgeItemCols, then the project
// key and full name of the repository), keeping those keep accepts (all
// when it is nil), at most limit when it is positive.
func (s *Store) forgeItems(ctx context.Context, query string, args []any, keep func(catalog.RepoItem) bool, limit int) ([]catalog.RepoItem, error) {
	var out []catalog.RepoItem
	err := s.read(ctx, "forge items", func(t tx) error {
		return eachRow(ctx, t, "forge items", query, args, func(rows *sql.Rows) error {
			if limit > 0 && len(out) >= limit {
				return nil
			}
			var it catalog.RepoItem
			var labels, reviews, reqReviewers, reqTeams string
			var created, updated, closed, merged, first sql.NullInt64
			if err := rows.Scan(&it.Kind, &it.Number, &it.Title, &it.State, &it.Author, &it.URL, &labels, &it.Tag,
				&created, &updated, &closed, &merged, &first, &it.Comments, &reviews, &reqReviewers, &reqTeams,
				&it.ProjectKey, &it.Repo); err != nil {
				return err
			}
			var err error
			if it.RequestedReviewers, err = decStrings(reqReviewers); err != nil {
				return fmt.Errorf("requested reviewers: %w", err)
			}
			if it.RequestedTeams, err = decStrings(reqTeams); err != nil {
				return fmt.Errorf("requested teams: %w", err)
			}
			if it.Labels, err = decStrings(labels); err != nil {
				return fmt.Errorf("labels: %w", err)
			}
			if it.Reviews, err = decReviews(reviews); err != nil {
				return fmt.Errorf("reviews: %w", err)
			}
			if keep != nil && !keep(it) {
				return nil
			}
			it.CreatedAt, it.UpdatedAt, it.ClosedAt = decTime(created), decTime(updated), decTime(closed)
			it.MergedAt, it.FirstResponseAt = decTime(merged), decTime(first)
			out = append(out, it)
			return nil
		})
	})
	return out, err
}

// ReplaceEntities implements store.SourceStore.
func (s *Store) ReplaceEntities(ctx context.Context, source string, ents []catalog.Entity) error {
	if source == "" {
		return fmt.Errorf("replace entities: a source is required: %w", store.ErrInvalid)
	}
	byRef := map[string]int{}
	var uniq []catalog.Entity
	for _, e := range ents {
		if e.Kind == "" || e.Name == "" {
			return fmt.Errorf("replace entities of %s: an entity without kind or name: %w", source, store.ErrInvalid)
		}
		if e.Source != source {
			return fmt.Errorf("replace entities of %s: entity %s is from source %q: %w", source, e.Ref(), e.Source, store.ErrInvalid)
		}
		if e.Namespace == "" {
			e.Namespace = "default"
		}
		ref := catalog.EntityRef(clean(e.Kind), clean(e.Namespace), clean(e.Name))
		if i, ok := byRef[ref]; ok {
			uniq[i] = e
			continue
		}
		byRef[ref] = len(uniq)
		uniq = append(uniq, e)
	}
	return s.write(ctx, "replace entities", func(t tx) error {
		if _, err := t.exec(ctx, `DELETE FROM entities WHERE source = ?`, clean(source)); err != nil {
			return fmt.Errorf("delete: %w", err)
		}
		cols := []string{"source", "ref", "kind", "namespace", "name", "title", "description", "type", "lifecycle",
			"owner", "system", "member_of", "email", "project_key", "document"}
		return t.insertRows(ctx, "entities", cols, len(uniq), func(i int, args []any) []any {
			e := uniq[i]
			return append(args, clean(source), catalog.EntityRef(clean(e.Kind), clean(e.Namespace), clean(e.Name)),
				clean(e.Kind), clean(e.Namespace), clean(e.Name), clean(e.Title), clean(e.Description), clean(e.Type),
				clean(e.Lifecycle), clean(e.Owner), clean(e.System), encStrings(e.MemberOf), clean(e.Email),
				clean(e.ProjectKey), clean(e.Document))
		})
	})
}

// Entities implements store.SourceStore.
func (s *Store) Entities(ctx context.Context, source string) ([]catalog.Entity, error) {
	q := `SELECT source, kind, namespace, name, title, description, type, lifecycle, owner, system, member_of,
		email, project_key, document FROM entities`
	var args []any
	if source != "" {
		q += ` WHERE source = ?`
		args = append(args, clean(source))
	}
	q += ` ORDER BY ref, source`
	var out []catalog.Entity
	err := s.readStatement(ctx, "entities", func(t tx) error {
		return eachRow(ctx, t, "entities", q, args, func(rows *sql.Rows) error {
			var e catalog.Entity
			var member string
			if err := rows.Scan(&e.Source, &e.Kind, &e.Namespace, &e.Name, &e.Title, &e.Description, &e.Type,
				&e.Lifecycle, &e.Owner, &e.System, &member, &e.Email, &e.ProjectKey, &e.Document); err != nil {
				return err
			}
			var err error
			if e.MemberOf, err = decStrings(member); err != nil {
				return fmt.Errorf("%s member_of: %w", e.Name, err)
			}
			out = append(out, e)
			return nil
		})
	})
	return out, err
}

// DeleteSource implements store.SourceStore.
func (s *Store) DeleteSource(ctx context.Context, name string) error {
	return s.write(ctx, "delete source", func(t tx) error {
		for _, q := range []string{
			`DELETE FROM forge_items WHERE repo_id IN (SELECT id FROM forge_repos WHERE source = ?)`,
			`DELETE FROM forge_repos WHERE source = ?`,
			`DELETE FROM entities WHERE source = ?`,
			`DELETE FROM refresh_requests WHERE source = ?`,
			`DELETE FROM tracker_issues WHERE source = ?`,
			`DELETE FROM tracker_links WHERE source = ?`,
			`DELETE FROM builds WHERE source = ?`,
			`DELETE FROM artifacts WHERE source = ?`,
			`DELETE FROM build_uses WHERE source = ?`,
			`DELETE FROM source_states WHERE name = ?`,
		} {
			if _, err := t.exec(ctx, q, clean(name)); err != nil {
				return err
			}
		}
		return nil
	})
}

// RequestRefresh implements store.SourceStore.
func (s *Store) RequestRefresh(ctx context.Context, r catalog.Refresh) (bool, error) {
	if r.Source == "" || r.FullName == "" || r.ID == 0 {
		return false, fmt.Errorf("request refresh: source, full name and id are required: %w", store.ErrInvalid)
	}
	var queued bool
	err := s.write(ctx, "request refresh", func(t tx) error {
		res, err := t.exec(ctx, `INSERT INTO refresh_requests (source, forge_id, full_name, event, requested_at)
			VALUES (?, ?, ?, ?, ?) ON CONFLICT (source, forge_id) DO NOTHING`,
			clean(r.Source), r.ID, clean(r.FullName), clean(r.Event), encTime(r.RequestedAt))
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		queued = n > 0
		return err
	})
	return queued, err
}

// PendingRefreshes implements store.SourceStore.
func (s *Store) PendingRefreshes(ctx context.Context, source string) ([]catalog.Refresh, error) {
	var out []catalog.Refresh
	err := s.read(ctx, "pending refreshes", func(t tx) error {
		return eachRow(ctx, t, "refresh requests", `SELECT source, forge_id, full_name, event, requested_at
			FROM refresh_requests WHERE source = ? ORDER BY requested_at, forge_id`, []any{clean(source)},
			func(rows *sql.Rows) error {
				var r catalog.Refresh
				var at sql.NullInt64
				if err := rows.Scan(&r.Source, &r.ID, &r.FullName, &r.Event, &at); err != nil {
					return err
				}
				r.RequestedAt = decTime(at)
				out = append(out, r)
				return nil
			})
	})
	return out, err
}

// DoneRefreshes implements store.SourceStore.
func (s *Store) DoneRefreshes(ctx context.Context, source string, upTo time.Time) error {
	return s.write(ctx, "done refreshes", func(t tx) error {
		_, err := t.exec(ctx, `DELETE FROM refresh_requests WHERE source = ? AND requested_at <= ?`, clean(source), encTime(upTo))
		return err
	})
}

// RekeyProject implements store.SourceStore, in one transaction.
func (s *Store) RekeyProject(ctx context.Context, from, to string) error {
	from, to = clean(from), clean(to)
	if from == "" || to == "" {
		return fmt.Errorf("rekey project %q to %q: both keys are required: %w", from, to, store.ErrInvalid)
	}
	if from == to {
		return nil
	}
	return s.write(ctx, "rekey project", func(t tx) error {
		var n int
		if err := t.queryRow(ctx, `SELECT COUNT(*) FROM projects WHERE key = ?`, to).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return fmt.Errorf("rekey project %q: a project %q exists: %w", from, to, store.ErrExists)
		}
		res, err := t.exec(ctx, `UPDATE projects SET key = ? WHERE key = ?`, to, from)
		if err != nil {
			return err
		}
		if k, _ := res.RowsAffected(); k == 0 {
			return fmt.Errorf("rekey project %q: %w", from, store.ErrNotFound)
		}
		// The facts other sources and derivations keyed by the project's
		// key follow it; a derivation cursor already kept under the new
		// key wins.
		if _, err := t.exec(ctx, `DELETE FROM event_cursors WHERE project_key = ? AND EXISTS
				(SELECT 1 FROM event_cursors c WHERE c.project_key = ?)`, from, to); err != nil {
			return err
		}
		for _, table := range []string{"builds", "build_uses", "tracker_links", "events", "event_cursors", "entities"} {
			if _, err := t.exec(ctx, `UPDATE `+table+` SET project_key = ? WHERE project_key = ?`, to, from); err != nil {
				return fmt.Errorf("%s: %w", table, err)
			}
		}
		return nil
	})
}

// AnnotatedTrackerProjects implements store.SourceStore.
func (s *Store) AnnotatedTrackerProjects(ctx context.Context) (map[string][]string, error) {
	out := map[string][]string{}
	err := s.read(ctx, "annotated tracker projects", func(t tx) error {
		return eachRow(ctx, t, "annotated tracker projects",
			`SELECT key, tracker_projects FROM projects WHERE tracker_projects != '[]' ORDER BY key`, nil,
			func(rows *sql.Rows) error {
				var key, enc string
				if err := rows.Scan(&key, &enc); err != nil {
					return err
				}
				trackers, err := decStrings(enc)
				if err != nil {
					return fmt.Errorf("project %s: tracker projects: %w", key, err)
				}
				for _, tp := range trackers {
					out[tp] = append(out[tp], key)
				}
				return nil
			})
	})
	return out, err
}
