package deps

import (
	"errors"
	"fmt"

	toml "github.com/pelletier/go-toml/v2"
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
	// pelletier/go-toml is several times faster than BurntSushi/toml on
	// large lockfiles (uv.lock, poetry.lock), which dominated inventory time.
	if err := toml.Unmarshal(data, v); err != nil {
		var de *toml.DecodeError
		if errors.As(err, &de) {
			row, col := de.Position()
			return fmt.Errorf("line %d column %d: %s", row, col, de.Error())
		}
		return err
	}
	return nil
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
