package report

import "io"

// FormatSARIF is SARIF 2.1.0 JSON, for code scanning dashboards.
const FormatSARIF = "sarif"

// SARIF is a SARIF 2.1.0 log with one run, as much of the format as ospo
// writes.
type SARIF struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []SARIFRun `json:"runs"`
}

// SARIFRun is one tool run.
type SARIFRun struct {
	Tool    SARIFTool     `json:"tool"`
	Results []SARIFResult `json:"results"`
}

// SARIFTool names the tool and its rules.
type SARIFTool struct {
	Driver SARIFDriver `json:"driver"`
}

// SARIFDriver is the tool component that produced the results.
type SARIFDriver struct {
	Name           string      `json:"name"`
	Version        string      `json:"version,omitempty"`
	InformationURI string      `json:"informationUri,omitempty"`
	Rules          []SARIFRule `json:"rules"`
}

// SARIFRule is one rule: for vulnerabilities, one advisory.
type SARIFRule struct {
	ID               string         `json:"id"`
	Name             string         `json:"name,omitempty"`
	ShortDescription *SARIFMessage  `json:"shortDescription,omitempty"`
	FullDescription  *SARIFMessage  `json:"fullDescription,omitempty"`
	HelpURI          string         `json:"helpUri,omitempty"`
	Properties       map[string]any `json:"properties,omitempty"`
}

// SARIFMessage is a plain-text message.
type SARIFMessage struct {
	Text string `json:"text"`
}

// SARIFResult is one finding.
type SARIFResult struct {
	RuleID       string             `json:"ruleId"`
	Level        string             `json:"level"`
	Message      SARIFMessage       `json:"message"`
	Locations    []SARIFLocation    `json:"locations,omitempty"`
	Suppressions []SARIFSuppression `json:"suppressions,omitempty"`
}

// SARIFLocation is where a result is.
type SARIFLocation struct {
	PhysicalLocation SARIFPhysical `json:"physicalLocation"`
}

// SARIFPhysical is a file location.
type SARIFPhysical struct {
	ArtifactLocation SARIFArtifact `json:"artifactLocation"`
}

// SARIFArtifact names a file relative to the repository root.
type SARIFArtifact struct {
	URI string `json:"uri"`
}

// SARIFSuppression records that a result was accepted.
type SARIFSuppression struct {
	Kind          string `json:"kind"`
	Justification string `json:"justification,omitempty"`
}

// NewSARIF returns a log with one run of the named tool.
func NewSARIF(tool, version, uri string) *SARIF {
	return &SARIF{
		Schema:  "https://json.schemastore.org/sarif-2.1.0.json",
		Version: "2.1.0",
		Runs: []SARIFRun{{
			Tool:    SARIFTool{Driver: SARIFDriver{Name: tool, Version: version, InformationURI: uri, Rules: []SARIFRule{}}},
			Results: []SARIFResult{},
		}},
	}
}

// Write writes the log as indented JSON.
func (s *SARIF) Write(w io.Writer) error { return JSON(w, s) }
