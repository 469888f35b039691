package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/ospo-project/ospo/internal/analyze"
	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/report"
)

func (a *app) depsCmd() *cobra.Command {
	var format string
	var directOnly bool
	cmd := &cobra.Command{
		Use:     "deps PATH|PROJECT",
		Short:   "List the dependencies of a directory (read on the fly) or of a catalogued project",
		Example: "  ospo deps .\n  ospo deps payments --format json",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := report.CheckFormat(format, report.FormatTable, report.FormatJSON); err != nil {
				return usageErr("%v", err)
			}
			an, err := a.analyzer(cmd.Context(), pipelineOptions{})
			if err != nil {
				return err
			}
			// A directory's dependencies need only the inventory: its
			// manifests and lockfiles, not languages, licences or history;
			// the problems printed are then those of reading them.
			res, err := a.analyze(cmd.Context(), an, target{ref: args[0], facts: analyze.InventoryFacts})
			if err != nil {
				return err
			}
			p := res.Project
			ds := []catalog.Dependency{}
			for _, d := range p.Dependencies {
				if !directOnly || d.Direct {
					ds = append(ds, d)
				}
			}
			if format == report.FormatJSON {
				return report.JSON(a.stdout, struct {
					Project      string               `json:"project"`
					Dependencies []catalog.Dependency `json:"dependencies"`
					Problems     []catalog.Problem    `json:"problems,omitempty"`
				}{p.Name, ds, p.Problems})
			}
			t := report.NewTable(a.stdout, "ECOSYSTEM", "NAME", "VERSION", "DIRECT", "SCOPE", "MANIFEST")
			for _, d := range ds {
				v := d.Version
				if d.Constraint {
					v += " (declared)"
				}
				t.Row(d.Ecosystem, d.Name, v, yesNo(d.Direct), d.Scope, d.Manifest)
			}
			if err := t.Flush(); err != nil {
				return err
			}
			fmt.Fprintf(a.stderr, "%d dependencies\n", len(ds))
			for _, pr := range p.Problems {
				fmt.Fprint(a.stderr, report.Cleanf("problem: %s: %s\n", pr.Path, pr.Message))
			}
			return nil
		},
	}
	addFormat(cmd, &format, report.FormatTable, report.FormatJSON)
	cmd.Flags().BoolVar(&directOnly, "direct", false, "only direct dependencies")
	return cmd
}
