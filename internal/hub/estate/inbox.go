package estate

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/ospo-project/ospo/internal/auth"
	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/events"
	"github.com/ospo-project/ospo/internal/governance"
	"github.com/ospo-project/ospo/internal/inbox"
	"github.com/ospo-project/ospo/internal/store"
)

// The inbox: a person's projects and the catalogue facts about them, read
// from the estate snapshot, for the providers of internal/inbox.

// InboxPerson returns who the account with email is for the inbox: the
// catalogue person whose identities include the e-mail (if any), the teams
// the e-mail is a member of, and their projects: those whose ownership
// claims name them or one of their teams (owner), and those they committed
// to (contributor).
func (c *Catalog) InboxPerson(ctx context.Context, email string) (inbox.Person, error) {
	p := inbox.Person{Email: email, Emails: []string{email}}
	claimant := auth.Claimant{Emails: []string{email}}
	person, err := c.st.Person(ctx, email)
	switch {
	case err == nil:
		p.Name = person.Name
		for _, id := range person.Identities {
			claimant.Emails = append(claimant.Emails, id.Email)
			p.Emails = append(p.Emails, id.Email)
		}
	case errors.Is(err, store.ErrNotFound), errors.Is(err, store.ErrAmbiguous):
		person = nil
	default:
		return p, err
	}
	ms, err := c.st.Memberships(ctx, email)
	if err != nil {
		return p, err
	}
	for _, m := range ms {
		claimant.Teams = append(claimant.Teams, m.Team)
		p.Teams = append(p.Teams, m.Team)
	}
	e, err := c.Snapshot(ctx)
	if err != nil {
		return p, err
	}
	// The projects whose claims name them: auth.Owns over the estate, as
	// lookups in the snapshot's index of projects by claim key.
	seen := map[int64]bool{}
	byClaim := e.claimIndex()
	for _, k := range auth.ClaimantKeys(claimant) {
		for _, i := range byClaim[k] {
			pr := &e.all[i]
			if !seen[pr.ID] {
				seen[pr.ID] = true
				p.Projects = append(p.Projects, inbox.Project{ID: pr.ID, Key: pr.Key, Name: pr.Name, Role: inbox.RoleOwner})
			}
		}
	}
	if person != nil {
		e.indexOnce.Do(e.index)
		for _, pp := range person.Projects {
			pr := e.byID[pp.ProjectID]
			if seen[pp.ProjectID] || pr == nil {
				continue
			}
			seen[pp.ProjectID] = true
			p.Projects = append(p.Projects, inbox.Project{ID: pr.ID, Key: pr.Key, Name: pr.Name, Role: inbox.RoleContributor})
		}
	}
	inbox.SortProjects(p.Projects)
	return p, nil
}

// InboxCatalogue returns the catalogue facts the inbox providers read,
// from the estate snapshot (vulnerability findings, advisory dates) and the
// store (licence findings of the projects in violation, score history).
func (c *Catalog) InboxCatalogue() inbox.Catalogue { return inboxCatalogue{c} }

// InboxProviders are the providers of the store's own items:
// vulnerabilities, licence violations and scorecard drops from the
// catalogue, the governance items (requests waiting on the person,
// decisions on theirs, estate reviews due) under the policies of
// SetGovernancePolicies, and the items of the sources' facts (tracker
// issues assigned to them, failing builds, pull requests to review, help
// wanted issues in their languages).
func (c *Catalog) InboxProviders() []inbox.Provider {
	return append(c.factProviders(), c.liveProviders()...)
}

// factProviders are the providers whose items derive from the catalogue's
// facts (the projects' findings and scores, the sources' facts): they
// change only with the store's generation, so Inbox keeps their items.
func (c *Catalog) factProviders() []inbox.Provider {
	cat := c.InboxCatalogue()
	return []inbox.Provider{inbox.Vulnerabilities{Catalogue: cat}, inbox.Licenses{Catalogue: cat}, inbox.Scorecards{Catalogue: cat},
		inbox.TrackerIssues{Facts: c.st}, inbox.FailedBuilds{Facts: c.st, Now: c.now}, inbox.Reviews{Facts: c.st, Logins: c.inboxLogins},
		inbox.HelpWanted{Facts: c.st, Languages: c.mainLanguages}}
}

