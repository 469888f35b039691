package badge

import (
	"encoding/xml"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files")

func TestScore(t *testing.T) {
	tests := []struct {
		name   string
		score  float64
		golden string
		want   []string
	}{
		{"poor", 3.4, "score.svg", []string{"3.4/10", "#fe7d37"}},
		{"good", 7.5, "", []string{"7.5/10", "#97ca00"}},
		{"not available", -1, "score-na.svg", []string{"n/a", "#9f9f9f"}},
		{"top", 10, "", []string{"10.0/10", "#4c1"}},
		{"bottom", 0, "", []string{"0.0/10", "#e05d44"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			svg := Score("ospo score", tt.score)
			if err := xml.Unmarshal([]byte(svg), new(struct{})); err != nil {
				t.Errorf("badge is not XML: %v", err)
			}
			for _, w := range tt.want {
				if !strings.Contains(svg, w) {
					t.Errorf("badge has no %q:\n%s", w, svg)
				}
			}
			if tt.golden == "" {
				return
			}
			path := filepath.Join("testdata", tt.golden)
			if *update {
				if err := os.WriteFile(path, []byte(svg), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if svg != string(want) {
				t.Errorf("badge differs from %s:\n%s", path, svg)
			}
		})
	}
}

func TestScoreEscapesLabel(t *testing.T) {
	svg := Score(`<script>alert(1)</script>&"`, 5)
	if strings.Contains(svg, "<script>") {
		t.Errorf("label not escaped:\n%s", svg)
	}
	if err := xml.Unmarshal([]byte(svg), new(struct{})); err != nil {
		t.Errorf("badge is not XML: %v", err)
	}
}
