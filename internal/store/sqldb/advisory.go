package sqldb

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/store"
)

// UpsertAdvisories implements store.AdvisoryStore.
func (s *Store) UpsertAdvisories(ctx context.Context, advs []catalog.Advisory) (catalog.AdvisoryImport, error) {
	var res catalog.AdvisoryImport
	for i := range advs {
		a := &advs[i]
		if strings.TrimSpace(a.ID) == "" || len(a.Raw) == 0 {
			return res, fmt.Errorf("upsert advisories: %w: advisory %d (%q) lacks an id or its record", store.ErrInvalid, i, a.ID)
		}
	}
	err := s.write(ctx, "upsert advisories", func(t tx) error {
		res = catalog.AdvisoryImport{}
		type version struct {
			modified int64
			digest   string
		}
		stored := map[string]version{}
		err := eachRow(ctx, t, "advisories", `SELECT id, modified, digest FROM advisories`, nil, func(rows *sql.Rows) error {
			var id string
			var v version
			var m sql.NullInt64
			if err := rows.Scan(&id, &m, &v.digest); err != nil {
				return err
			}
			v.modified = m.Int64
			stored[id] = v
			return nil
		})
		if err != nil {
			return err
		}
		var del []string
		var put []*catalog.Advisory
		seen := map[string]bool{}
		for i := range advs {
			a := &advs[i]
			id := clean(a.ID)
			if seen[id] {
				continue
			}
			seen[id] = true
			v, ok := stored[id]
			var m int64
			if !a.Modified.IsZero() {
				m = a.Modified.UnixNano()
			}
			switch {
			case !a.Withdrawn.IsZero():
				if ok {
					del = append(del, id)
					res.Withdrawn++
				}
			case ok && (v.modified > m && m != 0 || v.digest == digest(a.Raw)):
				res.Unchanged++
			case ok:
				del = append(del, id)
				put = append(put, a)
				res.Updated++
			default:
				put = append(put, a)
				res.Added++
			}
		}
		for start := 0; start < len(del); start += maxRowsPerInsert {
			chunk := del[start:min(start+maxRowsPerInsert, len(del))]
			args := make([]any, len(chunk))
			for i, id := range chunk {
				args[i] = id
			}
			if _, err := t.exec(ctx, `DELETE FROM advisories WHERE id IN `+inClause(len(chunk)), args...); err != nil {
				return fmt.Errorf("delete advisories: %w", err)
			}
		}
		if err := insertAdvisories(ctx, t, put); err != nil {
			return err
		}
		if len(put)+len(del) > 0 {
			_, err := t.exec(ctx, `INSERT INTO advisory_meta (id, imported_at) VALUES (1, ?)
				ON CONFLICT (id) DO UPDATE SET imported_at = excluded.imported_at`, encTime(time.Now()))
			if err != nil {
				return fmt.Errorf("record import time: %w", err)
			}
		}
		return nil
	})
	return res, err
}

func insertAdvisories(ctx context.Context, t tx, put []*catalog.Advisory) error {
	err := t.insertRows(ctx, "advisories",
		[]string{"id", "modified", "published", "summary", "aliases", "related", "severity_rating", "severity_score", "severity_vector", "digest", "raw"},
		len(put), func(i int, args []any) []any {
			a := put[i]
			return append(args, clean(a.ID), encTime(a.Modified), encTime(a.Published), clean(a.Summary),
				encStrings(a.Aliases), encStrings(a.Related), clean(a.Severity.Rating), a.Severity.Score,
				clean(a.Severity.Vector), digest(a.Raw), clean(string(a.Raw)))
		})
	if err != nil {
		return err
	}
	type pkgRow struct {
		id  string
		pos int
		p   catalog.PackageRef
	}
	type idRow struct{ fold, id string }
	var pkgs []pkgRow
	var ids []idRow
	for _, a := range put {
		id := clean(a.ID)
		for i, p := range a.Packages {
			pkgs = append(pkgs, pkgRow{id, i, catalog.PackageRef{Ecosystem: clean(p.Ecosystem), Name: clean(p.Name)}})
		}
		seen := map[string]bool{}
		for _, x := range append([]string{a.ID}, a.Aliases...) {
			f := fold(x)
			if f != "" && !seen[f] {
				seen[f] = true
				ids = append(ids, idRow{f, id})
			}
		}
	}
	err = t.insertRows(ctx, "advisory_packages",
		[]string{"advisory_id", "pos", "ecosystem", "ecosystem_lower", "name", "name_key"},
		len(pkgs), func(i int, args []any) []any {
			r := pkgs[i]
			eco, key := r.p.Key()
			return append(args, r.id, r.pos, r.p.Ecosystem, eco, r.p.Name, key)
		})
	if err != nil {
		return err
	}
	return t.insertRows(ctx, "advisory_ids", []string{"id_fold", "advisory_id"}, len(ids),
		func(i int, args []any) []any { return append(args, ids[i].fold, ids[i].id) })
}

// digest identifies a raw record's content.
func digest(raw []byte) string {
	sum := sha256.Sum256([]byte(clean(string(raw))))
	return hex.EncodeToString(sum[:])
}

