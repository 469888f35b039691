package pushproxy

import (
	"context"
	"time"

	"github.com/ospo-project/ospo/internal/governance"
)

// approvedContributions answers step 2 from governance's contribute
// requests: an approved, unexpired request for the repository, or a
// standing one for its host or organisation.
type approvedContributions struct {
	l   governance.Lister
	now func() time.Time
}

// ApprovedContributions returns the Contributions of the contribute
// requests l lists (the store).
func ApprovedContributions(l governance.Lister) Contributions {
	return approvedContributions{l: l, now: time.Now}
}

// Approved implements Contributions.
func (a approvedContributions) Approved(ctx context.Context, _ string, upstream string) (bool, error) {
	r, err := governance.ApprovedContribution(ctx, a.l, upstream, a.now())
	if err != nil {
		return false, err
	}
	return r != nil, nil
}
