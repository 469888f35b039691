package cli

import (
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/ospo-project/ospo/internal/governance"
	"github.com/ospo-project/ospo/internal/notify"
	"github.com/ospo-project/ospo/internal/report"
)

// externalCmd is the external estate: the firm's public projects and the
// external projects it contributes to.
func (a *app) externalCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "external",
		Short: "The external estate: public and contributed-to projects, their lifecycle, owners, review dates and alerts",
		Args:  cobra.NoArgs,
		RunE:  func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	cmd.AddCommand(a.externalListCmd(), a.externalAddCmd(), a.externalAttestCmd(), a.externalRemindCmd())
	return cmd
}

func (a *app) externalListCmd() *cobra.Command {
	var format string
	var alertsOnly bool
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List the external estate with health and alerts (owners all gone, no commit for 12 months, licence or security policy changed, review due)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := report.CheckFormat(format, report.FormatTable, report.FormatJSON); err != nil {
				return usageErr("%v", err)
			}
			g, err := a.governor(cmd.Context())
			if err != nil {
				return err
			}
			rows, err := g.Estate(cmd.Context())
			if err != nil {
				return internalErr(err)
			}
			if alertsOnly {
				kept := rows[:0]
				for _, r := range rows {
					if len(r.Alerts) > 0 {
						kept = append(kept, r)
					}
				}
				rows = kept
			}
			if format == report.FormatJSON {
				return report.JSON(a.stdout, rows)
			}
			t := report.NewTable(a.stdout, "NAME", "RELATION", "LIFECYCLE", "OWNERS", "REVIEW DUE", "LAST COMMIT", "ALERTS")
			for _, r := range rows {
				var alerts []string
				for _, al := range r.Alerts {
					alerts = append(alerts, al.Kind)
				}
				t.Row(oneLine(r.Project.Name), r.Project.Relation, string(r.Project.Lifecycle), strings.Join(r.Project.Owners, ","),
					dateOrDash(r.Project.ReviewDue.IsZero(), r.Project.ReviewDue.Format(time.DateOnly)),
					dateOrDash(r.Health.LastCommit.IsZero(), r.Health.LastCommit.Format(time.DateOnly)), strings.Join(alerts, ","))
			}
			if err := t.Flush(); err != nil {
				return err
			}
			fmt.Fprintf(a.stderr, "%d external projects\n", len(rows))
			return nil
		},
	}
	addFormat(cmd, &format, report.FormatTable, report.FormatJSON)
	cmd.Flags().BoolVar(&alertsOnly, "alerts", false, "only projects with alerts")
	return cmd
}

func (a *app) externalAddCmd() *cobra.Command {
	var p governance.ExternalProject
	var lifecycle, owners, review string
	cmd := &cobra.Command{
		Use:   "add NAME",
		Short: "Register an external project by hand (approved requests register theirs), as --as EMAIL",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			p.Name, p.Lifecycle = args[0], governance.Lifecycle(lifecycle)
			if owners != "" {
				p.Owners = strings.Split(owners, ",")
			}
			if review != "" {
				t, err := time.Parse(time.DateOnly, review)
				if err != nil {
					return usageErr("--review-due %q: want YYYY-MM-DD", review)
				}
				p.ReviewDue = t
			}
			g, err := a.governor(cmd.Context())
			if err != nil {
				return err
			}
			w, err := a.who(cmd.Context(), g)
			if err != nil {
				return err
			}
			got, err := g.SaveExternal(cmd.Context(), w, p)
			if err != nil {
				return classify(err)
			}
			fmt.Fprint(a.stdout, report.Cleanf("registered %s (%s, %s), review due %s\n", got.Name, got.Relation, got.Lifecycle, got.ReviewDue.Format(time.DateOnly)))
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&p.URL, "url", "", "the repository URL")
	f.StringVar(&p.Relation, "relation", governance.RelationPublic, "public (the firm's own) or contributed")
	f.StringVar(&lifecycle, "lifecycle", string(governance.LifecycleActive), "lifecycle: "+lifecycles())
	f.StringVar(&owners, "owners", "", "owners' e-mails, comma-separated")
	f.StringVar(&p.ProjectKey, "project", "", "the catalogue project scanned from it (key)")
	f.StringVar(&review, "review-due", "", "next review (YYYY-MM-DD; default a year from now)")
	return cmd
}

func (a *app) externalAttestCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "attest NAME",
		Short: "Re-attest an external project (an owner, ospo or admin, as --as EMAIL): next review in a year",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			g, err := a.governor(cmd.Context())
			if err != nil {
				return err
			}
			w, err := a.who(cmd.Context(), g)
			if err != nil {
				return err
			}
			got, err := g.Attest(cmd.Context(), w, args[0])
			if err != nil {
				return notFound("external project", args[0], err)
			}
			fmt.Fprint(a.stdout, report.Cleanf("%s attested; next review due %s\n", got.Name, got.ReviewDue.Format(time.DateOnly)))
			return nil
		},
	}
}

func (a *app) externalRemindCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "remind",
		Short: "Tell the owners of every external project with alerts (review due, owners gone…), each alert at most once per governance.schedule.remind_every",
		Long: `Tells the owners of every external-estate project with alerts (review date due, owners gone, no
commits for a year, licence or security policy changed) by their notification preferences: the same
reminders as 'ospo govern tick', audited as estate.remind, so an alert whose owners were told within
governance.schedule.remind_every (default a week) by this command, the tick or the worker is not repeated.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			g, err := a.governor(cmd.Context())
			if err != nil {
				return err
			}
			cfg, err := a.config()
			if err != nil {
				return err
			}
			sent, held, err := g.Remind(cmd.Context(), time.Duration(cfg.Governance.Schedule.RemindEvery))
			if err != nil {
				return internalErr(err)
			}
			fmt.Fprintf(a.stdout, "%d messages sent, %d alerts already reminded recently\n", sent, held)
			return nil
		},
	}
}

// notifyCmd sets how a person is told.
func (a *app) notifyCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "notify",
		Short: "Notification preferences (e-mail, webhook, muted topics)",
		Args:  cobra.NoArgs,
		RunE:  func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	var p notify.Preferences
	var mute string
	set := &cobra.Command{
		Use:   "set EMAIL",
		Short: "Set a person's notification preferences (audited as --as)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if mute != "" {
				p.Mute = strings.Split(mute, ",")
			}
			switch p.Format {
			case "", notify.FormatJSON, notify.FormatSlack, notify.FormatTeams:
			default:
				return usageErr("--format %q: json, slack or teams", p.Format)
			}
			st, err := a.store(cmd.Context())
			if err != nil {
				return err
			}
			by := a.actor().Entry("notify.set", time.Now().UTC())
			if err := st.SetNotifyPreferences(cmd.Context(), args[0], p, by); err != nil {
				return classify(err)
			}
			fmt.Fprint(a.stdout, report.Cleanf("preferences of %s set\n", args[0]))
			return nil
		},
	}
	set.Flags().BoolVar(&p.NoEmail, "no-email", false, "no e-mail")
	set.Flags().StringVar(&p.Webhook, "webhook", "", "an https URL to post messages to (a Slack or Teams incoming webhook, or any receiver)")
	set.Flags().StringVar(&p.Format, "format", "", "the webhook's payload: json, slack or teams")
	set.Flags().StringVar(&mute, "mute", "", "topics not to be told about, comma-separated: request.waiting, request.decided, request.comment, estate.review-due, estate.alert, digest")
	set.Flags().StringVar(&p.Digest, "digest", "", "daily or weekly: one digest instead of a message per event")
	cmd.AddCommand(set)
	return cmd
}
