package govern

import (
	"fmt"
	"slices"
	"strings"

	"github.com/ospo-project/ospo/internal/analyze"
	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/governance"
	"github.com/ospo-project/ospo/internal/namecheck"
	"github.com/ospo-project/ospo/internal/secrets"
)

// Thresholds are the limits the automatic items check against
// (governance.checks of ospo.yaml).
type Thresholds struct {
	// VulnSeverity: a known vulnerability of this rating or worse fails
	// the vulnerabilities item (default HIGH).
	VulnSeverity string `yaml:"vuln_severity" json:"vuln_severity,omitempty"`
	// MinScore: the scorecard must reach it (default 5.0).
	MinScore float64 `yaml:"min_score" json:"min_score,omitempty"`
	// HeadersRequired: a source file without a licence notice fails the
	// licence-headers item (by default it is a warning).
	HeadersRequired bool `yaml:"headers_required" json:"headers_required,omitempty"`
}

func (t Thresholds) withDefaults() Thresholds {
	if t.VulnSeverity == "" {
		t.VulnSeverity = catalog.SeverityHigh
	}
	if t.MinScore == 0 {
		t.MinScore = 5
	}
	return t
}

// Evidence is what the automatic items are answered from: the pipeline's
// result at one commit and the secrets scan of the history reachable from
// it. Secrets is nil when no scan ran (the items are then not checked).
type Evidence struct {
	Commit  string
	Result  *analyze.Result
	Secrets []secrets.Finding
	// SecretsScanned reports that the scan ran (Secrets may be empty).
	SecretsScanned bool
	// Commits counts the commits the secrets scan read.
	Commits int
	// AdvisoriesKnown reports that advisories were imported, so that no
	// vulnerability means none is known rather than none was looked for.
	AdvisoriesKnown bool
	// Names are the registries' answers for the project's package names;
	// NamesChecked reports that they were asked (online).
	Names        []namecheck.Answer
	NamesChecked bool
}

// cryptoPackages are package-name fragments of cryptography libraries:
// their use matters for export control (a dependency inventory answer,
// not a legal one; a reviewer confirms).
var cryptoPackages = []string{
	"crypto", "openssl", "bouncycastle", "bcprov", "libsodium", "sodium", "nacl", "tink", "jose", "jwt",
	"boringssl", "wolfssl", "mbedtls", "gnutls", "pyca", "cryptography", "tls", "x509", "pgp", "gpg",
}

func isCrypto(name string) bool {
	n := strings.ToLower(name)
	for _, c := range cryptoPackages {
		if strings.Contains(n, c) {
			return true
		}
	}
	return false
}

const maxEvidence = 20

func capped(ev []string) []string {
	if len(ev) > maxEvidence {
		return append(ev[:maxEvidence:maxEvidence], fmt.Sprintf("… and %d more", len(ev)-maxEvidence))
	}
	return ev
}

