package github

import (
	"context"
	"io"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/ospo-project/ospo/internal/catalog"
)

// etagKey carries the ETag of a conditional request in its context.
type etagKey struct{}

// withETag returns ctx asking the transport to send If-None-Match: etag.
func withETag(ctx context.Context, etag string) context.Context {
	if etag == "" {
		return ctx
	}
	return context.WithValue(ctx, etagKey{}, etag)
}

// transport counts requests, makes them conditional when asked to (see
// withETag), records the rate-limit budget GitHub reports, and waits out
// rate limits that end soon: a secondary limit's Retry-After, or the reset
// of an exhausted primary budget (X-RateLimit-Remaining: 0,
// X-RateLimit-Reset). A wait longer than maxWait is not made: the response
// goes back to the caller, which fails the sync with GitHub's reason, and the
// next sync resumes.
type transport struct {
	base    http.RoundTripper
	maxWait time.Duration
	now     func() time.Time
	sleep   func(context.Context, time.Duration) error

	mu          sync.Mutex
	requests    int
	notModified int
	rate        catalog.RateLimit
}

// maxAttempts bounds the tries of one request through rate limits.
const maxAttempts = 3

// RoundTrip implements http.RoundTripper. Only requests without a body are
// retried (the GitHub source only sends GETs).
func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	if et, ok := req.Context().Value(etagKey{}).(string); ok {
		req = req.Clone(req.Context())
		req.Header.Set("If-None-Match", et)
	}
	for attempt := 1; ; attempt++ {
		resp, err := t.base.RoundTrip(req)
		t.mu.Lock()
		t.requests++
		if err == nil {
			t.noteRate(resp.Header)
			if resp.StatusCode == http.StatusNotModified {
				t.notModified++
			}
		}
		t.mu.Unlock()
		if err != nil {
			return nil, err
		}
		wait, limited := t.limitWait(resp)
		if !limited || attempt == maxAttempts || wait > t.maxWait || req.Body != nil {
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
	limit, err1 := strconv.Atoi(h.Get("X-RateLimit-Limit"))
	remaining, err2 := strconv.Atoi(h.Get("X-RateLimit-Remaining"))
	if err1 != nil || err2 != nil {
		return
	}
	t.rate = catalog.RateLimit{Limit: limit, Remaining: remaining}
	if reset, err := strconv.ParseInt(h.Get("X-RateLimit-Reset"), 10, 64); err == nil {
		t.rate.Reset = time.Unix(reset, 0).UTC()
	}
}

// limitWait reports whether resp is a rate-limit refusal and how long to
// wait before trying again.
func (t *transport) limitWait(resp *http.Response) (time.Duration, bool) {
	if resp.StatusCode != http.StatusForbidden && resp.StatusCode != http.StatusTooManyRequests {
		return 0, false
	}
	if s := resp.Header.Get("Retry-After"); s != "" {
		if n, err := strconv.Atoi(s); err == nil && n >= 0 {
			return time.Duration(n) * time.Second, true
		}
	}
	if resp.Header.Get("X-RateLimit-Remaining") == "0" {
		if reset, err := strconv.ParseInt(resp.Header.Get("X-RateLimit-Reset"), 10, 64); err == nil {
			return max(time.Unix(reset, 0).Sub(t.now())+time.Second, 0), true
		}
	}
	if resp.StatusCode == http.StatusTooManyRequests {
		// GitHub's advice without a header: wait at least a minute.
		return time.Minute, true
	}
	return 0, false
}

// counts returns the requests sent, those answered 304 and the last budget.
func (t *transport) counts() (int, int, catalog.RateLimit) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.requests, t.notModified, t.rate
}
