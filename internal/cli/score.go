package cli

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/ospo-project/ospo/internal/analyze"
	"github.com/ospo-project/ospo/internal/badge"
	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/gate"
	"github.com/ospo-project/ospo/internal/report"
	"github.com/ospo-project/ospo/internal/scorecard"
)

func (a *app) scoreCmd() *cobra.Command {
	var format, coverage string
	cmd := &cobra.Command{
		Use:   "score [PATH|PROJECT]",
		Short: "Rate a project: documentation, licensing, security, tests, observability, maintenance, ownership",
		Long: `score rates a directory on disk (scanned on the fly) or a project of the
catalogue on seven checks, each 0-10 or "not available" (-1 in JSON), and
their weighted mean over the checks that were available. Weights, where
checks apply, exemptions and custom CEL checks come from ospo.yaml
(scorecard:); see docs/scorecards.md.

Coverage is read from a report in the work tree (coverage.out, lcov.info,
cobertura.xml, jacoco.xml …) or from --coverage FILE (Go cover profile,
LCOV, Cobertura XML or JaCoCo XML).

--format json follows OpenSSF Scorecard's JSON (score, checks[{name, score,
reason, details, documentation}]); sarif lists each probe not passing with
its remediation.`,
		Example: "  ospo score .\n  ospo score payments --format json\n  ospo score . --coverage coverage.out --format sarif > score.sarif",
		Args:    cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := report.CheckFormat(format, report.FormatTable, report.FormatJSON, report.FormatSARIF); err != nil {
				return usageErr("%v", err)
			}
			ref := "."
			if len(args) == 1 {
				ref = args[0]
			}
			ctx := cmd.Context()
			an, err := a.analyzer(ctx, pipelineOptions{advisories: true})
			if err != nil {
				return err
			}
			res, err := a.analyze(ctx, an, target{ref: ref, analyses: analyze.Scorecard, coverage: coverage})
			if err != nil {
				return err
			}
			p, card := res.Project, *res.Scorecard
			var hist []catalog.Scorecard
			if p.ID != 0 && a.st != nil {
				hist, _ = a.st.ScoreHistory(ctx, p.ID, 10)
			}
			return a.writeScore(card, hist, format)
		},
	}
	addFormat(cmd, &format, report.FormatTable, report.FormatJSON, report.FormatSARIF)
	cmd.Flags().StringVar(&coverage, "coverage", "", "coverage report: Go cover profile, LCOV, Cobertura or JaCoCo XML")
	return cmd
}

func (a *app) writeScore(c catalog.Scorecard, hist []catalog.Scorecard, format string) error {
	switch format {
	case report.FormatJSON:
		return report.JSON(a.stdout, scorecard.JSON(c, hist, Version))
	case report.FormatSARIF:
		g := gate.Probes(c)
		return report.WriteSARIF(a.stdout, tool(), g.Rules, g.Findings, "README.md")
	}
	fmt.Fprint(a.stdout, report.Cleanf("%s: %s / 10 (%.0f%% of the checks' weight available)\n\n", c.Project, report.ScoreText(c.Score), 100*c.Availability))
	t := report.NewTable(a.stdout, "CHECK", "SCORE", "WEIGHT", "REASON")
	for _, ch := range c.Checks {
		s := report.ScoreText(float64(ch.Score))
		if ch.Score >= 0 {
			s = fmt.Sprintf("%d", ch.Score)
		}
		reason := ch.Reason
		if e := ch.Exemption; e != nil {
			if e.Expired {
				reason += fmt.Sprintf(" [exemption EXPIRED %s: %s]", e.Expires.Format(time.DateOnly), e.Reason)
			} else {
				s += " (exempt)"
				reason = "exempt: " + e.Reason + " (approved by " + e.ApprovedBy + ")"
			}
		}
		t.Row(ch.Name, s, fmt.Sprintf("%g", ch.Weight), reason)
	}
	if err := t.Flush(); err != nil {
		return err
	}
	var todo []string
	for _, ch := range c.Checks {
		if ch.Exemption != nil && !ch.Exemption.Expired {
			continue
		}
		for _, f := range ch.Findings {
			if f.Remediation != "" {
				todo = append(todo, "  "+report.Cleanf("%s/%s: %s", ch.Name, f.Probe, f.Remediation))
			}
		}
	}
	if len(todo) > 0 {
		fmt.Fprintln(a.stdout, "\nTo improve:")
		fmt.Fprintln(a.stdout, strings.Join(todo, "\n"))
	}
	if len(hist) > 1 {
		var pts []string
		for i := len(hist) - 1; i >= 0; i-- {
			pts = append(pts, report.ScoreText(hist[i].Score))
		}
		fmt.Fprintf(a.stdout, "\nTrend (oldest first): %s\n", strings.Join(pts, " → "))
	}
	return nil
}

