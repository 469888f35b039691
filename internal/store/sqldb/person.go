package sqldb

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/store"
)

// Identities implements store.Store, ordered by name then email.
func (s *Store) Identities(ctx context.Context) ([]catalog.IdentityCount, error) {
	var ids []catalog.IdentityCount
	err := s.read(ctx, "identities", func(t tx) error {
		return eachRow(ctx, t, "identities", `SELECT name, email, CAST(SUM(commits) AS BIGINT)
			FROM contributions GROUP BY name, email ORDER BY name, email`, nil, func(rows *sql.Rows) error {
			var ic catalog.IdentityCount
			if err := rows.Scan(&ic.Name, &ic.Email, &ic.Commits); err != nil {
				return err
			}
			ids = append(ids, ic)
			return nil
		})
	})
	if err != nil {
		return nil, err
	}
	return ids, nil
}

// ReplacePeople implements store.Store. Each person needs a non-empty ID, no
// two people may share an ID, and no identity may belong to two people;
// otherwise ReplacePeople returns an error and changes nothing. Only ID,
// Name, Email, Bot and Identities are stored; totals are computed on reading.
func (s *Store) ReplacePeople(ctx context.Context, people []catalog.Person) error {
	type identityRow struct {
		person string
		pos    int
		catalog.Identity
	}
	ps := make([]catalog.Person, len(people))
	var ids []identityRow
	from := make([]int, len(people)+1) // ids[from[i]:from[i+1]] are ps[i]'s
	personOf := map[string]int{}
	owner := map[catalog.Identity]string{}
	for i, p := range people {
		p.ID, p.Name, p.Email = clean(p.ID), clean(p.Name), clean(p.Email)
		if p.ID == "" {
			return fmt.Errorf("replace people: person %d (%s <%s>) has no ID", i, p.Name, p.Email)
		}
		if j, dup := personOf[p.ID]; dup {
			return fmt.Errorf("replace people: persons %d and %d share ID %q", j, i, p.ID)
		}
		personOf[p.ID] = i
		for pos, id := range p.Identities {
			id = catalog.Identity{Name: clean(id.Name), Email: clean(id.Email)}
			if prev, dup := owner[id]; dup {
				if prev == p.ID {
					continue // listed twice for one person: keep the first
				}
				return fmt.Errorf("replace people: identity %s <%s> belongs to both %q and %q", id.Name, id.Email, prev, p.ID)
			}
			owner[id] = p.ID
			ids = append(ids, identityRow{person: p.ID, pos: pos, Identity: id})
		}
		ps[i] = p
		from[i+1] = len(ids)
	}
	// Only the people whose digest differs from the stored one are written:
	// a Derive after each batch of scans replaces ~100,000 people of whom a
	// handful changed, and rewriting them all (with their identities, their
	// search text and six indexes) was most of what it cost.
	digests := make([]string, len(ps))
	var buf []byte
	for i := range ps {
		p := &ps[i]
		buf = appendField(buf[:0], p.ID)
		buf = appendField(buf, p.Name)
		buf = appendField(buf, p.Email)
		buf = strconv.AppendBool(buf, p.Bot)
		for _, id := range ids[from[i]:from[i+1]] {
			buf = strconv.AppendInt(buf, int64(id.pos), 10)
			buf = appendField(buf, id.Name)
			buf = appendField(buf, id.Email)
		}
		sum := sha256.Sum256(buf)
		digests[i] = hex.EncodeToString(sum[:16])
	}
	byID := make([]int, len(ps))
	for i := range byID {
		byID[i] = i
	}
	slices.SortFunc(byID, func(a, b int) int { return strings.Compare(ps[a].ID, ps[b].ID) })
	return s.write(ctx, "replace people", func(t tx) error {
		// The stored people in the order Go compares strings (byte order:
		// the column's collation is "C" on PostgreSQL, BINARY on SQLite),
		// merged with the sorted new ones.
		var put []int
		var drop []any
		j := 0
		err := eachRow(ctx, t, "people", `SELECT id, digest FROM people ORDER BY id`, nil, func(rows *sql.Rows) error {
			var id, digest string
			if err := rows.Scan(&id, &digest); err != nil {
				return err
			}
			for ; j < len(byID) && ps[byID[j]].ID < id; j++ {
				put = append(put, byID[j])
			}
			if j == len(byID) || ps[byID[j]].ID != id {
				drop = append(drop, id)
				return nil
			}
			if digests[byID[j]] != digest {
				put = append(put, byID[j])
			}
			j++
			return nil
		})
		if err != nil {
			return err
		}
		put = append(put, byID[j:]...)
		// The identities of the people rewritten or gone go first (one may
		// move from one to another), then the people are written, their
		// identities inserted, and the people who are gone deleted.
		gone := make([]any, 0, len(put)+len(drop))
		for _, i := range put {
			gone = append(gone, ps[i].ID)
		}
		gone = append(gone, drop...)
		if err := deleteKeys(ctx, t, "person_identities", "person_id", len(gone), func(k int, a []any) []any {
			return append(a, gone[k])
		}); err != nil {
			return err
		}
		_, err = t.upsertRows(ctx, "people", []string{"id", "name", "name_fold", "email", "email_fold", "bot", "search", "digest"},
			` ON CONFLICT (id) DO UPDATE SET name = excluded.name, name_fold = excluded.name_fold, email = excluded.email,
				email_fold = excluded.email_fold, bot = excluded.bot, search = excluded.search, digest = excluded.digest`,
			len(put), func(k int, a []any) []any {
				i := put[k]
				p := &ps[i]
				words := []string{p.Name, p.Email}
				for _, id := range ids[from[i]:from[i+1]] {
					words = append(words, id.Name, id.Email)
				}
				return append(a, p.ID, p.Name, fold(p.Name), p.Email, fold(p.Email), p.Bot,
					fold(strings.Join(words, "\n")), digests[i])
			})
		if err != nil {
			return err
		}
		var rows []identityRow
		for _, i := range put {
			rows = append(rows, ids[from[i]:from[i+1]]...)
		}
		err = t.insertRows(ctx, "person_identities", []string{"person_id", "pos", "name", "email", "name_fold", "email_fold"},
			len(rows), func(k int, a []any) []any {
				id := &rows[k]
				return append(a, id.person, id.pos, id.Name, id.Email, fold(id.Name), fold(id.Email))
			})
		if err != nil {
			return err
		}
		return deleteKeys(ctx, t, "people", "id", len(drop), func(k int, a []any) []any {
			return append(a, drop[k])
		})
	})
}

