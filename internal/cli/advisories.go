package cli

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/ospo-project/ospo/internal/report"
	"github.com/ospo-project/ospo/internal/vuln"
)

func (a *app) advisoriesCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "advisories",
		Short: "Import OSV vulnerability advisories and show what is imported",
		Long: `advisories manages the offline copy of OSV advisories that vulns matches
against. Download osv.dev's exports (https://osv-vulnerabilities.storage.googleapis.com/<ECOSYSTEM>/all.zip)
or use any directory of OSV JSON, such as golang.org/x/vulndb's data/osv.`,
	}
	cmd.AddCommand(a.advisoriesImportCmd(), a.advisoriesStatusCmd())
	return cmd
}

func (a *app) advisoriesImportCmd() *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "import PATH...",
		Short: "Import OSV advisories from zip files, directories of JSON or single files",
		Long: `import reads OSV records (schema 1.x) and stores them in one transaction: an
import that fails or is interrupted leaves the previous advisories in force.
Re-importing is incremental: records whose stored copy is as new are left
alone, withdrawn ones are deleted. Inside a directory, records that cannot be
used (corrupt zip, malformed JSON, unknown ecosystem, unparsable versions)
are skipped and counted by reason; the rest is imported. A file named on the
command line is read by its content: one that is neither a zip file nor
JSON, a device or a FIFO, or paths holding no advisory file at all, are
exit 2 and nothing is imported.`,
		Example: "  ospo advisories import ~/osv/Go/all.zip ~/osv/npm/all.zip\n  ospo advisories import $(go env GOMODCACHE)/golang.org/x/vulndb@*/data/osv",
		Args:    cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := report.CheckFormat(format, report.FormatTable, report.FormatJSON); err != nil {
				return usageErr("%v", err)
			}
			ctx := cmd.Context()
			start := time.Now()
			advs, rep, err := vuln.Load(args)
			if err != nil {
				return usageErr("%v", err)
			}
			st, err := a.store(ctx)
			if err != nil {
				return err
			}
			res, err := st.UpsertAdvisories(ctx, advs)
			if err != nil {
				return internalErr(err)
			}
			if format == report.FormatJSON {
				return report.JSON(a.stdout, struct {
					Read    vuln.Report `json:"read"`
					Stored  any         `json:"stored"`
					Seconds float64     `json:"seconds"`
				}{rep, res, time.Since(start).Seconds()})
			}
			fmt.Fprint(a.stdout, rep.String())
			fmt.Fprintf(a.stdout, "stored: %d added, %d updated, %d unchanged, %d withdrawn (%.1fs)\n",
				res.Added, res.Updated, res.Unchanged, res.Withdrawn, time.Since(start).Seconds())
			for _, ex := range rep.Examples {
				fmt.Fprintf(a.stderr, "skipped: %s\n", ex)
			}
			return nil
		},
	}
	addFormat(cmd, &format, report.FormatTable, report.FormatJSON)
	return cmd
}

func (a *app) advisoriesStatusCmd() *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "status",
		Short: "Imported advisories per ecosystem, with the newest modified date",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			st, err := a.storeFor(ctx, format)
			if err != nil {
				return err
			}
			s, err := st.AdvisoryStatus(ctx)
			if err != nil {
				return internalErr(err)
			}
			if format == report.FormatJSON {
				return report.JSON(a.stdout, s)
			}
			t := report.NewTable(a.stdout, "ECOSYSTEM", "ADVISORIES", "NEWEST MODIFIED")
			for _, e := range s.Ecosystems {
				t.Row(e.Ecosystem, fmt.Sprint(e.Advisories), advDate(e.Newest))
			}
			t.Row("total", fmt.Sprint(s.Total), advDate(s.Newest))
			if err := t.Flush(); err != nil {
				return err
			}
			if !s.ImportedAt.IsZero() {
				fmt.Fprintf(a.stdout, "last import: %s\n", s.ImportedAt.Local().Format(time.DateTime))
			}
			return nil
		},
	}
	addFormat(cmd, &format, report.FormatTable, report.FormatJSON)
	return cmd
}

func advDate(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.UTC().Format(time.DateOnly)
}
