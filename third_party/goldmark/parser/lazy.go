// Added by the ospo project, see third_party/goldmark/OSPO-CHANGES.md.

package parser

import (
	"regexp"
	"sync"
)

// lazyRegexp returns a function that compiles expr on its first call and
// returns the same *regexp.Regexp on every call: the package's regular
// expressions are compiled when first used rather than when every program
// linking the package starts. It panics, like regexp.MustCompile, if expr is
// not a valid expression.
func lazyRegexp(expr string) func() *regexp.Regexp {
	return sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(expr) })
}
