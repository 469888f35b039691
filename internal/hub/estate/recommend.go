package estate

import (
	"context"
	"fmt"
	"hash/fnv"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/events"
	"github.com/ospo-project/ospo/internal/expertise"
	"github.com/ospo-project/ospo/internal/recommend"
	"github.com/ospo-project/ospo/internal/store"
	"github.com/ospo-project/ospo/internal/vuln"
)

// RecommendInputs reads from st what the recommenders need (projects with
// their contributors, direct dependencies, the 10 main authors of each,
// people, team memberships, opt-outs, and each project's vulnerability
// findings against the stored advisories with ignores applied at now) and
// returns it as an Estate with the given resource catalogue. The CLI and
// the hub read it alike.
func RecommendInputs(ctx context.Context, st store.Store, resources []recommend.Resource, ignores []vuln.Ignore, now time.Time) (recommend.Estate, error) {
	e, _, err := ReadRecommendInputs(ctx, st, nil, resources, ignores, now)
	return e, err
}

// InputCache keeps what ReadRecommendInputs read for each project (its
// direct dependencies and main authors) with the project's revision, so
// that the next read re-reads only the projects whose revision moved (see
// catalog.Project.Revision). It is immutable: each read returns a new one.
type InputCache struct {
	// people fingerprints the identities the authors were matched to
	// people by: when they change, every project is read again.
	people   uint64
	projects map[int64]projectInputs
	// Reread are the projects the read that made this cache read from the
	// store (the others came from the previous cache), in ascending order.
	Reread []int64
}

// projectInputs are one project's rows as ReadRecommendInputs read them:
// its direct dependencies as the recommenders read them (strings shared
// among the projects read together: 50,000 projects have a million direct
// dependencies but far fewer distinct package versions).
type projectInputs struct {
	revision int64
	deps     []recommend.Dependency
	authors  []catalog.Author
}

// interner hands out one copy of each string.
type interner map[string]string

func (in interner) of(s string) string {
	if c, ok := in[s]; ok {
		return c
	}
	in[s] = s
	return s
}

// slimDependencies returns what the recommenders read of ds, with the
// strings shared through in.
func slimDependencies(ds []catalog.Dependency, in interner) []recommend.Dependency {
	if ds == nil {
		return nil
	}
	out := make([]recommend.Dependency, len(ds))
	for i, d := range ds {
		out[i] = recommend.Dependency{PURL: in.of(d.PURL), Ecosystem: in.of(d.Ecosystem), Name: in.of(d.Name),
			Version: in.of(d.Version), Constraint: d.Constraint}
	}
	return out
}

// ReadRecommendInputs is RecommendInputs that reads from the store only
// the dependencies and authors of the projects that changed since prev
// (nil: all of them), and returns the cache for the next read with the
// projects it read in Reread. Everything else (the project list, people,
// memberships, opt-outs, advisories) is read afresh; the result equals
// what a read without prev gives.
func ReadRecommendInputs(ctx context.Context, st store.Store, prev *InputCache, resources []recommend.Resource,
	ignores []vuln.Ignore, now time.Time) (recommend.Estate, *InputCache, error) {
	return readInputs(ctx, st, prev, nil, resources, ignores, now)
}

// depsChunk is how many projects' dependencies readInputs reads at once.
const depsChunk = 2000

// preread is what the hub's estate snapshot already holds: the project
// list (Store.ListProjects), the people (Store.ListPeople) and every
// project's main authors (Store.ProjectAuthors, maxAuthors each).
type preread struct {
	projects []catalog.Project
	people   []catalog.Person
	authors  map[int64][]catalog.Author
}

// readInputs is ReadRecommendInputs taking what pre holds (when not nil)
// instead of reading it again.
func readInputs(ctx context.Context, st store.Store, prev *InputCache, pre *preread, resources []recommend.Resource,
	ignores []vuln.Ignore, now time.Time) (recommend.Estate, *InputCache, error) {
	var c recommend.Catalogue
	var err error
	if pre != nil {
		c.Projects, c.People = pre.projects, pre.people
	} else {
		if c.Projects, err = st.ListProjects(ctx, store.ProjectFilter{}); err != nil {
			return recommend.Estate{}, nil, fmt.Errorf("read projects: %w", err)
		}
		if c.People, err = st.ListPeople(ctx, store.PersonFilter{}); err != nil {
			return recommend.Estate{}, nil, fmt.Errorf("read people: %w", err)
		}
	}
	projects := c.Projects
	c.Resources = resources
	next := &InputCache{people: identityPrint(c.People), projects: make(map[int64]projectInputs, len(projects))}
	var stale []int64
	for _, p := range projects {
		if prev != nil && prev.people == next.people {
			if in, ok := prev.projects[p.ID]; ok && in.revision == p.Revision {
				next.projects[p.ID] = in
				continue
			}
		}
		stale = append(stale, p.ID)
	}
	slices.Sort(stale)
	next.Reread = stale
	if len(stale) > 0 {
		var authors map[int64][]catalog.Author
		if pre != nil {
			authors = pre.authors
		} else if authors, err = st.ProjectAuthors(ctx, stale, maxAuthors); err != nil {
			return recommend.Estate{}, nil, fmt.Errorf("read authors: %w", err)
		}
		// The revision read with the project list: a project replaced since
		// is read again next time.
		rev := make(map[int64]int64, len(projects))
		for _, p := range projects {
			rev[p.ID] = p.Revision
		}
		// A chunk of projects at a time, each made slim before the next is
		// read: the store's whole rows of a million dependencies at once
		// were the peak of the first build on a large estate.
		in := interner{}
		for chunk := range slices.Chunk(stale, depsChunk) {
			deps, err := st.DirectDependencies(ctx, chunk)
			if err != nil {
				return recommend.Estate{}, nil, fmt.Errorf("read dependencies: %w", err)
			}
			for _, id := range chunk {
				next.projects[id] = projectInputs{revision: rev[id], deps: slimDependencies(deps[id], in), authors: authors[id]}
			}
		}
	}
	c.Dependencies = make(map[int64][]recommend.Dependency, len(projects))
	c.Authors = make(map[int64][]catalog.Author, len(projects))
	for id, in := range next.projects {
		if in.deps != nil {
			c.Dependencies[id] = in.deps
		}
		if pre != nil { // the snapshot's, as new as the project list
			in.authors = pre.authors[id]
			next.projects[id] = in
		}
		if in.authors != nil {
			c.Authors[id] = in.authors
		}
	}
	if c.Memberships, err = st.Memberships(ctx, ""); err != nil {
		return recommend.Estate{}, nil, fmt.Errorf("read memberships: %w", err)
	}
	if c.Issues, err = innerSourceIssues(ctx, st, projects); err != nil {
		return recommend.Estate{}, nil, err
	}
	if c.OptOuts, err = st.OptOuts(ctx); err != nil {
		return recommend.Estate{}, nil, fmt.Errorf("read opt-outs: %w", err)
	}
	advs, err := st.AdvisoriesInUse(ctx)
	if err != nil {
		return recommend.Estate{}, nil, fmt.Errorf("read advisories: %w", err)
	}
	if pkgs := vuln.Packages(advs); len(pkgs) > 0 {
		uses, err := st.Usages(ctx, pkgs)
		if err != nil {
			return recommend.Estate{}, nil, fmt.Errorf("read usages: %w", err)
		}
		c.Findings = map[int64][]catalog.VulnFinding{}
		for _, x := range vuln.MatchUsages(advs, uses, ignores, now) {
			c.Findings[x.ProjectID] = x.Findings
		}
	}
	return recommend.FromCatalogue(c), next, nil
}

