package cli

import (
	"fmt"
	"io"
	"strconv"

	"github.com/spf13/cobra"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/report"
	"github.com/ospo-project/ospo/internal/store"
)

func (a *app) peopleCmd() *cobra.Command {
	var format string
	var f store.PersonFilter
	cmd := &cobra.Command{
		Use:   "people",
		Short: "List developers across the estate, identities merged, most commits first",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			st, err := a.storeFor(cmd.Context(), format)
			if err != nil {
				return err
			}
			ps, err := st.ListPeople(cmd.Context(), f)
			if err != nil {
				return internalErr(err)
			}
			if format == report.FormatJSON {
				if ps == nil {
					ps = []catalog.Person{}
				}
				return report.JSON(a.stdout, ps)
			}
			t := report.NewTable(a.stdout, "NAME", "EMAIL", "COMMITS", "+LINES", "-LINES", "IDENTITIES", "LAST", "ID")
			for _, p := range ps {
				name := p.Name
				if p.Bot {
					name += " (bot)"
				}
				t.Row(name, p.Email, strconv.Itoa(p.Commits), strconv.FormatInt(p.LinesAdded, 10),
					strconv.FormatInt(p.LinesRemoved, 10), strconv.Itoa(len(p.Identities)), dateOrDash(p.LastCommit.IsZero(), p.LastCommit.Format("2006-01-02")), p.ID)
			}
			if err := t.Flush(); err != nil {
				return err
			}
			fmt.Fprintf(a.stderr, "%d people\n", len(ps))
			return nil
		},
	}
	addFormat(cmd, &format, report.FormatTable, report.FormatJSON)
	cmd.Flags().StringVar(&f.Query, "query", "", "only people whose name or email contains this")
	cmd.Flags().BoolVar(&f.IncludeBots, "bots", false, "include bots (dependabot, renovate, github-actions…)")
	cmd.Flags().IntVar(&f.Limit, "limit", 0, "at most this many people")
	return cmd
}

func (a *app) personCmd() *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "person EMAIL|NAME|ID",
		Short: "Show one developer: identities, totals and projects",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			st, err := a.storeFor(cmd.Context(), format)
			if err != nil {
				return err
			}
			p, err := st.Person(cmd.Context(), args[0])
			if err != nil {
				return notFound("person", args[0], err)
			}
			if format == report.FormatJSON {
				return report.JSON(a.stdout, p)
			}
			return printPerson(a.stdout, p)
		},
	}
	addFormat(cmd, &format, report.FormatTable, report.FormatJSON)
	return cmd
}

func printPerson(w io.Writer, p *catalog.Person) error {
	kind := "person"
	if p.Bot {
		kind = "bot"
	}
	report.KV(w,
		"Name", p.Name,
		"Email", p.Email,
		"ID", p.ID,
		"Kind", kind,
		"Commits", strconv.Itoa(p.Commits),
		"Lines", fmt.Sprintf("+%d -%d", p.LinesAdded, p.LinesRemoved),
		"First commit", dateOrDash(p.FirstCommit.IsZero(), p.FirstCommit.Format("2006-01-02")),
		"Last commit", dateOrDash(p.LastCommit.IsZero(), p.LastCommit.Format("2006-01-02")),
	)
	fmt.Fprintf(w, "\nIdentities (%d):\n", len(p.Identities))
	for _, id := range p.Identities {
		fmt.Fprintf(w, "  %s <%s>\n", report.Clean(id.Name), report.Clean(id.Email))
	}
	if len(p.Projects) > 0 {
		fmt.Fprintf(w, "\nProjects (%d):\n", len(p.Projects))
		t := report.NewTable(w, "  PROJECT", "COMMITS", "+LINES", "-LINES", "FIRST", "LAST")
		for _, pp := range p.Projects {
			t.Row("  "+pp.Project, strconv.Itoa(pp.Commits), strconv.FormatInt(pp.LinesAdded, 10),
				strconv.FormatInt(pp.LinesRemoved, 10), pp.FirstCommit.Format("2006-01-02"), pp.LastCommit.Format("2006-01-02"))
		}
		t.Flush()
	}
	return nil
}

func dateOrDash(zero bool, s string) string {
	if zero {
		return "-"
	}
	return s
}
