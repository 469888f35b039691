package inbox

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/governance"
)

// GovernanceSource is what the Requests provider reads: requests, the
// external estate and who the person is (the store implements the first
// two; the third comes from accounts and memberships).
type GovernanceSource interface {
	governance.Lister
	ExternalProjects(ctx context.Context) ([]governance.ExternalProject, error)
}

// DecisionWindow is how long a decision on one of the person's requests
// stays in their inbox.
const DecisionWindow = 30 * 24 * time.Hour

// Requests provides the governance items (issue 14's requests):
//
//   - request: a request in review that the person may approve now
//     (governance.CanReview under Policies: a reviewer of its kind, not
//     its requester, not approved by them yet), high;
//   - decision: one of the person's own requests approved (low) or
//     rejected (medium) in the last DecisionWindow;
//   - review-due: an external-estate project the person owns whose yearly
//     review is due, medium.
//
// The fingerprint of a request item is its version, so a snoozed request
// returns when it changes (a comment, a new approval, new evidence).
type Requests struct {
	Source   GovernanceSource
	Policies governance.Policies
	// Actor returns who the person is for the policy: role and teams.
	Actor func(ctx context.Context, p Person) (governance.Actor, error)
	// Now is the time decisions and reviews are compared with (time.Now
	// when nil).
	Now func() time.Time
}

// Name implements Provider.
func (Requests) Name() string { return "requests" }

// Items implements Provider.
func (r Requests) Items(ctx context.Context, p Person) ([]Item, error) {
	now := time.Now()
	if r.Now != nil {
		now = r.Now()
	}
	me := governance.NormalizeEmail(p.Email)
	actor := governance.Actor{Email: p.Email, Teams: p.Teams}
	if r.Actor != nil {
		a, err := r.Actor(ctx, p)
		if err != nil {
			return nil, err
		}
		actor = a
	}
	var out []Item
	waiting, err := r.Source.ListRequests(ctx, governance.RequestFilter{State: governance.StateReview})
	if err != nil {
		return nil, fmt.Errorf("requests in review: %w", err)
	}
	for i := range waiting {
		q := &waiting[i]
		if !governance.CanReview(q, r.Policies.For(q.Kind), actor) {
			continue
		}
		id := strconv.FormatInt(q.ID, 10)
		out = append(out, Item{
			Key: KindRequest + ":" + id, Fingerprint: Fingerprint(strconv.FormatInt(q.Version, 10)), Kind: KindRequest,
			Title:    fmt.Sprintf("Review request #%s (%s): %s", id, q.Kind, firstNonEmpty(q.Title, q.Subject)),
			Detail:   fmt.Sprintf("requested by %s; %d of %d approvals", q.Requester, len(q.Approvals), r.Policies.For(q.Kind).Approvals),
			Severity: "high", Since: q.CreatedAt, URL: "/requests/" + id,
		})
	}
	mine, err := r.Source.ListRequests(ctx, governance.RequestFilter{Requester: p.Email})
	if err != nil {
		return nil, fmt.Errorf("own requests: %w", err)
	}
	for _, q := range mine {
		if governance.NormalizeEmail(q.Requester) != me || q.DecidedAt.IsZero() || now.Sub(q.DecidedAt) > DecisionWindow ||
			(q.State != governance.StateApproved && q.State != governance.StateRejected) {
			continue
		}
		id := strconv.FormatInt(q.ID, 10)
		sev := "low"
		if q.State == governance.StateRejected {
			sev = "medium"
		}
		out = append(out, Item{
			Key: KindDecision + ":" + id, Fingerprint: Fingerprint(string(q.State), strconv.FormatInt(q.Version, 10)), Kind: KindDecision,
			Title:    fmt.Sprintf("Your request #%s (%s) was %s: %s", id, q.Kind, q.State, firstNonEmpty(q.Title, q.Subject)),
			Severity: sev, Since: q.DecidedAt, URL: "/requests/" + id,
		})
	}
	estate, err := r.Source.ExternalProjects(ctx)
	if err != nil {
		return nil, fmt.Errorf("external estate: %w", err)
	}
	for _, x := range estate {
		if x.ReviewDue.IsZero() || now.Before(x.ReviewDue) || x.Lifecycle == governance.LifecycleArchived ||
			x.Lifecycle == governance.LifecycleTransferred ||
			!slices.ContainsFunc(x.Owners, func(o string) bool { return governance.NormalizeEmail(o) == me }) {
			continue
		}
		out = append(out, Item{
			Key: KindReviewDue + ":" + strings.ToLower(x.Name), Fingerprint: Fingerprint(x.ReviewDue.UTC().Format(time.DateOnly)),
			Kind: KindReviewDue, Title: "Annual review of " + x.Name + " is due",
			Detail:   "due since " + x.ReviewDue.Format(time.DateOnly) + ": re-attest its licence, security policy and owners",
			Severity: "medium", Since: x.ReviewDue, URL: "/external/" + url.PathEscape(x.Name),
		})
	}
	return out, nil
}

// ActorOf is the governance.Actor of a person with an account role.
func ActorOf(p Person, role catalog.Role) governance.Actor {
	return governance.Actor{Email: p.Email, Role: role, Teams: p.Teams}
}