// appendField appends s to b with its length first, so that no two lists
// of fields give the same bytes.
func appendField(b []byte, s string) []byte {
	b = strconv.AppendInt(b, int64(len(s)), 10)
	b = append(b, ':')
	return append(b, s...)
}

// deleteKeys deletes the n rows of table whose column col holds one of the
// values key(i, args) appends, as many in a statement as the dialect's
// parameter limit allows.
func deleteKeys(ctx context.Context, t tx, table, col string, n int, key func(i int, args []any) []any) error {
	per := min(maxRowsPerInsert, t.d.MaxParams)
	var args []any
	for start := 0; start < n; start += per {
		end := min(start+per, n)
		args = args[:0]
		for i := start; i < end; i++ {
			args = key(i, args)
		}
		q := "DELETE FROM " + table + " WHERE " + col + " IN " + inClause(end-start)
		if _, err := t.exec(ctx, q, args...); err != nil {
			return fmt.Errorf("delete from %s: %w", table, err)
		}
	}
	return nil
}

// Person implements store.Store. ref is tried as a person ID, then as an
// email of the person or of any of their identities, then as the name of the
// person or of any of their identities; emails and names are compared
// case-insensitively. Person.Projects are ordered by commits, most first;
// Person.Activity sums the weeks of every contribution of theirs.
func (s *Store) Person(ctx context.Context, ref string) (*catalog.Person, error) {
	var p *catalog.Person
	err := s.read(ctx, fmt.Sprintf("person %q", ref), func(t tx) error {
		id, err := resolvePerson(ctx, t, clean(ref))
		if err != nil {
			return err
		}
		p = &catalog.Person{}
		err = t.queryRow(ctx, `SELECT id, name, email, bot FROM people WHERE id = ?`, id).
			Scan(&p.ID, &p.Name, &p.Email, &p.Bot)
		if err != nil {
			return fmt.Errorf("read person: %w", err)
		}
		if err := loadIdentities(ctx, t, []*catalog.Person{p}); err != nil {
			return err
		}
		err = eachRow(ctx, t, "projects", `SELECT pr.id, pr.name, CAST(SUM(c.commits) AS BIGINT),
				CAST(SUM(c.lines_added) AS BIGINT), CAST(SUM(c.lines_removed) AS BIGINT),
				MIN(c.first_commit), MAX(c.last_commit)
			FROM person_identities i
			JOIN contributions c ON c.name = i.name AND c.email = i.email
			JOIN projects pr ON pr.id = c.project_id
			WHERE i.person_id = ?
			GROUP BY pr.id, pr.name
			ORDER BY 3 DESC, pr.name, pr.id`, []any{id}, func(rows *sql.Rows) error {
			var pp catalog.PersonProject
			var first, last sql.NullInt64
			if err := rows.Scan(&pp.ProjectID, &pp.Project, &pp.Commits, &pp.LinesAdded, &pp.LinesRemoved,
				&first, &last); err != nil {
				return err
			}
			pp.FirstCommit, pp.LastCommit = decTime(first), decTime(last)
			p.Projects = append(p.Projects, pp)
			addProject(p, pp)
			return nil
		})
		if err != nil {
			return err
		}
		return eachRow(ctx, t, "weekly activity", `SELECT w.week, CAST(SUM(w.commits) AS BIGINT),
				CAST(SUM(w.lines_added) AS BIGINT), CAST(SUM(w.lines_removed) AS BIGINT)
			FROM person_identities i
			JOIN contributions c ON c.name = i.name AND c.email = i.email
			JOIN contribution_weeks w ON w.project_id = c.project_id AND w.idx = c.idx
			WHERE i.person_id = ? AND w.week IS NOT NULL
			GROUP BY w.week
			ORDER BY w.week`, []any{id}, func(rows *sql.Rows) error {
			var week sql.NullInt64
			var w catalog.WeekActivity
			if err := rows.Scan(&week, &w.Commits, &w.LinesAdded, &w.LinesRemoved); err != nil {
				return err
			}
			w.Week = decTime(week)
			p.Activity = append(p.Activity, w)
			return nil
		})
	})
	if err != nil {
		return nil, err
	}
	return p, nil
}