const advCols = `a.id, a.modified, a.published, a.summary, a.aliases, a.related,
	a.severity_rating, a.severity_score, a.severity_vector, a.raw`

func scanAdvisory(rows interface{ Scan(...any) error }, a *catalog.Advisory) error {
	var modified, published sql.NullInt64
	var aliases, related, raw string
	if err := rows.Scan(&a.ID, &modified, &published, &a.Summary, &aliases, &related,
		&a.Severity.Rating, &a.Severity.Score, &a.Severity.Vector, &raw); err != nil {
		return err
	}
	a.Modified, a.Published = decTime(modified), decTime(published)
	var err error
	if a.Aliases, err = decStrings(aliases); err != nil {
		return err
	}
	if a.Related, err = decStrings(related); err != nil {
		return err
	}
	a.Raw = []byte(raw)
	return nil
}

// readAdvisories reads the advisories q selects (q selects advCols from
// advisories a), with their packages.
func readAdvisories(ctx context.Context, t tx, q string, args []any, into map[string]*catalog.Advisory) error {
	return eachRow(ctx, t, "advisories", q, args, func(rows *sql.Rows) error {
		var a catalog.Advisory
		if err := scanAdvisory(rows, &a); err != nil {
			return err
		}
		if _, ok := into[a.ID]; !ok {
			into[a.ID] = &a
		}
		return nil
	})
}

