// Package estate is the hub's query service over the estate: it builds a
// snapshot of the whole catalogue from the store (the overview, sorted and
// filtered project lists, scores, exposure, search) and answers the hub's
// questions from it, joining store queries for the technology, person and
// team views. Pages (hub/web) and the REST API (hub/api) render the same
// values, so what a page shows the API returns.
//
// A Catalog is safe for concurrent use. It only reads the store.
package estate

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/events"
	"github.com/ospo-project/ospo/internal/expertise"
	"github.com/ospo-project/ospo/internal/governance"
	"github.com/ospo-project/ospo/internal/inbox"
	"github.com/ospo-project/ospo/internal/innersource"
	"github.com/ospo-project/ospo/internal/license"
	"github.com/ospo-project/ospo/internal/openbadge"
	"github.com/ospo-project/ospo/internal/recommend"
	"github.com/ospo-project/ospo/internal/store"
	"github.com/ospo-project/ospo/internal/vuln"
)

// ErrInvalid is returned (wrapped, with a message safe to show) when a
// query's parameters are malformed: an unknown sort key, a bad kind.
// It is a catalog.ErrInvalid.
var ErrInvalid = catalog.Kind("invalid request", catalog.ErrInvalid)

// Catalog answers the hub's questions from a store. The estate snapshot
// (counts, teams, the unfiltered project list) is computed at most once per
// TTL and shared by every request in between.
type Catalog struct {
	st  store.Store
	ttl time.Duration
	now func() time.Time

	ignores    []vuln.Ignore
	classifier license.Classifier
	showPaths  bool              // see SetShowPaths
	issuer     *openbadge.Issuer // see SetBadgeIssuer
	// extraProviders are the inbox providers of other packages (see
	// SetInboxProviders).
	extraProviders []inbox.Provider
	govPolicies    governance.Policies // see SetGovernancePolicies

	affiliations map[string]string // see SetAffiliations
	healthMu     sync.Mutex
	healthCache  map[string]*HealthView // the estate's health, see EstateHealth
	depsMu       sync.Mutex
	deps         *teamDeps                // see depsKey
	board        memo[events.Leaderboard] // see Leaderboard
	cards        memo[[]innersource.Card] // see InnerSource

	mu         sync.Mutex
	snap       *Snapshot
	checked    time.Time // when snap was last found current: built, or the store's generation unchanged
	rebuilding bool      // a background refresh of snap is under way

	inboxCache inboxCache     // people's derived inbox items, see Inbox
	resPages   *resourcePages // see SetResourcePages
	docs       docSets        // see ProjectDocs

	resources     []recommend.Resource
	model         *recommend.Model // see Recommender
	modelFor      *Snapshot        // the snapshot model was built after
	modelBuilding bool
	inputs        *InputCache // what the last model build read, see buildModel
	loginsMu      sync.Mutex
	logins        map[string]string // see SetLogins
}

// SetLogins sets the OSPO's map of forge logins to e-mails (ospo.yaml
// events.logins), by which reviewers are matched to people first.
func (c *Catalog) SetLogins(m map[string]string) {
	c.loginsMu.Lock()
	defer c.loginsMu.Unlock()
	c.logins = m
}

// maxSnapshotAge is how old a snapshot may grow while the store does not
// change: it also depends on the clock (ignore rules expire), so it is
// rebuilt at least this often.
const maxSnapshotAge = 10 * time.Minute

// New returns a Catalog over st whose estate snapshot is at most ttl old;
// ttl 0 rebuilds it on every request.
func New(st store.Store, ttl time.Duration) *Catalog {
	return &Catalog{st: st, ttl: ttl, now: time.Now}
}

// Now returns the Catalog's clock's time.
func (c *Catalog) Now() time.Time { return c.now() }

// Store returns the store the Catalog reads.
func (c *Catalog) Store() store.Store { return c.st }

// Page is one page of a longer list. Total is -1 when it is unknown
// (counting would cost a full scan); More reports whether a next page exists.
type Page[T any] struct {
	Items  []T  `json:"items"`
	Limit  int  `json:"limit"`
	Offset int  `json:"offset"`
	Total  int  `json:"total"`
	More   bool `json:"more"`
}

