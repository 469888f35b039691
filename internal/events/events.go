// Package events provides the gamification of contribution from verified
// events: it derives events from git facts (commits read by
// gitlog.Commits, vulnerability fixes found by the analysis pipeline,
// scorecard trends), defines the manual kinds the OSPO approves, and
// computes points, levels, badges and leaderboards from a set of events.
//
// Everything is a function of the set of events: an event's ID names the
// real action it stands for (a commit, a day of one person's work in one
// project, a project's first licence file), the store keeps one event per
// ID, and Tally applies the caps in a fixed order. Deriving the same
// history again, whole or in increments, therefore awards nothing twice.
//
// The package takes values and returns values; it reads no store (what it
// needs from one is the narrow Store interface of Update).
package events

import (
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"
	"time"
)

// Event kinds derived from git facts.
const (
	// KindCrossTeam: commits into an InnerSource project owned by a team
	// the author is not a member of (one event per person, project and day).
	KindCrossTeam = "cross_team_contribution"
	// KindFirstContribution: a person's first commit to a project.
	KindFirstContribution = "first_contribution"
	// KindVulnFixed: a commit that moved a dependency past the version
	// fixing a known advisory (one event per project, package and advisory).
	KindVulnFixed = "vulnerability_fixed"
	// KindLicenseAdded and KindSecurityPolicyAdded: the commit that added a
	// project's first licence file or security policy at its root.
	KindLicenseAdded        = "license_added"
	KindSecurityPolicyAdded = "security_policy_added"
	// KindDocs: documentation added (a new Markdown, reStructuredText or
	// AsciiDoc file, or one under docs/, of at least minDocLines lines),
	// one event per person, project and day.
	KindDocs = "documentation_added"
	// KindScoreRaised: a scan whose scorecard is at least one point above
	// the previous one.
	KindScoreRaised = "scorecard_raised"
)

// Event kinds a forge source provides (see internal/source): they are
// counted as soon as a source records them.
const (
	// KindReview: a review of another team's pull request.
	KindReview = "review"
	// KindUpstream: an external (open source) contribution merged upstream.
	KindUpstream = "upstream_contribution"
)

// Manual event kinds: claimed with evidence, approved by the OSPO.
const (
	KindTalk      = "talk"
	KindHackathon = "hackathon"
	KindMentoring = "mentoring"
	KindBlogPost  = "blog_post"
	// KindBadge is a badge issued by hand (an approved claim naming it).
	KindBadge = "badge"
)

// KindInfo is the published definition of an event kind.
type KindInfo struct {
	Kind string `json:"kind"`
	// Source is catalog.EventGit, EventForge or EventManual.
	Source     string `json:"source"`
	Points     int    `json:"points"`
	Definition string `json:"definition"`
}

// Kinds lists every event kind with its points and definition.
var Kinds = []KindInfo{
	{KindCrossTeam, "git", 10, "Commits merged into an InnerSource project owned by a team you are not a member of; one event per project and day however many commits."},
	{KindFirstContribution, "git", 5, "Your first commit to a project."},
	{KindVulnFixed, "git", 15, "A commit that moved a dependency with a known vulnerability to a version outside the advisory's affected range (found by analysing the commit and its parent); one event per project, package and advisory."},
	{KindLicenseAdded, "git", 5, "The commit that added the project's first licence file at its root."},
	{KindSecurityPolicyAdded, "git", 5, "The commit that added the project's first security policy (SECURITY.md)."},
	{KindDocs, "git", 3, "Documentation added: a new Markdown, reStructuredText or AsciiDoc file, or a new file under docs/, of at least 10 lines; one event per project and day."},
	{KindScoreRaised, "git", 10, "A scan whose scorecard is at least one full point above the previous one; credited to the author of the newest commit scanned."},
	{KindReview, "forge", 3, "A review of a pull request of another team's project (from a forge source)."},
	{KindUpstream, "forge", 15, "A contribution to an external open source project merged upstream (from a forge source or an approved contribution request)."},
	{KindTalk, "manual", 20, "A talk given, with a link to the recording or the programme; approved by the OSPO."},
	{KindHackathon, "manual", 15, "Taking part in a hackathon, with a link to the result; approved by the OSPO."},
	{KindMentoring, "manual", 15, "Mentoring a contributor, with evidence; approved by the OSPO."},
	{KindBlogPost, "manual", 10, "A published blog post, with its link; approved by the OSPO."},
	{KindBadge, "manual", 0, "A badge issued by hand to a person, with evidence; approved by the OSPO."},
}

// Kind returns the definition of kind, or false for an unknown kind.
func Kind(kind string) (KindInfo, bool) {
	for _, k := range Kinds {
		if k.Kind == kind {
			return k, true
		}
	}
	return KindInfo{}, false
}

// Manual reports whether kind is claimed by hand.
func Manual(kind string) bool {
	k, ok := Kind(kind)
	return ok && k.Source == "manual"
}

// points returns the base points of kind.
func points(kind string) int {
	k, _ := Kind(kind)
	return k.Points
}

// ID returns the event ID of kind about parts (the project key, the
// person's e-mail, the commit or day…): a hash, so the same action always
// gets the same ID.
func ID(kind string, parts ...string) string {
	h := sha256.New()
	h.Write([]byte(kind))
	for _, p := range parts {
		h.Write([]byte{0})
		h.Write([]byte(p))
	}
	return kind + ":" + hex.EncodeToString(h.Sum(nil))[:24]
}

// day is the UTC date of t, the unit of "one event per day".
func day(t time.Time) string { return t.UTC().Format("2006-01-02") }

func lower(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

func strconvFloat(f float64) string { return strconv.FormatFloat(f, 'f', 1, 64) }
