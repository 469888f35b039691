package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/ospo-project/ospo/internal/auth"
	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/hub/estate"
	"github.com/ospo-project/ospo/internal/recommend"
	"github.com/ospo-project/ospo/internal/report"
	"github.com/ospo-project/ospo/internal/store"
)

// resources reads the resource catalogue configured in ospo.yaml
// (recommend.resources) or given by dir; none when neither is set. Files
// that are not valid resources are reported on stderr and skipped.
func (a *app) resources(dir string) ([]recommend.Resource, error) {
	if dir == "" {
		cfg, err := a.config()
		if err != nil {
			return nil, err
		}
		dir = cfg.Recommend.Resources
	}
	if dir == "" {
		return nil, nil
	}
	if !isDir(dir) {
		return nil, usageErr("resources: %s is not a directory", dir)
	}
	rs, errs, err := recommend.ReadResources(os.DirFS(dir))
	if err != nil {
		return nil, usageErr("resources: %v", err)
	}
	for _, e := range errs {
		fmt.Fprint(a.stderr, report.Cleanf("warning: %v\n", e))
	}
	return rs, nil
}

// recommendModel reads the catalogue and builds the recommendation model.
func (a *app) recommendModel(ctx context.Context, st store.Store, resourcesDir string, now time.Time) (*recommend.Model, recommend.Estate, error) {
	rs, err := a.resources(resourcesDir)
	if err != nil {
		return nil, recommend.Estate{}, err
	}
	an, err := a.analyzer(ctx, pipelineOptions{})
	if err != nil {
		return nil, recommend.Estate{}, err
	}
	e, err := estate.RecommendInputs(ctx, st, rs, an.Ignores(), now)
	if err != nil {
		return nil, e, internalErr(err)
	}
	return recommend.Build(e, now), e, nil
}

func (a *app) recommendCmd() *cobra.Command {
	var format, techs, projects, resources string
	var limit int
	cmd := &cobra.Command{
		Use:   "recommend PERSON",
		Short: "What a person should look at next: technologies, upgrades, projects, people, training",
		Long: `recommend tells a person of the catalogue (an ID, an e-mail or a name) what to
look at next, each with the reason:

  technologies   what people with a similar stack use (collaborative
                 filtering over person x technology, recent work weighing more)
  upgrades       vulnerable or drifting versions in the projects they work on
  projects       InnerSource projects whose stack matches theirs, near their team
  people         who knows the technologies they are adopting (mentors on
                 another team first)
  resources      training and articles of the resource catalogue
                 (recommend.resources in ospo.yaml, or --resources DIR)

People who opted out (ospo recommend opt-out) get no recommendations and are
never recommended. See docs/recommendations.md for how the recommenders were
evaluated.`,
		Example: "  ospo recommend ann@example.com\n  ospo recommend 'Ann Smith' --format json --limit 5",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			if limit < 0 {
				return usageErr("--limit must not be negative")
			}
			st, err := a.storeFor(ctx, format)
			if err != nil {
				return err
			}
			now := time.Now().UTC()
			m, _, err := a.recommendModel(ctx, st, resources, now)
			if err != nil {
				return err
			}
			r, err := m.For(args[0], recommend.Options{Limit: limit, Technologies: techs, Projects: projects, Now: now})
			if err != nil {
				return notFound("person", args[0], err)
			}
			if format == report.FormatJSON {
				return report.JSON(a.stdout, r)
			}
			return printRecommendations(a.stdout, r)
		},
	}
	addFormat(cmd, &format, report.FormatTable, report.FormatJSON)
	cmd.Flags().IntVar(&limit, "limit", 10, "at most this many items in each list")
	cmd.Flags().StringVar(&techs, "technologies", "", "technology recommender: "+strings.Join(recommend.TechnologyRecommenders, ", ")+" (default "+recommend.DefaultTechnologies+")")
	cmd.Flags().StringVar(&projects, "projects", "", "project recommender: "+strings.Join(recommend.ProjectRecommenders, ", ")+" (default "+recommend.DefaultProjects+")")
	cmd.Flags().StringVar(&resources, "resources", "", "directory of the resource catalogue (default: recommend.resources in ospo.yaml)")
	cmd.AddCommand(a.optOutCmd(true), a.optOutCmd(false))
	return cmd
}