// AutoItems answers the automatic checklist items from e under th. It is a
// pure function of its values: the same evidence gives the same items, so
// re-evaluating at a new commit and comparing (governance.Changed) tells
// whether anything changed.
func AutoItems(e Evidence, th Thresholds) []governance.Item {
	th = th.withDefaults()
	p := e.Result.Project
	item := func(id, title string) governance.Item {
		return governance.Item{ID: id, Title: title, Auto: true, Commit: e.Commit}
	}
	has := func(kind string) []string {
		var out []string
		for _, f := range p.Files {
			if f.Kind == kind {
				out = append(out, f.Path)
			}
		}
		return out
	}
	var items []governance.Item

	// The project's own licence, and the policy's verdict on it.
	it := item(governance.ItemLicense, "Licence present and on the approved list")
	switch {
	case p.License == nil || p.License.Expression == "" || p.License.Expression == catalog.LicenseUnknown:
		it.Status, it.Value = governance.Fail, "none found"
	default:
		it.Value = p.License.Expression
		for _, ev := range p.License.Evidence {
			it.Evidence = append(it.Evidence, ev.File)
		}
		it.Status = governance.Pass
		for _, f := range e.Result.Licenses.Findings {
			if f.PURL == "" && f.SuppressedBy == "" && f.Severity == catalog.SeverityViolation {
				it.Status = governance.Fail
				it.Evidence = append(it.Evidence, f.Message)
			}
		}
	}
	items = append(items, it)

	items = append(items, headerItem(item(governance.ItemLicenseHeaders, "Licence notice in the head of each source file"), p.License, th))

	it = item(governance.ItemNotice, "NOTICE file (ospo notice generates one)")
	if n := slices.ContainsFunc(p.Files, func(f catalog.FileFact) bool {
		return strings.HasPrefix(strings.ToUpper(f.Path), "NOTICE")
	}); n {
		it.Status, it.Value = governance.Pass, "present"
	} else {
		it.Status, it.Value = governance.Warn, "missing: run ospo notice"
	}
	items = append(items, it)

	it = item(governance.ItemDepLicenses, "Dependency licences within policy")
	var bad []string
	for _, f := range e.Result.Licenses.Findings {
		if f.PURL != "" && f.SuppressedBy == "" && f.Severity == catalog.SeverityViolation {
			bad = append(bad, f.PURL+": "+f.License)
		}
	}
	if len(bad) == 0 {
		it.Status, it.Value = governance.Pass, fmt.Sprintf("%d dependencies, no violation", len(e.Result.Licenses.Licenses))
	} else {
		it.Status, it.Value, it.Evidence = governance.Fail, fmt.Sprintf("%d violations", len(bad)), capped(bad)
	}
	items = append(items, it)

	it = item(governance.ItemVulns, "No known vulnerability at "+th.VulnSeverity+" or above")
	bad = nil
	for _, f := range e.Result.Vulnerabilities {
		if !f.Suppressed && catalog.SeverityRank(f.Severity.Rating) >= catalog.SeverityRank(th.VulnSeverity) {
			bad = append(bad, f.AdvisoryID+" "+f.Package+"@"+f.Version)
		}
	}
	switch {
	case !e.AdvisoriesKnown:
		it.Status, it.Value = governance.NotChecked, "no advisories imported (ospo advisories import)"
	case len(bad) == 0:
		it.Status, it.Value = governance.Pass, "none"
	default:
		it.Status, it.Value, it.Evidence = governance.Fail, fmt.Sprintf("%d vulnerabilities", len(bad)), capped(bad)
	}
	items = append(items, it)

	var secretEv, internalEv []string
	for _, f := range e.Secrets {
		switch f.RuleID {
		case secrets.RuleInternalHost, secrets.RuleInternalEmail, secrets.RuleBlockedLiteral:
			internalEv = append(internalEv, f.String())
		default:
			secretEv = append(secretEv, f.String())
		}
	}
	it = item(governance.ItemSecrets, "Secrets scan of the whole history")
	it2 := item(governance.ItemInternalRefs, "No internal references (host names, e-mail domains, code names) in code and history")
	switch {
	case !e.SecretsScanned:
		it.Status, it.Value = governance.NotChecked, "not scanned"
		it2.Status, it2.Value = governance.NotChecked, "not scanned"
	default:
		// The value names what was found, not how many commits were read
		// (a new commit must not count as a changed result); that is evidence.
		it.Status, it.Value = governance.Pass, "none found"
		it.Evidence = []string{fmt.Sprintf("%d commits scanned, every one reachable from %s", e.Commits, short(e.Commit))}
		if len(secretEv) > 0 {
			it.Status, it.Value = governance.Fail, fmt.Sprintf("%d findings", len(secretEv))
			it.Evidence = append(it.Evidence, capped(secretEv)...)
		}
		it2.Status, it2.Value = governance.Pass, "none found"
		if len(internalEv) > 0 {
			it2.Status, it2.Value, it2.Evidence = governance.Fail, fmt.Sprintf("%d findings", len(internalEv)), capped(internalEv)
		}
	}
	items = append(items, it, it2)

	it = item(governance.ItemOwners, "Owners named")
	for _, o := range p.Owners {
		it.Evidence = append(it.Evidence, o.Owner+" ("+o.Path+")")
	}
	if len(p.Owners) > 0 {
		it.Status, it.Value = governance.Pass, fmt.Sprintf("%d owners", len(p.Owners))
	} else {
		it.Status, it.Value = governance.Fail, "none (CODEOWNERS or catalog-info.yaml)"
	}
	items = append(items, it)

	for _, f := range []struct{ id, title, kind string }{
		{governance.ItemSecurityMD, "SECURITY.md (how to report a vulnerability)", catalog.FileSecurity},
		{governance.ItemContributing, "CONTRIBUTING", catalog.FileContributing},
		{governance.ItemCodeOfConduct, "CODE_OF_CONDUCT", catalog.FileCodeOfConduct},
	} {
		it = item(f.id, f.title)
		if paths := has(f.kind); len(paths) > 0 {
			it.Status, it.Value, it.Evidence = governance.Pass, "present", paths
		} else {
			it.Status, it.Value = governance.Fail, "missing"
		}
		items = append(items, it)
	}

	it = item(governance.ItemScorecard, fmt.Sprintf("Scorecard at least %.1f", th.MinScore))
	switch {
	case e.Result.Scorecard == nil || e.Result.Scorecard.Score < 0:
		it.Status, it.Value = governance.NotChecked, "no score"
	default:
		// The score itself is evidence: it moves with every commit, and
		// only crossing the minimum is a changed result.
		it.Evidence = []string{fmt.Sprintf("score %.1f", e.Result.Scorecard.Score)}
		it.Status, it.Value = governance.Pass, fmt.Sprintf("%.1f or more", th.MinScore)
		if e.Result.Scorecard.Score < th.MinScore {
			it.Status, it.Value = governance.Fail, fmt.Sprintf("below %.1f", th.MinScore)
		}
	}
	items = append(items, it)

	it = item(governance.ItemCryptography, "Cryptography (export control), from the dependency inventory")
	var crypto []string
	for _, d := range p.Dependencies {
		if isCrypto(d.Name) && !slices.Contains(crypto, d.Name) {
			crypto = append(crypto, d.Name)
		}
	}
	if len(crypto) == 0 {
		it.Status, it.Value = governance.Pass, "none"
	} else {
		it.Status, it.Value, it.Evidence = governance.Warn, fmt.Sprintf("%d libraries", len(crypto)), capped(crypto)
	}
	items = append(items, it)

	items = append(items, namesItem(item(governance.ItemRegistryNames, "Package names free on the public registries"), e))
	return items
}

