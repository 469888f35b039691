package sqlite_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/store/sqlite"
	"github.com/ospo-project/ospo/internal/store/storetest"
)

// BenchmarkAudit measures audit appends and verification at a million
// entries (OSPO_BENCH_AUDIT):
//
//	go test -run XXX -bench Audit -benchtime 3x ./internal/store/sqlite/
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
		return insertAudit(ctx, db, batch, func(int) string { return "?" })
	})
}

// insertAudit writes sealed entries straight to audit_log in one
// transaction; ph returns the n-th placeholder (from 1).
func insertAudit(ctx context.Context, db *sql.DB, batch []catalog.AuditEntry, ph func(n int) string) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	const per = 500
	for start := 0; start < len(batch); start += per {
		end := min(start+per, len(batch))
		var q strings.Builder
		q.WriteString("INSERT INTO audit_log (seq, at, actor, person, source, address, action, object, before, after, prev_hash, hash) VALUES ")
		args := make([]any, 0, (end-start)*12)
		for i, e := range batch[start:end] {
			if i > 0 {
				q.WriteString(", ")
			}
			q.WriteString("(")
			for c := range 12 {
				if c > 0 {
					q.WriteString(", ")
				}
				q.WriteString(ph(len(args) + c + 1))
			}
			q.WriteString(")")
			args = append(args, e.Seq, e.At.UnixNano(), e.Actor, e.Person, e.Source, e.Address, e.Action, e.Object, e.Before, e.After, e.PrevHash, e.Hash)
		}
		if _, err := tx.ExecContext(ctx, q.String(), args...); err != nil {
			return err
		}
	}
	return tx.Commit()
}
