package govern

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/governance"
	"github.com/ospo-project/ospo/internal/notify"
	"github.com/ospo-project/ospo/internal/store"
)

// EstateRow is one external-estate project with what the catalogue knows
// of it now and the alerts that follow.
type EstateRow struct {
	Project governance.ExternalProject `json:"project"`
	Health  EstateHealth               `json:"health"`
	Alerts  []governance.Alert         `json:"alerts"`
}

// EstateHealth is governance.Health as shown.
type EstateHealth struct {
	LastCommit     time.Time `json:"last_commit,omitzero"`
	License        string    `json:"license,omitempty"`
	SecurityPolicy string    `json:"security_policy,omitempty"`
	OwnersPresent  int       `json:"owners_present"`
	Scorecard      *float64  `json:"scorecard,omitempty"`
	// Scanned reports that a catalogue project is linked and was found.
	Scanned bool `json:"scanned"`
}

// Estate returns the external estate with health and alerts at now.
func (s *Service) Estate(ctx context.Context) ([]EstateRow, error) {
	eps, err := s.o.Store.ExternalProjects(ctx)
	if err != nil {
		return nil, err
	}
	accounts, err := s.o.Store.ListAccounts(ctx)
	if err != nil {
		return nil, err
	}
	active := map[string]bool{}
	for _, a := range accounts {
		if !a.Disabled {
			active[a.Email] = true
		}
	}
	now := s.o.Now()
	out := make([]EstateRow, 0, len(eps))
	for _, ep := range eps {
		row := EstateRow{Project: ep}
		h := governance.Health{OwnersPresent: 0}
		for _, o := range ep.Owners {
			if active[o] {
				h.OwnersPresent++
			}
		}
		row.Health.OwnersPresent = h.OwnersPresent
		if ep.ProjectKey != "" {
			p, err := s.o.Store.Project(ctx, ep.ProjectKey)
			switch {
			case err == nil:
				h.LastCommit = p.HeadDate
				if p.License != nil {
					h.License = p.License.Expression
				}
				h.SecurityPolicy = securityPolicy(p)
				row.Health.Scanned = true
				if hist, err := s.o.Store.ScoreHistory(ctx, p.ID, 1); err == nil && len(hist) > 0 {
					v := hist[0].Score
					row.Health.Scorecard = &v
				}
			case !errors.Is(err, store.ErrNotFound):
				return nil, err
			}
		}
		row.Health.LastCommit, row.Health.License, row.Health.SecurityPolicy = h.LastCommit, h.License, h.SecurityPolicy
		row.Alerts = governance.Alerts(ep, h, now)
		if row.Alerts == nil {
			row.Alerts = []governance.Alert{}
		}
		out = append(out, row)
	}
	return out, nil
}

// securityPolicy names the project's security policy as the scan saw it:
// the path of its SECURITY file, "" when it has none.
func securityPolicy(p *catalog.Project) string {
	for _, f := range p.Files {
		if f.Kind == catalog.FileSecurity {
			return f.Path
		}
	}
	return ""
}

// SaveExternal creates or updates an estate project by hand, audited as
// estate.save by who.
func (s *Service) SaveExternal(ctx context.Context, who Who, p governance.ExternalProject) (*governance.ExternalProject, error) {
	now := s.o.Now()
	if p.ID == 0 {
		p.CreatedAt = now
		if p.ReviewDue.IsZero() {
			p.ReviewDue = now.AddDate(1, 0, 0)
		}
		if p.Lifecycle == "" {
			p.Lifecycle = governance.LifecycleProposed
		}
	}
	if p.Relation != governance.RelationPublic && p.Relation != governance.RelationContributed {
		return nil, catalog.Mark(fmt.Errorf("relation %q: public or contributed", p.Relation), catalog.ErrInvalid)
	}
	p.UpdatedAt = now
	got, err := s.o.Store.SaveExternalProject(ctx, p, who.entry("estate.save", now))
	if err != nil {
		return nil, err
	}
	return &got, nil
}

// Attest records an owner's annual re-attestation of an estate project:
// the licence and security policy the catalogue sees now become the
// attested ones and the next review is due in a year. Only an owner or a
// reviewer (ospo, admin) may attest.
func (s *Service) Attest(ctx context.Context, who Who, ref string) (*governance.ExternalProject, error) {
	ep, err := s.o.Store.ExternalProject(ctx, ref)
	if err != nil {
		return nil, err
	}
	if !slices.Contains(ep.Owners, governance.NormalizeEmail(who.Email)) && who.Role != catalog.RoleOSPO && who.Role != catalog.RoleAdmin {
		return nil, catalog.Kind("only an owner, ospo or an admin may attest", catalog.ErrForbidden)
	}
	now := s.o.Now()
	if ep.ProjectKey != "" {
		if p, err := s.o.Store.Project(ctx, ep.ProjectKey); err == nil {
			if p.License != nil {
				ep.License = p.License.Expression
			}
			ep.SecurityPolicy = securityPolicy(p)
		}
	}
	ep.ReviewDue, ep.UpdatedAt = now.AddDate(1, 0, 0), now
	got, err := s.o.Store.SaveExternalProject(ctx, *ep, who.entry("estate.attest", now))
	if err != nil {
		return nil, err
	}
	return &got, nil
}

