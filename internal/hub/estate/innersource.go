package estate

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/innersource"
)

// InnerSource returns the marketplace: the cards of the InnerSource
// projects (innersource.Cards), highest activity score first, as of the
// catalogue's clock. It reads each InnerSource project whole (for its
// contributors' weekly activity) and the recorded team memberships, once
// per catalogue generation, set of memberships (read at most once per TTL)
// and day; the cards are shared: callers must not change them.
func (c *Catalog) InnerSource(ctx context.Context) ([]innersource.Card, error) {
	key, deps, err := c.depsKey(ctx)
	if err != nil {
		return nil, err
	}
	now := c.now()
	key += "/" + now.UTC().Format(time.DateOnly)
	return c.cards.get(key, func() ([]innersource.Card, error) {
		e, err := c.Snapshot(ctx)
		if err != nil {
			return nil, err
		}
		var full []catalog.Project
		for _, p := range e.all {
			if p.Kind != catalog.KindInnerSource {
				continue
			}
			f, err := c.st.Project(ctx, strconv.FormatInt(p.ID, 10))
			if err != nil {
				return nil, fmt.Errorf("read project %s: %w", p.Key, err)
			}
			full = append(full, *f)
		}
		return innersource.Cards(full, deps.ms, now), nil
	})
}
