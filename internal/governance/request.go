// Package governance is the vocabulary and the rules of the OSPO's approval
// workflow: the kinds of request (open-sourcing a project, contributing to an
// external one, an exception to policy, a lifecycle change), their checklists,
// the state machine with its four-eyes rule, and the external estate with its
// lifecycle and alerts. It holds values and pure functions only: no store, no
// HTTP, no git. internal/govern runs the workflow over a store and the
// analysis pipeline; the CLI and the hub are its front ends.
package governance

import (
	"strings"
	"time"
)

// Kind is what a request asks for.
type Kind string

// The kinds of request.
const (
	// KindOpenSource: an internal project becomes public. Subject is the
	// project's key.
	KindOpenSource Kind = "open-source"
	// KindContribute: contributing to an external project, once or standing
	// (Details.Scope). Subject is the upstream URL.
	KindContribute Kind = "contribute"
	// KindException: a dependency or licence outside policy, or a
	// vulnerability accepted until Expires. Subject is the project key.
	KindException Kind = "exception"
	// KindLifecycle: an external-estate project changes lifecycle
	// (Details.Lifecycle). Subject is the estate project's name.
	KindLifecycle Kind = "lifecycle"
)

// Kinds lists every kind, in the order they are documented.
var Kinds = []Kind{KindOpenSource, KindContribute, KindException, KindLifecycle}

// Valid reports whether k is a known kind.
func (k Kind) Valid() bool {
	for _, x := range Kinds {
		if k == x {
			return true
		}
	}
	return false
}

// State is where a request stands.
type State string

// The states of a request. A request starts in review (or approved, by the
// fast path); approved and rejected are decisions, withdrawn is the
// requester's; reopen brings a rejected or withdrawn request back to review,
// and evidence that changed brings an approved one back too.
const (
	StateReview    State = "review"
	StateApproved  State = "approved"
	StateRejected  State = "rejected"
	StateWithdrawn State = "withdrawn"
)

// States lists every state.
var States = []State{StateReview, StateApproved, StateRejected, StateWithdrawn}

// Valid reports whether s is a known state.
func (s State) Valid() bool {
	for _, x := range States {
		if s == x {
			return true
		}
	}
	return false
}

// Contribution scopes (Details.Scope of a contribute request).
const (
	ScopeOneOff   = "one-off"
	ScopeStanding = "standing"
)

// Exception kinds (Details.Exception of an exception request).
const (
	ExceptionVulnerability = "vulnerability"
	ExceptionLicense       = "license"
	ExceptionDependency    = "dependency"
)

// Details are the kind-specific fields of a request.
type Details struct {
	// Scope of a contribution: ScopeOneOff or ScopeStanding (a project or
	// foundation, until Request.Expires).
	Scope string `json:"scope,omitempty"`
	// Agreement signed for a contribution: "CLA", "CCLA", "DCO" or "".
	Agreement string `json:"agreement,omitempty"`
	// Exception is ExceptionVulnerability, ExceptionLicense or
	// ExceptionDependency; Advisory, License and Package say what is
	// excepted (an advisory id or alias, an SPDX id, a package name or purl).
	Exception string `json:"exception,omitempty"`
	Advisory  string `json:"advisory,omitempty"`
	License   string `json:"license,omitempty"`
	Package   string `json:"package,omitempty"`
	// Lifecycle is the target lifecycle of a lifecycle request.
	Lifecycle string `json:"lifecycle,omitempty"`
	// Reason is the requester's justification.
	Reason string `json:"reason,omitempty"`
	// EstateWide makes an exception apply to every project; by default
	// it applies to the request's subject project only.
	EstateWide bool `json:"estate_wide,omitempty"`
}

// Request is one request with everything that happened to it.
type Request struct {
	ID    int64  `json:"id"`
	Kind  Kind   `json:"kind"`
	Title string `json:"title"`
	// Subject is what the request is about: a project key, an upstream URL,
	// an estate project's name (see the kinds).
	Subject string `json:"subject"`
	// Requester is the requesting account's e-mail (lower-case).
	Requester string `json:"requester"`
	State     State  `json:"state"`
	// Version counts the changes stored; the store refuses an update made
	// from an older version (optimistic concurrency).
	Version   int64     `json:"version"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
	// DecidedAt is when the request was last approved or rejected.
	DecidedAt time.Time `json:"decided_at,omitzero"`
	// Expires, when not zero, ends a standing approval or an exception.
	Expires time.Time `json:"expires,omitzero"`
	// Commit is the commit the checklist was evaluated on (pinned).
	Commit  string            `json:"commit,omitempty"`
	Details Details           `json:"details"`
	Answers map[string]string `json:"answers,omitempty"`
	// Checklist is the request's checklist at Commit.
	Checklist []Item `json:"checklist"`
	// Approvals are those of the current round: a reopen or invalidated
	// evidence starts a new round.
	Approvals []Approval `json:"approvals"`
	// Events is the request's history, oldest first.
	Events []Event `json:"events"`
}

// Approval is one reviewer's approval.
type Approval struct {
	By string    `json:"by"`
	At time.Time `json:"at"`
	// Attestations the approver ticked.
	Attestations []string `json:"attestations,omitempty"`
	// Bypass marks an approval that the four-eyes rule would refuse,
	// allowed by configuration (an admin approving their own request).
	Bypass bool `json:"bypass,omitempty"`
}

// Event is one thing that happened to a request.
type Event struct {
	Action Action    `json:"action"`
	By     string    `json:"by"`
	At     time.Time `json:"at"`
	Text   string    `json:"text,omitempty"`
	// From and To are the states before and after (equal for a comment).
	From State `json:"from,omitempty"`
	To   State `json:"to"`
}

// Active reports whether the request is approved and, if it expires, not
// yet expired at at.
func (r *Request) Active(at time.Time) bool {
	return r.State == StateApproved && (r.Expires.IsZero() || at.Before(r.Expires))
}

// NormalizeEmail returns the form e-mails are compared in.
func NormalizeEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }
