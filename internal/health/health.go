// Package health computes community health metrics as CHAOSS defines them
// (https://chaoss.community/kb-metrics-and-metrics-models/): weekly series
// of contributors (new, returning, inactive), commits and releases, and over
// a window the contributor absence factor, the elephant factor (with
// organisations from e-mail domains and an affiliation map), commit and
// release frequency, burstiness and, when a forge source provides pull
// requests and issues, time to first response, change request closure
// ratio, review duration and issue age.
//
// It takes catalogue values (contributions with weekly activity, release
// dates, forge items) and returns values; it reads no store and runs no git.
package health

import (
	"math"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/innersource"
)

// Options choose the window and the rules.
type Options struct {
	// Weeks is the window's length; 0 means 52. The window ends with the
	// week (Monday 00:00 UTC) that holds Now.
	Weeks int
	Now   time.Time
	// InactiveWeeks is how long without a commit makes a contributor
	// inactive; 0 means 13 (about 90 days).
	InactiveWeeks int
	// Affiliations maps a lower-cased e-mail or e-mail domain to an
	// organisation, over the domain itself.
	Affiliations map[string]string
}

// Input is what the metrics are computed from: one project's, one team's
// or the estate's.
type Input struct {
	// Contributions must carry their weekly activity; contributions with the
	// same PersonID are one contributor, others are told apart by e-mail.
	Contributions []catalog.Contribution
	// Releases are the dates of releases (tags or forge releases);
	// ReleasesKnown says they were looked for (release frequency is not
	// available otherwise).
	Releases      []time.Time
	ReleasesKnown bool
	// Forge are the pull requests and issues a forge source brought; nil
	// when there is no forge source (the forge metrics are then not
	// available).
	Forge []catalog.ForgeItem
}

// Week is one week of the series.
type Week struct {
	// Week is the Monday 00:00 UTC starting it.
	Week    time.Time `json:"week"`
	Commits int       `json:"commits"`
	// Contributors committed that week; New did for the first time ever,
	// Returning had committed in an earlier week.
	Contributors int `json:"contributors"`
	New          int `json:"new"`
	Returning    int `json:"returning"`
	// Inactive is how many contributors, as of the end of the week, have
	// committed before but not in the last InactiveWeeks weeks.
	Inactive int `json:"inactive"`
	Releases int `json:"releases"`
}

// Metric is one CHAOSS metric over the window.
type Metric struct {
	ID         string `json:"id"`
	Name       string `json:"name"`
	Definition string `json:"definition"`
	// URL is the metric's page in the CHAOSS knowledge base.
	URL   string  `json:"url"`
	Value float64 `json:"value"`
	Unit  string  `json:"unit"`
	// Available is false when the inputs do not allow it (no forge source,
	// no commit in the window); Value is then 0.
	Available bool `json:"available"`
}

// Organisation is one organisation's share of the window's commits.
type Organisation struct {
	Name    string  `json:"name"`
	Commits int     `json:"commits"`
	Share   float64 `json:"share"`
}

// Report is the health of one scope over a window.
type Report struct {
	From time.Time `json:"from"`
	// To is the end of the window (exclusive): the Monday after its last week.
	To            time.Time      `json:"to"`
	Weeks         []Week         `json:"weeks"`
	Metrics       []Metric       `json:"metrics"`
	Organisations []Organisation `json:"organisations"`
	// Contributors is how many people committed in the window.
	Contributors int `json:"contributors"`
	// WentInactive is how many people went inactive within the window
	// (CHAOSS Inactive Contributors over the window): the week
	// InactiveWeeks weeks after the week of their last commit (up to the
	// window's end) is one of the window's weeks.
	WentInactive int `json:"went_inactive"`
}

// Metric IDs.
const (
	MetricNewContributors      = "new-contributors"
	MetricInactiveContributors = "inactive-contributors"
	MetricAbsenceFactor        = "contributor-absence-factor"
	MetricElephantFactor       = "elephant-factor"
	MetricCommitFrequency      = "commit-frequency"
	MetricReleaseFrequency     = "release-frequency"
	MetricBurstiness           = "burstiness"
	MetricFirstResponse        = "time-to-first-response"
	MetricClosureRatio         = "change-request-closure-ratio"
	MetricReviewDuration       = "change-request-review-duration"
	MetricIssueAge             = "issue-age"
)

// definitions name and define each metric as CHAOSS does, with how it is
// computed here.
var definitions = map[string]Metric{
	MetricNewContributors: {Name: "New Contributors", URL: "https://chaoss.community/kb/metric-new-contributors/", Unit: "contributors",
		Definition: "Contributors making their first contribution: people whose first commit to the scope falls in the window."},
	MetricInactiveContributors: {Name: "Inactive Contributors", URL: "https://chaoss.community/kb/metric-inactive-contributors/", Unit: "contributors",
		Definition: "Contributors who have gone inactive: people who committed before but not in the last 13 weeks (about 90 days) of the window."},
	MetricAbsenceFactor: {Name: "Contributor Absence Factor", URL: "https://chaoss.community/kb/metric-contributor-absence-factor/", Unit: "contributors",
		Definition: "The smallest number of contributors whose commits make up 50% of the commits in the window (the bus factor)."},
	MetricElephantFactor: {Name: "Elephant Factor", URL: "https://chaoss.community/kb/metric-elephant-factor/", Unit: "organisations",
		Definition: "The smallest number of organisations whose people made 50% of the commits in the window; an organisation is the affiliation map's entry for the e-mail or its domain, else the e-mail domain, and addresses at public mail providers or forge no-reply domains count as one group, unaffiliated."},
	MetricCommitFrequency: {Name: "Commit Frequency (Code Changes Commits)", URL: "https://chaoss.community/kb/metric-code-changes-commits/", Unit: "commits per week",
		Definition: "The mean number of commits per week in the window (commits reachable from HEAD, by author date)."},
	MetricReleaseFrequency: {Name: "Release Frequency", URL: "https://chaoss.community/kb/metric-release-frequency/", Unit: "releases per 30 days",
		Definition: "How often releases are made: releases (tags, or a forge's releases) in the window per 30 days."},
	MetricBurstiness: {Name: "Burstiness", URL: "https://chaoss.community/kb/metric-burstiness/", Unit: "B (-1 to 1)",
		Definition: "How activity comes in bursts: the Goh–Barabási coefficient B = (σ−μ)/(σ+μ) of the weekly commit counts in the window; −1 is perfectly regular, 0 random (Poisson), near 1 bursty."},
	MetricFirstResponse: {Name: "Time to First Response", URL: "https://chaoss.community/kb/metric-time-to-first-response/", Unit: "hours (median)",
		Definition: "The median time between the opening of a pull request or issue in the window and the first response by someone other than its author (from a forge source)."},
	MetricClosureRatio: {Name: "Change Request Closure Ratio", URL: "https://chaoss.community/kb/metric-change-request-closure-ratio/", Unit: "ratio",
		Definition: "Pull requests closed or merged in the window over pull requests opened in the window (from a forge source)."},
	MetricReviewDuration: {Name: "Change Request Review Duration", URL: "https://chaoss.community/kb/metric-change-request-review-duration/", Unit: "hours (median)",
		Definition: "The median time from the opening of a pull request to its first approving review, for approvals in the window (from a forge source)."},
	MetricIssueAge: {Name: "Issue Age", URL: "https://chaoss.community/kb/metric-issue-age/", Unit: "days (mean)",
		Definition: "The mean age of the issues open at the end of the window (from a forge source)."},
}

// Definitions returns every metric's name, definition and CHAOSS link, in
// report order.
func Definitions() []Metric {
	out := make([]Metric, 0, len(order))
	for _, id := range order {
		m := definitions[id]
		m.ID = id
		out = append(out, m)
	}
	return out
}

var order = []string{MetricNewContributors, MetricInactiveContributors, MetricAbsenceFactor, MetricElephantFactor,
	MetricCommitFrequency, MetricReleaseFrequency, MetricBurstiness,
	MetricFirstResponse, MetricClosureRatio, MetricReviewDuration, MetricIssueAge}

const week = 7 * 24 * time.Hour

// Compute returns the health of in over the window o describes.
func Compute(in Input, o Options) Report {
	return Prepare(in.Contributions).Compute(in, o)
}

