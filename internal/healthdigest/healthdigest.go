// Package healthdigest sends the weekly team health digest
// (health.WeeklyDigest: a team's last complete week against the week
// before) to each team's own channels (a webhook, an e-mail address, from
// ospo.yaml's health.digest.teams) and to its members on the channels of
// their notification preferences, all through internal/notify (signed
// webhooks with Slack- or Teams-shaped payloads, SMTP).
//
// Each delivery is at most once per team, week and recipient: it is
// claimed in the store before it is sent (store.DigestStore), and the
// claim released if the delivery fails, so a rerun, a cron job beside the
// River periodic job, or two workers at once send nothing twice, and a
// failed delivery is tried again by the next run. A run killed between a
// claim and its delivery loses that one message for the week (at most
// once, never twice).
package healthdigest

import (
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/health"
	"github.com/ospo-project/ospo/internal/notify"
)

// Store is what the sending reads and records (store.Store implements it).
type Store interface {
	// Memberships returns the recorded team memberships ("" for all).
	Memberships(ctx context.Context, email string) ([]catalog.Membership, error)
	NotifyPreferences(ctx context.Context, email string) (notify.Preferences, error)
	ClaimDigest(ctx context.Context, team string, week time.Time, recipient string, at time.Time) (bool, error)
	ReleaseDigest(ctx context.Context, team string, week time.Time, recipient string) error
}

// Team is one team's own digest channels.
type Team struct {
	// Name is the team's name as memberships spell it.
	Name string
	// Email is the team's address; "" for none.
	Email string
	// Webhook is the team's webhook URL (resolved from the environment by
	// the caller; never logged, stored or put in an error); "" for none.
	Webhook string
	// Format is the webhook payload (notify.FormatJSON, FormatSlack,
	// FormatTeams).
	Format string
}

// Options configure a Sender.
type Options struct {
	Store Store
	// Notifier delivers: its Mail for e-mail (nil: no e-mail), its Hooks
	// for webhooks (nil: no webhook), its Prefs for members' preferences.
	Notifier *notify.Notifier
	// Teams are the teams' own channels.
	Teams []Team
	// Report returns a team's health (the projects it owns) with the
	// options given; the composition root reads the store and the tags.
	Report func(ctx context.Context, team string, o health.Options) (health.Report, error)
	// Affiliations is the elephant factor's map (health.affiliations).
	Affiliations map[string]string
	// BaseURL is the hub's public address, for the link to the team's
	// health page; "" for no link.
	BaseURL string
	// Now defaults to time.Now.
	Now func() time.Time
	// Log records deliveries and failures (never a URL); nil discards.
	Log *slog.Logger
}

// Sender computes and sends team digests. Build it with New; it is safe
// for concurrent use (the store's claims keep two senders apart).
type Sender struct {
	o     Options
	teams map[string]Team
}

// New returns a Sender.
func New(o Options) *Sender {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	s := &Sender{o: o, teams: map[string]Team{}}
	for _, t := range o.Teams {
		s.teams[Key(t.Name)] = t
	}
	return s
}

// Key is how a team is named in the store's claims and matched against
// memberships and ospo.yaml: lower case, without a leading "@".
func Key(team string) string {
	return strings.ToLower(strings.TrimPrefix(strings.TrimSpace(team), "@"))
}

// Result is one team's digest and what happened to it.
type Result struct {
	health.Digest
	// Members are the team's recorded members.
	Members []string `json:"members"`
	// Channels are the team's own channels that apply ("webhook",
	// "email:ADDRESS").
	Channels []string `json:"channels"`
	// Sent counts the deliveries this run made: to the team's channels and
	// to members with a channel (e-mail when SMTP is configured and they
	// did not turn it off, or their webhook) who did not mute digests.
	Sent int `json:"sent"`
	// AlreadySent counts the recipients who had this week's digest from an
	// earlier run; Failed those whose delivery failed (tried again next run).
	AlreadySent int `json:"already_sent"`
	Failed      int `json:"failed"`
}

// Teams returns the teams a run without names covers: those with recorded
// members and those with channels in ospo.yaml, sorted by Key.
func (s *Sender) Teams(ctx context.Context) ([]string, error) {
	ms, err := s.o.Store.Memberships(ctx, "")
	if err != nil {
		return nil, fmt.Errorf("digest: memberships: %w", err)
	}
	seen := map[string]bool{}
	for _, m := range ms {
		seen[Key(m.Team)] = true
	}
	for k := range s.teams {
		seen[k] = true
	}
	out := make([]string, 0, len(seen))
	for k := range seen {
		out = append(out, k)
	}
	sort.Strings(out)
	return out, nil
}

