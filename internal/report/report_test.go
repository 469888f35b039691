package report_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"github.com/ospo-project/ospo/internal/report"
)

func TestCheckFormat(t *testing.T) {
	tests := []struct {
		format  string
		allowed []string
		wantErr bool
	}{
		{"table", []string{report.FormatTable, report.FormatJSON}, false},
		{"json", []string{report.FormatTable, report.FormatJSON}, false},
		{"yaml", []string{report.FormatTable, report.FormatJSON}, true},
		{"JSON", []string{report.FormatTable, report.FormatJSON}, true}, // formats are exact
		{"", []string{report.FormatTable, report.FormatJSON}, true},
		{"table", nil, true},
		{"json", []string{report.FormatJSON}, false},
	}
	for _, tc := range tests {
		err := report.CheckFormat(tc.format, tc.allowed...)
		if (err != nil) != tc.wantErr {
			t.Errorf("CheckFormat(%q, %q) = %v, want error: %v", tc.format, tc.allowed, err, tc.wantErr)
			continue
		}
		if err == nil {
			continue
		}
		// The message names the rejected value and every allowed one.
		if !strings.Contains(err.Error(), `"`+tc.format+`"`) {
			t.Errorf("CheckFormat(%q) error %q does not name the format", tc.format, err)
		}
		for _, a := range tc.allowed {
			if !strings.Contains(err.Error(), a) {
				t.Errorf("CheckFormat(%q) error %q does not list %q", tc.format, err, a)
			}
		}
	}
}

func TestTable(t *testing.T) {
	tests := []struct {
		name   string
		header []string
		rows   [][]string
		want   string
	}{
		{
			name:   "aligned",
			header: []string{"NAME", "COMMITS", "KEY"},
			rows: [][]string{
				{"alpha", "12", "github.com/acme/alpha"},
				{"a-much-longer-name", "3", "path:/src/x"},
			},
			want: "" +
				"NAME                COMMITS  KEY\n" +
				"alpha               12       github.com/acme/alpha\n" +
				"a-much-longer-name  3        path:/src/x\n",
		},
		{
			name:   "header only",
			header: []string{"A", "B"},
			want:   "A  B\n",
		},
		{
			name:   "tabs and newlines in cells cannot add columns or rows",
			header: []string{"NAME", "DESCRIPTION"},
			rows:   [][]string{{"x\ty", "line one\nFORGED  ROW"}},
			want: "" +
				"NAME  DESCRIPTION\n" +
				"x y   line one FORGED  ROW\n",
		},
		{
			name:   "empty cells keep their column",
			header: []string{"A", "B", "C"},
			rows:   [][]string{{"", "b", ""}, {"aaa", "", "c"}},
			want: "" +
				"A    B  C\n" +
				"     b  \n" +
				"aaa     c\n",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			tb := report.NewTable(&buf, tc.header...)
			for _, r := range tc.rows {
				tb.Row(r...)
			}
			if err := tb.Flush(); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, buf.String()); diff != "" {
				t.Errorf("table (-want +got):\n%s", diff)
			}
		})
	}
}

func TestTableWithWideRunes(t *testing.T) {
	// Alignment counts characters, not bytes: a name with accents lines up
	// with an ASCII one.
	var buf bytes.Buffer
	tb := report.NewTable(&buf, "NAME", "X")
	tb.Row("Zoë", "1")
	tb.Row("Bob", "2")
	tb.Flush()
	lines := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
	if len(lines) != 3 {
		t.Fatalf("got %d lines:\n%s", len(lines), buf.String())
	}
	col := func(s string) int { return utf8.RuneCountInString(s[:strings.LastIndex(s, " ")+1]) }
	if col(lines[1]) != col(lines[2]) {
		t.Errorf("columns not aligned:\n%s", buf.String())
	}
}

