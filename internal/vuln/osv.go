// Package vuln reads OSV advisories (osv.dev exports: zip files per
// ecosystem, directories of JSON, single files), scores their severity from
// CVSS vectors, and matches them against a project's dependencies with each
// ecosystem's version rules. It is an analysis: it takes and returns values
// and imports no store.
package vuln

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/osv-scalibr/semantic"

	"github.com/ospo-project/ospo/internal/catalog"
)

// MaxRecordSize is the largest OSV record read; bigger ones are skipped.
const MaxRecordSize = 4 << 20

// Record is an OSV record (schema 1.x) as far as ospo uses it.
type Record struct {
	SchemaVersion string          `json:"schema_version"`
	ID            string          `json:"id"`
	Modified      time.Time       `json:"modified"`
	Published     time.Time       `json:"published"`
	Withdrawn     time.Time       `json:"withdrawn"`
	Aliases       []string        `json:"aliases"`
	Related       []string        `json:"related"`
	Summary       string          `json:"summary"`
	Details       string          `json:"details"`
	Severity      []SeverityScore `json:"severity"`
	Affected      []Affected      `json:"affected"`
	// DatabaseSpecific may hold {"severity": "HIGH"} (GitHub advisories).
	DatabaseSpecific json.RawMessage `json:"database_specific"`
}

// SeverityScore is one entry of an OSV severity list.
type SeverityScore struct {
	// Type is CVSS_V2, CVSS_V3, CVSS_V4, Ubuntu…
	Type  string `json:"type"`
	Score string `json:"score"`
}

// Affected is one affected package of a record with its versions.
type Affected struct {
	Package           Package         `json:"package"`
	Severity          []SeverityScore `json:"severity"`
	Ranges            []Range         `json:"ranges"`
	Versions          []string        `json:"versions"`
	EcosystemSpecific json.RawMessage `json:"ecosystem_specific"`
	DatabaseSpecific  json.RawMessage `json:"database_specific"`
}

// Package names an affected package.
type Package struct {
	Ecosystem string `json:"ecosystem"`
	Name      string `json:"name"`
	PURL      string `json:"purl"`
}

// Range is a list of events over one version ordering.
type Range struct {
	// Type is SEMVER, ECOSYSTEM or GIT.
	Type   string  `json:"type"`
	Repo   string  `json:"repo"`
	Events []Event `json:"events"`
}

// Event is one event of a range; exactly one field is set.
type Event struct {
	Introduced   string `json:"introduced,omitempty"`
	Fixed        string `json:"fixed,omitempty"`
	LastAffected string `json:"last_affected,omitempty"`
	Limit        string `json:"limit,omitempty"`
}

// Range types.
const (
	RangeSemver    = "SEMVER"
	RangeEcosystem = "ECOSYSTEM"
	RangeGit       = "GIT"
)

// Reasons a record or part of one is skipped or changed, counted in a Report.
const (
	ReasonTooLarge       = "record larger than 4 MiB"
	ReasonMalformed      = "malformed JSON"
	ReasonNoID           = "no id"
	ReasonUnknownEco     = "unknown ecosystem"
	ReasonUnparsable     = "unparsable version in range"
	ReasonGitRange       = "GIT range ignored (commit ranges are not matched)"
	ReasonNoPackages     = "no affected package ospo can match"
	ReasonBadZip         = "corrupt zip"
	ReasonZipLimit       = "zip over its limits (entries, size or ratio)"
	ReasonUnreadable     = "unreadable file"
	ReasonDuplicate      = "duplicate id in one import"
	ReasonUnknownRange   = "unknown range type"
	ReasonBadEventsOrder = "range without introduced event"
)