// namesItem answers the registry-names item: a name taken fails it; a
// name whose registry could not be asked leaves it not checked.
func namesItem(it governance.Item, e Evidence) governance.Item {
	if !e.NamesChecked {
		it.Status, it.Value = governance.NotChecked, "not checked (offline)"
		return it
	}
	var taken, unchecked, free []string
	for _, a := range e.Names {
		what := a.Ecosystem + " " + a.Name + " (" + a.Manifest + ")"
		switch a.State {
		case namecheck.Taken:
			taken = append(taken, what+": taken, "+a.URL)
		case namecheck.Free:
			free = append(free, what+": free")
		default:
			unchecked = append(unchecked, what+": not checked, "+a.Reason)
		}
	}
	switch {
	case len(e.Names) == 0:
		it.Status, it.Value, it.Evidence = governance.Pass, "every name free", []string{"no package names in the root manifests"}
	case len(taken) > 0:
		it.Status, it.Value = governance.Fail, "names taken"
	case len(unchecked) > 0:
		it.Status, it.Value = governance.NotChecked, "registries not reachable"
	default:
		it.Status, it.Value = governance.Pass, "every name free"
	}
	if len(e.Names) > 0 {
		it.Evidence = capped(append(append(taken, unchecked...), free...))
	}
	return it
}

// headerItem answers the licence-headers item from the analysis's count of
// source files with a licence notice. The value says only whether every
// file has one (counts move with every commit and are evidence).
func headerItem(it governance.Item, l *catalog.ProjectLicense, th Thresholds) governance.Item {
	switch {
	case l == nil:
		it.Status, it.Value = governance.NotChecked, "not analysed"
	case l.Headers == nil:
		it.Status, it.Value, it.Evidence = governance.Pass, "every source file", []string{"no source files"}
	case l.Headers.WithNotice == l.Headers.Files:
		it.Status, it.Value = governance.Pass, "every source file"
		it.Evidence = []string{fmt.Sprintf("%d source files read, each with a notice", l.Headers.Files)}
	default:
		h := l.Headers
		it.Status, it.Value = governance.Warn, "files without a notice"
		if th.HeadersRequired {
			it.Status = governance.Fail
		}
		it.Evidence = append([]string{fmt.Sprintf("%d of %d source files have no licence notice in their head (SPDX-License-Identifier: or the licence's notice):",
			h.Files-h.WithNotice, h.Files)}, capped(h.Missing)...)
	}
	if l != nil && l.Headers != nil && l.Headers.Truncated {
		it.Evidence = append(it.Evidence, "only the first source files were read")
	}
	return it
}
