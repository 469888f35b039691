package store

import (
	"context"
	"time"
)

// DigestStore records which weekly team health digests went to whom, so
// that each is sent at most once per team, week and recipient however
// often, and from however many schedulers, the sending runs. It is part of
// Store; its writes do not advance Generation.
type DigestStore interface {
	// ClaimDigest records that team's digest of the week starting week
	// goes to recipient (a channel name such as "webhook", "email:ADDRESS"
	// or "member:ADDRESS", never a secret), at time at. It returns false,
	// writing nothing, when that claim is already recorded: the digest went
	// (or is going) there. Claim before sending, so two senders at once
	// never both send.
	ClaimDigest(ctx context.Context, team string, week time.Time, recipient string, at time.Time) (bool, error)
	// ReleaseDigest removes a claim whose delivery failed, so that a later
	// run tries again. Releasing what was not claimed is not an error.
	ReleaseDigest(ctx context.Context, team string, week time.Time, recipient string) error
	// DigestRecipients returns the recipients recorded for team's digest
	// of the week starting week, sorted.
	DigestRecipients(ctx context.Context, team string, week time.Time) ([]string, error)
}
