// Package inbox derives one person's inbox: the prioritised list of what
// needs them (vulnerabilities in their projects, licence violations,
// scorecard drops, and whatever other providers add: requests, held
// pushes, recommendations), de-duplicated, with the person's decisions
// (snoozed, done) applied.
//
// Items are never stored. Each Provider derives its items from facts when
// asked; Build merges them, applies the stored catalog.InboxState values
// and ranks the rest. An item has a Key (kind and subject, stable while the
// fact changes) and a Fingerprint (a hash of the fact): a snooze or a "done"
// holds only while the fingerprint is the one the person saw, so an item
// comes back when the fact behind it changes.
//
// The package takes and returns values; it reads no store (the catalogue
// providers read through the Catalogue interface).
package inbox

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/ospo-project/ospo/internal/catalog"
)

// Item kinds. Providers of other packages may add their own.
const (
	KindVulnerability  = "vulnerability"
	KindLicense        = "license"
	KindScorecard      = "scorecard"
	KindRequest        = "request"    // a request waiting on the person's approval
	KindDecision       = "decision"   // a decision on one of the person's requests
	KindHeldPush       = "held-push"  // a push held for the person's review
	KindReviewDue      = "review-due" // an external project's yearly review, due
	KindRecommendation = "recommendation"
)

// Role is how a person relates to a project.
type Role string

// Roles, most involved first.
const (
	RoleOwner       Role = "owner"       // an ownership claim names them or their team
	RoleContributor Role = "contributor" // they committed to it
)

// Project is one project of a person's, with their role in it.
type Project struct {
	ID   int64  `json:"id"`
	Key  string `json:"key,omitempty"`
	Name string `json:"name"`
	Role Role   `json:"role"`
}

// Person is whose inbox is built: their account e-mail (the states are
// stored under it) and the projects they own or work on.
type Person struct {
	Email string `json:"email"`
	Name  string `json:"name,omitempty"`
	// Emails are every address of the person (account and catalogue
	// identities), for providers that match people by address.
	Emails []string `json:"-"`
	// Teams are the teams the person is a member of.
	Teams    []string  `json:"teams,omitempty"`
	Projects []Project `json:"projects"`
}

// Item is one thing that needs the person.
type Item struct {
	// Key identifies the item across derivations: kind and subject
	// ("vulnerability:GHSA-…", "scorecard:<project key>"). States are
	// stored by it.
	Key string `json:"key"`
	// Fingerprint is a hash of the fact behind the item; it changes when
	// the fact does.
	Fingerprint string `json:"fingerprint"`
	Kind        string `json:"kind"`
	Title       string `json:"title"`
	Detail      string `json:"detail,omitempty"`
	// Severity is critical, high, medium, low or unknown (the scale every
	// kind is ranked on).
	Severity string `json:"severity"`
	// Since is when the fact began (an advisory's publication, a score's
	// drop); zero when unknown.
	Since time.Time `json:"since,omitzero"`
	// Projects are the person's projects the item concerns, owned ones
	// first; Role is the person's closest role among them.
	Projects []Project `json:"projects,omitempty"`
	Role     Role      `json:"role,omitempty"`
	// URL is the hub path where the item is acted on.
	URL string `json:"url"`
	// FixedIn and Upgrade are a vulnerability's: the version that fixes it
	// and the size of the upgrade (patch, minor, major; "" when unknown).
	FixedIn string `json:"fixed_in,omitempty"`
	Upgrade string `json:"upgrade,omitempty"`
	// Priority orders the inbox, highest first (see Build).
	Priority int `json:"priority"`
	// State is open, or snoozed / done in a listing that includes those.
	State string `json:"state"`
	// Until is when a snoozed item comes back.
	Until time.Time `json:"until,omitzero"`
}

// StateOpen is the State of an item without a decision in force.
const StateOpen = "open"

// Provider derives one family of items for a person. Implementations are
// safe for concurrent use; an error fails only that provider's part of the
// inbox (see Inbox.Failed).
type Provider interface {
	// Name names the provider in errors ("vulnerabilities", "requests").
	Name() string
	// Items returns the items that need p, de-duplicated by Key.
	Items(ctx context.Context, p Person) ([]Item, error)
}