// Paging is a page request: Limit is clamped to [1, MaxLimit] (0 means
// DefaultLimit), a negative Offset is an error.
type Paging struct {
	Limit, Offset int
}

// Page sizes.
const (
	DefaultLimit = 50
	MaxLimit     = 500
)

// Normalize returns p with its limit clamped; it fails on a negative value.
func (p Paging) Normalize() (Paging, error) {
	if p.Limit < 0 || p.Offset < 0 {
		return p, fmt.Errorf("%w: limit and offset must not be negative", ErrInvalid)
	}
	if p.Limit == 0 {
		p.Limit = DefaultLimit
	}
	p.Limit = min(p.Limit, MaxLimit)
	return p, nil
}

// PageOf returns the page of all that p (normalised) selects, with its total.
func PageOf[T any](all []T, p Paging) Page[T] {
	start := min(p.Offset, len(all))
	end := min(start+p.Limit, len(all))
	items := all[start:end]
	if items == nil {
		items = []T{}
	}
	return Page[T]{Items: items, Limit: p.Limit, Offset: p.Offset, Total: len(all), More: end < len(all)}
}

// Month is a count for one calendar month (its first day, UTC).
type Month struct {
	Month time.Time `json:"month"`
	Count int       `json:"count"`
}

// Team is an owner named by CODEOWNERS, catalog-info.yaml or innersource.json
// ("@org/team", "group:payments", an email), with how many projects it owns.
type Team struct {
	Owner    string `json:"owner"`
	Projects int    `json:"projects"`
}

// Snapshot is the overview of the whole catalogue.
type Snapshot struct {
	Projects int `json:"projects"`
	People   int `json:"people"`
	Packages int `json:"packages"`
	// Languages are the most used languages, most projects first (top 12).
	Languages []catalog.Technology `json:"languages"`
	// Activity counts projects by the month of their HEAD commit, over the
	// last 24 months with any.
	Activity []Month `json:"activity"`
	// Recent are the projects whose HEAD moved last (top 10).
	Recent []catalog.Project `json:"recent"`
	// WithProblems are projects with scan problems, most problems first (top 20).
	WithProblems  []catalog.Project `json:"with_problems"`
	ProblemsTotal int               `json:"problems_total"`
	Teams         []Team            `json:"teams"`
	LastScan      *catalog.ScanRun  `json:"last_scan,omitempty"`
	// LicenseCategories count dependency uses by licence category (see
	// the licence summary), most first.
	LicenseCategories []catalog.LicenseCount `json:"license_categories"`
	// Vulnerabilities count the findings of the stored advisories against
	// every project's dependencies, by severity.
	Vulnerabilities SeverityCounts `json:"vulnerabilities"`
	// Scores count the projects' latest scores by band.
	Scores  ScoreDistribution `json:"scores"`
	BuiltAt time.Time         `json:"built_at"`

	all      []catalog.Project    // every project, by name
	sorted   map[string][]int32   // indexes in all, by "updated" and "commits"
	people   []catalog.Person     // every human, most commits first
	techs    []catalog.Technology // every package and language, most used first
	licenses *catalog.LicenseSummary
	exposure []vuln.Exposure // projects with findings, worst first, counted
	// exposureAt is the index in exposure of each project with findings, by ID.
	exposureAt map[int64]int
	// published is when each advisory in use was published, by ID.
	published map[string]time.Time
	scores    map[int64]float64 // latest score by project ID
	// licenseCats is the category of each project's own licence, by ID.
	licenseCats map[int64]string
	// vulnerable holds the IDs of the projects with unsuppressed findings.
	vulnerable map[int64]bool
	text       *searchText // what text search matches
	// checkouts are where each project was scanned, by ID, for reading
	// its documentation (paths are redacted from the projects).
	checkouts map[int64]checkout
	langOnce  sync.Once
	claimOnce sync.Once
	byClaim   map[string][]int32 // projects by ownership claim key, see claimIndex
	mainLang  map[string]string  // each project's main language by key, see mainLanguages
	// generation is the store's generation when the snapshot was built.
	generation int64

	indexOnce sync.Once
	byID      map[int64]*catalog.Project     // e.all by ID
	humans    map[string]*catalog.Person     // e.people by ID
	packages  map[string]*catalog.Technology // the packages of e.techs by ID
	workers   map[int64][]worker             // the people who worked on each project, by project ID
	// authors holds each project's main authors (at most maxAuthors), by
	// project ID, for authorship-ranked experts.
	authors map[int64][]catalog.Author
	// reviewers are each project's reviewers, for projects a forge source
	// brought pull requests of (see ReadReviewers).
	reviewers map[int64][]expertise.Reviewer
	ranking   []ScoreRank // latest scores, best first
}

