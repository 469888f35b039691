package governance

import (
	"strings"
	"time"
)

// Lifecycle is where an external-estate project stands.
type Lifecycle string

// The lifecycle, in order.
const (
	LifecycleProposed   Lifecycle = "proposed"
	LifecycleApproved   Lifecycle = "approved"
	LifecycleIncubating Lifecycle = "incubating"
	LifecycleActive     Lifecycle = "active"
	LifecycleMaintained Lifecycle = "maintained"
	LifecycleDeprecated Lifecycle = "deprecated"
	LifecycleArchived   Lifecycle = "archived"
	// LifecycleTransferred: given to a foundation.
	LifecycleTransferred Lifecycle = "transferred"
)

// Lifecycles lists the lifecycle in order.
var Lifecycles = []Lifecycle{LifecycleProposed, LifecycleApproved, LifecycleIncubating, LifecycleActive,
	LifecycleMaintained, LifecycleDeprecated, LifecycleArchived, LifecycleTransferred}

// Valid reports whether l is a known lifecycle.
func (l Lifecycle) Valid() bool {
	for _, x := range Lifecycles {
		if l == x {
			return true
		}
	}
	return false
}

func lifecycleList() string {
	s := make([]string, len(Lifecycles))
	for i, l := range Lifecycles {
		s[i] = string(l)
	}
	return strings.Join(s, ", ")
}

// Relations of the firm to an external project.
const (
	RelationPublic      = "public"      // the firm's own public project
	RelationContributed = "contributed" // an external project the firm contributes to
)

// ExternalProject is one project of the external estate.
type ExternalProject struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
	URL  string `json:"url"`
	// Relation is RelationPublic or RelationContributed.
	Relation  string    `json:"relation"`
	Lifecycle Lifecycle `json:"lifecycle"`
	// Owners are e-mails of the people answerable for it.
	Owners []string `json:"owners"`
	// ProjectKey links the catalogue project scanned from it, if any.
	ProjectKey string `json:"project_key,omitempty"`
	// Requests are the ids of the requests about it.
	Requests []int64 `json:"requests,omitempty"`
	// ReviewDue is when the owners must re-attest it (yearly).
	ReviewDue time.Time `json:"review_due,omitzero"`
	// License and SecurityPolicy are what was attested at the last review;
	// a scan that sees others raises an alert.
	License        string    `json:"license,omitempty"`
	SecurityPolicy string    `json:"security_policy,omitempty"`
	Notes          string    `json:"notes,omitempty"`
	Version        int64     `json:"version"`
	CreatedAt      time.Time `json:"created_at"`
	UpdatedAt      time.Time `json:"updated_at"`
}

// Health is what the catalogue knows of an estate project now, for alerts.
type Health struct {
	// LastCommit is the newest commit seen; zero when unknown.
	LastCommit time.Time
	// License and SecurityPolicy as the last scan saw them ("" unknown).
	License        string
	SecurityPolicy string
	// OwnersPresent counts the owners still with the firm (an enabled
	// account or a team membership); -1 when unknown.
	OwnersPresent int
	Scorecard     float64
	OpenIssues    int
}

// Alert kinds.
const (
	AlertOwnersLeft     = "owners-left"
	AlertInactive       = "inactive"
	AlertLicenseChanged = "license-changed"
	AlertSecurityPolicy = "security-policy-changed"
	AlertReviewDue      = "review-due"
)

// Alert is something about an estate project that needs someone.
type Alert struct {
	Kind    string `json:"kind"`
	Message string `json:"message"`
}

// Alerts returns the alerts of p given h at now: an active or maintained
// project whose owners have all left or without commits for 12 months, a
// licence or security policy other than the one attested, a review date
// passed.
func Alerts(p ExternalProject, h Health, now time.Time) []Alert {
	var out []Alert
	live := p.Lifecycle == LifecycleActive || p.Lifecycle == LifecycleMaintained || p.Lifecycle == LifecycleIncubating
	if live && (len(p.Owners) == 0 || h.OwnersPresent == 0) {
		out = append(out, Alert{AlertOwnersLeft, "every owner has left: name new owners or deprecate it"})
	}
	if live && !h.LastCommit.IsZero() && now.Sub(h.LastCommit) > 365*24*time.Hour {
		out = append(out, Alert{AlertInactive, "no commit for 12 months (last " + h.LastCommit.Format(time.DateOnly) + ")"})
	}
	if p.License != "" && h.License != "" && !strings.EqualFold(p.License, h.License) {
		out = append(out, Alert{AlertLicenseChanged, "licence changed from " + p.License + " to " + h.License})
	}
	if p.SecurityPolicy != "" && h.SecurityPolicy != "" && p.SecurityPolicy != h.SecurityPolicy {
		out = append(out, Alert{AlertSecurityPolicy, "security policy changed since the last review"})
	}
	if !p.ReviewDue.IsZero() && !now.Before(p.ReviewDue) && p.Lifecycle != LifecycleArchived && p.Lifecycle != LifecycleTransferred {
		out = append(out, Alert{AlertReviewDue, "annual review due since " + p.ReviewDue.Format(time.DateOnly)})
	}
	return out
}