// Remind tells the owners of every estate project with alerts (a review
// due, owners gone, inactivity, a changed licence or security policy)
// about each alert at most once every every (DefaultRemindEvery when
// zero): each round is audited as estate.remind (object external:NAME,
// After the alert kind), and the audit log is where the next call looks,
// so running it by hand, from cron and from Tick never repeats a reminder
// within the interval. It returns the messages sent and the alerts held
// back because their owners were told recently.
func (s *Service) Remind(ctx context.Context, every time.Duration) (reminded, held int, err error) {
	if every <= 0 {
		every = DefaultRemindEvery
	}
	rows, err := s.Estate(ctx)
	if err != nil {
		return 0, 0, err
	}
	now := s.o.Now()
	for _, row := range rows {
		if len(row.Alerts) == 0 {
			continue
		}
		object := "external:" + row.Project.Name
		recent, err := s.o.Store.ListAudit(ctx, store.AuditFilter{Object: object, Action: "estate.remind", Since: now.Add(-every)})
		if err != nil {
			return reminded, held, err
		}
		for _, a := range row.Alerts {
			if slices.ContainsFunc(recent, func(e catalog.AuditEntry) bool { return e.After == string(a.Kind) }) {
				held++
				continue
			}
			reminded += s.remindOwners(ctx, row.Project, a)
			if _, err := s.o.Store.AppendAudit(ctx, catalog.AuditEntry{At: now, Actor: System, Source: "workflow",
				Action: "estate.remind", Object: object, After: string(a.Kind)}); err != nil {
				return reminded, held, err
			}
		}
	}
	return reminded, held, nil
}

// remindOwners tells p's owners about alert a and returns how many were
// told.
func (s *Service) remindOwners(ctx context.Context, p governance.ExternalProject, a governance.Alert) int {
	topic := notify.TopicEstateAlert
	if a.Kind == governance.AlertReviewDue {
		topic = notify.TopicReviewDue
	}
	sent := 0
	for _, o := range p.Owners {
		if s.o.Notifier == nil {
			continue
		}
		m := notify.Message{To: o, Topic: topic, At: s.o.Now(),
			Subject: fmt.Sprintf("%s: %s", p.Name, a.Kind), Text: a.Message}
		if s.o.BaseURL != "" {
			m.Link = s.o.BaseURL + "/external/" + p.Name
		}
		if err := s.o.Notifier.Send(ctx, m); err != nil {
			s.o.Log.Warn("remind", "to", o, "err", err)
			continue
		}
		sent++
	}
	return sent
}

// TickReport says what one Tick did.
type TickReport struct {
	// Evaluated are the requests left evaluating that Tick took up
	// (queued again, or evaluated when there is no queue).
	Evaluated []int64 `json:"evaluated"`
	// Returned are the requests whose evidence changed (back to review).
	Returned []int64 `json:"returned"`
	// Reminded counts the messages sent about estate alerts; Held counts
	// the alerts not repeated because their owners were told recently.
	Reminded int `json:"reminded"`
	Held     int `json:"held"`
}

// DefaultRemindEvery is how often Tick repeats a reminder about one alert.
const DefaultRemindEvery = 7 * 24 * time.Hour

// Tick does the workflow's periodic work, for a scheduler to call (River's
// periodic job on PostgreSQL, `ospo govern tick` from cron on SQLite):
// it takes up the requests left evaluating for longer than
// Options.StuckAfter (EvaluatePending), revalidates the open-source requests whose project's HEAD moved
// (RevalidateAll), and tells the owners of estate projects about their
// alerts (a review date due, owners gone, …) at most once per alert every
// every (Remind), so a restarted or second scheduler does not repeat it.
// It returns what it did; an error reading the store stops it.
func (s *Service) Tick(ctx context.Context, every time.Duration) (TickReport, error) {
	if every <= 0 {
		every = DefaultRemindEvery
	}
	var rep TickReport
	evaluated, err := s.EvaluatePending(ctx)
	rep.Evaluated = evaluated
	if err != nil {
		return rep, fmt.Errorf("evaluate pending requests: %w", err)
	}
	back, err := s.RevalidateAll(ctx)
	rep.Returned = back
	if err != nil {
		return rep, fmt.Errorf("revalidate: %w", err)
	}
	rep.Reminded, rep.Held, err = s.Remind(ctx, every)
	if err != nil {
		return rep, fmt.Errorf("remind: %w", err)
	}
	return rep, nil
}