// inboxLogins returns the person's forge logins as events and expertise
// match them (events.Logins: the configured map and Backstage users), kept
// when they lead to one of the person's e-mails. GitHub no-reply addresses
// among the e-mails the inbox matches itself.
func (c *Catalog) inboxLogins(ctx context.Context, p inbox.Person) ([]string, error) {
	ents, err := c.st.Entities(ctx, "")
	if err != nil {
		return nil, err
	}
	emails := map[string]bool{}
	for _, e := range p.Emails {
		emails[strings.ToLower(e)] = true
	}
	c.loginsMu.Lock()
	explicit := c.logins
	c.loginsMu.Unlock()
	var out []string
	for l, e := range events.Logins(explicit, nil, ents) {
		if emails[e] {
			out = append(out, l)
		}
	}
	slices.Sort(out)
	return out, nil
}

// liveProviders are the providers of what changes without advancing the
// store's generation (requests, held pushes, accounts' roles): asked on
// every Inbox.
func (c *Catalog) liveProviders() []inbox.Provider {
	return []inbox.Provider{inbox.Requests{Source: c.st, Policies: c.govPolicies, Now: c.now, Actor: c.governanceActor}, heldPushes{c}}
}

// claimIndex returns the snapshot's projects (indexes in e.all) by the key
// of each of their ownership claims (auth.ClaimKey), built once.
func (e *Snapshot) claimIndex() map[string][]int32 {
	e.claimOnce.Do(func() {
		e.byClaim = map[string][]int32{}
		for i := range e.all {
			for _, o := range e.all[i].Owners {
				k := auth.ClaimKey(o.Owner)
				if k == "" {
					continue
				}
				if l := e.byClaim[k]; len(l) == 0 || l[len(l)-1] != int32(i) {
					e.byClaim[k] = append(l, int32(i))
				}
			}
		}
	})
	return e.byClaim
}

// mainLanguages returns the main language (most bytes) of every project of
// the snapshot, by key.
func (c *Catalog) mainLanguages(ctx context.Context) (map[string]string, error) {
	e, err := c.Snapshot(ctx)
	if err != nil {
		return nil, err
	}
	e.langOnce.Do(func() {
		e.mainLang = make(map[string]string, len(e.all))
		for _, p := range e.all {
			var best catalog.Language
			for _, l := range p.Languages {
				if l.Bytes > best.Bytes {
					best = l
				}
			}
			if best.Name != "" {
				e.mainLang[p.Key] = best.Name
			}
		}
	})
	return e.mainLang, nil
}

// heldPushes provides, to a person whose account may review (auth.Review:
// ospo and admin), one item per push the push proxy holds for review
// (issue 15) that they did not make themselves (four eyes). Its
// fingerprint is the push's findings, which do not change while it is held.
type heldPushes struct{ c *Catalog }

func (heldPushes) Name() string { return "held pushes" }

func (h heldPushes) Items(ctx context.Context, p inbox.Person) ([]inbox.Item, error) {
	acc, err := h.c.st.Account(ctx, p.Email)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if acc.Disabled || !auth.Allowed(acc.Role, auth.Review) {
		return nil, nil
	}
	pushes, err := h.c.st.ListPushes(ctx, store.PushFilter{Status: catalog.PushHeld})
	if err != nil {
		return nil, err
	}
	var out []inbox.Item
	for _, ps := range pushes {
		if strings.EqualFold(strings.TrimSpace(ps.Pusher), strings.TrimSpace(p.Email)) {
			continue
		}
		id := strconv.FormatInt(ps.ID, 10)
		var fs []string
		for _, f := range ps.Findings {
			fs = append(fs, fmt.Sprintf("%v", f))
		}
		why := fmt.Sprintf("%d findings", len(ps.Findings))
		out = append(out, inbox.Item{
			Key: inbox.KindHeldPush + ":" + id, Fingerprint: inbox.Fingerprint(append([]string{string(ps.Status)}, fs...)...),
			Kind: inbox.KindHeldPush, Title: fmt.Sprintf("Push #%s by %s to %s is held for review", id, ps.Pusher, ps.Upstream),
			Detail:   why + "; approve or reject it on its page or with `ospo push approve|reject " + id + "`",
			Severity: "high", Since: ps.CreatedAt, URL: "/pushes/" + id,
		})
	}
	return out, nil
}

