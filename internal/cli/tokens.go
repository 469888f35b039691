package cli

import (
	"fmt"
	"strconv"
	"time"

	"github.com/spf13/cobra"

	"github.com/ospo-project/ospo/internal/auth"
	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/report"
	"github.com/ospo-project/ospo/internal/store"
)

func (a *app) tokensCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "tokens",
		Short: "Manage API tokens (Authorization: Bearer on /api/v1)",
		Args:  cobra.NoArgs,
		RunE:  func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	cmd.AddCommand(a.tokensCreateCmd(), a.tokensListCmd(), a.tokensRevokeCmd())
	return cmd
}

func (a *app) tokensCreateCmd() *cobra.Command {
	var email, scope, expires, name string
	cmd := &cobra.Command{
		Use:     "create --user EMAIL",
		Short:   "Create an API token; it is printed once and only its hash is kept",
		Example: "  ospo tokens create --user ci@example.com --scope read --expires 90d --name nightly",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if email == "" {
				return usageErr("--user is required")
			}
			var ttl time.Duration
			if expires != "never" {
				d, err := auth.ParseDuration(expires)
				if err != nil {
					return usageErr("--expires: %v", err)
				}
				ttl = d
			}
			svc, err := a.accounts(cmd.Context())
			if err != nil {
				return err
			}
			secret, k, err := svc.CreateToken(cmd.Context(), a.actor(), email, name, catalog.TokenScope(scope), ttl)
			if err != nil {
				return accountErr("account "+email, err)
			}
			fmt.Fprintln(a.stdout, secret)
			exp := "never expires"
			if !k.ExpiresAt.IsZero() {
				exp = "expires " + k.ExpiresAt.Format(time.RFC3339)
			}
			fmt.Fprint(a.stderr, report.Cleanf("token %d for %s, scope %s, %s; it is shown this once\n", k.ID, k.Email, k.Scope, exp))
			return nil
		},
	}
	cmd.Flags().StringVar(&email, "user", "", "the account the token acts as")
	cmd.Flags().StringVar(&scope, "scope", string(catalog.ScopeRead), "what the token may do: read, write or admin (never more than the account's role)")
	cmd.Flags().StringVar(&expires, "expires", "90d", "lifetime (90d, 12h…) or never")
	cmd.Flags().StringVar(&name, "name", "", "a name to recognise the token by")
	return cmd
}

func (a *app) tokensListCmd() *cobra.Command {
	var format, email string
	var all bool
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List API tokens (their prefixes, never the secrets)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			st, err := a.storeFor(cmd.Context(), format)
			if err != nil {
				return err
			}
			f := store.TokenFilter{IncludeRevoked: all}
			if email != "" {
				acc, err := st.Account(cmd.Context(), email)
				if err != nil {
					return accountErr("account "+email, err)
				}
				f.AccountID = acc.ID
			}
			ks, err := st.ListTokens(cmd.Context(), f)
			if err != nil {
				return internalErr(err)
			}
			if format == report.FormatJSON {
				if ks == nil {
					ks = []catalog.APIToken{}
				}
				return report.JSON(a.stdout, ks)
			}
			t := report.NewTable(a.stdout, "ID", "USER", "NAME", "PREFIX", "SCOPE", "CREATED", "EXPIRES", "LAST USED", "STATUS")
			now := time.Now()
			for _, k := range ks {
				status := "active"
				switch {
				case !k.RevokedAt.IsZero():
					status = "revoked"
				case !k.Active(now):
					status = "expired"
				}
				t.Row(strconv.FormatInt(k.ID, 10), k.Email, k.Name, k.Prefix+"…", string(k.Scope), k.CreatedAt.Format("2006-01-02"),
					dateOrDash(k.ExpiresAt.IsZero(), k.ExpiresAt.Format("2006-01-02")), dateOrDash(k.LastUsed.IsZero(), k.LastUsed.Format("2006-01-02 15:04")), status)
			}
			if err := t.Flush(); err != nil {
				return err
			}
			fmt.Fprintf(a.stderr, "%d tokens\n", len(ks))
			return nil
		},
	}
	addFormat(cmd, &format, report.FormatTable, report.FormatJSON)
	cmd.Flags().StringVar(&email, "user", "", "only this account's tokens")
	cmd.Flags().BoolVar(&all, "all", false, "include revoked tokens")
	return cmd
}

func (a *app) tokensRevokeCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "revoke ID",
		Short: "Revoke an API token",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := strconv.ParseInt(args[0], 10, 64)
			if err != nil || id <= 0 {
				return usageErr("%q is not a token id (see ospo tokens list)", args[0])
			}
			svc, err := a.accounts(cmd.Context())
			if err != nil {
				return err
			}
			k, err := svc.RevokeToken(cmd.Context(), a.actor(), id)
			if err != nil {
				return accountErr("token "+args[0], err)
			}
			if !k.RevokedAt.IsZero() {
				fmt.Fprint(a.stdout, report.Cleanf("token %d of %s was already revoked\n", k.ID, k.Email))
				return nil
			}
			fmt.Fprint(a.stdout, report.Cleanf("revoked token %d of %s\n", k.ID, k.Email))
			return nil
		},
	}
}
