package report_test

import (
	"testing"
	"unicode/utf8"

	"github.com/ospo-project/ospo/internal/report"
)

func TestNeutraliseBidi(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"plain · text — with … typography ←", "plain · text — with … typography ←"},
		{"\u202egnp.exe", "\ufffdgnp.exe"},
		{"a\u202ab\u202bc\u202cd\u202de\u202ef", "a\ufffdb\ufffdc\ufffdd\ufffde\ufffdf"},
		{"\u2066x\u2067y\u2068z\u2069", "\ufffdx\ufffdy\ufffdz\ufffd"},
		{"marks stay: \u200e\u200f\u061c", "marks stay: \u200e\u200f\u061c"},
		{"neighbours stay: \u2029\u202f\u2065\u206a\u2029", "neighbours stay: \u2029\u202f\u2065\u206a\u2029"},
		{"at the end \u202e", "at the end \ufffd"},
		{"cut \xe2\x80", "cut \xe2\x80"},
		{"cut \xe2", "cut \xe2"},
		{"\xe2\xe2\x80\xae", "\xe2\ufffd"},
	}
	for _, tc := range tests {
		got := string(report.NeutraliseBidi([]byte(tc.in)))
		if got != tc.want {
			t.Errorf("NeutraliseBidi(%+q) = %+q, want %+q", tc.in, got, tc.want)
		}
		if len(got) != len(tc.in) || utf8.ValidString(tc.in) != utf8.ValidString(got) {
			t.Errorf("NeutraliseBidi(%+q) changed the length or the validity: %+q", tc.in, got)
		}
	}
}
