package license

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/google/osv-scalibr/semantic"
	"github.com/package-url/packageurl-go"

	"github.com/ospo-project/ospo/internal/catalog"
)

// Action is what a policy does with a licence category.
type Action string

// Actions, from the mildest. Deny makes a violation (a failed check), Warn a
// warning, Info a finding that is reported only; Allow makes no finding.
const (
	Allow Action = "allow"
	Info  Action = "info"
	Warn  Action = "warn"
	Deny  Action = "deny"
)

func (a Action) weight() int {
	switch a {
	case Allow:
		return 0
	case Info:
		return 1
	case Warn:
		return 2
	}
	return 3 // Deny, and anything unrecognised is treated as strictly as possible
}

// Rule sets the action for categories in projects of some kinds and for
// dependencies of some scopes.
type Rule struct {
	// Kinds are project kinds (catalog.KindInternal…); empty means any.
	Kinds []string
	// Scopes are dependency scopes (runtime, dev, test, optional, build); the
	// empty scope of a format that does not say counts as runtime. Empty
	// means any.
	Scopes []string
	// Actions maps categories to the action taken.
	Actions map[string]Action
}

func (r Rule) applies(kind, scope string) bool {
	return matchAny(r.Kinds, kind) && matchAny(r.Scopes, scope)
}

func matchAny(list []string, v string) bool {
	if len(list) == 0 {
		return true
	}
	for _, x := range list {
		if strings.EqualFold(x, v) {
			return true
		}
	}
	return false
}

// Exception waives the findings of one package.
type Exception struct {
	// Package is a package URL, without version ("pkg:npm/left-pad") or with
	// one ("pkg:npm/left-pad@1.3.0").
	Package string
	// Versions, if set, limits the exception to versions matching every
	// comma-separated comparison (">=1.0.0, <2.0.0", "=1.3.0"), compared by
	// the ecosystem's rules.
	Versions   string
	Reason     string
	ApprovedBy string
	// Expires is the day after which the exception stops applying; zero
	// means it never expires.
	Expires time.Time
	// Projects are the keys of the projects the exception applies to;
	// empty means every project.
	Projects []string
}

// Policy is a licence policy. Rules are applied in order: for each
// category, the last rule that applies and names it decides.
type Policy struct {
	Classifier Classifier
	Rules      []Rule
	Exceptions []Exception
	// Strict makes unknown licences violations wherever they would warn.
	Strict bool
}

// DefaultRules are the rules of the default policy: strong and network
// copyleft, non-commercial and proprietary licences in a runtime (or
// unscoped, optional, build) dependency are violations; weak copyleft,
// unclassified and unknown licences are warnings; in dev and test
// dependencies everything that is not permissive is reported as info.
func DefaultRules() []Rule {
	return []Rule{
		{Actions: map[string]Action{
			Permissive:      Allow,
			WeakCopyleft:    Warn,
			StrongCopyleft:  Deny,
			NetworkCopyleft: Deny,
			NonCommercial:   Deny,
			Proprietary:     Deny,
			Other:           Warn,
			Unknown:         Warn,
		}},
		{Scopes: []string{catalog.ScopeDev, catalog.ScopeTest}, Actions: map[string]Action{
			Permissive:      Allow,
			WeakCopyleft:    Info,
			StrongCopyleft:  Info,
			NetworkCopyleft: Info,
			NonCommercial:   Info,
			Proprietary:     Info,
			Other:           Info,
			Unknown:         Info,
		}},
	}
}

// DefaultPolicy is the policy used when ospo.yaml has none.
func DefaultPolicy() Policy { return Policy{Rules: DefaultRules()} }

// action returns the action for one category.
func (p Policy) action(kind, scope, category string) Action {
	if scope == "" || scope == catalog.ScopeOptional || scope == catalog.ScopeBuild {
		scope = catalog.ScopeRuntime
	}
	act := Warn
	found := false
	for _, r := range p.Rules {
		if !r.applies(kind, scope) {
			continue
		}
		if a, ok := r.Actions[category]; ok {
			act, found = a, true
		}
	}
	if !found && category == Permissive {
		act = Allow
	}
	if p.Strict && category == Unknown && act.weight() >= Warn.weight() {
		act = Deny
	}
	return act
}

