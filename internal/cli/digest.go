package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/ospo-project/ospo/internal/config"
	"github.com/ospo-project/ospo/internal/health"
	"github.com/ospo-project/ospo/internal/healthdigest"
	"github.com/ospo-project/ospo/internal/report"
	"github.com/ospo-project/ospo/internal/store"
)

func (a *app) healthDigestCmd() *cobra.Command {
	var format string
	var send bool
	cmd := &cobra.Command{
		Use:   "digest [TEAM...]",
		Short: "The weekly team digest: what moved in each team's health last week (--send: at most once a week per team and recipient)",
		Long: `digest compares each team's last complete week with the week before (commits,
contributors, new, returning and inactive contributors, releases) over the
projects the team owns. Teams are those of the recorded memberships (ospo teams
import, OIDC groups) and those of health.digest.teams in ospo.yaml, or those
named.

With --send it goes to the team's own channels from health.digest.teams (its
webhook, signed with governance.notify.webhook_secret_env, as JSON, Slack or
Teams payload; its e-mail address) and to each member on the channels of their
notification preferences (e-mail when governance.notify.smtp is configured,
their webhook if they set one; topic "digest", which they may mute). Each
delivery is recorded, so a team's digest of a week goes to each recipient at
most once however often this runs; a failed delivery is tried again by the
next run. On PostgreSQL 'ospo worker' runs it every health.digest.every
(default 1h); on SQLite run it from cron, e.g. '0 * * * * ospo health digest --send'.`,
		Example: "  ospo health digest\n  ospo health digest payments --send",
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			st, err := a.storeFor(ctx, format)
			if err != nil {
				return err
			}
			cfg, err := a.config()
			if err != nil {
				return err
			}
			out, err := digestSender(st, cfg).Run(ctx, args, send)
			if err != nil {
				return internalErr(err)
			}
			failed := 0
			for _, d := range out {
				failed += d.Failed
			}
			if format == report.FormatJSON {
				if err := report.JSON(a.stdout, out); err != nil {
					return err
				}
			} else {
				for i, d := range out {
					if i > 0 {
						fmt.Fprintln(a.stdout)
					}
					for _, line := range strings.Split(strings.TrimSuffix(d.Text(), "\n"), "\n") {
						fmt.Fprintln(a.stdout, report.Clean(line))
					}
					if send {
						fmt.Fprintf(a.stdout, "sent to %d recipients (%d members, channels: %s), %d had it already, %d failed\n",
							d.Sent, len(d.Members), report.Clean(channels(d.Channels)), d.AlreadySent, d.Failed)
					}
				}
			}
			if failed > 0 {
				return &exitError{code: ExitInternal, err: fmt.Errorf("%d digests could not be delivered (the next run tries again)", failed)}
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&send, "send", false, "send to each team's channels and members (at most once a week each)")
	addFormat(cmd, &format, report.FormatTable, report.FormatJSON)
	return cmd
}

func channels(cs []string) string {
	if len(cs) == 0 {
		return "none"
	}
	return strings.Join(cs, ", ")
}

// digestSender is the weekly team digest's sender under cfg: the
// governance notifier, the teams' channels of health.digest.teams (webhook
// URLs read from the environment when named by webhook_env), and the team
// health as `ospo health TEAM` computes it.
func digestSender(st store.Store, cfg config.Config) *healthdigest.Sender {
	var teams []healthdigest.Team
	for name, t := range cfg.Health.Digest.Teams {
		hook := t.Webhook
		if t.WebhookEnv != "" {
			hook = os.Getenv(t.WebhookEnv)
		}
		teams = append(teams, healthdigest.Team{Name: name, Email: t.Email, Webhook: hook, Format: t.Format})
	}
	return healthdigest.New(healthdigest.Options{
		Store: st, Notifier: notifier(st, cfg.Governance.Notify), Teams: teams,
		Affiliations: health.Affiliations(cfg.Health.Affiliations), BaseURL: cfg.Governance.Notify.BaseURL,
		Report: func(ctx context.Context, team string, o health.Options) (health.Report, error) {
			rep, err := healthOf(ctx, st, team, o)
			var ee *exitError
			if errors.As(err, &ee) && ee.code == ExitUsage {
				// The team owns no project (yet): a digest of zeros.
				return health.Compute(health.Input{}, o), nil
			}
			if err != nil {
				return health.Report{}, err
			}
			return rep.Report, nil
		},
		Now: func() time.Time { return time.Now().UTC() },
	})
}