func printRecommendations(w io.Writer, r recommend.Recommendations) error {
	fmt.Fprintf(w, "Recommendations for %s <%s>", report.Clean(r.Person.Name), report.Clean(r.Person.Email))
	if len(r.Teams) > 0 {
		fmt.Fprintf(w, " (team %s)", report.Clean(strings.Join(r.Teams, ", ")))
	}
	fmt.Fprintln(w)
	if r.OptedOut {
		fmt.Fprintln(w, "They opted out of recommendations (ospo recommend opt-in to undo).")
		return nil
	}
	sections := []struct {
		title string
		items []recommend.Item
	}{
		{"TECHNOLOGIES", r.Technologies}, {"UPGRADES", r.Upgrades}, {"PROJECTS", r.Projects},
		{"PEOPLE TO MEET", r.People}, {"TRAINING AND ARTICLES", r.Resources},
	}
	for _, s := range sections {
		fmt.Fprintf(w, "\n%s\n", s.title)
		if len(s.items) == 0 {
			fmt.Fprintln(w, "  (none)")
			continue
		}
		t := report.NewTable(w, "  NAME", "WHY")
		for _, it := range s.items {
			name := it.Name
			switch it.Kind {
			case recommend.KindPerson:
				name += " <" + it.Email + ">"
			case recommend.KindResource:
				name += " " + it.URL
			}
			t.Row("  "+name, it.Why)
		}
		if err := t.Flush(); err != nil {
			return err
		}
	}
	return nil
}

// optOutCmd is `recommend opt-out` (out) or `recommend opt-in`.
func (a *app) optOutCmd(out bool) *cobra.Command {
	var experts, recs bool
	use, short := "opt-in PERSON", "Let a person appear as an expert and in recommendations again"
	if out {
		use, short = "opt-out PERSON", "Keep a person out of expert rankings and recommendations"
	}
	cmd := &cobra.Command{
		Use:   use,
		Short: short,
		Long: short + `. Without --experts or
--recommendations, both. Experts: ospo experts and the hub's experts leave the
person out. Recommendations: the person is never recommended to others (as
someone to meet) and gets none. The change is recorded in the audit log as
made by --as (default: the operating system user).`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			st, err := a.store(ctx)
			if err != nil {
				return err
			}
			p, err := st.Person(ctx, args[0])
			if err != nil {
				return notFound("person", args[0], err)
			}
			cur := catalog.OptOut{PersonID: p.ID}
			all, err := st.OptOuts(ctx)
			if err != nil {
				return internalErr(err)
			}
			for _, o := range all {
				if o.PersonID == p.ID {
					cur = o
				}
			}
			both := !experts && !recs
			if both || experts {
				cur.Experts = out
			}
			if both || recs {
				cur.Recommendations = out
			}
			cur.UpdatedAt = time.Now().UTC()
			if err := st.SetOptOut(ctx, cur, a.actor().Entry(auth.ActPersonOptOut, cur.UpdatedAt)); err != nil {
				return classify(err)
			}
			fmt.Fprintf(a.stdout, "%s: experts %s, recommendations %s\n", report.Clean(p.Name), inOut(cur.Experts), inOut(cur.Recommendations))
			return nil
		},
	}
	cmd.Flags().BoolVar(&experts, "experts", false, "only appearing as an expert")
	cmd.Flags().BoolVar(&recs, "recommendations", false, "only recommendations")
	return cmd
}

func inOut(opted bool) string {
	if opted {
		return "opted out"
	}
	return "in"
}

func (a *app) similarCmd() *cobra.Command {
	var format string
	var limit int
	cmd := &cobra.Command{
		Use:   "similar PROJECT",
		Short: "Projects like this one, by the dependencies they share",
		Long: `similar lists the projects most like PROJECT by their direct dependencies:
the cosine similarity of the two sets, each package weighted by its inverse
document frequency (log of projects over projects using it), so a package
every project uses counts little and a rare one much.`,
		Example: "  ospo similar payments-api\n  ospo similar payments-api --format json --limit 5",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			if limit < 0 {
				return usageErr("--limit must not be negative")
			}
			st, err := a.storeFor(ctx, format)
			if err != nil {
				return err
			}
			p, err := st.Project(ctx, args[0])
			if err != nil {
				return notFound("project", args[0], err)
			}
			now := time.Now().UTC()
			m, _, err := a.recommendModel(ctx, st, "", now)
			if err != nil {
				return err
			}
			sim, err := m.Similar(p.ID, limit)
			if err != nil {
				return notFound("project", args[0], err)
			}
			if format == report.FormatJSON {
				return report.JSON(a.stdout, similarReport{Project: p.Name, ProjectID: p.ID, Similar: sim})
			}
			if len(sim) == 0 {
				fmt.Fprintf(a.stdout, "No project shares a dependency with %s.\n", report.Clean(p.Name))
				return nil
			}
			t := report.NewTable(a.stdout, "PROJECT", "SIMILARITY", "SHARED", "WHY")
			for _, s := range sim {
				t.Row(s.Name, strconv.FormatFloat(s.Score, 'f', 2, 64), strconv.Itoa(s.Shared), s.Why)
			}
			return t.Flush()
		},
	}
	addFormat(cmd, &format, report.FormatTable, report.FormatJSON)
	cmd.Flags().IntVar(&limit, "limit", 10, "at most this many projects")
	return cmd
}

