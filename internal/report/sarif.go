package report

import (
	"io"
	"sort"
)

// FormatSARIF is SARIF 2.1.0 JSON, for code scanning dashboards.
const FormatSARIF = "sarif"

// Tool names the program that wrote a report.
type Tool struct {
	Name, Version string
	// URI is where to read about it.
	URI string
}

// Rule describes a rule a gate applies, for SARIF tool metadata. It is the
// one model of a rule that check, vulns and score render.
type Rule struct {
	ID string
	// Name is a short CamelCase name ("StrongCopyleftDependency").
	Name string
	// Short is a one-line description; Help the longer text shown with each
	// result (what to do).
	Short, Help string
	HelpURI     string
	// Level is the default level: error, warning or note ("" for none).
	Level string
	// Properties are SARIF rule properties ("security-severity", "tags").
	Properties map[string]any
}

// Finding is one result of a gate, in a form SARIF and JUnit both render.
type Finding struct {
	RuleID string
	// Level is error (a violation: fails the gate), warning or note.
	Level   string
	Message string
	// File is the repository-relative path the finding is about, Line its
	// 1-based line (0 when unknown).
	File string
	Line int
	// Suppressed, when set, is the justification of an accepted finding.
	Suppressed string
}

// SARIF levels.
const (
	LevelError   = "error"
	LevelWarning = "warning"
	LevelNote    = "note"
)

// The types below render the subset of SARIF 2.1.0 that gates write, with
// regions and rule help (which code-scanning uploads show).
type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool    sarifTool     `json:"tool"`
	Results []sarifResult `json:"results"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	Version        string      `json:"version,omitempty"`
	InformationURI string      `json:"informationUri,omitempty"`
	Rules          []sarifRule `json:"rules"`
}

type sarifRule struct {
	ID                   string         `json:"id"`
	Name                 string         `json:"name,omitempty"`
	ShortDescription     sarifText      `json:"shortDescription"`
	FullDescription      sarifText      `json:"fullDescription"`
	Help                 sarifText      `json:"help"`
	HelpURI              string         `json:"helpUri,omitempty"`
	DefaultConfiguration *sarifDefault  `json:"defaultConfiguration,omitempty"`
	Properties           map[string]any `json:"properties,omitempty"`
}

type sarifDefault struct {
	Level string `json:"level"`
}

type sarifText struct {
	Text string `json:"text"`
}

type sarifResult struct {
	RuleID       string             `json:"ruleId"`
	RuleIndex    int                `json:"ruleIndex"`
	Level        string             `json:"level"`
	Message      sarifText          `json:"message"`
	Locations    []sarifLocation    `json:"locations,omitempty"`
	Suppressions []sarifSuppression `json:"suppressions,omitempty"`
}

type sarifLocation struct {
	PhysicalLocation sarifPhysical `json:"physicalLocation"`
}

type sarifPhysical struct {
	ArtifactLocation sarifArtifact `json:"artifactLocation"`
	Region           *sarifRegion  `json:"region,omitempty"`
}

type sarifArtifact struct {
	URI       string `json:"uri"`
	URIBaseID string `json:"uriBaseId,omitempty"`
}

type sarifRegion struct {
	StartLine int `json:"startLine"`
}

type sarifSuppression struct {
	Kind          string `json:"kind"`
	Justification string `json:"justification,omitempty"`
}

// WriteSARIF writes findings as a SARIF 2.1.0 log with one run of tool.
// Every finding's rule must be among rules (ones that are not get a bare
// rule). A finding without a file is located at fallbackFile (e.g. the
// repository's LICENSE or README.md), since code scanning wants a location
// for every result; with fallbackFile "" such a finding has no location.
// It is the one SARIF writer: check, vulns and score use it.
func WriteSARIF(w io.Writer, tool Tool, rules []Rule, findings []Finding, fallbackFile string) error {
	index := map[string]int{}
	var sr []sarifRule
	addRule := func(r Rule) {
		if _, ok := index[r.ID]; ok {
			return
		}
		index[r.ID] = len(sr)
		short := r.Short
		if short == "" {
			short = r.ID
		}
		help := r.Help
		if help == "" {
			help = short
		}
		rule := sarifRule{ID: r.ID, Name: r.Name, ShortDescription: sarifText{short}, FullDescription: sarifText{short},
			Help: sarifText{help}, HelpURI: r.HelpURI, Properties: r.Properties}
		if r.Level != "" {
			rule.DefaultConfiguration = &sarifDefault{Level: r.Level}
		}
		sr = append(sr, rule)
	}
	sorted := append([]Rule(nil), rules...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].ID < sorted[j].ID })
	for _, r := range sorted {
		addRule(r)
	}
	results := make([]sarifResult, 0, len(findings))
	for _, f := range findings {
		addRule(Rule{ID: f.RuleID})
		file := f.File
		if file == "" {
			file = fallbackFile
		}
		res := sarifResult{RuleID: f.RuleID, RuleIndex: index[f.RuleID], Level: f.Level, Message: sarifText{f.Message}}
		if file != "" {
			loc := sarifPhysical{ArtifactLocation: sarifArtifact{URI: file, URIBaseID: "%SRCROOT%"}}
			line := f.Line
			if line <= 0 {
				line = 1
			}
			loc.Region = &sarifRegion{StartLine: line}
			res.Locations = []sarifLocation{{PhysicalLocation: loc}}
		}
		if f.Suppressed != "" {
			res.Suppressions = []sarifSuppression{{Kind: "external", Justification: f.Suppressed}}
		}
		results = append(results, res)
	}
	if sr == nil {
		sr = []sarifRule{}
	}
	log := sarifLog{
		Schema:  "https://json.schemastore.org/sarif-2.1.0.json",
		Version: "2.1.0",
		Runs:    []sarifRun{{Tool: sarifTool{Driver: sarifDriver{Name: tool.Name, Version: tool.Version, InformationURI: tool.URI, Rules: sr}}, Results: results}},
	}
	return JSON(w, log)
}
