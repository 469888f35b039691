package scorecard

import (
	"errors"
	"fmt"
	"math"
	"strings"

	"cel.dev/cel-go/cel"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/config"
	"github.com/ospo-project/ospo/internal/health"
)

// CostLimit bounds the work one custom check may do on one project.
const CostLimit = 100_000

// ErrCostLimit is returned (wrapped) when a custom check exceeds CostLimit.
var ErrCostLimit = errors.New("custom check exceeded its cost limit")

// celEnv declares the typed variables a custom check can read.
func celEnv() (*cel.Env, error) {
	return cel.NewEnv(
		cel.Variable("name", cel.StringType),
		cel.Variable("key", cel.StringType),
		cel.Variable("kind", cel.StringType),
		cel.Variable("lifecycle", cel.StringType),
		cel.Variable("description", cel.StringType),
		cel.Variable("topics", cel.ListType(cel.StringType)),
		cel.Variable("license", cel.StringType),
		cel.Variable("languages", cel.MapType(cel.StringType, cel.IntType)),
		cel.Variable("dependencies", cel.ListType(cel.MapType(cel.StringType, cel.DynType))),
		cel.Variable("files", cel.ListType(cel.MapType(cel.StringType, cel.StringType))),
		cel.Variable("owners", cel.ListType(cel.StringType)),
		cel.Variable("commits_90d", cel.IntType),
		cel.Variable("contributors_90d", cel.IntType),
		cel.Variable("bus_factor", cel.IntType),
		cel.Variable("absence_factor", cel.IntType),
		cel.Variable("elephant_factor", cel.IntType),
		cel.Variable("commit_frequency", cel.DoubleType),
		cel.Variable("inactive_contributors", cel.IntType),
		cel.Variable("maintenance_weeks", cel.IntType),
		cel.Variable("code_files", cel.IntType),
		cel.Variable("test_files", cel.IntType),
		cel.Variable("vulnerabilities", cel.IntType),
	)
}

type customCheck struct {
	def config.CustomCheck
	prg cel.Program
}

// compileCustom type-checks a custom check: it must return bool, int or double.
func compileCustom(c config.CustomCheck) (*customCheck, error) {
	if c.Name == "" {
		return nil, errors.New("a custom check needs a name")
	}
	env, err := celEnv()
	if err != nil {
		return nil, err
	}
	ast, iss := env.Compile(c.Expression)
	if iss.Err() != nil {
		return nil, iss.Err()
	}
	switch ast.OutputType() {
	case cel.BoolType, cel.IntType, cel.DoubleType:
	default:
		return nil, fmt.Errorf("expression returns %s, want bool or a number", ast.OutputType())
	}
	prg, err := env.Program(ast, cel.CostLimit(CostLimit), cel.InterruptCheckFrequency(100))
	if err != nil {
		return nil, err
	}
	return &customCheck{def: c, prg: prg}, nil
}

// Vars returns the CEL variables of a project's facts.
func Vars(f *Facts) map[string]any {
	p := f.Project
	langs := map[string]int64{}
	for _, l := range p.Languages {
		langs[l.Name] = l.Bytes
	}
	deps := make([]map[string]any, len(p.Dependencies))
	for i, d := range p.Dependencies {
		deps[i] = map[string]any{"ecosystem": d.Ecosystem, "name": d.Name, "version": d.Version, "direct": d.Direct, "scope": d.Scope, "purl": d.PURL}
	}
	files := make([]map[string]string, len(p.Files))
	for i, ff := range p.Files {
		files[i] = map[string]string{"kind": ff.Kind, "path": ff.Path}
	}
	owners := make([]string, len(p.Owners))
	for i, o := range p.Owners {
		owners[i] = o.Owner
	}
	lic := ""
	if p.License != nil {
		lic = p.License.Expression
	}
	freq, _ := f.Metric(health.MetricCommitFrequency)
	vulns := 0
	for _, v := range f.Vulns {
		if !v.Suppressed {
			vulns++
		}
	}
	return map[string]any{
		"name": p.Name, "key": p.Key, "kind": p.Kind, "lifecycle": p.Lifecycle, "description": p.Description,
		"topics": append([]string{}, p.Topics...), "license": lic, "languages": langs, "dependencies": deps,
		"files": files, "owners": owners, "code_files": f.CodeFiles, "test_files": f.TestFiles, "vulnerabilities": vulns,
		// The activity figures are over the Maintenance window (13 weeks
		// by default); commits_90d, contributors_90d and bus_factor keep
		// their old names.
		"commits_90d": f.Commits(), "contributors_90d": f.Health().Contributors, "bus_factor": f.AbsenceFactor(),
		"absence_factor": f.AbsenceFactor(), "elephant_factor": f.ElephantFactor(), "commit_frequency": freq,
		"inactive_contributors": f.Health().WentInactive, "maintenance_weeks": f.Maintenance.Weeks,
	}
}

// eval runs the check; errors (including ErrCostLimit) are returned.
func (cc *customCheck) eval(f *Facts) (int, error) {
	out, _, err := cc.prg.Eval(Vars(f))
	if err != nil {
		if strings.Contains(err.Error(), "cost limit") {
			return 0, fmt.Errorf("%w: %v", ErrCostLimit, err)
		}
		return 0, err
	}
	switch v := out.Value().(type) {
	case bool:
		if v {
			return 10, nil
		}
		return 0, nil
	case int64:
		return int(min(10, max(0, v))), nil
	case float64:
		return int(math.Round(min(10, max(0, v)))), nil
	}
	return 0, fmt.Errorf("expression returned %T", out.Value())
}

func (cc *customCheck) run(f *Facts) catalog.CheckScore {
	c := catalog.CheckScore{Name: cc.def.Name, Documentation: DocURL + "#custom-checks"}
	s, err := cc.eval(f)
	pf := catalog.ProbeFinding{Probe: cc.def.Name, Message: cc.def.Description}
	switch {
	case err != nil:
		c.Score = catalog.ScoreNotAvailable
		c.Reason = "not available: " + err.Error()
		pf.Outcome, pf.Message = catalog.OutcomeNotAvailable, err.Error()
	case s == 10:
		c.Score, c.Reason = s, "passes: "+cc.def.Expression
		pf.Outcome, pf.Score = catalog.OutcomePass, 1
	default:
		c.Score, c.Reason = s, "fails: "+cc.def.Expression
		pf.Outcome, pf.Score, pf.Remediation = catalog.OutcomeFail, float64(s)/10, cc.def.Remediation
		if s > 0 {
			pf.Outcome = catalog.OutcomePartial
		}
	}
	c.Findings = []catalog.ProbeFinding{pf}
	c.Details = []string{pf.Outcome + ": " + cc.def.Name + ": " + pf.Message}
	return c
}
