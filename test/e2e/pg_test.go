package e2e

import (
	"context"
	"net/url"

	"github.com/jackc/pgx/v5"
)

// adminExec runs one statement on the server at dsn.
func adminExec(ctx context.Context, dsn, sql string) error {
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, sql)
	return err
}

// replaceDB returns dsn naming database db instead.
func replaceDB(dsn, db string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return dsn
	}
	u.Path = "/" + db
	return u.String()
}
