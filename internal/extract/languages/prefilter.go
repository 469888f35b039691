package languages

import (
	"regexp/syntax"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/go-enry/go-enry/v2/data"
	"github.com/go-enry/go-enry/v2/regex"
)

// Linguist's path rules are a few hundred unanchored regular expressions;
// running them all on every path of a 100,000-file tree costs seconds. A
// pathRules value runs the same expressions but first checks, with plain
// substring tests, for a literal that any match must contain, so most paths
// are rejected without running a regular expression. The results are exactly
// those of the expressions.

// pathRules is a list of regular expressions matched against paths.
type pathRules struct {
	rules []pathRule
}

type pathRule struct {
	re regex.EnryRegexp
	// lits holds strings one of which every match contains; nil means the
	// expression has no such literal and is always run.
	lits []literal
}

type literal struct {
	s    string
	fold bool   // s is lower case and is compared with the lower-cased path
	mask uint64 // byteMask(s): a path lacking any of these bits lacks s
}

// byteMask returns a 64-bit summary of the bytes in s, ASCII case folded:
// if s contains t then byteMask(s) has every bit of byteMask(t).
func byteMask(s string) uint64 {
	var m uint64
	for i := 0; i < len(s); i++ {
		b := s[i]
		if 'A' <= b && b <= 'Z' {
			b += 'a' - 'A'
		}
		m |= 1 << (b & 63)
	}
	return m
}

// vendorRules and documentationRules are built on first use, not at start-up:
// commands that detect no languages do not pay for them.
var (
	vendorRules        = sync.OnceValue(func() *pathRules { return newPathRules(data.VendorMatchers) })
	documentationRules = sync.OnceValue(func() *pathRules { return newPathRules(data.DocumentationMatchers) })
)

func newPathRules(res []regex.EnryRegexp) *pathRules {
	p := &pathRules{}
	for _, re := range res {
		if re == nil {
			continue
		}
		r := pathRule{re: re}
		if tree, err := syntax.Parse(re.String(), syntax.Perl); err == nil {
			r.lits = requiredLiterals(tree)
			for i := range r.lits {
				r.lits[i].mask = byteMask(r.lits[i].s)
			}
		}
		p.rules = append(p.rules, r)
	}
	return p
}

// match reports whether any of the expressions matches path.
func (p *pathRules) match(path string) bool {
	lower := ""
	// Case-insensitive regular expressions fold a few non-ASCII runes onto
	// ASCII letters (the Kelvin sign onto k); strings.ToLower does not.
	ascii := isASCII(path)
	pathMask := byteMask(path)
	for i := range p.rules {
		r := &p.rules[i]
		if r.lits != nil {
			found := false
			for _, l := range r.lits {
				if l.mask&pathMask != l.mask {
					continue
				}
				s := path
				if l.fold {
					if !ascii {
						found = true
						break
					}
					if lower == "" {
						lower = strings.ToLower(path)
					}
					s = lower
				}
				if strings.Contains(s, l.s) {
					found = true
					break
				}
			}
			if !found {
				continue
			}
		}
		if r.re.MatchString(path) {
			return true
		}
	}
	return false
}

// requiredLiterals returns strings one of which every match of re contains,
// or nil if it cannot tell. It prefers the longest literals it can find.
func requiredLiterals(re *syntax.Regexp) []literal {
	switch re.Op {
	case syntax.OpLiteral:
		if len(re.Rune) == 0 {
			return nil
		}
		s := string(re.Rune)
		if re.Flags&syntax.FoldCase != 0 {
			if !isASCII(s) {
				return nil // Unicode case folding is more than ToLower
			}
			return []literal{{s: strings.ToLower(s), fold: true}}
		}
		return []literal{{s: s}}
	case syntax.OpCapture, syntax.OpPlus:
		return requiredLiterals(re.Sub[0])
	case syntax.OpRepeat:
		if re.Min >= 1 {
			return requiredLiterals(re.Sub[0])
		}
		return nil
	case syntax.OpConcat:
		var best []literal
		for _, sub := range re.Sub {
			if l := requiredLiterals(sub); l != nil && shortest(l) > shortest(best) {
				best = l
			}
		}
		return best
	case syntax.OpAlternate:
		var all []literal
		for _, sub := range re.Sub {
			l := requiredLiterals(sub)
			if l == nil {
				return nil
			}
			all = append(all, l...)
		}
		return all
	}
	return nil
}

func shortest(ls []literal) int {
	if ls == nil {
		return 0
	}
	n := -1
	for _, l := range ls {
		if n < 0 || len(l.s) < n {
			n = len(l.s)
		}
	}
	return n
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// generatedNameTriggers are lower-case substrings one of which every path
// that linguist's generated-name rules (data.GeneratedCodeNameMatchers, which
// are opaque functions) can match contains. TestGeneratedNameTriggers checks
// the list against each rule; update both when go-enry adds a rule.
var generatedNameTriggers = []string{
	".idea/", "pods/", "carthage/build/", ".designer.", ".feature.cs",
	"node_modules/", "vendor/", "lock", ".orig", "npm-shrinkwrap.json",
	"package-lock.json", "pnpm-lock.yaml", ".pnp.", "godeps/", ".zep.",
	"__generated__/", "_tlb.pas", "htmlcov/", ".sqlx/",
}

// generatedNameRuleCount is the number of rules generatedNameTriggers covers.
const generatedNameRuleCount = 31

// linguistGeneratedName reports whether linguist's name rules mark p as
// generated, with the same result as running every rule.
func linguistGeneratedName(p string) bool {
	lower := strings.ToLower(p)
	hit := !isASCII(p) // (?i) rules fold some non-ASCII runes: run them all
	for _, t := range generatedNameTriggers {
		if strings.Contains(lower, t) {
			hit = true
			break
		}
	}
	if !hit {
		return false
	}
	for _, m := range data.GeneratedCodeNameMatchers {
		if m(p) {
			return true
		}
	}
	return false
}

// MaxPath is the longest path the linguist rules are run on. Regular
// expressions take time in proportion to a path's length, and no real source
// file has a longer path: longer ones are treated as vendored.
const MaxPath = 4096

// Vendored reports whether linguist treats the slash-separated path as
// vendored code (node_modules/, vendor/, testdata/, dist/, .github/ …). It
// gives the result of enry.IsVendor, faster, for paths of at most MaxPath
// bytes; it reports true for longer ones. It is safe for concurrent use.
func Vendored(path string) bool {
	return len(path) > MaxPath || vendorRules().match(path)
}
