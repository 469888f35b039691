package cli

import (
	"fmt"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/ospo-project/ospo/internal/analyze"
	"github.com/ospo-project/ospo/internal/report"
	"github.com/ospo-project/ospo/internal/sbom"
	"github.com/ospo-project/ospo/internal/sbom/cyclonedx"
	"github.com/ospo-project/ospo/internal/sbom/spdx"
)

const (
	formatCycloneDX = "cyclonedx-json"
	formatSPDX      = "spdx-json"
)

func (a *app) sbomCmd() *cobra.Command {
	var format, output string
	var withVulns bool
	cmd := &cobra.Command{
		Use:   "sbom PATH|PROJECT",
		Short: "Write a software bill of materials (CycloneDX 1.6 or SPDX 2.3 JSON)",
		Long: `sbom writes the dependencies of a directory on disk (scanned on the fly, as
it is in the work tree, no store needed) or of a project in the catalogue.`,
		Example: "  ospo sbom . --format cyclonedx-json > bom.json\n  ospo sbom payments --format spdx-json -o payments.spdx.json",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if format != formatCycloneDX && format != formatSPDX {
				return usageErr("unknown format %q (want %s or %s)", format, formatCycloneDX, formatSPDX)
			}
			var what analyze.Analyses // the SBOM records the lockfiles' licences, not resolved ones
			if withVulns {
				what = analyze.Vulnerabilities
			}
			an, err := a.analyzer(cmd.Context(), pipelineOptions{advisories: withVulns})
			if err != nil {
				return err
			}
			// An SBOM records the identity, description and dependencies:
			// no other file of a directory is read.
			res, err := a.analyze(cmd.Context(), an, target{ref: args[0], analyses: what, facts: analyze.InventoryFacts})
			if err != nil {
				return err
			}
			p := res.Project
			w := a.stdout
			if output != "" && output != "-" {
				f, err := os.Create(output)
				if err != nil {
					return usageErr("%v", err)
				}
				defer f.Close()
				w = f
			}
			opts := sbom.Options{ToolVersion: Version, Now: time.Now().UTC()}
			opts.Vulnerabilities = res.Vulnerabilities
			if format == formatSPDX {
				err = spdx.Write(w, p, opts)
			} else {
				err = cyclonedx.Write(w, p, opts)
			}
			if err != nil {
				return internalErr(fmt.Errorf("write sbom: %w", err))
			}
			for _, pr := range p.Problems {
				fmt.Fprint(a.stderr, report.Cleanf("warning: %s: %s\n", pr.Path, pr.Message))
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&format, "format", formatCycloneDX, "output format: "+formatCycloneDX+", "+formatSPDX)
	cmd.Flags().StringVarP(&output, "output", "o", "", "write to this file instead of standard output")
	cmd.Flags().BoolVar(&withVulns, "vulns", false, "add the known vulnerabilities (CycloneDX vulnerabilities section) from the imported advisories")
	return cmd
}
