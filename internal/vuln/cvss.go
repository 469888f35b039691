package vuln

import (
	"errors"
	"fmt"
	"math"
	"strings"

	gocvss30 "github.com/pandatix/go-cvss/30"
	gocvss31 "github.com/pandatix/go-cvss/31"
	gocvss40 "github.com/pandatix/go-cvss/40"

	"github.com/ospo-project/ospo/internal/catalog"
)

// MaxVectorLen is the longest CVSS vector CVSS reads.
const MaxVectorLen = 512

// CVSS computes the base score and rating of a CVSS v3.0, v3.1 or v4.0
// vector ("CVSS:3.1/AV:N/…", "CVSS:4.0/AV:N/…"), the way FIRST's
// specifications define them (v4.0 with its macrovector lookup table). A v4.0
// vector that carries threat or environmental metrics is scored with them,
// as the specification's CVSS-BTE score. Other vectors (CVSS v2 included)
// are an error.
func CVSS(vector string) (catalog.Severity, error) {
	vector = strings.TrimSpace(vector)
	if len(vector) > MaxVectorLen {
		return catalog.Severity{}, errors.New("cvss vector too long")
	}
	var score float64
	switch {
	case strings.HasPrefix(vector, "CVSS:3.1/"):
		c, err := gocvss31.ParseVector(vector)
		if err != nil {
			return catalog.Severity{}, fmt.Errorf("cvss %q: %w", vector, err)
		}
		score = c.BaseScore()
	case strings.HasPrefix(vector, "CVSS:3.0/"):
		c, err := gocvss30.ParseVector(vector)
		if err != nil {
			return catalog.Severity{}, fmt.Errorf("cvss %q: %w", vector, err)
		}
		score = c.BaseScore()
	case strings.HasPrefix(vector, "CVSS:4.0/"):
		c, err := gocvss40.ParseVector(vector)
		if err != nil {
			return catalog.Severity{}, fmt.Errorf("cvss %q: %w", vector, err)
		}
		score = c.Score()
	default:
		return catalog.Severity{}, fmt.Errorf("cvss %q: not a CVSS v3 or v4 vector", vector)
	}
	if math.IsNaN(score) || score < 0 || score > 10 {
		return catalog.Severity{}, fmt.Errorf("cvss %q: score out of range", vector)
	}
	score = math.Round(score*10) / 10
	return catalog.Severity{Rating: Rating(score), Score: score, Vector: vector}, nil
}

// Rating returns the qualitative rating of a CVSS score: CRITICAL from 9.0,
// HIGH from 7.0, MEDIUM from 4.0, LOW from 0.1, else NONE.
func Rating(score float64) string {
	switch {
	case score >= 9:
		return catalog.SeverityCritical
	case score >= 7:
		return catalog.SeverityHigh
	case score >= 4:
		return catalog.SeverityMedium
	case score >= 0.1:
		return catalog.SeverityLow
	}
	return catalog.SeverityNone
}