// Decision is the outcome of evaluating one licence expression.
type Decision struct {
	Action Action
	// Category is the category that decided: the chosen alternative's for OR,
	// the worst part's for AND.
	Category string
	// Licence is the part of the expression that decided ("GPL-3.0-only" in
	// "MIT AND GPL-3.0-only").
	License string
}

// Decide evaluates an SPDX expression for a dependency of the given scope
// in a project of the given kind: OR lets the user choose, so the mildest
// alternative counts; AND requires every part, so the harshest counts; WITH
// exceptions are classified with their licence. Text that does not parse,
// and "unknown", is the unknown category.
func (p Policy) Decide(kind, scope, expr string) Decision {
	e, err := Parse(expr)
	if err != nil || strings.EqualFold(expr, catalogUnknown) {
		return Decision{Action: p.action(kind, scope, Unknown), Category: Unknown, License: expr}
	}
	return p.decide(kind, scope, e)
}

func (p Policy) decide(kind, scope string, e *Expr) Decision {
	if e.Op == "" {
		cat := p.Classifier.Category(e.ID, e.Exception)
		return Decision{Action: p.action(kind, scope, cat), Category: cat, License: e.String()}
	}
	l, r := p.decide(kind, scope, e.Left), p.decide(kind, scope, e.Right)
	lw, rw := l.Action.weight(), r.Action.weight()
	if lw == rw {
		lw, rw = rank(l.Category), rank(r.Category)
	}
	if e.Op == "OR" {
		if lw <= rw {
			return l
		}
		return r
	}
	if lw >= rw {
		return l
	}
	return r
}

// exceptionFor returns the first exception that applies to the dependency
// of the project with key project at now, and the expired exceptions that would have applied.
func (p Policy) exceptionFor(project string, d catalog.Dependency, now time.Time) (*Exception, []Exception) {
	var expired []Exception
	for i := range p.Exceptions {
		x := &p.Exceptions[i]
		if !x.matches(d) || (len(x.Projects) > 0 && !slices.Contains(x.Projects, project)) {
			continue
		}
		if !x.Expires.IsZero() && now.After(x.Expires.Add(24*time.Hour)) {
			expired = append(expired, *x)
			continue
		}
		return x, expired
	}
	return nil, expired
}

func (x *Exception) matches(d catalog.Dependency) bool {
	want, err := packageurl.FromString(x.Package)
	if err != nil {
		return false
	}
	got, err := packageurl.FromString(d.PURL)
	if err != nil {
		return false
	}
	if !strings.EqualFold(want.Type, got.Type) || !strings.EqualFold(want.Namespace, got.Namespace) ||
		!strings.EqualFold(want.Name, got.Name) {
		return false
	}
	if want.Version != "" && want.Version != got.Version {
		return false
	}
	if x.Versions == "" {
		return true
	}
	ok, err := InRange(d.Ecosystem, got.Version, x.Versions)
	return err == nil && ok
}

// InRange reports whether version satisfies every comma-separated
// comparison of constraints (">=1.0.0, <2.0.0", "=1.2.3", "1.2.3"),
// compared by the ecosystem's version rules (OSV ecosystem names).
func InRange(ecosystem, version, constraints string) (bool, error) {
	v, err := semantic.Parse(version, ecosystem)
	if err != nil {
		return false, err
	}
	for _, c := range strings.Split(constraints, ",") {
		c = strings.TrimSpace(c)
		if c == "" {
			continue
		}
		op := ""
		for _, o := range []string{">=", "<=", "!=", "==", ">", "<", "="} {
			if strings.HasPrefix(c, o) {
				op = o
				break
			}
		}
		cmp, err := v.CompareStr(strings.TrimSpace(c[len(op):]))
		if err != nil {
			return false, fmt.Errorf("version range %q: %w", constraints, err)
		}
		var ok bool
		switch op {
		case ">=":
			ok = cmp >= 0
		case "<=":
			ok = cmp <= 0
		case ">":
			ok = cmp > 0
		case "<":
			ok = cmp < 0
		case "!=":
			ok = cmp != 0
		default:
			ok = cmp == 0
		}
		if !ok {
			return false, nil
		}
	}
	return true, nil
}