// SetGovernancePolicies sets who reviews which kind of request
// (governance.kinds of ospo.yaml), for the inbox's request items; by
// default governance.Policies' defaults. Call it before serving.
func (c *Catalog) SetGovernancePolicies(ps governance.Policies) { c.govPolicies = ps }

// governanceActor is the person as the governance policy sees them: their
// account's role (none without an account) and teams.
func (c *Catalog) governanceActor(ctx context.Context, p inbox.Person) (governance.Actor, error) {
	acc, err := c.st.Account(ctx, p.Email)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return governance.Actor{Email: p.Email, Teams: p.Teams}, nil
	case err != nil:
		return governance.Actor{}, err
	case acc.Disabled:
		return governance.Actor{Email: p.Email, Teams: p.Teams}, nil
	}
	return inbox.ActorOf(p, acc.Role), nil
}

// SetInboxProviders adds providers of other item families (requests,
// held pushes, recommendations…) to the catalogue's own. Call it before
// serving.
func (c *Catalog) SetInboxProviders(ps ...inbox.Provider) { c.extraProviders = ps }

// Inbox builds the inbox of the account with email from the catalogue's
// providers and those of SetInboxProviders, with the person's stored
// decisions applied.
//
// The items of the fact providers (findings, scores, sources' facts) are
// kept for the person while the store's generation is unchanged (every
// write of the catalogue's facts advances it), they are the same person
// (e-mails, teams, projects), and at most the snapshot TTL (or maxInboxAge
// when it is zero); requests, held pushes and the decisions are read on
// every call. So an inbox is as fresh as the store, and a person opening
// it again costs a few small reads rather than every provider's queries.
func (c *Catalog) Inbox(ctx context.Context, email string, o inbox.Options) (*inbox.Inbox, inbox.Person, error) {
	gen, err := c.st.Generation(ctx)
	if err != nil {
		return nil, inbox.Person{}, err
	}
	p, err := c.InboxPerson(ctx, email)
	if err != nil {
		return nil, p, err
	}
	states, err := c.st.InboxStates(ctx, email)
	if err != nil {
		return nil, p, err
	}
	if o.Now.IsZero() {
		o.Now = c.now()
	}
	live := append(c.liveProviders(), c.extraProviders...)
	key := inboxCacheKey(p, gen)
	if cached := c.inboxCache.get(key, c.now()); cached != nil {
		return inbox.Build(ctx, p, append(cached, live...), states, o), p, nil
	}
	facts := c.factProviders()
	recs := make([]*recordingProvider, len(facts))
	wrapped := make([]inbox.Provider, len(facts))
	for i, pr := range facts {
		recs[i] = &recordingProvider{Provider: pr}
		wrapped[i] = recs[i]
	}
	in := inbox.Build(ctx, p, append(wrapped, live...), states, o)
	if !slices.ContainsFunc(recs, func(r *recordingProvider) bool { return r.err != nil }) {
		fixed := make([]inbox.Provider, len(recs))
		for i, r := range recs {
			fixed[i] = fixedProvider{name: r.Name(), items: r.items}
		}
		c.inboxCache.put(key, fixed, c.now(), c.inboxTTL())
	}
	return in, p, nil
}

