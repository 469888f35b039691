package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/extract/deps"
	"github.com/ospo-project/ospo/internal/gitrepo"
	"github.com/ospo-project/ospo/internal/safefs"
	"github.com/ospo-project/ospo/internal/sbom"
	"github.com/ospo-project/ospo/internal/sbom/cyclonedx"
	"github.com/ospo-project/ospo/internal/sbom/spdx"
)

const (
	formatCycloneDX = "cyclonedx-json"
	formatSPDX      = "spdx-json"
)

func (a *app) sbomCmd() *cobra.Command {
	var format, output string
	var withVulns bool
	cmd := &cobra.Command{
		Use:   "sbom PATH|PROJECT",
		Short: "Write a software bill of materials (CycloneDX 1.6 or SPDX 2.3 JSON)",
		Long: `sbom writes the dependencies of a directory on disk (scanned on the fly, as
it is in the work tree, no store needed) or of a project in the catalogue.`,
		Example: "  ospo sbom . --format cyclonedx-json > bom.json\n  ospo sbom payments --format spdx-json -o payments.spdx.json",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if format != formatCycloneDX && format != formatSPDX {
				return usageErr("unknown format %q (want %s or %s)", format, formatCycloneDX, formatSPDX)
			}
			p, err := a.projectOrPath(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			w := a.stdout
			if output != "" && output != "-" {
				f, err := os.Create(output)
				if err != nil {
					return usageErr("%v", err)
				}
				defer f.Close()
				w = f
			}
			opts := sbom.Options{ToolVersion: Version, Now: time.Now().UTC()}
			if withVulns {
				if opts.Vulnerabilities, _, err = a.vulnGate(cmd.Context(), p, ""); err != nil {
					return err
				}
			}
			if format == formatSPDX {
				err = spdx.Write(w, p, opts)
			} else {
				err = cyclonedx.Write(w, p, opts)
			}
			if err != nil {
				return internalErr(fmt.Errorf("write sbom: %w", err))
			}
			for _, pr := range p.Problems {
				fmt.Fprintf(a.stderr, "warning: %s: %s\n", pr.Path, pr.Message)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&format, "format", formatCycloneDX, "output format: "+formatCycloneDX+", "+formatSPDX)
	cmd.Flags().StringVarP(&output, "output", "o", "", "write to this file instead of standard output")
	cmd.Flags().BoolVar(&withVulns, "vulns", false, "add the known vulnerabilities (CycloneDX vulnerabilities section) from the imported advisories")
	return cmd
}

// projectOrPath returns the project ref names: a directory on disk is read
// as it is (its dependencies extracted on the fly, no store opened);
// anything else is looked up in the catalogue.
func (a *app) projectOrPath(ctx context.Context, ref string) (*catalog.Project, error) {
	if fi, err := os.Stat(ref); err == nil && fi.IsDir() {
		return scanPath(ctx, ref)
	}
	st, err := a.store(ctx)
	if err != nil {
		return nil, err
	}
	p, err := st.Project(ctx, ref)
	if err != nil {
		return nil, notFound("project or directory", ref, err)
	}
	return p, nil
}

// scanPath builds a project from a directory's files as they are on disk.
func scanPath(ctx context.Context, dir string) (*catalog.Project, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, usageErr("%v", err)
	}
	p := &catalog.Project{Name: filepath.Base(abs), Path: abs, Key: "path:" + abs, ScannerVersion: catalog.ScannerVersion}
	if repo, err := gitrepo.Open(abs); err == nil {
		if remote := repo.RemoteURL(ctx); remote != "" {
			p.RemoteURL = remote
			if k := gitrepo.NormaliseRemote(remote); k != "" {
				p.Key = k
			}
		}
		head, branch, err := repo.Head(ctx)
		if err == nil || errors.Is(err, gitrepo.ErrNoCommits) {
			p.HeadCommit, p.DefaultBranch = head, branch
		}
	}
	tree, err := safefs.Open(abs, safefs.Options{})
	if err != nil {
		return nil, usageErr("%v", err)
	}
	defer tree.Close()
	p.Dependencies, p.Problems = deps.Extract(ctx, tree)
	for _, msg := range tree.Problems() {
		p.Problems = append(p.Problems, catalog.Problem{Kind: catalog.ProblemUnreadable, Message: msg})
	}
	return p, nil
}
