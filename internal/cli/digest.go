package cli

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/ospo-project/ospo/internal/health"
	"github.com/ospo-project/ospo/internal/notify"
	"github.com/ospo-project/ospo/internal/report"
)

// TeamDigest is one team's weekly digest and who it is for.
type TeamDigest struct {
	health.Digest
	// Members are the team's recorded members, the digest's recipients.
	Members []string `json:"members"`
	// Sent counts the members it was delivered to (with --send): those with
	// a channel (e-mail when SMTP is configured and they did not turn it
	// off, or their webhook) who did not mute the digest.
	Sent int `json:"sent"`
}

func (a *app) healthDigestCmd() *cobra.Command {
	var format string
	var send bool
	cmd := &cobra.Command{
		Use:   "digest [TEAM...]",
		Short: "The weekly team digest: what moved in each team's health last week",
		Long: `digest compares each team's last complete week with the week before (commits,
contributors, new, returning and inactive contributors, releases) over the
projects the team owns. Teams are those of the recorded memberships (ospo teams
import, OIDC groups), or those named. With --send each member is told on the
channels of their notification preferences (e-mail when governance.notify.smtp
is configured, their webhook if they set one; topic "digest", which they may
mute). Run it weekly (cron, or a scheduled CI job).`,
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
			ms, err := st.Memberships(ctx, "")
			if err != nil {
				return internalErr(err)
			}
			members := map[string][]string{}
			for _, m := range ms {
				t := strings.ToLower(m.Team)
				members[t] = append(members[t], strings.ToLower(m.Email))
			}
			teams := args
			if len(teams) == 0 {
				for t := range members {
					teams = append(teams, t)
				}
				sort.Strings(teams)
			}
			now := time.Now().UTC()
			opts := health.Options{Weeks: 3, Now: now, Affiliations: health.Affiliations(cfg.Health.Affiliations)}
			var n *notify.Notifier
			if send {
				n = notifier(st, cfg.Governance.Notify)
			}
			var out []TeamDigest
			failed := 0
			for _, team := range teams {
				rep, err := healthOf(ctx, st, team, opts)
				if err != nil {
					return err
				}
				d := TeamDigest{Digest: health.WeeklyDigest(team, rep.Report), Members: members[strings.ToLower(strings.TrimPrefix(team, "@"))]}
				if n != nil {
					for _, to := range d.Members {
						p, err := st.NotifyPreferences(ctx, to)
						if err != nil {
							return internalErr(err)
						}
						if !p.Wants(notify.TopicDigest) || ((n.Mail == nil || p.NoEmail) && p.Webhook == "") {
							continue // no channel: nothing to deliver
						}
						m := notify.Message{To: to, Topic: notify.TopicDigest, Subject: "ospo weekly digest: team " + team,
							Text: d.Text(), At: now}
						if err := n.Send(ctx, m); err != nil {
							failed++
							a.log.Warn("digest not delivered", "team", team, "to", to, "error", err)
							continue
						}
						d.Sent++
					}
				}
				out = append(out, d)
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
						fmt.Fprintf(a.stdout, "sent to %d of %d members\n", d.Sent, len(d.Members))
					}
				}
			}
			if failed > 0 {
				return &exitError{code: ExitInternal, err: fmt.Errorf("%d digests could not be delivered", failed)}
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&send, "send", false, "tell each team member (e-mail, webhook) by their preferences")
	addFormat(cmd, &format, report.FormatTable, report.FormatJSON)
	return cmd
}
