// Package query answers estate-wide questions about packages, such as
// "every project that uses log4j-core < 2.17.1": it holds the logic that
// filters what a store returns, and imports no store.
package query

import (
	"errors"
	"fmt"
	"strings"

	"github.com/google/osv-scalibr/semantic"
	"github.com/ospo-project/ospo/internal/lazyre"
)

// ErrRange is returned (wrapped) by Match when the version to test is
// itself a range or constraint ("^1.2.0", "~> 2.1", "[1.0,2.0)", ">=1,<2"),
// as a manifest records when no lockfile resolves it: whether the version
// that will be installed satisfies the constraint cannot be told without
// resolving it, so callers report such a use as "maybe".
var ErrRange = errors.New("version is a range, not a resolved version")

// ErrUnsupportedEcosystem is returned (wrapped) by Match for an ecosystem
// whose version ordering is not known.
var ErrUnsupportedEcosystem = errors.New("unsupported ecosystem")

// Constraint is a condition on versions: alternatives separated by "||",
// each a list of comparisons that must all hold. The zero Constraint
// matches no version; use ParseConstraint.
type Constraint struct {
	any [][]comparison
}

// comparison is one "<op> <version>" test.
type comparison struct {
	op      string // one of ops
	version string
}

// ops are the comparison operators, longest first so that "<=" is not read
// as "<" followed by "=…".
var ops = []string{"<=", ">=", "==", "!=", "<", ">", "="}

// ParseConstraint parses a version constraint: comparisons with <, <=, >,
// >=, = (or ==) and !=, each followed by a version, with optional spaces
// between operator and version. Comparisons separated by commas or spaces
// must all hold; "||" separates alternatives of which one must hold. A
// version without an operator means =.
//
//	<2.17.1
//	>=2.0.0, <2.17.1
//	>= 2.0 < 2.3.2 || >=2.4 <2.12.4 || >=2.13 <2.17.1
//	1.2.3
//
// Ranges of other syntaxes (npm "^1.2", RubyGems "~> 1.0", Maven
// "[1.0,2.0)") are errors: they mean different things in each ecosystem.
func ParseConstraint(s string) (Constraint, error) {
	var c Constraint
	if strings.TrimSpace(s) == "" {
		return c, errors.New("empty version constraint")
	}
	for i, alt := range strings.Split(s, "||") {
		var all []comparison
		tokens := strings.FieldsFunc(alt, func(r rune) bool {
			return r == ',' || r == ' ' || r == '\t' || r == '\n' || r == '\r'
		})
		for j := 0; j < len(tokens); j++ {
			tok := tokens[j]
			op := ""
			for _, o := range ops {
				if strings.HasPrefix(tok, o) {
					op = o
					break
				}
			}
			version := strings.TrimPrefix(tok, op)
			if version == "" && op != "" && j+1 < len(tokens) { // "< 2.17.1"
				j++
				version = tokens[j]
			}
			switch {
			case version == "":
				return Constraint{}, fmt.Errorf("version constraint %q: operator %s without a version", s, op)
			case strings.ContainsAny(version, "<>=|^~*[]()"): // '!' is a PEP 440 epoch, "1!2.0"
				return Constraint{}, fmt.Errorf("version constraint %q: %q is not a comparison with a version (use <, <=, >, >=, =, != and versions)", s, tok)
			}
			if op == "" || op == "==" {
				op = "="
			}
			all = append(all, comparison{op: op, version: version})
		}
		if len(all) == 0 {
			return Constraint{}, fmt.Errorf("version constraint %q: alternative %d is empty", s, i+1)
		}
		c.any = append(c.any, all)
	}
	return c, nil
}

// String returns the constraint in the canonical syntax ParseConstraint
// reads: ", " between comparisons, " || " between alternatives.
func (c Constraint) String() string {
	alts := make([]string, len(c.any))
	for i, all := range c.any {
		cs := make([]string, len(all))
		for j, cmp := range all {
			cs[j] = cmp.op + cmp.version
		}
		alts[i] = strings.Join(cs, ", ")
	}
	return strings.Join(alts, " || ")
}

