package estate

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/ospo-project/ospo/internal/auth"
	"github.com/ospo-project/ospo/internal/catalog"
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
	seen := map[int64]bool{}
	for i := range e.all {
		pr := &e.all[i]
		if len(pr.Owners) > 0 && auth.Owns(claimant, pr.Owners) {
			seen[pr.ID] = true
			p.Projects = append(p.Projects, inbox.Project{ID: pr.ID, Key: pr.Key, Name: pr.Name, Role: inbox.RoleOwner})
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
	cat := c.InboxCatalogue()
	return []inbox.Provider{inbox.Vulnerabilities{Catalogue: cat}, inbox.Licenses{Catalogue: cat}, inbox.Scorecards{Catalogue: cat},
		inbox.Requests{Source: c.st, Policies: c.govPolicies, Now: c.now, Actor: c.governanceActor}, heldPushes{c},
		inbox.TrackerIssues{Facts: c.st}, inbox.FailedBuilds{Facts: c.st, Now: c.now}, inbox.Reviews{Facts: c.st},
		inbox.HelpWanted{Facts: c.st, Languages: c.mainLanguages}}
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
func (c *Catalog) Inbox(ctx context.Context, email string, o inbox.Options) (*inbox.Inbox, inbox.Person, error) {
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
	return inbox.Build(ctx, p, append(c.InboxProviders(), c.extraProviders...), states, o), p, nil
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
