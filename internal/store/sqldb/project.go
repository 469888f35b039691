package sqldb

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/store"
)

// projectCols are the columns of projects that SELECTs read, in the order
// scanProject expects.
const projectCols = `p.id, p.key, p.name, p.path, p.bare, p.remote_url, p.default_branch,
	p.head_commit, p.head_date, p.description, p.description_source, p.topics, p.lifecycle,
	p.system, p.kind, p.commits, p.scanner_version, p.config_hash, p.scanned_at, p.scan_duration_ns, p.revision,
	p.tracker_projects`

// childTables hold a project's facts; ReplaceProject and DeleteProject empty
// them for the project.
var childTables = []string{
	"contribution_weeks", "contributions", "project_languages", "project_owners",
	"project_files", "project_problems", "dependencies",
	"project_licenses", "dependency_licenses", "license_findings", // see license.go
	"project_readmes",                      // see readme.go
	"project_docs",                         // see docs.go
	"project_expertise", "project_authors", // see expertise.go
}

// ReplaceProject implements store.Store. It upserts the project row by Key
// (so the ID is kept), deletes every fact row of the project, inserts the new
// facts with multi-row INSERTs, updates the package use counts by the
// difference between the old and new dependencies (see useCounts) and
// records a project_history entry for the HEAD commit (one per HEAD: a
// rescan of the same commit updates it), all in one transaction. p is not
// modified. Strings are stored cleaned (see clean), README text included.
func (s *Store) ReplaceProject(ctx context.Context, p *catalog.Project) (int64, error) {
	if p == nil {
		return 0, errors.New("replace project: nil project")
	}
	key := clean(p.Key)
	if key == "" {
		return 0, errors.New("replace project: empty key")
	}
	var id int64
	err := s.write(ctx, fmt.Sprintf("replace project %q", key), func(t tx) error {
		var counts useCounts
		var err error
		if id, err = replaceProject(ctx, t, key, p, &counts); err != nil {
			return err
		}
		return counts.apply(ctx, t)
	})
	if err != nil {
		return 0, err
	}
	return id, nil
}

// ReplaceProjects implements store.Store: each replacement is what
// ReplaceProject and then AddScore do, and the whole batch is one
// transaction, so the pages that projects share (the tables' last pages,
// their indexes, the package counts) are written once per batch rather
// than once per project.
func (s *Store) ReplaceProjects(ctx context.Context, rs []catalog.Scanned) ([]int64, error) {
	keys := make([]string, len(rs))
	for i, r := range rs {
		if r.Project == nil {
			return nil, fmt.Errorf("replace projects: replacement %d: nil project", i)
		}
		if keys[i] = clean(r.Project.Key); keys[i] == "" {
			return nil, fmt.Errorf("replace projects: replacement %d: empty key", i)
		}
	}
	if len(rs) == 0 {
		return nil, nil
	}
	ids := make([]int64, len(rs))
	err := s.write(ctx, fmt.Sprintf("replace %d projects", len(rs)), func(t tx) error {
		var counts useCounts
		for i, r := range rs {
			id, err := replaceProject(ctx, t, keys[i], r.Project, &counts)
			if err != nil {
				return fmt.Errorf("replace project %q: %w", keys[i], err)
			}
			ids[i] = id
			if r.Score != nil {
				sc := *r.Score
				sc.ProjectID = id
				if err := addScore(ctx, t, sc); err != nil {
					return fmt.Errorf("add score of project %q: %w", keys[i], err)
				}
			}
		}
		return counts.apply(ctx, t)
	})
	if err != nil {
		return nil, err
	}
	return ids, nil
}

