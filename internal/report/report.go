// Package report renders command results for people (aligned tables) and
// programs (JSON). Richer formats (SARIF, JUnit, SBOMs) join it as they land.
package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"unicode"
)

// Formats accepted by listing and detail commands.
const (
	FormatTable = "table"
	FormatJSON  = "json"
)

// CheckFormat returns an error naming the allowed formats if f is not one of them.
func CheckFormat(f string, allowed ...string) error {
	for _, a := range allowed {
		if f == a {
			return nil
		}
	}
	return fmt.Errorf("unknown format %q (want one of %s)", f, strings.Join(allowed, ", "))
}

// JSON writes v as indented JSON followed by a newline.
func JSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// Table writes rows under a header, columns aligned. Cells are cleaned of
// control characters so that text from repositories cannot move the cursor
// or forge lines in a terminal.
type Table struct {
	tw *tabwriter.Writer
}

// NewTable starts a table on w with the given column headers.
func NewTable(w io.Writer, header ...string) *Table {
	t := &Table{tw: tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)}
	t.Row(header...)
	return t
}

// Row adds one row.
func (t *Table) Row(cells ...string) {
	for i, c := range cells {
		cells[i] = Clean(c)
	}
	fmt.Fprintln(t.tw, strings.Join(cells, "\t"))
}

// Flush writes the table out.
func (t *Table) Flush() error { return t.tw.Flush() }

// Clean replaces control characters (including tabs and newlines) with
// spaces, bidirectional controls with U+FFFD (see IsBidiControl) and
// invalid UTF-8 with U+FFFD, for safe display in a terminal: what is left
// can neither move the cursor, recolour, retitle the window nor reorder
// the text around it. Ordinary text is returned unchanged.
func Clean(s string) string { return clean(s, false) }

// CleanText is Clean for text of several lines: newlines and tabs are
// kept, every other control character becomes a space.
func CleanText(s string) string { return clean(s, true) }

func clean(s string, lines bool) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	return strings.Map(func(r rune) rune {
		switch {
		case lines && (r == '\n' || r == '\t'):
			return r
		case unicode.IsControl(r):
			return ' '
		case IsBidiControl(r):
			return '\uFFFD'
		}
		return r
	}, s)
}

// IsBidiControl reports whether r is a Unicode bidirectional embedding,
// override or isolate control (U+202A–U+202E, U+2066–U+2069). One of them
// in text from a repository (an author's name, a file name, a description)
// reorders the text after it: a file "\u202Egnp.exe" reads "exe.png", a
// name reverses the names listed after it. Marks (U+200E, U+200F, U+061C)
// are not counted: they reorder nothing beyond themselves.
func IsBidiControl(r rune) bool {
	return r >= 0x202a && r <= 0x202e || r >= 0x2066 && r <= 0x2069
}

// NeutraliseBidi replaces, in place, each bidirectional control (see
// IsBidiControl) in the UTF-8 text b by U+FFFD, and returns b. U+FFFD has
// the same length in UTF-8, so the replacement shows that something was
// there without moving anything; invalid UTF-8 is left as it is.
func NeutraliseBidi(b []byte) []byte {
	for i := 0; ; {
		j := bytes.IndexByte(b[i:], 0xe2) // the lead byte of U+2000–U+2FFF
		if j < 0 || i+j+2 >= len(b) {
			return b
		}
		i += j
		if c1, c2 := b[i+1], b[i+2]; c1 == 0x80 && c2 >= 0xaa && c2 <= 0xae || c1 == 0x81 && c2 >= 0xa6 && c2 <= 0xa9 {
			b[i], b[i+1], b[i+2] = 0xef, 0xbf, 0xbd
		}
		i++
	}
}

// Cleanf is fmt.Sprintf with every string, error and fmt.Stringer
// argument passed through Clean first: for a message that carries text
// from a repository (a warning, a detail line) written straight to a
// terminal.
func Cleanf(format string, args ...any) string {
	clean := make([]any, len(args))
	for i, a := range args {
		switch v := a.(type) {
		case string:
			clean[i] = Clean(v)
		case error:
			clean[i] = Clean(v.Error())
		case fmt.Stringer:
			clean[i] = Clean(v.String())
		default:
			clean[i] = a
		}
	}
	return fmt.Sprintf(format, clean...)
}

// KV writes "key: value" lines, aligned, skipping empty values.
func KV(w io.Writer, pairs ...string) error {
	tw := tabwriter.NewWriter(w, 0, 0, 1, ' ', 0)
	for i := 0; i+1 < len(pairs); i += 2 {
		if pairs[i+1] == "" {
			continue
		}
		fmt.Fprintf(tw, "%s:\t%s\n", Clean(pairs[i]), Clean(pairs[i+1]))
	}
	return tw.Flush()
}

// ScoreText renders a 0-10 score with one decimal, or "n/a" when it is not
// available (negative).
func ScoreText(s float64) string {
	if s < 0 {
		return "n/a"
	}
	return fmt.Sprintf("%.1f", s)
}