func (a *app) scoresCmd() *cobra.Command {
	var format, sortBy string
	var best bool
	cmd := &cobra.Command{
		Use:   "scores",
		Short: "Rank the estate by the scores stored at the last scan",
		Long: `scores lists every project's latest stored scorecard (each scan stores
one). --sort score ranks worst first (--best for best first); --sort name
orders by name.`,
		Example: "  ospo scores --sort score\n  ospo scores --format json",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := report.CheckFormat(format, report.FormatTable, report.FormatJSON); err != nil {
				return usageErr("%v", err)
			}
			if sortBy != "score" && sortBy != "name" {
				return usageErr("--sort: want score or name")
			}
			st, err := a.store(cmd.Context())
			if err != nil {
				return err
			}
			cards, err := st.LatestScores(cmd.Context())
			if err != nil {
				return internalErr(err)
			}
			if sortBy == "score" {
				sort.SliceStable(cards, func(i, j int) bool {
					if best {
						return cards[i].Score > cards[j].Score
					}
					return cards[i].Score < cards[j].Score
				})
			}
			return a.writeScores(cards, format)
		},
	}
	addFormat(cmd, &format, report.FormatTable, report.FormatJSON)
	cmd.Flags().StringVar(&sortBy, "sort", "score", "order: score (worst first) or name")
	cmd.Flags().BoolVar(&best, "best", false, "with --sort score, best first")
	return cmd
}

func (a *app) writeScores(cards []catalog.Scorecard, format string) error {
	if format == report.FormatJSON {
		type row struct {
			Project      string         `json:"project"`
			Key          string         `json:"key"`
			Score        float64        `json:"score"`
			Availability float64        `json:"availability"`
			ScoredAt     time.Time      `json:"scored_at"`
			Checks       map[string]int `json:"checks"`
		}
		out := []row{}
		for _, c := range cards {
			r := row{c.Project, c.Key, c.Score, c.Availability, c.ScoredAt, map[string]int{}}
			for _, ch := range c.Checks {
				r.Checks[ch.Name] = ch.Score
			}
			out = append(out, r)
		}
		return report.JSON(a.stdout, out)
	}
	if len(cards) == 0 {
		fmt.Fprintln(a.stdout, "no scores stored yet: run ospo scan")
		return nil
	}
	head := []string{"PROJECT", "SCORE", "AVAILABLE"}
	for _, n := range scorecard.Checks {
		head = append(head, strings.ToUpper(n[:min(4, len(n))]))
	}
	t := report.NewTable(a.stdout, head...)
	for _, c := range cards {
		by := map[string]int{}
		exempt := map[string]bool{}
		for _, ch := range c.Checks {
			by[ch.Name] = ch.Score
			exempt[ch.Name] = ch.Exemption != nil && !ch.Exemption.Expired
		}
		row := []string{c.Project, report.ScoreText(c.Score), fmt.Sprintf("%.0f%%", 100*c.Availability)}
		for _, n := range scorecard.Checks {
			v, ok := by[n]
			switch {
			case !ok:
				row = append(row, "-") // not applicable
			case exempt[n]:
				row = append(row, "ex")
			case v < 0:
				row = append(row, "n/a")
			default:
				row = append(row, fmt.Sprint(v))
			}
		}
		t.Row(row...)
	}
	return t.Flush()
}

func (a *app) badgeCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:     "badge PROJECT",
		Short:   "Print a shields-style SVG badge of a project's score",
		Example: "  ospo badge payments > badge.svg",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			st, err := a.store(ctx)
			if err != nil {
				return err
			}
			p, err := st.Project(ctx, args[0])
			if err != nil {
				return notFound("project", args[0], err)
			}
			hist, err := st.ScoreHistory(ctx, p.ID, 1)
			if err != nil {
				return internalErr(err)
			}
			var card catalog.Scorecard
			if len(hist) == 1 {
				card = hist[0]
			} else {
				an, err := a.analyzer(ctx, pipelineOptions{advisories: true})
				if err != nil {
					return err
				}
				res, err := an.Stored(ctx, p, analyze.Scorecard, "")
				if err != nil {
					return classify(err)
				}
				card = *res.Scorecard
			}
			_, err = io.WriteString(a.stdout, badge.Score("ospo score", card.Score))
			return err
		},
	}
	return cmd
}
