package cli

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/ospo-project/ospo/internal/analyze"
	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/config"
	"github.com/ospo-project/ospo/internal/license"
	"github.com/ospo-project/ospo/internal/report"
	"github.com/ospo-project/ospo/internal/vuln"
)

// checkFlags are the flags of `ospo check`.
type checkFlags struct {
	format string
	strict bool
	online bool
	kind   string
	failOn string
	// minScore and minChecks are the scorecard thresholds (--min-score,
	// --min-check NAME=N); ospo.yaml's scorecard.min_score and checks.*.min
	// apply when the flags are not given.
	minScore  float64
	minChecks map[string]int
}

// checkInput is what every gate of `ospo check` is given: the directory
// checked, what the pipeline found in it, and the flags.
type checkInput struct {
	dir     string
	project *catalog.Project
	result  *analyze.Result
	flags   checkFlags
	now     time.Time
}

// gateResult is what one gate found.
type gateResult struct {
	// Name names the gate in output ("license").
	Name  string
	Rules []report.GateRule
	// Findings are rendered in the table, SARIF and JUnit failures.
	Findings []report.GateFinding
	// Cases are the JUnit test cases: one per check made.
	Cases []report.TestCase
	// Violations is the number of findings that fail the check.
	Violations int
	// Summary is one line for the table output.
	Summary string
	// JSON is the gate's detail in --format json.
	JSON any
}

// checkGate is one gate of `ospo check`. Gates run in order; the check
// fails (exit 1) if any gate reports a violation. New gates (known
// vulnerabilities, scorecard thresholds) are added to checkGates.
type checkGate func(in *checkInput) (*gateResult, error)

// checkGates lists the gates `ospo check` runs and the analyses they need.
func checkGates(f checkFlags) ([]checkGate, analyze.Analyses) {
	gates, what := []checkGate{licenseGate}, analyze.Licenses
	if f.failOn != "" {
		gates, what = append(gates, vulnCheckGate), what|analyze.Vulnerabilities
	}
	if f.minScore > 0 || len(f.minChecks) > 0 {
		gates, what = append(gates, scoreCheckGate), what|analyze.Scorecard
	}
	return gates, what
}

// vulnCheckGate matches the project's dependencies against the advisories
// imported into the store (`ospo advisories import`) and fails on any
// unsuppressed finding at or above --fail-on.
func vulnCheckGate(in *checkInput) (*gateResult, error) {
	findings := in.result.Vulnerabilities
	g := &gateResult{Name: "vulnerabilities", JSON: nonNil(findings)}
	rules := map[string]bool{}
	failing, suppressed := 0, 0
	for i := range findings {
		f := &findings[i]
		level := report.LevelWarning
		fails := !f.Suppressed && vuln.AtLeast(f, in.flags.failOn)
		if fails {
			level = report.LevelError
			failing++
		}
		if f.Suppressed {
			suppressed++
		}
		if !rules[f.AdvisoryID] {
			rules[f.AdvisoryID] = true
			g.Rules = append(g.Rules, report.GateRule{ID: f.AdvisoryID, Name: "KnownVulnerability", Short: firstNonZero(f.Summary, "Known vulnerability "+f.AdvisoryID), Level: report.LevelError,
				Help: "Upgrade " + f.Package + " to a fixed version (" + orDash(f.FixedIn) + "), or record an ignore rule with a reason in ospo.yaml."})
		}
		msg := fmt.Sprintf("%s %s@%s: %s (%s)", f.AdvisoryID, f.Package, f.Version, f.Summary, sevText(f.Severity))
		if f.FixedIn != "" {
			msg += "; fixed in " + f.FixedIn
		}
		reason := ""
		if f.Suppressed {
			reason = f.Reason
			if reason == "" {
				reason = "ignored in ospo.yaml"
			}
		}
		g.Findings = append(g.Findings, report.GateFinding{RuleID: f.AdvisoryID, Level: level, Message: msg, File: f.Manifest,
			Line: manifestLine(in.dir, f.Manifest, f.Package), Suppressed: reason})
		tc := report.TestCase{Class: "vulnerability." + f.Ecosystem, Name: f.AdvisoryID + " " + f.Package + "@" + f.Version}
		if fails {
			tc.Failure, tc.FailureType = msg, f.AdvisoryID
		}
		g.Cases = append(g.Cases, tc)
	}
	g.Violations = failing
	g.Summary = fmt.Sprintf("%d known vulnerabilities, %d at or above %s, %d suppressed", len(findings), failing, in.flags.failOn, suppressed)
	return g, nil
}

