package gitlab

import (
	"context"
	"io"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/ospo-project/ospo/internal/catalog"
)

// transport counts requests, records the budget GitLab reports
// (RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset) and waits out
// rate limits that end soon: a 429's Retry-After, or the reset of an
// exhausted budget. A wait longer than maxWait is not made: the 429 goes
// back to the caller, which fails the sync with GitLab's reason, and the
// next sync resumes.
type transport struct {
	base    http.RoundTripper
	maxWait time.Duration
	now     func() time.Time
	sleep   func(context.Context, time.Duration) error

	mu       sync.Mutex
	requests int
	rate     catalog.RateLimit
}

// maxAttempts bounds the tries of one request through rate limits.
const maxAttempts = 3

// RoundTrip implements http.RoundTripper. Only requests without a body are
// retried (the source only sends GETs).
func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	for attempt := 1; ; attempt++ {
		resp, err := t.base.RoundTrip(req)
		t.mu.Lock()
		t.requests++
		if err == nil {
			t.noteRate(resp.Header)
		}
		t.mu.Unlock()
		if err != nil {
			return nil, err
		}
		if resp.StatusCode != http.StatusTooManyRequests || attempt == maxAttempts || req.Body != nil {
			return resp, nil
		}
		wait := t.limitWait(resp)
		if wait > t.maxWait {
			return resp, nil
		}
		io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		resp.Body.Close()
		if err := t.sleep(req.Context(), wait); err != nil {
			return nil, err
		}
	}
}

// noteRate records the budget headers of a response, if any.
func (t *transport) noteRate(h http.Header) {
	limit, err1 := strconv.Atoi(h.Get("RateLimit-Limit"))
	remaining, err2 := strconv.Atoi(h.Get("RateLimit-Remaining"))
	if err1 != nil || err2 != nil {
		return
	}
	t.rate = catalog.RateLimit{Limit: limit, Remaining: remaining}
	if reset, err := strconv.ParseInt(h.Get("RateLimit-Reset"), 10, 64); err == nil {
		t.rate.Reset = time.Unix(reset, 0).UTC()
	}
}

// limitWait says how long to wait after a 429: its Retry-After, else until
// RateLimit-Reset, else a minute (GitLab's limits are per minute).
func (t *transport) limitWait(resp *http.Response) time.Duration {
	if s := resp.Header.Get("Retry-After"); s != "" {
		if n, err := strconv.Atoi(s); err == nil && n >= 0 {
			return time.Duration(n) * time.Second
		}
	}
	if reset, err := strconv.ParseInt(resp.Header.Get("RateLimit-Reset"), 10, 64); err == nil {
		return max(time.Unix(reset, 0).Sub(t.now())+time.Second, 0)
	}
	return time.Minute
}

// counts returns the requests sent and the last budget.
func (t *transport) counts() (int, catalog.RateLimit) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.requests, t.rate
}
