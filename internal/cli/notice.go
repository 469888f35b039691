package cli

import (
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"github.com/ospo-project/ospo/internal/analyze"
	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/license"
	"github.com/ospo-project/ospo/internal/report"
)

func (a *app) noticeCmd() *cobra.Command {
	var output string
	var online, withDev bool
	cmd := &cobra.Command{
		Use:   "notice [PATH]",
		Short: "Write a third-party notices (attribution) file for a release",
		Long: `notice writes, in Markdown, the third-party packages a release of the project
in PATH (default: the current directory) ships, grouped by licence, with a
link to each licence's text. Dev and test dependencies are left out unless
--dev is given. Packages whose licence is unknown are listed apart: resolve
them (--online, or licensing.licenses in ospo.yaml) before a release.`,
		Example: "  ospo notice > THIRD_PARTY_NOTICES.md\n  ospo notice . --online -o NOTICE.md",
		Args:    cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			dir := "."
			if len(args) == 1 {
				dir = args[0]
			}
			an, err := a.analyzer(ctx, pipelineOptions{online: online})
			if err != nil {
				return err
			}
			res, err := a.analyze(ctx, an, target{ref: dir, analyses: analyze.Licenses, dirOnly: true})
			if err != nil {
				return err
			}
			p := res.Project
			w := a.stdout
			if output != "" && output != "-" {
				f, err := os.Create(output)
				if err != nil {
					return usageErr("%v", err)
				}
				defer f.Close()
				w = f
			}
			if err := writeNotice(w, p, withDev); err != nil {
				return internalErr(err)
			}
			return nil
		},
	}
	cmd.Flags().StringVarP(&output, "output", "o", "", "write to this file instead of standard output")
	cmd.Flags().BoolVar(&online, "online", false, "ask package registries for licences that lockfiles and local caches do not record")
	cmd.Flags().BoolVar(&withDev, "dev", false, "include dev and test dependencies")
	return cmd
}

// writeNotice writes the notices file: packages grouped by licence.
func writeNotice(w io.Writer, p *catalog.Project, withDev bool) error {
	type pkg struct{ name, version, ecosystem string }
	groups := map[string]map[pkg]bool{}
	for _, r := range license.Rows(p) {
		if !withDev && (r.Scope == catalog.ScopeDev || r.Scope == catalog.ScopeTest) {
			continue
		}
		if groups[r.License] == nil {
			groups[r.License] = map[pkg]bool{}
		}
		groups[r.License][pkg{r.Name, r.Version, r.Ecosystem}] = true
	}
	var exprs []string
	for e := range groups {
		if e != catalog.LicenseUnknown {
			exprs = append(exprs, e)
		}
	}
	sort.Strings(exprs)
	if groups[catalog.LicenseUnknown] != nil {
		exprs = append(exprs, catalog.LicenseUnknown)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "# Third-party notices for %s\n\n", mdEscape(p.Name))
	if p.License != nil && p.License.Expression != catalog.LicenseUnknown {
		fmt.Fprintf(&b, "%s is licensed under %s. ", mdEscape(p.Name), mdEscape(p.License.Expression))
	}
	fmt.Fprintf(&b, "It includes the following third-party packages, grouped by licence.\n")
	for _, e := range exprs {
		fmt.Fprintf(&b, "\n## %s\n\n", mdEscape(e))
		if e == catalog.LicenseUnknown {
			b.WriteString("The licence of these packages could not be determined; review them before a release.\n\n")
		} else if ex, err := license.Parse(e); err == nil {
			for _, l := range ex.Leaves() {
				if entry, ok := license.Lookup(l.ID); ok {
					fmt.Fprintf(&b, "- %s: https://spdx.org/licenses/%s.html\n", mdEscape(entry.Name), entry.ID)
				}
			}
			b.WriteString("\n")
		}
		var pkgs []pkg
		for k := range groups[e] {
			pkgs = append(pkgs, k)
		}
		sort.Slice(pkgs, func(i, j int) bool {
			if pkgs[i].name != pkgs[j].name {
				return pkgs[i].name < pkgs[j].name
			}
			return pkgs[i].version < pkgs[j].version
		})
		for _, k := range pkgs {
			fmt.Fprintf(&b, "- %s %s (%s)\n", mdEscape(k.name), mdEscape(k.version), k.ecosystem)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// mdEscape keeps text from repositories from becoming Markdown markup.
func mdEscape(s string) string {
	r := strings.NewReplacer("\\", "\\\\", "*", "\\*", "_", "\\_", "`", "\\`", "[", "\\[", "]", "\\]", "<", "&lt;", ">", "&gt;", "#", "\\#", "\n", " ", "\r", " ")
	return r.Replace(report.Clean(s))
}
