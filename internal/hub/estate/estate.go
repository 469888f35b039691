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
	"maps"
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
	// The health index (see healthIndex): healthMu guards health and
	// healthBuilding (a background update is under way).
	healthMu       sync.Mutex
	health         *healthIndex
	healthBuilding bool
	depsMu         sync.Mutex
	deps           *teamDeps                // see teamDeps
	board          memo[events.Leaderboard] // see Leaderboard
	cards          memo[[]innersource.Card] // see InnerSource
	// The leaderboard's tally (see tallied): ledgerMu serialises updates
	// of ledger (the points so far) and ledgerMark (up to where it read
	// the events); tallyMu guards the published tally.
	ledgerMu     sync.Mutex
	ledger       *events.Ledger
	ledgerMark   int64
	tallyMu      sync.Mutex
	tally        *tally
	tallyVersion uint64
	tallying     bool // a background update of the tally is under way
	// Help posts' matched people (see HelpWanted), for one model and set
	// of opt-outs, by post, update and limit.
	helpMu      sync.Mutex
	helpModel   *recommend.Model
	helpOptOuts uint64
	helpMatched map[string][]recommend.Item

	mu         sync.Mutex
	snap       *Snapshot
	checked    time.Time // when snap was last found current: built, or the store's generation unchanged
	rebuilding bool      // a background refresh of snap is under way

	inboxCache inboxCache     // people's derived inbox items, see Inbox
	resPages   *resourcePages // see SetResourcePages
	docs       docSets        // see ProjectDocs

	resources     []recommend.Resource
	model         *recommend.Model // see Recommender
	modelFor      modelSource      // what model was built from, see modelSource
	modelBuilding bool
	firstBuild    chan struct{} // closed when the first model's build ends, see Recommender
	modelErr      error         // why the last first-model build failed
	inputs        *InputCache   // what the last model build read, see buildModel
	loginsMu      sync.Mutex
	logins        map[string]string // see SetLogins

	similar similarCache // see SimilarProjects

	techMu    sync.Mutex
	techViews map[string]techView // see Technology
	teamViews map[string]teamView // see Team
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

// maxModelAge is how old the recommendation model may grow while the store
// does not change. A snapshot is rebuilt every maxSnapshotAge for the
// clock's sake, but the model's answers barely move with the clock (decay
// over months, expiring ignore rules) and at 50,000 projects its build
// and warm-up cost minutes of CPU: it follows the store's writes, and the
// clock only this often.
const maxModelAge = 6 * time.Hour

// modelSource is what a recommendation model was built from: the
// generation of the store and the build time of the snapshot it read. It
// is not the snapshot itself, which a kept model would keep alive beside
// its successors.
type modelSource struct {
	generation int64
	builtAt    time.Time
}

func sourceOf(e *Snapshot) modelSource { return modelSource{e.generation, e.BuiltAt} }

// stale reports whether a model built from m is out of date for snapshot e:
// the store was written since, or the model is older than maxModelAge.
func (m modelSource) stale(e *Snapshot) bool {
	return m.generation != e.generation || e.BuiltAt.Sub(m.builtAt) >= maxModelAge
}

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
	// licensesJSON is licenses as the API sends it, see LicensesJSON.
	licensesJSON encoded
	exposure     []vuln.Exposure // projects with findings, worst first, counted
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
	facetOnce sync.Once
	facets    facets // see indexFacets
	claimOnce sync.Once
	byClaim   map[string][]int32 // projects by ownership claim key, see claimIndex
	mainLang  map[string]string  // each project's main language by key, see mainLanguages
	// generation is the store's generation when the snapshot was built.
	generation int64

	// What an incremental update (see update) compares and keeps: each
	// project's revision, key and scan time by ID, the person of every
	// identity, each package by key (with its project count), every
	// language, and each project's share of the licence summary.
	stamps    map[int64]stamp
	personOf  map[catalog.Identity]string
	pkgs      map[store.PackageKey]catalog.Technology
	allLangs  []catalog.Technology
	licCounts map[int64]store.LicenseCounts

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
	// reviewersPrint fingerprints what reviewers were read from (see
	// reviewerInputs).
	reviewersPrint uint64
	ranking        []ScoreRank // latest scores, best first
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
	e, err := c.buildEstate(ctx, nil)
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
	e, err := c.buildEstate(ctx, old)
	c.mu.Lock()
	defer c.mu.Unlock()
	c.rebuilding = false
	if err != nil {
		return
	}
	c.snap, c.checked = e, c.now()
}

