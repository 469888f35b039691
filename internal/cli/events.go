package cli

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/ospo-project/ospo/internal/analyze"
	"github.com/ospo-project/ospo/internal/auth"
	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/events"
	"github.com/ospo-project/ospo/internal/governance"
	"github.com/ospo-project/ospo/internal/report"
	"github.com/ospo-project/ospo/internal/store"
)

// deriveEvents derives the events of the projects a scan just saved (see
// events.Update) and returns how many were new; logs holds the scan's walks
// of some of their histories (see events.Job.Log). A project whose history
// cannot be read is logged and skipped: its cursor does not move, so the
// next scan tries again.
func (a *app) deriveEvents(ctx context.Context, st store.Store, an *analyze.Analyzer, saved []*catalog.Project, logs map[*catalog.Project]*analyze.Log) (int, error) {
	return a.derive(ctx, st, an, saved, logs, false)
}

// scoreChunk is how many projects' recent scores derive reads at once.
const scoreChunk = 64

// derive derives the events of projects; replay reads whole histories.
func (a *app) derive(ctx context.Context, st store.Store, an *analyze.Analyzer, saved []*catalog.Project, logs map[*catalog.Project]*analyze.Log, replay bool) (int, error) {
	if len(saved) == 0 {
		return 0, nil
	}
	ms, err := st.Memberships(ctx, "")
	if err != nil {
		return 0, internalErr(err)
	}
	teams := map[string][]string{}
	for _, m := range ms {
		e := strings.ToLower(m.Email)
		teams[e] = append(teams[e], m.Team)
	}
	var vulns events.TreeVulns
	if an != nil && an.AdvisoriesKnown() {
		vulns = an.CommitVulns
	}
	total := 0
	var recent map[int64][]catalog.Scorecard
	for i, p := range saved {
		// The last two scores of scoreChunk projects in one read (a read per
		// project was a tenth of a scan's own CPU on a corpus of small
		// repositories; all at once would hold every scorecard).
		if i%scoreChunk == 0 && !replay {
			chunk := saved[i:min(i+scoreChunk, len(saved))]
			ids := make([]int64, len(chunk))
			for k, q := range chunk {
				ids[k] = q.ID
			}
			if recent, err = st.RecentScores(ctx, ids, 2); err != nil {
				return total, internalErr(err)
			}
		}
		j := events.Job{Project: *p, Teams: teams, Vulns: vulns, Replay: replay, Log: logs[p]}
		delete(logs, p) // read once: let the memory go
		if hist := recent[p.ID]; len(hist) == 2 && hist[0].Commit == p.HeadCommit &&
			hist[0].Score >= 0 && hist[1].Score >= 0 {
			j.Score = &events.ScoreChange{Previous: hist[1].Score, Current: hist[0].Score, Head: p.HeadCommit}
		}
		n, err := events.Update(ctx, st, j)
		if err != nil {
			if ctx.Err() != nil {
				return total, ctx.Err()
			}
			a.log.Warn("events", "project", p.Name, "error", err)
			continue
		}
		total += n
	}
	return total, nil
}

// personRef resolves --person: a catalogue person (ID, e-mail or name),
// else an e-mail as given.
func personRef(ctx context.Context, st store.Store, ref string) (store.EventFilter, string, error) {
	if ref == "" {
		return store.EventFilter{}, "", nil
	}
	p, err := st.Person(ctx, ref)
	switch {
	case err == nil:
		return store.EventFilter{PersonID: p.ID, Email: p.Email}, p.Name, nil
	case errors.Is(err, store.ErrNotFound) && strings.Contains(ref, "@"):
		return store.EventFilter{Email: ref}, ref, nil
	case errors.Is(err, store.ErrNotFound):
		return store.EventFilter{}, "", usageErr("no person %q", ref)
	}
	return store.EventFilter{}, "", classify(err)
}

