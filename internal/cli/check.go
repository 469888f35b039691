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
	"github.com/ospo-project/ospo/internal/gate"
	"github.com/ospo-project/ospo/internal/report"
	"github.com/ospo-project/ospo/internal/scorecard"
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
	what := analyze.Licenses
	if f.failOn != "" {
		what |= analyze.Vulnerabilities
	}
	if f.minScore > 0 || len(f.minChecks) > 0 {
		what |= analyze.Scorecard
	}
	an, err := a.analyzer(ctx, pipelineOptions{advisories: what&(analyze.Vulnerabilities|analyze.Scorecard) != 0, strict: f.strict, online: f.online})
	if err != nil {
		return err
	}
	res, err := a.analyze(ctx, an, target{ref: abs, analyses: what, kind: f.kind, dirOnly: true})
	if err != nil {
		return err
	}
	p := res.Project
	// The gates, in order; the check fails (exit 1) if any reports a violation.
	results := []gate.Result{gate.Licenses(p, res.Licenses, abs)}
	if what&analyze.Vulnerabilities != 0 {
		results = append(results, gate.Vulnerabilities(res.Vulnerabilities, f.failOn, abs))
	}
	if what&analyze.Scorecard != 0 {
		g, err := gate.Scorecard(*res.Scorecard, gate.Minimums{Score: f.minScore, Checks: f.minChecks}, scorecard.JSON(*res.Scorecard, nil, Version))
		if err != nil {
			return classify(err)
		}
		results = append(results, g)
	}
	_, _, _, violations := gate.Merge(results...)
	in := checkInput{dir: abs, project: p, format: f.format, now: time.Now().UTC()}
	if err := a.writeCheck(in, results, time.Since(start)); err != nil {
		return internalErr(err)
	}
	for _, pr := range p.Problems {
		fmt.Fprint(a.stderr, report.Cleanf("warning: %s: %s\n", pr.Path, pr.Message))
	}
	if violations > 0 {
		return &exitError{code: ExitViolation, err: fmt.Errorf("check failed: %d violations", violations)}
	}
	return nil
}

// checkInput is what the rendering of `ospo check` needs besides the gates.
type checkInput struct {
	dir     string
	project *catalog.Project
	format  string
	now     time.Time
}

// tool is ospo as SARIF names it.
func tool() report.Tool {
	return report.Tool{Name: "ospo", Version: Version, URI: "https://github.com/ospo-project/ospo"}
}

func (a *app) writeCheck(in checkInput, results []gate.Result, elapsed time.Duration) error {
	rules, findings, cases, violations := gate.Merge(results...)
	switch in.format {
	case report.FormatSARIF:
		return report.WriteSARIF(a.stdout, tool(), rules, findings, gate.OwnLicenseFile(in.project))
	case report.FormatJUnit:
		return report.WriteJUnit(a.stdout, "ospo check", cases, elapsed, in.now)
	case report.FormatJSON:
		gates := map[string]any{}
		for _, r := range results {
			gates[r.Name] = r.Detail
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
		fmt.Fprintln(a.stdout, report.Clean(r.Summary))
	}
	verdict := "passed"
	if violations > 0 {
		verdict = fmt.Sprintf("FAILED: %d violations", violations)
	}
	fmt.Fprintf(a.stdout, "check %s in %s\n", verdict, elapsed.Round(time.Millisecond))
	return nil
}
