// Package license classifies licences and applies a licence policy: it parses
// SPDX licence expressions, puts each licence in a category (permissive, weak
// copyleft, strong copyleft…) from a built-in table of the SPDX licence list,
// and turns a project's dependencies and their licences into findings.
//
// It is pure: it takes and returns values, reads no files and imports no store.
package license

import (
	"errors"
	"fmt"
	"strings"
)

// Expr is a parsed SPDX licence expression.
type Expr struct {
	// Op is "" for a single licence, "AND" or "OR".
	Op string
	// ID is the licence identifier of a leaf (normalised to the SPDX list's
	// case when listed), with "+" kept in Plus.
	ID   string
	Plus bool
	// Exception is the WITH exception of a leaf, if any.
	Exception string
	// Left and Right are the operands of AND and OR.
	Left, Right *Expr
}

// String returns the expression in SPDX syntax, with parentheses only where
// precedence and grouping need them.
func (e *Expr) String() string {
	if e == nil {
		return ""
	}
	if e.Op == "" {
		s := e.ID
		if e.Plus {
			s += "+"
		}
		if e.Exception != "" {
			s += " WITH " + e.Exception
		}
		return s
	}
	// AND binds tighter than OR, and both group to the left: an OR under
	// an AND, or an operator of the same kind on the right ("MIT OR (ISC
	// OR Zlib)"), was written in parentheses and is printed in them, so
	// that the printed text parses to the same expression.
	side := func(x *Expr, right bool) string {
		if e.Op == "AND" && x.Op == "OR" || right && x.Op == e.Op {
			return "(" + x.String() + ")"
		}
		return x.String()
	}
	return side(e.Left, false) + " " + e.Op + " " + side(e.Right, true)
}

// Leaves returns the single licences of the expression, left to right.
func (e *Expr) Leaves() []*Expr {
	if e == nil {
		return nil
	}
	if e.Op == "" {
		return []*Expr{e}
	}
	return append(e.Left.Leaves(), e.Right.Leaves()...)
}

// ErrSyntax is returned (wrapped) by Parse for text that is not an SPDX expression.
var ErrSyntax = errors.New("not an SPDX licence expression")

// maxExprLen bounds the expressions parsed; lockfiles are hostile input.
const maxExprLen = 4096

// Parse parses an SPDX licence expression: identifiers (with an optional
// "+"), LicenseRef-/DocumentRef- references, WITH, AND, OR (AND binds
// tighter) and parentheses. Operators are matched case-insensitively, as
// npm and others write them. Identifiers on the SPDX list are normalised to
// its spelling; others are kept as written. A few common non-SPDX spellings
// that package metadata uses ("Apache 2.0", "BSD", "GPLv3") are not
// accepted here: see Normalize.
func Parse(s string) (*Expr, error) {
	if len(s) > maxExprLen {
		return nil, fmt.Errorf("%w: longer than %d bytes", ErrSyntax, maxExprLen)
	}
	p := &parser{toks: tokenize(s)}
	if len(p.toks) == 0 {
		return nil, fmt.Errorf("%w: empty", ErrSyntax)
	}
	e, err := p.or(0)
	if err != nil {
		return nil, err
	}
	if p.i != len(p.toks) {
		return nil, fmt.Errorf("%w: unexpected %q in %q", ErrSyntax, p.toks[p.i], s)
	}
	return e, nil
}

func tokenize(s string) []string {
	var toks []string
	cur := strings.Builder{}
	flush := func() {
		if cur.Len() > 0 {
			toks = append(toks, cur.String())
			cur.Reset()
		}
	}
	for _, r := range s {
		switch {
		case r == '(' || r == ')':
			flush()
			toks = append(toks, string(r))
		case r == ' ' || r == '\t' || r == '\n' || r == '\r':
			flush()
		default:
			cur.WriteRune(r)
		}
	}
	flush()
	return toks
}

type parser struct {
	toks []string
	i    int
}

func (p *parser) peek() string {
	if p.i < len(p.toks) {
		return p.toks[p.i]
	}
	return ""
}

const maxDepth = 100

