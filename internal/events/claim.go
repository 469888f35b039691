package events

import (
	"fmt"
	"strconv"

	"github.com/ospo-project/ospo/internal/catalog"
)

// CheckClaim says whether c may be claimed: a manual kind, or a badge
// that exists, with evidence. The error wraps catalog.ErrInvalid.
func CheckClaim(c catalog.EventClaim) error {
	switch {
	case !Manual(c.Kind):
		return catalog.Mark(fmt.Errorf("%q is not a kind claimed by hand (talk, hackathon, mentoring, blog_post, badge)", c.Kind), catalog.ErrInvalid)
	case c.Kind == KindBadge && c.Badge == "":
		return catalog.Mark(fmt.Errorf("a badge claim names the badge"), catalog.ErrInvalid)
	case c.Evidence == "":
		return catalog.Mark(fmt.Errorf("a claim needs evidence (a link to the talk, the post, the result)"), catalog.ErrInvalid)
	}
	if c.Kind == KindBadge {
		if _, ok := BadgeByID(c.Badge); !ok {
			return catalog.Mark(fmt.Errorf("no badge %q", c.Badge), catalog.ErrInvalid)
		}
	}
	return nil
}

// ClaimEvent is the event an approved claim records: one per claim, at
// the time it was claimed, with the claim and its evidence as proof.
func ClaimEvent(c catalog.EventClaim) catalog.Event {
	ev := []catalog.Evidence{{Kind: "claim", Value: strconv.FormatInt(c.ID, 10)}, {Kind: "url", Value: c.Evidence}}
	summary := c.Kind + ": " + c.Evidence
	if c.Kind == KindBadge {
		ev = append(ev, catalog.Evidence{Kind: "badge", Value: c.Badge})
		summary = "badge " + c.Badge + " issued: " + c.Evidence
	}
	if c.Note != "" {
		summary += " (" + c.Note + ")"
	}
	return catalog.Event{
		ID: ID(c.Kind, "claim", strconv.FormatInt(c.ID, 10)), Kind: c.Kind, Source: catalog.EventManual,
		Email: lower(c.Email), At: c.ClaimedAt, Points: points(c.Kind), Summary: summary, Evidence: ev,
	}
}