// replaceProject is ReplaceProject's work in t, for p whose cleaned key
// is key, but for the package counts: it adds the project's change to
// counts, which the caller applies last.
func replaceProject(ctx context.Context, t tx, key string, p *catalog.Project, counts *useCounts) (int64, error) {
	name, path, desc := clean(p.Name), clean(p.Path), clean(p.Description)
	search := fold(strings.Join([]string{name, key, path, desc}, "\n"))
	var id int64
	err := t.queryRow(ctx, `INSERT INTO projects (key, name, name_fold, path, bare, remote_url,
			default_branch, head_commit, head_date, description, description_source, topics,
			lifecycle, system, kind, commits, scanner_version, config_hash, scanned_at,
			scan_duration_ns, search, revision, tracker_projects)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,
			(SELECT COALESCE(MAX(revision), 0) + 1 FROM projects), ?)
		ON CONFLICT (key) DO UPDATE SET name = excluded.name, name_fold = excluded.name_fold,
			path = excluded.path, bare = excluded.bare, remote_url = excluded.remote_url,
			default_branch = excluded.default_branch, head_commit = excluded.head_commit,
			head_date = excluded.head_date, description = excluded.description,
			description_source = excluded.description_source, topics = excluded.topics,
			lifecycle = excluded.lifecycle, system = excluded.system, kind = excluded.kind,
			commits = excluded.commits, scanner_version = excluded.scanner_version,
			config_hash = excluded.config_hash, scanned_at = excluded.scanned_at,
			scan_duration_ns = excluded.scan_duration_ns, search = excluded.search,
			revision = excluded.revision, tracker_projects = excluded.tracker_projects
		RETURNING id`,
		key, name, fold(name), path, p.Bare, clean(p.RemoteURL), clean(p.DefaultBranch),
		clean(p.HeadCommit), encTime(p.HeadDate), desc, clean(p.DescriptionSource),
		encStrings(p.Topics), clean(p.Lifecycle), clean(p.System), clean(p.Kind), p.Commits,
		clean(p.ScannerVersion), clean(p.ConfigHash), encTime(p.ScannedAt),
		int64(p.ScanDuration), search, encStrings(p.TrackerProjects),
	).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("upsert project: %w", err)
	}
	old, err := storedUses(ctx, t, id)
	if err != nil {
		return 0, err
	}
	if err := deleteFacts(ctx, t, id); err != nil {
		return 0, err
	}
	if err := insertFacts(ctx, t, id, p); err != nil {
		return 0, err
	}
	uses, err := insertDependencies(ctx, t, id, p.Dependencies)
	if err != nil {
		return 0, err
	}
	counts.add(old, uses)
	if err := insertLicenses(ctx, t, id, p); err != nil {
		return 0, err
	}
	if err := insertReadme(ctx, t, id, p); err != nil {
		return 0, err
	}
	if err := insertDocs(ctx, t, id, p); err != nil {
		return 0, err
	}
	if err := insertExpertise(ctx, t, id, p); err != nil {
		return 0, err
	}
	summary, err := json.Marshal(summarise(p))
	if err != nil {
		return 0, fmt.Errorf("history summary: %w", err)
	}
	// One history row per HEAD: a rescan of the same commit (another
	// scan running at once, a forced rescan) updates it.
	if _, err := t.exec(ctx, `INSERT INTO project_history (project_id, scanned_at, head_commit, summary)
		VALUES (?, ?, ?, ?)
		ON CONFLICT (project_id, head_commit) DO UPDATE SET scanned_at = excluded.scanned_at,
			summary = excluded.summary`, id, encTime(p.ScannedAt), clean(p.HeadCommit), string(summary)); err != nil {
		return 0, fmt.Errorf("insert history: %w", err)
	}
	return id, nil
}

func deleteFacts(ctx context.Context, t tx, id int64) error {
	for _, table := range childTables {
		if _, err := t.exec(ctx, `DELETE FROM `+table+` WHERE project_id = ?`, id); err != nil {
			return fmt.Errorf("delete from %s: %w", table, err)
		}
	}
	return nil
}