func (a *app) eventsCmd() *cobra.Command {
	var format, person, project, kind string
	cmd := &cobra.Command{
		Use:   "events",
		Short: "Verified events (contributions, fixes, approved talks…) and the points they earn",
		Long: `Events are derived from git facts after each scan (a commit merged into another
team's InnerSource project, a first contribution, a vulnerability fixed, a
licence or security policy added, documentation added, a scorecard raised by
a full point), brought by forge sources (reviews, upstream contributions), or
claimed by hand with evidence and approved by a second person of the OSPO
(talks, hackathons, mentoring, blog posts). Bots earn nothing; whitespace-only,
generated-only and merge commits count for nothing; one real action is one
event however many commits it took; points are capped per day and per
project. See docs/gamification.md.`,
		Example: "  ospo events --person ann@example.com\n  ospo events --project payments --format json",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			st, err := a.storeFor(ctx, format)
			if err != nil {
				return err
			}
			f, _, err := personRef(ctx, st, person)
			if err != nil {
				return err
			}
			f.Kind = kind
			if project != "" {
				p, err := st.Project(ctx, project)
				if err != nil {
					return classify(err)
				}
				f.ProjectKey = p.Key
			}
			evs, err := st.Events(ctx, f)
			if err != nil {
				return internalErr(err)
			}
			if evs == nil {
				evs = []catalog.Event{}
			}
			if format == report.FormatJSON {
				return report.JSON(a.stdout, evs)
			}
			t := report.NewTable(a.stdout, "DATE", "KIND", "POINTS", "WHO", "PROJECT", "SUMMARY")
			for _, e := range evs {
				t.Row(e.At.Format("2006-01-02"), e.Kind, strconv.Itoa(e.Points), e.Email, e.Project, e.Summary)
			}
			return t.Flush()
		},
	}
	cmd.Flags().StringVar(&person, "person", "", "only this person's events (person ID, e-mail or name)")
	cmd.Flags().StringVar(&project, "project", "", "only this project's events")
	cmd.Flags().StringVar(&kind, "kind", "", "only events of this kind")
	addFormat(cmd, &format, report.FormatTable, report.FormatJSON)
	cmd.AddCommand(a.eventsDeriveCmd(), a.eventsClaimCmd(), a.claimsCmd(), a.decideCmd(true), a.decideCmd(false), a.kindsCmd(),
		a.leaderboardCmd(), a.consentCmd())
	return cmd
}

func (a *app) kindsCmd() *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "kinds",
		Short: "The event kinds with their points and definitions",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := report.CheckFormat(format, report.FormatTable, report.FormatJSON); err != nil {
				return usageErr("%v", err)
			}
			if format == report.FormatJSON {
				return report.JSON(a.stdout, events.Kinds)
			}
			t := report.NewTable(a.stdout, "KIND", "SOURCE", "POINTS", "DEFINITION")
			for _, k := range events.Kinds {
				t.Row(k.Kind, k.Source, strconv.Itoa(k.Points), k.Definition)
			}
			return t.Flush()
		},
	}
	addFormat(cmd, &format, report.FormatTable, report.FormatJSON)
	return cmd
}

// addClaim records a claim made from the command line by --as.
func (a *app) addClaim(ctx context.Context, c catalog.EventClaim) error {
	if a.as == "" || !strings.Contains(a.as, "@") {
		return usageErr("say who claims with --as EMAIL (the account of the claimant)")
	}
	if err := events.CheckClaim(c); err != nil {
		return classify(err)
	}
	st, err := a.store(ctx)
	if err != nil {
		return err
	}
	if _, err := st.Account(ctx, a.as); err != nil {
		return accountErr("account "+a.as, err)
	}
	c.ClaimedBy = a.as
	by := a.actor()
	got, err := st.AddClaim(ctx, c, by.Entry("claim.add", time.Now().UTC()))
	if err != nil {
		return classify(err)
	}
	fmt.Fprint(a.stdout, report.Cleanf("claim %d recorded, pending approval by someone of the OSPO other than %s\n", got.ID, got.ClaimedBy))
	return nil
}

func (a *app) eventsClaimCmd() *cobra.Command {
	var person, evidence, note string
	cmd := &cobra.Command{
		Use:     "claim KIND --person P --evidence URL",
		Short:   "Claim a manual event (talk, hackathon, mentoring, blog_post) with evidence, for approval",
		Example: "  ospo events claim talk --person ann@example.com --evidence https://conf.example/talks/42 --as ann@example.com",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if person == "" {
				person = a.as
			}
			return a.addClaim(cmd.Context(), catalog.EventClaim{Kind: args[0], Email: person, Evidence: evidence, Note: note})
		},
	}
	cmd.Flags().StringVar(&person, "person", "", "the person credited, by e-mail (default: --as)")
	cmd.Flags().StringVar(&evidence, "evidence", "", "a link to what proves it (required)")
	cmd.Flags().StringVar(&note, "note", "", "a note for the reviewer")
	return cmd
}

func (a *app) claimsCmd() *cobra.Command {
	var format, status string
	cmd := &cobra.Command{
		Use:   "claims",
		Short: "Manual events and badges claimed, with their decisions",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			st, err := a.storeFor(cmd.Context(), format)
			if err != nil {
				return err
			}
			cs, err := st.Claims(cmd.Context(), status)
			if err != nil {
				return internalErr(err)
			}
			if cs == nil {
				cs = []catalog.EventClaim{}
			}
			if format == report.FormatJSON {
				return report.JSON(a.stdout, cs)
			}
			t := report.NewTable(a.stdout, "ID", "STATUS", "KIND", "PERSON", "CLAIMED-BY", "DECIDED-BY", "EVIDENCE")
			for _, c := range cs {
				kind := c.Kind
				if c.Badge != "" {
					kind += ":" + c.Badge
				}
				t.Row(strconv.FormatInt(c.ID, 10), c.Status, kind, c.Email, c.ClaimedBy, c.DecidedBy, c.Evidence)
			}
			return t.Flush()
		},
	}
	cmd.Flags().StringVar(&status, "status", "", "only claims with this status: pending, approved, rejected")
	addFormat(cmd, &format, report.FormatTable, report.FormatJSON)
	return cmd
}

