// Package backend opens the store a DSN names: PostgreSQL for a postgres://
// URL, else a SQLite file. It is the only package that knows every backend;
// the composition root (cli, hub) calls it, the store interface stays free
// of drivers.
package backend

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/ospo-project/ospo/internal/lazyre"
	"github.com/ospo-project/ospo/internal/store"
	"github.com/ospo-project/ospo/internal/store/postgres"
	"github.com/ospo-project/ospo/internal/store/sqlite"
)

// Open opens the store dsn names and brings its schema up to date:
//   - postgres://… or postgresql://… opens PostgreSQL;
//   - file:PATH or a plain PATH opens (creating it) the SQLite file at PATH.
//
// Any other URL scheme is an error. Errors name the store with any password
// redacted.
func Open(ctx context.Context, dsn string) (store.Store, error) {
	switch kind, path := Kind(dsn); kind {
	case KindPostgres:
		return postgres.Open(ctx, dsn)
	case KindSQLite:
		return sqlite.Open(ctx, path)
	default:
		return nil, fmt.Errorf("open store %s: unsupported store: want a postgres:// URL or a SQLite file path", postgres.Redact(dsn))
	}
}

// OpenReadOnly opens the existing store dsn names for the commands that only
// read: a SQLite file is opened read-only (see sqlite.OpenReadOnly) and never
// created, a missing one giving an error wrapping store.ErrNoCatalogue;
// PostgreSQL is opened as by Open (a server creates no database on
// connection).
func OpenReadOnly(ctx context.Context, dsn string) (store.Store, error) {
	switch kind, path := Kind(dsn); kind {
	case KindPostgres:
		return postgres.Open(ctx, dsn)
	case KindSQLite:
		return sqlite.OpenReadOnly(ctx, path)
	default:
		return nil, fmt.Errorf("open store %s: unsupported store: want a postgres:// URL or a SQLite file path", postgres.Redact(dsn))
	}
}

// OpenExisting opens the existing store dsn names for a command that mostly
// reads (the hub): a SQLite file is opened for writing where it can be
// written and read-only where it cannot (see sqlite.OpenExisting), and never
// created; PostgreSQL is opened as by Open.
func OpenExisting(ctx context.Context, dsn string) (store.Store, error) {
	switch kind, path := Kind(dsn); kind {
	case KindPostgres:
		return postgres.Open(ctx, dsn)
	case KindSQLite:
		return sqlite.OpenExisting(ctx, path)
	default:
		return nil, fmt.Errorf("open store %s: unsupported store: want a postgres:// URL or a SQLite file path", postgres.Redact(dsn))
	}
}

// Store kinds, as Kind reports them.
const (
	KindUnknown  = ""
	KindSQLite   = "sqlite"
	KindPostgres = "postgres"
)

var scheme = lazyre.New(`^[A-Za-z][A-Za-z0-9+.-]*://`)

// Kind reports which backend dsn names and, for SQLite, the file path.
// It does not touch the file system or the network.
func Kind(dsn string) (kind, path string) {
	lower := strings.ToLower(dsn)
	switch {
	case dsn == "":
		return KindUnknown, ""
	case strings.HasPrefix(lower, "postgres://"), strings.HasPrefix(lower, "postgresql://"):
		return KindPostgres, ""
	case strings.HasPrefix(lower, "file:"):
		path = dsn[len("file:"):]
		if strings.HasPrefix(path, "//") { // file:///abs/path
			path = strings.TrimPrefix(path, "//")
			if !strings.HasPrefix(path, "/") {
				return KindUnknown, "" // file://host/…: not a local file
			}
		}
		if path == "" {
			return KindUnknown, ""
		}
		return KindSQLite, path
	case scheme.MatchString(dsn):
		return KindUnknown, ""
	}
	return KindSQLite, dsn
}

// DefaultPath returns where the SQLite store lives when none is configured:
// $XDG_DATA_HOME/ospo/ospo.db, else ~/.local/share/ospo/ospo.db. (The CLI
// lets --db and $OSPO_DB override it.)
func DefaultPath() (string, error) {
	if dir := os.Getenv("XDG_DATA_HOME"); dir != "" && filepath.IsAbs(dir) {
		return filepath.Join(dir, "ospo", "ospo.db"), nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("default store path: %w", err)
	}
	if home == "" {
		return "", errors.New("default store path: no home directory")
	}
	return filepath.Join(home, ".local", "share", "ospo", "ospo.db"), nil
}
