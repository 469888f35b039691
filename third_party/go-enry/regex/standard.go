//go:build !oniguruma
// +build !oniguruma

// Modified by the ospo project: an expression is compiled on its first use
// instead of at package initialisation, so that a program linking go-enry
// pays for its ~600 expressions only when it detects languages. See
// third_party/go-enry/OSPO-CHANGES.md.

package regex

import (
	"regexp"
	"sync"
)

const Name = RE2

// EnryRegexp is a regular expression compiled on first use. A nil
// EnryRegexp stands for an expression RE2 cannot compile (MustCompileRuby).
type EnryRegexp = *Lazy

// Lazy holds an expression and compiles it once, on first use; it panics
// then if the expression is invalid, as regexp.MustCompile would have at
// initialisation. It is safe for concurrent use.
type Lazy struct {
	expr string
	once sync.Once
	re   *regexp.Regexp
}

// Regexp returns the compiled expression.
func (l *Lazy) Regexp() *regexp.Regexp {
	l.once.Do(func() { l.re = regexp.MustCompile(l.expr) })
	return l.re
}

func (l *Lazy) Match(b []byte) bool                        { return l.Regexp().Match(b) }
func (l *Lazy) MatchString(s string) bool                  { return l.Regexp().MatchString(s) }
func (l *Lazy) FindAll(b []byte, n int) [][]byte           { return l.Regexp().FindAll(b, n) }
func (l *Lazy) FindAllSubmatch(b []byte, n int) [][][]byte { return l.Regexp().FindAllSubmatch(b, n) }
func (l *Lazy) FindSubmatch(b []byte) [][]byte             { return l.Regexp().FindSubmatch(b) }
func (l *Lazy) FindStringSubmatch(s string) []string       { return l.Regexp().FindStringSubmatch(s) }
func (l *Lazy) ReplaceAll(src, repl []byte) []byte         { return l.Regexp().ReplaceAll(src, repl) }
func (l *Lazy) String() string                             { return l.expr }
func (l *Lazy) FindAllStringSubmatch(s string, n int) [][]string {
	return l.Regexp().FindAllStringSubmatch(s, n)
}

func MustCompile(str string) EnryRegexp {
	return &Lazy{expr: str}
}

// MustCompileMultiline mimics Ruby defaults for regexp, where ^$ matches begin/end of line.
// I.e. it converts Ruby regexp syntaxt to RE2 equivalent
func MustCompileMultiline(s string) EnryRegexp {
	const multilineModeFlag = "(?m)"
	return MustCompile(multilineModeFlag + s)
}

// MustCompileRuby used for expressions with syntax not supported by RE2.
// Now it's confusing as we use the result as [data/rule.Matcher] and
//
//	(*Matcher)(nil) != nil
//
// What is a better way for an expression to indicate unsupported syntax?
// e.g. add .IsValidSyntax() to both, Matcher interface and EnryRegexp implementations?
func MustCompileRuby(s string) EnryRegexp {
	return nil
}

func QuoteMeta(s string) string {
	return regexp.QuoteMeta(s)
}
