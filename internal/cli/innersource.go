package cli

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/innersource"
	"github.com/ospo-project/ospo/internal/report"
	"github.com/ospo-project/ospo/internal/store"
)

func (a *app) innersourceCmd() *cobra.Command {
	var format string
	var f innersource.Filter
	cmd := &cobra.Command{
		Use:   "innersource",
		Short: "The InnerSource marketplace: InnerSource projects by activity score",
		Long: `The catalogue's InnerSource projects (those with an innersource.json), most
active first by the Repository Activity Score of SAP's project portal for
InnerSource, with description, languages, owners to contact and how many
people outside the owning teams committed in the last 90 days ("-" when no
owner is a team or no team membership is recorded: see ospo teams import).
--language, --topic (a skill or topic), --team and --query select projects
as the hub's marketplace search does.`,
		Example: `  ospo innersource --language Go --team payments`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			st, err := a.storeFor(cmd.Context(), format)
			if err != nil {
				return err
			}
			cs, err := innersourceCards(cmd.Context(), st, time.Now())
			if err != nil {
				return internalErr(err)
			}
			cs = f.Apply(cs)
			if format == report.FormatJSON {
				return report.JSON(a.stdout, cs)
			}
			t := report.NewTable(a.stdout, "SCORE", "NAME", "LANGUAGES", "OWNERS", "OTHER-TEAM-90D", "DESCRIPTION")
			for _, c := range cs {
				other := "-"
				if c.OtherTeamContributors >= 0 {
					other = strconv.Itoa(c.OtherTeamContributors)
				}
				t.Row(strconv.Itoa(c.Score), c.Name, strings.Join(c.Languages, ","), strings.Join(c.Owners, ","), other, c.Description)
			}
			if err := t.Flush(); err != nil {
				return err
			}
			fmt.Fprintf(a.stderr, "%d InnerSource projects\n", len(cs))
			return nil
		},
	}
	addFormat(cmd, &format, report.FormatTable, report.FormatJSON)
	cmd.Flags().StringVar(&f.Language, "language", "", "only projects in this language")
	cmd.Flags().StringVar(&f.Topic, "topic", "", "only projects with this skill or topic")
	cmd.Flags().StringVar(&f.Team, "team", "", "only projects this team owns (as written, or its last part)")
	cmd.Flags().StringVar(&f.Query, "query", "", "only projects whose name, description, languages, topics or owners hold these words")
	cmd.AddCommand(a.innersourceExportCmd(), a.innersourceHelpCmd())
	return cmd
}

func (a *app) innersourceExportCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "export",
		Short: "Write the InnerSource projects as the repos.json of SAP's project portal for InnerSource",
		Long: `Write the InnerSource projects on stdout as the repos.json that SAP's project
portal for InnerSource (github.com/SAP/project-portal-for-innersource) reads,
ordered by activity score. Stars, watchers, forks and open issues are 0 and
license is null: the catalogue has no forge counts.`,
		Example: `  ospo innersource export > project-portal-for-innersource/repos.json`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			st, err := a.store(cmd.Context())
			if err != nil {
				return err
			}
			cs, err := innersourceCards(cmd.Context(), st, time.Now())
			if err != nil {
				return internalErr(err)
			}
			return report.JSON(a.stdout, innersource.Export(cs))
		},
	}
}

// innersourceCards reads the InnerSource projects with their weekly
// activity (one read each) and the recorded team memberships, and returns
// their cards as of now (innersource.Cards).
func innersourceCards(ctx context.Context, st store.Store, now time.Time) ([]innersource.Card, error) {
	ps, err := st.ListProjects(ctx, store.ProjectFilter{})
	if err != nil {
		return nil, fmt.Errorf("list projects: %w", err)
	}
	ms, err := st.Memberships(ctx, "")
	if err != nil {
		return nil, fmt.Errorf("read team memberships: %w", err)
	}
	var full []catalog.Project
	for _, p := range ps {
		if p.Kind != catalog.KindInnerSource {
			continue
		}
		f, err := st.Project(ctx, strconv.FormatInt(p.ID, 10))
		if err != nil {
			return nil, fmt.Errorf("read project %s: %w", p.Key, err)
		}
		full = append(full, *f)
	}
	return innersource.Cards(full, ms, now), nil
}
