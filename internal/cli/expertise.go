package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/expertise"
	"github.com/ospo-project/ospo/internal/hub/estate"
	"github.com/ospo-project/ospo/internal/query"
	"github.com/ospo-project/ospo/internal/report"
	"github.com/ospo-project/ospo/internal/store"
)

func (a *app) truckFactorCmd() *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "truck-factor PROJECT",
		Short: "How many people would have to leave before most of a project's code has nobody who knows it",
		Long: `truck-factor shows the truck factor of a project of the catalogue: the number
of people who would have to leave before more than half of its files have no
author left (Avelino et al.'s algorithm, ICPC 2016), with those key people,
CHAOSS' contributor absence factor (the fewest people behind half of the
commits) and the authors of its code.

A person authors a file when their degree of authorship (Fritz et al.: who
created it, how often they changed it, how often others did) is high enough;
vendored files and bots do not count. People who opted out of appearing as
experts (ospo recommend opt-out --experts) are not named; the figures stay.
See docs/expertise.md.`,
		Example: "  ospo truck-factor payments-api\n  ospo truck-factor github.com/acme/payments-api --format json",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			st, err := a.storeFor(cmd.Context(), format)
			if err != nil {
				return err
			}
			p, err := st.Project(cmd.Context(), args[0])
			if err != nil {
				return notFound("project", args[0], err)
			}
			// People who opted out of appearing as experts are not named.
			h, err := hiddenExperts(cmd.Context(), st)
			if err != nil {
				return internalErr(err)
			}
			rep := truckFactorReport{Project: p.Name, ProjectKey: p.Key, Expertise: expertise.Redact(p.Expertise, h)}
			if format == report.FormatJSON {
				return report.JSON(a.stdout, rep)
			}
			return printTruckFactor(a.stdout, rep)
		},
	}
	addFormat(cmd, &format, report.FormatTable, report.FormatJSON)
	return cmd
}

// truckFactorReport is what `truck-factor --format json` prints; Expertise
// is null when the project's history could not be read.
type truckFactorReport struct {
	Project    string             `json:"project"`
	ProjectKey string             `json:"project_key"`
	Expertise  *catalog.Expertise `json:"expertise"`
}

func printTruckFactor(w io.Writer, r truckFactorReport) error {
	e := r.Expertise
	if e == nil {
		fmt.Fprintf(w, "%s: no expertise is known (its history could not be read, or it was scanned by an older ospo: rescan it).\n", report.Clean(r.Project))
		return nil
	}
	if e.Files == 0 {
		fmt.Fprintf(w, "%s: no file has an author (no history of files at HEAD).\n", report.Clean(r.Project))
		return nil
	}
	var key []string
	for _, k := range e.KeyPeople {
		key = append(key, k.Name)
	}
	report.KV(w,
		"Project", r.Project,
		"Truck factor", strconv.Itoa(e.TruckFactor),
		"Key people", strings.Join(key, ", "),
		"Absence factor", strconv.Itoa(e.AbsenceFactor),
		"Files judged", strconv.Itoa(e.Files),
	)
	fmt.Fprintln(w)
	t := report.NewTable(w, "AUTHOR", "EMAIL", "FILES", "SHARE", "LAST CHANGE")
	for _, au := range e.Authors {
		t.Row(au.Name, au.Email, strconv.Itoa(au.Files), percent(au.Share), dateOr(au.LastChange))
	}
	if err := t.Flush(); err != nil {
		return err
	}
	if len(e.Dirs) > 0 {
		fmt.Fprintln(w)
		t := report.NewTable(w, "DIRECTORY", "FILES", "MAIN AUTHORS")
		for i, d := range e.Dirs {
			if i == 20 {
				break
			}
			var names []string
			for _, au := range d.Authors {
				names = append(names, fmt.Sprintf("%s (%s)", au.Name, percent(au.Share)))
			}
			dir := d.Dir
			if dir == "" {
				dir = "(root)"
			}
			t.Row(dir, strconv.Itoa(d.Files), strings.Join(names, ", "))
		}
		return t.Flush()
	}
	return nil
}