// Compute returns the health of in over the window o describes, with p's
// contributors instead of in.Contributions: health.Compute of in with the
// contributions p was prepared from.
// A nil p has no contributors.
func (p *Prepared) Compute(in Input, o Options) Report {
	if p == nil {
		p = &Prepared{}
	}
	if o.Weeks <= 0 {
		o.Weeks = 52
	}
	if o.InactiveWeeks <= 0 {
		o.InactiveWeeks = 13
	}
	last := catalog.WeekOf(o.Now)
	from := last.AddDate(0, 0, -7*(o.Weeks-1))
	r := Report{From: from, To: last.AddDate(0, 0, 7), Weeks: make([]Week, o.Weeks), Organisations: []Organisation{}}
	for i := range r.Weeks {
		r.Weeks[i].Week = from.AddDate(0, 0, 7*i)
	}
	fromN, lastN := weekNumber(from), weekNumber(last)
	span := int32(o.InactiveWeeks)

	// Weekly series and window totals, one person at a time.
	perPerson := map[string]int{}
	perOrg := map[string]int{}
	for i := range p.people {
		c := &p.people[i]
		// The window's weeks with commits: c.weeks[lo:hi].
		lo, _ := slices.BinarySearchFunc(c.weeks, fromN, cmpWeek)
		hi, _ := slices.BinarySearchFunc(c.weeks, lastN+1, cmpWeek)
		n := 0
		for _, w := range c.weeks[lo:hi] {
			wk := &r.Weeks[w.week-fromN]
			wk.Commits += int(w.commits)
			wk.Contributors++
			if c.first == w.week {
				wk.New++
			} else if c.first < w.week {
				wk.Returning++
			}
			n += int(w.commits)
		}
		if n > 0 {
			perPerson[c.key] += n
			perOrg[OrganisationOf(c.email, o.Affiliations)] += n
			r.Contributors++
		}
		// Inactive at week w: committed before (first week at least span
		// weeks back), and no commit in the span weeks up to w.
		if c.first != noWeek && c.first+span <= lastN {
			j, _ := slices.BinarySearchFunc(c.weeks, fromN+1, cmpWeek) // c.weeks[:j] are the weeks up to fromN
			for k := range r.Weeks {
				w := fromN + int32(k)
				for j < len(c.weeks) && c.weeks[j].week <= w {
					j++
				}
				if c.first+span <= w && (j == 0 || c.weeks[j-1].week <= w-span) {
					r.Weeks[k].Inactive++
				}
			}
		}
		// The week of the last commit up to the window's end: inactive from
		// InactiveWeeks weeks later; did that fall in the window?
		if hi > 0 {
			lastCommit := c.weeks[hi-1].week
			if lastCommit+span >= fromN && lastCommit+span <= lastN {
				r.WentInactive++
			}
		}
	}
	for _, t := range in.Releases {
		if i := weekIndex(t, from, o.Weeks); i >= 0 {
			r.Weeks[i].Releases++
		}
	}
	total, newTotal, releases := 0, 0, 0
	for _, w := range r.Weeks {
		total += w.Commits
		newTotal += w.New
		releases += w.Releases
	}
	return summarise(r, in, o, from, perPerson, perOrg, total, newTotal, releases)
}

// summarise completes r, whose weekly series are counted, with the
// organisations' shares and the metrics, from the window's commits per
// person and per organisation and its totals.
func summarise(r Report, in Input, o Options, from time.Time, perPerson, perOrg map[string]int, total, newTotal, releases int) Report {
	for name, n := range perOrg {
		r.Organisations = append(r.Organisations, Organisation{Name: name, Commits: n, Share: float64(n) / float64(total)})
	}
	sort.Slice(r.Organisations, func(i, j int) bool {
		a, b := r.Organisations[i], r.Organisations[j]
		if a.Commits != b.Commits {
			return a.Commits > b.Commits
		}
		return a.Name < b.Name
	})

	metric := func(id string, v float64, ok bool) {
		m := definitions[id]
		m.ID = id
		if ok {
			m.Value, m.Available = v, true
		}
		r.Metrics = append(r.Metrics, m)
	}
	metric(MetricNewContributors, float64(newTotal), true)
	metric(MetricInactiveContributors, float64(r.Weeks[len(r.Weeks)-1].Inactive), true)
	metric(MetricAbsenceFactor, float64(halfFactor(perPerson)), total > 0)
	metric(MetricElephantFactor, float64(halfFactor(perOrg)), total > 0)
	metric(MetricCommitFrequency, float64(total)/float64(o.Weeks), true)
	metric(MetricReleaseFrequency, float64(releases)/(float64(o.Weeks)*7/30), in.ReleasesKnown)
	b, ok := burstiness(r.Weeks)
	metric(MetricBurstiness, b, ok)
	forgeMetrics(in.Forge, from, r.To, metric)
	return r
}

// weekIndex returns the index of t's week in a window of n weeks starting
// at from, or -1.
func weekIndex(t, from time.Time, n int) int {
	d := catalog.WeekOf(t).Sub(from)
	if d < 0 {
		return -1
	}
	i := int(d / week)
	if i >= n {
		return -1
	}
	return i
}

// halfFactor is the smallest number of entries whose counts make at least
// half of the total; 0 for no count.
func halfFactor(counts map[string]int) int {
	var vs []int
	total := 0
	for _, n := range counts {
		vs = append(vs, n)
		total += n
	}
	if total == 0 {
		return 0
	}
	sort.Sort(sort.Reverse(sort.IntSlice(vs)))
	sum := 0
	for i, n := range vs {
		sum += n
		if 2*sum >= total {
			return i + 1
		}
	}
	return len(vs)
}

// burstiness is the Goh–Barabási coefficient of the weekly commit counts.
func burstiness(ws []Week) (float64, bool) {
	n := float64(len(ws))
	var sum float64
	for _, w := range ws {
		sum += float64(w.Commits)
	}
	mean := sum / n
	if mean == 0 {
		return 0, false
	}
	var ss float64
	for _, w := range ws {
		d := float64(w.Commits) - mean
		ss += d * d
	}
	sd := math.Sqrt(ss / n)
	return (sd - mean) / (sd + mean), true
}