// innerSourceIssues reads the forge issues of the InnerSource projects
// among projects that a forge source brought, by project ID: what says
// which of them ask for help. Read afresh each time (a forge sync does not
// change a project's revision); only InnerSource projects are recommended.
func innerSourceIssues(ctx context.Context, st store.Store, projects []catalog.Project) (map[int64][]catalog.ForgeItem, error) {
	inner := map[string]int64{}
	for _, p := range projects {
		if p.Kind == catalog.KindInnerSource {
			inner[p.Key] = p.ID
		}
	}
	if len(inner) == 0 {
		return nil, nil
	}
	repos, err := st.ForgeRepos(ctx, "")
	if err != nil {
		return nil, fmt.Errorf("read forge repositories: %w", err)
	}
	out := map[int64][]catalog.ForgeItem{}
	seen := map[string]bool{}
	for _, r := range repos {
		id, ok := inner[r.ProjectKey]
		if !ok || seen[r.ProjectKey] {
			continue
		}
		seen[r.ProjectKey] = true // ForgeItems reads every source's repositories of the key
		items, err := st.ForgeItems(ctx, r.ProjectKey, catalog.ItemIssue, 0)
		if err != nil {
			return nil, fmt.Errorf("read the issues of %s: %w", r.FullName, err)
		}
		out[id] = items
	}
	return out, nil
}

// ReadReviewers counts, for each project of ids (project key → ID) that a
// forge source brought pull requests of, their reviews by reviewer
// (expertise.Reviewers). Logins are matched to people as events.Logins
// does: explicit (the OSPO's map, ospo.yaml events.logins) first, then
// Backstage users and GitHub no-reply identities; a login of nobody known
// stays a login.
func ReadReviewers(ctx context.Context, st store.Store, ids map[string]int64, people []catalog.Person,
	explicit map[string]string) (map[int64][]expertise.Reviewer, error) {
	in, err := readReviewerInputs(ctx, st, ids, people, explicit)
	if err != nil {
		return nil, err
	}
	return in.read(ctx, st)
}

// reviewerInputs is what the reviewers are computed from, short of the
// pull requests themselves: the forge repositories of catalogued projects
// and how logins map to people. print fingerprints all of it with each
// repository's sync time (a sync is the only way a repository's pull
// requests change), so that a snapshot can keep its reviewers when
// nothing they depend on moved instead of reading every pull request of
// the estate again.
type reviewerInputs struct {
	keys   []string // the project keys to read, each once, in the order of the repositories
	ids    map[string]int64
	person func(login string) (catalog.Person, bool)
	print  uint64
}

func readReviewerInputs(ctx context.Context, st store.Store, ids map[string]int64, people []catalog.Person,
	explicit map[string]string) (*reviewerInputs, error) {
	repos, err := st.ForgeRepos(ctx, "")
	if err != nil {
		return nil, fmt.Errorf("read forge repositories: %w", err)
	}
	in := &reviewerInputs{ids: ids}
	if len(repos) == 0 {
		return in, nil
	}
	ents, err := st.Entities(ctx, "")
	if err != nil {
		return nil, fmt.Errorf("read entities: %w", err)
	}
	logins := events.Logins(explicit, people, ents)
	byEmail := map[string]*catalog.Person{}
	for i := range people {
		p := &people[i]
		for _, e := range append([]catalog.Identity{{Email: p.Email}}, p.Identities...) {
			if k := strings.ToLower(e.Email); k != "" && byEmail[k] == nil {
				byEmail[k] = p
			}
		}
	}
	in.person = func(login string) (catalog.Person, bool) {
		if p := byEmail[logins[login]]; p != nil && !p.Bot {
			return *p, true
		}
		return catalog.Person{}, false
	}
	h := fnv.New64a()
	seen := map[string]bool{}
	for _, r := range repos {
		id, ok := ids[r.ProjectKey]
		if !ok {
			continue
		}
		fmt.Fprintf(h, "%s\x00%d\x00%s\x00%d\x00%d\x00", r.Source, r.ID, r.ProjectKey, id, r.SyncedAt.UnixNano())
		if !seen[r.ProjectKey] {
			seen[r.ProjectKey] = true // a key's items are read once for all its repositories
			in.keys = append(in.keys, r.ProjectKey)
		}
	}
	for _, login := range slices.Sorted(maps.Keys(logins)) {
		fmt.Fprintf(h, "%s\x00%s\x00", login, logins[login])
	}
	for _, p := range people {
		fmt.Fprintf(h, "%s\x00%s\x00%t\x00%s\x00", p.ID, p.Name, p.Bot, strings.ToLower(p.Email))
		for _, id := range p.Identities {
			fmt.Fprintf(h, "%s\x00", strings.ToLower(id.Email))
		}
	}
	in.print = h.Sum64()
	return in, nil
}