func insertFacts(ctx context.Context, t tx, id int64, p *catalog.Project) error {
	err := t.insertRows(ctx, "project_languages", []string{"project_id", "pos", "name", "name_fold", "bytes", "files"},
		len(p.Languages), func(i int, a []any) []any {
			l := p.Languages[i]
			name := clean(l.Name)
			return append(a, id, i, name, fold(name), l.Bytes, l.Files)
		})
	if err != nil {
		return err
	}
	err = t.insertRows(ctx, "project_owners", []string{"project_id", "pos", "owner", "owner_fold", "source", "path", "pattern"},
		len(p.Owners), func(i int, a []any) []any {
			o := p.Owners[i]
			owner := clean(o.Owner)
			return append(a, id, i, owner, fold(owner), clean(o.Source), clean(o.Path), clean(o.Pattern))
		})
	if err != nil {
		return err
	}
	err = t.insertRows(ctx, "project_files", []string{"project_id", "pos", "kind", "path"},
		len(p.Files), func(i int, a []any) []any {
			f := p.Files[i]
			return append(a, id, i, clean(f.Kind), clean(f.Path))
		})
	if err != nil {
		return err
	}
	err = t.insertRows(ctx, "project_problems", []string{"project_id", "pos", "kind", "path", "message"},
		len(p.Problems), func(i int, a []any) []any {
			pr := p.Problems[i]
			return append(a, id, i, clean(pr.Kind), clean(pr.Path), clean(pr.Message))
		})
	if err != nil {
		return err
	}
	err = t.insertRows(ctx, "contributions", []string{"project_id", "idx", "name", "email", "commits",
		"lines_added", "lines_removed", "first_commit", "last_commit"},
		len(p.Contributors), func(i int, a []any) []any {
			c := &p.Contributors[i]
			return append(a, id, i, clean(c.Name), clean(c.Email), c.Commits, c.LinesAdded, c.LinesRemoved,
				encTime(c.FirstCommit), encTime(c.LastCommit))
		})
	if err != nil {
		return err
	}
	// Weeks are flattened so that small contributors share statements.
	type weekRef struct{ contributor, week int }
	var weeks []weekRef
	for i := range p.Contributors {
		for j := range p.Contributors[i].Weeks {
			weeks = append(weeks, weekRef{i, j})
		}
	}
	return t.insertRows(ctx, "contribution_weeks", []string{"project_id", "idx", "week", "commits",
		"lines_added", "lines_removed"},
		len(weeks), func(i int, a []any) []any {
			r := weeks[i]
			w := p.Contributors[r.contributor].Weeks[r.week]
			return append(a, id, r.contributor, encTime(w.Week), w.Commits, w.LinesAdded, w.LinesRemoved)
		})
}

// historySummary is the JSON recorded in project_history at each scan: the
// figures whose trends are worth drawing.
type historySummary struct {
	ScannerVersion string           `json:"scanner_version,omitempty"`
	Commits        int              `json:"commits"`
	Contributors   int              `json:"contributors"`
	Languages      map[string]int64 `json:"languages,omitempty"`
	Files          []string         `json:"files,omitempty"`
	Problems       int              `json:"problems"`
	Dependencies   int              `json:"dependencies,omitempty"`
	DurationNS     int64            `json:"duration_ns,omitempty"`
}

func summarise(p *catalog.Project) historySummary {
	h := historySummary{
		ScannerVersion: clean(p.ScannerVersion),
		Commits:        p.Commits,
		Contributors:   len(p.Contributors),
		Problems:       len(p.Problems),
		Dependencies:   len(p.Dependencies),
		DurationNS:     int64(p.ScanDuration),
	}
	if len(p.Languages) > 0 {
		h.Languages = make(map[string]int64, len(p.Languages))
		for _, l := range p.Languages {
			h.Languages[clean(l.Name)] += l.Bytes
		}
	}
	seen := map[string]bool{}
	for _, f := range p.Files {
		if k := clean(f.Kind); !seen[k] {
			seen[k] = true
			h.Files = append(h.Files, k)
		}
	}
	return h
}

