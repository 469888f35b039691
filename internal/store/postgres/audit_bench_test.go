package postgres_test

import (
	"context"
	"database/sql"
	"os"
	"strconv"
	"testing"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/store/storetest"
)

// BenchmarkAudit measures audit appends and verification at a million
// entries (OSPO_BENCH_AUDIT) on the database of OSPO_TEST_POSTGRES:
//
//	scripts/test -run '^$' -bench Audit -benchtime 3x ./internal/store/postgres/
func BenchmarkAudit(b *testing.B) {
	if os.Getenv("OSPO_TEST_POSTGRES") == "" {
		b.Skip("OSPO_TEST_POSTGRES is not set (scripts/test sets it)")
	}
	dsn := schema(b)
	s := open(b, dsn)
	defer s.Close()
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	storetest.BenchAudit(b, s, func(ctx context.Context, batch []catalog.AuditEntry) error {
		return storetest.InsertAudit(ctx, db, batch, func(n int) string { return "$" + strconv.Itoa(n) })
	})
}

// BenchmarkReplacePeople: see storetest.BenchReplacePeople.
//
//	scripts/test -run '^$' -bench ReplacePeople -benchtime 3x ./internal/store/postgres/
func BenchmarkReplacePeople(b *testing.B) {
	if os.Getenv("OSPO_TEST_POSTGRES") == "" {
		b.Skip("OSPO_TEST_POSTGRES is not set (scripts/test sets it)")
	}
	s := open(b, schema(b))
	defer s.Close()
	storetest.BenchReplacePeople(b, s)
}