// Parse decodes and checks one OSV record. It returns an error (wrapping
// one of the Reason texts) when the record cannot be used at all; parts of
// a record that cannot be used (an affected package of an unknown
// ecosystem, a range with a version its ecosystem cannot parse, a GIT
// range) are removed, and the reasons returned as notes.
func Parse(data []byte) (*Record, []string, error) {
	if len(data) > MaxRecordSize {
		return nil, nil, errors.New(ReasonTooLarge)
	}
	var r Record
	if err := json.Unmarshal(data, &r); err != nil {
		return nil, nil, fmt.Errorf("%s: %w", ReasonMalformed, err)
	}
	// The golang.org/x/vulndb repository leaves modified and published
	// unset (0001-01-01) and lets its publisher fill them in: such a record
	// is kept with zero times, and the store tells versions apart by content.
	for _, t := range []*time.Time{&r.Modified, &r.Published, &r.Withdrawn} {
		if t.Year() <= 1 {
			*t = time.Time{}
		}
	}
	if strings.TrimSpace(r.ID) == "" {
		return nil, nil, errors.New(ReasonNoID)
	}
	if !r.Withdrawn.IsZero() {
		return &r, nil, nil
	}
	var notes []string
	kept := r.Affected[:0]
	for _, a := range r.Affected {
		eco := Ecosystem(a.Package.Ecosystem)
		if eco == "" || a.Package.Name == "" {
			notes = append(notes, ReasonUnknownEco)
			continue
		}
		a.Package.Ecosystem = eco
		ranges := a.Ranges[:0]
		for _, rg := range a.Ranges {
			switch rg.Type {
			case RangeGit:
				notes = append(notes, ReasonGitRange)
				continue
			case RangeSemver, RangeEcosystem:
			default:
				notes = append(notes, ReasonUnknownRange)
				continue
			}
			if err := checkRange(eco, rg); err != "" {
				notes = append(notes, err)
				continue
			}
			ranges = append(ranges, rg)
		}
		a.Ranges = ranges
		if len(a.Ranges) == 0 && len(a.Versions) == 0 {
			continue
		}
		kept = append(kept, a)
	}
	r.Affected = kept
	if len(r.Affected) == 0 {
		if len(notes) > 0 {
			return nil, notes, errors.New(notes[0])
		}
		return nil, notes, errors.New(ReasonNoPackages)
	}
	return &r, notes, nil
}

// checkRange returns a reason when rg cannot be evaluated, "" when it can.
func checkRange(eco string, rg Range) string {
	intro := false
	for _, e := range rg.Events {
		v, kind := e.version()
		if kind == "" {
			return ReasonUnparsable
		}
		if kind == "introduced" {
			intro = true
			if v == "0" {
				continue
			}
		}
		if _, err := parseVersion(eco, v); err != nil {
			return ReasonUnparsable
		}
	}
	if !intro {
		return ReasonBadEventsOrder
	}
	return ""
}

// version returns the event's version and which kind of event it is; kind
// is "" for an event with no version or more than one.
func (e Event) version() (v, kind string) {
	n := 0
	for _, f := range []struct{ v, k string }{
		{e.Introduced, "introduced"}, {e.Fixed, "fixed"}, {e.LastAffected, "last_affected"}, {e.Limit, "limit"},
	} {
		if f.v != "" {
			v, kind = f.v, f.k
			n++
		}
	}
	if n != 1 {
		return "", ""
	}
	return v, kind
}

// parseVersion parses v by the rules of eco (a canonical ecosystem name).
// Versions made only of separators or with control characters are refused
// even where the ordering would accept any string.
func parseVersion(eco, v string) (semantic.Version, error) {
	v = strings.TrimSpace(v)
	if v == "" || strings.IndexFunc(v, func(r rune) bool { return r < 0x20 || r == 0x7f }) >= 0 {
		return nil, fmt.Errorf("bad version %q", v)
	}
	if strings.Trim(v, ".-_+ ") == "" {
		return nil, fmt.Errorf("bad version %q", v)
	}
	return semantic.Parse(v, eco)
}

// ecosystems maps lowercased OSV ecosystem names to the spelling the
// semantic package orders.
var ecosystems = func() map[string]string {
	m := map[string]string{}
	for _, e := range []string{
		"AlmaLinux", "Alpaquita", "Alpine", "BellSoft Hardened Containers", "Bitnami",
		"Bioconductor", "Chainguard", "ConanCenter", "CRAN", "crates.io", "Debian",
		"Docker Hardened Images", "GHC", "Go", "Hackage", "Hex", "Julia", "Mageia", "Maven",
		"MinimOS", "npm", "NuGet", "openEuler", "openSUSE", "Packagist", "Pub", "PyPI",
		"Red Hat", "Rocky Linux", "RubyGems", "SUSE", "SwiftURL", "Ubuntu", "Wolfi",
	} {
		m[strings.ToLower(e)] = e
	}
	return m
}()

// Ecosystem returns the canonical spelling of an OSV ecosystem whose
// versions ospo can order, keeping a release suffix ("Debian:11"), or ""
// for an unknown ecosystem.
func Ecosystem(eco string) string {
	base, suffix, hasSuffix := strings.Cut(strings.TrimSpace(eco), ":")
	c, ok := ecosystems[strings.ToLower(base)]
	if !ok {
		return ""
	}
	if hasSuffix {
		return c + ":" + suffix
	}
	return c
}

