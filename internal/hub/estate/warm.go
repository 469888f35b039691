package estate

import (
	"context"
	"errors"
	"fmt"

	"github.com/ospo-project/ospo/internal/innersource"
)

// Warm brings what the Catalog caches up to date with the store, so that
// no request pays for a rebuild after a scan or a sync: the estate
// snapshot (rebuilt when the store's generation moved), the leaderboard's
// tally (only the events recorded since the last one are read), the
// marketplace cards, the health index and the estate's health over the
// default window (WarmModel does the recommendation model). Requests
// meanwhile get the previous values. It returns the first error.
func (c *Catalog) Warm(ctx context.Context) error {
	e, err := c.currentSnapshot(ctx)
	if err != nil {
		return fmt.Errorf("estate snapshot: %w", err)
	}
	if _, err := c.updateTally(ctx); err != nil {
		return fmt.Errorf("leaderboard tally: %w", err)
	}
	if _, err := c.Leaderboard(ctx); err != nil {
		return fmt.Errorf("leaderboard: %w", err)
	}
	if _, err := c.indexHealth(ctx, e); err != nil {
		return fmt.Errorf("health index: %w", err)
	}
	if _, err := c.EstateHealth(ctx, DefaultHealthWeeks); err != nil {
		return fmt.Errorf("estate health: %w", err)
	}
	deps, err := c.teamDeps(ctx)
	if err != nil {
		return err
	}
	now := c.now()
	key := cardsKey(e, deps, now)
	if _, err := c.cards.get(key, false, func() ([]innersource.Card, error) { return c.buildCards(ctx, e, deps.ms, now) }); err != nil {
		return fmt.Errorf("marketplace: %w", err)
	}
	return nil
}

// WarmModel builds the recommendation model of the current estate
// snapshot, unless that model is built or a build is under way. The first
// model is Recommender's (built once in the background, whoever asks
// first; this waits for it). A later model is warmed (every person's
// answer computed: minutes on a large estate) before it replaces the
// previous one, which answers meanwhile. Then the open help posts are
// matched with the model (see warmHelp).
func (c *Catalog) WarmModel(ctx context.Context) error {
	c.mu.Lock()
	first := c.model == nil
	c.mu.Unlock()
	if first {
		for {
			_, err := c.Recommender(ctx)
			if errors.Is(err, ErrModelNotReady) {
				continue
			}
			if err != nil {
				return err
			}
			return c.warmHelp(ctx)
		}
	}
	e, err := c.currentSnapshot(ctx)
	if err != nil {
		return fmt.Errorf("estate snapshot: %w", err)
	}
	c.mu.Lock()
	if (c.model != nil && !c.modelFor.stale(e)) || c.modelBuilding {
		c.mu.Unlock()
		return nil
	}
	c.modelBuilding = true
	c.mu.Unlock()
	nm, err := c.buildModel(ctx, e)
	if err == nil {
		nm.Warm()
	}
	c.mu.Lock()
	c.modelBuilding = false
	if err == nil {
		c.model, c.modelFor = nm, sourceOf(e)
	}
	c.mu.Unlock()
	if err != nil {
		return fmt.Errorf("recommendation model: %w", err)
	}
	return c.warmHelp(ctx)
}

// warmHelp matches people to every open help post with the current model
// (kept per model), so that the first marketplace page or help-wanted
// listing after a model is built does not.
func (c *Catalog) warmHelp(ctx context.Context) error {
	if _, err := c.HelpWanted(ctx, "", matchedHelpers); err != nil {
		return fmt.Errorf("help posts' helpers: %w", err)
	}
	return nil
}

// currentSnapshot returns the estate snapshot as of the store's
// generation now: the cached one when it is current (and younger than
// maxSnapshotAge), else one built now, which then replaces it.
func (c *Catalog) currentSnapshot(ctx context.Context) (*Snapshot, error) {
	gen, err := c.st.Generation(ctx)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	e := c.snap
	if e != nil && e.generation == gen && c.now().Sub(e.BuiltAt) < maxSnapshotAge {
		c.mu.Unlock()
		return e, nil
	}
	// Requests meanwhile get e and start no refresh of their own.
	mine := !c.rebuilding
	c.rebuilding = true
	c.mu.Unlock()
	ne, err := c.buildEstate(ctx, e)
	c.mu.Lock()
	defer c.mu.Unlock()
	if mine {
		c.rebuilding = false
	}
	if err != nil {
		return nil, err
	}
	if c.snap == nil || c.snap.generation <= ne.generation {
		c.snap, c.checked = ne, c.now()
	}
	return c.snap, nil
}

// Generation returns the store's generation (see store.Store.Generation),
// by which a caller of Warm tells whether anything changed.
func (c *Catalog) Generation(ctx context.Context) (int64, error) { return c.st.Generation(ctx) }