func (p *parser) or(depth int) (*Expr, error) {
	left, err := p.and(depth)
	if err != nil {
		return nil, err
	}
	for strings.EqualFold(p.peek(), "OR") {
		p.i++
		right, err := p.and(depth)
		if err != nil {
			return nil, err
		}
		left = &Expr{Op: "OR", Left: left, Right: right}
	}
	return left, nil
}

func (p *parser) and(depth int) (*Expr, error) {
	left, err := p.atom(depth)
	if err != nil {
		return nil, err
	}
	for strings.EqualFold(p.peek(), "AND") {
		p.i++
		right, err := p.atom(depth)
		if err != nil {
			return nil, err
		}
		left = &Expr{Op: "AND", Left: left, Right: right}
	}
	return left, nil
}

func (p *parser) atom(depth int) (*Expr, error) {
	if depth > maxDepth {
		return nil, fmt.Errorf("%w: nested too deeply", ErrSyntax)
	}
	t := p.peek()
	switch {
	case t == "":
		return nil, fmt.Errorf("%w: unexpected end", ErrSyntax)
	case t == "(":
		p.i++
		e, err := p.or(depth + 1)
		if err != nil {
			return nil, err
		}
		if p.peek() != ")" {
			return nil, fmt.Errorf("%w: missing )", ErrSyntax)
		}
		p.i++
		return e, nil
	case t == ")" || isOperator(t):
		return nil, fmt.Errorf("%w: unexpected %q", ErrSyntax, t)
	}
	p.i++
	if !validID(t) {
		return nil, fmt.Errorf("%w: %q is not a licence identifier", ErrSyntax, t)
	}
	e := &Expr{ID: t}
	if strings.HasSuffix(t, "+") && len(t) > 1 {
		e.ID, e.Plus = strings.TrimSuffix(t, "+"), true
	}
	if entry, ok := Lookup(e.ID); ok {
		e.ID = entry.ID
	}
	if strings.EqualFold(p.peek(), "WITH") {
		p.i++
		x := p.peek()
		if x == "" || x == "(" || x == ")" || isOperator(x) || !validID(x) {
			return nil, fmt.Errorf("%w: WITH needs an exception identifier", ErrSyntax)
		}
		p.i++
		e.Exception = x
	}
	return e, nil
}

func isOperator(t string) bool {
	return strings.EqualFold(t, "AND") || strings.EqualFold(t, "OR") || strings.EqualFold(t, "WITH")
}

// validID reports whether t is made of the characters SPDX identifiers use.
func validID(t string) bool {
	for _, r := range t {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '.' || r == '+' || r == ':') {
			return false
		}
	}
	return t != ""
}

// aliases maps spellings package metadata commonly uses instead of SPDX
// identifiers (upper-cased) to the identifier. Only unambiguous ones: "BSD"
// or "GPL" alone name no single licence and stay unknown.
var aliases = map[string]string{
	"APACHE 2":                                 "Apache-2.0",
	"APACHE 2.0":                               "Apache-2.0",
	"APACHE-2":                                 "Apache-2.0",
	"APACHE LICENSE 2.0":                       "Apache-2.0",
	"APACHE LICENSE, VERSION 2.0":              "Apache-2.0",
	"APACHE LICENSE VERSION 2.0":               "Apache-2.0",
	"THE APACHE LICENSE, VERSION 2.0":          "Apache-2.0",
	"THE APACHE SOFTWARE LICENSE, VERSION 2.0": "Apache-2.0",
	"APACHE SOFTWARE LICENSE":                  "Apache-2.0",
	"ASL 2.0":                                  "Apache-2.0",
	"MIT LICENSE":                              "MIT",
	"THE MIT LICENSE":                          "MIT",
	"MIT/X11":                                  "MIT",
	"EXPAT":                                    "MIT",
	"ISC LICENSE":                              "ISC",
	"BSD-3":                                    "BSD-3-Clause",
	"BSD 3-CLAUSE":                             "BSD-3-Clause",
	"NEW BSD LICENSE":                          "BSD-3-Clause",
	"THE BSD 3-CLAUSE LICENSE":                 "BSD-3-Clause",
	"BSD 2-CLAUSE":                             "BSD-2-Clause",
	"SIMPLIFIED BSD LICENSE":                   "BSD-2-Clause",
	"GPLV2":                                    "GPL-2.0-only",
	"GPLV3":                                    "GPL-3.0-only",
	"GPL-2.0":                                  "GPL-2.0-only",
	"GPL-3.0":                                  "GPL-3.0-only",
	"LGPL-2.1":                                 "LGPL-2.1-only",
	"LGPL-3.0":                                 "LGPL-3.0-only",
	"AGPL-3.0":                                 "AGPL-3.0-only",
	"AGPLV3":                                   "AGPL-3.0-only",
	"LGPLV3":                                   "LGPL-3.0-only",
	"MPL 2.0":                                  "MPL-2.0",
	"MOZILLA PUBLIC LICENSE 2.0":               "MPL-2.0",
	"ECLIPSE PUBLIC LICENSE 2.0":               "EPL-2.0",
	"ECLIPSE PUBLIC LICENSE - V 2.0":           "EPL-2.0",
	"PUBLIC DOMAIN":                            "",
	"UNLICENSE":                                "Unlicense",
	"CC0":                                      "CC0-1.0",
	"PSF":                                      "PSF-2.0",
	"PYTHON SOFTWARE FOUNDATION LICENSE":       "PSF-2.0",
}