// unaffiliated are the mail domains of no organisation.
var unaffiliated = map[string]bool{
	"gmail.com": true, "googlemail.com": true, "hotmail.com": true, "outlook.com": true, "live.com": true,
	"yahoo.com": true, "icloud.com": true, "me.com": true, "mac.com": true, "protonmail.com": true, "proton.me": true,
	"gmx.de": true, "gmx.net": true, "web.de": true, "aol.com": true, "mail.ru": true, "yandex.ru": true,
	"qq.com": true, "163.com": true, "126.com": true, "fastmail.com": true,
	"users.noreply.github.com": true, "noreply.github.com": true, "users.noreply.gitlab.com": true,
}

// Unaffiliated names the group of people at public mail providers.
const Unaffiliated = "(unaffiliated)"

// OrganisationOf returns the organisation of an e-mail: affiliations' entry
// for the address or its domain, else Unaffiliated for a public mail
// provider or forge no-reply address, else the domain itself.
func OrganisationOf(email string, affiliations map[string]string) string {
	email = strings.ToLower(strings.TrimSpace(email))
	if o := affiliations[email]; o != "" {
		return o
	}
	_, domain, ok := strings.Cut(email, "@")
	if !ok || domain == "" {
		return Unaffiliated
	}
	if o := affiliations[domain]; o != "" {
		return o
	}
	if unaffiliated[domain] || strings.HasSuffix(domain, ".noreply.github.com") {
		return Unaffiliated
	}
	return domain
}

// forgeMetrics adds the forge metrics: available only with forge items.
func forgeMetrics(items []catalog.ForgeItem, from, to time.Time, metric func(string, float64, bool)) {
	in := func(t time.Time) bool { return !t.IsZero() && !t.Before(from) && t.Before(to) }
	var responses, reviews []float64
	opened, closed := 0, 0
	var ages []float64
	for _, it := range items {
		switch it.Kind {
		case catalog.ItemPullRequest, catalog.ItemIssue:
		default:
			continue
		}
		if in(it.CreatedAt) && !it.FirstResponseAt.IsZero() {
			responses = append(responses, it.FirstResponseAt.Sub(it.CreatedAt).Hours())
		}
		if it.Kind == catalog.ItemPullRequest {
			if in(it.CreatedAt) {
				opened++
			}
			end := it.MergedAt
			if end.IsZero() {
				end = it.ClosedAt
			}
			if in(end) {
				closed++
			}
			for _, rv := range it.Reviews {
				if strings.EqualFold(rv.State, "approved") {
					if in(rv.SubmittedAt) {
						reviews = append(reviews, rv.SubmittedAt.Sub(it.CreatedAt).Hours())
					}
					break
				}
			}
			continue
		}
		if !it.CreatedAt.IsZero() && it.CreatedAt.Before(to) && (it.ClosedAt.IsZero() || !it.ClosedAt.Before(to)) {
			ages = append(ages, to.Sub(it.CreatedAt).Hours()/24)
		}
	}
	has := items != nil
	metric(MetricFirstResponse, median(responses), has && len(responses) > 0)
	metric(MetricClosureRatio, ratio(closed, opened), has && opened > 0)
	metric(MetricReviewDuration, median(reviews), has && len(reviews) > 0)
	metric(MetricIssueAge, mean(ages), has && len(ages) > 0)
}

func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func mean(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	var s float64
	for _, x := range xs {
		s += x
	}
	return s / float64(len(xs))
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// Metric returns the metric with id of r, or false.
func (r Report) Metric(id string) (Metric, bool) {
	for _, m := range r.Metrics {
		if m.ID == id {
			return m, true
		}
	}
	return Metric{}, false
}

// OwnedBy reports whether team owns p: an owner claim equal to team
// (case-insensitively, "@acme/payments"), or naming the same bare team
// ("payments" matches "@acme/payments" and "group:default/payments").
func OwnedBy(p catalog.Project, team string) bool {
	t := strings.ToLower(strings.TrimSpace(team))
	for _, o := range p.Owners {
		if strings.EqualFold(o.Owner, t) {
			return true
		}
	}
	teams, _ := innersource.Owning(p)
	return teams[strings.TrimPrefix(t, "@")] || teams[bare(t)]
}

// bare is what follows the last "/" or ":" of a team reference.
func bare(t string) string {
	if i := strings.LastIndexAny(t, "/:"); i >= 0 {
		return t[i+1:]
	}
	return t
}

// Affiliations lower-cases the keys of an affiliation map.
func Affiliations(m map[string]string) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[strings.ToLower(strings.TrimSpace(k))] = v
	}
	return out
}
