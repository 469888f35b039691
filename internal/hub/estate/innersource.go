package estate

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"time"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/innersource"
)

// InnerSource returns the marketplace: the cards of the InnerSource
// projects (innersource.Cards), highest activity score first, as of the
// catalogue's clock. The projects come from the estate snapshot and their
// contributors' weekly activity from one store read for all of them
// (Store.Activity); the cards are built once per snapshot, set of team
// memberships (read at most once per TTL) and day. When one of those
// changes, the previous cards are returned while the new ones are built
// in the background (with a TTL of 0 they are built now). The cards are
// shared: callers must not change them.
func (c *Catalog) InnerSource(ctx context.Context) ([]innersource.Card, error) {
	deps, err := c.teamDeps(ctx)
	if err != nil {
		return nil, err
	}
	e, err := c.Snapshot(ctx)
	if err != nil {
		return nil, err
	}
	now := c.now()
	return c.cards.get(cardsKey(e, deps, now), c.ttl > 0, func() ([]innersource.Card, error) {
		return c.buildCards(context.WithoutCancel(ctx), e, deps.ms, now)
	})
}

// CardFilter reads the marketplace's search (the hub page's form and the
// API's parameters): q, language, topic, team.
func CardFilter(q url.Values) innersource.Filter {
	return innersource.Filter{Query: q.Get("q"), Language: q.Get("language"), Topic: q.Get("topic"), Team: q.Get("team")}
}

// cardsKey names what the cards of snapshot e depend on.
func cardsKey(e *Snapshot, deps *teamDeps, now time.Time) string {
	return strconv.FormatInt(e.generation, 10) + "/" + strconv.FormatInt(e.BuiltAt.UnixNano(), 10) + "/" +
		deps.digest + "/" + now.UTC().Format(time.DateOnly)
}

// buildCards builds the cards of the InnerSource projects of snapshot e.
func (c *Catalog) buildCards(ctx context.Context, e *Snapshot, ms []catalog.Membership, now time.Time) ([]innersource.Card, error) {
	var ps []catalog.Project
	var ids []int64
	for _, p := range e.all {
		if p.Kind == catalog.KindInnerSource {
			ps = append(ps, p)
			ids = append(ids, p.ID)
		}
	}
	act, err := c.st.Activity(ctx, ids)
	if err != nil {
		return nil, fmt.Errorf("read the weekly activity of the InnerSource projects: %w", err)
	}
	for i := range ps {
		ps[i].Contributors = act[ps[i].ID]
	}
	return innersource.Cards(ps, ms, now), nil
}
