package css

// Added by the ospo project (see third_party/bluemonday/OSPO-CHANGES.md): regular expressions compiled on
// first use instead of at package initialisation.

import (
	"regexp"
	"sync"
)

// lazyRegexp is a regular expression compiled on its first use.
type lazyRegexp struct {
	expr string
	once sync.Once
	re   *regexp.Regexp
}

func newLazyRegexp(expr string) *lazyRegexp { return &lazyRegexp{expr: expr} }

// compiled returns the compiled expression, compiling it on the first call.
func (l *lazyRegexp) compiled() *regexp.Regexp {
	l.once.Do(func() { l.re = regexp.MustCompile(l.expr) })
	return l.re
}

// MatchString is regexp.Regexp.MatchString.
func (l *lazyRegexp) MatchString(s string) bool { return l.compiled().MatchString(s) }

// FindString is regexp.Regexp.FindString.
func (l *lazyRegexp) FindString(s string) string { return l.compiled().FindString(s) }

// ReplaceAllString is regexp.Regexp.ReplaceAllString.
func (l *lazyRegexp) ReplaceAllString(src, repl string) string {
	return l.compiled().ReplaceAllString(src, repl)
}

// ReplaceAllStringFunc is regexp.Regexp.ReplaceAllStringFunc.
func (l *lazyRegexp) ReplaceAllStringFunc(src string, repl func(string) string) string {
	return l.compiled().ReplaceAllStringFunc(src, repl)
}

// String is regexp.Regexp.String.
func (l *lazyRegexp) String() string { return l.expr }

// ReplaceAll is regexp.Regexp.ReplaceAll.
func (l *lazyRegexp) ReplaceAll(src, repl []byte) []byte { return l.compiled().ReplaceAll(src, repl) }
