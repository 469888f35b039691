package estate

import (
	"context"
	"fmt"
	"hash/fnv"
	"strconv"
	"sync"
	"time"

	"github.com/ospo-project/ospo/internal/catalog"
)

// memo caches one value under a key that names everything the value
// depends on (the catalogue generation, a digest of the memberships, the
// day…): a request with the same key gets the cached value, a different
// key rebuilds it. Callers of one key at once wait for a single build.
// The value is shared: callers must not change it.
type memo[T any] struct {
	mu  sync.Mutex
	key string
	val T
	ok  bool
}

func (m *memo[T]) get(key string, build func() (T, error)) (T, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.ok && m.key == key {
		return m.val, nil
	}
	v, err := build()
	if err != nil {
		var zero T
		return zero, err
	}
	m.key, m.val, m.ok = key, v, true
	return v, nil
}

// teamDeps are what the leaderboard and the marketplace read besides the
// catalogue: the recorded team memberships, which do not advance the
// generation and are read at most once per TTL (every time when the TTL is
// 0), like the snapshot; and the
// consents to the individual leaderboard, read on every call: a person who
// withdraws consent leaves the board at once.
type teamDeps struct {
	at     time.Time
	digest string
	ms     []catalog.Membership
	optins []string
}

// depsKey returns the catalogue generation and the consents (read now) and
// a digest of the team memberships (read at most once per TTL), with them.
func (c *Catalog) depsKey(ctx context.Context) (string, *teamDeps, error) {
	gen, err := c.st.Generation(ctx)
	if err != nil {
		return "", nil, err
	}
	optins, err := c.st.LeaderboardOptIns(ctx)
	if err != nil {
		return "", nil, fmt.Errorf("read leaderboard consent: %w", err)
	}
	o := fnv.New64a()
	for _, e := range optins {
		o.Write([]byte(e))
		o.Write([]byte{'\n'})
	}
	key := func(d *teamDeps) (string, *teamDeps) {
		return strconv.FormatInt(gen, 10) + "/" + d.digest + "/" + strconv.FormatUint(o.Sum64(), 16),
			&teamDeps{at: d.at, digest: d.digest, ms: d.ms, optins: optins}
	}
	c.depsMu.Lock()
	defer c.depsMu.Unlock()
	if d := c.deps; d != nil && c.ttl > 0 && c.now().Sub(d.at) < c.ttl {
		k, nd := key(d)
		return k, nd, nil
	}
	ms, err := c.st.Memberships(ctx, "")
	if err != nil {
		return "", nil, fmt.Errorf("read team memberships: %w", err)
	}
	h := fnv.New64a()
	for _, m := range ms {
		h.Write([]byte(m.Team))
		h.Write([]byte{0})
		h.Write([]byte(m.Email))
		h.Write([]byte{'\n'})
	}
	d := &teamDeps{at: c.now(), digest: strconv.FormatUint(h.Sum64(), 16), ms: ms}
	c.deps = d
	k, nd := key(d)
	return k, nd, nil
}
