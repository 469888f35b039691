package estate

import (
	"context"
	"fmt"
	"strconv"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/events"
	"github.com/ospo-project/ospo/internal/openbadge"
	"github.com/ospo-project/ospo/internal/store"
)

// Leaderboard returns the team leaderboard and the leaderboard of the
// people who consented (events.Board over every event). The points come
// from the Catalog's tally (see tallied): brought up to date, in the
// background, with only the events recorded since it last read the store,
// and served as they were until then, so no request waits for it (with a
// TTL of 0 it is brought up to date on every call). The board is then
// built from the points, the consents (read on every call: a withdrawal
// takes effect at once) and the team memberships (read at most once per
// snapshot TTL), once for each of them, and shared: callers must not
// change it.
func (c *Catalog) Leaderboard(ctx context.Context) (events.Leaderboard, error) {
	deps, err := c.teamDeps(ctx)
	if err != nil {
		return events.Leaderboard{}, err
	}
	t, err := c.tallied(ctx, deps.gen)
	if err != nil {
		return events.Leaderboard{}, err
	}
	key := strconv.FormatUint(t.version, 10) + "/" + deps.digest + "/" + deps.optDigest
	return c.board.get(key, false, func() (events.Leaderboard, error) {
		return events.BoardOf(t.standings, t.people, deps.ms, deps.optins), nil
	})
}

// tally is the points of everyone as of one read of the store: immutable.
type tally struct {
	gen       int64  // the store's generation read before the events
	version   uint64 // advances with each tally published
	standings []events.Standing
	people    []catalog.Person // store.TallyRead.People
}

// tallied returns the current tally. When the store's generation gen is
// not the tally's, it brings the tally up to date: now when there is none
// yet or the TTL is 0, else in the background while the current one is
// returned (stale while revalidating).
func (c *Catalog) tallied(ctx context.Context, gen int64) (*tally, error) {
	c.tallyMu.Lock()
	t := c.tally
	if t != nil && (t.gen == gen || c.ttl > 0) {
		if t.gen != gen && !c.tallying {
			c.tallying = true
			go func() {
				c.updateTally(context.WithoutCancel(ctx))
				c.tallyMu.Lock()
				c.tallying = false
				c.tallyMu.Unlock()
			}()
		}
		c.tallyMu.Unlock()
		return t, nil
	}
	c.tallyMu.Unlock()
	return c.updateTally(ctx)
}

// updateTally reads the events recorded since the last tally
// (store.EventStore.TallyEvents), adds them to the Catalog's ledger,
// which re-tallies only the people they (or changed identities) touch,
// and publishes the new tally. One update runs at a time; on failure the
// ledger is left as it was.
func (c *Catalog) updateTally(ctx context.Context) (*tally, error) {
	c.ledgerMu.Lock()
	defer c.ledgerMu.Unlock()
	gen, err := c.st.Generation(ctx)
	if err != nil {
		return nil, err
	}
	c.tallyMu.Lock()
	cur := c.tally
	c.tallyMu.Unlock()
	if cur != nil && cur.gen == gen {
		return cur, nil
	}
	if c.ledger == nil {
		c.ledger, c.ledgerMark = events.NewLedger(events.DefaultCaps), 0
	}
	r, err := c.st.TallyEvents(ctx, c.ledgerMark)
	if err != nil {
		return nil, fmt.Errorf("read events: %w", err)
	}
	c.ledger.Add(r.Events, r.PersonOf)
	c.ledgerMark = r.Mark
	t := &tally{gen: gen, standings: c.ledger.Standings(), people: r.People}
	c.tallyMu.Lock()
	defer c.tallyMu.Unlock()
	c.tallyVersion++
	t.version = c.tallyVersion
	c.tally = t
	return t, nil
}

// Standing returns the points, level, badges and events of the person
// with ID id (all of their e-mails). Returns store.ErrNotFound.
func (c *Catalog) Standing(ctx context.Context, id string) (events.Standing, error) {
	p, err := c.st.Person(ctx, id)
	if err != nil {
		return events.Standing{}, err
	}
	return c.StandingOf(ctx, p)
}

// StandingOf is Standing for a person already read from the store (a
// page that shows the person reads them once).
func (c *Catalog) StandingOf(ctx context.Context, p *catalog.Person) (events.Standing, error) {
	evs, err := c.st.Events(ctx, store.EventFilter{PersonID: p.ID, Email: p.Email})
	if err != nil {
		return events.Standing{}, fmt.Errorf("read events: %w", err)
	}
	return events.PersonStanding(p.ID, evs, events.DefaultCaps), nil
}

// EventQuery selects events for the API.
type EventQuery struct {
	// Person is a person ref (ID, e-mail or name); Project a project ref.
	Person, Project, Kind string
	Limit                 int
}

// Events returns the events q selects, oldest first. An unknown person or
// project is store.ErrNotFound.
func (c *Catalog) Events(ctx context.Context, q EventQuery) ([]catalog.Event, error) {
	f := store.EventFilter{Kind: q.Kind, Limit: q.Limit}
	if q.Person != "" {
		p, err := c.st.Person(ctx, q.Person)
		if err != nil {
			return nil, err
		}
		f.PersonID, f.Email = p.ID, p.Email
	}
	if q.Project != "" {
		p, err := c.st.Project(ctx, q.Project)
		if err != nil {
			return nil, err
		}
		f.ProjectKey = p.Key
	}
	evs, err := c.st.Events(ctx, f)
	if evs == nil && err == nil {
		evs = []catalog.Event{}
	}
	return evs, err
}

// SetBadgeIssuer sets the issuer of Open Badges credentials (nil: none
// are issued). Call it before serving.
func (c *Catalog) SetBadgeIssuer(iss *openbadge.Issuer) { c.issuer = iss }

// IssuesCredentials reports whether an issuer key is configured.
func (c *Catalog) IssuesCredentials() bool { return c.issuer != nil }

// Credential returns the signed Open Badges 3.0 credential of the badge
// the person with ID id earned. Returns store.ErrNotFound (wrapped) when
// no issuer key is configured, the person is unknown or has not earned it.
func (c *Catalog) Credential(ctx context.Context, id, badge string) ([]byte, error) {
	if c.issuer == nil {
		return nil, fmt.Errorf("no Open Badges issuer key is configured (badges.issuer_key_file): %w", store.ErrNotFound)
	}
	p, err := c.st.Person(ctx, id)
	if err != nil {
		return nil, err
	}
	evs, err := c.st.Events(ctx, store.EventFilter{PersonID: p.ID, Email: p.Email})
	if err != nil {
		return nil, fmt.Errorf("read events: %w", err)
	}
	for _, b := range events.PersonStanding(p.ID, evs, events.DefaultCaps).Badges {
		if b.ID == badge {
			return openbadge.Credential(*c.issuer, openbadge.ForBadge(b, p.Email, p.Name, c.issuer.URL), c.now())
		}
	}
	return nil, fmt.Errorf("%s has not earned %q: %w", p.Name, badge, store.ErrNotFound)
}
