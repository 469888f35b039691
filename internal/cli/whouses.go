package cli

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/query"
	"github.com/ospo-project/ospo/internal/report"
	"github.com/ospo-project/ospo/internal/store"
)

// usageMatch is one row of who-uses: a use, and whether its version is
// known to satisfy the --version constraint ("yes") or cannot be decided
// because the manifest pins no exact version ("maybe").
type usageMatch struct {
	catalog.Usage
	Match string `json:"match,omitempty"`
	Note  string `json:"note,omitempty"`
}

type whoUsesReport struct {
	Package string           `json:"package"`
	Version string           `json:"version_constraint,omitempty"`
	Uses    []usageMatch     `json:"uses"`
	Experts []catalog.Person `json:"people"`
}

func (a *app) whoUsesCmd() *cobra.Command {
	var format, version string
	var f store.UsageFilter
	var people int
	cmd := &cobra.Command{
		Use:   "who-uses PACKAGE",
		Short: "Which projects use a package (optionally a version range), and who works on them",
		Long: `who-uses searches the whole estate for a package, named by package URL
(pkg:maven/org.apache.logging.log4j/log4j-core; with @VERSION, that version
only) or by name
(lodash, log4j-core, org.apache.logging.log4j:log4j-core), compared the way
its ecosystem compares names.

--version filters by the version in use with the ecosystem's own ordering
rules (Maven qualifiers, PEP 440, npm prereleases, Go pseudo-versions…):
'<2.17.1', '>=1.0, <2.0', '<1.2.3 || >=2.0.0 <2.0.5'. A use whose manifest
declares only a range (no lockfile) cannot be decided and is listed as "maybe".`,
		Example: "  ospo who-uses 'pkg:maven/org.apache.logging.log4j/log4j-core' --version '<2.17.1'\n  ospo who-uses lodash --ecosystem npm",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := report.CheckFormat(format, report.FormatTable, report.FormatJSON); err != nil {
				return usageErr("%v", err)
			}
			// A versioned package URL (pkg:golang/x@v1.8.0, or @1.8.0) asks
			// for that version.
			pkg, v := query.SplitPURL(args[0])
			f.Package = pkg
			if v != "" {
				if version != "" {
					return usageErr("%s has a version and --version gives another: give one of them", args[0])
				}
				version = "=" + v
			}
			return a.whoUses(cmd.Context(), f, version, people, format)
		},
	}
	addFormat(cmd, &format, report.FormatTable, report.FormatJSON)
	cmd.Flags().StringVar(&version, "version", "", "only uses whose version satisfies this constraint, e.g. '<2.17.1'")
	cmd.Flags().StringVar(&f.Ecosystem, "ecosystem", "", "only this ecosystem (npm, Maven, PyPI, Go, crates.io, RubyGems, NuGet, Packagist…)")
	cmd.Flags().IntVar(&people, "people", 10, "list this many people who work on the matching projects (0: none)")
	return cmd
}

func (a *app) whoUses(ctx context.Context, f store.UsageFilter, version string, people int, format string) error {
	var c *query.Constraint
	if version != "" {
		parsed, err := query.ParseConstraint(version)
		if err != nil {
			return usageErr("--version: %v", err)
		}
		c = &parsed
	}
	st, err := a.store(ctx)
	if err != nil {
		return err
	}
	uses, err := st.WhoUses(ctx, f)
	if err != nil {
		return classify(err)
	}
	rep := whoUsesReport{Package: f.Package, Version: version, Uses: []usageMatch{}}
	projects := map[int64]bool{}
	for _, u := range uses {
		m := usageMatch{Usage: u}
		if c != nil {
			switch ok, err := c.Match(u.Ecosystem, u.Version); {
			case u.Constraint || err != nil:
				m.Match = "maybe"
				m.Note = "no exact version resolved"
				if err != nil && !u.Constraint {
					m.Note = err.Error()
				}
			case ok:
				m.Match = "yes"
			default:
				continue
			}
		}
		rep.Uses = append(rep.Uses, m)
		projects[u.ProjectID] = true
	}
	if people > 0 && len(projects) > 0 {
		ids := make([]int64, 0, len(projects))
		for id := range projects {
			ids = append(ids, id)
		}
		sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
		if rep.Experts, err = st.Experts(ctx, ids, people); err != nil {
			return internalErr(err)
		}
	}
	if rep.Experts == nil {
		rep.Experts = []catalog.Person{}
	}
	if format == report.FormatJSON {
		return report.JSON(a.stdout, rep)
	}
	if len(rep.Uses) == 0 {
		fmt.Fprint(a.stdout, report.Cleanf("No project uses %s%s.\n", f.Package, versionSuffix(version)))
		return nil
	}
	t := report.NewTable(a.stdout, "PROJECT", "PACKAGE", "VERSION", "MATCH", "DIRECT", "SCOPE", "MANIFEST")
	for _, u := range rep.Uses {
		v := u.Version
		if u.Constraint {
			v += " (declared)"
		}
		t.Row(u.Project, u.Name, v, u.Match, yesNo(u.Direct), u.Scope, u.Manifest)
	}
	if err := t.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "\n%d uses in %d projects.\n", len(rep.Uses), len(projects))
	if len(rep.Experts) > 0 {
		fmt.Fprintln(a.stdout, "\nPeople who work on these projects:")
		t := report.NewTable(a.stdout, "  NAME", "EMAIL", "COMMITS", "PROJECTS")
		for _, p := range rep.Experts {
			var names []string
			for _, pp := range p.Projects {
				names = append(names, pp.Project)
			}
			t.Row("  "+p.Name, p.Email, strconv.Itoa(p.Commits), strings.Join(names, ", "))
		}
		t.Flush()
	}
	return nil
}

func versionSuffix(v string) string {
	if v == "" {
		return ""
	}
	return " at a version " + v
}

func yesNo(b bool) string {
	if b {
		return "direct"
	}
	return "transitive"
}