// Match reports whether version satisfies the constraint, comparing versions
// by the rules of ecosystem (an OSV ecosystem name, case-insensitive): Go
// (pseudo-versions, +incompatible), npm and other SemVer ecosystems
// (prereleases), PyPI (PEP 440), Maven (qualifiers, SNAPSHOT), RubyGems,
// NuGet, Packagist, Pub, crates.io, Hex, CRAN, Hackage and the Linux
// distributions osv-scalibr's semantic package knows.
//
// Match returns an error wrapping ErrRange when version is itself a range
// (see ErrRange), one wrapping ErrUnsupportedEcosystem when the ecosystem's
// ordering is unknown, and an error when version or a version of the
// constraint does not parse in the ecosystem. Most orderings accept any
// string (PEP 440 falls back to its legacy ordering, SemVer and Maven order
// whatever they are given); CRAN, Hackage and the Linux distributions'
// reject some.
func (c Constraint) Match(ecosystem, version string) (bool, error) {
	version = strings.TrimSpace(version)
	eco, ok := ecosystems[strings.ToLower(strings.TrimSpace(ecosystem))]
	if !ok {
		return false, fmt.Errorf("%w %q", ErrUnsupportedEcosystem, ecosystem)
	}
	if version == "" {
		return false, fmt.Errorf("%w: no version", ErrRange)
	}
	if isRange(eco, version) {
		return false, fmt.Errorf("%w: %q", ErrRange, version)
	}
	v, err := semantic.Parse(version, eco)
	if err != nil {
		return false, fmt.Errorf("%s version %q: %w", eco, version, err)
	}
	for _, all := range c.any {
		ok := true
		for _, cmp := range all {
			// v.CompareStr(w) is the sign of v - w.
			sign, err := v.CompareStr(cmp.version)
			if err != nil {
				return false, fmt.Errorf("%s version %q of the constraint: %w", eco, cmp.version, err)
			}
			if !holds(cmp.op, sign) {
				ok = false
				break
			}
		}
		if ok {
			return true, nil
		}
	}
	return false, nil
}

// holds reports whether "v op w" holds when v - w has the given sign.
func holds(op string, sign int) bool {
	switch op {
	case "<":
		return sign < 0
	case "<=":
		return sign <= 0
	case ">":
		return sign > 0
	case ">=":
		return sign >= 0
	case "!=":
		return sign != 0
	}
	return sign == 0
}

// ecosystems maps lowercased OSV ecosystem names to the spelling
// semantic.Parse wants, for the ecosystems it orders.
var ecosystems = func() map[string]string {
	m := map[string]string{}
	for _, e := range []string{
		"AlmaLinux", "Alpaquita", "Alpine", "BellSoft Hardened Containers", "Bitnami",
		"Bioconductor", "Chainguard", "ConanCenter", "CRAN", "crates.io", "Debian",
		"Docker Hardened Images", "GHC", "Go", "Hackage", "Hex", "Julia", "Mageia", "Maven",
		"MinimOS", "npm", "NuGet", "openEuler", "openSUSE", "Packagist", "Pub", "PyPI",
		"Red Hat", "Rocky Linux", "RubyGems", "SUSE", "SwiftURL", "Ubuntu", "Wolfi",
	} {
		m[strings.ToLower(e)] = e
	}
	return m
}()

// npmRange matches the npm version syntaxes that are not versions: x-ranges
// ("1.x", "2.*"), tags ("latest") and aliases or locations ("npm:…",
// "file:…", "git+https:…", "workspace:*").
var npmRange = lazyre.New(`(?i)(^|\.)[x*](\.|$)|:|^[a-z][a-z-]*$`)

// isRange reports whether version is a range or constraint rather than
// one version of ecosystem: it holds an operator, a wildcard, a list or
// an interval (npm, PyPI, RubyGems, Maven, Cargo, Composer, NuGet syntaxes
// all do), or for npm is an x-range, a tag or an alias.
func isRange(ecosystem, version string) bool {
	if strings.ContainsAny(version, "<>=^~*|,[]() ") { // not '!': PEP 440 epochs, "1!2.0"
		return true
	}
	return ecosystem == "npm" && npmRange.MatchString(version)
}
