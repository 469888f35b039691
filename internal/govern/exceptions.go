package govern

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/ospo-project/ospo/internal/governance"
	"github.com/ospo-project/ospo/internal/license"
	"github.com/ospo-project/ospo/internal/vuln"
)

// Exceptions returns the approved, unexpired exception requests at at as
// the rules the gates already read: vulnerability ignore rules and licence
// policy exceptions, each with the request as its reason, its approvers and
// its expiry. Each applies to the project the request was made for (its
// subject), or to every project when the request asked for it
// (Details.EstateWide); expired ones are left out.
func Exceptions(ctx context.Context, l governance.Lister, at time.Time) ([]vuln.Ignore, []license.Exception, error) {
	rs, err := l.ListRequests(ctx, governance.RequestFilter{Kind: governance.KindException, State: governance.StateApproved})
	if err != nil {
		return nil, nil, fmt.Errorf("exceptions: %w", err)
	}
	var ignores []vuln.Ignore
	var excs []license.Exception
	for _, r := range rs {
		if !r.Active(at) {
			continue
		}
		var by []string
		for _, a := range r.Approvals {
			by = append(by, a.By)
		}
		reason := fmt.Sprintf("request #%d (%s): %s", r.ID, r.Subject, r.Details.Reason)
		var projects []string
		if !r.Details.EstateWide {
			projects = []string{r.Subject}
		}
		switch r.Details.Exception {
		case governance.ExceptionVulnerability:
			ignores = append(ignores, vuln.Ignore{ID: r.Details.Advisory, Package: r.Details.Package, Reason: reason,
				ApprovedBy: strings.Join(by, ", "), Expires: r.Expires, Projects: projects})
		case governance.ExceptionLicense, governance.ExceptionDependency:
			if r.Details.Package == "" {
				continue // a licence alone is no package exception; the reviewer reads it
			}
			excs = append(excs, license.Exception{Package: r.Details.Package, Reason: reason,
				ApprovedBy: strings.Join(by, ", "), Expires: r.Expires, Projects: projects})
		}
	}
	return ignores, excs, nil
}
