package cli

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/ospo-project/ospo/internal/analyze"
	"github.com/ospo-project/ospo/internal/gitcmd"
	"github.com/ospo-project/ospo/internal/goldenpath"
	"github.com/ospo-project/ospo/internal/report"
)

func (a *app) newCmd() *cobra.Command {
	var dir, templates, format, source string
	var sets []string
	var private bool
	cmd := &cobra.Command{
		Use:   "new TEMPLATE NAME",
		Short: "Create a new repository from a golden-path template, commit it and score it",
		Long: `new creates a git repository from a template (a golden path): its files,
Go text/template rendered with the template's parameters, are written to
--dir (default ./NAME, which must not exist or be empty), committed, and
the result is scored as ` + "`ospo score`" + ` would.

Built-in templates: goservice (a Go HTTP service) and library (an
InnerSource Go library), each with LICENSE (Apache-2.0), CODEOWNERS,
SECURITY.md, CONTRIBUTING.md, README.md, catalog-info.yaml,
innersource.json, tests and a CI workflow that runs ` + "`ospo check`" + `.
--templates DIR uses the templates of DIR instead (one subdirectory each,
with template.yaml and files/); see docs/golden-paths.md.

--source NAME also creates the repository on the forge of that github
source of ospo.yaml (in its organisation, with its token),
pushes the first commit there over HTTPS, sets it as origin and records it
as one of the source's repositories, so the next ` + "`ospo sources sync`" + `
mirrors and scans it. A name the forge has already, or a token it refuses,
is an error and nothing is left behind; a push that fails after the forge
created the repository says so and keeps the local repository.

Parameter values (--set key=value) are data: they are never parsed as
templates. NAME is a single plain name (letters, digits, '.', '_', '-').`,
		Example: "  ospo new goservice payments --set module=example.com/payments --set owner=@acme/payments\n" +
			"  ospo new library strutil --dir ~/src/strutil --set module=example.com/strutil\n" +
			"  ospo new goservice billing --set module=github.com/acme/billing --source acme --private",
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := report.CheckFormat(format, report.FormatTable, report.FormatJSON); err != nil {
				return usageErr("%v", err)
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
			tmpl, err := ts.Get(args[0])
			if err != nil {
				return goldenErr(err)
			}
			vals, err := tmpl.Values(args[1], set)
			if err != nil {
				return goldenErr(err)
			}
			if dir == "" {
				dir = args[1]
			}
			if dir, err = filepath.Abs(dir); err != nil {
				return usageErr("--dir: %v", err)
			}
			_, statErr := os.Lstat(dir)
			created := errors.Is(statErr, fs.ErrNotExist)
			ctx := cmd.Context()
			files, err := tmpl.Render(dir, vals)
			if err == nil {
				err = commit(ctx, dir, tmpl.Name, args[1])
			}
			if err != nil {
				// Nothing half-made is left behind: what this command
				// created goes; a directory that was there (empty) stays.
				if created {
					_ = os.RemoveAll(dir)
				} else if !errors.Is(err, goldenpath.ErrInvalid) {
					emptyDir(dir)
				}
				return goldenErr(err)
			}
			if !a.quiet {
				fmt.Fprint(a.stderr, report.Cleanf("created %s from %s: %d files, committed\n", dir, tmpl.Name, len(files)))
			}
			if source != "" {
				fr, err := a.createRemote(ctx, source, dir, args[1], vals["description"], private)
				var pushErr *errRemote
				switch {
				case errors.As(err, &pushErr):
					return err
				case err != nil:
					if created {
						_ = os.RemoveAll(dir)
					} else {
						emptyDir(dir)
					}
					return err
				}
				if !a.quiet {
					fmt.Fprint(a.stderr, report.Cleanf("created %s on %s, pushed main; the next sync of %s scans it\n", fr.URL, source, source))
				}
			}
			an, err := a.analyzer(ctx, pipelineOptions{})
			if err != nil {
				return err
			}
			res, err := a.analyze(ctx, an, target{ref: dir, analyses: analyze.Scorecard, dirOnly: true})
			if err != nil {
				return err
			}
			card := *res.Scorecard
			card.Project = args[1] // the repository's name, whatever --dir is called
			return a.writeScore(card, nil, format)
		},
	}
	cmd.Flags().StringVar(&dir, "dir", "", "the directory to create (default ./NAME); it must not exist or be empty")
	cmd.Flags().StringArrayVar(&sets, "set", nil, "a template parameter, key=value (repeatable)")
	cmd.Flags().StringVar(&templates, "templates", "", "a directory of templates to use instead of the built-in ones")
	cmd.Flags().StringVar(&source, "source", "", "also create the repository on the forge of this github source and push it")
	cmd.Flags().BoolVar(&private, "private", false, "with --source: create a private repository")
	addFormat(cmd, &format, report.FormatTable, report.FormatJSON)
	return cmd
}

// parseSets turns --set key=value flags into a map, refusing a flag without
// '=' and a key given twice.
func parseSets(sets []string) (map[string]string, error) {
	m := map[string]string{}
	for _, s := range sets {
		k, v, ok := strings.Cut(s, "=")
		if !ok || k == "" {
			return nil, usageErr("--set %q: want key=value", s)
		}
		if _, dup := m[k]; dup {
			return nil, usageErr("--set %s given twice", k)
		}
		m[k] = v
	}
	return m, nil
}

// goldenErr makes a refused input a usage error (exit 2).
func goldenErr(err error) error {
	if errors.Is(err, goldenpath.ErrInvalid) {
		return usageErr("%v", err)
	}
	return err
}

// emptyDir empties dir (which was empty before this command), keeping dir.
func emptyDir(dir string) {
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		_ = os.RemoveAll(filepath.Join(dir, e.Name()))
	}
}

// commit makes dir a git repository whose first commit holds every file.
func commit(ctx context.Context, dir, template, name string) error {
	steps := [][]string{
		{"init", "-q", "-b", "main"},
		{"add", "-A"},
		{"-c", "user.name=ospo new", "-c", "user.email=ospo-new@localhost", "commit", "-q", "--no-verify",
			"-m", fmt.Sprintf("%s: created from the %s golden path", name, template)},
	}
	for _, s := range steps {
		if _, err := gitcmd.Output(ctx, dir, s...); err != nil {
			return fmt.Errorf("git %s in %s: %w", s[0], dir, err)
		}
	}
	return nil
}
