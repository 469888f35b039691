// Package report renders command results for people (aligned tables) and
// programs (JSON). Richer formats (SARIF, JUnit, SBOMs) join it as they land.
package report

import (
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
// spaces and invalid UTF-8 with U+FFFD, for safe display in a terminal.
func Clean(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s)
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
