package cli

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/ospo-project/ospo/internal/analyze"
	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/gate"
	"github.com/ospo-project/ospo/internal/report"
	"github.com/ospo-project/ospo/internal/vuln"
)

type vulnsReport struct {
	Project  string                `json:"project"`
	Key      string                `json:"key,omitempty"`
	Findings []catalog.VulnFinding `json:"findings"`
}

func (a *app) vulnsCmd() *cobra.Command {
	var format, severity, failOn string
	var all bool
	cmd := &cobra.Command{
		Use:   "vulns [PATH|PROJECT]",
		Short: "Known vulnerabilities in a project's dependencies, or across the estate (--all)",
		Long: `vulns matches the dependencies of a directory on disk (scanned on the fly)
or of a project in the catalogue against the imported OSV advisories (see
'ospo advisories import'), with each ecosystem's version rules. Each finding
gives the advisory and its aliases, severity, the affected range, the
smallest fixed version above the one in use, and for a transitive
dependency the direct dependency it comes through. Ignore rules of ospo.yaml
(vulns.ignore) mark findings as suppressed; they are still listed.

--all ranks every project of the catalogue by exposure.
--fail-on RATING exits 1 when an unsuppressed finding is that bad or worse.`,
		Example: "  ospo vulns .\n  ospo vulns payments --severity high --format sarif > vulns.sarif\n  ospo vulns --all",
		Args:    cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := report.CheckFormat(format, report.FormatTable, report.FormatJSON, report.FormatSARIF); err != nil {
				return usageErr("%v", err)
			}
			for _, r := range []string{severity, failOn} {
				if r != "" && !vuln.ValidRating(r) {
					return usageErr("unknown severity %q (want critical, high, medium or low)", r)
				}
			}
			ctx := cmd.Context()
			if all {
				if len(args) > 0 {
					return usageErr("--all takes no PATH or PROJECT")
				}
				if format == report.FormatSARIF {
					return usageErr("--all has no sarif format")
				}
				return a.vulnsAll(ctx, severity, format)
			}
			ref := "."
			if len(args) == 1 {
				ref = args[0]
			}
			an, err := a.analyzer(ctx, pipelineOptions{advisories: true})
			if err != nil {
				return err
			}
			// Matching reads the dependencies only (analyze.InventoryFacts).
			res, err := a.analyze(ctx, an, target{ref: ref, analyses: analyze.Vulnerabilities, facts: analyze.InventoryFacts})
			if err != nil {
				return err
			}
			p, fs := res.Project, res.Vulnerabilities
			violated := false
			for i := range fs {
				if failOn != "" && !fs[i].Suppressed && vuln.AtLeast(&fs[i], failOn) {
					violated = true
				}
			}
			var shown []catalog.VulnFinding
			for _, f := range fs {
				if vuln.AtLeast(&f, severity) {
					shown = append(shown, f)
				}
			}
			dir := ""
			if isDir(ref) {
				dir = p.Path
			}
			if err := a.writeFindings(p, dir, shown, format); err != nil {
				return err
			}
			if violated {
				return &exitError{code: ExitViolation, err: fmt.Errorf("vulnerabilities at or above %s", strings.ToLower(failOn))}
			}
			return nil
		},
	}
	addFormat(cmd, &format, report.FormatTable, report.FormatJSON, report.FormatSARIF)
	cmd.Flags().StringVar(&severity, "severity", "", "list only findings of this severity or worse: critical, high, medium, low")
	cmd.Flags().StringVar(&failOn, "fail-on", "", "exit 1 when an unsuppressed finding is this severe or worse")
	cmd.Flags().BoolVar(&all, "all", false, "rank every project of the catalogue by exposure")
	return cmd
}

