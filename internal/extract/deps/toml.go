package deps

import (
	"fmt"

	"github.com/BurntSushi/toml"
)

// maxNesting is the deepest nesting of arrays and tables (TOML, JSON) a
// file may have before it is refused: parsers recurse once per level, and a
// file of a few megabytes of "[" would otherwise exhaust the stack, which Go
// cannot recover from.
const maxNesting = 256

// decodeTOML decodes TOML after checking its nesting depth, turning a
// parser panic into an error.
func decodeTOML(data []byte, v any) (err error) {
	if err := checkTOMLNesting(data, maxNesting); err != nil {
		return err
	}
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("toml: %v", r)
		}
	}()
	_, err = toml.Decode(string(data), v)
	return err
}

// checkTOMLNesting returns an error if arrays and inline tables nest deeper
// than max. It skips strings and comments, so brackets in them do not
// count.
func checkTOMLNesting(data []byte, max int) error {
	depth := 0
	for i := 0; i < len(data); i++ {
		switch c := data[i]; c {
		case '#':
			for i < len(data) && data[i] != '\n' {
				i++
			}
		case '"', '\'':
			multi := i+2 < len(data) && data[i+1] == c && data[i+2] == c
			if multi {
				i += 3
				for i+2 < len(data) && !(data[i] == c && data[i+1] == c && data[i+2] == c) {
					if c == '"' && data[i] == '\\' {
						i++
					}
					i++
				}
				i += 2
				continue
			}
			for i++; i < len(data) && data[i] != c && data[i] != '\n'; i++ {
				if c == '"' && data[i] == '\\' {
					i++
				}
			}
		case '[', '{':
			depth++
			if depth > max {
				return fmt.Errorf("nested deeper than %d levels", max)
			}
		case ']', '}':
			if depth > 0 {
				depth--
			}
		}
	}
	return nil
}
