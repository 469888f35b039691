package cli

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/spf13/cobra"

	"github.com/ospo-project/ospo/internal/audit"
	"github.com/ospo-project/ospo/internal/auth"
	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/report"
	"github.com/ospo-project/ospo/internal/store"
)

func (a *app) auditCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "audit",
		Short: "Read, verify and export the tamper-evident audit log",
		Long: `Every change made through the CLI, the hub or the API appends an entry to the
audit log: when, who, from where, what, the object, before and after. Entries
are hash-chained: ospo audit verify recomputes the chain and fails, naming
the first entry that does not match, if any entry was altered, removed or
reordered.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	cmd.AddCommand(a.auditListCmd(), a.auditVerifyCmd(), a.auditExportCmd())
	return cmd
}

// parseSince reads a point in time: a date (2026-01-31), an RFC 3339 time,
// or a duration back from now (24h, 7d).
func parseSince(s string, now time.Time) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	if t, err := time.Parse("2006-01-02", s); err == nil {
		return t, nil
	}
	if d, err := auth.ParseDuration(s); err == nil {
		return now.Add(-d), nil
	}
	return time.Time{}, fmt.Errorf("%q is not a date (2026-01-31), a time (RFC 3339) or a duration (24h, 7d)", s)
}

func (a *app) auditListCmd() *cobra.Command {
	var format, since string
	var f store.AuditFilter
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List audit entries, oldest first",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			t, err := parseSince(since, time.Now())
			if err != nil {
				return usageErr("--since: %v", err)
			}
			f.Since = t
			st, err := a.storeFor(cmd.Context(), format)
			if err != nil {
				return err
			}
			es, err := st.ListAudit(cmd.Context(), f)
			if err != nil {
				return classify(err)
			}
			if format == report.FormatJSON {
				if es == nil {
					es = []catalog.AuditEntry{}
				}
				return report.JSON(a.stdout, es)
			}
			tb := report.NewTable(a.stdout, "SEQ", "WHEN", "WHO", "FROM", "ACTION", "OBJECT")
			for _, e := range es {
				from := e.Source
				if e.Address != "" {
					from += " " + e.Address
				}
				tb.Row(strconv.FormatInt(e.Seq, 10), e.At.Format(time.RFC3339), e.Actor, from, e.Action, e.Object)
			}
			if err := tb.Flush(); err != nil {
				return err
			}
			fmt.Fprintf(a.stderr, "%d entries\n", len(es))
			return nil
		},
	}
	addFormat(cmd, &format, report.FormatTable, report.FormatJSON)
	cmd.Flags().StringVar(&since, "since", "", "only entries at or after: a date, an RFC 3339 time or a duration back (24h, 7d)")
	cmd.Flags().StringVar(&f.Actor, "actor", "", "only entries by this actor")
	cmd.Flags().StringVar(&f.Action, "action", "", `only this action, or actions starting with a prefix ending in "." ("token.")`)
	cmd.Flags().IntVar(&f.Limit, "limit", 0, "at most this many entries")
	return cmd
}

func (a *app) auditVerifyCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "verify",
		Short: "Recompute the audit log's hash chain; exit 1 naming the first entry that does not match",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			st, err := a.store(cmd.Context())
			if err != nil {
				return err
			}
			start := time.Now()
			n, err := audit.Verify(st.AuditEntries(cmd.Context()))
			var be *audit.BrokenError
			if errors.As(err, &be) {
				return &exitError{code: ExitViolation, err: err}
			}
			if err != nil {
				return internalErr(err)
			}
			fmt.Fprintf(a.stdout, "audit log intact: %d entries verified in %v\n", n, time.Since(start).Round(time.Millisecond))
			return nil
		},
	}
}

func (a *app) auditExportCmd() *cobra.Command {
	var since string
	cmd := &cobra.Command{
		Use:   "export",
		Short: "Write the audit log as JSON lines (one entry a line, oldest first), for a SIEM",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			from, err := parseSince(since, time.Now())
			if err != nil {
				return usageErr("--since: %v", err)
			}
			st, err := a.store(cmd.Context())
			if err != nil {
				return err
			}
			w := bufio.NewWriter(a.stdout)
			enc := json.NewEncoder(w)
			n := 0
			for e, err := range st.AuditEntries(cmd.Context()) {
				if err != nil {
					return internalErr(err)
				}
				if e.At.Before(from) {
					continue
				}
				if err := enc.Encode(e); err != nil {
					return err
				}
				n++
			}
			if err := w.Flush(); err != nil {
				return err
			}
			fmt.Fprintf(a.stderr, "%d entries exported\n", n)
			return nil
		},
	}
	cmd.Flags().StringVar(&since, "since", "", "only entries at or after: a date, an RFC 3339 time or a duration back (24h, 7d)")
	return cmd
}