// withPackages fills in the Packages of the advisories in m and returns
// them ordered by id.
func withPackages(ctx context.Context, t tx, m map[string]*catalog.Advisory) ([]catalog.Advisory, error) {
	ids := make([]string, 0, len(m))
	for id := range m {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for start := 0; start < len(ids); start += maxRowsPerInsert {
		chunk := ids[start:min(start+maxRowsPerInsert, len(ids))]
		args := make([]any, len(chunk))
		for i, id := range chunk {
			args[i] = id
		}
		in, args := inList(args)
		err := eachRow(ctx, t, "advisory packages", `SELECT advisory_id, ecosystem, name FROM advisory_packages
			WHERE advisory_id IN `+in+` ORDER BY advisory_id, pos`, args, func(rows *sql.Rows) error {
			var id string
			var p catalog.PackageRef
			if err := rows.Scan(&id, &p.Ecosystem, &p.Name); err != nil {
				return err
			}
			a := m[id]
			a.Packages = append(a.Packages, p)
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	out := make([]catalog.Advisory, len(ids))
	for i, id := range ids {
		out[i] = *m[id]
	}
	return out, nil
}

// pkgKeys groups the lookup keys of pkgs by name key, with the ecosystems
// wanted for each.
func pkgKeys(pkgs []catalog.PackageRef) (names []string, ecos map[string]map[string]bool) {
	ecos = map[string]map[string]bool{}
	for _, p := range pkgs {
		eco, key := catalog.PackageRef{Ecosystem: clean(p.Ecosystem), Name: clean(p.Name)}.Key()
		if ecos[key] == nil {
			ecos[key] = map[string]bool{}
			names = append(names, key)
		}
		ecos[key][eco] = true
	}
	sort.Strings(names)
	return names, ecos
}

// AdvisoriesFor implements store.AdvisoryStore.
func (s *Store) AdvisoriesFor(ctx context.Context, pkgs []catalog.PackageRef) ([]catalog.Advisory, error) {
	names, ecos := pkgKeys(pkgs)
	var out []catalog.Advisory
	err := s.read(ctx, "advisories for packages", func(t tx) error {
		wanted := map[string]bool{}
		for start := 0; start < len(names); start += maxRowsPerInsert {
			chunk := names[start:min(start+maxRowsPerInsert, len(names))]
			args := make([]any, len(chunk))
			for i, n := range chunk {
				args[i] = n
			}
			in, args := inList(args)
			err := eachRow(ctx, t, "advisory packages", `SELECT advisory_id, ecosystem_lower, name_key FROM advisory_packages
				WHERE name_key IN `+in, args, func(rows *sql.Rows) error {
				var id, eco, key string
				if err := rows.Scan(&id, &eco, &key); err != nil {
					return err
				}
				if ecos[key][eco] {
					wanted[id] = true
				}
				return nil
			})
			if err != nil {
				return err
			}
		}
		var err error
		out, err = advisoriesByID(ctx, t, wanted)
		return err
	})
	return out, err
}

// advisoriesByID reads the advisories with the given ids.
func advisoriesByID(ctx context.Context, t tx, wanted map[string]bool) ([]catalog.Advisory, error) {
	ids := make([]string, 0, len(wanted))
	for id := range wanted {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	m := map[string]*catalog.Advisory{}
	for start := 0; start < len(ids); start += maxRowsPerInsert {
		chunk := ids[start:min(start+maxRowsPerInsert, len(ids))]
		args := make([]any, len(chunk))
		for i, id := range chunk {
			args[i] = id
		}
		in, args := inList(args)
		if err := readAdvisories(ctx, t, `SELECT `+advCols+` FROM advisories a WHERE a.id IN `+in, args, m); err != nil {
			return nil, err
		}
	}
	return withPackages(ctx, t, m)
}

// AdvisoriesInUse implements store.AdvisoryStore.
func (s *Store) AdvisoriesInUse(ctx context.Context) ([]catalog.Advisory, error) {
	var out []catalog.Advisory
	err := s.read(ctx, "advisories in use", func(t tx) error {
		m := map[string]*catalog.Advisory{}
		err := readAdvisories(ctx, t, `SELECT `+advCols+` FROM advisories a
			WHERE a.id IN (SELECT ap.advisory_id FROM advisory_packages ap
				JOIN packages p ON p.name_key = ap.name_key AND p.ecosystem_lower = ap.ecosystem_lower)`, nil, m)
		if err != nil {
			return err
		}
		out, err = withPackages(ctx, t, m)
		return err
	})
	return out, err
}

// Advisory implements store.AdvisoryStore.
func (s *Store) Advisory(ctx context.Context, ref string) (*catalog.Advisory, error) {
	var out *catalog.Advisory
	err := s.read(ctx, fmt.Sprintf("advisory %q", ref), func(t tx) error {
		m := map[string]*catalog.Advisory{}
		err := readAdvisories(ctx, t, `SELECT `+advCols+` FROM advisories a
			WHERE a.id = (SELECT MIN(advisory_id) FROM advisory_ids WHERE id_fold = ?)`, []any{fold(strings.TrimSpace(ref))}, m)
		if err != nil {
			return err
		}
		if len(m) == 0 {
			return store.ErrNotFound
		}
		advs, err := withPackages(ctx, t, m)
		if err != nil {
			return err
		}
		out = &advs[0]
		return nil
	})
	return out, err
}

// AdvisoryStatus implements store.AdvisoryStore.
func (s *Store) AdvisoryStatus(ctx context.Context) (*catalog.AdvisoryStatus, error) {
	st := &catalog.AdvisoryStatus{}
	err := s.read(ctx, "advisory status", func(t tx) error {
		var newest, imported sql.NullInt64
		if err := t.queryRow(ctx, `SELECT COUNT(*), MAX(modified) FROM advisories`).Scan(&st.Total, &newest); err != nil {
			return fmt.Errorf("count advisories: %w", err)
		}
		st.Newest = decTime(newest)
		err := t.queryRow(ctx, `SELECT imported_at FROM advisory_meta WHERE id = 1`).Scan(&imported)
		if err != nil && err != sql.ErrNoRows {
			return fmt.Errorf("read import time: %w", err)
		}
		st.ImportedAt = decTime(imported)
		return eachRow(ctx, t, "advisory ecosystems", `SELECT ap.ecosystem_lower, MIN(ap.ecosystem), COUNT(DISTINCT a.id), MAX(a.modified)
			FROM advisory_packages ap JOIN advisories a ON a.id = ap.advisory_id
			GROUP BY ap.ecosystem_lower ORDER BY COUNT(DISTINCT a.id) DESC, ap.ecosystem_lower`, nil, func(rows *sql.Rows) error {
			var e catalog.EcosystemAdvisory
			var lower string
			var m sql.NullInt64
			if err := rows.Scan(&lower, &e.Ecosystem, &e.Advisories, &m); err != nil {
				return err
			}
			e.Newest = decTime(m)
			st.Ecosystems = append(st.Ecosystems, e)
			return nil
		})
	})
	if err != nil {
		return nil, err
	}
	return st, nil
}

// Usages implements store.AdvisoryStore.
func (s *Store) Usages(ctx context.Context, pkgs []catalog.PackageRef) ([]catalog.Usage, error) {
	names, ecos := pkgKeys(pkgs)
	var us []catalog.Usage
	err := s.read(ctx, "usages", func(t tx) error {
		for start := 0; start < len(names); start += maxRowsPerInsert {
			chunk := names[start:min(start+maxRowsPerInsert, len(names))]
			args := make([]any, len(chunk))
			for i, n := range chunk {
				args[i] = n
			}
			err := eachRow(ctx, t, "usages", `SELECT pr.id, pr.name, pr.key, d.ecosystem_lower, d.name_key, `+depReadCols+`
				FROM dependencies d JOIN projects pr ON pr.id = d.project_id
				WHERE d.name_key IN `+inClause(len(chunk)), args, func(rows *sql.Rows) error {
				var u catalog.Usage
				var eco, key string
				if err := scanDependency(rows, &u.Dependency, &u.ProjectID, &u.Project, &u.ProjectKey, &eco, &key); err != nil {
					return err
				}
				if ecos[key][eco] {
					us = append(us, u)
				}
				return nil
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
	sort.SliceStable(us, func(i, j int) bool {
		a, b := us[i], us[j]
		if a.Project != b.Project {
			return a.Project < b.Project
		}
		if a.ProjectKey != b.ProjectKey {
			return a.ProjectKey < b.ProjectKey
		}
		if a.Manifest != b.Manifest {
			return a.Manifest < b.Manifest
		}
		if a.Name != b.Name {
			return a.Name < b.Name
		}
		return a.Version < b.Version
	})
	return us, nil
}