// writeFindings renders a project's findings; dir is its work tree ("" for
// a catalogue project), where SARIF locates findings at their line.
func (a *app) writeFindings(p *catalog.Project, dir string, fs []catalog.VulnFinding, format string) error {
	switch format {
	case report.FormatJSON:
		if fs == nil {
			fs = []catalog.VulnFinding{}
		}
		return report.JSON(a.stdout, vulnsReport{Project: p.Name, Key: p.Key, Findings: fs})
	case report.FormatSARIF:
		g := gate.Vulnerabilities(fs, "", dir)
		return report.WriteSARIF(a.stdout, tool(), g.Rules, g.Findings, "")
	}
	if len(fs) == 0 {
		fmt.Fprint(a.stdout, report.Cleanf("%s: no known vulnerabilities\n", p.Name))
		return nil
	}
	t := report.NewTable(a.stdout, "SEVERITY", "ID", "PACKAGE", "VERSION", "FIXED IN", "DEPENDENCY", "MANIFEST", "SUMMARY")
	suppressed := 0
	for _, f := range fs {
		sev := gate.SeverityText(f.Severity)
		if f.Suppressed {
			sev = "suppressed"
			suppressed++
		}
		dep := "direct"
		if !f.Direct {
			dep = "transitive"
			if f.Via != "" {
				dep += " via " + f.Via
			}
		}
		id := f.AdvisoryID
		if len(f.Aliases) > 0 {
			id += " (" + strings.Join(f.Aliases, ", ") + ")"
		}
		fixed := f.FixedIn
		if fixed == "" {
			fixed = "-"
		}
		t.Row(sev, id, f.Package, f.Version, fixed, dep, f.Manifest, f.Summary)
	}
	if err := t.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "%d findings", len(fs))
	if suppressed > 0 {
		fmt.Fprintf(a.stdout, ", %d suppressed", suppressed)
	}
	fmt.Fprintln(a.stdout)
	for _, f := range fs {
		if f.Suppressed {
			fmt.Fprint(a.stdout, report.Cleanf("suppressed %s in %s: %s\n", f.AdvisoryID, f.Package, f.Reason))
		}
	}
	return nil
}

// exposure is one project's row of vulns --all and vuln.
type exposure = vuln.Exposure

func (a *app) vulnsAll(ctx context.Context, severity, format string) error {
	st, err := a.store(ctx)
	if err != nil {
		return err
	}
	advs, err := st.AdvisoriesInUse(ctx)
	if err != nil {
		return internalErr(err)
	}
	rows, err := a.estateFindings(ctx, advs)
	if err != nil {
		return err
	}
	var out []exposure
	for _, e := range rows {
		if e.Tally(severity) {
			out = append(out, e)
		}
	}
	vuln.Rank(out)
	if format == report.FormatJSON {
		if out == nil {
			out = []exposure{}
		}
		return report.JSON(a.stdout, out)
	}
	if len(out) == 0 {
		fmt.Fprintln(a.stdout, "no known vulnerabilities in the catalogue")
		return nil
	}
	t := report.NewTable(a.stdout, "PROJECT", "CRITICAL", "HIGH", "MEDIUM", "LOW", "UNKNOWN", "SUPPRESSED", "WORST")
	for _, e := range out {
		worst := "-"
		for _, f := range e.Findings {
			if !f.Suppressed {
				worst = f.AdvisoryID + " " + f.Package + "@" + f.Version
				break
			}
		}
		t.Row(e.Project, fmt.Sprint(e.Counts["critical"]), fmt.Sprint(e.Counts["high"]), fmt.Sprint(e.Counts["medium"]),
			fmt.Sprint(e.Counts["low"]), fmt.Sprint(e.Counts["unknown"]), fmt.Sprint(e.Suppressed), worst)
	}
	if err := t.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "%d projects affected\n", len(out))
	return nil
}

// estateFindings matches advs against every use of the packages they
// affect, one row per project with findings (ignore rules applied).
func (a *app) estateFindings(ctx context.Context, advs []catalog.Advisory) ([]exposure, error) {
	st, err := a.store(ctx)
	if err != nil {
		return nil, err
	}
	pkgs := vuln.Packages(advs)
	if len(pkgs) == 0 {
		return nil, nil
	}
	uses, err := st.Usages(ctx, pkgs)
	if err != nil {
		return nil, internalErr(err)
	}
	cfg, err := a.config()
	if err != nil {
		return nil, err
	}
	return vuln.MatchUsages(advs, uses, analyze.VulnIgnores(cfg.Vulns), time.Now()), nil
}
