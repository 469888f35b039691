package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"
)

// ErrSchemaTooNew is returned (wrapped) when the database has been migrated
// by a newer ospo than this one: this binary does not know its schema and
// refuses to touch it.
var ErrSchemaTooNew = errors.New("database schema is newer than this ospo")

// ErrSchemaOld is returned (wrapped) by NewReadOnly when the database lacks
// migrations this binary has: a read-only store cannot apply them.
var ErrSchemaOld = errors.New("database schema is older than this ospo")

// Migration is one schema change: the SQL of a file NNNN_name.sql.
type Migration struct {
	Version int
	Name    string
	SQL     string
}

// Migrations returns the migrations of fsys (the .sql files at its root),
// ordered by version. File names must start with a decimal version followed
// by an underscore; two files with one version are an error.
func Migrations(fsys fs.FS) ([]Migration, error) {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, fmt.Errorf("read migrations: %w", err)
	}
	var ms []Migration
	seen := map[int]string{}
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || path.Ext(name) != ".sql" {
			continue
		}
		num, _, ok := strings.Cut(name, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v <= 0 {
			return nil, fmt.Errorf("migration %s: name must be NNNN_description.sql", name)
		}
		if prev, dup := seen[v]; dup {
			return nil, fmt.Errorf("migrations %s and %s have the same version", prev, name)
		}
		seen[v] = name
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, fmt.Errorf("read migration %s: %w", name, err)
		}
		ms = append(ms, Migration{Version: v, Name: strings.TrimSuffix(name, ".sql"), SQL: string(b)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].Version < ms[j].Version })
	return ms, nil
}

// Migrate brings the schema of db up to date with d.Migrations in one
// transaction: every migration not yet recorded in schema_migrations is
// applied in version order and recorded there. Running it again is a no-op.
// If the database records a version this binary does not know and that is
// newer than all it knows, Migrate changes nothing and returns an error
// wrapping ErrSchemaTooNew.
func Migrate(ctx context.Context, db *sql.DB, d *Dialect) error {
	ms, err := Migrations(d.Migrations)
	if err != nil {
		return fmt.Errorf("migrate %s store: %w", d.Name, err)
	}
	return inTx(ctx, db, nil, d, "migrate "+d.Name+" store", func(t tx) error {
		if d.MigrationLock != "" {
			if _, err := t.exec(ctx, d.MigrationLock); err != nil {
				return fmt.Errorf("lock: %w", err)
			}
		}
		if _, err := t.exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
			version    BIGINT PRIMARY KEY,
			name       TEXT NOT NULL,
			applied_at BIGINT NOT NULL
		)`); err != nil {
			return fmt.Errorf("create schema_migrations: %w", err)
		}
		applied, err := appliedVersions(ctx, t)
		if err != nil {
			return err
		}
		known := 0
		if len(ms) > 0 {
			known = ms[len(ms)-1].Version
		}
		for v := range applied {
			if v > known {
				return fmt.Errorf("%w: the database is at schema version %d, this binary knows up to %d; upgrade ospo", ErrSchemaTooNew, v, known)
			}
		}
		for _, m := range ms {
			if applied[m.Version] {
				continue
			}
			// Not t.exec: migration text is not rebound, a ? in it stays a ?.
			if _, err := t.tx.ExecContext(ctx, m.SQL); err != nil {
				return fmt.Errorf("apply %s: %w", m.Name, err)
			}
			if _, err := t.exec(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`,
				m.Version, m.Name, time.Now().UnixNano()); err != nil {
				return fmt.Errorf("record %s: %w", m.Name, err)
			}
		}
		return nil
	})
}

func appliedVersions(ctx context.Context, t tx) (map[int]bool, error) {
	rows, err := t.query(ctx, `SELECT version FROM schema_migrations`)
	if err != nil {
		return nil, fmt.Errorf("read schema_migrations: %w", err)
	}
	defer rows.Close()
	applied := map[int]bool{}
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			return nil, fmt.Errorf("read schema_migrations: %w", err)
		}
		applied[v] = true
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read schema_migrations: %w", err)
	}
	return applied, nil
}

// SchemaVersion returns the highest migration version recorded in db, or 0
// for a database never migrated.
func (s *Store) SchemaVersion(ctx context.Context) (int, error) {
	var v sql.NullInt64
	err := s.read(ctx, "schema version", func(t tx) error {
		return t.queryRow(ctx, `SELECT MAX(version) FROM schema_migrations`).Scan(&v)
	})
	return int(v.Int64), err
}
