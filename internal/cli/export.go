package cli

import (
	"bufio"
	"context"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/ospo-project/ospo/internal/report"
	"github.com/ospo-project/ospo/internal/source/backstage"
	"github.com/ospo-project/ospo/internal/store"
)

func (a *app) exportCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "export",
		Short: "Export the catalogue in another tool's format",
	}
	cmd.AddCommand(a.exportBackstageCmd())
	return cmd
}

func (a *app) exportBackstageCmd() *cobra.Command {
	var output string
	cmd := &cobra.Command{
		Use:   "backstage",
		Short: "The catalogue as Backstage entities (multi-document YAML)",
		Long: `backstage writes one Component per project, a System per system named in a
catalog-info.yaml, a Group per owning team, a User per person with an e-mail,
and the APIs imported from a Backstage source, each with its ownedBy, partOf,
dependsOn and memberOf relations. Register the file as a Backstage location
(catalog.locations, type: file or url) to ingest ospo's catalogue.`,
		Example: "  ospo export backstage --output catalog-info.yaml",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			st, err := a.store(ctx)
			if err != nil {
				return err
			}
			c, err := backstageCatalogue(ctx, st)
			if err != nil {
				return internalErr(err)
			}
			ents := backstage.Export(c)
			w := bufio.NewWriter(a.stdout)
			var f *os.File
			if output != "" && output != "-" {
				if f, err = os.Create(output); err != nil {
					return usageErr("%v", err)
				}
				defer f.Close()
				w = bufio.NewWriter(f)
			}
			if err := backstage.WriteYAML(w, ents); err != nil {
				return internalErr(err)
			}
			if err := w.Flush(); err != nil {
				return internalErr(err)
			}
			if f != nil {
				if err := f.Close(); err != nil {
					return internalErr(err)
				}
				fmt.Fprint(a.stderr, report.Cleanf("wrote %d entities to %s\n", len(ents), output))
			}
			return nil
		},
	}
	cmd.Flags().StringVarP(&output, "output", "o", "", "write to this file instead of standard output")
	return cmd
}

// backstageCatalogue reads what backstage.Export needs from the store.
func backstageCatalogue(ctx context.Context, st store.Store) (backstage.Catalogue, error) {
	var c backstage.Catalogue
	var err error
	if c.Projects, err = st.ListProjects(ctx, store.ProjectFilter{}); err != nil {
		return c, err
	}
	ids := make([]int64, len(c.Projects))
	for i, p := range c.Projects {
		ids[i] = p.ID
	}
	if c.Dependencies, err = st.DirectDependencies(ctx, ids); err != nil {
		return c, err
	}
	if c.People, err = st.ListPeople(ctx, store.PersonFilter{}); err != nil {
		return c, err
	}
	if c.Repos, err = st.ForgeRepos(ctx, ""); err != nil {
		return c, err
	}
	if c.Imported, err = st.Entities(ctx, ""); err != nil {
		return c, err
	}
	return c, nil
}
