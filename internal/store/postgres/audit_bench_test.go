package postgres_test

import (
	"context"
	"database/sql"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/store/storetest"
)

// BenchmarkAudit measures audit appends and verification at a million
// entries (OSPO_BENCH_AUDIT) on the database of OSPO_TEST_POSTGRES:
//
//	scripts/test -run XXX -bench Audit -benchtime 3x ./internal/store/postgres/
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
					q.WriteString("$" + strconv.Itoa(len(args)+c+1))
				}
				q.WriteString(")")
				args = append(args, e.Seq, e.At.UnixNano(), e.Actor, e.Person, e.Source, e.Address, e.Action, e.Object, e.Before, e.After, e.PrevHash, e.Hash)
			}
			if _, err := tx.ExecContext(ctx, q.String(), args...); err != nil {
				return err
			}
		}
		return tx.Commit()
	})
}
