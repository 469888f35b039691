package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/ospo-project/ospo/internal/analyze"
	"github.com/ospo-project/ospo/internal/auth"
	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/hub/estate"
	"github.com/ospo-project/ospo/internal/inbox"
	"github.com/ospo-project/ospo/internal/notify"
	"github.com/ospo-project/ospo/internal/recommend"
	"github.com/ospo-project/ospo/internal/report"
	"github.com/ospo-project/ospo/internal/store"
)

func (a *app) inboxCmd() *cobra.Command {
	var format string
	var all bool
	cmd := &cobra.Command{
		Use:   "inbox --as EMAIL",
		Short: "One person's inbox: what needs them in their projects, most pressing first",
		Long: `inbox lists what needs the person with the e-mail given by --as, derived from
the catalogue: vulnerabilities in the projects they own or committed to (one
item per vulnerability, listing every project it affects, with the fixed
version and the size of the upgrade), licence violations and scorecard drops
in those projects. Items are ranked by severity, the person's role (owners
first) and age. Items the person snoozed or marked done are hidden while the
fact behind them is unchanged; --all lists them too.

See docs/inbox.md.`,
		Example: `  ospo inbox --as jane@example.com
  ospo inbox snooze vulnerability:GHSA-35jh-r3h4-6jhm --for 7d --as jane@example.com
  ospo inbox done scorecard:github.com/acme/web --as jane@example.com`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if a.as == "" {
				return usageErr("--as EMAIL names whose inbox to list")
			}
			if err := report.CheckFormat(format, report.FormatTable, report.FormatJSON); err != nil {
				return usageErr("%v", err)
			}
			cat, err := a.inboxCatalog(cmd.Context())
			if err != nil {
				return err
			}
			in, _, err := cat.Inbox(cmd.Context(), a.as, inbox.Options{Hidden: all})
			if err != nil {
				return internalErr(err)
			}
			if format == report.FormatJSON {
				return report.JSON(a.stdout, in)
			}
			t := report.NewTable(a.stdout, "SEVERITY", "KIND", "ITEM", "PROJECTS", "FIX", "STATE", "KEY")
			rows := append(append(append([]inbox.Item{}, in.Items...), in.Snoozed...), in.Done...)
			for _, it := range rows {
				fix := it.FixedIn
				if it.Upgrade != "" {
					fix += " (" + it.Upgrade + ")"
				}
				var ps []string
				for _, p := range it.Projects {
					ps = append(ps, p.Name)
				}
				state := it.State
				if it.State == catalog.InboxSnoozed {
					state += " until " + it.Until.Format("2006-01-02")
				}
				t.Row(it.Severity, it.Kind, it.Title, strings.Join(ps, ","), fix, state, it.Key)
			}
			if err := t.Flush(); err != nil {
				return err
			}
			fmt.Fprintf(a.stderr, "%d items (%d snoozed, %d done hidden)\n", len(in.Items), in.SnoozedCount, in.DoneCount)
			for _, f := range in.Failed {
				fmt.Fprint(a.stderr, report.Cleanf("warning: %s\n", f))
			}
			return nil
		},
	}
	addFormat(cmd, &format, report.FormatTable, report.FormatJSON)
	cmd.Flags().BoolVar(&all, "all", false, "list snoozed and done items too")
	cmd.AddCommand(a.inboxDecideCmd(catalog.InboxSnoozed), a.inboxDecideCmd(catalog.InboxDone), a.inboxDecideCmd(inbox.StateOpen),
		a.inboxDigestCmd())
	return cmd
}

// inboxDecideCmd is "inbox snooze", "inbox done" or "inbox reopen".
func (a *app) inboxDecideCmd(state string) *cobra.Command {
	var dur string
	use := map[string]string{catalog.InboxSnoozed: "snooze", catalog.InboxDone: "done", inbox.StateOpen: "reopen"}[state]
	short := map[string]string{
		catalog.InboxSnoozed: "Hide an inbox item for a while (it returns sooner if its fact changes)",
		catalog.InboxDone:    "Mark an inbox item done (it returns if its fact changes)",
		inbox.StateOpen:      "Reopen a snoozed or done inbox item",
	}[state]
	cmd := &cobra.Command{
		Use:   use + " ITEM --as EMAIL",
		Short: short,
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if a.as == "" {
				return usageErr("--as EMAIL names whose inbox item this is")
			}
			var until time.Time
			if state == catalog.InboxSnoozed {
				d, err := auth.ParseDuration(dur)
				if err != nil {
					return usageErr("--for: %v", err)
				}
				until = time.Now().Add(d)
			}
			cat, err := a.inboxCatalog(cmd.Context())
			if err != nil {
				return err
			}
			by := a.actor().Entry("", time.Now())
			if err := cat.DecideInbox(cmd.Context(), a.as, args[0], state, until, "", by); err != nil {
				return classify(err)
			}
			msg := args[0] + ": " + map[string]string{catalog.InboxSnoozed: "snoozed until " + until.UTC().Format(time.RFC3339),
				catalog.InboxDone: "done", inbox.StateOpen: "reopened"}[state]
			fmt.Fprintln(a.stdout, report.Clean(msg))
			return nil
		},
	}
	if state == catalog.InboxSnoozed {
		cmd.Flags().StringVar(&dur, "for", "7d", "how long to snooze: 12h, 7d, 30d…")
	}
	return cmd
}

