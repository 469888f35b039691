package cli

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/query"
	"github.com/ospo-project/ospo/internal/report"
	"github.com/ospo-project/ospo/internal/store"
)

func (a *app) technologiesCmd() *cobra.Command {
	var format string
	var f store.TechnologyFilter
	cmd := &cobra.Command{
		Use:     "technologies",
		Short:   "Packages and languages, by the number of projects using them",
		Example: "  ospo technologies --ecosystem Go\n  ospo technologies --kind language",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := report.CheckFormat(format, report.FormatTable, report.FormatJSON); err != nil {
				return usageErr("%v", err)
			}
			if f.Kind != "" && f.Kind != "package" && f.Kind != "language" {
				return usageErr("--kind must be package or language")
			}
			st, err := a.store(cmd.Context())
			if err != nil {
				return err
			}
			ts, err := st.Technologies(cmd.Context(), f)
			if err != nil {
				return classify(err)
			}
			if format == report.FormatJSON {
				if ts == nil {
					ts = []catalog.Technology{}
				}
				return report.JSON(a.stdout, ts)
			}
			t := report.NewTable(a.stdout, "KIND", "ECOSYSTEM", "NAME", "PROJECTS", "VERSIONS", "ID")
			for _, tc := range ts {
				versions := ""
				if tc.Kind == "package" {
					versions = strconv.Itoa(tc.Versions)
				}
				t.Row(tc.Kind, tc.Ecosystem, tc.Name, strconv.Itoa(tc.Projects), versions, tc.ID)
			}
			return t.Flush()
		},
	}
	addFormat(cmd, &format, report.FormatTable, report.FormatJSON)
	cmd.Flags().StringVar(&f.Kind, "kind", "", "package or language (default both)")
	cmd.Flags().StringVar(&f.Ecosystem, "ecosystem", "", "only packages of this ecosystem")
	cmd.Flags().StringVar(&f.Query, "query", "", "only names containing this")
	cmd.Flags().IntVar(&f.Limit, "limit", 100, "at most this many (0: all)")
	return cmd
}

// technologyReport is one package's place in the estate.
type technologyReport struct {
	Package  string           `json:"package"`
	Versions []versionUse     `json:"versions"`
	Uses     []catalog.Usage  `json:"uses"`
	Experts  []catalog.Person `json:"people"`
}

type versionUse struct {
	Version  string   `json:"version"`
	Projects []string `json:"projects"`
}

func (a *app) technologyCmd() *cobra.Command {
	var format, ecosystem string
	var people int
	cmd := &cobra.Command{
		Use:     "technology PACKAGE",
		Short:   "One package: the projects using it, the versions in use (drift), the people to ask",
		Example: "  ospo technology 'pkg:golang/github.com/spf13/cobra'\n  ospo technology lodash --ecosystem npm",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			st, err := a.storeFor(ctx, format)
			if err != nil {
				return err
			}
			// The page is about the package across its versions: a
			// versioned package URL names the package.
			pkg, _ := query.SplitPURL(args[0])
			uses, err := st.WhoUses(ctx, store.UsageFilter{Package: pkg, Ecosystem: ecosystem})
			if err != nil {
				return classify(err)
			}
			if len(uses) == 0 {
				return notFound("package", args[0], store.ErrNotFound)
			}
			rep := technologyReport{Package: args[0], Uses: uses}
			byVersion := map[string]map[string]bool{}
			var ids []int64
			seen := map[int64]bool{}
			for _, u := range uses {
				if byVersion[u.Version] == nil {
					byVersion[u.Version] = map[string]bool{}
				}
				byVersion[u.Version][u.Project] = true
				if !seen[u.ProjectID] {
					seen[u.ProjectID] = true
					ids = append(ids, u.ProjectID)
				}
			}
			for v, ps := range byVersion {
				vu := versionUse{Version: v}
				for p := range ps {
					vu.Projects = append(vu.Projects, p)
				}
				sort.Strings(vu.Projects)
				rep.Versions = append(rep.Versions, vu)
			}
			sort.Slice(rep.Versions, func(i, j int) bool {
				if len(rep.Versions[i].Projects) != len(rep.Versions[j].Projects) {
					return len(rep.Versions[i].Projects) > len(rep.Versions[j].Projects)
				}
				return rep.Versions[i].Version < rep.Versions[j].Version
			})
			if people > 0 {
				if rep.Experts, err = st.Experts(ctx, ids, people); err != nil {
					return internalErr(err)
				}
			}
			if format == report.FormatJSON {
				if rep.Experts == nil {
					rep.Experts = []catalog.Person{}
				}
				return report.JSON(a.stdout, rep)
			}
			w := a.stdout
			fmt.Fprintf(w, "%s (%s): used by %d projects in %d versions\n\n", report.Clean(uses[0].Name), report.Clean(uses[0].Ecosystem), len(ids), len(rep.Versions))
			fmt.Fprintln(w, "Versions in use:")
			t := report.NewTable(w, "  VERSION", "PROJECTS", "")
			for _, v := range rep.Versions {
				t.Row("  "+v.Version, strconv.Itoa(len(v.Projects)), strings.Join(v.Projects, ", "))
			}
			t.Flush()
			fmt.Fprintln(w, "\nUses:")
			t = report.NewTable(w, "  PROJECT", "VERSION", "DIRECT", "SCOPE", "MANIFEST")
			for _, u := range uses {
				t.Row("  "+u.Project, u.Version, yesNo(u.Direct), u.Scope, u.Manifest)
			}
			t.Flush()
			if len(rep.Experts) > 0 {
				fmt.Fprintln(w, "\nPeople who work on these projects:")
				t = report.NewTable(w, "  NAME", "EMAIL", "COMMITS")
				for _, p := range rep.Experts {
					t.Row("  "+p.Name, p.Email, strconv.Itoa(p.Commits))
				}
				t.Flush()
			}
			return nil
		},
	}
	addFormat(cmd, &format, report.FormatTable, report.FormatJSON)
	cmd.Flags().StringVar(&ecosystem, "ecosystem", "", "ecosystem of a bare package name")
	cmd.Flags().IntVar(&people, "people", 10, "list this many people (0: none)")
	return cmd
}