// decideCmd is `events approve|reject ID --as EMAIL`: only an account of
// the OSPO (the Review action) other than the claimant decides.
func (a *app) decideCmd(approve bool) *cobra.Command {
	use, short, action := "reject ID", "Reject a claim (OSPO, four eyes)", "claim.reject"
	if approve {
		use, short, action = "approve ID", "Approve a claim: the event is recorded (OSPO, four eyes)", "claim.approve"
	}
	return &cobra.Command{
		Use:   use,
		Short: short,
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			id, err := strconv.ParseInt(args[0], 10, 64)
			if err != nil {
				return usageErr("claim id %q is not a number", args[0])
			}
			if a.as == "" {
				return usageErr("say who decides with --as EMAIL (an account of the OSPO)")
			}
			st, err := a.store(ctx)
			if err != nil {
				return err
			}
			acc, err := st.Account(ctx, a.as)
			if err != nil {
				return accountErr("account "+a.as, err)
			}
			if acc.Disabled || !auth.Allowed(acc.Role, auth.Review) {
				return classify(catalog.Mark(fmt.Errorf("%s may not decide claims: the OSPO role decides", a.as), catalog.ErrForbidden))
			}
			by := a.actor()
			c, err := st.DecideClaim(ctx, id, store.ClaimDecision{Approve: approve, By: acc.Email, Event: events.ClaimEvent},
				by.Entry(action, time.Now().UTC()))
			if err != nil {
				if errors.Is(err, store.ErrNotFound) {
					return usageErr("no claim %d", id)
				}
				return classify(err)
			}
			fmt.Fprint(a.stdout, report.Cleanf("claim %d %s by %s\n", c.ID, c.Status, c.DecidedBy))
			return nil
		},
	}
}

func (a *app) consentCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "consent on|off --as EMAIL",
		Short: "Appear (on) or not (off) on the individual leaderboards",
		Long: `Leaderboards rank teams by default; a person appears on the individual
leaderboard only after consenting, for themself (--as their e-mail).`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if args[0] != "on" && args[0] != "off" {
				return usageErr("consent on or off, not %q", args[0])
			}
			if a.as == "" || !strings.Contains(a.as, "@") {
				return usageErr("say whose consent with --as EMAIL")
			}
			st, err := a.store(cmd.Context())
			if err != nil {
				return err
			}
			by := a.actor()
			if err := st.SetLeaderboardOptIn(cmd.Context(), a.as, args[0] == "on", by.Entry("leaderboard.consent", time.Now().UTC())); err != nil {
				return classify(err)
			}
			fmt.Fprint(a.stdout, report.Cleanf("individual leaderboard consent %s for %s\n", args[0], a.as))
			return nil
		},
	}
}

// standings tallies every event of the catalogue.
func standings(ctx context.Context, st store.Store) ([]events.Standing, error) {
	evs, err := st.Events(ctx, store.EventFilter{})
	if err != nil {
		return nil, err
	}
	return events.Tally(evs, events.DefaultCaps), nil
}

// leaderboard builds the team board and the board of those who consented.
func leaderboard(ctx context.Context, st store.Store) (events.Leaderboard, error) {
	evs, err := st.Events(ctx, store.EventFilter{})
	if err != nil {
		return events.Leaderboard{}, err
	}
	ms, err := st.Memberships(ctx, "")
	if err != nil {
		return events.Leaderboard{}, err
	}
	optins, err := st.LeaderboardOptIns(ctx)
	if err != nil {
		return events.Leaderboard{}, err
	}
	people, err := st.ListPeople(ctx, store.PersonFilter{})
	if err != nil {
		return events.Leaderboard{}, err
	}
	return events.Board(evs, people, ms, optins, events.DefaultCaps), nil
}

func (a *app) leaderboardCmd() *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "leaderboard",
		Short: "Points by team, and by person for those who consented",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			st, err := a.storeFor(cmd.Context(), format)
			if err != nil {
				return err
			}
			b, err := leaderboard(cmd.Context(), st)
			if err != nil {
				return internalErr(err)
			}
			if format == report.FormatJSON {
				return report.JSON(a.stdout, b)
			}
			t := report.NewTable(a.stdout, "TEAM", "POINTS", "PEOPLE")
			for _, e := range b.Teams {
				t.Row(e.Name, strconv.Itoa(e.Points), strconv.Itoa(e.People))
			}
			if err := t.Flush(); err != nil {
				return err
			}
			if len(b.People) > 0 {
				fmt.Fprintln(a.stdout)
				t = report.NewTable(a.stdout, "PERSON", "POINTS", "LEVEL")
				for _, e := range b.People {
					t.Row(e.Name, strconv.Itoa(e.Points), e.Level)
				}
				return t.Flush()
			}
			return nil
		},
	}
	addFormat(cmd, &format, report.FormatTable, report.FormatJSON)
	return cmd
}

