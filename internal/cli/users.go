package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/user"
	"strings"

	"github.com/spf13/cobra"

	"github.com/ospo-project/ospo/internal/auth"
	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/report"
	"github.com/ospo-project/ospo/internal/store"
)

// actor is who the audit log records for a change made from the command
// line: --as, else the operating system user.
func (a *app) actor() auth.Actor {
	name := a.as
	if name == "" {
		if u, err := user.Current(); err == nil && u.Username != "" {
			name = u.Username
		} else if v := os.Getenv("USER"); v != "" {
			name = v
		} else {
			name = "unknown"
		}
	}
	return auth.Actor{Name: name, Source: "cli"}
}

// accounts returns the account service over the store.
func (a *app) accounts(ctx context.Context) (*auth.Service, error) {
	st, err := a.store(ctx)
	if err != nil {
		return nil, err
	}
	return auth.NewService(st), nil
}

// accountErr turns account errors into user-facing ones: "no account
// ann@…" for an unknown one, else by the error table.
func accountErr(what string, err error) error {
	if errors.Is(err, store.ErrNotFound) {
		return usageErr("no %s", what)
	}
	return classify(err)
}

func (a *app) usersCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "users",
		Short: "Manage the accounts that sign in to the hub",
		Long: `Manage the hub's accounts: local accounts with a password, and the accounts
OIDC sign-ins create. Roles: viewer, developer (the default), ospo, admin.
Each change is recorded in the audit log (see ospo audit).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	cmd.AddCommand(a.usersAddCmd(), a.usersListCmd(), a.usersDisableCmd(true), a.usersDisableCmd(false), a.usersSetRoleCmd())
	return cmd
}

func (a *app) usersAddCmd() *cobra.Command {
	var role string
	var passwordStdin bool
	cmd := &cobra.Command{
		Use:     "add EMAIL",
		Short:   "Create an account",
		Example: "  printf '%s' \"$PASSWORD\" | ospo users add ann@example.com --role admin --password-stdin",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			var password string
			if passwordStdin {
				p, err := readPassword(a.stdin)
				if err != nil {
					return usageErr("--password-stdin: %v", err)
				}
				password = p
			}
			svc, err := a.accounts(cmd.Context())
			if err != nil {
				return err
			}
			acc, err := svc.CreateAccount(cmd.Context(), a.actor(), args[0], catalog.Role(role), password)
			if err != nil {
				return accountErr("account "+args[0], err)
			}
			how := "signs in through OIDC only"
			if password != "" {
				how = "signs in with a password"
			}
			fmt.Fprint(a.stdout, report.Cleanf("created %s (%s; %s)\n", acc.Email, acc.Role, how))
			return nil
		},
	}
	cmd.Flags().StringVar(&role, "role", string(catalog.RoleDeveloper), "role: "+auth.RoleNames())
	cmd.Flags().BoolVar(&passwordStdin, "password-stdin", false, "read the password from standard input (one line)")
	return cmd
}

// readPassword reads one line from r: the password, without its line end.
func readPassword(r io.Reader) (string, error) {
	if r == nil {
		return "", errors.New("no standard input")
	}
	line, err := bufio.NewReader(io.LimitReader(r, auth.MaxPasswordLen+2)).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", err
	}
	line = strings.TrimSuffix(strings.TrimSuffix(line, "\n"), "\r")
	if line == "" {
		return "", errors.New("empty password")
	}
	return line, nil
}

func (a *app) usersListCmd() *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List accounts",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			st, err := a.storeFor(cmd.Context(), format)
			if err != nil {
				return err
			}
			accs, err := st.ListAccounts(cmd.Context())
			if err != nil {
				return internalErr(err)
			}
			if format == report.FormatJSON {
				if accs == nil {
					accs = []catalog.Account{}
				}
				return report.JSON(a.stdout, accs)
			}
			t := report.NewTable(a.stdout, "EMAIL", "ROLE", "STATUS", "SIGN-IN", "LAST LOGIN")
			for _, acc := range accs {
				status := "active"
				if acc.Disabled {
					status = "disabled"
				}
				var how []string
				if acc.PasswordHash != "" {
					how = append(how, "password")
				}
				if acc.Subject != "" {
					how = append(how, "oidc")
				}
				t.Row(acc.Email, string(acc.Role), status, strings.Join(how, "+"),
					dateOrDash(acc.LastLogin.IsZero(), acc.LastLogin.Format("2006-01-02 15:04")))
			}
			if err := t.Flush(); err != nil {
				return err
			}
			fmt.Fprintf(a.stderr, "%d accounts\n", len(accs))
			return nil
		},
	}
	addFormat(cmd, &format, report.FormatTable, report.FormatJSON)
	return cmd
}

func (a *app) usersDisableCmd(disable bool) *cobra.Command {
	use, short, done := "disable EMAIL", "Disable an account: it cannot sign in, its sessions end and its tokens are refused", "disabled"
	if !disable {
		use, short, done = "enable EMAIL", "Enable a disabled account again", "enabled"
	}
	return &cobra.Command{
		Use:   use,
		Short: short,
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			svc, err := a.accounts(cmd.Context())
			if err != nil {
				return err
			}
			acc, err := svc.SetDisabled(cmd.Context(), a.actor(), args[0], disable)
			if err != nil {
				return accountErr("account "+args[0], err)
			}
			fmt.Fprint(a.stdout, report.Cleanf("%s %s\n", done, acc.Email))
			return nil
		},
	}
}

func (a *app) usersSetRoleCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "set-role EMAIL ROLE",
		Short: "Change an account's role (" + auth.RoleNames() + ")",
		Args:  cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			svc, err := a.accounts(cmd.Context())
			if err != nil {
				return err
			}
			acc, err := svc.SetRole(cmd.Context(), a.actor(), args[0], catalog.Role(args[1]))
			if err != nil {
				return accountErr("account "+args[0], err)
			}
			fmt.Fprint(a.stdout, report.Cleanf("%s is now %s\n", acc.Email, acc.Role))
			return nil
		},
	}
}