func orDash(s string) string {
	if s == "" {
		return "none known"
	}
	return s
}

func (a *app) checkCmd() *cobra.Command {
	var f checkFlags
	cmd := &cobra.Command{
		Use:   "check [PATH]",
		Short: "Gate a build: licence policy and known vulnerabilities; exit 1 on a violation",
		Long: `check reads the directory PATH (default: the current directory) as it is on
disk and applies the gates: the licence policy of ospo.yaml (or the default
policy) to the project's dependencies, and with --fail-on the advisories
imported into the store (ospo advisories import) to the same dependencies.

Exit codes: 0 no violation, 1 policy violation, 2 usage or input error.
With --min-score N or --min-check NAME=N (or scorecard.min_score and
scorecard.checks.NAME.min in ospo.yaml) the project's scorecard is also
computed (see ospo score) and a check or aggregate below its minimum fails.

Formats: table (default), json, sarif (SARIF 2.1.0 for code scanning), junit.`,
		Example: "  ospo check\n  ospo check . --format sarif > ospo.sarif\n  ospo check --format junit --strict > ospo-junit.xml",
		Args:    cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.runCheck(cmd.Context(), args, f)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.format, "format", report.FormatTable, "output format: table, json, sarif, junit")
	fl.BoolVar(&f.strict, "strict", false, "count unknown licences as violations")
	fl.BoolVar(&f.online, "online", false, "ask package registries for licences that lockfiles and local caches do not record")
	fl.StringVar(&f.kind, "kind", "", "project kind for the policy: internal, innersource or opensource (default internal)")
	fl.Float64Var(&f.minScore, "min-score", 0, "also fail when the project's scorecard aggregate (0-10) is below this")
	fl.StringToIntVar(&f.minChecks, "min-check", nil, "also fail when a scorecard check scores below N: NAME=N (repeatable), e.g. Security=7")
	fl.StringVar(&f.failOn, "fail-on", "", "also fail on known vulnerabilities at or above this severity (critical, high, medium, low), matched against the advisories imported into the store")
	return cmd
}

func (a *app) runCheck(ctx context.Context, args []string, f checkFlags) error {
	start := time.Now()
	go analyze.Warm() // compile the licence matcher while dependencies are read
	if err := report.CheckFormat(f.format, report.FormatTable, report.FormatJSON, report.FormatSARIF, report.FormatJUnit); err != nil {
		return usageErr("%v", err)
	}
	if f.kind != "" && f.kind != catalog.KindInternal && f.kind != catalog.KindInnerSource && f.kind != catalog.KindOpenSource {
		return usageErr("--kind: unknown kind %q (want internal, innersource or opensource)", f.kind)
	}
	if f.failOn != "" && !vuln.ValidRating(f.failOn) {
		return usageErr("unknown severity %q (want critical, high, medium or low)", f.failOn)
	}
	dir := "."
	if len(args) == 1 {
		dir = args[0]
	}
	if !isDir(dir) {
		return usageErr("%s is not a directory", dir)
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return usageErr("%v", err)
	}
	cfg, err := a.config()
	if err != nil {
		return err
	}
	if f.minScore == 0 {
		f.minScore = cfg.Scorecard.MinScore
	}
	for name, c := range cfg.Scorecard.Checks {
		if _, set := f.minChecks[name]; !set && c.Min > 0 {
			if f.minChecks == nil {
				f.minChecks = map[string]int{}
			}
			f.minChecks[name] = c.Min
		}
	}
	if err := config.CheckScore("--min-score", f.minScore); err != nil {
		return usageErr("%v", err)
	}
	for name, n := range f.minChecks {
		if n < 0 || n > 10 {
			return usageErr("--min-check %s=%d: want a score from 0 to 10", name, n)
		}
	}
	gates, what := checkGates(f)
	an, err := a.analyzer(ctx, pipelineOptions{advisories: what&analyze.Vulnerabilities != 0, strict: f.strict, online: f.online})
	if err != nil {
		return err
	}
	res, err := a.analyze(ctx, an, target{ref: abs, analyses: what, kind: f.kind, dirOnly: true})
	if err != nil {
		return err
	}
	p := res.Project
	in := &checkInput{dir: abs, project: p, result: res, flags: f, now: time.Now().UTC()}
	var results []*gateResult
	violations := 0
	for _, g := range gates {
		r, err := g(in)
		if err != nil {
			return err
		}
		results = append(results, r)
		violations += r.Violations
	}
	if err := a.writeCheck(in, results, time.Since(start)); err != nil {
		return internalErr(err)
	}
	for _, pr := range p.Problems {
		fmt.Fprintf(a.stderr, "warning: %s: %s\n", pr.Path, pr.Message)
	}
	if violations > 0 {
		return &exitError{code: ExitViolation, err: fmt.Errorf("check failed: %d violations", violations)}
	}
	return nil
}