// maxInboxAge is how long a person's derived items are kept when the
// catalogue's snapshot TTL is zero (tests, benchmarks): they still go as
// soon as the store changes.
const maxInboxAge = 30 * time.Second

func (c *Catalog) inboxTTL() time.Duration {
	if c.ttl > 0 {
		return c.ttl
	}
	return maxInboxAge
}

// inboxCacheKey identifies what a person's derived items depend on besides
// the store: who they are (e-mails, teams, projects) and the generation.
func inboxCacheKey(p inbox.Person, gen int64) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d\x00%s\x00%s\x00%s\x00", gen, p.Email, strings.Join(p.Emails, ","), strings.Join(p.Teams, ","))
	for _, pr := range p.Projects {
		fmt.Fprintf(&b, "%d:%s,", pr.ID, pr.Role)
	}
	return b.String()
}

// recordingProvider keeps what its provider returned.
type recordingProvider struct {
	inbox.Provider
	items []inbox.Item
	err   error
}

func (r *recordingProvider) Items(ctx context.Context, p inbox.Person) ([]inbox.Item, error) {
	items, err := r.Provider.Items(ctx, p)
	r.items, r.err = slices.Clone(items), err
	return items, err
}

// fixedProvider returns the items a provider returned before.
type fixedProvider struct {
	name  string
	items []inbox.Item
}

func (f fixedProvider) Name() string { return f.name }

func (f fixedProvider) Items(context.Context, inbox.Person) ([]inbox.Item, error) {
	return slices.Clone(f.items), nil
}

// maxInboxCache is how many people's derived items are kept.
const maxInboxCache = 512

// inboxCache holds people's derived items by inboxCacheKey.
type inboxCache struct {
	mu      sync.Mutex
	entries map[string]inboxEntry
}

type inboxEntry struct {
	providers []inbox.Provider
	expires   time.Time
}

func (ic *inboxCache) get(key string, now time.Time) []inbox.Provider {
	ic.mu.Lock()
	defer ic.mu.Unlock()
	e, ok := ic.entries[key]
	if !ok || !now.Before(e.expires) {
		return nil
	}
	return e.providers
}

func (ic *inboxCache) put(key string, ps []inbox.Provider, now time.Time, ttl time.Duration) {
	ic.mu.Lock()
	defer ic.mu.Unlock()
	if ic.entries == nil {
		ic.entries = map[string]inboxEntry{}
	}
	if len(ic.entries) >= maxInboxCache {
		for k, e := range ic.entries { // expired ones first, else any
			if !now.Before(e.expires) {
				delete(ic.entries, k)
			}
		}
		for k := range ic.entries {
			if len(ic.entries) < maxInboxCache {
				break
			}
			delete(ic.entries, k)
		}
	}
	ic.entries[key] = inboxEntry{providers: ps, expires: now.Add(ttl)}
}

type inboxCatalogue struct{ c *Catalog }

func (ic inboxCatalogue) VulnFindings(ctx context.Context, ids []int64) (map[int64][]catalog.VulnFinding, error) {
	e, err := ic.c.Snapshot(ctx)
	if err != nil {
		return nil, err
	}
	e.indexOnce.Do(e.index)
	out := map[int64][]catalog.VulnFinding{}
	for _, id := range ids {
		if i, ok := e.exposureAt[id]; ok {
			out[id] = e.exposure[i].Findings
		}
	}
	return out, nil
}

func (ic inboxCatalogue) AdvisoryPublished(id string) time.Time {
	ic.c.mu.Lock()
	e := ic.c.snap
	ic.c.mu.Unlock()
	if e == nil {
		return time.Time{}
	}
	return e.published[id]
}

