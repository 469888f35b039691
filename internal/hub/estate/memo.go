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
// catalogue: the recorded team memberships and the consents to the
// individual leaderboard, which do not advance the generation. They are
// read at most once per TTL (every time when the TTL is 0), like the
// snapshot; ForgetTeamDeps makes the next read fresh.
type teamDeps struct {
	at     time.Time
	digest string
	ms     []catalog.Membership
	optins []string
}

// ForgetTeamDeps makes the next leaderboard or marketplace read the team
// memberships and consents again: the hub calls it after a change it made
// (a consent), so that the person sees it at once.
func (c *Catalog) ForgetTeamDeps() {
	c.depsMu.Lock()
	defer c.depsMu.Unlock()
	c.deps = nil
}

// depsKey returns the catalogue generation (read now) and a digest of the
// team memberships and consents (read at most once per TTL), with them.
func (c *Catalog) depsKey(ctx context.Context) (string, *teamDeps, error) {
	gen, err := c.st.Generation(ctx)
	if err != nil {
		return "", nil, err
	}
	c.depsMu.Lock()
	defer c.depsMu.Unlock()
	if d := c.deps; d != nil && c.ttl > 0 && c.now().Sub(d.at) < c.ttl {
		return strconv.FormatInt(gen, 10) + "/" + d.digest, d, nil
	}
	ms, err := c.st.Memberships(ctx, "")
	if err != nil {
		return "", nil, fmt.Errorf("read team memberships: %w", err)
	}
	optins, err := c.st.LeaderboardOptIns(ctx)
	if err != nil {
		return "", nil, fmt.Errorf("read leaderboard consent: %w", err)
	}
	h := fnv.New64a()
	for _, m := range ms {
		h.Write([]byte(m.Team))
		h.Write([]byte{0})
		h.Write([]byte(m.Email))
		h.Write([]byte{'\n'})
	}
	h.Write([]byte{1})
	for _, o := range optins {
		h.Write([]byte(o))
		h.Write([]byte{'\n'})
	}
	d := &teamDeps{at: c.now(), digest: strconv.FormatUint(h.Sum64(), 16), ms: ms, optins: optins}
	c.deps = d
	return strconv.FormatInt(gen, 10) + "/" + d.digest, d, nil
}
