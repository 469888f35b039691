package storetest

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ospo-project/ospo/internal/audit"
	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/rusage"
	"github.com/ospo-project/ospo/internal/store"
)

// AuditBenchSize is the number of entries BenchAudit stores before it
// measures: OSPO_BENCH_AUDIT, default one million.
func AuditBenchSize() int {
	if n, err := strconv.Atoi(os.Getenv("OSPO_BENCH_AUDIT")); err == nil && n > 0 {
		return n
	}
	return 1_000_000
}

// BenchAudit fills s's audit log with AuditBenchSize entries through load
// (which writes sealed entries straight to the database: the store has no
// bulk append, by design), then measures AppendAudit on that log and
// audit.Verify over all of it, printing the figures.
func BenchAudit(b *testing.B, s store.Store, load func(ctx context.Context, batch []catalog.AuditEntry) error) {
	ctx := context.Background()
	n := AuditBenchSize()
	start := time.Now()
	prev := audit.Genesis
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	batch := make([]catalog.AuditEntry, 0, 10000)
	for i := 1; i <= n; i++ {
		e := catalog.AuditEntry{Seq: int64(i), At: at.Add(time.Duration(i) * time.Second), Actor: fmt.Sprintf("user%d@example.com", i%500),
			Source: "hub", Address: "192.0.2.10", Action: "token.create", Object: fmt.Sprintf("token:%d", i),
			After: fmt.Sprintf(`{"id":%d,"scope":"read","prefix":"ospo_abcd"}`, i)}
		audit.Seal(&e, prev)
		prev = e.Hash
		batch = append(batch, e)
		if len(batch) == cap(batch) || i == n {
			if err := load(ctx, batch); err != nil {
				b.Fatalf("load audit entries: %v", err)
			}
			batch = batch[:0]
		}
	}
	fmt.Fprintf(os.Stderr, "audit bench: %d entries loaded in %v\n", n, time.Since(start).Round(time.Millisecond))

	b.Run("Verify", func(b *testing.B) {
		for b.Loop() {
			vstart, cstart := time.Now(), rusage.CPU()
			got, err := audit.Verify(s.AuditEntries(ctx))
			if err != nil {
				b.Fatal(err)
			}
			if got < int64(n) {
				b.Fatalf("verified %d entries, want at least %d", got, n)
			}
			d, cpu := time.Since(vstart), rusage.CPU()-cstart
			b.ReportMetric(float64(got)/d.Seconds(), "entries/s")
			b.ReportMetric(cpu.Seconds(), "cpu-s/verify")
			fmt.Fprintf(os.Stderr, "audit bench: verified %d entries in %v (%v of CPU)\n", got, d.Round(time.Millisecond), cpu.Round(time.Millisecond))
		}
	})
	// Each op appends appendsPerOp entries, so that a few ops (-benchtime
	// 3x) measure appends well without verifying the log many times over.
	const appendsPerOp = 500
	b.Run("Append", func(b *testing.B) {
		i := 0
		for b.Loop() {
			astart, cstart := time.Now(), rusage.CPU()
			for range appendsPerOp {
				i++
				if _, err := s.AppendAudit(ctx, catalog.AuditEntry{At: time.Now(), Actor: "bench@example.com", Source: "hub",
					Action: "token.revoke", Object: fmt.Sprintf("token:%d", i), Before: `{"scope":"read"}`}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(time.Since(astart).Microseconds())/appendsPerOp, "µs/append")
			b.ReportMetric(float64((rusage.CPU()-cstart).Microseconds())/appendsPerOp, "cpu-µs/append")
		}
	})
}

// InsertAudit writes sealed entries straight to audit_log in one
// transaction, 500 rows a statement; ph returns the n-th placeholder (from
// 1) of the database's SQL. Benchmarks load their logs with it.
func InsertAudit(ctx context.Context, db *sql.DB, batch []catalog.AuditEntry, ph func(n int) string) error {
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