// ProjectStates implements store.Store.
func (s *Store) ProjectStates(ctx context.Context) (map[string]store.State, error) {
	states := map[string]store.State{}
	err := s.read(ctx, "project states", func(t tx) error {
		rows, err := t.query(ctx, `SELECT id, key, head_commit, scanner_version, config_hash, path, remote_url,
			revision, scanned_at FROM projects`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var st store.State
			var scanned sql.NullInt64
			if err := rows.Scan(&st.ID, &st.Key, &st.HeadCommit, &st.ScannerVersion, &st.ConfigHash, &st.Path, &st.RemoteURL,
				&st.Revision, &scanned); err != nil {
				return err
			}
			st.ScannedAt = decTime(scanned)
			states[st.Key] = st
		}
		return rows.Err()
	})
	if err != nil {
		return nil, err
	}
	return states, nil
}

// ProjectStamps implements store.Store.
func (s *Store) ProjectStamps(ctx context.Context) ([]store.State, error) {
	// Read into a slice of what is read (a State is four times larger:
	// growing a slice of 50,000 of them cost more than the query).
	type stamp struct {
		id, revision int64
		key          string
		scanned      sql.NullInt64
	}
	var stamps []stamp
	err := s.read(ctx, "project stamps", func(t tx) error {
		return eachRow(ctx, t, "projects", `SELECT id, key, revision, scanned_at FROM projects ORDER BY id`, nil,
			func(rows *sql.Rows) error {
				var st stamp
				if err := rows.Scan(&st.id, &st.key, &st.revision, &st.scanned); err != nil {
					return err
				}
				stamps = append(stamps, st)
				return nil
			})
	})
	if err != nil || len(stamps) == 0 {
		return nil, err
	}
	out := make([]store.State, len(stamps))
	for i, st := range stamps {
		out[i] = store.State{ID: st.id, Key: st.key, Revision: st.revision, ScannedAt: decTime(st.scanned)}
	}
	return out, nil
}

// ProjectState implements store.Store.
func (s *Store) ProjectState(ctx context.Context, key string) (store.State, error) {
	var st store.State
	key = clean(key)
	err := s.read(ctx, fmt.Sprintf("project state %q", key), func(t tx) error {
		var scanned sql.NullInt64
		err := t.queryRow(ctx, `SELECT id, key, head_commit, scanner_version, config_hash, path, remote_url, revision, scanned_at
			FROM projects WHERE key = ?`, key).Scan(&st.ID, &st.Key, &st.HeadCommit, &st.ScannerVersion, &st.ConfigHash, &st.Path,
			&st.RemoteURL, &st.Revision, &scanned)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("project %q: %w", key, store.ErrNotFound)
		}
		st.ScannedAt = decTime(scanned)
		return err
	})
	return st, err
}

// TouchProject implements store.Store: the project's ScannedAt becomes t, the
// time its facts were last confirmed; nothing else changes and no history
// entry is added.
func (s *Store) TouchProject(ctx context.Context, key string, t time.Time) error {
	key = clean(key)
	return s.write(ctx, fmt.Sprintf("touch project %q", key), func(tx tx) error {
		res, err := tx.exec(ctx, `UPDATE projects SET scanned_at = ? WHERE key = ?`, encTime(t), key)
		if err != nil {
			return err
		}
		return mustAffect(res, store.ErrNotFound)
	})
}

// touchBatch is how many keys one UPDATE of TouchProjects names (well under
// SQLite's and PostgreSQL's limits on bound parameters).
const touchBatch = 1000

