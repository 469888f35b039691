package expertise

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"github.com/ospo-project/ospo/internal/catalog"
)

// ReviewWeight is how much a person's share of a project's reviews counts
// against the same share of its files: reviewing code shows knowing it,
// less than writing it does.
const ReviewWeight = 0.5

// Reviewer is one person's reviews of a project's pull requests (merge
// requests), as a forge source brought them.
type Reviewer struct {
	// Login is the forge login; Identity and PersonID the catalogue
	// person it belongs to, when one is known (else Identity.Name is the
	// login).
	Login    string
	Identity catalog.Identity
	PersonID string
	Reviews  int
	Last     time.Time
}

// Reviewers counts the reviews of the pull requests among items by
// reviewer, leaving out reviews by the pull request's author and by bots
// ("name[bot]"); person gives the catalogue person of a login (lower-cased),
// if known (nil: none is). The result is ordered by reviews, most first,
// then login.
func Reviewers(items []catalog.ForgeItem, person func(login string) (catalog.Person, bool)) []Reviewer {
	by := map[string]*Reviewer{}
	for _, it := range items {
		if it.Kind != catalog.ItemPullRequest {
			continue
		}
		for _, r := range it.Reviews {
			login := strings.ToLower(strings.TrimSpace(r.Author))
			if login == "" || strings.HasSuffix(login, "[bot]") || strings.EqualFold(login, it.Author) {
				continue
			}
			x := by[login]
			if x == nil {
				x = &Reviewer{Login: login, Identity: catalog.Identity{Name: r.Author}}
				if person != nil {
					if p, ok := person(login); ok {
						x.Identity, x.PersonID = catalog.Identity{Name: p.Name, Email: p.Email}, p.ID
					}
				}
				by[login] = x
			}
			x.Reviews++
			if r.SubmittedAt.After(x.Last) {
				x.Last = r.SubmittedAt
			}
		}
	}
	out := make([]Reviewer, 0, len(by))
	for _, x := range by {
		out = append(out, *x)
	}
	slices.SortFunc(out, func(a, b Reviewer) int { return cmp.Or(b.Reviews-a.Reviews, strings.Compare(a.Login, b.Login)) })
	return out
}
