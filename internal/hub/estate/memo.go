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
// depends on (the tally's version, a digest of the memberships, the
// day…): a request with the same key gets the cached value. For another
// key, get either builds the value now (callers of one key at once wait
// for a single build) or, when asked to and a value is cached, returns
// that value while a build for the new key runs in the background (stale
// while revalidating). The value is shared: callers must not change it.
type memo[T any] struct {
	mu       sync.Mutex
	key      string
	val      T
	ok       bool
	building bool // a background build is under way
}

func (m *memo[T]) get(key string, stale bool, build func() (T, error)) (T, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.ok && m.key == key {
		return m.val, nil
	}
	if m.ok && stale {
		if !m.building {
			m.building = true
			go func() {
				v, err := build()
				m.mu.Lock()
				defer m.mu.Unlock()
				m.building = false
				if err == nil {
					m.key, m.val = key, v
				}
			}()
		}
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
// 0), like the snapshot; and the consents to the individual leaderboard,
// read on every call: a person who withdraws consent leaves the board at
// once. gen is the store's generation, read on every call.
type teamDeps struct {
	at        time.Time
	gen       int64
	digest    string // of ms
	ms        []catalog.Membership
	optins    []string
	optDigest string // of optins
}

// teamDeps returns the store's generation and the consents (read now) and
// the team memberships (read at most once per TTL) with their digests.
func (c *Catalog) teamDeps(ctx context.Context) (*teamDeps, error) {
	gen, err := c.st.Generation(ctx)
	if err != nil {
		return nil, err
	}
	optins, err := c.st.LeaderboardOptIns(ctx)
	if err != nil {
		return nil, fmt.Errorf("read leaderboard consent: %w", err)
	}
	o := fnv.New64a()
	for _, e := range optins {
		o.Write([]byte(e))
		o.Write([]byte{'\n'})
	}
	with := func(d *teamDeps) *teamDeps {
		return &teamDeps{at: d.at, gen: gen, digest: d.digest, ms: d.ms, optins: optins, optDigest: strconv.FormatUint(o.Sum64(), 16)}
	}
	c.depsMu.Lock()
	defer c.depsMu.Unlock()
	if d := c.deps; d != nil && c.ttl > 0 && c.now().Sub(d.at) < c.ttl {
		return with(d), nil
	}
	ms, err := c.st.Memberships(ctx, "")
	if err != nil {
		return nil, fmt.Errorf("read team memberships: %w", err)
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
	return with(d), nil
}
