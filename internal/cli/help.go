package cli

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/ospo-project/ospo/internal/auth"
	"github.com/ospo-project/ospo/internal/hub/estate"
	"github.com/ospo-project/ospo/internal/report"
)

// helpCatalog is the estate service over the store, for the help posts.
func (a *app) helpCatalog(ctx context.Context) (*estate.Catalog, error) {
	st, err := a.store(ctx)
	if err != nil {
		return nil, err
	}
	return estate.New(st, 0), nil
}

// asPrincipal is the account --as names, acting from the command line.
func (a *app) asPrincipal(ctx context.Context) (*auth.Principal, error) {
	if a.as == "" || !strings.Contains(a.as, "@") {
		return nil, usageErr("say who acts with --as EMAIL (an account that maintains the project, or of the OSPO)")
	}
	st, err := a.store(ctx)
	if err != nil {
		return nil, err
	}
	acc, err := st.Account(ctx, a.as)
	if err != nil {
		return nil, accountErr("account "+a.as, err)
	}
	return &auth.Principal{Account: acc, Role: acc.Role, Via: "cli"}, nil
}

func (a *app) innersourceHelpCmd() *cobra.Command {
	var format string
	var helpers int
	cmd := &cobra.Command{
		Use:   "help [PROJECT]",
		Short: `"Looking for help" posts: open ones, with the people whose skills match`,
		Long: `Maintainers post what they need help with on their project (title, skills,
size, last day); the marketplace lists the open posts, soonest end first, each
with the people of the catalogue who know the skills asked for (by the
technologies of the projects they committed to, most recent first; people who
opted out of recommendations or of appearing as experts are not offered).
Closed posts and those whose last day is over are hidden.`,
		Example: `  ospo innersource help
  ospo innersource help post market --title "Port the CLI to cobra" --skills Go,cobra --size small --ends 2027-01-31 --as ann@example.com
  ospo innersource help close 3 --as ann@example.com`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			cat, err := a.helpCatalog(ctx)
			if err != nil {
				return err
			}
			key := ""
			if len(args) == 1 {
				p, err := cat.Store().Project(ctx, args[0])
				if err != nil {
					return classify(err)
				}
				key = p.Key
			}
			hs, err := cat.HelpWanted(ctx, key, helpers)
			if err != nil {
				return classify(err)
			}
			if format == report.FormatJSON {
				return report.JSON(a.stdout, hs)
			}
			t := report.NewTable(a.stdout, "ID", "PROJECT", "TITLE", "SKILLS", "SIZE", "UNTIL", "WHO KNOWS THESE SKILLS")
			for _, h := range hs {
				var who []string
				for _, p := range h.Helpers {
					who = append(who, p.Name+" <"+p.Email+">")
				}
				t.Row(strconv.FormatInt(h.ID, 10), h.Project, h.Title, strings.Join(h.Skills, ","), h.Size,
					h.EndsAt.Format(time.DateOnly), strings.Join(who, "; "))
			}
			if err := t.Flush(); err != nil {
				return err
			}
			fmt.Fprintf(a.stderr, "%d open help posts\n", len(hs))
			return nil
		},
	}
	addFormat(cmd, &format, report.FormatTable, report.FormatJSON)
	cmd.Flags().IntVar(&helpers, "helpers", 3, "people to match to each post")
	cmd.AddCommand(a.innersourceHelpPostCmd(), a.innersourceHelpCloseCmd())
	return cmd
}

func (a *app) innersourceHelpPostCmd() *cobra.Command {
	var f estate.HelpForm
	cmd := &cobra.Command{
		Use:   "post PROJECT --title TITLE --skills A,B --size small|medium|large --ends YYYY-MM-DD --as EMAIL",
		Short: "Ask for help on a project you maintain",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			pr, err := a.asPrincipal(ctx)
			if err != nil {
				return err
			}
			cat, err := a.helpCatalog(ctx)
			if err != nil {
				return err
			}
			f.Project = args[0]
			h, err := f.Post()
			if err == nil {
				h, err = cat.PostHelp(ctx, pr, f.Project, h, a.actor().Entry("help.post", time.Now().UTC()))
			}
			if err != nil {
				return classify(err)
			}
			fmt.Fprint(a.stdout, report.Cleanf("help post %d for %s, open until %s\n", h.ID, h.Project, h.EndsAt.Format(time.DateOnly)))
			return nil
		},
	}
	cmd.Flags().StringVar(&f.Title, "title", "", "what you need help with")
	cmd.Flags().StringVar(&f.Description, "description", "", "the work, in a few sentences")
	cmd.Flags().StringSliceVar(&f.Skills, "skills", nil, "technologies the work needs, as the catalogue names languages and packages")
	cmd.Flags().StringVar(&f.Size, "size", "", "small (hours), medium (days) or large (weeks)")
	cmd.Flags().StringVar(&f.Ends, "ends", "", "the last day help is wanted, YYYY-MM-DD")
	return cmd
}

func (a *app) innersourceHelpCloseCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "close ID --as EMAIL",
		Short: "Close a help post of a project you maintain",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			id, err := strconv.ParseInt(args[0], 10, 64)
			if err != nil {
				return usageErr("help post ID %q is not a number", args[0])
			}
			pr, err := a.asPrincipal(ctx)
			if err != nil {
				return err
			}
			cat, err := a.helpCatalog(ctx)
			if err != nil {
				return err
			}
			h, err := cat.CloseHelp(ctx, pr, id, a.actor().Entry("help.close", time.Now().UTC()))
			if err != nil {
				return classify(err)
			}
			fmt.Fprint(a.stdout, report.Cleanf("help post %d of %s closed\n", h.ID, h.Project))
			return nil
		},
	}
}
