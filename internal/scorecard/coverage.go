package scorecard

import (
	"bufio"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// MaxCoverageSize caps the coverage report read.
const MaxCoverageSize = 64 << 20

// CoverageFiles are the repository paths where a coverage report is looked for.
var CoverageFiles = []string{"coverage.out", "cover.out", "coverage.txt", "lcov.info", "coverage/lcov.info",
	"coverage.xml", "cobertura.xml", "coverage/cobertura-coverage.xml", "target/site/jacoco/jacoco.xml", "jacoco.xml"}

// ParseCoverage reads a Go cover profile, an LCOV tracefile, a Cobertura
// XML or a JaCoCo XML report (recognised by content) and returns the line
// (for Go: statement) coverage percentage.
func ParseCoverage(r io.Reader) (float64, error) {
	b, err := io.ReadAll(io.LimitReader(r, MaxCoverageSize+1))
	if err != nil {
		return 0, err
	}
	if len(b) > MaxCoverageSize {
		return 0, fmt.Errorf("coverage report larger than %d bytes", MaxCoverageSize)
	}
	t := bytes.TrimSpace(b)
	switch {
	case bytes.HasPrefix(t, []byte("mode:")):
		return goCover(t)
	case bytes.HasPrefix(t, []byte("<")):
		return xmlCover(t)
	case bytes.Contains(t, []byte("SF:")) || bytes.HasPrefix(t, []byte("TN:")):
		return lcov(t)
	}
	return 0, errors.New("unknown coverage format (want a Go cover profile, LCOV, Cobertura or JaCoCo XML)")
}

func pct(covered, total float64) (float64, error) {
	if total <= 0 || math.IsNaN(total) || math.IsInf(total, 0) {
		return 0, errors.New("coverage report covers no lines")
	}
	if covered < 0 || covered > total || math.IsNaN(covered) {
		return 0, fmt.Errorf("coverage report says %g of %g lines are covered", covered, total)
	}
	return 100 * covered / total, nil
}

// goCover: "file:1.2,3.4 numStmt count", blocks may repeat (merged profiles).
func goCover(b []byte) (float64, error) {
	type blk struct{ stmts, hit int }
	blocks := map[string]*blk{}
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	sc.Scan() // mode line
	for n := 2; sc.Scan(); n++ {
		f := strings.Fields(sc.Text())
		if len(f) == 0 {
			continue
		}
		if len(f) != 3 {
			return 0, fmt.Errorf("cover profile line %d: want 3 fields", n)
		}
		st, err1 := strconv.Atoi(f[1])
		c, err2 := strconv.Atoi(f[2])
		if err1 != nil || err2 != nil || st < 0 || c < 0 {
			return 0, fmt.Errorf("cover profile line %d: bad numbers", n)
		}
		k := blocks[f[0]]
		if k == nil {
			k = &blk{stmts: st}
			blocks[f[0]] = k
		}
		k.hit += c
	}
	if err := sc.Err(); err != nil {
		return 0, err
	}
	var total, cov float64
	for _, k := range blocks {
		total += float64(k.stmts)
		if k.hit > 0 {
			cov += float64(k.stmts)
		}
	}
	return pct(cov, total)
}

// lcov sums LH (lines hit) and LF (lines found) records.
func lcov(b []byte) (float64, error) {
	var lf, lh float64
	for _, line := range strings.Split(string(b), "\n") {
		line = strings.TrimSpace(line)
		if v, ok := strings.CutPrefix(line, "LF:"); ok {
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 {
				return 0, fmt.Errorf("lcov: bad LF %q", v)
			}
			lf += float64(n)
		} else if v, ok := strings.CutPrefix(line, "LH:"); ok {
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 {
				return 0, fmt.Errorf("lcov: bad LH %q", v)
			}
			lh += float64(n)
		}
	}
	return pct(lh, lf)
}

// xmlCover reads the root element: Cobertura's <coverage lines-covered
// lines-valid line-rate> or JaCoCo's <report> with LINE counters.
func xmlCover(b []byte) (float64, error) {
	dec := xml.NewDecoder(bytes.NewReader(b))
	dec.Strict = false
	dec.Entity = xml.HTMLEntity
	depth := 0
	for {
		tok, err := dec.Token()
		if err != nil {
			return 0, fmt.Errorf("coverage xml: %w", err)
		}
		switch e := tok.(type) {
		case xml.StartElement:
			depth++
			attr := func(n string) string {
				for _, a := range e.Attr {
					if a.Name.Local == n {
						return a.Value
					}
				}
				return ""
			}
			switch {
			case depth == 1 && e.Name.Local == "coverage": // Cobertura
				c, err1 := strconv.ParseFloat(attr("lines-covered"), 64)
				v, err2 := strconv.ParseFloat(attr("lines-valid"), 64)
				if err1 == nil && err2 == nil {
					return pct(c, v)
				}
				r, err := strconv.ParseFloat(attr("line-rate"), 64)
				if err != nil || !(r >= 0 && r <= 1) {
					return 0, errors.New("cobertura: no lines-covered/lines-valid or line-rate")
				}
				return 100 * r, nil
			case depth == 1 && e.Name.Local != "report":
				return 0, fmt.Errorf("coverage xml: unknown root <%s>", e.Name.Local)
			case depth == 2 && e.Name.Local == "counter" && attr("type") == "LINE": // JaCoCo report totals
				m, err1 := strconv.ParseFloat(attr("missed"), 64)
				c, err2 := strconv.ParseFloat(attr("covered"), 64)
				if err1 != nil || err2 != nil || m < 0 || c < 0 {
					return 0, errors.New("jacoco: bad LINE counter")
				}
				return pct(c, c+m)
			}
		case xml.EndElement:
			depth--
			if depth == 0 {
				return 0, errors.New("jacoco: no report-level LINE counter")
			}
		}
	}
}
