// Package govern runs the OSPO's approval workflow (the rules are
// internal/governance's): it opens requests with their checklists answered
// by the analysis pipeline at a pinned commit and by a secrets scan of the
// whole history, applies people's actions through the store's
// compare-and-set so concurrent decisions resolve to one, re-evaluates the
// evidence when a project's HEAD moves, turns approved exceptions into the
// suppressions the gates read, exports evidence packs, and tells people
// (internal/notify). The CLI and the hub are its front ends.
package govern

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ospo-project/ospo/internal/analyze"
	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/governance"
	"github.com/ospo-project/ospo/internal/namecheck"
	"github.com/ospo-project/ospo/internal/notify"
	"github.com/ospo-project/ospo/internal/secrets"
	"github.com/ospo-project/ospo/internal/store"
)

// System is the actor the workflow's own actions are recorded as.
const System = "ospo"

// Options configure a Service. Store is required; the others may be nil.
type Options struct {
	Store    store.Store
	Policies governance.Policies
	// Analyzer answers the automatic items; nil leaves them not checked.
	Analyzer *analyze.Analyzer
	// AdvisoriesKnown: advisories were imported (see Evidence).
	AdvisoriesKnown bool
	// Secrets scans the history; nil leaves the secrets items not checked.
	Secrets *secrets.Scanner
	// Names asks the registries whether the project's package names are
	// free; nil leaves the registry-names item not checked (offline).
	Names      *namecheck.Checker
	Thresholds Thresholds
	// Notifier tells reviewers and requesters; nil tells nobody.
	Notifier *notify.Notifier
	// BaseURL is the hub's address, for links in messages.
	BaseURL string
	// Schedule, when set, queues the evaluation of request id
	// (EvaluateRequest) for a background worker: River's on PostgreSQL,
	// the hub's own (Background) on SQLite. Open then returns at once with
	// the automatic items evaluating. Nil evaluates in Open itself.
	Schedule func(ctx context.Context, id int64) error
	// StuckAfter is how long a request may stay evaluating before
	// EvaluatePending (Tick) takes it up again; 0 means DefaultStuckAfter.
	StuckAfter time.Duration
	Now        func() time.Time
	Log        *slog.Logger
}

// Service is the workflow. It is safe for concurrent use.
type Service struct{ o Options }

