// Added by the ospo project (see OSPO-CHANGES.md): the built-in Scanner's matcher is loaded from
// builtin.multilre, saved by BuildBuiltinMatcher, instead of being compiled from the licence patterns on
// first use (about 1.5 s of CPU and 100 MB of allocations, paid by every process that classifies a text).
// The file is embedded uncompressed and used in place: the DFA is read from the executable's read-only
// data, and only its pages a scan touches are ever loaded.

package licensecheck

import (
	_ "embed"
	"errors"
	"fmt"
	"unsafe"

	"github.com/google/licensecheck/internal/match"
)

// savedBuiltin is BuildBuiltinMatcher's output. It is a string so that it lives in read-only memory.
//
//go:embed builtin.multilre
var savedBuiltin string

// BuildBuiltinMatcher compiles the built-in licence patterns (slowly) and returns the matcher in the form
// the package loads at run time. Save it as builtin.multilre whenever data.gen.go changes.
func BuildBuiltinMatcher() ([]byte, error) {
	s := new(Scanner)
	if err := s.init(BuiltinLicenses()); err != nil {
		return nil, err
	}
	return s.re.MarshalBinary()
}

// SavedBuiltinMatcher returns the saved matcher the package loads; it must equal what
// BuildBuiltinMatcher returns. The bytes are read-only: they must not be changed.
func SavedBuiltinMatcher() ([]byte, error) {
	if len(savedBuiltin) == 0 {
		return nil, errors.New("licensecheck: no saved matcher")
	}
	return unsafe.Slice(unsafe.StringData(savedBuiltin), len(savedBuiltin)), nil
}

// initBuiltin fills s with the built-in licences and the saved matcher, or compiles the matcher from the
// patterns if the saved one cannot be read.
func (s *Scanner) initBuiltin() error {
	licenses := BuiltinLicenses()
	if err := s.loadSaved(licenses); err == nil {
		return nil
	}
	*s = Scanner{}
	return s.init(licenses)
}

func (s *Scanner) loadSaved(licenses []License) error {
	b, err := SavedBuiltinMatcher()
	if err != nil {
		return err
	}
	re, err := match.UnmarshalMultiLRE(b)
	if err != nil {
		return err
	}
	s.urls = make(map[string]License)
	for _, l := range licenses {
		if l.URL != "" {
			s.urls[l.URL] = l
		}
		if l.LRE != "" {
			s.licenses = append(s.licenses, l)
		}
	}
	if n := re.Patterns(); n != len(s.licenses) {
		return fmt.Errorf("licensecheck: saved matcher has %d patterns, want %d", n, len(s.licenses))
	}
	s.re = re
	return nil
}

// CheckSavedBuiltinMatcher loads the saved matcher as the built-in Scanner does and returns why it cannot
// be used (the Scanner would then compile the patterns, slowly), or nil.
func CheckSavedBuiltinMatcher() error {
	return new(Scanner).loadSaved(BuiltinLicenses())
}
