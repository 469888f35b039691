package license

import (
	"sort"
	"strings"
	"sync"
)

// ListEntry is one licence of the SPDX licence list.
type ListEntry struct {
	ID         string
	Name       string
	OSI        bool // OSI-approved
	FSF        bool // FSF free/libre
	Deprecated bool // a deprecated identifier (e.g. "GPL-2.0" for GPL-2.0-only)
}

// byUpper is built on first use, not at start-up.
var byUpper = sync.OnceValue(func() map[string]ListEntry {
	m := make(map[string]ListEntry, len(spdxList))
	for _, e := range spdxList {
		m[strings.ToUpper(e.ID)] = e
	}
	return m
})

// Lookup returns the SPDX list entry of id, compared case-insensitively.
func Lookup(id string) (ListEntry, bool) {
	e, ok := byUpper()[strings.ToUpper(id)]
	return e, ok
}

// Licence categories, from the least to the most restrictive for a user.
const (
	Permissive      = "permissive"
	WeakCopyleft    = "weak-copyleft"
	StrongCopyleft  = "strong-copyleft"
	NetworkCopyleft = "network-copyleft"
	NonCommercial   = "non-commercial"
	Proprietary     = "proprietary"
	Other           = "other" // on the SPDX list, neither OSI nor FSF, not classified
	Unknown         = "unknown"
)

// Categories lists every category in a stable order.
var Categories = []string{Permissive, WeakCopyleft, StrongCopyleft, NetworkCopyleft, NonCommercial, Proprietary, Other, Unknown}

// family assigns categories to identifiers by prefix (upper-cased); the
// longest matching prefix wins. Everything else on the SPDX list that is
// OSI-approved or FSF-libre is permissive, the rest "other".
var family = map[string]string{
	"AGPL-":                   NetworkCopyleft,
	"SSPL-":                   NetworkCopyleft,
	"RPL-":                    NetworkCopyleft,
	"CPAL-":                   NetworkCopyleft,
	"OSL-3.0":                 NetworkCopyleft,
	"GPL-":                    StrongCopyleft,
	"OSL-":                    StrongCopyleft,
	"EUPL-":                   StrongCopyleft,
	"SLEEPYCAT":               StrongCopyleft,
	"QPL-":                    StrongCopyleft,
	"CC-BY-SA-":               StrongCopyleft,
	"CECILL-1":                StrongCopyleft,
	"CECILL-2":                StrongCopyleft,
	"SIMPL-":                  StrongCopyleft,
	"PARITY-":                 StrongCopyleft,
	"ODBL-":                   StrongCopyleft,
	"LGPL":                    WeakCopyleft,
	"MPL-":                    WeakCopyleft,
	"EPL-":                    WeakCopyleft,
	"CDDL-":                   WeakCopyleft,
	"CPL-":                    WeakCopyleft,
	"APSL-":                   WeakCopyleft,
	"MS-RL":                   WeakCopyleft,
	"IPL-":                    WeakCopyleft,
	"ERLPL-":                  WeakCopyleft,
	"CECILL-C":                WeakCopyleft,
	"OFL-":                    WeakCopyleft,
	"SPL-":                    WeakCopyleft,
	"NPL-":                    WeakCopyleft,
	"MULANPSL-":               Permissive,
	"CC-BY-NC":                NonCommercial,
	"POLYFORM-NONCOMMERCIAL":  NonCommercial,
	"POLYFORM-SMALL-BUSINESS": NonCommercial,
	"COMMONS-CLAUSE":          NonCommercial,
	"BUSL-":                   Proprietary,
	"ELASTIC-":                Proprietary,
	"LICENSEREF-UNLICENSED":   Proprietary,
	"LICENSEREF-PROPRIETARY":  Proprietary,
	"CC-BY-ND":                Other,
	"CC-BY-":                  Permissive,
	"CC0-":                    Permissive,
	"CC-PDDC":                 Permissive,
	"UNLICENSE":               Permissive,
	"WTFPL":                   Permissive,
	"0BSD":                    Permissive,
	"MIT":                     Permissive,
	"BSD-":                    Permissive,
	"APACHE-":                 Permissive,
	"ISC":                     Permissive,
	"ZLIB":                    Permissive,
	"BSL-1.0":                 Permissive,
	"PSF-":                    Permissive,
	"PYTHON-":                 Permissive,
	"X11":                     Permissive,
	"BLUEOAK-":                Permissive,
	"UNICODE-":                Permissive,
	"ARTISTIC-2.0":            Permissive,
	"ZPL-":                    Permissive,
	"AFL-":                    Permissive,
	"POSTGRESQL":              Permissive,
	"NCSA":                    Permissive,
	"UPL-":                    Permissive,
	"CURL":                    Permissive,
	"OPENSSL":                 Permissive,
	"RUBY":                    WeakCopyleft,
}