// New returns the workflow over o.
func New(o Options) *Service {
	if o.Now == nil {
		o.Now = func() time.Time { return time.Now().UTC() }
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	if o.Policies == nil {
		o.Policies = governance.Policies{}
	}
	if o.StuckAfter <= 0 {
		o.StuckAfter = DefaultStuckAfter
	}
	return &Service{o: o}
}

// WithSchedule returns a copy of s whose Open queues evaluations with
// schedule (see Options.Schedule); s itself is unchanged.
func (s *Service) WithSchedule(schedule func(ctx context.Context, id int64) error) *Service {
	o := s.o
	o.Schedule = schedule
	return &Service{o: o}
}

// Who is the person acting, as the front end authenticated them.
type Who struct {
	Email string
	Role  catalog.Role
	Teams []string
	// Source is "cli", "hub" or "api"; Address the client's address, or
	// for the CLI the operating-system user acting for Email (--as).
	Source, Address string
}

func (w Who) actor() governance.Actor {
	return governance.Actor{Email: w.Email, Role: w.Role, Teams: w.Teams}
}

func (w Who) entry(action string, at time.Time) *catalog.AuditEntry {
	return &catalog.AuditEntry{At: at, Actor: governance.NormalizeEmail(w.Email), Source: w.Source, Address: w.Address, Action: action}
}

// ErrNoAccount: the acting e-mail has no account, or a disabled one.
var ErrNoAccount = catalog.Kind("no active account with this e-mail", catalog.ErrUnauthenticated)

// Who returns the account with email as an actor, with its teams.
func (s *Service) Who(ctx context.Context, email, source, address string) (Who, error) {
	a, err := s.o.Store.Account(ctx, email)
	if errors.Is(err, store.ErrNotFound) || (err == nil && a.Disabled) {
		return Who{}, fmt.Errorf("%s: %w", email, ErrNoAccount)
	}
	if err != nil {
		return Who{}, err
	}
	ms, err := s.o.Store.Memberships(ctx, a.Email)
	if err != nil {
		return Who{}, err
	}
	w := Who{Email: a.Email, Role: a.Role, Source: source, Address: address}
	for _, m := range ms {
		if !slices.Contains(w.Teams, m.Team) {
			w.Teams = append(w.Teams, m.Team)
		}
	}
	return w, nil
}

// Policy returns the policy of kind k.
func (s *Service) Policy(k governance.Kind) governance.Policy { return s.o.Policies.For(k) }

// Policies returns the policies of every kind, as configured.
func (s *Service) Policies() governance.Policies { return s.o.Policies }

// Open files the request d by who (the requester, whatever d says) and
// returns it as stored. An open-source request is stored at once with its
// automatic items evaluating, pinned to the project's HEAD commit, and
// audited as request.open; the evaluation (EvaluateRequest) then answers
// them, applies the fast path and tells reviewers. With Options.Schedule
// the evaluation is queued and Open returns the request still evaluating
// (the hub); without it Open evaluates before it returns (the CLI), along
// the same path. The other kinds have no automatic items: the fast path is
// applied (audited as request.fast-path) and reviewers are told at once.
func (s *Service) Open(ctx context.Context, who Who, d governance.Draft) (*governance.Request, error) {
	now := s.o.Now()
	d.Requester = who.Email
	p := s.Policy(d.Kind)
	r, err := governance.New(d, p, now)
	if err != nil {
		return nil, err
	}
	if r.Kind == governance.KindOpenSource || r.Kind == governance.KindException {
		proj, err := s.o.Store.Project(ctx, r.Subject)
		if err != nil {
			if errors.Is(err, store.ErrNotFound) {
				return nil, catalog.Mark(fmt.Errorf("no project %q in the catalogue", r.Subject), catalog.ErrInvalid)
			}
			return nil, err
		}
		r.Subject = proj.Key
		if r.Kind == governance.KindOpenSource {
			r.Commit = proj.HeadCommit
			r.Checklist = append(s.placeholders(r.Commit, governance.Evaluating, "being evaluated"), r.Checklist...)
		}
	}
	if r.Kind == governance.KindLifecycle {
		if _, err := s.o.Store.ExternalProject(ctx, r.Subject); err != nil {
			if errors.Is(err, store.ErrNotFound) {
				return nil, catalog.Mark(fmt.Errorf("no external project %q (ospo estate add)", r.Subject), catalog.ErrInvalid)
			}
			return nil, err
		}
	}
	created, err := s.o.Store.CreateRequest(ctx, *r, who.entry("request.open", now))
	if err != nil {
		return nil, err
	}
	if created.Evaluating() {
		if s.o.Schedule == nil {
			return s.EvaluateRequest(ctx, created.ID)
		}
		if err := s.o.Schedule(ctx, created.ID); err != nil {
			// The request stands; Tick picks up what was not queued.
			s.o.Log.Warn("queue the evaluation of a request", "request", created.ID, "err", err)
		}
		return &created, nil
	}
	s.decided(ctx, &created, who.Source)
	return &created, nil
}

// decided applies the fast path to r when it holds (audited as
// request.fast-path with source src; the requester is told and the
// approval registered, as for any approval), or tells the reviewers that
// r waits on them.
func (s *Service) decided(ctx context.Context, r *governance.Request, src string) {
	if r.State == governance.StateReview && governance.FastPathHolds(s.Policy(r.Kind), r) {
		step := governance.Step{Action: governance.ActFastPath, By: governance.Actor{Email: System}, At: s.o.Now(),
			Text: "every automatic item passed and the fast path's conditions hold"}
		got, err := s.apply(ctx, r.ID, step, func(bool) *catalog.AuditEntry {
			return &catalog.AuditEntry{At: step.At, Actor: System, Source: src, Action: governance.AuditAction(governance.ActFastPath, false)}
		})
		if err == nil {
			*r = *got
			return
		}
		s.o.Log.Warn("fast path", "request", r.ID, "err", err)
	}
	if r.State == governance.StateReview {
		s.tellReviewers(ctx, r)
	}
}

// placeholders returns the automatic items (the IDs and titles AutoItems
// gives) at commit, each with status st and value v, no evidence.
func (s *Service) placeholders(commit string, st governance.Status, v string) []governance.Item {
	items := AutoItems(Evidence{Commit: commit, Result: &analyze.Result{Project: &catalog.Project{}}}, s.o.Thresholds)
	for i := range items {
		items[i].Status, items[i].Value, items[i].Evidence = st, v, nil
	}
	return items
}

// EvaluateRequest answers the automatic items of request id that are still
// evaluating, at the commit the request pinned, and records them (audited
// as request.evaluate by the workflow); then, the request being in review,
// it applies the fast path when it holds, or tells the reviewers. A
// request with no item evaluating is returned as it is, so running it
// twice (a job retried, Tick and a worker at once) records one result.
// An evaluation that fails for a reason other than ctx records the items
// as not checked (the error is logged, not shown); when ctx ends, nothing
// is written and the request stays evaluating, for a later run.
func (s *Service) EvaluateRequest(ctx context.Context, id int64) (*governance.Request, error) {
	r, err := s.o.Store.Request(ctx, id)
	if err != nil {
		return nil, err
	}
	if !r.Evaluating() {
		return r, nil
	}
	commit := r.Commit
	var items []governance.Item
	proj, err := s.o.Store.Project(ctx, r.Subject)
	switch {
	case errors.Is(err, store.ErrNotFound):
		items = s.placeholders(commit, governance.NotChecked, "the project is no longer in the catalogue")
	case err != nil:
		return nil, err
	default:
		if commit == "" {
			commit = proj.HeadCommit
		}
		items, err = s.evaluateAt(ctx, proj, commit)
		if err != nil {
			if ctx.Err() != nil {
				return nil, fmt.Errorf("evaluate request %d: %w", id, err)
			}
			s.o.Log.Warn("evaluate request", "request", id, "err", err)
			items = s.placeholders(commit, governance.NotChecked, "the evaluation failed (the server's log says why)")
		}
	}
	now := s.o.Now()
	step := governance.Step{Action: governance.ActEvaluate, By: governance.Actor{Email: System}, At: now,
		Text: "automatic items evaluated at " + short(commit) + ": " + tally(items)}
	got, _, applied, err := s.pin(ctx, id, step, commit, items, func(cur *governance.Request) bool { return !cur.Evaluating() })
	if err != nil || !applied {
		return got, err // evaluated meanwhile by another run: nothing to tell
	}
	s.decided(ctx, got, "workflow")
	return got, nil
}

// pin applies the workflow's step (audited as the system's) to request id,
// with items as its automatic checklist pinned to commit and its questions
// kept, retrying on concurrent changes. When skip reports true for the
// request as read, it is returned unchanged and applied is false. before is
// the request's state before the step.
func (s *Service) pin(ctx context.Context, id int64, step governance.Step, commit string, items []governance.Item,
	skip func(*governance.Request) bool) (got *governance.Request, before governance.State, applied bool, err error) {
	for range maxRetries {
		cur, err := s.o.Store.Request(ctx, id)
		if err != nil {
			return nil, "", false, err
		}
		was := cur.State
		if skip != nil && skip(cur) {
			return cur, was, false, nil
		}
		if _, err := governance.Apply(cur, s.Policy(cur.Kind), step); err != nil {
			return nil, "", false, fmt.Errorf("request %d: %w", id, err)
		}
		cur.Commit = commit
		cur.Checklist = append(slices.Clone(items), questionsOf(cur.Checklist)...)
		by := &catalog.AuditEntry{At: step.At, Actor: System, Source: "workflow", Action: governance.AuditAction(step.Action, false)}
		stored, err := s.o.Store.UpdateRequest(ctx, *cur, by)
		if errors.Is(err, store.ErrStale) {
			continue
		}
		if err != nil {
			return nil, "", false, err
		}
		return &stored, was, true, nil
	}
	return nil, "", false, fmt.Errorf("request %d: too many concurrent changes: %w", id, store.ErrStale)
}

// tally counts items by status ("9 pass, 2 fail, 3 not-checked").
func tally(items []governance.Item) string {
	var order []governance.Status
	n := map[governance.Status]int{}
	for _, it := range items {
		if n[it.Status] == 0 {
			order = append(order, it.Status)
		}
		n[it.Status]++
	}
	parts := make([]string, len(order))
	for i, st := range order {
		parts[i] = fmt.Sprintf("%d %s", n[st], st)
	}
	return strings.Join(parts, ", ")
}

// DefaultStuckAfter is how long a request may stay evaluating before
// EvaluatePending takes it up again.
const DefaultStuckAfter = 30 * time.Minute

// Evaluating returns the open-source requests whose automatic items are
// still evaluating, oldest first.
func (s *Service) Evaluating(ctx context.Context) ([]governance.Request, error) {
	rs, err := s.o.Store.ListRequests(ctx, governance.RequestFilter{Kind: governance.KindOpenSource})
	if err != nil {
		return nil, err
	}
	var out []governance.Request
	for i := len(rs) - 1; i >= 0; i-- {
		if rs[i].Evaluating() {
			out = append(out, rs[i])
		}
	}
	return out, nil
}

// EvaluatePending takes up the requests left evaluating for longer than
// Options.StuckAfter since they were opened (their evaluation was lost: a
// process killed mid-way, a queue that refused it): with Options.Schedule
// it queues them again, without it evaluates them here. It returns their
// ids; one that fails is logged and the others go on.
func (s *Service) EvaluatePending(ctx context.Context) ([]int64, error) {
	rs, err := s.Evaluating(ctx)
	if err != nil {
		return nil, err
	}
	stuck := s.o.Now().Add(-s.o.StuckAfter)
	var out []int64
	for _, r := range rs {
		if r.CreatedAt.After(stuck) {
			continue
		}
		if s.o.Schedule != nil {
			err = s.o.Schedule(ctx, r.ID)
		} else {
			_, err = s.EvaluateRequest(ctx, r.ID)
		}
		if err != nil {
			if ctx.Err() != nil {
				return out, ctx.Err()
			}
			s.o.Log.Warn("evaluate a pending request", "request", r.ID, "err", err)
			continue
		}
		out = append(out, r.ID)
	}
	return out, nil
}

// Evaluate answers the automatic items for proj at its HEAD commit: the
// pipeline over the committed tree (not the work tree) and the secrets scan
// of every commit reachable from it. It returns the items and the commit.
func (s *Service) Evaluate(ctx context.Context, proj *catalog.Project) ([]governance.Item, string, error) {
	items, err := s.evaluateAt(ctx, proj, proj.HeadCommit)
	return items, proj.HeadCommit, err
}

// evaluateAt answers the automatic items for proj at commit.
func (s *Service) evaluateAt(ctx context.Context, proj *catalog.Project, commit string) ([]governance.Item, error) {
	if s.o.Analyzer == nil || proj.Path == "" || commit == "" {
		return s.placeholders(commit, governance.NotChecked, "the project's checkout is not available to evaluate"), nil
	}
	res, err := s.o.Analyzer.Analyze(ctx, analyze.Target{Dir: proj.Path, Source: analyze.Commit, Commit: commit,
		Analyses: analyze.All, Kind: proj.Kind})
	if err != nil {
		return nil, fmt.Errorf("evaluate %s at %s: %w", proj.Key, short(commit), err)
	}
	ev := Evidence{Commit: commit, Result: res, AdvisoriesKnown: s.o.AdvisoriesKnown}
	if s.o.Secrets != nil {
		fs, st, err := s.o.Secrets.ScanHistory(ctx, proj.Path, []string{commit})
		if err != nil {
			return nil, fmt.Errorf("secrets scan of %s: %w", proj.Key, err)
		}
		ev.Secrets, ev.SecretsScanned, ev.Commits = fs, true, st.Commits
	}
	if s.o.Names != nil {
		ev.Names, ev.NamesChecked = s.o.Names.Check(ctx, res.Project.PackageNames), true
	}
	return AutoItems(ev, s.o.Thresholds), nil
}

func short(sha string) string {
	if len(sha) > 12 {
		return sha[:12]
	}
	return sha
}

// maxRetries bounds the compare-and-set loop; each retry follows another
// client's successful change, so it is only reached under a storm.
const maxRetries = 50

// Act applies who's action to request id: read, apply the rules, store
// from the version read; when another change came first, read again and
// re-apply (the rules then decide again: a second approval still counts, an
// approval after a rejection is refused). People cannot invalidate or
// fast-path: the workflow does.
func (s *Service) Act(ctx context.Context, who Who, id int64, step governance.Step) (*governance.Request, error) {
	switch step.Action {
	case governance.ActInvalidate, governance.ActFastPath, governance.ActOpen, governance.ActEvaluate:
		return nil, catalog.Mark(fmt.Errorf("%q is the workflow's own action", step.Action), catalog.ErrInvalid)
	}
	step.By = who.actor()
	if step.At.IsZero() {
		step.At = s.o.Now()
	}
	return s.apply(ctx, id, step, func(bypass bool) *catalog.AuditEntry {
		return who.entry(governance.AuditAction(step.Action, bypass), step.At)
	})
}

func (s *Service) apply(ctx context.Context, id int64, step governance.Step, entry func(bypass bool) *catalog.AuditEntry) (*governance.Request, error) {
	if step.At.IsZero() {
		step.At = s.o.Now()
	}
	for range maxRetries {
		r, err := s.o.Store.Request(ctx, id)
		if err != nil {
			return nil, err
		}
		before := r.State
		bypass, err := governance.Apply(r, s.Policy(r.Kind), step)
		if err != nil {
			return nil, fmt.Errorf("request %d: %w", id, err)
		}
		got, err := s.o.Store.UpdateRequest(ctx, *r, entry(bypass))
		if errors.Is(err, store.ErrStale) {
			continue
		}
		if err != nil {
			return nil, err
		}
		s.after(ctx, &got, before, step)
		return &got, nil
	}
	return nil, fmt.Errorf("request %d: too many concurrent changes: %w", id, store.ErrStale)
}

// after tells people what an action changed and registers what approval
// brings about.
func (s *Service) after(ctx context.Context, r *governance.Request, before governance.State, step governance.Step) {
	switch {
	case r.State == before && step.Action == governance.ActComment:
		if governance.NormalizeEmail(step.By.Email) != r.Requester {
			s.tell(ctx, r.Requester, notify.TopicRequestComment, r, step.By.Email+" commented: "+step.Text)
		}
	case r.State == governance.StateApproved || r.State == governance.StateRejected:
		if r.State == governance.StateApproved {
			s.onApproved(ctx, r)
		}
		s.tell(ctx, r.Requester, notify.TopicRequestDecided, r, string(r.State)+" by "+step.By.Email+textSuffix(step.Text))
	case r.State == governance.StateReview && before != governance.StateReview:
		s.tellReviewers(ctx, r)
	}
}

func textSuffix(t string) string {
	if t == "" {
		return ""
	}
	return ": " + t
}

// onApproved registers what an approval brings: an open-sourced project or
// a contributed-to one joins the external estate (proposed → approved), a
// lifecycle change moves its estate project. Failures are logged: the
// approval stands, and the estate can be edited by hand.
func (s *Service) onApproved(ctx context.Context, r *governance.Request) {
	now := s.o.Now()
	by := &catalog.AuditEntry{At: now, Actor: System, Source: "workflow", Action: "estate.from-request"}
	var err error
	switch r.Kind {
	case governance.KindOpenSource, governance.KindContribute:
		name, url, rel := r.Subject, r.Subject, governance.RelationContributed
		if r.Kind == governance.KindOpenSource {
			rel, url = governance.RelationPublic, ""
			if p, perr := s.o.Store.Project(ctx, r.Subject); perr == nil {
				name, url = p.Name, p.RemoteURL
			}
		} else if n, nerr := governance.NormalizeURL(r.Subject); nerr == nil {
			name = n
		}
		ep, gerr := s.o.Store.ExternalProject(ctx, name)
		switch {
		case errors.Is(gerr, store.ErrNotFound):
			_, err = s.o.Store.SaveExternalProject(ctx, governance.ExternalProject{Name: name, URL: url, Relation: rel,
				Lifecycle: governance.LifecycleApproved, Owners: []string{r.Requester}, Requests: []int64{r.ID},
				ProjectKey: projectKeyOf(r), ReviewDue: now.AddDate(1, 0, 0), CreatedAt: now, UpdatedAt: now}, by)
		case gerr != nil:
			err = gerr
		case !slices.Contains(ep.Requests, r.ID):
			ep.Requests = append(ep.Requests, r.ID)
			ep.UpdatedAt = now
			_, err = s.o.Store.SaveExternalProject(ctx, *ep, by)
		}
	case governance.KindLifecycle:
		ep, gerr := s.o.Store.ExternalProject(ctx, r.Subject)
		if gerr != nil {
			err = gerr
			break
		}
		ep.Lifecycle = governance.Lifecycle(r.Details.Lifecycle)
		if !slices.Contains(ep.Requests, r.ID) {
			ep.Requests = append(ep.Requests, r.ID)
		}
		ep.UpdatedAt = now
		_, err = s.o.Store.SaveExternalProject(ctx, *ep, by)
	}
	if err != nil {
		s.o.Log.Warn("register approved request in the estate", "request", r.ID, "err", err)
	}
}

func projectKeyOf(r *governance.Request) string {
	if r.Kind == governance.KindOpenSource {
		return r.Subject
	}
	return ""
}

// Revalidate re-evaluates request id's automatic items when its project's
// HEAD moved from the pinned commit: if any result changed, the request
// returns to review (request.invalidate, the changed items named) with the
// new evidence pinned; if none did, the new commit is pinned and a comment
// says so. It returns whether the request returned to review.
func (s *Service) Revalidate(ctx context.Context, id int64) (bool, error) {
	r, err := s.o.Store.Request(ctx, id)
	if err != nil {
		return false, err
	}
	if r.Kind != governance.KindOpenSource || (r.State != governance.StateApproved && r.State != governance.StateReview) || r.Evaluating() {
		return false, nil
	}
	proj, err := s.o.Store.Project(ctx, r.Subject)
	if err != nil {
		return false, err
	}
	if proj.HeadCommit == "" || proj.HeadCommit == r.Commit {
		return false, nil
	}
	items, commit, err := s.Evaluate(ctx, proj)
	if err != nil {
		return false, err
	}
	changed := governance.Changed(r.Checklist, items)
	now := s.o.Now()
	step := governance.Step{Action: governance.ActComment, By: governance.Actor{Email: System}, At: now,
		Text: fmt.Sprintf("HEAD moved from %s to %s; automatic items re-evaluated: unchanged", short(r.Commit), short(commit))}
	if len(changed) > 0 {
		step.Action = governance.ActInvalidate
		step.Text = fmt.Sprintf("HEAD moved from %s to %s; changed: %s", short(r.Commit), short(commit), strings.Join(changed, ", "))
	}
	got, before, _, err := s.pin(ctx, id, step, commit, items, nil)
	if err != nil {
		return false, err
	}
	s.after(ctx, got, before, step)
	return len(changed) > 0, nil
}

func questionsOf(items []governance.Item) []governance.Item {
	var out []governance.Item
	for _, it := range items {
		if !it.Auto {
			out = append(out, it)
		}
	}
	return out
}

// RevalidateAll revalidates every open-source request in review or
// approved, and returns the ids that returned to review. A request that
// cannot be evaluated (its checkout gone) is logged and skipped.
func (s *Service) RevalidateAll(ctx context.Context) ([]int64, error) {
	var back []int64
	for _, st := range []governance.State{governance.StateApproved, governance.StateReview} {
		rs, err := s.o.Store.ListRequests(ctx, governance.RequestFilter{Kind: governance.KindOpenSource, State: st})
		if err != nil {
			return back, err
		}
		for _, r := range rs {
			returned, err := s.Revalidate(ctx, r.ID)
			if err != nil {
				s.o.Log.Warn("revalidate request", "request", r.ID, "err", err)
				continue
			}
			if returned {
				back = append(back, r.ID)
			}
		}
	}
	return back, nil
}

// ToReview returns the requests who may approve now, newest first.
func (s *Service) ToReview(ctx context.Context, who Who) ([]governance.Request, error) {
	rs, err := s.o.Store.ListRequests(ctx, governance.RequestFilter{State: governance.StateReview})
	if err != nil {
		return nil, err
	}
	var out []governance.Request
	for _, r := range rs {
		if governance.CanReview(&r, s.Policy(r.Kind), who.actor()) {
			out = append(out, r)
		}
	}
	return out, nil
}

// Link returns the hub's address of request id ("" without a base URL).
func (s *Service) Link(id int64) string {
	if s.o.BaseURL == "" {
		return ""
	}
	return strings.TrimSuffix(s.o.BaseURL, "/") + "/requests/" + strconv.FormatInt(id, 10)
}

func (s *Service) tell(ctx context.Context, to, topic string, r *governance.Request, what string) {
	if s.o.Notifier == nil || to == "" || to == System {
		return
	}
	m := notify.Message{To: to, Topic: topic, At: s.o.Now(),
		Subject: fmt.Sprintf("Request #%d (%s %s): %s", r.ID, r.Kind, r.Subject, r.State),
		Text:    fmt.Sprintf("%s\n\n%s", r.Title, what), Link: s.Link(r.ID)}
	if err := s.o.Notifier.Send(ctx, m); err != nil {
		s.o.Log.Warn("notify", "to", to, "topic", topic, "request", r.ID, "err", err)
	}
}

// tellReviewers tells every account that may approve r that it waits on them.
func (s *Service) tellReviewers(ctx context.Context, r *governance.Request) {
	if s.o.Notifier == nil {
		return
	}
	accounts, err := s.o.Store.ListAccounts(ctx)
	if err != nil {
		s.o.Log.Warn("notify reviewers", "request", r.ID, "err", err)
		return
	}
	p := s.Policy(r.Kind)
	for _, a := range accounts {
		if a.Disabled {
			continue
		}
		w, err := s.Who(ctx, a.Email, "", "")
		if err != nil {
			continue
		}
		if governance.CanReview(r, p, w.actor()) {
			s.tell(ctx, a.Email, notify.TopicRequestWaiting, r, "waits on your review")
		}
	}
}