func (a *app) expertsCmd() *cobra.Command {
	var format, ecosystem string
	var limit int
	cmd := &cobra.Command{
		Use:   "experts PACKAGE|LANGUAGE|PROJECT",
		Short: "Who knows a package, a language or a project, with the evidence",
		Long: `experts ranks the people who know something by their authorship of the code
of the projects concerned: for a package (a package URL, or a name with
--ecosystem as in who-uses), the projects that depend on it; for a language,
the projects written in it; for a project, the project itself.

A person's score sums their share of each project's files (degree of
authorship, see truck-factor), halved for each year since their last change
there, so the people who wrote the code recently come first. Where a forge
source (GitHub, GitLab) brought a project's pull requests, a person's share of
their reviews counts half as much, decayed alike: reviewers who wrote none of
the code are experts too (logins matched to people as events.logins, Backstage
users and GitHub no-reply addresses say). Each line shows the evidence: in
which projects, how many files, when last changed, how many reviews. People
who opted out of appearing as experts are left out.`,
		Example: "  ospo experts 'pkg:golang/github.com/gin-gonic/gin'\n  ospo experts Go\n  ospo experts payments-api --format json",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if limit < 0 {
				return usageErr("--limit must not be negative")
			}
			ctx := cmd.Context()
			st, err := a.storeFor(ctx, format)
			if err != nil {
				return err
			}
			projects, what, err := expertProjects(ctx, st, args[0], ecosystem)
			if err != nil {
				return err
			}
			ids := make([]int64, len(projects))
			for i, p := range projects {
				ids[i] = p.ID
			}
			byProject, err := st.ProjectAuthors(ctx, ids, 0)
			if err != nil {
				return internalErr(err)
			}
			// Reviews of their pull requests count too, where a forge
			// source brought them.
			reviewers, err := a.reviewers(ctx, st, ids)
			if err != nil {
				return err
			}
			in := make([]expertise.ProjectAuthors, 0, len(projects))
			for _, p := range projects {
				in = append(in, expertise.ProjectAuthors{ID: p.ID, Name: p.Name, Authors: byProject[p.ID], Reviewers: reviewers[p.ID]})
			}
			// People who opted out of appearing as experts are left out.
			hidden, err := hiddenExperts(ctx, st)
			if err != nil {
				return internalErr(err)
			}
			ranked := slices.DeleteFunc(expertise.Rank(in, time.Now().UTC(), 0), func(x catalog.Expert) bool {
				return hidden.Hides(x.Identity, x.PersonID)
			})
			if limit > 0 && len(ranked) > limit {
				ranked = ranked[:limit]
			}
			rep := expertsReport{Subject: args[0], Kind: what, Projects: len(projects), Experts: ranked}
			if format == report.FormatJSON {
				return report.JSON(a.stdout, rep)
			}
			return printExperts(a.stdout, rep)
		},
	}
	addFormat(cmd, &format, report.FormatTable, report.FormatJSON)
	cmd.Flags().StringVar(&ecosystem, "ecosystem", "", "for a package name: only this ecosystem (npm, Maven, PyPI, Go…)")
	cmd.Flags().IntVar(&limit, "limit", 10, "list at most this many people (0: all)")
	return cmd
}

// reviewers reads the reviewers of the projects of ids that a forge source
// brought pull requests of (see estate.ReadReviewers).
func (a *app) reviewers(ctx context.Context, st store.Store, ids []int64) (map[int64][]expertise.Reviewer, error) {
	cfg, err := a.config()
	if err != nil {
		return nil, err
	}
	all, err := st.ListProjects(ctx, store.ProjectFilter{})
	if err != nil {
		return nil, internalErr(err)
	}
	want := map[int64]bool{}
	for _, id := range ids {
		want[id] = true
	}
	keys := map[string]int64{}
	for _, p := range all {
		if want[p.ID] {
			keys[p.Key] = p.ID
		}
	}
	people, err := st.ListPeople(ctx, store.PersonFilter{})
	if err != nil {
		return nil, internalErr(err)
	}
	out, err := estate.ReadReviewers(ctx, st, keys, people, cfg.Events.Logins)
	if err != nil {
		return nil, internalErr(err)
	}
	return out, nil
}

