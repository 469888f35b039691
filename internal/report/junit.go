package report

import (
	"encoding/xml"
	"fmt"
	"io"
	"time"
)

// FormatJUnit is JUnit XML, the test report format CI servers read.
const FormatJUnit = "junit"

// TestCase is one check of a gate, rendered as a JUnit testcase.
type TestCase struct {
	// Class groups cases (the gate and manifest: "license.package-lock.json").
	Class string
	// Name names the check ("lodash@4.17.21").
	Name string
	// Failure, when set, fails the case with this message; FailureType is
	// the rule id and FailureText the details (remediation).
	Failure, FailureType, FailureText string
	// Output is shown with a passing case (a warning, a suppressed finding).
	Output string
}

type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Time     string       `xml:"time,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name      string      `xml:"name,attr"`
	Tests     int         `xml:"tests,attr"`
	Failures  int         `xml:"failures,attr"`
	Errors    int         `xml:"errors,attr"`
	Skipped   int         `xml:"skipped,attr"`
	Time      string      `xml:"time,attr"`
	Timestamp string      `xml:"timestamp,attr,omitempty"`
	Cases     []junitCase `xml:"testcase"`
}

type junitCase struct {
	Class   string        `xml:"classname,attr"`
	Name    string        `xml:"name,attr"`
	Time    string        `xml:"time,attr"`
	Failure *junitFailure `xml:"failure,omitempty"`
	Output  string        `xml:"system-out,omitempty"`
}

type junitFailure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr,omitempty"`
	Text    string `xml:",chardata"`
}

// WriteJUnit writes cases as one JUnit testsuite named suite inside a
// testsuites element, in the layout Jenkins, GitLab and GitHub test
// reporters read. elapsed is the suite's duration; at, if not zero, its
// timestamp.
func WriteJUnit(w io.Writer, suite string, cases []TestCase, elapsed time.Duration, at time.Time) error {
	s := junitSuite{Name: suite, Tests: len(cases), Time: seconds(elapsed), Cases: make([]junitCase, 0, len(cases))}
	if !at.IsZero() {
		s.Timestamp = at.UTC().Format("2006-01-02T15:04:05")
	}
	for _, c := range cases {
		jc := junitCase{Class: Clean(c.Class), Name: Clean(c.Name), Time: "0", Output: xmlText(c.Output)}
		if c.Failure != "" {
			s.Failures++
			jc.Failure = &junitFailure{Message: Clean(c.Failure), Type: Clean(c.FailureType), Text: xmlText(c.FailureText)}
		}
		s.Cases = append(s.Cases, jc)
	}
	doc := junitSuites{Name: suite, Tests: s.Tests, Failures: s.Failures, Time: s.Time, Suites: []junitSuite{s}}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

func seconds(d time.Duration) string { return fmt.Sprintf("%.3f", d.Seconds()) }

// xmlText drops the characters XML 1.0 cannot hold (control characters
// other than tab and newline), which encoding/xml would escape into
// character references that XML parsers then reject.
func xmlText(s string) string {
	out := []rune{}
	for _, r := range s {
		if r == '\t' || r == '\n' || r == '\r' || r >= 0x20 && r != 0xFFFE && r != 0xFFFF {
			out = append(out, r)
		}
	}
	return string(out)
}
