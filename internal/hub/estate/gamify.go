package estate

import (
	"context"
	"fmt"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/events"
	"github.com/ospo-project/ospo/internal/openbadge"
	"github.com/ospo-project/ospo/internal/store"
)

// Leaderboard returns the team leaderboard and the leaderboard of the
// people who consented (events.Board over every event). It is computed
// once per catalogue generation (events, decided claims and people advance
// it), set of consents (read on every call) and set of team memberships
// (read at most once per snapshot TTL), and shared: callers
// must not change it.
func (c *Catalog) Leaderboard(ctx context.Context) (events.Leaderboard, error) {
	key, deps, err := c.depsKey(ctx)
	if err != nil {
		return events.Leaderboard{}, err
	}
	return c.board.get(key, func() (events.Leaderboard, error) {
		evs, err := c.st.Events(ctx, store.EventFilter{})
		if err != nil {
			return events.Leaderboard{}, fmt.Errorf("read events: %w", err)
		}
		people, err := c.st.ListPeople(ctx, store.PersonFilter{})
		if err != nil {
			return events.Leaderboard{}, fmt.Errorf("read people: %w", err)
		}
		return events.Board(evs, people, deps.ms, deps.optins, events.DefaultCaps), nil
	})
}

// Standing returns the points, level, badges and events of the person
// with ID id (all of their e-mails). Returns store.ErrNotFound.
func (c *Catalog) Standing(ctx context.Context, id string) (events.Standing, error) {
	p, err := c.st.Person(ctx, id)
	if err != nil {
		return events.Standing{}, err
	}
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
