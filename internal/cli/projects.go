package cli

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/report"
	"github.com/ospo-project/ospo/internal/store"
)

func (a *app) projectsCmd() *cobra.Command {
	var format string
	var f store.ProjectFilter
	cmd := &cobra.Command{
		Use:     "projects",
		Short:   "List the projects in the catalogue",
		Example: "  ospo projects\n  ospo projects --language Go --format json\n  ospo projects --owner @acme/payments",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			st, err := a.storeFor(cmd.Context(), format)
			if err != nil {
				return err
			}
			ps, err := st.ListProjects(cmd.Context(), f)
			if err != nil {
				return internalErr(err)
			}
			if format == report.FormatJSON {
				if ps == nil {
					ps = []catalog.Project{}
				}
				return report.JSON(a.stdout, ps)
			}
			t := report.NewTable(a.stdout, "NAME", "LANGUAGES", "COMMITS", "HEAD", "OWNERS", "PROBLEMS", "KEY")
			for _, p := range ps {
				t.Row(p.Name, topLanguages(p.Languages, 3), strconv.Itoa(p.Commits), shortDate(p),
					ownersSummary(p.Owners), strconv.Itoa(len(p.Problems)), p.Key)
			}
			if err := t.Flush(); err != nil {
				return err
			}
			fmt.Fprintf(a.stderr, "%d projects\n", len(ps))
			return nil
		},
	}
	addFormat(cmd, &format, report.FormatTable, report.FormatJSON)
	cmd.Flags().StringVar(&f.Query, "query", "", "only projects whose name, key, path or description contains this")
	cmd.Flags().StringVar(&f.Language, "language", "", "only projects using this language")
	cmd.Flags().StringVar(&f.Owner, "owner", "", "only projects with this owner")
	cmd.Flags().IntVar(&f.Limit, "limit", 0, "at most this many projects")
	return cmd
}

func topLanguages(ls []catalog.Language, n int) string {
	var names []string
	for i, l := range ls {
		if i == n {
			break
		}
		names = append(names, l.Name)
	}
	return strings.Join(names, ",")
}

func ownersSummary(os []catalog.Owner) string {
	seen := map[string]bool{}
	var out []string
	for _, o := range os {
		if !seen[o.Owner] {
			seen[o.Owner] = true
			out = append(out, o.Owner)
		}
	}
	if len(out) > 3 {
		out = append(out[:3], fmt.Sprintf("+%d", len(out)-3))
	}
	return strings.Join(out, ",")
}

func shortDate(p catalog.Project) string {
	if p.HeadDate.IsZero() {
		return "-"
	}
	return p.HeadDate.Format("2006-01-02")
}
