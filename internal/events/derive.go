package events

import (
	"path"
	"strings"

	"github.com/go-enry/go-enry/v2"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/identity"
	"github.com/ospo-project/ospo/internal/innersource"
)

// minDocLines is the fewest lines a new documentation file must have to
// count: a stub README does not.
const minDocLines = 10

// Input is what Derive reads about one project.
type Input struct {
	// Project is the project as scanned: Key, Kind, Owners and the
	// contributors' first commits are read.
	Project catalog.Project
	// Commits are the commits new since the last derivation, oldest first
	// (gitlog.Commits).
	Commits []catalog.CommitFact
	// Complete reports that Commits start at the root of the history.
	Complete bool
	// Teams gives the teams of each lower-cased e-mail.
	Teams map[string][]string
	// VulnFixes are the vulnerability fixes found among Commits (see
	// FindVulnFixes).
	VulnFixes []VulnFix
	// Score, when not nil, is the change of the project's scorecard this
	// scan made.
	Score *ScoreChange
}

// VulnFix is a commit that moved a dependency out of an advisory's
// affected range while keeping the dependency.
type VulnFix struct {
	Commit     catalog.CommitFact
	AdvisoryID string
	Package    string
	// From and To are the versions before and after the commit.
	From, To string
}

// ScoreChange is a project's scorecard before and after a scan.
type ScoreChange struct {
	Previous, Current float64
	// Head is the commit scanned.
	Head string
}

// Derive returns the events in.Commits (and in.VulnFixes, in.Score) show,
// oldest first. Bots earn nothing, trivial commits (see Trivial) count for
// nothing, and commits of one real action share one event ID.
func Derive(in Input) []catalog.Event {
	p := in.Project
	var out []catalog.Event
	seen := map[string]bool{}
	add := func(e catalog.Event) {
		if seen[e.ID] {
			return
		}
		seen[e.ID] = true
		e.Source = catalog.EventGit
		e.ProjectKey = p.Key
		e.Points = points(e.Kind)
		out = append(out, e)
	}

	firstAt := map[string]int64{} // e-mail -> earliest first commit (unix)
	for _, c := range p.Contributors {
		e := lower(c.Email)
		if c.FirstCommit.IsZero() {
			continue
		}
		if t, ok := firstAt[e]; !ok || c.FirstCommit.Unix() < t {
			firstAt[e] = c.FirstCommit.Unix()
		}
	}
	var oldest int64
	if len(in.Commits) > 0 {
		oldest = in.Commits[0].At.Unix()
	}
	innerSource := p.Kind == catalog.KindInnerSource
	owning, ownerEmails := innersource.Owning(p)

	for _, c := range in.Commits {
		email := lower(c.Email)
		if identity.IsBot(catalog.Identity{Name: c.Name, Email: c.Email}) || Trivial(c) {
			continue
		}
		commitEv := []catalog.Evidence{{Kind: "commit", Value: c.Hash}}
		// First contribution: from the root, or when the person's first
		// commit in the project is in this range.
		if t, ok := firstAt[email]; in.Complete || (ok && t >= oldest) {
			add(catalog.Event{ID: ID(KindFirstContribution, p.Key, email), Kind: KindFirstContribution,
				Email: email, At: c.At, Summary: "first contribution to " + p.Name, Evidence: commitEv})
		}
		if innerSource && len(owning) > 0 && !ownerEmails[email] && len(in.Teams[email]) > 0 &&
			!innersource.InTeam(in.Teams[email], owning) {
			add(catalog.Event{ID: ID(KindCrossTeam, p.Key, email, day(c.At)), Kind: KindCrossTeam,
				Email: email, At: c.At, Summary: "contributed to another team's InnerSource project " + p.Name, Evidence: commitEv})
		}
		for _, f := range c.Files {
			if !f.Created {
				continue
			}
			ev := append(append([]catalog.Evidence(nil), commitEv...), catalog.Evidence{Kind: "file", Value: f.Path})
			switch {
			case isLicenseFile(f.Path):
				add(catalog.Event{ID: ID(KindLicenseAdded, p.Key), Kind: KindLicenseAdded,
					Email: email, At: c.At, Summary: "added the licence file " + f.Path + " to " + p.Name, Evidence: ev})
			case isSecurityPolicy(f.Path):
				add(catalog.Event{ID: ID(KindSecurityPolicyAdded, p.Key), Kind: KindSecurityPolicyAdded,
					Email: email, At: c.At, Summary: "added the security policy " + f.Path + " to " + p.Name, Evidence: ev})
			case isDoc(f.Path) && f.Added >= minDocLines && !Generated(f.Path):
				add(catalog.Event{ID: ID(KindDocs, p.Key, email, day(c.At)), Kind: KindDocs,
					Email: email, At: c.At, Summary: "added documentation " + f.Path + " to " + p.Name, Evidence: ev})
			}
		}
	}
	for _, v := range in.VulnFixes {
		c := v.Commit
		if identity.IsBot(catalog.Identity{Name: c.Name, Email: c.Email}) {
			continue
		}
		add(catalog.Event{ID: ID(KindVulnFixed, p.Key, v.Package, v.AdvisoryID), Kind: KindVulnFixed,
			Email: lower(c.Email), At: c.At,
			Summary:  "fixed " + v.AdvisoryID + " in " + p.Name + ": " + v.Package + " " + v.From + " → " + v.To,
			Evidence: []catalog.Evidence{{Kind: "commit", Value: c.Hash}, {Kind: "advisory", Value: v.AdvisoryID}}})
	}
	if s := in.Score; s != nil && s.Current-s.Previous >= 1 {
		// Credit the newest human, non-trivial commit of the range.
		for i := len(in.Commits) - 1; i >= 0; i-- {
			c := in.Commits[i]
			if identity.IsBot(catalog.Identity{Name: c.Name, Email: c.Email}) || Trivial(c) {
				continue
			}
			add(catalog.Event{ID: ID(KindScoreRaised, p.Key, s.Head), Kind: KindScoreRaised,
				Email: lower(c.Email), At: c.At,
				Summary:  "raised the scorecard of " + p.Name + " from " + fmtScore(s.Previous) + " to " + fmtScore(s.Current),
				Evidence: []catalog.Evidence{{Kind: "commit", Value: s.Head}}})
			break
		}
	}
	return out
}

