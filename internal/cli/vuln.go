package cli

import (
	"cmp"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/gate"
	"github.com/ospo-project/ospo/internal/report"
)

type vulnReport struct {
	Advisory *catalog.Advisory `json:"advisory"`
	Projects []exposure        `json:"projects"`
	People   []catalog.Person  `json:"people"`
}

func (a *app) vulnCmd() *cobra.Command {
	var format string
	var people int
	cmd := &cobra.Command{
		Use:   "vuln GHSA-…|CVE-…|GO-…",
		Short: "Which projects an advisory touches, with the fix, and who works on them",
		Long: `vuln looks an advisory up by its id or any alias (a CVE finds its GHSA and
GO records), lists every project of the catalogue with an affected
dependency (version in use, fixed version, direct or transitive, suppressed
or not) and the people who know those projects best.`,
		Example: "  ospo vuln CVE-2021-44228\n  ospo vuln GHSA-jfh8-c2jp-5v3q --format json",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			st, err := a.storeFor(ctx, format)
			if err != nil {
				return err
			}
			adv, err := st.Advisory(ctx, args[0])
			if err != nil {
				return notFound("advisory", args[0], err)
			}
			rows, err := a.estateFindings(ctx, []catalog.Advisory{*adv})
			if err != nil {
				return err
			}
			rep := vulnReport{Advisory: adv, Projects: rows, People: []catalog.Person{}}
			if rep.Projects == nil {
				rep.Projects = []exposure{}
			}
			if len(rows) > 0 && people > 0 {
				ids := make([]int64, len(rows))
				for i, r := range rows {
					ids[i] = r.ProjectID
				}
				if rep.People, err = st.Experts(ctx, ids, people); err != nil {
					return internalErr(err)
				}
			}
			if format == report.FormatJSON {
				return report.JSON(a.stdout, rep)
			}
			w := a.stdout
			fmt.Fprint(w, report.Cleanf("%s", adv.ID))
			if len(adv.Aliases) > 0 {
				fmt.Fprint(w, report.Cleanf(" (%s)", strings.Join(adv.Aliases, ", ")))
			}
			fmt.Fprintf(w, "  %s\n%s\n", gate.SeverityText(adv.Severity), report.Clean(adv.Summary))
			for _, p := range adv.Packages {
				fmt.Fprint(w, report.Cleanf("affects %s %s\n", p.Ecosystem, p.Name))
			}
			fmt.Fprintln(w)
			if len(rows) == 0 {
				fmt.Fprintln(w, "no project of the catalogue is affected")
				return nil
			}
			t := report.NewTable(w, "PROJECT", "PACKAGE", "VERSION", "FIXED IN", "DEPENDENCY", "MANIFEST", "STATUS")
			for _, r := range rows {
				for _, f := range r.Findings {
					dep := "direct"
					if !f.Direct {
						dep = "transitive"
					}
					status := "affected"
					if f.Suppressed {
						status = "suppressed: " + f.Reason
					}
					t.Row(r.Project, f.Package, f.Version, cmp.Or(f.FixedIn, "-"), dep, f.Manifest, status)
				}
			}
			if err := t.Flush(); err != nil {
				return err
			}
			fmt.Fprintf(w, "%d projects affected\n", len(rows))
			if len(rep.People) > 0 {
				fmt.Fprintln(w, "\npeople who work on them:")
				pt := report.NewTable(w, "NAME", "EMAIL", "COMMITS", "PROJECTS")
				for _, p := range rep.People {
					pt.Row(p.Name, p.Email, fmt.Sprint(p.Commits), fmt.Sprint(len(p.Projects)))
				}
				return pt.Flush()
			}
			return nil
		},
	}
	addFormat(cmd, &format, report.FormatTable, report.FormatJSON)
	cmd.Flags().IntVar(&people, "people", 10, "list this many people who work on the affected projects (0: none)")
	return cmd
}
