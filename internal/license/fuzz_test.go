package license

import (
	"reflect"
	"testing"
	"unicode/utf8"
)

// FuzzParseExpression: Parse never panics; an expression it accepts prints
// to text that parses to the same expression, and prints the same again.
// Normalize never panics and is idempotent.
func FuzzParseExpression(f *testing.F) {
	for _, s := range []string{
		"MIT", "mit", "(MIT OR Apache-2.0)", "MIT AND (Apache-2.0 OR BSD-3-Clause)",
		"GPL-2.0-only WITH Classpath-exception-2.0", "GPL-2.0+", "LicenseRef-acme",
		"DocumentRef-spdx-tool-1.2:LicenseRef-MIT-Style-2", "MIT or Apache-2.0",
		"MIT OR (Apache-2.0 OR ISC)", "(MIT AND ISC) AND Zlib", "((((MIT))))", "MIT AND",
		"Apache 2.0", "GPLv3", "UNLICENSED", "SEE LICENSE IN LICENSE.txt", "(MIT", "MIT)",
		"GPL-3.0 OR LGPL-2.1+", "a WITH b WITH c", "++", "MIT\tAND\nISC", "\xff", "MIT AND Foo-1.0",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if n := Normalize(s); n != "" {
			if !utf8.ValidString(n) {
				t.Fatalf("Normalize(%q) = %q: invalid UTF-8", s, n)
			}
			if again := Normalize(n); again != n {
				t.Fatalf("Normalize(%q) = %q, Normalize(%q) = %q", s, n, n, again)
			}
		}
		e, err := Parse(s)
		if err != nil {
			return
		}
		printed := e.String()
		if !utf8.ValidString(printed) {
			t.Fatalf("Parse(%q) prints %q: invalid UTF-8", s, printed)
		}
		if len(printed) > maxExprLen {
			return // printing adds spaces around parentheses: a maximal input may print longer than the limit
		}
		e2, err := Parse(printed)
		if err != nil {
			t.Fatalf("Parse(%q) prints %q, which does not parse: %v", s, printed, err)
		}
		if !reflect.DeepEqual(e, e2) {
			t.Fatalf("Parse(%q) prints %q, which parses to another expression, printed %q", s, printed, e2.String())
		}
		if e2.String() != printed {
			t.Fatalf("Parse(%q) prints %q, reparsed prints %q", s, printed, e2.String())
		}
	})
}