func (ic inboxCatalogue) LicenseFindings(ctx context.Context, ids []int64) (map[int64]inbox.LicenseFacts, error) {
	e, err := ic.c.Snapshot(ctx)
	if err != nil {
		return nil, err
	}
	e.indexOnce.Do(e.index)
	// Only the projects the licence summary lists in violation have an
	// unsuppressed violation: read those projects' findings, in one read.
	want := make(map[int64]bool, len(ids))
	for _, id := range ids {
		want[id] = true
	}
	var read []int64
	for _, v := range e.licenses.InViolation {
		if want[v.ProjectID] {
			read = append(read, v.ProjectID)
		}
	}
	out := map[int64]inbox.LicenseFacts{}
	if len(read) == 0 {
		return out, nil
	}
	fs, err := ic.c.st.LicenseFindings(ctx, read)
	if err != nil {
		return nil, err
	}
	for id, f := range fs {
		lf := inbox.LicenseFacts{Findings: f}
		if p := e.byID[id]; p != nil {
			lf.ScannedAt = p.ScannedAt
		}
		out[id] = lf
	}
	return out, nil
}

func (ic inboxCatalogue) Scores(ctx context.Context, ids []int64) (map[int64][]catalog.Scorecard, error) {
	e, err := ic.c.Snapshot(ctx)
	if err != nil {
		return nil, err
	}
	var scored []int64
	for _, id := range ids {
		if _, ok := e.scores[id]; ok {
			scored = append(scored, id)
		}
	}
	if len(scored) == 0 {
		return map[int64][]catalog.Scorecard{}, nil
	}
	return ic.c.st.RecentScores(ctx, scored, 2)
}

// Audit actions of inbox decisions.
const (
	ActInboxSnooze      = "inbox.snooze"
	ActInboxDone        = "inbox.done"
	ActInboxReopen      = "inbox.reopen"
	ActInboxPreferences = "inbox.preferences"
)

// ErrNoItem is returned (wrapped) when a decision names an item that is
// not in the person's inbox. It is a catalog.ErrNotFound.
var ErrNoItem = catalog.Kind("no such inbox item", catalog.ErrNotFound)

// DecideInbox records the person's decision about one item of their
// inbox: state is catalog.InboxSnoozed (until a time in the future),
// catalog.InboxDone, or "open" to reopen it. The decision holds for the
// fact the person saw: fingerprint, or when empty the item's current one.
// Returns a wrapped ErrNoItem when key is not in the inbox (open, snoozed
// or done) and a wrapped ErrInvalid for an unknown state or a snooze that
// ends in the past. by (the audit entry; its Action is set here) is
// appended with the change.
func (c *Catalog) DecideInbox(ctx context.Context, email, key, state string, until time.Time, fingerprint string, by *catalog.AuditEntry) error {
	now := c.now()
	switch state {
	case catalog.InboxSnoozed:
		if !until.After(now) {
			return fmt.Errorf("%w: a snooze must end in the future", ErrInvalid)
		}
	case catalog.InboxDone, inbox.StateOpen:
	default:
		return fmt.Errorf("%w: unknown state %q (want snoozed, done or open)", ErrInvalid, state)
	}
	in, _, err := c.Inbox(ctx, email, inbox.Options{Now: now, Hidden: true})
	if err != nil {
		return err
	}
	var it *inbox.Item
	for _, list := range [][]inbox.Item{in.Items, in.Snoozed, in.Done} {
		for i := range list {
			if list[i].Key == key {
				it = &list[i]
			}
		}
	}
	if it == nil {
		return fmt.Errorf("%w: %q", ErrNoItem, key)
	}
	if by != nil {
		by.Action = map[string]string{catalog.InboxSnoozed: ActInboxSnooze, catalog.InboxDone: ActInboxDone, inbox.StateOpen: ActInboxReopen}[state]
	}
	if state == inbox.StateOpen {
		return c.st.DeleteInboxState(ctx, email, key, by)
	}
	if fingerprint == "" {
		fingerprint = it.Fingerprint
	}
	_, err = c.st.SetInboxState(ctx, catalog.InboxState{Email: email, Item: key, State: state, Fingerprint: fingerprint, Until: until, At: now}, by)
	return err
}
