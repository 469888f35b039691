package report

import (
	"bytes"
	"encoding/xml"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

var updateGate = flag.Bool("update", false, "rewrite the golden files with the current output")

var gateRules = []Rule{
	{ID: "license/strong-copyleft", Name: "StrongCopyleftDependency", Short: "A dependency is licensed strong copyleft",
		Help: "Replace it or request an exception.", HelpURI: "https://example.com/licensing", Level: LevelError},
	{ID: "license/unknown", Name: "UnknownDependency", Short: "A dependency has no known licence", Level: LevelWarning},
}

var gateFindings = []Finding{
	{RuleID: "license/strong-copyleft", Level: LevelError, Message: "gpl-lib@1.0.0 is licensed GPL-3.0-only", File: "package-lock.json", Line: 4},
	{RuleID: "license/unknown", Level: LevelWarning, Message: "left-pad@1.3.0 has no known licence", File: "web/package-lock.json",
		Suppressed: "exception approved by legal: reviewed"},
	{RuleID: "license/project-unknown", Level: LevelNote, Message: "no licence \x1b[31m<&>"},
}

var gateCases = []TestCase{
	{Class: "license.package-lock.json", Name: "gpl-lib@1.0.0 GPL-3.0-only", Failure: "gpl-lib@1.0.0 is licensed GPL-3.0-only",
		FailureType: "license/strong-copyleft", FailureText: "Replace it <now> & \x00then"},
	{Class: "license.package-lock.json", Name: "lodash@4.17.21 MIT"},
	{Class: "license.web/package-lock.json", Name: "left-pad@1.3.0 unknown", Output: "warning: suppressed\n"},
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *updateGate {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s (-want +got):\n%s", name, diff)
	}
}

// ValidateSARIF checks a SARIF log against the official SARIF 2.1.0 schema
// kept in testdata (from github.com/oasis-tcs/sarif-spec).
func validateSARIF(t *testing.T, data []byte) {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "sarif-schema-2.1.0.json"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	const id = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
	if err := c.AddResource(id, doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile(id)
	if err != nil {
		t.Fatal(err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if err := sch.Validate(inst); err != nil {
		t.Errorf("SARIF does not validate against the 2.1.0 schema: %v", err)
	}
}

func TestWriteSARIF(t *testing.T) {
	var b bytes.Buffer
	if err := WriteSARIF(&b, Tool{"ospo", "v0.0.0-test", "https://example.com"}, gateRules, gateFindings, "LICENSE"); err != nil {
		t.Fatal(err)
	}
	validateSARIF(t, b.Bytes())
	golden(t, "check.sarif", b.Bytes())

	b.Reset()
	if err := WriteSARIF(&b, Tool{Name: "ospo"}, nil, nil, "LICENSE"); err != nil {
		t.Fatal(err)
	}
	validateSARIF(t, b.Bytes())

	// A vulnerability: rule properties, and without a file or a fallback
	// no location at all.
	b.Reset()
	rules := []Rule{{ID: "GHSA-xxxx", Level: LevelError, Properties: map[string]any{"security-severity": "9.8", "tags": []string{"security"}}}}
	if err := WriteSARIF(&b, Tool{Name: "ospo"}, rules, []Finding{{RuleID: "GHSA-xxxx", Level: LevelError, Message: "x@1 is affected"}}, ""); err != nil {
		t.Fatal(err)
	}
	validateSARIF(t, b.Bytes())
	if s := b.String(); !strings.Contains(s, `"security-severity": "9.8"`) || strings.Contains(s, "locations") {
		t.Errorf("properties or locations wrong:\n%s", s)
	}
}

func TestWriteJUnit(t *testing.T) {
	var b bytes.Buffer
	at := time.Date(2024, 5, 3, 10, 0, 0, 0, time.UTC)
	if err := WriteJUnit(&b, "ospo check", gateCases, 1234*time.Millisecond, at); err != nil {
		t.Fatal(err)
	}
	golden(t, "check.junit.xml", b.Bytes())
	var doc struct {
		Suites []struct {
			Tests    int `xml:"tests,attr"`
			Failures int `xml:"failures,attr"`
			Cases    []struct {
				Name    string `xml:"name,attr"`
				Failure *struct {
					Message string `xml:"message,attr"`
				} `xml:"failure"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	if err := xml.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatalf("JUnit XML does not parse: %v", err)
	}
	if len(doc.Suites) != 1 || len(doc.Suites[0].Cases) != 3 || doc.Suites[0].Cases[0].Failure == nil || doc.Suites[0].Cases[1].Failure != nil {
		t.Errorf("parsed JUnit = %+v", doc)
	}
}
