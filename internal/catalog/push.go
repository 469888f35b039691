package catalog

import "time"

// PushStatus is where a push through the proxy stands.
type PushStatus string

// The push statuses. A push is created rejected (its checks failed),
// forwarded (it passed and reached the upstream), failed (it passed but the
// upstream refused it or could not be reached: the developer pushes again)
// or held (it waits for a reviewer). A held push becomes approved then
// forwarded, or rejected by a reviewer, or expired when nobody decided in
// time (its pack is then discarded, as a rejected one's).
const (
	PushRejected  PushStatus = "rejected"
	PushHeld      PushStatus = "held"
	PushApproved  PushStatus = "approved"
	PushForwarded PushStatus = "forwarded"
	PushFailed    PushStatus = "failed"
	PushExpired   PushStatus = "expired"
)

// Valid reports whether s is a known status.
func (s PushStatus) Valid() bool {
	switch s {
	case PushRejected, PushHeld, PushApproved, PushForwarded, PushFailed, PushExpired:
		return true
	}
	return false
}

// Push is one git push received by the proxy: who pushed what to which
// upstream, what the checks found and what was decided. The pack itself is
// kept apart (see store.PushStore) and only while the push is held or
// approved.
type Push struct {
	ID int64 `json:"id"`
	// Upstream is the repository's URL the push is for
	// ("https://github.com/org/repo.git").
	Upstream string `json:"upstream"`
	// Pusher is the e-mail of the account that pushed.
	Pusher string     `json:"pusher"`
	Status PushStatus `json:"status"`
	Refs   []PushRef  `json:"refs"`
	// Commits are the commits the push brings that the upstream lacks,
	// newest first.
	Commits  []PushCommit  `json:"commits,omitempty"`
	Findings []PushFinding `json:"findings,omitempty"`
	// PackSize is the size in bytes of the pack received.
	PackSize  int64     `json:"pack_size"`
	CreatedAt time.Time `json:"created_at"`
	// DecidedBy and DecidedAt record a reviewer's approval or rejection;
	// Reason is the reviewer's.
	DecidedBy string    `json:"decided_by,omitempty"`
	DecidedAt time.Time `json:"decided_at,omitzero"`
	Reason    string    `json:"reason,omitempty"`
	// Attestations are the statements the approving reviewer ticked.
	Attestations []string `json:"attestations,omitempty"`
	// ForwardedAt is when the upstream accepted the push.
	ForwardedAt time.Time `json:"forwarded_at,omitzero"`
	// Error is the last forwarding error (an upstream that is down).
	Error string `json:"error,omitempty"`
}

// PushRef is one ref update of a push.
type PushRef struct {
	Ref string `json:"ref"`
	Old string `json:"old"`
	New string `json:"new"`
}

// PushCommit is a commit a push brings.
type PushCommit struct {
	SHA            string `json:"sha"`
	AuthorName     string `json:"author_name"`
	AuthorEmail    string `json:"author_email"`
	CommitterEmail string `json:"committer_email"`
	Subject        string `json:"subject"`
}

// PushFinding is one problem a check found. Severity "reject" refuses the
// push; "review" holds it for a reviewer. It never holds a secret: secret
// findings carry a redacted form and a hash.
type PushFinding struct {
	// Check names the check: "pusher", "upstream", "email", "message",
	// "hidden", "secret", "size", "binary", "hook".
	Check    string `json:"check"`
	Severity string `json:"severity"`
	Commit   string `json:"commit,omitempty"`
	Path     string `json:"path,omitempty"`
	Line     int    `json:"line,omitempty"`
	Rule     string `json:"rule,omitempty"`
	// Message says what is wrong and what to do, safe to show the pusher.
	Message string `json:"message"`
	Hash    string `json:"hash,omitempty"`
}

// The finding severities.
const (
	SeverityReject = "reject"
	SeverityReview = "review"
)
