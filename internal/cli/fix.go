package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/gitcmd"
	"github.com/ospo-project/ospo/internal/goldenpath"
	"github.com/ospo-project/ospo/internal/report"
)

func (a *app) fixCmd() *cobra.Command {
	var templateName, templates, output, branch, format string
	var sets []string
	cmd := &cobra.Command{
		Use:   "fix PROJECT",
		Short: "Propose the hygiene files a project lacks (licence, security policy, owners, CI…) as a patch or a branch",
		Long: `fix proposes the files a project of the catalogue lacks and its scorecard
looks for: LICENSE, SECURITY.md, CONTRIBUTING.md, CODE_OF_CONDUCT.md,
CODEOWNERS, catalog-info.yaml, innersource.json, a CI workflow running
` + "`ospo check`" + ` and dependabot.yml, rendered from a golden-path template
(--template, default library) filled with what the catalogue knows: the
project's name, description and owners (--set key=value overrides).
A file of a kind the last scan found (LICENSE.md, .github/CODEOWNERS, a
GitLab CI…) is not proposed again. LICENSE is the template's Apache-2.0 text,
proposed only when no licence is known (to confirm) or the project declares
Apache-2.0 without a licence file.

The proposal is a patch on stdout (git apply / patch -p1), or in --output
FILE, or (--branch NAME) a commit on a new branch of the project's checkout,
made in a temporary worktree (the checkout's files are not touched). Rescan
after merging to see the score rise. --format json lists the files.`,
		Example: "  ospo fix payments > hygiene.patch && git -C ~/src/payments apply $PWD/hygiene.patch\n" +
			"  ospo fix payments --branch ospo/hygiene --set security_contact=security@acme.example",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := report.CheckFormat(format, "patch", report.FormatJSON); err != nil {
				return usageErr("%v", err)
			}
			if output != "" && branch != "" {
				return usageErr("--output and --branch are exclusive")
			}
			set, err := parseSets(sets)
			if err != nil {
				return err
			}
			var ts *goldenpath.Set
			if templates != "" {
				ts, err = goldenpath.Dir(templates)
			} else {
				ts, err = goldenpath.Builtin()
			}
			if err != nil {
				return goldenErr(err)
			}
			tmpl, err := ts.Get(templateName)
			if err != nil {
				return goldenErr(err)
			}
			ctx := cmd.Context()
			st, err := a.store(ctx)
			if err != nil {
				return err
			}
			p, err := st.Project(ctx, args[0])
			if err != nil {
				return notFound("project", args[0], err)
			}
			prop, err := goldenpath.Propose(tmpl, p, set)
			if err != nil {
				return goldenErr(err)
			}
			for _, s := range prop.Skipped {
				fmt.Fprint(a.stderr, report.Cleanf("skipped %s\n", s))
			}
			if len(prop.Files) == 0 {
				fmt.Fprint(a.stderr, report.Cleanf("%s has every hygiene file the %s template provides: nothing to propose\n", p.Name, tmpl.Name))
				if format == report.FormatJSON {
					return report.JSON(a.stdout, prop)
				}
				return nil
			}
			if !a.quiet {
				for _, f := range prop.Files {
					fmt.Fprint(a.stderr, report.Cleanf("+ %-26s %s\n", f.Path, f.Why))
				}
			}
			switch {
			case branch != "":
				sha, err := commitBranch(ctx, p, branch, prop.Files)
				if err != nil {
					return err
				}
				fmt.Fprint(a.stdout, report.Cleanf("branch %s of %s: %s (%d files)\n", branch, p.Path, sha, len(prop.Files)))
				return nil
			case format == report.FormatJSON:
				return report.JSON(a.stdout, prop)
			case output != "":
				if err := os.WriteFile(output, goldenpath.Patch(prop.Files), 0o644); err != nil {
					return usageErr("--output: %v", err)
				}
				return nil
			}
			_, err = a.stdout.Write(goldenpath.Patch(prop.Files))
			return err
		},
	}
	cmd.Flags().StringVar(&templateName, "template", "library", "the golden path whose files are proposed")
	cmd.Flags().StringVar(&templates, "templates", "", "a directory of templates to use instead of the built-in ones")
	cmd.Flags().StringArrayVar(&sets, "set", nil, "a template parameter, key=value (repeatable), over what the catalogue knows")
	cmd.Flags().StringVarP(&output, "output", "o", "", "write the patch to this file instead of stdout")
	cmd.Flags().StringVar(&branch, "branch", "", "commit the files on this new branch of the project's checkout")
	addFormat(cmd, &format, "patch", report.FormatJSON)
	return cmd
}

// commitBranch commits files on a new branch of p's checkout, from HEAD,
// in a temporary worktree that is removed afterwards; the checkout's own
// work tree and current branch are left as they are. It returns the new
// commit. A branch that exists already is refused.
func commitBranch(ctx context.Context, p *catalog.Project, branch string, files []goldenpath.File) (string, error) {
	if p.Path == "" {
		return "", usageErr("%s has no checkout on this machine to make a branch in", p.Name)
	}
	if _, err := gitcmd.Output(ctx, p.Path, "check-ref-format", "--branch", branch); err != nil || strings.HasPrefix(branch, "-") {
		return "", usageErr("--branch %q is not a valid branch name", branch)
	}
	if _, err := gitcmd.Output(ctx, p.Path, "rev-parse", "--verify", "--quiet", "refs/heads/"+branch); err == nil {
		return "", usageErr("branch %s exists already in %s", branch, p.Path)
	}
	tmp, err := os.MkdirTemp("", "ospo-fix-")
	if err != nil {
		return "", internalErr(err)
	}
	wt := filepath.Join(tmp, "wt")
	defer os.RemoveAll(tmp)
	if _, err := gitcmd.Output(ctx, p.Path, "worktree", "add", "-q", "-b", branch, wt, "HEAD"); err != nil {
		return "", internalErr(fmt.Errorf("make a worktree of %s: %w", p.Path, err))
	}
	defer gitcmd.Output(context.WithoutCancel(ctx), p.Path, "worktree", "remove", "--force", wt)
	var paths []string
	for _, f := range files {
		full := filepath.Join(wt, filepath.FromSlash(f.Path))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			return "", internalErr(err)
		}
		// O_EXCL: a file (or link) that HEAD has, which the scan did not
		// see, is never overwritten or written through.
		fh, err := os.OpenFile(full, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if errors.Is(err, os.ErrExist) {
			continue
		}
		if err != nil {
			return "", internalErr(err)
		}
		_, werr := fh.Write(f.Content)
		if cerr := fh.Close(); werr == nil {
			werr = cerr
		}
		if werr != nil {
			return "", internalErr(werr)
		}
		paths = append(paths, f.Path)
	}
	if len(paths) == 0 {
		return "", usageErr("the checkout at HEAD has every proposed file already: rescan it")
	}
	steps := [][]string{
		append([]string{"add", "--"}, paths...),
		{"-c", "user.name=ospo fix", "-c", "user.email=ospo-fix@localhost", "commit", "-q", "--no-verify",
			"-m", "Add the hygiene files the scorecard looks for\n\nProposed by `ospo fix` from the golden-path templates: " + strings.Join(paths, ", ") + "."},
	}
	for _, s := range steps {
		if _, err := gitcmd.Output(ctx, wt, s...); err != nil {
			return "", internalErr(fmt.Errorf("git %s: %w", s[0], err))
		}
	}
	return gitcmd.Output(ctx, wt, "rev-parse", "HEAD")
}
