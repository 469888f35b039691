// Package notify tells people things: by e-mail (SMTP with STARTTLS) and by
// outgoing webhooks (JSON, HMAC-signed, retried with backoff; plain,
// Slack- or Teams-shaped payloads), each person by their Preferences.
// Callers build a Message for one person; Notifier.Send delivers it on the
// channels that person wants. It never reads a store itself: preferences come
// through the small PrefsSource interface (store.Store has the method).
//
// Secrets (SMTP passwords, the webhook signing key, webhook URLs, which are
// often capabilities) are never logged or put in an error message.
package notify

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"
)

// Topics of messages, the names Preferences.Mute lists.
const (
	TopicRequestWaiting = "request.waiting" // a request waits on this reviewer
	TopicRequestDecided = "request.decided" // the requester's request was decided
	TopicRequestComment = "request.comment"
	TopicReviewDue      = "estate.review-due" // an owner's annual review is due
	TopicEstateAlert    = "estate.alert"
	TopicDigest         = "digest"
	TopicPushHeld       = "push.held"    // a push through the proxy waits on this reviewer
	TopicPushDecided    = "push.decided" // the pusher's held push was approved, rejected or expired
)

// Message is one notification to one person.
type Message struct {
	// To is the person's e-mail address.
	To    string `json:"to"`
	Topic string `json:"topic"`
	// Subject is one line; Text the plain-text body.
	Subject string `json:"subject"`
	Text    string `json:"text"`
	// Link, when set, is an absolute URL to the thing the message is about.
	Link string    `json:"link,omitempty"`
	At   time.Time `json:"at"`
}

// PrefsSource reads a person's preferences (store.Store implements it).
type PrefsSource interface {
	NotifyPreferences(ctx context.Context, email string) (Preferences, error)
}

// Notifier sends messages by each person's preferences. Mail and Hooks may
// be nil (that channel is off). The zero value sends nothing. It is safe
// for concurrent use when its fields are not changed.
type Notifier struct {
	Prefs PrefsSource
	Mail  *SMTP
	Hooks *Webhooks
	// Log records deliveries and failures (never secrets); nil discards.
	Log *slog.Logger
}

// Send delivers m to m.To on the channels their preferences ask for: by
// e-mail unless they turned it off, to their webhook if they set one,
// nothing for a muted topic. It tries every channel and returns the
// failures joined; nil when everything wanted was delivered.
func (n *Notifier) Send(ctx context.Context, m Message) error {
	if m.To == "" {
		return errors.New("notify: a message needs a recipient")
	}
	if m.At.IsZero() {
		m.At = time.Now().UTC()
	}
	var p Preferences
	if n.Prefs != nil {
		var err error
		if p, err = n.Prefs.NotifyPreferences(ctx, m.To); err != nil {
			return fmt.Errorf("notify %s: preferences: %w", m.To, err)
		}
	}
	if !p.Wants(m.Topic) {
		return nil
	}
	var errs []error
	if n.Mail != nil && !p.NoEmail {
		if err := n.Mail.Send(ctx, m); err != nil {
			errs = append(errs, err)
		} else {
			n.logger().Info("notified", "channel", "email", "to", m.To, "topic", m.Topic)
		}
	}
	if n.Hooks != nil && p.Webhook != "" {
		if err := n.Hooks.Post(ctx, p.Webhook, p.Format, m); err != nil {
			errs = append(errs, err)
		} else {
			n.logger().Info("notified", "channel", "webhook", "to", m.To, "topic", m.Topic)
		}
	}
	err := errors.Join(errs...)
	if err != nil {
		n.logger().Warn("notify failed", "to", m.To, "topic", m.Topic, "err", err)
	}
	return err
}

func (n *Notifier) logger() *slog.Logger {
	if n.Log == nil {
		return slog.New(slog.DiscardHandler)
	}
	return n.Log
}
