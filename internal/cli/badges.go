package cli

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/events"
	"github.com/ospo-project/ospo/internal/report"
)

// PersonBadges is what `badges PERSON --format json` prints.
type PersonBadges struct {
	Name string `json:"name"`
	events.Standing
}

func (a *app) badgesCmd() *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "badges [PERSON]",
		Short: "The badges with their criteria, or one person's points, level and badges with evidence",
		Long: `Without PERSON: every badge with its published criteria and how many people
hold it. With PERSON (ID, e-mail or name): their points, level, badges and the
events that earned each.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			st, err := a.storeFor(ctx, format)
			if err != nil {
				return err
			}
			if len(args) == 0 {
				ss, err := standings(ctx, st)
				if err != nil {
					return internalErr(err)
				}
				type row struct {
					events.Badge
					Holders int `json:"holders"`
				}
				var rows []row
				for _, b := range events.Badges {
					n := 0
					for _, s := range ss {
						for _, e := range s.Badges {
							if e.ID == b.ID {
								n++
							}
						}
					}
					rows = append(rows, row{b, n})
				}
				if format == report.FormatJSON {
					return report.JSON(a.stdout, rows)
				}
				t := report.NewTable(a.stdout, "BADGE", "NAME", "HOLDERS", "CRITERIA")
				for _, r := range rows {
					t.Row(r.ID, r.Name, strconv.Itoa(r.Holders), r.Criteria)
				}
				return t.Flush()
			}
			f, name, err := personRef(ctx, st, args[0])
			if err != nil {
				return err
			}
			evs, err := st.Events(ctx, f)
			if err != nil {
				return internalErr(err)
			}
			person := args[0]
			if f.PersonID != "" {
				person = f.PersonID
			}
			out := PersonBadges{Name: name, Standing: events.PersonStanding(person, evs, events.DefaultCaps)}
			if format == report.FormatJSON {
				return report.JSON(a.stdout, out)
			}
			fmt.Fprintf(a.stdout, "%s: %d points, level %s\n", report.Clean(name), out.Points, out.Level.Name)
			t := report.NewTable(a.stdout, "BADGE", "EARNED", "EVIDENCE")
			for _, b := range out.Badges {
				var ev []string
				for _, e := range b.Evidence {
					ev = append(ev, e.Summary)
				}
				t.Row(b.Name, b.At.Format("2006-01-02"), strings.Join(ev, "; "))
			}
			return t.Flush()
		},
	}
	addFormat(cmd, &format, report.FormatTable, report.FormatJSON)
	cmd.AddCommand(a.badgesIssueCmd(), a.badgesCredentialCmd(), a.badgesVerifyCmd(), a.badgesKeygenCmd())
	return cmd
}

func (a *app) badgesIssueCmd() *cobra.Command {
	var evidence, note string
	cmd := &cobra.Command{
		Use:   "issue PERSON BADGE --evidence URL --as EMAIL",
		Short: "Issue a badge by hand: a claim a second person of the OSPO approves (ospo events approve ID)",
		Example: "  ospo badges issue ann@example.com community-hero --evidence https://wiki.example/kudos/ann --as lead@example.com\n" +
			"  ospo events approve 1 --as ospo@example.com",
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			email := args[0]
			if !strings.Contains(email, "@") {
				st, err := a.store(cmd.Context())
				if err != nil {
					return err
				}
				f, _, err := personRef(cmd.Context(), st, email)
				if err != nil {
					return err
				}
				email = f.Email
			}
			return a.addClaim(cmd.Context(), catalog.EventClaim{Kind: events.KindBadge, Badge: args[1], Email: email, Evidence: evidence, Note: note})
		},
	}
	cmd.Flags().StringVar(&evidence, "evidence", "", "a link to what proves it (required)")
	cmd.Flags().StringVar(&note, "note", "", "a note for the reviewer")
	return cmd
}