// Catalog returns the storable form of r, keeping raw (compacted) as its record.
func (r *Record) Catalog(raw []byte) catalog.Advisory {
	a := catalog.Advisory{
		ID:        r.ID,
		Aliases:   uniqueIDs(r.ID, r.Aliases),
		Related:   uniqueIDs(r.ID, r.Related),
		Summary:   r.summary(),
		Modified:  r.Modified.UTC(),
		Published: r.Published.UTC(),
		Withdrawn: r.Withdrawn.UTC(),
		Severity:  r.Sev(),
	}
	if r.Published.IsZero() {
		a.Published = time.Time{}
	}
	if r.Withdrawn.IsZero() {
		a.Withdrawn = time.Time{}
	}
	seen := map[catalog.PackageRef]bool{}
	for _, af := range r.Affected {
		p := catalog.PackageRef{Ecosystem: af.Package.Ecosystem, Name: af.Package.Name}
		if !seen[p] {
			seen[p] = true
			a.Packages = append(a.Packages, p)
		}
	}
	var b bytes.Buffer
	if json.Compact(&b, raw) == nil {
		a.Raw = b.Bytes()
	} else {
		a.Raw = raw
	}
	return a
}

// uniqueIDs returns ids without blanks, repeats and self (real records
// repeat aliases).
func uniqueIDs(self string, ids []string) []string {
	var out []string
	seen := map[string]bool{strings.ToLower(self): true}
	for _, id := range ids {
		id = strings.TrimSpace(id)
		if id != "" && !seen[strings.ToLower(id)] {
			seen[strings.ToLower(id)] = true
			out = append(out, id)
		}
	}
	return out
}

// summary is the record's summary, or the first line of its details.
func (r *Record) summary() string {
	if s := strings.TrimSpace(r.Summary); s != "" {
		return s
	}
	d, _, _ := strings.Cut(strings.TrimSpace(r.Details), "\n")
	if len(d) > 200 {
		d = d[:200] + "…"
	}
	return d
}

// Sev returns the record's severity: the highest CVSS base score among
// its severity lists (record and affected packages), else the rating that
// database_specific or ecosystem_specific give.
func (r *Record) Sev() catalog.Severity {
	var best catalog.Severity
	found := false
	consider := func(ss []SeverityScore) {
		for _, s := range ss {
			sev, err := CVSS(s.Score)
			if err != nil {
				continue
			}
			if !found || sev.Score > best.Score {
				best, found = sev, true
			}
		}
	}
	consider(r.Severity)
	for _, a := range r.Affected {
		consider(a.Severity)
	}
	if found {
		return best
	}
	rating := ratingOf(r.DatabaseSpecific)
	for _, a := range r.Affected {
		for _, raw := range []json.RawMessage{a.DatabaseSpecific, a.EcosystemSpecific} {
			if x := ratingOf(raw); catalog.SeverityRank(x) > catalog.SeverityRank(rating) {
				rating = x
			}
		}
	}
	return catalog.Severity{Rating: rating}
}

// ratingOf reads {"severity": "HIGH"} from a database_specific or
// ecosystem_specific object; MODERATE becomes MEDIUM.
func ratingOf(raw json.RawMessage) string {
	if len(raw) == 0 {
		return ""
	}
	var v struct {
		Severity any `json:"severity"`
	}
	if json.Unmarshal(raw, &v) != nil {
		return ""
	}
	s, _ := v.Severity.(string)
	s = strings.ToUpper(strings.TrimSpace(s))
	switch s {
	case "MODERATE":
		return catalog.SeverityMedium
	case catalog.SeverityCritical, catalog.SeverityHigh, catalog.SeverityMedium, catalog.SeverityLow:
		return s
	}
	return ""
}

// CompareVersions compares versions a and b in the ordering of ecosystem
// eco (an OSV ecosystem name, any case): the sign of a − b. It fails for an
// ecosystem without a known ordering or a version that does not parse.
func CompareVersions(eco, a, b string) (int, error) {
	e := Ecosystem(eco)
	if e == "" {
		return 0, fmt.Errorf("no version ordering for ecosystem %q", eco)
	}
	va, err := parseVersion(e, a)
	if err != nil {
		return 0, err
	}
	if _, err := parseVersion(e, b); err != nil {
		return 0, err
	}
	return va.CompareStr(strings.TrimSpace(b))
}