// Run computes the digest of each of teams (every team of Teams when
// empty) and, with send, delivers each to the team's channels and members.
// A failed delivery is counted in its Result and logged, not returned; an
// error reading the store or computing a report stops the run.
func (s *Sender) Run(ctx context.Context, teams []string, send bool) ([]Result, error) {
	if len(teams) == 0 {
		var err error
		if teams, err = s.Teams(ctx); err != nil {
			return nil, err
		}
	}
	ms, err := s.o.Store.Memberships(ctx, "")
	if err != nil {
		return nil, fmt.Errorf("digest: memberships: %w", err)
	}
	members := map[string][]string{}
	for _, m := range ms {
		k := Key(m.Team)
		members[k] = append(members[k], strings.ToLower(m.Email))
	}
	now := s.o.Now().UTC()
	out := make([]Result, 0, len(teams))
	for _, team := range teams {
		rep, err := s.o.Report(ctx, team, health.Options{Weeks: 3, Now: now, Affiliations: s.o.Affiliations})
		if err != nil {
			return out, err
		}
		r := Result{Digest: health.WeeklyDigest(team, rep), Members: members[Key(team)], Channels: []string{}}
		if r.Members == nil {
			r.Members = []string{}
		}
		t := s.teams[Key(team)]
		if t.Webhook != "" && s.hooks() != nil {
			r.Channels = append(r.Channels, "webhook")
		}
		if t.Email != "" && s.mail() != nil {
			r.Channels = append(r.Channels, "email:"+strings.ToLower(t.Email))
		}
		if send && !r.Week.IsZero() {
			if err := s.send(ctx, &r, t, now); err != nil {
				return out, err
			}
		}
		out = append(out, r)
	}
	return out, nil
}

func (s *Sender) hooks() *notify.Webhooks {
	if s.o.Notifier == nil {
		return nil
	}
	return s.o.Notifier.Hooks
}

func (s *Sender) mail() *notify.SMTP {
	if s.o.Notifier == nil {
		return nil
	}
	return s.o.Notifier.Mail
}

// send delivers r to the team's channels and members, claiming each
// delivery first.
func (s *Sender) send(ctx context.Context, r *Result, t Team, now time.Time) error {
	m := notify.Message{Topic: notify.TopicDigest, Subject: "ospo weekly digest: team " + r.Scope, Text: r.Text(), At: now}
	if s.o.BaseURL != "" {
		m.Link = strings.TrimSuffix(s.o.BaseURL, "/") + "/teams/" + url.PathEscape(r.Scope) + "/health"
	}
	key := Key(r.Scope)
	deliver := func(recipient string, do func() error) error {
		ok, err := s.o.Store.ClaimDigest(ctx, key, r.Week, recipient, now)
		if err != nil {
			return fmt.Errorf("digest of %s: %w", key, err)
		}
		if !ok {
			r.AlreadySent++
			return nil
		}
		if err := do(); err != nil {
			r.Failed++
			s.o.Log.Warn("digest not delivered", "team", key, "to", recipient, "err", err)
			if rerr := s.o.Store.ReleaseDigest(context.WithoutCancel(ctx), key, r.Week, recipient); rerr != nil {
				return fmt.Errorf("digest of %s: release %s after a failed delivery: %w", key, recipient, rerr)
			}
			return nil
		}
		r.Sent++
		s.o.Log.Info("digest delivered", "team", key, "to", recipient, "week", r.Week.Format(time.DateOnly))
		return nil
	}
	for _, ch := range r.Channels {
		var err error
		switch {
		case ch == "webhook":
			err = deliver(ch, func() error { return s.hooks().Post(ctx, t.Webhook, t.Format, m) })
		case strings.HasPrefix(ch, "email:"):
			tm := m
			tm.To = strings.TrimPrefix(ch, "email:")
			err = deliver(ch, func() error { return s.mail().Send(ctx, tm) })
		}
		if err != nil {
			return err
		}
	}
	for _, to := range r.Members {
		p, err := s.o.Store.NotifyPreferences(ctx, to)
		if err != nil {
			return fmt.Errorf("digest of %s: preferences of %s: %w", key, to, err)
		}
		if !p.Wants(notify.TopicDigest) || ((s.mail() == nil || p.NoEmail) && (p.Webhook == "" || s.hooks() == nil)) {
			continue // muted, or no channel: nothing to deliver
		}
		mm := m
		mm.To = to
		if err := deliver("member:"+to, func() error { return s.o.Notifier.Send(ctx, mm) }); err != nil {
			return err
		}
	}
	return nil
}