// Snapshot returns the estate snapshot. The first call builds it; once it is
// older than the TTL, the next call starts refreshing it in the background
// and every call until that is done gets the previous one, so no request
// waits for a rebuild (with a TTL of 0 every call rebuilds it). A refresh
// first asks the store for its generation: if nothing was written since
// the snapshot was built (and it is younger than maxSnapshotAge), the
// snapshot is kept as it is, which on a large estate saves seconds of work
// every TTL.
func (c *Catalog) Snapshot(ctx context.Context) (*Snapshot, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.snap != nil && c.now().Sub(c.checked) < c.ttl {
		return c.snap, nil
	}
	if c.snap != nil && c.ttl > 0 {
		if !c.rebuilding {
			c.rebuilding = true
			go c.refresh(context.WithoutCancel(ctx), c.snap)
		}
		return c.snap, nil
	}
	e, err := c.buildEstate(ctx)
	if err != nil {
		return nil, err
	}
	c.snap, c.checked = e, c.now()
	return e, nil
}

// refresh keeps old if the store has not changed since it was built, else
// replaces it with a new snapshot; on failure old is kept, and the next
// call after the TTL tries again.
func (c *Catalog) refresh(ctx context.Context, old *Snapshot) {
	if gen, err := c.st.Generation(ctx); err == nil && gen == old.generation && c.now().Sub(old.BuiltAt) < maxSnapshotAge {
		c.mu.Lock()
		c.checked, c.rebuilding = c.now(), false
		c.mu.Unlock()
		return
	}
	e, err := c.buildEstate(ctx)
	c.mu.Lock()
	defer c.mu.Unlock()
	c.rebuilding = false
	if err != nil {
		return
	}
	c.snap, c.checked = e, c.now()
}