func TestClean(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"plain", "hello, world", "hello, world"},
		{"unicode kept", "Zoë Ångström 日本", "Zoë Ångström 日本"},
		{"newline and tab", "a\nb\tc\r\nd", "a b c  d"},
		{"ANSI colour", "\x1b[31mred\x1b[0m", " [31mred [0m"},
		{"cursor movement and clear screen", "ok\x1b[2J\x1b[1;1Hforged", "ok [2J [1;1Hforged"},
		{"OSC title and hyperlink", "\x1b]0;pwned\x07\x1b]8;;http://evil\x1b\\x", " ]0;pwned  ]8;;http://evil \\x"},
		{"C1 CSI", "a\u009b31mb", "a 31mb"},
		{"NUL, backspace, delete", "a\x00b\x08c\x7fd", "a b c d"},
		{"invalid UTF-8", "ok\xff\xfe!", "ok\uFFFD!"},
		{"truncated sequence", "caf\xc3", "caf\uFFFD"},
		{"empty", "", ""},
		{"bidirectional overrides and isolates", "\u202egnp.exe \u202a\u202b\u202c\u202d \u2066\u2067\u2068\u2069", "\ufffdgnp.exe \ufffd\ufffd\ufffd\ufffd \ufffd\ufffd\ufffd\ufffd"},
		{"bidirectional marks and neighbours kept", "\u200e\u200f\u061c \u2029\u202f\u2065\u206a", "\u200e\u200f\u061c \u2029\u202f\u2065\u206a"},
		{"typography kept", "a · b — c … d ← e", "a · b — c … d ← e"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := report.Clean(tc.in)
			if got != tc.want {
				t.Errorf("Clean(%q) = %q, want %q", tc.in, got, tc.want)
			}
			if !utf8.ValidString(got) {
				t.Errorf("Clean(%q) = %q is not valid UTF-8", tc.in, got)
			}
			for _, r := range got {
				if r < 0x20 || (r >= 0x7f && r < 0xa0) || report.IsBidiControl(r) {
					t.Errorf("Clean(%q) = %q keeps control character %U", tc.in, got, r)
				}
			}
		})
	}
}

func TestTableCleansCells(t *testing.T) {
	var buf bytes.Buffer
	tb := report.NewTable(&buf, "NAME\x1b[2J")
	tb.Row("\x1b]0;title\x07evil\xff")
	tb.Flush()
	if strings.ContainsAny(buf.String(), "\x1b\x07") || !utf8.ValidString(buf.String()) {
		t.Errorf("table output keeps escapes or invalid UTF-8: %q", buf.String())
	}
}

func TestKV(t *testing.T) {
	tests := []struct {
		name  string
		pairs []string
		want  string
	}{
		{
			name:  "aligned",
			pairs: []string{"Name", "alpha", "Default branch", "main"},
			want:  "Name:           alpha\nDefault branch: main\n",
		},
		{
			name:  "empty values skipped, and do not widen the column",
			pairs: []string{"Name", "alpha", "A very long missing key", "", "Key", "k"},
			want:  "Name: alpha\nKey:  k\n",
		},
		{
			name:  "all empty",
			pairs: []string{"Name", "", "Key", ""},
			want:  "",
		},
		{
			name:  "odd count: the lone key is ignored",
			pairs: []string{"Name", "alpha", "Orphan"},
			want:  "Name: alpha\n",
		},
		{
			name:  "values cleaned",
			pairs: []string{"Description", "line one\nKey: forged\x1b[31m"},
			want:  "Description: line one Key: forged [31m\n",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := report.KV(&buf, tc.pairs...); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, buf.String()); diff != "" {
				t.Errorf("KV (-want +got):\n%s", diff)
			}
		})
	}
}

func TestJSON(t *testing.T) {
	var buf bytes.Buffer
	v := map[string]any{"name": "a<b>&c", "n": 1, "list": []string{}}
	if err := report.JSON(&buf, v); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if !strings.HasSuffix(out, "}\n") {
		t.Errorf("JSON output does not end with a newline: %q", out)
	}
	if !strings.Contains(out, "\n  \"") {
		t.Errorf("JSON output is not indented by two spaces: %q", out)
	}
	var back map[string]any
	if err := json.Unmarshal(buf.Bytes(), &back); err != nil {
		t.Fatalf("JSON output does not parse: %v", err)
	}
	if back["name"] != "a<b>&c" {
		t.Errorf("round trip name = %q", back["name"])
	}
	if err := report.JSON(&bytes.Buffer{}, func() {}); err == nil {
		t.Error("JSON of a func succeeded")
	}
}

func TestCleanTextAndCleanf(t *testing.T) {
	if got, want := report.CleanText("line 1\n\tline\x1b[2J 2\r\n\u202eend\xff"), "line 1\n\tline [2J 2 \n\ufffdend\ufffd"; got != want {
		t.Errorf("CleanText = %+q, want %+q", got, want)
	}
	if got, want := report.CleanText("plain\nlines\n"), "plain\nlines\n"; got != want {
		t.Errorf("CleanText = %+q, want %+q", got, want)
	}
	err := errors.New("bad\x1b]0;t\x07")
	got := report.Cleanf("%s: %v (%d, %q)\n", "name\u202e\x9b", err, 3, "q\x1b")
	if want := "name\ufffd\ufffd: bad ]0;t  (3, \"q \")\n"; got != want {
		t.Errorf("Cleanf = %+q, want %+q", got, want)
	}
}