// hiddenExperts returns the people who opted out of appearing as experts,
// with the e-mails of their identities.
func hiddenExperts(ctx context.Context, st store.Store) (expertise.Hidden, error) {
	opts, err := st.OptOuts(ctx)
	if err != nil {
		return expertise.Hidden{}, err
	}
	var ferr error
	h := expertise.HiddenOf(opts, func(id string) []string {
		p, err := st.Person(ctx, id)
		if err != nil {
			if !errors.Is(err, store.ErrNotFound) {
				ferr = err
			}
			return nil
		}
		out := []string{p.Email}
		for _, i := range p.Identities {
			out = append(out, i.Email)
		}
		return out
	})
	return h, ferr
}

// expertsReport is what `experts --format json` prints.
type expertsReport struct {
	Subject  string           `json:"subject"`
	Kind     string           `json:"kind"` // package, language or project
	Projects int              `json:"projects"`
	Experts  []catalog.Expert `json:"experts"`
}

// expertProjects returns the projects whose code the experts of ref know,
// and what ref named: a package in use, a language, or a project. A
// package URL is a package; otherwise a project of that name or key comes
// first, then a package of that name, then a language.
func expertProjects(ctx context.Context, st store.Store, ref, ecosystem string) ([]projectRef, string, error) {
	pkg, _ := query.SplitPURL(ref)
	if !strings.HasPrefix(pkg, "pkg:") && ecosystem == "" {
		p, err := st.Project(ctx, ref)
		switch {
		case err == nil:
			return []projectRef{{ID: p.ID, Name: p.Name}}, "project", nil
		case !errors.Is(err, store.ErrNotFound):
			return nil, "", internalErr(err)
		}
	}
	uses, err := st.PackageProjects(ctx, store.UsageFilter{Package: pkg, Ecosystem: ecosystem})
	if err != nil {
		return nil, "", classify(err)
	}
	if len(uses) > 0 {
		out := make([]projectRef, len(uses))
		for i, u := range uses {
			out[i] = projectRef{ID: u.ProjectID, Name: u.Project}
		}
		return out, "package", nil
	}
	if !strings.HasPrefix(pkg, "pkg:") && ecosystem == "" {
		ps, err := st.ListProjects(ctx, store.ProjectFilter{Language: ref})
		if err != nil {
			return nil, "", classify(err)
		}
		if len(ps) > 0 {
			out := make([]projectRef, len(ps))
			for i, p := range ps {
				out[i] = projectRef{ID: p.ID, Name: p.Name}
			}
			return out, "language", nil
		}
	}
	return nil, "", notFound("project, package or language", ref, store.ErrNotFound)
}

func printExperts(w io.Writer, r expertsReport) error {
	if len(r.Experts) == 0 {
		fmt.Fprintf(w, "Nobody is known to author the code of the %d projects using %s (rescan them to compute authorship).\n", r.Projects, report.Clean(r.Subject))
		return nil
	}
	t := report.NewTable(w, "PERSON", "EMAIL", "SCORE", "EVIDENCE")
	for _, e := range r.Experts {
		var ev []string
		for i, x := range e.Evidence {
			if i == 3 {
				ev = append(ev, fmt.Sprintf("+%d more", len(e.Evidence)-i))
				break
			}
			var s string
			if x.Files > 0 {
				s = fmt.Sprintf("%s of %s (last %s)", percent(x.Share), x.Project, dateOr(x.LastChange))
			}
			if x.Reviews > 0 {
				if s == "" {
					s = x.Project + ": "
				} else {
					s += ", "
				}
				s += fmt.Sprintf("%d review%s (last %s)", x.Reviews, map[bool]string{true: "s"}[x.Reviews != 1], dateOr(x.LastReview))
			}
			ev = append(ev, s)
		}
		t.Row(e.Name, e.Email, strconv.FormatFloat(e.Score, 'f', 2, 64), strings.Join(ev, "; "))
	}
	if err := t.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(w, "%d people over %d projects (%s %s).\n", len(r.Experts), r.Projects, r.Kind, report.Clean(r.Subject))
	return nil
}

func percent(f float64) string { return strconv.Itoa(int(f*100+0.5)) + "%" }

func dateOr(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.Format("2006-01-02")
}

// projectRef names a project whose authors count for experts.
type projectRef struct {
	ID   int64
	Name string
}