func (c *Catalog) buildEstate(ctx context.Context) (*Snapshot, error) {
	// The generation first: a write during the build leaves the snapshot
	// with an older generation than the store's, so the next refresh
	// rebuilds it.
	gen, err := c.st.Generation(ctx)
	if err != nil {
		return nil, err
	}
	all, err := c.st.ListProjects(ctx, store.ProjectFilter{})
	if err != nil {
		return nil, err
	}
	checkouts := make(map[int64]checkout, len(all))
	for i := range all {
		p := &all[i]
		checkouts[p.ID] = checkout{path: p.Path, commit: p.HeadCommit}
		c.redactPaths(p)
	}
	people, err := c.st.ListPeople(ctx, store.PersonFilter{})
	if err != nil {
		return nil, err
	}
	langs, err := c.st.Technologies(ctx, store.TechnologyFilter{Kind: "language", Limit: 12})
	if err != nil {
		return nil, err
	}
	techs, err := c.st.Technologies(ctx, store.TechnologyFilter{})
	if err != nil {
		return nil, err
	}
	pkgs := 0
	for _, t := range techs {
		if t.Kind == "package" {
			pkgs++
		}
	}
	last, err := c.st.LastScan(ctx)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return nil, err
	}
	c.redactScan(last)
	e := &Snapshot{checkouts: checkouts, Projects: len(all), People: len(people), Packages: pkgs, Languages: langs,
		LastScan: last, BuiltAt: c.now(), generation: gen, all: all, people: people, techs: techs, sorted: map[string][]int32{}}
	for _, by := range []string{"updated", "commits"} {
		e.sorted[by] = make([]int32, len(all))
		for i := range all {
			e.sorted[by][i] = int32(i)
		}
		e.sortProjects(e.sorted[by], by)
	}
	if e.Languages == nil {
		e.Languages = []catalog.Technology{}
	}
	ids := make([]int64, len(all))
	for i := range all {
		ids[i] = all[i].ID
	}
	if e.authors, err = c.st.ProjectAuthors(ctx, ids, maxAuthors); err != nil {
		return nil, err
	}
	keys := make(map[string]int64, len(all))
	for i := range all {
		keys[all[i].Key] = all[i].ID
	}
	c.loginsMu.Lock() // not c.mu: Snapshot holds it while it builds
	logins := c.logins
	c.loginsMu.Unlock()
	if e.reviewers, err = ReadReviewers(ctx, c.st, keys, people, logins); err != nil {
		return nil, err
	}
	e.text = newSearchText(e)
	e.indexOnce.Do(e.index) // here, in the background, rather than in the first request to need it
	if err := c.estateRisk(ctx, e); err != nil {
		return nil, err
	}
	if err := c.estateScores(ctx, e); err != nil {
		return nil, err
	}

	months := map[time.Time]int{}
	teams := map[string]int{}
	for _, p := range all {
		if !p.HeadDate.IsZero() {
			h := p.HeadDate.UTC()
			months[time.Date(h.Year(), h.Month(), 1, 0, 0, 0, 0, time.UTC)]++
		}
		e.ProblemsTotal += len(p.Problems)
		seen := map[string]bool{}
		for _, o := range p.Owners {
			if !seen[o.Owner] {
				seen[o.Owner] = true
				teams[o.Owner]++
			}
		}
	}
	for m, n := range months {
		e.Activity = append(e.Activity, Month{m, n})
	}
	slices.SortFunc(e.Activity, func(a, b Month) int { return a.Month.Compare(b.Month) })
	if len(e.Activity) > 24 {
		e.Activity = e.Activity[len(e.Activity)-24:]
	}
	for o, n := range teams {
		e.Teams = append(e.Teams, Team{o, n})
	}
	slices.SortFunc(e.Teams, func(a, b Team) int { return cmp.Or(b.Projects-a.Projects, strings.Compare(a.Owner, b.Owner)) })

	e.Recent = []catalog.Project{}
	for _, i := range e.sorted["updated"][:min(10, len(all))] {
		e.Recent = append(e.Recent, all[i])
	}
	for _, p := range all {
		if len(p.Problems) > 0 {
			e.WithProblems = append(e.WithProblems, p)
		}
	}
	slices.SortStableFunc(e.WithProblems, func(a, b catalog.Project) int { return len(b.Problems) - len(a.Problems) })
	e.WithProblems = e.WithProblems[:min(20, len(e.WithProblems))]
	if e.Activity == nil {
		e.Activity = []Month{}
	}
	if e.Teams == nil {
		e.Teams = []Team{}
	}
	if e.WithProblems == nil {
		e.WithProblems = []catalog.Project{}
	}
	return e, nil
}

// ProjectQuery selects, orders and pages projects.
type ProjectQuery struct {
	Query, Language, Owner string
	// Band keeps the projects whose latest score is in this band (see
	// ScoreBands; "none" for not available); "" keeps all.
	Band string
	// License keeps the projects whose own licence is in this category
	// (license.Categories: permissive, weak-copyleft…, unknown).
	License string
	// Kind keeps the projects of this kind: internal, innersource or
	// opensource.
	Kind string
	// Vulnerable keeps the projects with at least one unsuppressed
	// vulnerability finding.
	Vulnerable bool
	// Sort is "name" (default), "updated" (HEAD date, newest first) or
	// "commits" (most first).
	Sort string
	Paging
}

// ParseProjectQuery reads a ProjectQuery (without paging) from URL query
// parameters: q, language, owner, band, license, kind, vulnerable (true,
// 1, yes or on; false, 0, no, off or empty) and sort. The values are
// checked by Projects.
func ParseProjectQuery(v url.Values) (ProjectQuery, error) {
	q := ProjectQuery{Query: v.Get("q"), Language: v.Get("language"), Owner: v.Get("owner"), Band: v.Get("band"),
		License: v.Get("license"), Kind: v.Get("kind"), Sort: v.Get("sort")}
	switch strings.ToLower(strings.TrimSpace(v.Get("vulnerable"))) {
	case "", "false", "0", "no", "off":
	case "true", "1", "yes", "on":
		q.Vulnerable = true
	default:
		return q, fmt.Errorf("%w: vulnerable must be true or false", ErrInvalid)
	}
	return q, nil
}

