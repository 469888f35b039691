package governance

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/ospo-project/ospo/internal/catalog"
)

// Action is something done to a request.
type Action string

// The actions. Open, Evaluate, Invalidate and FastPath are the workflow's
// own; the others are people's.
const (
	ActOpen       Action = "open"
	ActApprove    Action = "approve"
	ActReject     Action = "reject"
	ActComment    Action = "comment"
	ActReopen     Action = "reopen"
	ActWithdraw   Action = "withdraw"
	ActInvalidate Action = "invalidate"
	ActFastPath   Action = "fast-path"
	// ActEvaluate records that the automatic items were evaluated (the
	// workflow sets them; the step changes no state).
	ActEvaluate Action = "evaluate"
)

// Actions people take, in the order the CLI documents them.
var Actions = []Action{ActApprove, ActReject, ActComment, ActReopen, ActWithdraw}

// Step is one action by one actor.
type Step struct {
	Action Action
	By     Actor
	At     time.Time
	// Text is a comment, a rejection's reason, why evidence changed.
	Text string
	// Attestations the approver ticked.
	Attestations []string
}

// MaxText bounds free text (comments, reasons) in bytes.
const MaxText = 16 << 10

// Errors of Apply; each is of a catalog error kind.
var (
	// ErrFourEyes: the requester may not approve or reject their own request.
	ErrFourEyes = catalog.Kind("four eyes: a requester may not approve or reject their own request", catalog.ErrForbidden)
	// ErrNotReviewer: the actor's role and teams may not review this kind.
	ErrNotReviewer = catalog.Kind("not a reviewer of this kind of request", catalog.ErrForbidden)
	// ErrNotRequester: only the requester may withdraw.
	ErrNotRequester = catalog.Kind("only the requester may do this", catalog.ErrForbidden)
	// ErrState: the action does not apply in the request's state.
	ErrState = catalog.Kind("not possible in this state", catalog.ErrConflict)
	// ErrEvaluating: the automatic items are still being evaluated.
	ErrEvaluating = catalog.Kind("the automatic checklist items are still being evaluated; approve the request once they are", catalog.ErrConflict)
	// ErrAlreadyApproved: the reviewer already approved this round.
	ErrAlreadyApproved = catalog.Kind("already approved by this reviewer", catalog.ErrConflict)
)

func invalid(format string, args ...any) error {
	return catalog.Mark(fmt.Errorf(format, args...), catalog.ErrInvalid)
}

