package sqlite_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/store/sqlite"
	"github.com/ospo-project/ospo/internal/store/storetest"
)

// BenchmarkAudit measures audit appends and verification at a million
// entries (OSPO_BENCH_AUDIT):
//
//	go test -run '^$' -bench Audit -benchtime 3x ./internal/store/sqlite/
func BenchmarkAudit(b *testing.B) {
	ctx := context.Background()
	path := filepath.Join(b.TempDir(), "ospo.db")
	s, err := sqlite.Open(ctx, path)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	db, err := sql.Open("sqlite", path+"?_busy_timeout=10000&_txlock=immediate")
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	storetest.BenchAudit(b, s, func(ctx context.Context, batch []catalog.AuditEntry) error {
		return storetest.InsertAudit(ctx, db, batch, func(int) string { return "?" })
	})
}

// BenchmarkReplacePeople: see storetest.BenchReplacePeople.
//
//	go test -run '^$' -bench ReplacePeople -benchtime 3x ./internal/store/sqlite/
func BenchmarkReplacePeople(b *testing.B) {
	s, err := sqlite.Open(context.Background(), filepath.Join(b.TempDir(), "ospo.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	storetest.BenchReplacePeople(b, s)
}
