package cli

import (
	"context"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/jobs"
	"github.com/ospo-project/ospo/internal/report"
	"github.com/ospo-project/ospo/internal/scan"
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
	var noRematch bool
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
exit 2 and nothing is imported.

When the import added, changed or withdrew advisories, the stored
dependencies of the projects using their packages are matched again (no
repository is read) and a project whose Security check changes gets a new
scorecard. On PostgreSQL with a worker running, that is a job for the
workers (ospo jobs lists it); otherwise it runs here. --no-rematch skips it.`,
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
			prior, err := st.AdvisoryStatus(ctx)
			if err != nil {
				return internalErr(err)
			}
			res, err := st.UpsertAdvisories(ctx, advs)
			if err != nil {
				return internalErr(err)
			}
			rm, err := a.rematchAfterImport(ctx, advs, res, prior.Total == 0, noRematch)
			if err != nil {
				return err
			}
			if format == report.FormatJSON {
				return report.JSON(a.stdout, struct {
					Read    vuln.Report    `json:"read"`
					Stored  any            `json:"stored"`
					Rematch *rematchReport `json:"rematch,omitempty"`
					Seconds float64        `json:"seconds"`
				}{rep, res, rm, time.Since(start).Seconds()})
			}
			fmt.Fprint(a.stdout, report.CleanText(rep.String()))
			fmt.Fprintf(a.stdout, "stored: %d added, %d updated, %d unchanged, %d withdrawn (%.1fs)\n",
				res.Added, res.Updated, res.Unchanged, res.Withdrawn, time.Since(start).Seconds())
			switch {
			case rm == nil:
			case rm.JobID != 0:
				fmt.Fprintf(a.stdout, "rematch: queued job %d for the workers (%d packages)\n", rm.JobID, rm.Packages)
			default:
				fmt.Fprintf(a.stdout, "rematch: %d projects use the packages, %d rescored\n", rm.Projects, rm.Rescored)
			}
			for _, ex := range rep.Examples {
				fmt.Fprint(a.stderr, report.Cleanf("skipped: %s\n", ex))
			}
			return nil
		},
	}
	addFormat(cmd, &format, report.FormatTable, report.FormatJSON)
	cmd.Flags().BoolVar(&noRematch, "no-rematch", false, "do not re-match the stored inventories against the imported advisories")
	return cmd
}

// rematchReport is what an import's rematch did: queued as JobID, or run
// here (Projects, Rescored).
type rematchReport struct {
	Packages int   `json:"packages"`
	All      bool  `json:"all,omitempty"`
	JobID    int64 `json:"job_id,omitempty"`
	scan.RematchSummary
}

// rematchAfterImport re-matches the projects using the packages of the
// imported advisories when the import changed any (nil when it did not or
// skip): queued for the workers on PostgreSQL when one runs, else here.
// With first (the store held no advisory before), every project is
// re-matched.
func (a *app) rematchAfterImport(ctx context.Context, advs []catalog.Advisory, res catalog.AdvisoryImport, first, skip bool) (*rematchReport, error) {
	if skip || res.Added+res.Updated+res.Withdrawn == 0 {
		return nil, nil
	}
	seen := map[catalog.PackageRef]bool{}
	var pkgs []catalog.PackageRef
	for _, adv := range advs {
		for _, p := range adv.Packages {
			if !seen[p] {
				seen[p] = true
				pkgs = append(pkgs, p)
			}
		}
	}
	rep := &rematchReport{Packages: len(pkgs), All: first}
	q, err := a.useQueue(ctx, false, false)
	if err != nil {
		return nil, err
	}
	if q != nil {
		defer q.Close()
		enq, err := q.Enqueue(ctx, jobs.Rematch{Packages: pkgs, All: first})
		if err != nil {
			return nil, internalErr(err)
		}
		rep.JobID = enq[0].ID
		return rep, nil
	}
	if rep.RematchSummary, err = a.rematch(ctx, pkgs, first); err != nil {
		return nil, internalErr(err)
	}
	return rep, nil
}

// rematch re-matches the stored inventories of the projects using pkgs, or
// of every project with all, against the advisories in the store now
// (scan.Rematch).
func (a *app) rematch(ctx context.Context, pkgs []catalog.PackageRef, all bool) (scan.RematchSummary, error) {
	an, err := a.analyzer(ctx, pipelineOptions{advisories: true})
	if err != nil {
		return scan.RematchSummary{}, err
	}
	st, err := a.store(ctx)
	if err != nil {
		return scan.RematchSummary{}, err
	}
	if all {
		states, err := st.ProjectStates(ctx)
		if err != nil {
			return scan.RematchSummary{}, err
		}
		ids := make([]int64, 0, len(states))
		for _, s := range states {
			ids = append(ids, s.ID)
		}
		return scan.RematchProjects(ctx, st, an, ids)
	}
	return scan.Rematch(ctx, st, an, pkgs)
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