// similarReport is what `similar --format json` prints.
type similarReport struct {
	Project   string                     `json:"project"`
	ProjectID int64                      `json:"project_id"`
	Similar   []recommend.SimilarProject `json:"similar"`
}

func (a *app) evalCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "eval",
		Short: "Offline evaluations of ospo's recommenders",
		Args:  cobra.NoArgs,
		RunE:  func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	cmd.AddCommand(a.evalRecommendCmd())
	return cmd
}

func (a *app) evalRecommendCmd() *cobra.Command {
	var format, until string
	var k int
	cmd := &cobra.Command{
		Use:   "recommend",
		Short: "Measure the recommenders on the catalogue's own history",
		Long: `eval recommend splits the catalogue's history at --until (default: one year
before the newest commit): the recommenders learn from the contributions
that started before it, and are judged on what each person took up after it:
the technologies of the projects they first contributed to afterwards that
were new to them, and those projects. It prints recall@K (the share of what
they took up that their K recommendations held) and MRR (mean reciprocal
rank of the first hit in the top 100) for each recommender and for the
popularity and random baselines, and names the recommender that beats
popularity (docs/recommendations.md).`,
		Example: "  ospo eval recommend\n  ospo eval recommend --until 2024-01-01 --format json",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			if k <= 0 {
				return usageErr("--k must be positive")
			}
			st, err := a.storeFor(ctx, format)
			if err != nil {
				return err
			}
			now := time.Now().UTC()
			_, e, err := a.recommendModel(ctx, st, "", now)
			if err != nil {
				return err
			}
			var split time.Time
			if until != "" {
				if split, err = time.Parse("2006-01-02", until); err != nil {
					return usageErr("--until: want a date like 2024-01-31: %v", err)
				}
			} else {
				split = latestCommit(e).AddDate(-1, 0, 0)
			}
			ev, err := recommend.Evaluate(e, recommend.EvalOptions{Until: split, K: k})
			if err != nil {
				return classify(err)
			}
			if format == report.FormatJSON {
				return report.JSON(a.stdout, ev)
			}
			return printEvaluation(a.stdout, ev)
		},
	}
	addFormat(cmd, &format, report.FormatTable, report.FormatJSON)
	cmd.Flags().StringVar(&until, "until", "", "split the history at this date (YYYY-MM-DD; default: a year before the newest commit)")
	cmd.Flags().IntVar(&k, "k", 10, "length of the recommendation lists judged")
	return cmd
}

// latestCommit is the newest commit of the estate; now when there is none.
func latestCommit(e recommend.Estate) time.Time {
	var t time.Time
	for _, p := range e.Projects {
		for _, c := range p.Contributors {
			if c.LastCommit.After(t) {
				t = c.LastCommit
			}
		}
	}
	if t.IsZero() {
		return time.Now().UTC()
	}
	return t
}

func printEvaluation(w io.Writer, ev recommend.Evaluation) error {
	fmt.Fprintf(w, "Split at %s; lists of %d.\n", ev.Until.Format("2006-01-02"), ev.K)
	parts := []struct {
		title   string
		people  int
		taken   int
		what    string
		metrics []recommend.Metric
		best    string
	}{
		{"TECHNOLOGIES", ev.TechnologyPeople, ev.Adoptions, "adoptions", ev.Technologies, ev.BestTechnologies},
		{"PROJECTS", ev.ProjectPeople, ev.Joins, "projects joined", ev.Projects, ev.BestProjects},
	}
	for _, p := range parts {
		fmt.Fprintf(w, "\n%s: %d people judged, %d %s\n", p.title, p.people, p.taken, p.what)
		t := report.NewTable(w, "RECOMMENDER", fmt.Sprintf("RECALL@%d", ev.K), "MRR", "")
		for _, m := range p.metrics {
			note := ""
			if m.Baseline {
				note = "baseline"
			}
			if m.Recommender == p.best {
				note = "best: beats popularity"
				if m.Baseline {
					note = "best: nothing beats popularity"
				}
			}
			t.Row(m.Recommender, strconv.FormatFloat(m.Recall, 'f', 3, 64), strconv.FormatFloat(m.MRR, 'f', 3, 64), note)
		}
		if err := t.Flush(); err != nil {
			return err
		}
	}
	return nil
}