// Trivial reports whether a commit counts for nothing: a merge (its
// changes are counted in the commits it merges), a commit changing only
// whitespace (line counts ignoring whitespace are all zero: reindenting,
// gofmt-style realignment, trailing spaces), or one changing only
// generated, vendored or lock files.
func Trivial(c catalog.CommitFact) bool {
	if len(c.Parents) > 1 || len(c.Files) == 0 {
		return true
	}
	for _, f := range c.Files {
		if Generated(f.Path) {
			continue
		}
		if f.Added != 0 || f.Removed != 0 {
			return false // binary files (-1) count as a change
		}
		if f.Created {
			return false // a new empty file is a change
		}
	}
	return true
}

// lockFiles are files package managers write.
var lockFiles = map[string]bool{
	"go.sum": true, "package-lock.json": true, "yarn.lock": true, "pnpm-lock.yaml": true,
	"npm-shrinkwrap.json": true, "poetry.lock": true, "pipfile.lock": true, "cargo.lock": true,
	"gemfile.lock": true, "composer.lock": true, "packages.lock.json": true, "pdm.lock": true, "uv.lock": true,
}

// Generated reports whether a path is generated, vendored or a lockfile,
// by go-enry's (GitHub linguist's) path rules and the lockfiles' names.
func Generated(p string) bool {
	return lockFiles[strings.ToLower(path.Base(p))] || enry.IsVendor(p) || enry.IsGenerated(p, nil)
}

func isLicenseFile(p string) bool {
	if strings.Contains(p, "/") {
		return false
	}
	b := strings.ToUpper(strings.TrimSuffix(p, path.Ext(p)))
	return b == "LICENSE" || b == "LICENCE" || b == "COPYING" || b == "UNLICENSE" || strings.HasPrefix(b, "LICENSE-")
}

func isSecurityPolicy(p string) bool {
	switch strings.ToLower(p) {
	case "security.md", ".github/security.md", "docs/security.md", "security.rst", "security.txt":
		return true
	}
	return false
}

func isDoc(p string) bool {
	l := strings.ToLower(p)
	if strings.HasPrefix(l, "docs/") || strings.HasPrefix(l, "doc/") || strings.Contains(l, "/docs/") {
		return true
	}
	switch path.Ext(l) {
	case ".md", ".markdown", ".rst", ".adoc", ".asciidoc":
		return !isLicenseFile(p) && !isSecurityPolicy(p)
	}
	return false
}

func fmtScore(f float64) string {
	return strings.TrimRight(strings.TrimRight(strconvFloat(f), "0"), ".")
}
