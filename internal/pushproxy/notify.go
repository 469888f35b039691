package pushproxy

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/ospo-project/ospo/internal/auth"
	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/notify"
)

// ActPushExpire is the audit action of a held push discarded by expiry.
const ActPushExpire = "push.expire"

// pushLink returns the hub's address of push id ("" without a hub URL).
func (p *Proxy) pushLink(id int64) string {
	if p.cfg.HubURL == "" {
		return ""
	}
	return fmt.Sprintf("%s/pushes/%d", strings.TrimSuffix(p.cfg.HubURL, "/"), id)
}

// summary is a push's commits and findings in a few lines, for messages.
func summary(push catalog.Push) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s pushed %d commit(s) to %s", push.Pusher, len(push.Commits), push.Upstream)
	for _, r := range push.Refs {
		fmt.Fprintf(&b, "\n  %s → %s", r.Ref, shortID(r.New))
	}
	for i, c := range push.Commits {
		if i == 10 {
			fmt.Fprintf(&b, "\n  … and %d more", len(push.Commits)-10)
			break
		}
		fmt.Fprintf(&b, "\n  %s %s", shortID(c.SHA), c.Subject)
	}
	if len(push.Findings) > 0 {
		b.WriteString("\nFindings:")
		for _, f := range push.Findings {
			b.WriteString("\n  " + describe(f))
		}
	}
	return b.String()
}

// tellReviewers tells every enabled account that may review pushes, but
// the pusher, that push is held. It runs in the background (the pusher's
// git is not kept waiting); Wait waits for it.
func (p *Proxy) tellReviewers(ctx context.Context, push catalog.Push) {
	if p.cfg.Notifier == nil {
		return
	}
	p.bg.Add(1)
	go func() {
		defer p.bg.Done()
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Minute)
		defer cancel()
		accounts, err := p.store.ListAccounts(ctx)
		if err != nil {
			p.log.Warn("notify reviewers", "push", push.ID, "err", err)
			return
		}
		for _, a := range accounts {
			if a.Disabled || !auth.Allowed(a.Role, auth.Review) || strings.EqualFold(a.Email, push.Pusher) {
				continue
			}
			m := notify.Message{To: a.Email, Topic: notify.TopicPushHeld, At: p.now(), Link: p.pushLink(push.ID),
				Subject: fmt.Sprintf("Push #%d to %s waits for your review", push.ID, push.Upstream),
				Text:    summary(push) + "\n\nApprove (ticking the attestations) or reject it with a reason; the pusher may not."}
			if err := p.cfg.Notifier.Send(ctx, m); err != nil {
				p.log.Warn("notify reviewer", "to", a.Email, "push", push.ID, "err", err)
			}
		}
	}()
}

// tellPusher tells the pusher how their held push was decided.
func (p *Proxy) tellPusher(ctx context.Context, push *catalog.Push) {
	if p.cfg.Notifier == nil || push == nil {
		return
	}
	var what string
	switch push.Status {
	case catalog.PushForwarded:
		what = fmt.Sprintf("was approved by %s and forwarded to %s: nothing more to do.", push.DecidedBy, push.Upstream)
	case catalog.PushApproved:
		what = fmt.Sprintf("was approved by %s; %s could not be reached, the proxy sends it again by itself (%s).", push.DecidedBy, push.Upstream, push.Error)
	case catalog.PushFailed:
		what = fmt.Sprintf("was approved by %s but %s refused it (%s): fetch, rebase and push again.", push.DecidedBy, push.Upstream, push.Error)
	case catalog.PushRejected:
		what = fmt.Sprintf("was rejected by %s: %s", push.DecidedBy, push.Reason)
	case catalog.PushExpired:
		what = fmt.Sprintf("expired (%s) and was discarded: push again if it is still wanted.", push.Reason)
	default:
		return
	}
	m := notify.Message{To: push.Pusher, Topic: notify.TopicPushDecided, At: p.now(), Link: p.pushLink(push.ID),
		Subject: fmt.Sprintf("Push #%d to %s: %s", push.ID, push.Upstream, push.Status),
		Text:    fmt.Sprintf("Your push #%d %s\n\n%s", push.ID, what, summary(*push))}
	if err := p.cfg.Notifier.Send(ctx, m); err != nil {
		p.log.Warn("notify pusher", "to", push.Pusher, "push", push.ID, "err", err)
	}
}

// Wait waits for the notifications sent in the background.
func (p *Proxy) Wait() { p.bg.Wait() }

// ExpireHeld discards every push held for longer than Config.HoldFor (its
// pack is deleted, the push becomes expired, each one audited as
// push.expire by the proxy) and tells each pusher. It returns the pushes
// expired; with HoldFor 0 it does nothing. It is idempotent: run it from a
// periodic job or cron as often as wanted.
func (p *Proxy) ExpireHeld(ctx context.Context) ([]catalog.Push, error) {
	if p.cfg.HoldFor <= 0 {
		return nil, nil
	}
	now := p.now()
	expired, err := p.store.ExpirePushes(ctx, now.Add(-p.cfg.HoldFor), now,
		fmt.Sprintf("not decided within %s", p.cfg.HoldFor), proxyActor.Entry(ActPushExpire, now))
	if err != nil {
		return nil, fmt.Errorf("expire held pushes: %w", err)
	}
	for i := range expired {
		p.metrics.observeExpired()
		p.tellPusher(ctx, &expired[i])
	}
	return expired, nil
}