// reviewerChunk is how many projects' pull requests one query reads: one
// query per project was 50,000 queries a snapshot at 50,000 forge
// repositories; one for all would hold every pull request of the estate at
// once.
const reviewerChunk = 500

// read reads the pull requests of in's projects and counts their reviews.
func (in *reviewerInputs) read(ctx context.Context, st store.Store) (map[int64][]expertise.Reviewer, error) {
	out := map[int64][]expertise.Reviewer{}
	for part := range slices.Chunk(in.keys, reviewerChunk) {
		items, err := st.QueryForgeItems(ctx, catalog.ForgeItemQuery{Kind: catalog.ItemPullRequest, ProjectKeys: part})
		if err != nil {
			return nil, fmt.Errorf("read the pull requests of %d projects: %w", len(part), err)
		}
		byKey := make(map[string][]catalog.ForgeItem, len(part))
		for _, it := range items {
			byKey[it.ProjectKey] = append(byKey[it.ProjectKey], it.ForgeItem)
		}
		for _, k := range part {
			if rs := expertise.Reviewers(byKey[k], in.person); len(rs) > 0 {
				out[in.ids[k]] = rs
			}
		}
	}
	return out, nil
}

// identityPrint fingerprints which person each identity's e-mail belongs
// to (the store matches authors to people by e-mail).
func identityPrint(people []catalog.Person) uint64 {
	h := fnv.New64a()
	for _, p := range people {
		fmt.Fprintf(h, "%s\x00%t\x00%s\x00", p.ID, p.Bot, strings.ToLower(p.Email))
		for _, id := range p.Identities {
			fmt.Fprintf(h, "%s\x00", strings.ToLower(id.Email))
		}
		h.Write([]byte{1})
	}
	return h.Sum64()
}

// SetResources sets the resource catalogue the hub's recommendations
// match (see recommend.ReadResources).
func (c *Catalog) SetResources(rs []recommend.Resource) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.resources = rs
}

// ErrModelNotReady is returned (a catalog.ErrRateLimited: try again later)
// when the first recommendation model of the hub is still being built
// after firstModelWait: pages show no recommendations meanwhile rather than
// wait longer (on 50,000 projects the build took minutes on a busy machine).
var ErrModelNotReady = catalog.Kind("recommendations are being computed: try again shortly", catalog.ErrRateLimited)

// firstModelWait is how long a call waits for the first model (a variable
// for tests).
var firstModelWait = 10 * time.Second

