package sqldb

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"github.com/ospo-project/ospo/internal/catalog"
)

// insertExpertise writes p.Expertise, if any, for project id;
// ReplaceProject has emptied project_expertise and project_authors for it.
func insertExpertise(ctx context.Context, t tx, id int64, p *catalog.Project) error {
	e := p.Expertise
	if e == nil {
		return nil
	}
	key := make([]catalog.Identity, len(e.KeyPeople))
	for i, k := range e.KeyPeople {
		key[i] = catalog.Identity{Name: clean(k.Name), Email: clean(k.Email)}
	}
	dirs := make([]catalog.DirAuthorship, len(e.Dirs))
	for i, d := range e.Dirs {
		dirs[i] = catalog.DirAuthorship{Dir: clean(d.Dir), Files: d.Files, Authors: make([]catalog.Author, len(d.Authors))}
		for j, a := range d.Authors {
			a.Name, a.Email, a.PersonID = clean(a.Name), clean(a.Email), ""
			dirs[i].Authors[j] = a
		}
	}
	keyJSON, err := json.Marshal(key)
	if err != nil {
		return fmt.Errorf("encode key people: %w", err)
	}
	dirsJSON, err := json.Marshal(dirs)
	if err != nil {
		return fmt.Errorf("encode directories: %w", err)
	}
	if _, err := t.exec(ctx, `INSERT INTO project_expertise (project_id, files, truck_factor, absence_factor,
			key_people, dirs) VALUES (?, ?, ?, ?, ?, ?)`,
		id, e.Files, e.TruckFactor, e.AbsenceFactor, string(keyJSON), string(dirsJSON)); err != nil {
		return fmt.Errorf("insert expertise: %w", err)
	}
	return t.insertRows(ctx, "project_authors", []string{"project_id", "pos", "name", "email", "files", "share", "last_change"},
		len(e.Authors), func(i int, args []any) []any {
			a := e.Authors[i]
			return append(args, id, i, clean(a.Name), clean(a.Email), a.Files, a.Share, encTime(a.LastChange))
		})
}

// loadExpertise reads the expertise of the projects whose IDs in selects
// (with args), authors with the person each e-mail belongs to. Only
// single-project reads call it.
func loadExpertise(ctx context.Context, t tx, in string, args []any, project func(int64) *catalog.Project) error {
	err := eachRow(ctx, t, "expertise", `SELECT project_id, files, truck_factor, absence_factor, key_people, dirs
		FROM project_expertise WHERE project_id`+in, args, func(rows *sql.Rows) error {
		var id int64
		var e catalog.Expertise
		var key, dirs string
		if err := rows.Scan(&id, &e.Files, &e.TruckFactor, &e.AbsenceFactor, &key, &dirs); err != nil {
			return err
		}
		if err := json.Unmarshal([]byte(key), &e.KeyPeople); err != nil {
			return fmt.Errorf("project %d key people: %w", id, err)
		}
		if err := json.Unmarshal([]byte(dirs), &e.Dirs); err != nil {
			return fmt.Errorf("project %d directories: %w", id, err)
		}
		project(id).Expertise = &e
		return nil
	})
	if err != nil {
		return err
	}
	return eachAuthor(ctx, t, in, args, func(id int64, a catalog.Author) {
		if e := project(id).Expertise; e != nil {
			e.Authors = append(e.Authors, a)
		}
	})
}

// eachAuthor calls fn with each author of the projects whose IDs in selects
// (with args), in project then position order.
func eachAuthor(ctx context.Context, t tx, in string, args []any, fn func(int64, catalog.Author)) error {
	return eachRow(ctx, t, "authors", `SELECT a.project_id, a.name, a.email, a.files, a.share, a.last_change,
			COALESCE((SELECT i.person_id FROM person_identities i WHERE i.email = a.email
				ORDER BY i.person_id LIMIT 1), '')
		FROM project_authors a WHERE a.project_id`+in+` ORDER BY a.project_id, a.pos`, args, func(rows *sql.Rows) error {
		var id int64
		var a catalog.Author
		var last sql.NullInt64
		if err := rows.Scan(&id, &a.Name, &a.Email, &a.Files, &a.Share, &last, &a.PersonID); err != nil {
			return err
		}
		a.LastChange = decTime(last)
		fn(id, a)
		return nil
	})
}

// ProjectAuthors implements store.Store.
func (s *Store) ProjectAuthors(ctx context.Context, projectIDs []int64, perProject int) (map[int64][]catalog.Author, error) {
	ids := uniqueIDs(projectIDs)
	out := map[int64][]catalog.Author{}
	if len(ids) == 0 {
		return out, nil
	}
	err := s.read(ctx, fmt.Sprintf("authors of %d projects", len(ids)), func(t tx) error {
		chunk := min(maxRowsPerInsert, t.d.MaxParams-1)
		for start := 0; start < len(ids); start += chunk {
			end := min(start+chunk, len(ids))
			args := make([]any, 0, end-start+1)
			for _, id := range ids[start:end] {
				args = append(args, id)
			}
			in := " IN " + inClause(end-start)
			if perProject > 0 {
				in += " AND a.pos < ?"
				args = append(args, perProject)
			}
			err := eachAuthor(ctx, t, in, args, func(id int64, a catalog.Author) {
				out[id] = append(out[id], a)
			})
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