// licenseGate applies the licence policy.
func licenseGate(in *checkInput) (*gateResult, error) {
	p := in.project
	res := in.result.Licenses
	g := &gateResult{Name: "license", Violations: res.Violations()}
	rules := map[string]bool{}
	byDep := map[string][]catalog.LicenseFinding{}
	counts := map[string]int{}
	suppressed := 0
	for _, f := range res.Findings {
		if f.SuppressedBy != "" {
			suppressed++
		} else {
			counts[f.Severity]++
		}
		byDep[f.PURL+"\x00"+f.Manifest] = append(byDep[f.PURL+"\x00"+f.Manifest], f)
		if !rules[f.Rule] {
			rules[f.Rule] = true
			g.Rules = append(g.Rules, licenseRule(f))
		}
		gf := report.GateFinding{RuleID: f.Rule, Level: licenseSARIFLevel(f.Severity), Message: f.Message, File: f.Manifest,
			Suppressed: f.SuppressedBy}
		if f.PURL != "" {
			gf.Line = manifestLine(in.dir, f.Manifest, depBareName(p, f.PURL))
		} else {
			gf.File = ownLicenseFile(p)
		}
		if f.Remediation != "" {
			gf.Message += ". " + f.Remediation
		}
		g.Findings = append(g.Findings, gf)
	}
	// One JUnit case per dependency checked, and one for the project's licence.
	own := catalog.LicenseUnknown
	if p.License != nil {
		own = p.License.Expression
	}
	g.Cases = append(g.Cases, report.TestCase{Class: "license.project", Name: p.Name + " licence " + own})
	for _, c := range byDep["\x00"] {
		g.Cases[0].Output += c.Severity + ": " + c.Message + "\n"
	}
	for _, dl := range res.Licenses {
		name := depName(p, dl.PURL)
		tc := report.TestCase{Class: "license." + dl.Manifest, Name: fmt.Sprintf("%s %s (%s)", name, dl.Expression, dl.Category)}
		for _, f := range byDep[dl.PURL+"\x00"+dl.Manifest] {
			if f.Severity == catalog.SeverityViolation && f.SuppressedBy == "" && tc.Failure == "" {
				tc.Failure, tc.FailureType, tc.FailureText = f.Message, f.Rule, f.Remediation
				continue
			}
			line := f.Severity + ": " + f.Message
			if f.SuppressedBy != "" {
				line += " [suppressed: " + f.SuppressedBy + "]"
			}
			tc.Output += line + "\n"
		}
		g.Cases = append(g.Cases, tc)
	}
	g.Summary = fmt.Sprintf("licence: %d dependencies checked, %d violations, %d warnings, %d info, %d suppressed; project licence %s",
		len(res.Licenses), counts[catalog.SeverityViolation], counts[catalog.SeverityWarning], counts[catalog.SeverityInfo], suppressed, own)
	g.JSON = struct {
		License      *catalog.ProjectLicense  `json:"license"`
		Dependencies []dependencyRow          `json:"dependencies"`
		Findings     []catalog.LicenseFinding `json:"findings"`
		Violations   int                      `json:"violations"`
	}{p.License, dependencyRows(p), nonNil(res.Findings), res.Violations()}
	return g, nil
}

