package cli

import (
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/report"
)

func (a *app) projectCmd() *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "project NAME|KEY|PATH|ID",
		Short: "Show one project: facts, languages, owners, contributors and scan problems",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			st, err := a.storeFor(cmd.Context(), format)
			if err != nil {
				return err
			}
			p, err := st.Project(cmd.Context(), args[0])
			if err != nil {
				return notFound("project", args[0], err)
			}
			if format == report.FormatJSON {
				return report.JSON(a.stdout, p)
			}
			return printProject(a.stdout, p)
		},
	}
	addFormat(cmd, &format, report.FormatTable, report.FormatJSON)
	return cmd
}

func printProject(w io.Writer, p *catalog.Project) error {
	head := p.HeadCommit
	if !p.HeadDate.IsZero() {
		head += " (" + p.HeadDate.Format("2006-01-02 15:04 MST") + ")"
	}
	report.KV(w,
		"Name", p.Name,
		"Key", p.Key,
		"Path", p.Path,
		"Remote", p.RemoteURL,
		"Default branch", p.DefaultBranch,
		"HEAD", head,
		"Commits", strconv.Itoa(p.Commits),
		"Description", p.Description,
		"Description from", p.DescriptionSource,
		"Topics", strings.Join(p.Topics, ", "),
		"Kind", p.Kind,
		"Lifecycle", p.Lifecycle,
		"System", p.System,
		"Scanned", p.ScannedAt.Format("2006-01-02 15:04:05 MST")+" by scanner "+p.ScannerVersion,
	)
	if len(p.Languages) > 0 {
		fmt.Fprintln(w, "\nLanguages:")
		var total int64
		for _, l := range p.Languages {
			total += l.Bytes
		}
		t := report.NewTable(w, "  LANGUAGE", "SHARE", "BYTES", "FILES")
		for _, l := range p.Languages {
			t.Row("  "+l.Name, fmt.Sprintf("%.1f%%", 100*float64(l.Bytes)/float64(max(total, 1))),
				strconv.FormatInt(l.Bytes, 10), strconv.Itoa(l.Files))
		}
		t.Flush()
	}
	if len(p.Owners) > 0 {
		fmt.Fprintln(w, "\nOwners:")
		t := report.NewTable(w, "  OWNER", "SOURCE", "FILE", "PATTERN")
		for _, o := range p.Owners {
			t.Row("  "+o.Owner, o.Source, o.Path, o.Pattern)
		}
		t.Flush()
	}
	if len(p.Files) > 0 {
		fmt.Fprintln(w, "\nFiles:")
		kinds := map[string][]string{}
		var order []string
		for _, f := range p.Files {
			if _, ok := kinds[f.Kind]; !ok {
				order = append(order, f.Kind)
			}
			// Pinned-dependency facts separate their fields by tabs.
			kinds[f.Kind] = append(kinds[f.Kind], strings.ReplaceAll(f.Path, "\t", " "))
		}
		sort.Strings(order)
		t := report.NewTable(w, "  KIND", "PATH")
		for _, k := range order {
			paths := kinds[k]
			if len(paths) > 3 {
				paths = append(paths[:3], fmt.Sprintf("(+%d more)", len(paths)-3))
			}
			t.Row("  "+k, strings.Join(paths, ", "))
		}
		t.Flush()
	}
	if len(p.Contributors) > 0 {
		cs := catalog.ByPerson(p.Contributors)
		fmt.Fprintf(w, "\nContributors (%d people, identities merged):\n", len(cs))
		t := report.NewTable(w, "  NAME", "EMAIL", "COMMITS", "+LINES", "-LINES", "FIRST", "LAST")
		for i, c := range cs {
			if i == 25 {
				t.Row(fmt.Sprintf("  … %d more (--format json lists all)", len(cs)-i))
				break
			}
			t.Row("  "+c.Name, c.Email, strconv.Itoa(c.Commits), strconv.FormatInt(c.LinesAdded, 10),
				strconv.FormatInt(c.LinesRemoved, 10), c.FirstCommit.Format("2006-01-02"), c.LastCommit.Format("2006-01-02"))
		}
		t.Flush()
	}
	if len(p.Problems) > 0 {
		fmt.Fprintf(w, "\nProblems (%d):\n", len(p.Problems))
		t := report.NewTable(w, "  KIND", "PATH", "MESSAGE")
		for _, pr := range p.Problems {
			t.Row("  "+pr.Kind, pr.Path, pr.Message)
		}
		t.Flush()
	}
	return nil
}
