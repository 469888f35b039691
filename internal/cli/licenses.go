package cli

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/ospo-project/ospo/internal/analyze"
	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/license"
	"github.com/ospo-project/ospo/internal/report"
)

func (a *app) licensesCmd() *cobra.Command {
	var format string
	var all, online, strict bool
	cmd := &cobra.Command{
		Use:   "licenses [PATH|PROJECT]",
		Short: "List licences: a project's own and its dependencies', or the estate's with --all",
		Long: `licenses lists the licence of a project and of each of its dependencies with
its category (permissive, weak-copyleft, strong-copyleft, network-copyleft,
non-commercial, proprietary, other, unknown). PATH is read on the fly (the
default is the current directory); PROJECT is looked up in the catalogue.
--all shows the estate: projects by licence, dependency uses by licence and
category, and the projects in violation of the policy.`,
		Example: "  ospo licenses .\n  ospo licenses payments --format json\n  ospo licenses --all",
		Args:    cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			if err := report.CheckFormat(format, report.FormatTable, report.FormatJSON); err != nil {
				return usageErr("%v", err)
			}
			if all {
				if len(args) > 0 {
					return usageErr("--all takes no PATH or PROJECT")
				}
				return a.licenseSummary(ctx, format)
			}
			ref := "."
			if len(args) == 1 {
				ref = args[0]
			}
			an, err := a.analyzer(ctx, pipelineOptions{strict: strict, online: online})
			if err != nil {
				return err
			}
			res, err := a.analyze(ctx, an, target{ref: ref, analyses: analyze.Licenses})
			if err != nil {
				return err
			}
			p := res.Project
			rows := license.Rows(p)
			own := p.License
			if own == nil {
				own = &catalog.ProjectLicense{Expression: catalog.LicenseUnknown}
			}
			if format == report.FormatJSON {
				return report.JSON(a.stdout, struct {
					Project      string                   `json:"project"`
					License      *catalog.ProjectLicense  `json:"license"`
					Dependencies []license.DependencyRow  `json:"dependencies"`
					Findings     []catalog.LicenseFinding `json:"findings"`
				}{p.Name, own, rows, nonNil(res.Licenses.Findings)})
			}
			fmt.Fprintf(a.stdout, "%s: %s\n", report.Clean(p.Name), report.Clean(own.Expression))
			for _, e := range own.Evidence {
				fmt.Fprintf(a.stdout, "  %s %s (%s, confidence %.2f)\n", report.Clean(e.File), report.Clean(e.License), e.Source, e.Confidence)
			}
			fmt.Fprintln(a.stdout)
			t := report.NewTable(a.stdout, "ECOSYSTEM", "NAME", "VERSION", "SCOPE", "LICENSE", "CATEGORY", "SOURCE")
			for _, r := range rows {
				t.Row(r.Ecosystem, r.Name, r.Version, orRuntime(r.Scope), r.License, r.Category, r.Source)
			}
			return t.Flush()
		},
	}
	addFormat(cmd, &format, report.FormatTable, report.FormatJSON)
	cmd.Flags().BoolVar(&all, "all", false, "the estate: licence counts and projects in violation, from the catalogue")
	cmd.Flags().BoolVar(&online, "online", false, "ask package registries for licences lockfiles and local caches do not record")
	cmd.Flags().BoolVar(&strict, "strict", false, "count unknown licences as violations")
	return cmd
}

func (a *app) licenseSummary(ctx context.Context, format string) error {
	st, err := a.store(ctx)
	if err != nil {
		return err
	}
	sum, err := st.LicenseSummary(ctx)
	if err != nil {
		return internalErr(err)
	}
	if format == report.FormatJSON {
		return report.JSON(a.stdout, sum)
	}
	section := func(title, col string, cs []catalog.LicenseCount) error {
		fmt.Fprintln(a.stdout, title)
		t := report.NewTable(a.stdout, col, "PROJECTS", "DEPENDENCIES")
		for _, c := range cs {
			t.Row(c.Name, fmt.Sprint(c.Projects), fmt.Sprint(c.Dependencies))
		}
		if err := t.Flush(); err != nil {
			return err
		}
		fmt.Fprintln(a.stdout)
		return nil
	}
	fmt.Fprintln(a.stdout, "Projects by licence")
	t := report.NewTable(a.stdout, "LICENSE", "PROJECTS")
	for _, c := range sum.ProjectLicenses {
		t.Row(c.Name, fmt.Sprint(c.Projects))
	}
	if err := t.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(a.stdout)
	if err := section("Dependencies by category", "CATEGORY", sum.Categories); err != nil {
		return err
	}
	if err := section("Dependencies by licence", "LICENSE", sum.DependencyLicenses); err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "Projects in violation: %d\n", len(sum.InViolation))
	t = report.NewTable(a.stdout, "PROJECT", "KEY", "VIOLATIONS", "WARNINGS")
	for _, v := range sum.InViolation {
		t.Row(v.Project, v.ProjectKey, fmt.Sprint(v.Violations), fmt.Sprint(v.Warnings))
	}
	return t.Flush()
}

func orRuntime(scope string) string {
	if scope == "" {
		return catalog.ScopeRuntime
	}
	return scope
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