// TouchProjects implements store.Store.
func (s *Store) TouchProjects(ctx context.Context, keys []string, t time.Time) (int, error) {
	if len(keys) == 0 {
		return 0, nil
	}
	touched := 0
	err := s.write(ctx, fmt.Sprintf("touch %d projects", len(keys)), func(tx tx) error {
		touched = 0
		at := encTime(t)
		for start := 0; start < len(keys); start += touchBatch {
			chunk := keys[start:min(start+touchBatch, len(keys))]
			args := make([]any, 0, len(chunk)+1)
			args = append(args, at)
			for _, k := range chunk {
				args = append(args, clean(k))
			}
			res, err := tx.exec(ctx, `UPDATE projects SET scanned_at = ? WHERE key IN `+inClause(len(chunk)), args...)
			if err != nil {
				return err
			}
			n, err := res.RowsAffected()
			if err != nil {
				return err
			}
			touched += int(n)
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return touched, nil
}

// DeleteProject implements store.Store. The project's history goes with it.
func (s *Store) DeleteProject(ctx context.Context, key string) error {
	key = clean(key)
	return s.write(ctx, fmt.Sprintf("delete project %q", key), func(t tx) error {
		var id int64
		err := t.queryRow(ctx, `SELECT id FROM projects WHERE key = ?`, key).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			return store.ErrNotFound
		}
		if err != nil {
			return err
		}
		old, err := storedUses(ctx, t, id)
		if err != nil {
			return err
		}
		if err := deleteFacts(ctx, t, id); err != nil {
			return err
		}
		var counts useCounts
		counts.add(old, nil)
		if err := counts.apply(ctx, t); err != nil {
			return err
		}
		if _, err := t.exec(ctx, `DELETE FROM project_history WHERE project_id = ?`, id); err != nil {
			return fmt.Errorf("delete history: %w", err)
		}
		_, err = t.exec(ctx, `DELETE FROM projects WHERE id = ?`, id)
		return err
	})
}

// mustAffect returns errNone if res affected no row.
func mustAffect(res sql.Result, errNone error) error {
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return errNone
	}
	return nil
}

// Project implements store.Store. ref is tried as an ID, then as a Key, then
// as a Path, then as a Name compared case-insensitively; among several
// projects whose names differ only in case, an exact match wins.
func (s *Store) Project(ctx context.Context, ref string) (*catalog.Project, error) {
	var p *catalog.Project
	err := s.read(ctx, fmt.Sprintf("project %q", ref), func(t tx) error {
		const byID = `SELECT ` + projectCols + ` FROM projects p WHERE p.id = ?`
		// An ID, the hub's reference, is read at once (one query fewer).
		if n, err := strconv.ParseInt(clean(ref), 10, 64); err == nil {
			ps, err := loadProjects(ctx, t, byID, "?", []any{n}, true)
			if err != nil {
				return err
			}
			if len(ps) == 1 {
				p = &ps[0]
				return nil
			}
		}
		id, err := resolveProject(ctx, t, clean(ref))
		if err != nil {
			return err
		}
		ps, err := loadProjects(ctx, t, byID, "?", []any{id}, true)
		if err != nil {
			return err
		}
		if len(ps) != 1 { // deleted between the two queries: impossible in one transaction
			return store.ErrNotFound
		}
		p = &ps[0]
		return nil
	})
	if err != nil {
		return nil, err
	}
	return p, nil
}

type projectMatch struct {
	id        int64
	key, name string
}

func resolveProject(ctx context.Context, t tx, ref string) (int64, error) {
	find := func(where string, arg any) ([]projectMatch, error) {
		rows, err := t.query(ctx, `SELECT id, key, name FROM projects WHERE `+where+` ORDER BY key`, arg)
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		var ms []projectMatch
		for rows.Next() {
			var m projectMatch
			if err := rows.Scan(&m.id, &m.key, &m.name); err != nil {
				return nil, err
			}
			ms = append(ms, m)
		}
		return ms, rows.Err()
	}
	ambiguous := func(ms []projectMatch) error {
		keys := make([]string, len(ms))
		for i, m := range ms {
			keys[i] = m.key
		}
		return fmt.Errorf("%w: %d projects match: %s", store.ErrAmbiguous, len(ms), strings.Join(keys, ", "))
	}
	if n, err := strconv.ParseInt(ref, 10, 64); err == nil {
		ms, err := find("id = ?", n)
		if err != nil {
			return 0, err
		}
		if len(ms) == 1 {
			return ms[0].id, nil
		}
	}
	for _, where := range []string{"key = ?", "path = ?"} {
		ms, err := find(where, ref)
		if err != nil {
			return 0, err
		}
		switch len(ms) {
		case 0:
			continue
		case 1:
			return ms[0].id, nil
		default:
			return 0, ambiguous(ms)
		}
	}
	ms, err := find("name_fold = ?", fold(ref))
	if err != nil {
		return 0, err
	}
	switch len(ms) {
	case 0:
		return 0, store.ErrNotFound
	case 1:
		return ms[0].id, nil
	}
	var exact []projectMatch
	for _, m := range ms {
		if m.name == ref {
			exact = append(exact, m)
		}
	}
	if len(exact) == 1 {
		return exact[0].id, nil
	}
	return 0, ambiguous(ms)
}

// ListProjects implements store.Store. The projects come with their
// languages, owners, files, problems, contributors and licence (without
// weekly activity and without dependencies, which can be tens of thousands a
// project, without dependency licences and licence findings, and without the
// README, up to 16 KiB a project), read with one query per kind of fact
// whatever the number of projects.
func (s *Store) ListProjects(ctx context.Context, f store.ProjectFilter) ([]catalog.Project, error) {
	var where []string
	var args []any
	if f.Query != "" {
		where = append(where, `p.search LIKE ? ESCAPE '\'`)
		args = append(args, likeContains(f.Query))
	}
	if f.Language != "" {
		where = append(where, `EXISTS (SELECT 1 FROM project_languages l WHERE l.project_id = p.id AND l.name_fold = ?)`)
		args = append(args, fold(f.Language))
	}
	if f.Owner != "" {
		where = append(where, `EXISTS (SELECT 1 FROM project_owners o WHERE o.project_id = p.id AND o.owner_fold = ?)`)
		args = append(args, fold(f.Owner))
	}
	if f.IDs != nil {
		return s.listProjectsByID(ctx, f, where, args)
	}
	tail := ""
	if len(where) > 0 {
		tail = " WHERE " + strings.Join(where, " AND ")
	}
	tail += " ORDER BY p.name, p.key"
	if f.Limit > 0 || f.Offset > 0 {
		limit := int64(f.Limit)
		if limit <= 0 {
			limit = 1<<63 - 1
		}
		tail += " LIMIT ? OFFSET ?"
		args = append(args, limit, max(f.Offset, 0))
	}
	var ps []catalog.Project
	err := s.read(ctx, "list projects", func(t tx) error {
		var err error
		ps, err = loadProjects(ctx, t, `SELECT `+projectCols+` FROM projects p`+tail,
			`SELECT p.id FROM projects p`+tail, args, false)
		return err
	})
	if err != nil {
		return nil, err
	}
	return ps, nil
}

// listProjectsByID is ListProjects for a filter naming IDs: the IDs are
// read a chunk at a time (each chunk's facts with one query per kind, as
// for the whole list), then merged in the list's order and paged.
func (s *Store) listProjectsByID(ctx context.Context, f store.ProjectFilter, where []string, args []any) ([]catalog.Project, error) {
	ids := uniqueIDs(f.IDs)
	var ps []catalog.Project
	err := s.read(ctx, fmt.Sprintf("list %d projects", len(ids)), func(t tx) error {
		ps = nil
		chunk := min(maxRowsPerInsert, t.d.MaxParams-len(args))
		for start := 0; start < len(ids); start += chunk {
			end := min(start+chunk, len(ids))
			a := slices.Clone(args)
			for _, id := range ids[start:end] {
				a = append(a, id)
			}
			tail := " WHERE " + strings.Join(append(slices.Clone(where), `p.id IN `+inClause(end-start)), " AND ")
			some, err := loadProjects(ctx, t, `SELECT `+projectCols+` FROM projects p`+tail, `SELECT p.id FROM projects p`+tail, a, false)
			if err != nil {
				return err
			}
			ps = append(ps, some...)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(ps, func(a, b catalog.Project) int {
		return cmp.Or(strings.Compare(a.Name, b.Name), strings.Compare(a.Key, b.Key))
	})
	if f.Offset > 0 {
		ps = ps[min(f.Offset, len(ps)):]
	}
	if f.Limit > 0 && len(ps) > f.Limit {
		ps = ps[:f.Limit]
	}
	if len(ps) == 0 {
		return nil, nil
	}
	return ps, nil
}

// loadProjects reads the projects that query selects (with args) and their
// facts. ids is a query (or "?") selecting the same projects' IDs with the
// same args; fact queries use it as "project_id IN (ids)". Weekly activity,
// dependencies, dependency licences, licence findings and the README are
// read only if full is set.
func loadProjects(ctx context.Context, t tx, query, ids string, args []any, full bool) ([]catalog.Project, error) {
	var ps []catalog.Project
	err := eachRow(ctx, t, "projects", query, args, func(rows *sql.Rows) error {
		p, err := scanProject(rows)
		ps = append(ps, p)
		return err
	})
	if err != nil {
		return nil, err
	}
	if len(ps) == 0 {
		return nil, nil
	}
	byID := make(map[int64]*catalog.Project, len(ps))
	for i := range ps {
		byID[ps[i].ID] = &ps[i]
	}
	in := " IN (" + ids + ")"
	project := func(id int64) *catalog.Project {
		if p := byID[id]; p != nil {
			return p
		}
		return &catalog.Project{} // cannot happen: ids selects the same projects
	}

	err = eachRow(ctx, t, "languages", `SELECT project_id, name, bytes, files FROM project_languages
		WHERE project_id`+in+` ORDER BY project_id, bytes DESC, name`, args, func(rows *sql.Rows) error {
		var id int64
		var l catalog.Language
		if err := rows.Scan(&id, &l.Name, &l.Bytes, &l.Files); err != nil {
			return err
		}
		p := project(id)
		p.Languages = append(p.Languages, l)
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = eachRow(ctx, t, "owners", `SELECT project_id, owner, source, path, pattern FROM project_owners
		WHERE project_id`+in+` ORDER BY project_id, pos`, args, func(rows *sql.Rows) error {
		var id int64
		var o catalog.Owner
		if err := rows.Scan(&id, &o.Owner, &o.Source, &o.Path, &o.Pattern); err != nil {
			return err
		}
		p := project(id)
		p.Owners = append(p.Owners, o)
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = eachRow(ctx, t, "files", `SELECT project_id, kind, path FROM project_files
		WHERE project_id`+in+` ORDER BY project_id, pos`, args, func(rows *sql.Rows) error {
		var id int64
		var f catalog.FileFact
		if err := rows.Scan(&id, &f.Kind, &f.Path); err != nil {
			return err
		}
		p := project(id)
		p.Files = append(p.Files, f)
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = eachRow(ctx, t, "problems", `SELECT project_id, kind, path, message FROM project_problems
		WHERE project_id`+in+` ORDER BY project_id, pos`, args, func(rows *sql.Rows) error {
		var id int64
		var pr catalog.Problem
		if err := rows.Scan(&id, &pr.Kind, &pr.Path, &pr.Message); err != nil {
			return err
		}
		p := project(id)
		p.Problems = append(p.Problems, pr)
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = eachRow(ctx, t, "contributions", `SELECT c.project_id, c.name, c.email, c.commits,
			c.lines_added, c.lines_removed, c.first_commit, c.last_commit, COALESCE(i.person_id, '')
		FROM contributions c
		LEFT JOIN person_identities i ON i.name = c.name AND i.email = c.email
		WHERE c.project_id`+in+` ORDER BY c.project_id, c.idx`, args, func(rows *sql.Rows) error {
		var id int64
		var c catalog.Contribution
		var first, last sql.NullInt64
		if err := rows.Scan(&id, &c.Name, &c.Email, &c.Commits, &c.LinesAdded, &c.LinesRemoved,
			&first, &last, &c.PersonID); err != nil {
			return err
		}
		c.FirstCommit, c.LastCommit = decTime(first), decTime(last)
		p := project(id)
		p.Contributors = append(p.Contributors, c)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if err := loadLicenses(ctx, t, in, args, full, project); err != nil {
		return nil, err
	}
	if !full {
		return ps, nil
	}
	if err := loadReadmes(ctx, t, in, args, project); err != nil {
		return nil, err
	}
	if err := loadExpertise(ctx, t, in, args, project); err != nil {
		return nil, err
	}
	err = eachRow(ctx, t, "dependencies", `SELECT d.project_id, `+depReadCols+` FROM dependencies d
		WHERE d.project_id`+in+` ORDER BY d.project_id, `+depOrder, args, func(rows *sql.Rows) error {
		var id int64
		var d catalog.Dependency
		if err := scanDependency(rows, &d, &id); err != nil {
			return err
		}
		p := project(id)
		p.Dependencies = append(p.Dependencies, d)
		return nil
	})
	if err != nil {
		return nil, err
	}
	// Contributions are stored with idx = their position in Contributors,
	// which is where they were read back to.
	err = eachRow(ctx, t, "weekly activity", `SELECT project_id, idx, week, commits, lines_added,
			lines_removed FROM contribution_weeks
		WHERE project_id`+in+` ORDER BY project_id, idx, week`, args, func(rows *sql.Rows) error {
		var id int64
		var idx int
		var week sql.NullInt64
		var w catalog.WeekActivity
		if err := rows.Scan(&id, &idx, &week, &w.Commits, &w.LinesAdded, &w.LinesRemoved); err != nil {
			return err
		}
		w.Week = decTime(week)
		p := project(id)
		if idx < 0 || idx >= len(p.Contributors) {
			return fmt.Errorf("week of contributor %d of project %d, which has %d", idx, id, len(p.Contributors))
		}
		c := &p.Contributors[idx]
		c.Weeks = append(c.Weeks, w)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return ps, nil
}

// eachRow runs q and calls fn for each row. what names the rows in errors.
func eachRow(ctx context.Context, t tx, what, q string, args []any, fn func(*sql.Rows) error) error {
	rows, err := t.query(ctx, q, args...)
	if err != nil {
		return fmt.Errorf("read %s: %w", what, err)
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return fmt.Errorf("read %s: %w", what, err)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read %s: %w", what, err)
	}
	return nil
}

// scanProject reads the projectCols of one row.
func scanProject(r *sql.Rows) (catalog.Project, error) {
	var p catalog.Project
	var headDate, scannedAt sql.NullInt64
	var topics, trackers string
	var dur int64
	err := r.Scan(&p.ID, &p.Key, &p.Name, &p.Path, &p.Bare, &p.RemoteURL, &p.DefaultBranch,
		&p.HeadCommit, &headDate, &p.Description, &p.DescriptionSource, &topics, &p.Lifecycle,
		&p.System, &p.Kind, &p.Commits, &p.ScannerVersion, &p.ConfigHash, &scannedAt, &dur, &p.Revision, &trackers)
	if err != nil {
		return p, err
	}
	p.HeadDate, p.ScannedAt = decTime(headDate), decTime(scannedAt)
	p.ScanDuration = time.Duration(dur)
	if p.Topics, err = decStrings(topics); err != nil {
		return p, fmt.Errorf("project %s: topics: %w", p.Key, err)
	}
	if p.TrackerProjects, err = decStrings(trackers); err != nil {
		return p, fmt.Errorf("project %s: tracker projects: %w", p.Key, err)
	}
	return p, nil
}