// Inbox is a person's derived inbox.
type Inbox struct {
	Person string `json:"person"`
	// Items are the open items, highest priority first.
	Items []Item `json:"items"`
	// Snoozed and Done are the items a decision in force hides, when asked
	// for (Options.Hidden); else only counted.
	Snoozed      []Item `json:"snoozed,omitempty"`
	Done         []Item `json:"done,omitempty"`
	SnoozedCount int    `json:"snoozed_count"`
	DoneCount    int    `json:"done_count"`
	// Failed names the providers that failed, with their error.
	Failed []string `json:"failed,omitempty"`
}

// Options tune Build.
type Options struct {
	// Now is the time snoozes are compared with.
	Now time.Time
	// MaxRecommendations caps the recommendation items (default
	// DefaultMaxRecommendations; negative: none).
	MaxRecommendations int
	// Hidden keeps the snoozed and done items in Inbox.Snoozed and Done.
	Hidden bool
}

// DefaultMaxRecommendations is how many recommendations an inbox holds at
// most: a few, never crowding out work.
const DefaultMaxRecommendations = 3

// Build asks every provider for p's items, merges items with the same Key
// (their projects joined, the worst severity kept, fingerprints combined),
// applies states (the person's decisions, from InboxStates) and ranks the
// open items: by Priority (severity, the person's role, age), then oldest
// first, then by Key. Recommendations come after every other item whatever
// their priority, at most Options.MaxRecommendations of them.
func Build(ctx context.Context, p Person, providers []Provider, states []catalog.InboxState, o Options) *Inbox {
	if o.Now.IsZero() {
		o.Now = time.Now()
	}
	if o.MaxRecommendations == 0 {
		o.MaxRecommendations = DefaultMaxRecommendations
	}
	in := &Inbox{Person: p.Email, Items: []Item{}}
	byKey := map[string]int{}
	var items []Item
	for _, pr := range providers {
		got, err := pr.Items(ctx, p)
		if err != nil {
			in.Failed = append(in.Failed, fmt.Sprintf("%s: %v", pr.Name(), err))
			continue
		}
		for _, it := range got {
			if i, ok := byKey[it.Key]; ok {
				items[i] = merge(items[i], it)
				continue
			}
			byKey[it.Key] = len(items)
			items = append(items, it)
		}
	}
	stateOf := map[string]catalog.InboxState{}
	for _, s := range states {
		stateOf[s.Item] = s
	}
	var recs []Item
	for _, it := range items {
		it.Severity = Severity(it.Severity)
		it.Role = bestRole(it.Projects, it.Role)
		it.Priority = priority(it, o.Now)
		it.State = StateOpen
		if s, ok := stateOf[it.Key]; ok && s.Fingerprint == it.Fingerprint {
			switch {
			case s.State == catalog.InboxDone:
				it.State = catalog.InboxDone
				in.DoneCount++
				if o.Hidden {
					in.Done = append(in.Done, it)
				}
				continue
			case s.State == catalog.InboxSnoozed && o.Now.Before(s.Until):
				it.State, it.Until = catalog.InboxSnoozed, s.Until
				in.SnoozedCount++
				if o.Hidden {
					in.Snoozed = append(in.Snoozed, it)
				}
				continue
			}
		}
		if it.Kind == KindRecommendation {
			recs = append(recs, it)
			continue
		}
		in.Items = append(in.Items, it)
	}
	Rank(in.Items)
	Rank(recs)
	if o.MaxRecommendations > 0 {
		in.Items = append(in.Items, recs[:min(len(recs), o.MaxRecommendations)]...)
	}
	Rank(in.Snoozed)
	Rank(in.Done)
	return in
}

// Rank orders items by Priority (highest first), then Since (oldest
// first), then Key.
func Rank(items []Item) {
	slices.SortStableFunc(items, func(a, b Item) int {
		return cmp.Or(cmp.Compare(b.Priority, a.Priority), a.Since.Compare(b.Since), strings.Compare(a.Key, b.Key))
	})
}

