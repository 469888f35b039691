// Package lazyre provides regular expressions that are compiled on first use rather than when the program
// starts.
//
// Go initialises every linked package before main runs, so a package-level
// `var x = regexp.MustCompile(...)` is paid by every ospo command, including the ones that never use x
// (`ospo version`, `ospo check`). A package-level `var x = lazyre.New(...)` costs one small allocation at
// start-up; the expression is compiled the first time one of its methods is called, once, safely from
// several goroutines.
//
// An invalid expression panics at its first use, as regexp.MustCompile would at start-up: every package that
// declares lazy expressions should have a test that calls Compiled on each of them (see Check).
package lazyre

import (
	"regexp"
	"sync"
)

// Regexp is a regular expression compiled on first use. Its methods behave as those of regexp.Regexp of the
// same name. The zero value is not usable; build one with New.
type Regexp struct {
	expr string
	once sync.Once
	re   *regexp.Regexp
}

// New returns expr, to be compiled on its first use. It does no work now.
func New(expr string) *Regexp { return &Regexp{expr: expr} }

// Compiled returns the compiled expression, compiling it on the first call. It panics if the expression is
// invalid.
func (r *Regexp) Compiled() *regexp.Regexp {
	r.once.Do(func() { r.re = regexp.MustCompile(r.expr) })
	return r.re
}

// Check compiles each expression and returns the first error, for tests of the packages declaring them.
func Check(res ...*Regexp) error {
	for _, r := range res {
		if _, err := regexp.Compile(r.expr); err != nil {
			return err
		}
	}
	return nil
}

// String returns the source text of the expression, without compiling it.
func (r *Regexp) String() string { return r.expr }

// MatchString reports whether s contains a match of the expression.
func (r *Regexp) MatchString(s string) bool { return r.Compiled().MatchString(s) }

// Match reports whether b contains a match of the expression.
func (r *Regexp) Match(b []byte) bool { return r.Compiled().Match(b) }

// Find returns the leftmost match in b.
func (r *Regexp) Find(b []byte) []byte { return r.Compiled().Find(b) }

// FindString returns the leftmost match in s.
func (r *Regexp) FindString(s string) string { return r.Compiled().FindString(s) }

// FindStringIndex returns the location of the leftmost match in s.
func (r *Regexp) FindStringIndex(s string) []int { return r.Compiled().FindStringIndex(s) }

// FindSubmatch returns the leftmost match in b and its submatches.
func (r *Regexp) FindSubmatch(b []byte) [][]byte { return r.Compiled().FindSubmatch(b) }

// FindStringSubmatch returns the leftmost match in s and its submatches.
func (r *Regexp) FindStringSubmatch(s string) []string { return r.Compiled().FindStringSubmatch(s) }

// FindStringSubmatchIndex returns the locations of the leftmost match in s and of its submatches.
func (r *Regexp) FindStringSubmatchIndex(s string) []int {
	return r.Compiled().FindStringSubmatchIndex(s)
}

// FindAllString returns up to n successive matches in s (all if n < 0).
func (r *Regexp) FindAllString(s string, n int) []string { return r.Compiled().FindAllString(s, n) }

// FindAllStringIndex returns the locations of up to n successive matches in s (all if n < 0).
func (r *Regexp) FindAllStringIndex(s string, n int) [][]int {
	return r.Compiled().FindAllStringIndex(s, n)
}

// FindAllSubmatch returns up to n successive matches in b with their submatches (all if n < 0).
func (r *Regexp) FindAllSubmatch(b []byte, n int) [][][]byte {
	return r.Compiled().FindAllSubmatch(b, n)
}

// FindAllStringSubmatch returns up to n successive matches in s with their submatches (all if n < 0).
func (r *Regexp) FindAllStringSubmatch(s string, n int) [][]string {
	return r.Compiled().FindAllStringSubmatch(s, n)
}

// FindAllStringSubmatchIndex returns the locations of up to n successive matches in s and of their
// submatches (all if n < 0).
func (r *Regexp) FindAllStringSubmatchIndex(s string, n int) [][]int {
	return r.Compiled().FindAllStringSubmatchIndex(s, n)
}

// ReplaceAll replaces the matches in src by repl, expanding $ references.
func (r *Regexp) ReplaceAll(src, repl []byte) []byte { return r.Compiled().ReplaceAll(src, repl) }

// ReplaceAllString replaces the matches in src by repl, expanding $ references.
func (r *Regexp) ReplaceAllString(src, repl string) string {
	return r.Compiled().ReplaceAllString(src, repl)
}

// ReplaceAllLiteralString replaces the matches in src by repl, taken literally.
func (r *Regexp) ReplaceAllLiteralString(src, repl string) string {
	return r.Compiled().ReplaceAllLiteralString(src, repl)
}

// ReplaceAllStringFunc replaces the matches in src by what repl returns for each.
func (r *Regexp) ReplaceAllStringFunc(src string, repl func(string) string) string {
	return r.Compiled().ReplaceAllStringFunc(src, repl)
}

// Split slices s into the substrings between matches, at most n (all if n < 0).
func (r *Regexp) Split(s string, n int) []string { return r.Compiled().Split(s, n) }

// SubexpNames returns the names of the parenthesised subexpressions.
func (r *Regexp) SubexpNames() []string { return r.Compiled().SubexpNames() }

// SubexpIndex returns the index of the subexpression with the given name, or -1.
func (r *Regexp) SubexpIndex(name string) int { return r.Compiled().SubexpIndex(name) }

// NumSubexp returns the number of parenthesised subexpressions.
func (r *Regexp) NumSubexp() int { return r.Compiled().NumSubexp() }