// Recommender returns the recommendation model of the estate. It is
// built from the store when first asked for and rebuilt, in the
// background, once the estate snapshot has been rebuilt after a write to
// the store, or at the latest maxModelAge after it was built (the previous
// model answers meanwhile, until the new one is built and warmed: every
// person's answer computed, see recommend.Model.Warm).
// Opt-outs are not taken from it: OptOuts reads them fresh. The first
// model is built in the background: a call that waited firstModelWait for
// it returns ErrModelNotReady.
func (c *Catalog) Recommender(ctx context.Context) (*recommend.Model, error) {
	snap, err := c.Snapshot(ctx)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	m, built, rebuilding := c.model, c.modelFor, c.modelBuilding
	if m != nil && built.stale(snap) && !rebuilding {
		c.modelBuilding = true
		go func() {
			// Warmed before it answers: the previous model answers meanwhile.
			nm, err := c.buildModel(context.WithoutCancel(ctx), snap)
			if err == nil {
				nm.Warm()
			}
			c.mu.Lock()
			defer c.mu.Unlock()
			c.modelBuilding = false
			if err == nil {
				c.model, c.modelFor = nm, sourceOf(snap)
			}
		}()
	}
	if m != nil {
		c.mu.Unlock()
		return m, nil
	}
	// The first model is built once, in the background, for every caller:
	// on a large estate reading its inputs can outlast a request's
	// deadline, which must not cancel the build the next requests wait for.
	first := c.firstBuild
	if first == nil {
		first = make(chan struct{})
		c.firstBuild = first
		go func() {
			nm, err := c.buildModel(context.WithoutCancel(ctx), snap)
			c.mu.Lock()
			defer c.mu.Unlock()
			if err == nil && c.model == nil {
				c.model, c.modelFor = nm, sourceOf(snap)
				go nm.Warm() // the first model answers at once, computing what is not warm yet
			}
			c.modelErr = err
			c.firstBuild = nil // a failed build is tried again by the next call
			close(first)
		}()
	}
	c.mu.Unlock()
	wait := time.NewTimer(firstModelWait)
	defer wait.Stop()
	select {
	case <-first:
	case <-wait.C:
		return nil, ErrModelNotReady
	case <-ctx.Done():
		return nil, fmt.Errorf("build the recommendation model: %w", ctx.Err())
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.model == nil {
		return nil, c.modelErr
	}
	return c.model, nil
}

// builtRecommender is Recommender when a model is built or the TTL is 0;
// otherwise it starts building the first model in the background (unless
// that is under way: Recommender builds it once for every caller) and
// returns nil.
func (c *Catalog) builtRecommender(ctx context.Context) (*recommend.Model, error) {
	c.mu.Lock()
	m := c.model
	c.mu.Unlock()
	if m != nil || c.ttl == 0 {
		return c.Recommender(ctx)
	}
	go c.Recommender(context.WithoutCancel(ctx)) // only starts (or joins) the build
	return nil, nil
}

// buildModel builds the model from the estate snapshot it goes with (its
// projects, people and authors) and the store, re-reading the dependencies
// of only the projects that changed since the last build (see
// ReadRecommendInputs).
// The cache is immutable, so builds running at once are safe.
func (c *Catalog) buildModel(ctx context.Context, snap *Snapshot) (*recommend.Model, error) {
	c.mu.Lock()
	rs, prev := c.resources, c.inputs
	c.mu.Unlock()
	now := c.now()
	e, next, err := readInputs(ctx, c.st, prev, &preread{projects: snap.all, people: snap.people, authors: snap.authors}, rs, c.ignores, now)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	c.inputs = next
	c.mu.Unlock()
	return recommend.Build(e, now), nil
}

// OptOuts returns everybody's opt-outs by person ID, read from the store
// on each call so that a change is honoured at once.
func (c *Catalog) OptOuts(ctx context.Context) (map[string]catalog.OptOut, error) {
	os, err := c.st.OptOuts(ctx)
	if err != nil {
		return nil, err
	}
	out := make(map[string]catalog.OptOut, len(os))
	for _, o := range os {
		out[o.PersonID] = o
	}
	return out, nil
}

// Recommendations recommends to the person ref with the opt-outs as they
// are now. With the default recommenders, no time and a limit up to
// recommend.AnswerLimit (what the hub asks for), the answer is the model's,
// computed once per model (see recommend.Model.Answer: the model is warmed
// in the background, so a request is a lookup); otherwise it is computed
// (recommend.Model.For, at o.Now or now).
func (c *Catalog) Recommendations(ctx context.Context, ref string, o recommend.Options) (recommend.Recommendations, error) {
	m, err := c.Recommender(ctx)
	if err != nil {
		return recommend.Recommendations{}, err
	}
	if o.OptOuts, err = c.OptOuts(ctx); err != nil {
		return recommend.Recommendations{}, err
	}
	if o.Now.IsZero() && o.Technologies == "" && o.Projects == "" && o.Limit >= 0 && o.Limit <= recommend.AnswerLimit {
		return m.Answer(ref, o.Limit, o.OptOuts)
	}
	if o.Now.IsZero() {
		o.Now = c.now()
	}
	return m.For(ref, o)
}

// SimilarProjects returns the projects like project id by shared
// dependencies (see recommend.Model.Similar).
func (c *Catalog) SimilarProjects(ctx context.Context, id int64, limit int) ([]recommend.SimilarProject, error) {
	m, err := c.Recommender(ctx)
	if err != nil {
		return nil, err
	}
	return c.similar.get(m, id, limit)
}