// Severities, worst first: the scale every kind is ranked on.
var Severities = []string{"critical", "high", "medium", "low", "unknown"}

// Severity returns s as one of Severities, case-insensitively (MODERATE
// is medium); anything else is unknown.
func Severity(s string) string {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "critical":
		return "critical"
	case "high":
		return "high"
	case "medium", "moderate":
		return "medium"
	case "low":
		return "low"
	}
	return "unknown"
}

// severityWeight is the base of an item's priority.
func severityWeight(s string) int {
	return map[string]int{"critical": 400, "high": 300, "medium": 200, "low": 100}[s]
}

// priority weighs an item: its severity (critical 400, high 300, medium
// 200, low 100, unknown 0), plus 50 when the person owns one of its
// projects (an owner is who acts), plus one point per full week since the
// fact began, at most 50 (an old problem is more pressing than a new one of
// the same kind, but never outranks a worse severity).
func priority(it Item, now time.Time) int {
	p := severityWeight(it.Severity)
	if it.Role == RoleOwner {
		p += 50
	}
	if !it.Since.IsZero() && now.After(it.Since) {
		p += min(int(now.Sub(it.Since)/(7*24*time.Hour)), 50)
	}
	return p
}

// bestRole is the closest role among ps (owner before contributor), or
// fallback when ps is empty.
func bestRole(ps []Project, fallback Role) Role {
	if len(ps) == 0 {
		return fallback
	}
	r := RoleContributor
	for _, p := range ps {
		if p.Role == RoleOwner {
			r = RoleOwner
		}
	}
	return r
}

// merge joins b into a (same Key): projects united, the worse severity and
// the earlier Since kept, fingerprints combined.
func merge(a, b Item) Item {
	seen := map[int64]bool{}
	for _, p := range a.Projects {
		seen[p.ID] = true
	}
	for _, p := range b.Projects {
		if !seen[p.ID] {
			seen[p.ID] = true
			a.Projects = append(a.Projects, p)
		}
	}
	SortProjects(a.Projects)
	if severityWeight(Severity(b.Severity)) > severityWeight(Severity(a.Severity)) {
		a.Severity = b.Severity
	}
	if !b.Since.IsZero() && (a.Since.IsZero() || b.Since.Before(a.Since)) {
		a.Since = b.Since
	}
	a.Fingerprint = Fingerprint(a.Fingerprint, b.Fingerprint)
	return a
}

// SortProjects orders projects owned ones first, then by name and ID.
func SortProjects(ps []Project) {
	slices.SortFunc(ps, func(a, b Project) int {
		ra, rb := 0, 0
		if a.Role != RoleOwner {
			ra = 1
		}
		if b.Role != RoleOwner {
			rb = 1
		}
		return cmp.Or(cmp.Compare(ra, rb), strings.Compare(a.Name, b.Name), cmp.Compare(a.ID, b.ID))
	})
}

// Fingerprint hashes the parts of a fact (in the order given) into a short
// hex string. Parts are separated so that ("ab", "c") and ("a", "bc")
// differ.
func Fingerprint(parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		fmt.Fprintf(h, "%d:%s;", len(p), p)
	}
	return hex.EncodeToString(h.Sum(nil)[:12])
}

// Recommendations adapts a recommender to a Provider: Recommend returns
// the person's recommendations as items (Kind is set to
// KindRecommendation, Severity to low); Build keeps at most
// Options.MaxRecommendations of them, after every other item.
type Recommendations struct {
	Recommend func(ctx context.Context, p Person) ([]Item, error)
}

// Name implements Provider.
func (Recommendations) Name() string { return "recommendations" }

// Items implements Provider.
func (r Recommendations) Items(ctx context.Context, p Person) ([]Item, error) {
	items, err := r.Recommend(ctx, p)
	for i := range items {
		items[i].Kind, items[i].Severity = KindRecommendation, "low"
	}
	return items, err
}
