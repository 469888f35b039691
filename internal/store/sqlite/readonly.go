package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"

	"github.com/ospo-project/ospo/internal/store"
	"github.com/ospo-project/ospo/internal/store/sqldb"
)

// OpenReadOnly opens the existing SQLite catalogue at path for reading only,
// for the commands that only read (projects, serve, …). It never creates the
// file or its directory: when there is no file at path, the error wraps
// store.ErrNoCatalogue, so a mistyped --db is reported rather than answered
// with an empty catalogue.
//
// Where the file and its directory are writable the database is opened with
// mode=ro, so it sees what a scan running at the same time saves. Where they
// are not (read-only media, a catalogue shipped on a read-only volume) it is
// opened immutable: SQLite then takes no locks and writes no -shm file, which
// is what makes the open work there at all; nothing may change the file
// meanwhile, which read-only media guarantee.
//
// A catalogue whose schema is behind this binary's is migrated first (with a
// writable open) when it is writable; otherwise the error wraps
// sqldb.ErrSchemaOld.
func OpenReadOnly(ctx context.Context, path string) (*sqldb.Store, error) {
	if path == "" {
		return nil, fmt.Errorf("open store: empty SQLite path")
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	st, err := os.Stat(abs)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, fmt.Errorf("open store %s: %w", path, store.ErrNoCatalogue)
	case err != nil:
		return nil, fmt.Errorf("open store %s: %w", path, err)
	case !st.Mode().IsRegular():
		return nil, fmt.Errorf("open store %s: not a regular file", path)
	}
	writable := writable(abs) && writable(filepath.Dir(abs))
	s, err := openRO(ctx, abs, writable)
	if errors.Is(err, sqldb.ErrSchemaOld) && writable {
		w, werr := Open(ctx, abs) // migrates
		if werr != nil {
			return nil, fmt.Errorf("open store %s: %w", path, werr)
		}
		if werr := w.Close(); werr != nil {
			return nil, fmt.Errorf("open store %s: %w", path, werr)
		}
		s, err = openRO(ctx, abs, writable)
	}
	if err != nil {
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	return s, nil
}

// OpenExisting opens the existing SQLite catalogue at path, for a command
// that mostly reads but writes when it can (the hub records sign-ins): like
// Open where the file and its directory are writable, like OpenReadOnly where
// they are not. Like OpenReadOnly, it never creates the catalogue: the error
// wraps store.ErrNoCatalogue when there is no file at path.
func OpenExisting(ctx context.Context, path string) (*sqldb.Store, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	if _, err := os.Stat(abs); errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("open store %s: %w", path, store.ErrNoCatalogue)
	}
	if writable(abs) && writable(filepath.Dir(abs)) {
		return Open(ctx, path)
	}
	return OpenReadOnly(ctx, path)
}

func openRO(ctx context.Context, abs string, writable bool) (*sqldb.Store, error) {
	params := fmt.Sprintf("?mode=ro&_busy_timeout=%d&_foreign_keys=1&_query_only=1", busyTimeoutMS)
	if !writable {
		params += "&immutable=1"
	}
	db, err := sql.Open("sqlite", uri(abs)+params+readPragmas)
	if err != nil {
		return nil, err
	}
	n := max(4, runtime.GOMAXPROCS(0))
	db.SetMaxOpenConns(n)
	db.SetMaxIdleConns(n)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return sqldb.NewReadOnly(ctx, db, Dialect)
}
