package auth

import (
	"sync"
	"time"
)

// Limiter counts failures per key (an account's e-mail, a client address)
// and refuses a key that failed Max times within Window, until the oldest of
// those failures is older than Window. It is safe for concurrent use and
// holds at most maxKeys keys (the oldest are dropped). State is per
// process: with several hub replicas each counts on its own.
type Limiter struct {
	Max    int
	Window time.Duration

	mu    sync.Mutex
	fails map[string][]time.Time
}

const maxKeys = 100_000

// NewLimiter returns a Limiter allowing max failures per window.
func NewLimiter(max int, window time.Duration) *Limiter {
	return &Limiter{Max: max, Window: window, fails: map[string][]time.Time{}}
}

// Allow reports whether key may try again at now.
func (l *Limiter) Allow(key string, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.recent(key, now)) < l.Max
}

// Fail records a failure of key at now.
func (l *Limiter) Fail(key string, now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.fails) >= maxKeys {
		l.prune(now)
	}
	l.fails[key] = append(l.recent(key, now), now)
}

// Reset forgets key's failures (after a success).
func (l *Limiter) Reset(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.fails, key)
}

func (l *Limiter) recent(key string, now time.Time) []time.Time {
	ts := l.fails[key]
	i := 0
	for i < len(ts) && now.Sub(ts[i]) >= l.Window {
		i++
	}
	if i == len(ts) {
		delete(l.fails, key)
		return nil
	}
	ts = ts[i:]
	l.fails[key] = ts
	return ts
}

// prune drops every key without a recent failure, and all keys if that
// frees nothing (a flood of distinct keys).
func (l *Limiter) prune(now time.Time) {
	for k := range l.fails {
		l.recent(k, now)
	}
	if len(l.fails) >= maxKeys {
		clear(l.fails)
	}
}
