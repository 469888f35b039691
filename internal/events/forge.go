package events

import (
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/identity"
	"github.com/ospo-project/ospo/internal/innersource"
)

// ForgeInput is what DeriveForge reads about one forge repository.
type ForgeInput struct {
	// Repo is the forge repository; its ProjectKey is the project the
	// events are recorded under.
	Repo catalog.ForgeRepo
	// Project is the catalogue project of Repo.ProjectKey (Name, Owners,
	// Kind); nil when the repository was never scanned, and then no review
	// event is derived (nobody is known to own it).
	Project *catalog.Project
	// Items are the repository's pull requests (other kinds are ignored).
	Items []catalog.ForgeItem
	// Logins maps a lower-cased forge login to the lower-cased e-mail of
	// the person who uses it (see Logins); a login not in it earns nothing.
	Logins map[string]string
	// Teams gives the teams of each lower-cased e-mail.
	Teams map[string][]string
	// Upstream, when not empty, says the repository is an external project
	// the OSPO approved contributing to: each window is an approved
	// contribution request covering it.
	Upstream []Approval
}

// Approval is an approved request to contribute to an external project,
// in force from From until Until (zero: no end).
type Approval struct {
	From, Until time.Time
	// Evidence names the request ("request 12").
	Evidence string
}

// covers reports whether the approval was in force at t.
func (a Approval) covers(t time.Time) bool {
	return !t.Before(a.From) && (a.Until.IsZero() || t.Before(a.Until))
}

// Review states that count, as GitHub names them (GitLab approvals are
// recorded as APPROVED).
const (
	reviewApproved         = "APPROVED"
	reviewChangesRequested = "CHANGES_REQUESTED"
)

// DeriveForge returns the events a forge repository's pull requests show,
// oldest first:
//
//   - KindReview: a review of a pull request of a project owned by a team
//     the reviewer is not a member of (the reviewer's teams known, not an
//     owner e-mail). Only verified reviews count: an approval, or changes
//     requested on a pull request that was then merged. Comments alone,
//     dismissed and pending reviews, reviews of one's own pull request and
//     bots earn nothing; one event per reviewer and pull request however
//     many reviews they left.
//   - KindUpstream: a pull request merged in an external repository
//     (in.Upstream not empty) while an approval covering it was in force,
//     authored by one of our people; one event per pull request.
//
// A login that in.Logins does not map to an e-mail earns nothing: events
// are credited to people, and an unknown login is nobody we know.
func DeriveForge(in ForgeInput) []catalog.Event {
	key := in.Repo.ProjectKey
	if key == "" {
		return nil
	}
	name := in.Repo.FullName
	var owning, ownerEmails map[string]bool
	if in.Project != nil {
		name = in.Project.Name
		owning, ownerEmails = innersource.Owning(*in.Project)
	}
	person := func(login string) string {
		l := lower(login)
		if l == "" || strings.HasSuffix(l, "[bot]") {
			return ""
		}
		e := in.Logins[l]
		if e == "" || identity.IsBot(catalog.Identity{Name: login, Email: e}) {
			return ""
		}
		return e
	}
	var out []catalog.Event
	seen := map[string]bool{}
	add := func(e catalog.Event) {
		if seen[e.ID] {
			return
		}
		seen[e.ID] = true
		e.Source = catalog.EventForge
		e.ProjectKey = key
		e.Points = points(e.Kind)
		out = append(out, e)
	}
	for _, it := range in.Items {
		if it.Kind != catalog.ItemPullRequest {
			continue
		}
		num := strconv.FormatInt(it.Number, 10)
		ev := []catalog.Evidence{{Kind: "url", Value: it.URL}}
		if it.URL == "" {
			ev = []catalog.Evidence{{Kind: "pull_request", Value: in.Repo.FullName + "#" + num}}
		}
		merged := !it.MergedAt.IsZero()
		author := lower(it.Author)
		if len(owning) > 0 {
			for _, r := range it.Reviews {
				if lower(r.Author) == author {
					continue
				}
				state := strings.ToUpper(r.State)
				if state != reviewApproved && !(state == reviewChangesRequested && merged) {
					continue
				}
				email := person(r.Author)
				if email == "" || ownerEmails[email] || len(in.Teams[email]) == 0 || innersource.InTeam(in.Teams[email], owning) {
					continue
				}
				at := r.SubmittedAt
				if at.IsZero() {
					at = it.UpdatedAt
				}
				add(catalog.Event{ID: ID(KindReview, key, num, email), Kind: KindReview, Email: email, At: at,
					Summary:  "reviewed " + in.Repo.FullName + "#" + num + " of another team's project " + name,
					Evidence: ev})
			}
		}
		if merged && len(in.Upstream) > 0 {
			email := person(it.Author)
			if email == "" {
				continue
			}
			for _, a := range in.Upstream {
				if a.covers(it.MergedAt) {
					add(catalog.Event{ID: ID(KindUpstream, key, num), Kind: KindUpstream, Email: email, At: it.MergedAt,
						Summary:  "contribution merged upstream in " + in.Repo.FullName + "#" + num + ": " + it.Title,
						Evidence: append(ev, catalog.Evidence{Kind: "approval", Value: a.Evidence})})
					break
				}
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].At.Before(out[j].At) })
	return out
}

// Logins maps forge logins (lower-cased) to the lower-cased e-mail of the
// person using them, from what is known for certain: explicit (the
// OSPO's configured map, which wins), Backstage User entities (whose name
// is the login and which carry an e-mail), and GitHub no-reply addresses
// among people's identities ("12345+jdoe@users.noreply.github.com" is
// jdoe), credited to the person's primary e-mail. A login that the
// entities or identities give two different e-mails is left out.
func Logins(explicit map[string]string, people []catalog.Person, entities []catalog.Entity) map[string]string {
	out := map[string]string{}
	ambiguous := map[string]bool{}
	put := func(login, email string) {
		login, email = lower(login), lower(email)
		if login == "" || email == "" || ambiguous[login] {
			return
		}
		if prev, ok := out[login]; ok && prev != email {
			delete(out, login)
			ambiguous[login] = true
			return
		}
		out[login] = email
	}
	for _, e := range entities {
		if strings.EqualFold(e.Kind, "User") {
			put(e.Name, e.Email)
		}
	}
	for _, p := range people {
		if p.Bot {
			continue
		}
		for _, id := range p.Identities {
			if l := identity.GitHubLogin(id.Email); l != "" {
				put(l, p.Email)
			}
		}
	}
	for l, e := range explicit {
		l = lower(l)
		delete(ambiguous, l)
		out[l] = lower(e)
	}
	return out
}