// Apply performs s on r under p, r's kind's policy, changing r in place
// (state, approvals, events, UpdatedAt, DecidedAt) only when it succeeds.
// It reports whether an approval used the admin bypass.
//
// The rules: only a reviewer (p.Roles or p.Teams) approves or rejects, and
// never their own request (four eyes; p.AdminBypass lets an admin approve
// their own, marked as such); an approver ticks every attestation of p;
// a request is approved by p.Approvals distinct approvals in one round;
// a rejection, a comment and a withdrawal need a text, and a withdrawal is
// the requester's; reopen starts a new round from rejected or withdrawn;
// invalidate starts a new round from review or approved (evidence changed);
// no approval is given while an automatic item is evaluating
// (ErrEvaluating); evaluate records an evaluation in any state.
func Apply(r *Request, p Policy, s Step) (bypass bool, err error) {
	if s.By.Email == "" || s.At.IsZero() {
		return false, invalid("an action needs an actor and a time")
	}
	s.Text = strings.TrimSpace(s.Text)
	if len(s.Text) > MaxText {
		return false, invalid("text longer than %d bytes", MaxText)
	}
	me := NormalizeEmail(s.By.Email)
	own := me == NormalizeEmail(r.Requester)
	from := r.State
	to := from
	switch s.Action {
	case ActApprove:
		if r.State != StateReview {
			return false, fmt.Errorf("approve a request in %s: %w", r.State, ErrState)
		}
		if !p.mayReview(s.By) {
			return false, ErrNotReviewer
		}
		if own {
			if !p.AdminBypass || s.By.Role != catalog.RoleAdmin {
				return false, ErrFourEyes
			}
			bypass = true
		}
		if slices.ContainsFunc(r.Approvals, func(a Approval) bool { return NormalizeEmail(a.By) == me }) {
			return false, ErrAlreadyApproved
		}
		if r.Evaluating() {
			return false, ErrEvaluating
		}
		for _, want := range p.Attestations {
			if !slices.Contains(s.Attestations, want) {
				return false, invalid("attestation not ticked: %q", want)
			}
		}
		r.Approvals = append(r.Approvals, Approval{By: me, At: s.At, Attestations: slices.Clone(s.Attestations), Bypass: bypass})
		if len(r.Approvals) >= p.Approvals {
			to = StateApproved
			r.DecidedAt = s.At
		}
	case ActReject:
		if r.State != StateReview {
			return false, fmt.Errorf("reject a request in %s: %w", r.State, ErrState)
		}
		if !p.mayReview(s.By) {
			return false, ErrNotReviewer
		}
		if own {
			return false, ErrFourEyes
		}
		if s.Text == "" {
			return false, invalid("a rejection needs a reason")
		}
		to, r.DecidedAt = StateRejected, s.At
	case ActComment:
		if s.Text == "" {
			return false, invalid("a comment needs a text")
		}
	case ActReopen:
		if r.State != StateRejected && r.State != StateWithdrawn {
			return false, fmt.Errorf("reopen a request in %s: %w", r.State, ErrState)
		}
		if !own && !p.mayReview(s.By) {
			return false, ErrNotReviewer
		}
		to, r.Approvals, r.DecidedAt = StateReview, nil, time.Time{}
	case ActWithdraw:
		if r.State != StateReview && r.State != StateApproved {
			return false, fmt.Errorf("withdraw a request in %s: %w", r.State, ErrState)
		}
		if !own {
			return false, ErrNotRequester
		}
		to = StateWithdrawn
	case ActInvalidate:
		if r.State != StateReview && r.State != StateApproved {
			return false, fmt.Errorf("invalidate a request in %s: %w", r.State, ErrState)
		}
		to, r.Approvals, r.DecidedAt = StateReview, nil, time.Time{}
	case ActFastPath:
		if r.State != StateReview {
			return false, fmt.Errorf("fast-path a request in %s: %w", r.State, ErrState)
		}
		if !FastPathHolds(p, r) {
			return false, invalid("the fast path's conditions do not hold")
		}
		to, r.DecidedAt = StateApproved, s.At
	case ActEvaluate:
		// The checklist is the workflow's to set; the event records it.
	default:
		return false, invalid("unknown action %q", s.Action)
	}
	r.State = to
	r.UpdatedAt = s.At
	r.Events = append(r.Events, Event{Action: s.Action, By: me, At: s.At, Text: s.Text, From: from, To: to})
	return bypass, nil
}

// CanReview reports whether a may approve r now: r waits in review with
// its automatic items evaluated, a is a reviewer of its kind who has not
// approved it yet, and not its requester (unless the admin bypass applies).
func CanReview(r *Request, p Policy, a Actor) bool {
	if r.State != StateReview || r.Evaluating() || !p.mayReview(a) {
		return false
	}
	me := NormalizeEmail(a.Email)
	if me == NormalizeEmail(r.Requester) && (!p.AdminBypass || a.Role != catalog.RoleAdmin) {
		return false
	}
	return !slices.ContainsFunc(r.Approvals, func(ap Approval) bool { return NormalizeEmail(ap.By) == me })
}

// AuditAction is the audit log's action for a step: "request.approve",
// "request.approve-bypass" for an approval under the admin bypass.
func AuditAction(a Action, bypass bool) string {
	if a == ActApprove && bypass {
		return "request.approve-bypass"
	}
	return "request." + string(a)
}