var familyPrefixes = func() []string {
	ps := make([]string, 0, len(family))
	for p := range family {
		ps = append(ps, p)
	}
	sort.Slice(ps, func(i, j int) bool { return len(ps[i]) > len(ps[j]) })
	return ps
}()

// linkingExceptions are WITH exceptions that let code be combined with a
// strong copyleft licence without the combination being covered by it
// (e.g. GPL-2.0-only WITH Classpath-exception-2.0): the result is weak
// copyleft. LLVM-exception only adds permissions to Apache-2.0.
func exceptionEffect(exception string) string {
	switch u := strings.ToUpper(exception); {
	case strings.HasPrefix(u, "CLASSPATH-EXCEPTION"), strings.HasPrefix(u, "GCC-EXCEPTION"),
		strings.HasPrefix(u, "LGPL-3.0-LINKING-EXCEPTION"), strings.HasPrefix(u, "UNIVERSAL-FOSS-EXCEPTION"),
		strings.HasPrefix(u, "AUTOCONF-EXCEPTION"), strings.HasPrefix(u, "BISON-EXCEPTION"),
		strings.HasPrefix(u, "FONT-EXCEPTION"), strings.HasPrefix(u, "OPENJDK-ASSEMBLY-EXCEPTION"),
		strings.HasPrefix(u, "WXWINDOWS-EXCEPTION"), strings.HasPrefix(u, "FLTK-EXCEPTION"),
		strings.HasPrefix(u, "ECOS-EXCEPTION"), strings.HasPrefix(u, "LIBTOOL-EXCEPTION"),
		strings.HasPrefix(u, "LINUX-SYSCALL-NOTE"), strings.HasPrefix(u, "FOSS-EXCEPTION"),
		strings.HasPrefix(u, "OCAML-LGPL-LINKING-EXCEPTION"), strings.HasPrefix(u, "QT-LGPL-EXCEPTION"):
		return WeakCopyleft
	}
	return ""
}

// Classifier puts licences in categories: the built-in table, with
// overrides. The zero value uses the built-in table alone.
type Classifier struct {
	// Overrides maps licence identifiers (case-insensitive, "+" and WITH
	// ignored) to a category, ahead of the built-in table.
	Overrides map[string]string
}

// Category returns the category of one licence (a leaf of an expression).
func (c Classifier) Category(id, exception string) string {
	if cat, ok := c.override(id); ok {
		return cat
	}
	cat := builtinCategory(id)
	if exception != "" && (cat == StrongCopyleft) {
		if eff := exceptionEffect(exception); eff != "" {
			cat = eff
		}
	}
	return cat
}

func (c Classifier) override(id string) (string, bool) {
	for k, v := range c.Overrides {
		if strings.EqualFold(k, id) {
			return v, true
		}
	}
	return "", false
}

func builtinCategory(id string) string {
	u := strings.ToUpper(id)
	if u == strings.ToUpper(catalogUnknown) || u == "" || u == "NOASSERTION" || u == "NONE" {
		return Unknown
	}
	entry, listed := byUpper()[u]
	for _, p := range familyPrefixes {
		if strings.HasPrefix(u, p) {
			if !listed && !strings.HasPrefix(u, "LICENSEREF-") {
				// a made-up identifier that merely looks like a family
				return Unknown
			}
			return family[p]
		}
	}
	switch {
	case !listed:
		return Unknown
	case entry.OSI || entry.FSF:
		return Permissive
	}
	return Other
}

const catalogUnknown = "unknown"

// ExpressionCategory returns the category of an expression for display: the
// category of its least restrictive choice for OR and most restrictive part
// for AND. Policy evaluation uses Policy.Decide instead, which weighs
// actions rather than categories.
func (c Classifier) ExpressionCategory(expr string) string {
	e, err := Parse(expr)
	if err != nil || expr == catalogUnknown {
		return Unknown
	}
	return c.exprCategory(e)
}

func (c Classifier) exprCategory(e *Expr) string {
	if e.Op == "" {
		return c.Category(e.ID, e.Exception)
	}
	l, r := c.exprCategory(e.Left), c.exprCategory(e.Right)
	li, ri := rank(l), rank(r)
	if (e.Op == "OR") == (li < ri) {
		return l
	}
	return r
}

func rank(cat string) int {
	for i, c := range Categories {
		if c == cat {
			return i
		}
	}
	return len(Categories)
}