// Normalize turns a licence string as package metadata records it into an
// SPDX expression, or returns "" when it cannot do so without guessing.
// It accepts SPDX expressions (normalising identifiers' case and deprecated
// "GPL-2.0" style identifiers to "-only"), npm's "(MIT OR Apache-2.0)", a few
// unambiguous common spellings ("Apache 2.0", "The MIT License"), and npm's
// "UNLICENSED" (LicenseRef-UNLICENSED: not licensed for use by others).
func Normalize(s string) string {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > maxExprLen {
		return ""
	}
	u := strings.ToUpper(s)
	if id, ok := aliases[u]; ok {
		return id
	}
	if u == "UNLICENSED" || u == "PROPRIETARY" {
		return "LicenseRef-UNLICENSED"
	}
	if strings.HasPrefix(u, "SEE LICENSE IN") {
		return ""
	}
	e, err := Parse(s)
	if err != nil {
		return ""
	}
	for _, l := range e.Leaves() {
		l.ID, l.Plus = current(l.ID, l.Plus)
		if id, ok := aliases[strings.ToUpper(l.ID)]; ok && id != "" {
			l.ID = id
			if base, only := strings.CutSuffix(id, "-only"); only && l.Plus {
				l.ID, l.Plus = base+"-or-later", false // "GPLv3+"
			}
		}
		if _, ok := Lookup(l.ID); !ok && !strings.HasPrefix(l.ID, "LicenseRef-") && !strings.HasPrefix(l.ID, "DocumentRef-") {
			return "" // an identifier SPDX does not know: not guessed
		}
	}
	return e.String()
}

// current replaces a deprecated identifier of the GNU family ("GPL-1.0",
// "GFDL-1.3", "GPL-2.0+") with the one that replaced it ("GPL-1.0-only",
// "GFDL-1.3-only", "GPL-2.0-or-later").
func current(id string, plus bool) (string, bool) {
	e, ok := Lookup(id)
	if !ok || !e.Deprecated {
		return id, plus
	}
	suffix := "-only"
	if plus {
		suffix = "-or-later"
	}
	if n, ok := Lookup(e.ID + suffix); ok && !n.Deprecated {
		return n.ID, false
	}
	return id, plus
}

// And joins expressions with AND, leaving out duplicates and empty ones.
func And(exprs ...string) string { return join("AND", exprs) }

// Or joins expressions with OR, leaving out duplicates and empty ones.
func Or(exprs ...string) string { return join("OR", exprs) }

func join(op string, exprs []string) string {
	var parts []string
	seen := map[string]bool{}
	for _, x := range exprs {
		if x == "" || seen[x] {
			continue
		}
		seen[x] = true
		parts = append(parts, x)
	}
	if len(parts) == 1 {
		return parts[0]
	}
	for i, p := range parts {
		if strings.Contains(p, " ") {
			parts[i] = "(" + p + ")"
		}
	}
	return strings.Join(parts, " "+op+" ")
}