func (a *app) eventsDeriveCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "derive",
		Short: "Derive the events of every project's whole history again (after team memberships changed)",
		Long: `A scan derives the events of the commits new since the last scan. derive reads
every project's whole history again, for instance after ospo teams import
made cross-team contributions visible; an event already recorded is never
recorded twice.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			st, err := a.store(ctx)
			if err != nil {
				return err
			}
			an, err := a.analyzer(ctx, pipelineOptions{advisories: true})
			if err != nil {
				return err
			}
			ps, err := st.ListProjects(ctx, store.ProjectFilter{})
			if err != nil {
				return internalErr(err)
			}
			list := make([]*catalog.Project, len(ps))
			for i := range ps {
				list[i] = &ps[i]
			}
			n, err := a.derive(ctx, st, an, list, nil, true)
			if err != nil {
				return err
			}
			nf, err := a.deriveForgeEvents(ctx, st)
			if err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "%d new events from %d projects, %d from forge pull requests\n", n, len(ps), nf)
			return nil
		},
	}
}

// deriveForgeEvents derives the review and upstream-contribution events of
// every forge repository the sources brought (see events.DeriveForge) and
// returns how many were new. Forge items change without a commit, so this
// reads every repository's pull requests; events already recorded are
// never recorded twice.
func (a *app) deriveForgeEvents(ctx context.Context, st store.Store) (int, error) {
	repos, err := st.ForgeRepos(ctx, "")
	if err != nil {
		return 0, internalErr(err)
	}
	if len(repos) == 0 {
		return 0, nil
	}
	cfg, err := a.config()
	if err != nil {
		return 0, err
	}
	people, err := st.ListPeople(ctx, store.PersonFilter{})
	if err != nil {
		return 0, internalErr(err)
	}
	ents, err := st.Entities(ctx, "")
	if err != nil {
		return 0, internalErr(err)
	}
	ms, err := st.Memberships(ctx, "")
	if err != nil {
		return 0, internalErr(err)
	}
	teams := map[string][]string{}
	for _, m := range ms {
		e := strings.ToLower(m.Email)
		teams[e] = append(teams[e], m.Team)
	}
	contribs, err := st.ListRequests(ctx, governance.RequestFilter{Kind: governance.KindContribute, State: governance.StateApproved})
	if err != nil {
		return 0, internalErr(err)
	}
	logins := events.Logins(cfg.Events.Logins, people, ents)
	total := 0
	for _, r := range repos {
		if r.ProjectKey == "" {
			continue
		}
		items, err := st.ForgeItems(ctx, r.ProjectKey, catalog.ItemPullRequest, 0)
		if err != nil {
			return total, internalErr(err)
		}
		if len(items) == 0 {
			continue
		}
		in := events.ForgeInput{Repo: r, Items: items, Logins: logins, Teams: teams, Upstream: upstreamApprovals(r, contribs)}
		if p, err := st.Project(ctx, r.ProjectKey); err == nil {
			in.Project = p
		} else if !errors.Is(err, store.ErrNotFound) {
			return total, internalErr(err)
		}
		n, err := st.AddEvents(ctx, r.ProjectKey, "", events.DeriveForge(in))
		if err != nil {
			return total, internalErr(err)
		}
		total += n
	}
	return total, nil
}

// upstreamApprovals returns the approved contribute requests covering the
// forge repository r: their subject names r (its URL, clone URL or project
// key), or, for a standing approval, a host or organisation above it.
func upstreamApprovals(r catalog.ForgeRepo, contribs []governance.Request) []events.Approval {
	var names []string
	for _, u := range []string{r.URL, r.CloneURL, r.ProjectKey} {
		if n, err := governance.NormalizeURL(u); err == nil {
			names = append(names, n)
		}
	}
	var out []events.Approval
	for _, c := range contribs {
		got, err := governance.NormalizeURL(c.Subject)
		if err != nil {
			continue
		}
		for _, want := range names {
			if got == want || (c.Details.Scope == governance.ScopeStanding && strings.HasPrefix(want, got+"/")) {
				out = append(out, events.Approval{From: c.CreatedAt, Until: c.Expires, Evidence: "request " + strconv.FormatInt(c.ID, 10)})
				break
			}
		}
	}
	return out
}
