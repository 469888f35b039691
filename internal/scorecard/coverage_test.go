package scorecard

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestParseCoverage(t *testing.T) {
	tests := []struct {
		file string
		want float64
	}{
		{"go.out", 60},    // 3 of 5 statements: the repeated block counts once, hit in either
		{"lcov.info", 75}, // 3 of 4 lines
		{"cobertura.xml", 75},
		{"jacoco.xml", 80}, // the report-level LINE counter, not the package's
	}
	for _, tt := range tests {
		b, err := os.ReadFile(filepath.Join("testdata", "coverage", tt.file))
		if err != nil {
			t.Fatal(err)
		}
		got, err := ParseCoverage(bytes.NewReader(b))
		if err != nil {
			t.Errorf("%s: %v", tt.file, err)
			continue
		}
		if math.Abs(got-tt.want) > 0.01 {
			t.Errorf("%s: coverage %.2f, want %.2f", tt.file, got, tt.want)
		}
	}
}

func TestParseCoverageBroken(t *testing.T) {
	for _, in := range []string{
		"",
		"hello",
		"mode: set\nfoo.go:1.1,2.2 x 1\n",
		"mode: set\n",
		"TN:\nSF:a\nLF:abc\n",
		"<coverage/>",
		"<html></html>",
		`<report><counter type="LINE" missed="-1" covered="2"/></report>`,
		`<report><package/></report>`,
		"<coverage",
	} {
		if v, err := ParseCoverage(strings.NewReader(in)); err == nil {
			t.Errorf("ParseCoverage(%q) = %v, want an error", in, v)
		}
	}
}

func FuzzParseCoverage(f *testing.F) {
	for _, name := range []string{"go.out", "lcov.info", "cobertura.xml", "jacoco.xml"} {
		b, err := os.ReadFile(filepath.Join("testdata", "coverage", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		v, err := ParseCoverage(bytes.NewReader(b))
		if err == nil && (math.IsNaN(v) || v < 0 || v > 100) {
			t.Errorf("coverage %v out of range", v)
		}
	})
}