func licenseRule(f catalog.LicenseFinding) report.GateRule {
	r := report.GateRule{ID: f.Rule, Level: licenseSARIFLevel(f.Severity), HelpURI: "https://github.com/ospo-project/ospo/blob/main/docs/licensing.md"}
	switch f.Rule {
	case license.RuleProjectUnknown:
		r.Name, r.Short = "ProjectLicenseUnknown", "The project declares no recognisable licence"
	case license.RuleExceptionExpired:
		r.Name, r.Short = "LicenseExceptionExpired", "A licence exception in ospo.yaml has expired"
	default:
		cat := strings.TrimPrefix(f.Rule, "license/")
		r.Name = camel(cat) + "Dependency"
		r.Short = "A dependency is licensed " + strings.ReplaceAll(cat, "-", " ")
		if cat == license.Unknown {
			r.Short = "A dependency has no known licence"
		}
	}
	r.Help = f.Remediation
	return r
}

func camel(s string) string {
	var b strings.Builder
	for _, part := range strings.Split(s, "-") {
		if part != "" {
			b.WriteString(strings.ToUpper(part[:1]) + part[1:])
		}
	}
	return b.String()
}

func licenseSARIFLevel(severity string) string {
	switch severity {
	case catalog.SeverityViolation:
		return report.LevelError
	case catalog.SeverityWarning:
		return report.LevelWarning
	}
	return report.LevelNote
}

// depName returns the name (with version) of the dependency with purl.
func depName(p *catalog.Project, purl string) string {
	for _, d := range p.Dependencies {
		if d.PURL == purl {
			if d.Version != "" {
				return d.Name + "@" + d.Version
			}
			return d.Name
		}
	}
	return purl
}

// depBareName returns the name (without version) of the dependency with purl.
func depBareName(p *catalog.Project, purl string) string {
	for _, d := range p.Dependencies {
		if d.PURL == purl {
			return d.Name
		}
	}
	return purl
}

// ownLicenseFile is where findings about the project's own licence point.
func ownLicenseFile(p *catalog.Project) string {
	if p.License != nil {
		for _, e := range p.License.Evidence {
			if e.File != "" {
				return e.File
			}
		}
	}
	return "LICENSE"
}

func (a *app) writeCheck(in *checkInput, results []*gateResult, elapsed time.Duration) error {
	var rules []report.GateRule
	var findings []report.GateFinding
	var cases []report.TestCase
	violations := 0
	for _, r := range results {
		rules = append(rules, r.Rules...)
		findings = append(findings, r.Findings...)
		cases = append(cases, r.Cases...)
		violations += r.Violations
	}
	switch in.flags.format {
	case report.FormatSARIF:
		return report.WriteGateSARIF(a.stdout, "ospo", Version, "https://github.com/ospo-project/ospo", rules, findings, ownLicenseFile(in.project))
	case report.FormatJUnit:
		return report.WriteJUnit(a.stdout, "ospo check", cases, elapsed, in.now)
	case report.FormatJSON:
		gates := map[string]any{}
		for _, r := range results {
			gates[r.Name] = r.JSON
		}
		return report.JSON(a.stdout, struct {
			Project    string         `json:"project"`
			Path       string         `json:"path"`
			Passed     bool           `json:"passed"`
			Violations int            `json:"violations"`
			Gates      map[string]any `json:"gates"`
		}{in.project.Name, in.dir, violations == 0, violations, gates})
	}
	if len(findings) > 0 {
		t := report.NewTable(a.stdout, "LEVEL", "RULE", "WHERE", "MESSAGE")
		for _, f := range findings {
			lvl := f.Level
			if f.Suppressed != "" {
				lvl += " (suppressed)"
			}
			where := f.File
			if f.Line > 0 {
				where = fmt.Sprintf("%s:%d", f.File, f.Line)
			}
			msg := f.Message
			if i := strings.Index(msg, ". "); i > 0 {
				msg = msg[:i] // the remediation is in json, sarif and junit
			}
			t.Row(lvl, f.RuleID, where, msg)
		}
		if err := t.Flush(); err != nil {
			return err
		}
		fmt.Fprintln(a.stdout)
	}
	for _, r := range results {
		fmt.Fprintln(a.stdout, r.Summary)
	}
	verdict := "passed"
	if violations > 0 {
		verdict = fmt.Sprintf("FAILED: %d violations", violations)
	}
	fmt.Fprintf(a.stdout, "check %s in %s\n", verdict, elapsed.Round(time.Millisecond))
	return nil
}