// inboxCatalog is the hub's read model over the store, configured as
// `ospo serve` configures it, rebuilt for this one command.
func (a *app) inboxCatalog(ctx context.Context) (*estate.Catalog, error) {
	cfg, err := a.config()
	if err != nil {
		return nil, err
	}
	st, err := a.store(ctx)
	if err != nil {
		return nil, err
	}
	cat := estate.New(st, 0)
	cat.SetVulnIgnores(analyze.VulnIgnores(cfg.Vulns))
	cat.SetShowPaths(true)
	cat.SetGovernancePolicies(cfg.Governance.Policies())
	cat.SetLogins(cfg.Events.Logins) // review items: who a pull request asks, by login
	cat.SetInboxProviders(inbox.Recommendations{Recommend: func(ctx context.Context, p inbox.Person) ([]inbox.Item, error) {
		return a.inboxRecommendations(ctx, st, p)
	}})
	return cat, nil
}

// inboxRecommendations are the person's best recommendation of each kind
// (technology, project, person to meet, resource; issue 16's recommender),
// for the inbox, which keeps three at most. A person the recommender does
// not know has none.
func (a *app) inboxRecommendations(ctx context.Context, st store.Store, p inbox.Person) ([]inbox.Item, error) {
	m, _, err := a.recommendModel(ctx, st, "", time.Now())
	if err != nil {
		return nil, err
	}
	rs, err := m.For(p.Email, recommend.Options{Limit: 1})
	if errors.Is(err, catalog.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var out []inbox.Item
	for _, list := range [][]recommend.Item{rs.Projects, rs.Technologies, rs.People, rs.Resources} {
		for _, r := range list {
			url := r.URL
			switch r.Kind {
			case recommend.KindProject:
				url = "/projects/" + r.ID
			case recommend.KindTechnology:
				url = "/technologies/" + r.ID
			case recommend.KindPerson:
				url = "/people/" + r.ID
			}
			out = append(out, inbox.Item{Key: "recommendation:" + r.Kind + ":" + r.ID, Fingerprint: inbox.Fingerprint(r.ID),
				Title: r.Kind + ": " + r.Name, Detail: r.Why, URL: url})
		}
	}
	return out, nil
}

func (a *app) inboxDigestCmd() *cobra.Command {
	var base string
	var dryRun bool
	cmd := &cobra.Command{
		Use:   "digest",
		Short: "Send the inbox digests that are due (daily or weekly, by each person's notify preferences)",
		Long: `digest sends each account whose notify preferences ask for a daily or weekly
digest (ospo notify set --digest daily) and whose last digest is a day (a
week) old, one message listing their open inbox items, by e-mail and/or to
their webhook as their preferences say (governance.notify of ospo.yaml
configures SMTP). An empty inbox sends nothing. Run it from cron, e.g. every
morning. --dry-run prints the messages instead and records nothing.`,
		Example: "  ospo inbox digest --base-url https://ospo.example.com",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			cfg, err := a.config()
			if err != nil {
				return err
			}
			cat, err := a.inboxCatalog(ctx)
			if err != nil {
				return err
			}
			st := cat.Store()
			base = firstNonZero(base, cfg.Governance.Notify.BaseURL)
			n := notifier(st, cfg.Governance.Notify)
			accs, err := st.ListAccounts(ctx)
			if err != nil {
				return internalErr(err)
			}
			now := time.Now()
			sent, failed := 0, 0
			for _, acc := range accs {
				if acc.Disabled {
					continue
				}
				prefs, err := st.NotifyPreferences(ctx, acc.Email)
				if err != nil {
					return internalErr(err)
				}
				last, err := st.LastDigest(ctx, acc.Email)
				if err != nil {
					return internalErr(err)
				}
				if !inbox.DigestDue(prefs.Digest, last, now) || !prefs.Wants(notify.TopicDigest) {
					continue
				}
				in, _, err := cat.Inbox(ctx, acc.Email, inbox.Options{Now: now})
				if err != nil {
					return internalErr(err)
				}
				if len(in.Items) == 0 {
					continue
				}
				m := inbox.DigestMessage(in, base, now)
				if dryRun {
					fmt.Fprintf(a.stdout, "To: %s\nSubject: %s\n\n%s\n", report.Clean(m.To), report.Clean(m.Subject), report.CleanText(m.Text))
					sent++
					continue
				}
				if err := n.Send(ctx, m); err != nil {
					fmt.Fprint(a.stderr, report.Cleanf("digest to %s: %v\n", acc.Email, err))
					failed++
					continue
				}
				if err := st.MarkDigestSent(ctx, acc.Email, now); err != nil {
					return internalErr(err)
				}
				sent++
			}
			fmt.Fprintf(a.stderr, "%d digests sent, %d failed\n", sent, failed)
			if failed > 0 {
				return &exitError{code: ExitInternal, err: fmt.Errorf("%d digests could not be delivered", failed)}
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&base, "base-url", "", "the hub's public URL, for links (default governance.notify.base_url)")
	cmd.Flags().BoolVar(&dryRun, "dry-run", false, "print the digests that are due instead of sending them")
	return cmd
}