func resolvePerson(ctx context.Context, t tx, ref string) (string, error) {
	var id string
	err := t.queryRow(ctx, `SELECT id FROM people WHERE id = ?`, ref).Scan(&id)
	if err == nil {
		return id, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return "", err
	}
	f := fold(ref)
	for _, col := range []string{"email_fold", "name_fold"} {
		var ids, labels []string
		err := eachRow(ctx, t, "people", `SELECT p.id, p.name, p.email FROM people p
			WHERE p.`+col+` = ? OR p.id IN (SELECT person_id FROM person_identities WHERE `+col+` = ?)
			ORDER BY p.id`, []any{f, f}, func(rows *sql.Rows) error {
			var id, name, email string
			if err := rows.Scan(&id, &name, &email); err != nil {
				return err
			}
			ids = append(ids, id)
			labels = append(labels, fmt.Sprintf("%s (%s <%s>)", id, name, email))
			return nil
		})
		if err != nil {
			return "", err
		}
		switch len(ids) {
		case 0:
			continue
		case 1:
			return ids[0], nil
		default:
			return "", fmt.Errorf("%w: %d people match: %s", store.ErrAmbiguous, len(ids), strings.Join(labels, ", "))
		}
	}
	return "", store.ErrNotFound
}

// ListPeople implements store.Store: people ordered by commits (most first),
// then name and ID, with their identities and totals (by name and ID,
// without totals, with f.NoTotals). Query matches the
// name or email of the person or of any of their identities,
// case-insensitively.
func (s *Store) ListPeople(ctx context.Context, f store.PersonFilter) ([]catalog.Person, error) {
	var where []string
	var args []any
	if !f.IncludeBots {
		where = append(where, `p.bot = ?`)
		args = append(args, false)
	}
	if f.Query != "" {
		where = append(where, `p.search LIKE ? ESCAPE '\'`)
		args = append(args, likeContains(f.Query))
	}
	q := `SELECT p.id, p.name, p.email, p.bot, COALESCE(t.commits, 0), COALESCE(t.added, 0),
			COALESCE(t.removed, 0), t.first_commit, t.last_commit
		FROM people p
		LEFT JOIN (
			SELECT i.person_id AS person_id, CAST(SUM(c.commits) AS BIGINT) AS commits,
				CAST(SUM(c.lines_added) AS BIGINT) AS added, CAST(SUM(c.lines_removed) AS BIGINT) AS removed,
				MIN(c.first_commit) AS first_commit, MAX(c.last_commit) AS last_commit
			FROM person_identities i
			JOIN contributions c ON c.name = i.name AND c.email = i.email
			GROUP BY i.person_id
		) t ON t.person_id = p.id`
	order := " ORDER BY 5 DESC, p.name, p.id"
	if f.NoTotals {
		q = `SELECT p.id, p.name, p.email, p.bot, 0, 0, 0, NULL, NULL FROM people p`
		order = " ORDER BY p.name, p.id"
	}
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	q += order
	if f.Limit > 0 || f.Offset > 0 {
		limit := int64(f.Limit)
		if limit <= 0 {
			limit = 1<<63 - 1
		}
		q += " LIMIT ? OFFSET ?"
		args = append(args, limit, max(f.Offset, 0))
	}
	var people []catalog.Person
	err := s.read(ctx, "list people", func(t tx) error {
		err := eachRow(ctx, t, "people", q, args, func(rows *sql.Rows) error {
			var p catalog.Person
			var first, last sql.NullInt64
			if err := rows.Scan(&p.ID, &p.Name, &p.Email, &p.Bot, &p.Commits, &p.LinesAdded,
				&p.LinesRemoved, &first, &last); err != nil {
				return err
			}
			p.FirstCommit, p.LastCommit = decTime(first), decTime(last)
			people = append(people, p)
			return nil
		})
		if err != nil {
			return err
		}
		ptrs := make([]*catalog.Person, len(people))
		for i := range people {
			ptrs[i] = &people[i]
		}
		return loadIdentities(ctx, t, ptrs)
	})
	if err != nil {
		return nil, err
	}
	return people, nil
}

