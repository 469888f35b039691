package cli

import (
	"fmt"

	"github.com/spf13/cobra"
)

func (a *app) migrateCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "migrate",
		Short: "Create or upgrade the catalogue store's schema",
		Long: `Migrate opens the store, which applies any schema migrations the store
lacks in one transaction. Every command does this on open; migrate does only
that, for deployments that upgrade the schema as a separate step. On
PostgreSQL it also migrates the job queue's tables (River's own migrations).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if _, err := a.store(cmd.Context()); err != nil {
				return err
			}
			if a.onPostgres() {
				q, err := a.queue(cmd.Context())
				if err != nil {
					return err
				}
				q.Close()
			}
			fmt.Fprintln(a.stdout, "store is up to date")
			return nil
		},
	}
}