// Sorts are the accepted ProjectQuery.Sort values.
var Sorts = []string{"name", "updated", "commits"}

// Projects returns one page of the projects q selects.
func (c *Catalog) Projects(ctx context.Context, q ProjectQuery) (Page[catalog.Project], error) {
	var zero Page[catalog.Project]
	if q.Sort == "" {
		q.Sort = "name"
	}
	if !slices.Contains(Sorts, q.Sort) {
		return zero, fmt.Errorf("%w: unknown sort %q (want one of %s)", ErrInvalid, q.Sort, strings.Join(Sorts, ", "))
	}
	if err := validBand(q.Band); err != nil {
		return zero, err
	}
	q.License, q.Kind = strings.TrimSpace(strings.ToLower(q.License)), strings.TrimSpace(strings.ToLower(q.Kind))
	if q.License != "" && !slices.Contains(license.Categories, q.License) {
		return zero, fmt.Errorf("%w: unknown licence category %q (want one of %s)", ErrInvalid, q.License, strings.Join(license.Categories, ", "))
	}
	if q.Kind != "" && !slices.Contains(Kinds, q.Kind) {
		return zero, fmt.Errorf("%w: unknown kind %q (want one of %s)", ErrInvalid, q.Kind, strings.Join(Kinds, ", "))
	}
	p, err := q.Paging.Normalize()
	if err != nil {
		return zero, err
	}
	// From the estate snapshot (at most a TTL old), filtered in memory
	// (see search.go), with a total.
	e, err := c.Snapshot(ctx)
	if err != nil {
		return zero, err
	}
	query, lang, owner := strings.TrimSpace(q.Query), strings.TrimSpace(q.Language), strings.TrimSpace(q.Owner)
	filtered := lang != "" || owner != "" || q.Band != "" || q.License != "" || q.Kind != "" || q.Vulnerable
	if query == "" && !filtered && q.Sort == "name" {
		return PageOf(e.all, p), nil
	}
	// Indexes in e.all, so that filtering 10,000 projects copies no project.
	var idx []int32
	switch {
	case query != "":
		// Matches come in name order; sorting them is cheaper than
		// matching the sorted list.
		idx = e.findProjects(query)
		e.sortProjects(idx, q.Sort)
	case q.Sort != "name":
		idx = e.sorted[q.Sort]
	default:
		idx = make([]int32, len(e.all))
		for i := range idx {
			idx[i] = int32(i)
		}
	}
	if filtered {
		var kept []int32
		for _, i := range idx {
			pr := &e.all[i]
			if (lang == "" || slices.ContainsFunc(pr.Languages, func(l catalog.Language) bool { return strings.EqualFold(l.Name, lang) })) &&
				(owner == "" || slices.ContainsFunc(pr.Owners, func(o catalog.Owner) bool { return strings.EqualFold(o.Owner, owner) })) &&
				inBand(e, pr.ID, q.Band) &&
				(q.License == "" || e.LicenseCategory(pr.ID) == q.License) &&
				(q.Kind == "" || KindOf(pr) == q.Kind) &&
				(!q.Vulnerable || e.vulnerable[pr.ID]) {
				kept = append(kept, i)
			}
		}
		idx = kept
	}
	page := PageOf(idx, p)
	items := make([]catalog.Project, len(page.Items))
	for j, i := range page.Items {
		items[j] = e.all[i]
	}
	return Page[catalog.Project]{Items: items, Limit: page.Limit, Offset: page.Offset, Total: page.Total, More: page.More}, nil
}

// Kinds are the accepted ProjectQuery.Kind values.
var Kinds = []string{catalog.KindInternal, catalog.KindInnerSource, catalog.KindOpenSource}

// KindOf returns a project's kind; a project that declares none is internal.
func KindOf(p *catalog.Project) string {
	if p.Kind == "" {
		return catalog.KindInternal
	}
	return p.Kind
}

