package cli

import (
	"fmt"
	"io"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/report"
	"github.com/ospo-project/ospo/internal/teams"
)

func (a *app) teamsCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "teams",
		Short: "Team membership from a real source: teams.yaml or Backstage Group/User entities",
		Long: `Team membership from the sources that state it, beside what the catalogue
infers from commits and ownership: a teams.yaml file, Backstage Group and
User entities, and the groups claim of OIDC sign-ins (recorded at each
sign-in). Each source is replaced whole by its import.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	cmd.AddCommand(a.teamsImportCmd(), a.teamsListCmd())
	return cmd
}

func (a *app) teamsImportCmd() *cobra.Command {
	var source string
	cmd := &cobra.Command{
		Use:   "import FILE...",
		Short: "Replace the memberships of a source with those the files state",
		Example: `  ospo teams import teams.yaml
  ospo teams import --source backstage org/*.yaml`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			var ms []catalog.Membership
			var src catalog.MembershipSource
			switch source {
			case "file":
				src = catalog.MemberFile
				for _, path := range args {
					b, err := readSourceFile(path)
					if err != nil {
						return err
					}
					got, err := teams.ParseFile(b)
					if err != nil {
						return usageErr("%s: %v", path, err)
					}
					ms = append(ms, got...)
				}
			case "backstage":
				src = catalog.MemberBackstage
				var b teams.Backstage
				for _, path := range args {
					content, err := readSourceFile(path)
					if err != nil {
						return err
					}
					if err := b.Add(content); err != nil {
						return usageErr("%s: %v", path, err)
					}
				}
				var unresolved []string
				ms, unresolved = b.Memberships()
				for _, u := range unresolved {
					fmt.Fprint(a.stderr, report.Cleanf("warning: user %s has no spec.profile.email; its memberships are skipped\n", u))
				}
			default:
				return usageErr("--source: %q is not file or backstage", source)
			}
			st, err := a.store(cmd.Context())
			if err != nil {
				return err
			}
			by := a.actor().Entry("memberships.replace", time.Now())
			if err := st.ReplaceMemberships(cmd.Context(), src, ms, by); err != nil {
				return accountErr("memberships", err)
			}
			fmt.Fprint(a.stdout, report.Cleanf("%d memberships from %s\n", len(ms), src))
			return nil
		},
	}
	cmd.Flags().StringVar(&source, "source", "file", "what the files are: file (teams.yaml) or backstage (catalog entities)")
	return cmd
}

// readSourceFile reads a membership file, capped in size.
func readSourceFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, usageErr("%v", err)
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, teams.MaxFileSize+1))
	if err != nil {
		return nil, usageErr("read %s: %v", path, err)
	}
	if len(b) > teams.MaxFileSize {
		return nil, usageErr("%s is larger than %d bytes", path, teams.MaxFileSize)
	}
	return b, nil
}

func (a *app) teamsListCmd() *cobra.Command {
	var format, email string
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List team memberships with their source",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			st, err := a.storeFor(cmd.Context(), format)
			if err != nil {
				return err
			}
			ms, err := st.Memberships(cmd.Context(), email)
			if err != nil {
				return internalErr(err)
			}
			if format == report.FormatJSON {
				if ms == nil {
					ms = []catalog.Membership{}
				}
				return report.JSON(a.stdout, ms)
			}
			t := report.NewTable(a.stdout, "TEAM", "EMAIL", "SOURCE")
			for _, m := range ms {
				t.Row(m.Team, m.Email, string(m.Source))
			}
			if err := t.Flush(); err != nil {
				return err
			}
			fmt.Fprintf(a.stderr, "%d memberships\n", len(ms))
			return nil
		},
	}
	addFormat(cmd, &format, report.FormatTable, report.FormatJSON)
	cmd.Flags().StringVar(&email, "email", "", "only this person's memberships")
	return cmd
}
