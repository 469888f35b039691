package notify

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// Webhook payload formats (Preferences.Format).
const (
	FormatJSON  = "json"  // the Message as JSON
	FormatSlack = "slack" // a Slack incoming-webhook message: {"text": …}
	FormatTeams = "teams" // a Microsoft Teams MessageCard
)

// Headers of an outgoing webhook.
const (
	// SignatureHeader carries "sha256=" and the hex HMAC-SHA256 of the body
	// under the signing key, as GitHub's X-Hub-Signature-256 does.
	SignatureHeader = "X-Ospo-Signature-256"
	// DeliveryHeader is one id per message, the same on every retry, so a
	// receiver can drop duplicates.
	DeliveryHeader = "X-Ospo-Delivery"
)

// Webhooks posts messages to webhook URLs.
type Webhooks struct {
	// Secret signs every body (SignatureHeader); empty sends no signature.
	Secret []byte
	// Client defaults to a client with a 10 s timeout.
	Client *http.Client
	// Attempts is how many times a delivery is tried; 0 means 4.
	Attempts int
	// Backoff is the wait before the second attempt, doubled before each
	// next one (a Retry-After of the receiver wins, up to 5 minutes); 0 means 1 s.
	Backoff time.Duration
	// AllowHTTP allows http:// URLs (tests, a receiver on the same host);
	// otherwise only https:// is posted to.
	AllowHTTP bool
}

// Payload returns the body posted for m in format.
func Payload(format string, m Message) ([]byte, error) {
	switch format {
	case "", FormatJSON:
		return json.Marshal(m)
	case FormatSlack:
		text := "*" + slackEscape(m.Subject) + "*"
		if m.Text != "" {
			text += "\n" + slackEscape(m.Text)
		}
		if m.Link != "" {
			text += "\n<" + m.Link + "|Open in ospo>"
		}
		return json.Marshal(map[string]string{"text": text})
	case FormatTeams:
		card := map[string]any{
			"@type": "MessageCard", "@context": "https://schema.org/extensions",
			"summary": m.Subject, "title": m.Subject, "text": m.Text,
		}
		if m.Link != "" {
			card["potentialAction"] = []any{map[string]any{"@type": "OpenUri", "name": "Open in ospo",
				"targets": []any{map[string]string{"os": "default", "uri": m.Link}}}}
		}
		return json.Marshal(card)
	}
	return nil, fmt.Errorf("webhook format %q: json, slack or teams", format)
}

// slackEscape escapes the three characters Slack's mrkdwn gives meaning.
func slackEscape(s string) string {
	var b bytes.Buffer
	for _, r := range s {
		switch r {
		case '&':
			b.WriteString("&amp;")
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// Sign returns the SignatureHeader value of body under secret.
func Sign(secret, body []byte) string {
	h := hmac.New(sha256.New, secret)
	h.Write(body)
	return "sha256=" + hex.EncodeToString(h.Sum(nil))
}

// Verify reports whether sig is body's signature under secret (for
// receivers and tests), in constant time.
func Verify(secret, body []byte, sig string) bool {
	return hmac.Equal([]byte(Sign(secret, body)), []byte(sig))
}

// Post sends m to rawURL in format, signed, retrying a network error, a
// 5xx or a 429 with exponential backoff. A 4xx other than 429 is final.
// Errors name the URL's host only, never its path (often a secret).
func (w *Webhooks) Post(ctx context.Context, rawURL, format string, m Message) error {
	u, err := url.Parse(rawURL)
	if err != nil || u.Host == "" || (u.Scheme != "https" && !(w.AllowHTTP && u.Scheme == "http")) {
		return fmt.Errorf("webhook: not an https URL")
	}
	body, err := Payload(format, m)
	if err != nil {
		return err
	}
	var id [16]byte
	rand.Read(id[:])
	delivery := hex.EncodeToString(id[:])
	client := w.Client
	if client == nil {
		client = &http.Client{Timeout: 10 * time.Second}
	}
	attempts := w.Attempts
	if attempts <= 0 {
		attempts = 4
	}
	wait := w.Backoff
	if wait <= 0 {
		wait = time.Second
	}
	var last error
	for attempt := 1; ; attempt++ {
		retryAfter, err := w.once(ctx, client, u.String(), body, delivery)
		if err == nil {
			return nil
		}
		last = fmt.Errorf("webhook to %s (attempt %d of %d): %w", u.Host, attempt, attempts, err)
		if retryAfter < 0 || attempt == attempts {
			return last
		}
		d := wait
		if retryAfter > 0 {
			d = min(retryAfter, 5*time.Minute)
		}
		t := time.NewTimer(d)
		select {
		case <-ctx.Done():
			t.Stop()
			return fmt.Errorf("%w; then: %w", last, ctx.Err())
		case <-t.C:
		}
		wait *= 2
	}
}

// once posts body once. It returns retryAfter < 0 for a final failure, 0
// to retry after the backoff, > 0 to retry after the receiver's Retry-After.
func (w *Webhooks) once(ctx context.Context, client *http.Client, u string, body []byte, delivery string) (retryAfter time.Duration, err error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u, bytes.NewReader(body))
	if err != nil {
		return -1, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "ospo-notify")
	req.Header.Set(DeliveryHeader, delivery)
	if len(w.Secret) > 0 {
		req.Header.Set(SignatureHeader, Sign(w.Secret, body))
	}
	resp, err := client.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return -1, ctx.Err()
		}
		// The error text holds the URL; keep only what failed.
		return 0, fmt.Errorf("post failed: %v", unwrapURLError(err))
	}
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	switch {
	case resp.StatusCode < 300:
		return 0, nil
	case resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500:
		if s, err := strconv.Atoi(resp.Header.Get("Retry-After")); err == nil && s > 0 {
			return time.Duration(s) * time.Second, fmt.Errorf("status %d", resp.StatusCode)
		}
		return 0, fmt.Errorf("status %d", resp.StatusCode)
	}
	return -1, fmt.Errorf("status %d", resp.StatusCode)
}

func unwrapURLError(err error) error {
	if ue, ok := err.(*url.Error); ok {
		return ue.Err
	}
	return err
}