// stamp is what a snapshot keeps of a project to tell whether it changed.
type stamp struct {
	revision int64
	key      string // as stored (Snapshot.all's keys may be redacted)
	scanned  time.Time
}

// fullRebuildShare is the share of the estate's projects changed (or
// deleted) above which an update rebuilds the snapshot in full: reading
// most projects a chunk of IDs at a time costs more than reading them all.
const fullRebuildShare = 0.5

// buildEstate builds a snapshot of the store. With old (a snapshot of the
// same store), it is an update: what depends on one project at a time (the
// project, its authors, its share of the licence summary and of the
// package counts) is read again only for the projects replaced, renamed or
// added since old, and dropped for those deleted; what old holds of the
// others is kept (with their scan times, which a touch moves). The rest,
// cheap to read or depending on the whole catalogue (people, languages,
// vulnerability exposure, scores, reviewers), is read in full, and the
// snapshot's indexes are rebuilt in memory. The result is the snapshot a
// build without old gives (TestIncrementalSnapshot).
func (c *Catalog) buildEstate(ctx context.Context, old *Snapshot) (*Snapshot, error) {
	// The generation first: a write during the build leaves the snapshot
	// with an older generation than the store's, so the next refresh
	// updates it.
	gen, err := c.st.Generation(ctx)
	if err != nil {
		return nil, err
	}
	states, err := c.st.ProjectStamps(ctx)
	if err != nil {
		return nil, err
	}
	stamps := make(map[int64]stamp, len(states))
	for _, st := range states {
		stamps[st.ID] = stamp{revision: st.Revision, key: st.Key, scanned: st.ScannedAt}
	}
	// People (bots too: their identities are contributors' persons) first:
	// a project's contributors name their person, so a changed mapping
	// changes kept projects too.
	// Their totals are summed below from every project's contributors,
	// which the snapshot holds, rather than by the store over every
	// contribution.
	everyone, err := c.st.ListPeople(ctx, store.PersonFilter{IncludeBots: true, NoTotals: true})
	if err != nil {
		return nil, err
	}
	people := make([]catalog.Person, 0, len(everyone))
	personOf := map[catalog.Identity]string{}
	for _, p := range everyone {
		if !p.Bot {
			people = append(people, p)
		}
		for _, id := range p.Identities {
			personOf[catalog.Identity{Name: id.Name, Email: id.Email}] = p.ID
		}
	}
	var changed []int64 // projects to read again: new, replaced or renamed
	if old != nil {
		gone := 0
		for id := range old.stamps {
			if _, ok := stamps[id]; !ok {
				gone++
			}
		}
		for id, st := range stamps {
			if was, ok := old.stamps[id]; !ok || was.revision != st.revision || was.key != st.key {
				changed = append(changed, id)
			}
		}
		if float64(len(changed)+gone) > fullRebuildShare*float64(len(stamps)) {
			old, changed = nil, nil
		}
	}
	peopleMoved := old == nil || !maps.Equal(old.personOf, personOf)
	isChanged := make(map[int64]bool, len(changed))
	for _, id := range changed {
		isChanged[id] = true
	}
	// same: no project was replaced, renamed, added, deleted or touched
	// and no identity changed person since old (a write elsewhere: scores,
	// advisories, sources, events): old's projects, in their order, and
	// what is derived from them alone are kept as they are, shared.
	same := old != nil && !peopleMoved && maps.Equal(old.stamps, stamps)

	// Projects.
	var all []catalog.Project
	checkouts := make(map[int64]checkout, len(stamps))
	if same {
		all, checkouts = old.all, old.checkouts
	} else if old == nil {
		if all, err = c.st.ListProjects(ctx, store.ProjectFilter{}); err != nil {
			return nil, err
		}
	} else {
		fresh := []catalog.Project{}
		if len(changed) > 0 {
			if fresh, err = c.st.ListProjects(ctx, store.ProjectFilter{IDs: changed}); err != nil {
				return nil, err
			}
		}
		all = make([]catalog.Project, 0, len(stamps))
		for _, p := range old.all {
			st, ok := stamps[p.ID]
			if !ok || isChanged[p.ID] {
				continue // deleted, or replaced (and read again unless deleted since)
			}
			p.ScannedAt = st.scanned
			if peopleMoved {
				p.Contributors = withPersons(p.Contributors, personOf)
			}
			checkouts[p.ID] = old.checkouts[p.ID]
			all = append(all, p)
		}
		for _, p := range fresh {
			checkouts[p.ID] = checkout{path: p.Path, commit: p.HeadCommit}
			c.redactPaths(&p)
			all = append(all, p)
		}
		// In ListProjects's order: name, then key as stored.
		keyOf := func(p *catalog.Project) string {
			if st, ok := stamps[p.ID]; ok {
				return st.key
			}
			return p.Key
		}
		slices.SortFunc(all, func(a, b catalog.Project) int {
			return cmp.Or(strings.Compare(a.Name, b.Name), strings.Compare(keyOf(&a), keyOf(&b)))
		})
	}
	if old == nil {
		for i := range all {
			p := &all[i]
			checkouts[p.ID] = checkout{path: p.Path, commit: p.HeadCommit}
			c.redactPaths(p)
		}
	}
	if len(all) == 0 {
		all = nil
	}
	if !same || !keepTotals(people, old.people) {
		sumPeople(people, all)
	}
	if same && !slices.EqualFunc(old.people, people, func(a, b catalog.Person) bool { return a.ID == b.ID }) {
		same = false // the people's order moved: the indexes into it too
	}

	// Technologies: every language, and the packages.
	allLangs, err := c.st.Technologies(ctx, store.TechnologyFilter{Kind: "language"})
	if err != nil {
		return nil, err
	}
	langs := slices.Clone(allLangs[:min(12, len(allLangs))]) // the most used, as Technologies with Limit 12
	var pkgs map[store.PackageKey]catalog.Technology
	if old == nil {
		if pkgs, err = c.st.PackageTechnologies(ctx, nil); err != nil {
			return nil, err
		}
	} else {
		// The packages whose count moved, appeared or went, and those the
		// changed projects use (a version or the first use may have moved).
		counts, err := c.st.PackageCounts(ctx)
		if err != nil {
			return nil, err
		}
		var affected []store.PackageKey
		for k, n := range counts {
			if was, ok := old.pkgs[k]; !ok || was.Projects != n {
				affected = append(affected, k)
			}
		}
		pkgs = make(map[store.PackageKey]catalog.Technology, len(counts))
		for k, tc := range old.pkgs {
			if _, ok := counts[k]; ok {
				pkgs[k] = tc
			}
		}
		if len(changed) > 0 {
			used, err := c.st.PackagesUsed(ctx, changed)
			if err != nil {
				return nil, err
			}
			affected = append(affected, used...)
		}
		if len(affected) > 0 {
			fresh, err := c.st.PackageTechnologies(ctx, affected)
			if err != nil {
				return nil, err
			}
			for _, k := range affected {
				delete(pkgs, k)
			}
			maps.Copy(pkgs, fresh)
		}
	}
	techs := technologyList(allLangs, pkgs)
	pkgCount := len(pkgs)

	last, err := c.st.LastScan(ctx)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return nil, err
	}
	c.redactScan(last)
	e := &Snapshot{checkouts: checkouts, Projects: len(all), People: len(people), Packages: pkgCount, Languages: langs,
		LastScan: last, BuiltAt: c.now(), generation: gen, all: all, people: people, techs: techs, sorted: map[string][]int32{},
		stamps: stamps, personOf: personOf, pkgs: pkgs, allLangs: allLangs}
	for _, by := range []string{"updated", "commits"} {
		if same {
			e.sorted[by] = old.sorted[by]
			continue
		}
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
	if same {
		e.authors = old.authors
	} else if old == nil || peopleMoved {
		if e.authors, err = c.st.ProjectAuthors(ctx, ids, maxAuthors); err != nil {
			return nil, err
		}
	} else {
		e.authors = make(map[int64][]catalog.Author, len(old.authors))
		for id, as := range old.authors {
			if _, ok := stamps[id]; ok && !isChanged[id] {
				e.authors[id] = as
			}
		}
		if len(changed) > 0 {
			fresh, err := c.st.ProjectAuthors(ctx, changed, maxAuthors)
			if err != nil {
				return nil, err
			}
			maps.Copy(e.authors, fresh)
		}
	}
	if same {
		e.licCounts, e.licenses = old.licCounts, old.licenses
	} else if old == nil {
		if e.licCounts, err = c.st.LicenseCounts(ctx, nil); err != nil {
			return nil, err
		}
	} else {
		e.licCounts = make(map[int64]store.LicenseCounts, len(old.licCounts))
		for id, lc := range old.licCounts {
			if _, ok := stamps[id]; ok && !isChanged[id] {
				e.licCounts[id] = lc
			}
		}
		if len(changed) > 0 {
			fresh, err := c.st.LicenseCounts(ctx, changed)
			if err != nil {
				return nil, err
			}
			maps.Copy(e.licCounts, fresh)
		}
	}
	keys := make(map[string]int64, len(all))
	for i := range all {
		keys[all[i].Key] = all[i].ID
	}
	c.loginsMu.Lock() // not c.mu: Snapshot holds it while it builds
	logins := c.logins
	c.loginsMu.Unlock()
	rin, err := readReviewerInputs(ctx, c.st, keys, people, logins)
	if err != nil {
		return nil, err
	}
	if e.reviewersPrint = rin.print; old != nil && old.reviewersPrint == rin.print {
		e.reviewers = old.reviewers // no sync, rename or identity change since old: the same reviewers
	} else if e.reviewers, err = rin.read(ctx, c.st); err != nil {
		return nil, err
	}
	e.text = newSearchText(e)
	if same { // what index derives from the projects alone, and the people's order
		e.byID, e.workers = old.byID, old.workers
	}
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

// sumPeople fills in the totals of people (commits, lines, first and last
// commit) from the contributors of all, the projects, each person's those
// whose identity is theirs, and orders people as the store's ListPeople
// does: most commits first, then by name and ID.
func sumPeople(people []catalog.Person, all []catalog.Project) {
	at := make(map[string]int, len(people))
	for i := range people {
		at[people[i].ID] = i
	}
	for i := range all {
		for _, c := range all[i].Contributors {
			j, ok := at[c.PersonID]
			if c.PersonID == "" || !ok {
				continue
			}
			p := &people[j]
			p.Commits += c.Commits
			p.LinesAdded += c.LinesAdded
			p.LinesRemoved += c.LinesRemoved
			if !c.FirstCommit.IsZero() && (p.FirstCommit.IsZero() || c.FirstCommit.Before(p.FirstCommit)) {
				p.FirstCommit = c.FirstCommit
			}
			if c.LastCommit.After(p.LastCommit) {
				p.LastCommit = c.LastCommit
			}
		}
	}
	slices.SortFunc(people, func(a, b catalog.Person) int {
		return cmp.Or(b.Commits-a.Commits, strings.Compare(a.Name, b.Name), strings.Compare(a.ID, b.ID))
	})
}

// keepTotals fills in the totals of people from those of the same people
// in old (the same projects and identities: the same sums) and orders
// them as sumPeople does. It reports false, leaving people's order as it
// was, when someone is not in old (a person added, or no longer a bot).
func keepTotals(people, old []catalog.Person) bool {
	at := make(map[string]*catalog.Person, len(old))
	for i := range old {
		at[old[i].ID] = &old[i]
	}
	for i := range people {
		if at[people[i].ID] == nil {
			return false
		}
	}
	for i := range people {
		p, o := &people[i], at[people[i].ID]
		p.Commits, p.LinesAdded, p.LinesRemoved, p.FirstCommit, p.LastCommit = o.Commits, o.LinesAdded, o.LinesRemoved, o.FirstCommit, o.LastCommit
	}
	slices.SortFunc(people, func(a, b catalog.Person) int {
		return cmp.Or(b.Commits-a.Commits, strings.Compare(a.Name, b.Name), strings.Compare(a.ID, b.ID))
	})
	return true
}

// withPersons returns cs with each contributor's PersonID that of the
// person its identity belongs to in personOf ("" for none), as the store
// reads it; cs itself when none changes (it may be shared with an older
// snapshot, so it is never modified).
func withPersons(cs []catalog.Contribution, personOf map[catalog.Identity]string) []catalog.Contribution {
	var out []catalog.Contribution
	for i := range cs {
		id := personOf[catalog.Identity{Name: cs[i].Name, Email: cs[i].Email}]
		if id == cs[i].PersonID {
			continue
		}
		if out == nil {
			out = slices.Clone(cs)
		}
		out[i].PersonID = id
	}
	if out == nil {
		return cs
	}
	return out
}

// technologyList returns the languages and packages in Technologies's
// order: most projects first, then by name key, ecosystem and kind.
func technologyList(langs []catalog.Technology, pkgs map[store.PackageKey]catalog.Technology) []catalog.Technology {
	type keyed struct {
		store.PackageKey
		tc catalog.Technology
	}
	all := make([]keyed, 0, len(langs)+len(pkgs))
	for _, l := range langs {
		all = append(all, keyed{store.PackageKey{Name: strings.ToLower(l.ID)}, l})
	}
	for k, tc := range pkgs {
		all = append(all, keyed{k, tc})
	}
	slices.SortFunc(all, func(a, b keyed) int {
		return cmp.Or(b.tc.Projects-a.tc.Projects, strings.Compare(a.Name, b.Name), strings.Compare(a.Ecosystem, b.Ecosystem),
			strings.Compare(a.tc.Kind, b.tc.Kind))
	})
	out := make([]catalog.Technology, len(all))
	for i := range all {
		out[i] = all[i].tc
	}
	if len(out) == 0 {
		return nil
	}
	return out
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
		// What the filters test, by index in e.all (see facets): a
		// language's or an owner's projects as a set, licence categories
		// and vulnerability as slices, not a map lookup per project.
		e.facetOnce.Do(e.indexFacets)
		f := &e.facets
		var inLang, inOwner []bool
		if lang != "" {
			inLang = f.members(f.languages, lang, len(e.all))
		}
		if owner != "" {
			inOwner = f.members(f.owners, owner, len(e.all))
		}
		var kept []int32
		for _, i := range idx {
			pr := &e.all[i]
			if (inLang == nil || inLang[i]) && (inOwner == nil || inOwner[i]) &&
				inBand(e, pr.ID, q.Band) &&
				(q.License == "" || f.license[i] == q.License) &&
				(q.Kind == "" || KindOf(pr) == q.Kind) &&
				(!q.Vulnerable || f.vulnerable[i]) {
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

// facets are what Projects filters on, by index in Snapshot.all.
type facets struct {
	// languages and owners hold, by name as stored, the indexes of the
	// projects with that language or owner.
	languages, owners map[string][]int32
	license           []string // the category of each project's own licence
	vulnerable        []bool   // whether each project has unsuppressed findings
}

// indexFacets fills e.facets (built on first use).
func (e *Snapshot) indexFacets() {
	f := facets{languages: map[string][]int32{}, owners: map[string][]int32{},
		license: make([]string, len(e.all)), vulnerable: make([]bool, len(e.all))}
	for i := range e.all {
		p := &e.all[i]
		for j, l := range p.Languages {
			if !slices.ContainsFunc(p.Languages[:j], func(o catalog.Language) bool { return o.Name == l.Name }) {
				f.languages[l.Name] = append(f.languages[l.Name], int32(i))
			}
		}
		for j, o := range p.Owners {
			if !slices.ContainsFunc(p.Owners[:j], func(x catalog.Owner) bool { return x.Owner == o.Owner }) {
				f.owners[o.Owner] = append(f.owners[o.Owner], int32(i))
			}
		}
		f.license[i] = e.LicenseCategory(p.ID)
		f.vulnerable[i] = e.vulnerable[p.ID]
	}
	e.facets = f
}

// members returns which of n projects are in the sets of byName whose
// name equals name case-insensitively (strings.EqualFold).
func (f *facets) members(byName map[string][]int32, name string, n int) []bool {
	in := make([]bool, n)
	for k, idx := range byName {
		if strings.EqualFold(k, name) {
			for _, i := range idx {
				in[i] = true
			}
		}
	}
	return in
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