// LicenseCategory returns the category of a project's own licence in the
// snapshot (unknown when it has none or is not in the snapshot).
func (e *Snapshot) LicenseCategory(projectID int64) string {
	if c, ok := e.licenseCats[projectID]; ok {
		return c
	}
	return license.Unknown
}

// inBand reports whether the project's latest score is in band ("" matches all).
func inBand(e *Snapshot, id int64, band string) bool {
	if band == "" {
		return true
	}
	s, ok := e.scores[id]
	return ok && BandOf(s) == band
}

// sortProjects orders idx, indexes in e.all in name order, by "updated"
// (HEAD date, newest first) or "commits" (most first), stably; "name"
// leaves it.
func (e *Snapshot) sortProjects(idx []int32, by string) {
	switch by {
	case "updated":
		slices.SortStableFunc(idx, func(a, b int32) int { return e.all[b].HeadDate.Compare(e.all[a].HeadDate) })
	case "commits":
		slices.SortStableFunc(idx, func(a, b int32) int { return e.all[b].Commits - e.all[a].Commits })
	}
}

// Project returns one project by its numeric ID. Returns store.ErrNotFound
// for anything that is not the ID of a project.
func (c *Catalog) Project(ctx context.Context, id string) (*catalog.Project, error) {
	if n, err := strconv.ParseInt(id, 10, 64); err != nil || n <= 0 {
		return nil, store.ErrNotFound
	}
	p, err := c.st.Project(ctx, id)
	if err != nil {
		return nil, err
	}
	c.redactPaths(p)
	// Who knows the code names nobody who opted out of appearing as an
	// expert (the figures stay).
	if p.Expertise != nil {
		h, err := c.HiddenExperts(ctx)
		if err != nil {
			return nil, err
		}
		p.Expertise = expertise.Redact(p.Expertise, h)
	}
	return p, nil
}

// Activity returns the weekly activity of contributors, summed, oldest first.
func Activity(cs []catalog.Contribution) []catalog.WeekActivity {
	byWeek := map[time.Time]*catalog.WeekActivity{}
	for _, c := range cs {
		for _, w := range c.Weeks {
			a := byWeek[w.Week]
			if a == nil {
				a = &catalog.WeekActivity{Week: w.Week}
				byWeek[w.Week] = a
			}
			a.Commits += w.Commits
			a.LinesAdded += w.LinesAdded
			a.LinesRemoved += w.LinesRemoved
		}
	}
	out := make([]catalog.WeekActivity, 0, len(byWeek))
	for _, a := range byWeek {
		out = append(out, *a)
	}
	slices.SortFunc(out, func(a, b catalog.WeekActivity) int { return a.Week.Compare(b.Week) })
	return out
}

// DirectFirst returns the dependencies with the direct ones first, each
// group in the stored order.
func DirectFirst(ds []catalog.Dependency) []catalog.Dependency {
	out := slices.Clone(ds)
	slices.SortStableFunc(out, func(a, b catalog.Dependency) int {
		switch {
		case a.Direct == b.Direct:
			return 0
		case a.Direct:
			return -1
		}
		return 1
	})
	return out
}

// PackageID returns the package URL of d without its version: the ID of
// its technology page.
func PackageID(d catalog.Dependency) string {
	purl := d.PURL
	if i := strings.IndexAny(purl, "?#"); i >= 0 {
		purl = purl[:i]
	}
	// The version follows the last '@' after the last '/'.
	slash := strings.LastIndex(purl, "/")
	if at := strings.LastIndex(purl, "@"); at > slash {
		purl = purl[:at]
	}
	return purl
}

// PagingOf reads limit and offset from a request's query string.
func PagingOf(q url.Values) (Paging, error) {
	var p Paging
	for name, dst := range map[string]*int{"limit": &p.Limit, "offset": &p.Offset} {
		if s := q.Get(name); s != "" {
			n, err := strconv.Atoi(s)
			if err != nil {
				return p, fmt.Errorf("%w: %s is not a number", ErrInvalid, name)
			}
			*dst = n
		}
	}
	return p.Normalize()
}
