// Package postgres opens the catalogue in a PostgreSQL database, the shared
// store for a team or a firm, through pgx's database/sql driver.
package postgres

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"net/url"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver

	"github.com/ospo-project/ospo/internal/lazyre"
	"github.com/ospo-project/ospo/internal/store/sqldb"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Dialect describes PostgreSQL to sqldb.
var Dialect = &sqldb.Dialect{
	Name:      "postgres",
	Numbered:  true,
	MaxParams: 65535,
	Migrations: func() fs.FS {
		sub, err := fs.Sub(migrations, "migrations")
		if err != nil {
			panic(err) // cannot happen: the directory is embedded
		}
		return sub
	}(),
	// Any constant serves, as long as every ospo uses the same one: 'ospo'.
	MigrationLock: `SELECT pg_advisory_xact_lock(1869836399)`,
	// Another constant, one above: appends to the audit log wait for each other.
	AuditLock: `SELECT pg_advisory_xact_lock(1869836400)`,
	// Every table of the catalogue's schema planned once (see
	// sqldb.Store.WarmConnections): about 40 ms a connection at 50,000
	// projects, after which a first query plans in 0.1 ms instead of 1-4.
	WarmConnection: `DO $$
DECLARE t text;
BEGIN
	FOR t IN SELECT quote_ident(tablename) FROM pg_tables WHERE schemaname = current_schema() LOOP
		EXECUTE 'EXPLAIN SELECT * FROM ' || t;
	END LOOP;
END $$`,
	BumpGeneration:  `SELECT nextval('store_generation')`,
	BumpAfterCommit: true,
	// is_called is false until the first nextval: last_value is then 1.
	ReadGeneration: `SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM store_generation`,
	// Repeatable read gives the queries of one read method one snapshot.
	ReadTx: sql.TxOptions{ReadOnly: true, Isolation: sql.LevelRepeatableRead},
	// The expression of migration 0043's GIN index, so the index is used.
	DocSearch: `SELECT d.project_id, p.name, d.name, d.title
		FROM project_docs d JOIN projects p ON p.id = d.project_id
		WHERE to_tsvector('simple', d.title || ' ' || d.text) @@ to_tsquery('simple', ?)`,
	DocQuery: func(words []string) string {
		// word:* is a prefix query; words hold letters and digits only,
		// so nothing in them is tsquery syntax.
		q := make([]string, len(words))
		for i, w := range words {
			q[i] = w + ":*"
		}
		return strings.Join(q, " & ")
	},
}

// maxConns caps the connections one process opens to the server.
const maxConns = 16

// Open connects to the PostgreSQL database at dsn (a postgres:// URL or a
// key=value connection string, as libpq accepts) and brings its schema up to
// date. Errors name the database with its password redacted, see Redact.
func Open(ctx context.Context, dsn string) (*sqldb.Store, error) {
	s, err := open(ctx, dsn)
	if err != nil {
		return nil, fmt.Errorf("open store %s: %w", Redact(dsn), redactErr(err, dsn))
	}
	return s, nil
}

func open(ctx context.Context, dsn string) (*sqldb.Store, error) {
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(maxConns)
	db.SetMaxIdleConns(maxConns)
	// Idle connections stay half an hour: a new one's first queries pay
	// for reading the system catalogue. A server that warmed its
	// connections keeps them (sqldb.Store.WarmConnections).
	db.SetConnMaxIdleTime(30 * time.Minute)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return sqldb.New(ctx, db, db, Dialect)
}

// Redact returns dsn with any password replaced by "xxxxx": the password of
// a URL's user information, a password= query parameter, or a password=
// field of a key=value connection string. A string that does not parse is
// redacted as much as patterns allow. The result is meant for messages and
// logs, never for connecting.
func Redact(dsn string) string {
	if u, err := url.Parse(dsn); err == nil && u.Scheme != "" && u.Opaque == "" {
		if _, ok := u.User.Password(); ok {
			u.User = url.UserPassword(u.User.Username(), "xxxxx")
		}
		q := u.Query()
		changed := false
		for k := range q {
			if strings.EqualFold(k, "password") {
				q[k] = []string{"xxxxx"}
				changed = true
			}
		}
		if changed {
			u.RawQuery = q.Encode()
		}
		return u.String()
	}
	dsn = userinfoPassword.ReplaceAllString(dsn, "${1}xxxxx@")
	return keywordPassword.ReplaceAllString(dsn, "${1}xxxxx")
}

var (
	// userinfoPassword matches "scheme://user:password@", the password
	// running to the last @ since an unescaped one may hold @ itself.
	userinfoPassword = lazyre.New(`(://[^:/@]*:).*@`)
	// keywordPassword matches password=value in key=value strings and URL
	// queries, value quoted or not.
	keywordPassword = lazyre.New(`(?i)(password\s*=\s*)('(?:[^'\\]|\\.)*'|[^\s&]*)`)
)

// redactErr returns err with every occurrence of the DSN's password in its
// text replaced, keeping errors.Is and errors.As working through Unwrap.
// Drivers are careful not to print passwords, this makes sure of it.
func redactErr(err error, dsn string) error {
	secrets := passwords(dsn)
	msg := err.Error()
	redacted := msg
	for _, s := range secrets {
		redacted = strings.ReplaceAll(redacted, s, "xxxxx")
	}
	if redacted != msg {
		return &redactedError{msg: redacted, err: err}
	}
	return err
}

// passwords returns the passwords dsn holds, raw and escaped.
func passwords(dsn string) []string {
	var ps []string
	add := func(p string) {
		if p != "" {
			ps = append(ps, p, url.QueryEscape(p), url.PathEscape(p))
		}
	}
	if u, err := url.Parse(dsn); err == nil {
		if p, ok := u.User.Password(); ok {
			add(p)
		}
		for k, vs := range u.Query() {
			if strings.EqualFold(k, "password") {
				for _, v := range vs {
					add(v)
				}
			}
		}
	}
	if m := userinfoPassword.FindStringSubmatch(dsn); m != nil {
		full := m[0]
		add(strings.TrimSuffix(full[len(m[1]):], "@"))
	}
	for _, m := range keywordPassword.FindAllStringSubmatch(dsn, -1) {
		add(strings.Trim(m[2], "'"))
	}
	return ps
}

type redactedError struct {
	msg string
	err error
}

func (e *redactedError) Error() string { return e.msg }
func (e *redactedError) Unwrap() error { return e.err }
