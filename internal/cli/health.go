package cli

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/spf13/cobra"

	"github.com/ospo-project/ospo/internal/analyze"
	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/health"
	"github.com/ospo-project/ospo/internal/report"
	"github.com/ospo-project/ospo/internal/store"
)

// HealthReport is what `ospo health --format json` prints.
type HealthReport struct {
	// Scope is project, team or estate; Name names the project or team.
	Scope    string `json:"scope"`
	Name     string `json:"name,omitempty"`
	Projects int    `json:"projects"`
	health.Report
}

func (a *app) healthCmd() *cobra.Command {
	var format string
	var weeks int
	cmd := &cobra.Command{
		Use:   "health [PROJECT|TEAM]",
		Short: "Community health (CHAOSS metrics) of a project, a team or the estate, with weekly series",
		Long: `Health computes CHAOSS community health metrics over a window of weeks ending
this week: weekly commits, contributors (new, returning), inactive contributors
and releases; over the window the contributor absence factor, the elephant
factor (organisations from e-mail domains and health.affiliations of
ospo.yaml), commit and release frequency and burstiness; and, when a forge
source knows the project, time to first response, change request closure
ratio, review duration and issue age. Each metric is named and defined as
CHAOSS defines it, with a link (docs/health.md).

PROJECT is a project's ID, key, path or name; TEAM an owner as CODEOWNERS,
catalog-info.yaml or innersource.json name it ("@acme/payments", or
"payments"). Without an argument: the whole estate.`,
		Example: "  ospo health payments-api\n  ospo health @acme/payments --weeks 26 --format json\n  ospo health",
		Args:    cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			st, err := a.storeFor(ctx, format)
			if err != nil {
				return err
			}
			if weeks < 1 || weeks > 520 {
				return usageErr("--weeks must be between 1 and 520")
			}
			cfg, err := a.config()
			if err != nil {
				return err
			}
			opts := health.Options{Weeks: weeks, Now: time.Now().UTC(), Affiliations: health.Affiliations(cfg.Health.Affiliations)}
			ref := ""
			if len(args) == 1 {
				ref = args[0]
			}
			rep, err := healthOf(ctx, st, ref, opts)
			if err != nil {
				return err
			}
			if format == report.FormatJSON {
				return report.JSON(a.stdout, rep)
			}
			a.printHealth(rep)
			return nil
		},
	}
	cmd.Flags().IntVar(&weeks, "weeks", 52, "length of the window in weeks, ending this week")
	addFormat(cmd, &format, report.FormatTable, report.FormatJSON)
	cmd.AddCommand(a.healthDigestCmd())
	return cmd
}

// healthOf computes the health of ref: a project, else a team, else (ref
// empty) the estate.
func healthOf(ctx context.Context, st store.Store, ref string, opts health.Options) (*HealthReport, error) {
	var ps []catalog.Project
	rep := &HealthReport{Scope: "estate"}
	if ref != "" {
		p, err := st.Project(ctx, ref)
		switch {
		case err == nil:
			ps, rep.Scope, rep.Name = []catalog.Project{*p}, "project", p.Name
		case errors.Is(err, store.ErrNotFound):
			all, err := st.ListProjects(ctx, store.ProjectFilter{})
			if err != nil {
				return nil, internalErr(err)
			}
			for _, p := range all {
				if health.OwnedBy(p, ref) {
					ps = append(ps, p)
				}
			}
			if len(ps) == 0 {
				return nil, usageErr("no project or team %q", ref)
			}
			rep.Scope, rep.Name = "team", ref
		default:
			return nil, classify(err)
		}
	} else {
		all, err := st.ListProjects(ctx, store.ProjectFilter{})
		if err != nil {
			return nil, internalErr(err)
		}
		ps = all
	}
	ids := make([]int64, len(ps))
	for i, p := range ps {
		ids[i] = p.ID
	}
	var in health.Input
	act, err := st.Activity(ctx, ids)
	if err != nil {
		return nil, internalErr(err)
	}
	for _, id := range ids {
		in.Contributions = append(in.Contributions, act[id]...)
	}
	// Releases: the tags of each checkout (of a project or a team; for the
	// estate that would be one git process per repository, so release
	// frequency is not available there).
	in.ReleasesKnown = rep.Scope != "estate"
	for _, p := range ps {
		if !in.ReleasesKnown {
			break
		}
		ts, err := analyze.Releases(ctx, p.Path)
		if err != nil {
			in.ReleasesKnown = false
			break
		}
		in.Releases = append(in.Releases, ts...)
	}
	if rep.Scope == "project" {
		repos, err := st.ProjectForgeRepos(ctx, ps[0].Key)
		if err != nil {
			return nil, internalErr(err)
		}
		if len(repos) > 0 {
			items, err := st.ForgeItems(ctx, ps[0].Key, "", 0)
			if err != nil {
				return nil, internalErr(err)
			}
			in.Forge = append([]catalog.ForgeItem{}, items...)
		}
	}
	rep.Projects = len(ps)
	rep.Report = health.Compute(in, opts)
	return rep, nil
}

func (a *app) printHealth(r *HealthReport) {
	w := a.stdout
	name := r.Scope
	if r.Name != "" {
		name += " " + report.Clean(r.Name)
	}
	projects := "projects"
	if r.Projects == 1 {
		projects = "project"
	}
	fmt.Fprintf(w, "Health of %s (%d %s), %d weeks from %s to %s\n\n", name, r.Projects, projects, len(r.Weeks),
		r.From.Format("2006-01-02"), r.To.AddDate(0, 0, -1).Format("2006-01-02"))
	t := report.NewTable(w, "METRIC", "VALUE", "UNIT", "CHAOSS")
	for _, m := range r.Metrics {
		v := "n/a"
		if m.Available {
			v = strconv.FormatFloat(m.Value, 'f', 2, 64)
		}
		t.Row(m.Name, v, m.Unit, m.URL)
	}
	t.Flush()
	fmt.Fprintln(w)
	t = report.NewTable(w, "WEEK", "COMMITS", "CONTRIBUTORS", "NEW", "RETURNING", "INACTIVE", "RELEASES")
	for _, wk := range r.Weeks {
		t.Row(wk.Week.Format("2006-01-02"), strconv.Itoa(wk.Commits), strconv.Itoa(wk.Contributors), strconv.Itoa(wk.New),
			strconv.Itoa(wk.Returning), strconv.Itoa(wk.Inactive), strconv.Itoa(wk.Releases))
	}
	t.Flush()
	if len(r.Organisations) > 0 {
		fmt.Fprintln(w)
		t = report.NewTable(w, "ORGANISATION", "COMMITS", "SHARE")
		for _, o := range r.Organisations {
			t.Row(o.Name, strconv.Itoa(o.Commits), strconv.FormatFloat(100*o.Share, 'f', 1, 64)+"%")
		}
		t.Flush()
	}
}