// loadIdentities fills in the Identities of people, a chunk of IDs per query.
func loadIdentities(ctx context.Context, t tx, people []*catalog.Person) error {
	const chunk = 500
	byID := make(map[string]*catalog.Person, len(people))
	for _, p := range people {
		byID[p.ID] = p
	}
	for start := 0; start < len(people); start += chunk {
		end := min(start+chunk, len(people))
		args := make([]any, 0, end-start)
		for _, p := range people[start:end] {
			args = append(args, p.ID)
		}
		err := eachRow(ctx, t, "identities", `SELECT person_id, name, email FROM person_identities
			WHERE person_id IN `+inClause(len(args))+` ORDER BY person_id, pos`, args, func(rows *sql.Rows) error {
			var pid string
			var id catalog.Identity
			if err := rows.Scan(&pid, &id.Name, &id.Email); err != nil {
				return err
			}
			if p := byID[pid]; p != nil {
				p.Identities = append(p.Identities, id)
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// Experts implements store.Store. A person's contributions are those of
// their identities (people merged by ReplacePeople); contributions of no
// person, and people marked Bot, are left out. People are ordered by
// commits over the given projects (most first), then name and ID; each
// one's Projects by commits, then project name and ID. Unknown project IDs
// are ignored; no project IDs give no experts.
func (s *Store) Experts(ctx context.Context, projectIDs []int64, limit int) ([]catalog.Person, error) {
	ids := uniqueIDs(projectIDs)
	if len(ids) == 0 {
		return nil, nil
	}
	var people []catalog.Person
	err := s.read(ctx, fmt.Sprintf("experts of %d projects", len(ids)), func(t tx) error {
		byID := map[string]*catalog.Person{}
		var order []*catalog.Person
		chunk := min(maxRowsPerInsert, t.d.MaxParams-1)
		for start := 0; start < len(ids); start += chunk {
			end := min(start+chunk, len(ids))
			args := []any{false}
			for _, id := range ids[start:end] {
				args = append(args, id)
			}
			// Grouped by person and project: a project is in one chunk only,
			// so the rows of all chunks add up without overlap.
			err := eachRow(ctx, t, "experts", `SELECT p.id, p.name, p.email, pr.id, pr.name,
					CAST(SUM(c.commits) AS BIGINT), CAST(SUM(c.lines_added) AS BIGINT),
					CAST(SUM(c.lines_removed) AS BIGINT), MIN(c.first_commit), MAX(c.last_commit)
				FROM contributions c
				JOIN person_identities i ON i.name = c.name AND i.email = c.email
				JOIN people p ON p.id = i.person_id
				JOIN projects pr ON pr.id = c.project_id
				WHERE p.bot = ? AND c.project_id IN `+inClause(end-start)+`
				GROUP BY p.id, p.name, p.email, pr.id, pr.name`, args, func(rows *sql.Rows) error {
				var pid, name, email string
				var pp catalog.PersonProject
				var first, last sql.NullInt64
				if err := rows.Scan(&pid, &name, &email, &pp.ProjectID, &pp.Project, &pp.Commits,
					&pp.LinesAdded, &pp.LinesRemoved, &first, &last); err != nil {
					return err
				}
				pp.FirstCommit, pp.LastCommit = decTime(first), decTime(last)
				p := byID[pid]
				if p == nil {
					p = &catalog.Person{ID: pid, Name: name, Email: email}
					byID[pid] = p
					order = append(order, p)
				}
				p.Projects = append(p.Projects, pp)
				addProject(p, pp)
				return nil
			})
			if err != nil {
				return err
			}
		}
		sort.Slice(order, func(i, j int) bool {
			a, b := order[i], order[j]
			if a.Commits != b.Commits {
				return a.Commits > b.Commits
			}
			if a.Name != b.Name {
				return a.Name < b.Name
			}
			return a.ID < b.ID
		})
		if limit > 0 && len(order) > limit {
			order = order[:limit]
		}
		for _, p := range order {
			sort.Slice(p.Projects, func(i, j int) bool {
				a, b := p.Projects[i], p.Projects[j]
				if a.Commits != b.Commits {
					return a.Commits > b.Commits
				}
				if a.Project != b.Project {
					return a.Project < b.Project
				}
				return a.ProjectID < b.ProjectID
			})
		}
		if err := loadIdentities(ctx, t, order); err != nil {
			return err
		}
		people = make([]catalog.Person, len(order))
		for i, p := range order {
			people[i] = *p
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return people, nil
}

// addProject adds one project's totals to a person's.
func addProject(p *catalog.Person, pp catalog.PersonProject) {
	p.Commits += pp.Commits
	p.LinesAdded += pp.LinesAdded
	p.LinesRemoved += pp.LinesRemoved
	if !pp.FirstCommit.IsZero() && (p.FirstCommit.IsZero() || pp.FirstCommit.Before(p.FirstCommit)) {
		p.FirstCommit = pp.FirstCommit
	}
	if pp.LastCommit.After(p.LastCommit) {
		p.LastCommit = pp.LastCommit
	}
}

// uniqueIDs returns ids without duplicates, in order.
func uniqueIDs(ids []int64) []int64 {
	seen := make(map[int64]bool, len(ids))
	out := make([]int64, 0, len(ids))
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}
