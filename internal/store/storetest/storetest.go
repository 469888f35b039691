// Package storetest is the conformance suite of store.Store: every
// implementation runs Run and must pass it unchanged, so that SQLite and
// PostgreSQL behave alike.
package storetest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/store"
)

// Run runs the conformance suite. open must return a new, empty store for
// the test it is given and close it when that test ends (t.Cleanup).
func Run(t *testing.T, open func(t *testing.T) store.Store) {
	tests := []namedTest{
		{"ReplaceProject/RoundTrip", testRoundTrip},
		{"ReplaceProject/KeepsIDReplacesFacts", testReplaceKeepsID},
		{"ReplaceProject/Invalid", testReplaceInvalid},
		{"ReplaceProject/AtomicOnCancel", testReplaceAtomic},
		{"ReplaceProject/Strings", testStrings},
		{"ReplaceProject/Readme", testReadme},
		{"ReplaceProject/Docs", testDocs},
		{"ReplaceProject/Expertise", testExpertise},
		{"ReplaceProject/Large", testLarge},
		{"ReplaceProject/Concurrent", testConcurrent},
		{"ProjectStates", testProjectStates},
		{"TouchProject", testTouchProject},
		{"ReplaceProject/Revision", testRevision},
		{"TouchProjects", testTouchProjects},
		{"Project/Lookup", testProjectLookup},
		{"ListProjects", testListProjects},
		{"DeleteProject", testDeleteProject},
		{"Identities", testIdentities},
		{"ReplacePeople", testReplacePeople},
		{"ReplacePeople/InvalidKeepsOld", testReplacePeopleInvalid},
		{"ReplacePeople/Differences", testReplacePeopleDifferences},
		{"Person", testPerson},
		{"ListPeople", testListPeople},
		{"Scans", testScans},
		{"Dependencies/RoundTrip", testDependencies},
		{"Dependencies/Strings", testDependencyStrings},
		{"Dependencies/EncodedNUL", testDependencyEncodedNUL},
		{"Dependencies/Large", testDependenciesLarge},
		{"WhoUses", testWhoUses},
		{"WhoUses/Invalid", testWhoUsesInvalid},
		{"DirectDependencies", testDirectDependencies},
		{"Technologies", testTechnologies},
		{"Experts", testExperts},
		{"Generation", testGeneration},
	}
	tests = append(tests, accountTests...)
	tests = append(tests, auditTests...)
	tests = append(tests, advisoryTests...)
	tests = append(tests, licenseTests...)
	tests = append(tests, scoreTests...)
	tests = append(tests, sourceTests...)
	tests = append(tests, requestTests...)
	tests = append(tests, optOutTests...)
	tests = append(tests, helpTests...)
	tests = append(tests, pushTests...)
	tests = append(tests, eventTests...)
	tests = append(tests, inboxTests...)
	tests = append(tests, incrementalTests...)
	tests = append(tests, digestTests...)
	tests = append(tests, batchTests...)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.run(t, open(t))
		})
	}
}

// namedTest is one subtest of the suite, run on a fresh store.
type namedTest struct {
	name string
	run  func(t *testing.T, s store.Store)
}

// opts compare catalogue values read back with the values written: nil and
// empty slices are alike, and times compare with time.Equal (cmp uses it).
// opts compare projects as stored; the revision is the store's (see
// testRevision).
var opts = cmp.Options{cmpopts.EquateEmpty(), cmpopts.IgnoreFields(catalog.Project{}, "Revision")}

var t0 = time.Date(2024, 3, 4, 5, 6, 7, 123456789, time.UTC)

// project returns a project with every field set; seed varies the facts.
func project(key, name string, seed int) *catalog.Project {
	at := t0.Add(time.Duration(seed) * time.Hour)
	p := &catalog.Project{
		Key:               key,
		Name:              name,
		Path:              "/src/" + strings.NewReplacer("/", "_", ":", "_").Replace(key),
		Bare:              seed%2 == 1,
		RemoteURL:         "https://" + key,
		DefaultBranch:     "main",
		HeadCommit:        fmt.Sprintf("%040x", seed+1),
		HeadDate:          at.In(time.FixedZone("CEST", 2*3600)), // read back as UTC, Equal
		Description:       fmt.Sprintf("The %s project, seed %d", name, seed),
		DescriptionSource: "README.md",
		Topics:            []string{"go", fmt.Sprintf("topic-%d", seed)},
		Lifecycle:         "production",
		System:            "estate",
		Kind:              catalog.KindInnerSource,
		Languages: []catalog.Language{
			{Name: "Go", Bytes: 1000 + int64(seed), Files: 10},
			{Name: "Shell", Bytes: 10, Files: 1},
			{Name: "Python", Bytes: 500, Files: 3},
		},
		Owners: []catalog.Owner{
			{Owner: "@org/team-" + name, Source: catalog.OwnerCodeowners, Path: "CODEOWNERS", Pattern: "*"},
			{Owner: "group:payments", Source: catalog.OwnerCatalogInfo, Path: "catalog-info.yaml"},
		},
		Files: []catalog.FileFact{
			{Kind: catalog.FileReadme, Path: "README.md"},
			{Kind: catalog.FileLicense, Path: "LICENSE"},
			{Kind: catalog.FileTestFiles, Path: "12"},
		},
		Commits: 42 + seed,
		Problems: []catalog.Problem{
			{Kind: catalog.ProblemTooLarge, Path: "big.bin", Message: "file too large"},
		},
		Readme: &catalog.Readme{
			Path:      "README.md",
			Format:    catalog.ReadmeMarkdown,
			Text:      fmt.Sprintf("# %s\n\nThe %s project, seed %d.\n", name, name, seed),
			Truncated: seed%2 == 0,
		},
		ScannerVersion: catalog.ScannerVersion,
		ConfigHash:     "cfg1",
		ScannedAt:      at.Add(time.Minute),
		ScanDuration:   1500 * time.Millisecond,
	}
	p.Contributors = []catalog.Contribution{
		contribution("Alice", "alice@example.com", 30+seed, at),
		contribution("Bob", "bob@example.com", 12, at.Add(time.Hour)),
	}
	p.Dependencies = dependencies(seed)
	return p
}

func contribution(name, email string, commits int, last time.Time) catalog.Contribution {
	c := catalog.Contribution{
		Identity:     catalog.Identity{Name: name, Email: email},
		Commits:      commits,
		LinesAdded:   int64(commits) * 10,
		LinesRemoved: int64(commits) * 3,
		FirstCommit:  last.AddDate(0, -2, 0),
		LastCommit:   last,
	}
	for w := 0; w < 3; w++ {
		c.Weeks = append(c.Weeks, catalog.WeekActivity{
			Week:         catalog.WeekOf(last.AddDate(0, 0, -7*(2-w))),
			Commits:      1 + w,
			LinesAdded:   int64(10 * (w + 1)),
			LinesRemoved: int64(w),
		})
	}
	return c
}

// stored returns what reading p back must give: p with its ID, its
// languages ordered by bytes, most first, and its dependencies in the order
// of sortDependencies.
func stored(p *catalog.Project, id int64) catalog.Project {
	want := *p
	want.ID = id
	want.Languages = append([]catalog.Language(nil), p.Languages...)
	sortLanguages(want.Languages)
	want.Dependencies = sortDependencies(p.Dependencies)
	want.Docs = nil // kept for SearchDocs, returned by no read
	return want
}

func sortLanguages(ls []catalog.Language) {
	for i := 1; i < len(ls); i++ {
		for j := i; j > 0 && (ls[j].Bytes > ls[j-1].Bytes ||
			ls[j].Bytes == ls[j-1].Bytes && ls[j].Name < ls[j-1].Name); j-- {
			ls[j], ls[j-1] = ls[j-1], ls[j]
		}
	}
}

// listed returns what ListProjects must give for p: no weekly activity, no
// dependencies, no README.
func listed(p *catalog.Project, id int64) catalog.Project {
	want := stored(p, id)
	want.Dependencies = nil
	want.Readme = nil
	want.Expertise = nil
	want.Contributors = append([]catalog.Contribution(nil), p.Contributors...)
	for i := range want.Contributors {
		want.Contributors[i].Weeks = nil
	}
	return want
}

func replace(t *testing.T, s store.Store, p *catalog.Project) int64 {
	t.Helper()
	id, err := s.ReplaceProject(context.Background(), p)
	if err != nil {
		t.Fatalf("ReplaceProject(%s): %v", p.Key, err)
	}
	if id <= 0 {
		t.Fatalf("ReplaceProject(%s) = %d, want a positive ID", p.Key, id)
	}
	return id
}

func get(t *testing.T, s store.Store, ref string) *catalog.Project {
	t.Helper()
	p, err := s.Project(context.Background(), ref)
	if err != nil {
		t.Fatalf("Project(%q): %v", ref, err)
	}
	return p
}

func testRoundTrip(t *testing.T, s store.Store) {
	p := project("github.com/org/alpha", "alpha", 1)
	id := replace(t, s, p)
	got := get(t, s, p.Key)
	if diff := cmp.Diff(stored(p, id), *got, opts); diff != "" {
		t.Errorf("Project round trip (-want +got):\n%s", diff)
	}
	if got.HeadDate.Location() != time.UTC {
		t.Errorf("HeadDate location = %v, want UTC", got.HeadDate.Location())
	}

	// The zero value of every optional field survives too.
	bare := &catalog.Project{Key: "path:/empty", Name: "empty", Path: "/empty"}
	id = replace(t, s, bare)
	got = get(t, s, bare.Key)
	if diff := cmp.Diff(stored(bare, id), *got, opts); diff != "" {
		t.Errorf("empty Project round trip (-want +got):\n%s", diff)
	}
	if !got.HeadDate.IsZero() || !got.ScannedAt.IsZero() {
		t.Errorf("zero times read back as %v, %v", got.HeadDate, got.ScannedAt)
	}
}

func testReplaceKeepsID(t *testing.T, s store.Store) {
	ctx := context.Background()
	old := project("github.com/org/alpha", "alpha", 1)
	other := project("github.com/org/beta", "beta", 2)
	id := replace(t, s, old)
	otherID := replace(t, s, other)
	if otherID == id {
		t.Fatalf("two projects got ID %d", id)
	}

	p := project("github.com/org/alpha", "alpha-renamed", 3)
	p.Languages = []catalog.Language{{Name: "Rust", Bytes: 9, Files: 1}}
	p.Owners = nil
	p.Files = []catalog.FileFact{{Kind: catalog.FileSecurity, Path: "SECURITY.md"}}
	p.Problems = nil
	p.Topics = nil
	p.Contributors = []catalog.Contribution{contribution("Carol", "carol@example.com", 5, t0)}
	if got := replace(t, s, p); got != id {
		t.Errorf("second ReplaceProject = ID %d, want the first ID %d", got, id)
	}
	got := get(t, s, p.Key)
	if diff := cmp.Diff(stored(p, id), *got, opts); diff != "" {
		t.Errorf("Project after replace (-want +got):\n%s", diff)
	}
	// The other project is untouched.
	if diff := cmp.Diff(stored(other, otherID), *get(t, s, other.Key), opts); diff != "" {
		t.Errorf("other project after replace (-want +got):\n%s", diff)
	}
	// Old facts are gone everywhere, not only from Project.
	for _, f := range []store.ProjectFilter{{Language: "Go"}, {Owner: "@org/team-alpha"}} {
		ps, err := s.ListProjects(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		for _, lp := range ps {
			if lp.ID == id {
				t.Errorf("ListProjects(%+v) still finds the replaced project by an old fact", f)
			}
		}
	}
	ids, err := s.Identities(ctx)
	if err != nil {
		t.Fatal(err)
	}
	wantIDs := []catalog.IdentityCount{
		{Identity: catalog.Identity{Name: "Alice", Email: "alice@example.com"}, Commits: 32},
		{Identity: catalog.Identity{Name: "Bob", Email: "bob@example.com"}, Commits: 12},
		{Identity: catalog.Identity{Name: "Carol", Email: "carol@example.com"}, Commits: 5},
	}
	if diff := cmp.Diff(wantIDs, ids, opts); diff != "" {
		t.Errorf("Identities after replace (-want +got):\n%s", diff)
	}
}

func testReplaceInvalid(t *testing.T, s store.Store) {
	ctx := context.Background()
	if _, err := s.ReplaceProject(ctx, nil); err == nil {
		t.Error("ReplaceProject(nil) succeeded")
	}
	if _, err := s.ReplaceProject(ctx, &catalog.Project{Name: "nokey"}); err == nil {
		t.Error("ReplaceProject without a key succeeded")
	}
	ps, err := s.ListProjects(ctx, store.ProjectFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) != 0 {
		t.Errorf("invalid projects were stored: %+v", ps)
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := s.ReplaceProject(cancelled, project("k", "k", 1)); err == nil {
		t.Error("ReplaceProject with a cancelled context succeeded")
	}
	if _, err := s.Project(ctx, "k"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("after a cancelled ReplaceProject, Project = %v, want ErrNotFound", err)
	}
}

// doneAfter is a context that is cancelled the n-th time anyone asks for
// its Done channel: database/sql and the drivers ask before each step of a
// transaction, so raising n stops a transaction at each of its steps in turn.
type doneAfter struct {
	context.Context
	calls, n atomic.Int64
	once     sync.Once
	done     chan struct{}
}

func newDoneAfter(n int64) *doneAfter {
	c := &doneAfter{Context: context.Background(), done: make(chan struct{})}
	c.n.Store(n)
	return c
}

func (c *doneAfter) Done() <-chan struct{} {
	if c.calls.Add(1) >= c.n.Load() {
		c.once.Do(func() { close(c.done) })
	}
	return c.done
}

func (c *doneAfter) Err() error {
	select {
	case <-c.done:
		return context.Canceled
	default:
		return nil
	}
}

func testReplaceAtomic(t *testing.T, s store.Store) {
	ctx := context.Background()
	old := project("github.com/org/alpha", "alpha", 1)
	id := replace(t, s, old)
	wantOld := stored(old, id)

	neu := project("github.com/org/alpha", "alpha", 2)
	neu.Languages = []catalog.Language{{Name: "Rust", Bytes: 1, Files: 1}}
	// Enough rows that saving takes several statements.
	for i := 0; i < 600; i++ {
		neu.Contributors = append(neu.Contributors,
			contribution(fmt.Sprintf("dev%04d", i), fmt.Sprintf("dev%04d@example.com", i), 1, t0))
	}
	wantNew := stored(neu, id)

	// Stop at every step at first, then at every few steps: a statement takes
	// several steps, so each is still interrupted at least once.
	failed, keptOld := 0, 0
	for n := int64(1); ; n += 1 + n/30 {
		if n > 5000 {
			t.Fatal("ReplaceProject never succeeded")
		}
		_, err := s.ReplaceProject(newDoneAfter(n), neu)
		got := get(t, s, old.Key)
		isOld := len(got.Contributors) == len(wantOld.Contributors) && cmp.Equal(wantOld, *got, opts)
		isNew := !isOld && len(got.Contributors) == len(wantNew.Contributors) && cmp.Equal(wantNew, *got, opts)
		if !isOld && !isNew {
			t.Fatalf("ReplaceProject stopped at step %d (err %v) left a mix of old and new facts:\n%s",
				n, err, cmp.Diff(wantOld, *got, opts))
		}
		if err == nil {
			if !isNew {
				t.Fatalf("ReplaceProject stopped at step %d succeeded but the old facts are stored", n)
			}
			break
		}
		failed++
		if isOld {
			keptOld++
		} else if _, err := s.ReplaceProject(ctx, old); err != nil { // committed although reported failed: start over from old
			t.Fatal(err)
		}
	}
	if failed == 0 || keptOld == 0 {
		t.Errorf("no interrupted ReplaceProject kept the old facts (%d interrupted)", failed)
	}
	packageCounts(t, s, 1) // the counts of packages were rolled back with the rest
	t.Logf("%d interrupted replacements, %d left the old facts", failed, keptOld)
}

func testStrings(t *testing.T, s store.Store) {
	ctx := context.Background()
	nasty := "nul\x00byte, bad \xff\xfe utf-8, ünïcødé 日本語 🚀, quote ' \" back\\slash, 100%_like"
	clean := "nul\uFFFDbyte, bad \uFFFD utf-8, ünïcødé 日本語 🚀, quote ' \" back\\slash, 100%_like"
	p := project("github.com/org/"+nasty, nasty, 1)
	p.Path = "/src/" + nasty
	p.Description = nasty
	p.Topics = []string{nasty}
	p.Languages = []catalog.Language{{Name: nasty, Bytes: 1, Files: 1}}
	p.Owners = []catalog.Owner{{Owner: nasty, Source: nasty, Path: nasty, Pattern: nasty}}
	p.Files = []catalog.FileFact{{Kind: nasty, Path: nasty}}
	p.Problems = []catalog.Problem{{Kind: nasty, Path: nasty, Message: nasty}}
	p.Contributors = []catalog.Contribution{contribution(nasty, nasty+"@example.com", 3, t0)}
	p.Readme = &catalog.Readme{Path: nasty, Format: nasty, Text: nasty + "\n" + nasty}
	id := replace(t, s, p)

	want := *p
	want.ID = id
	want.Key, want.Name, want.Path = "github.com/org/"+clean, clean, "/src/"+clean
	want.RemoteURL = "https://" + want.Key
	want.Description = clean
	want.Topics = []string{clean}
	want.Languages = []catalog.Language{{Name: clean, Bytes: 1, Files: 1}}
	want.Owners = []catalog.Owner{{Owner: clean, Source: clean, Path: clean, Pattern: clean}}
	want.Files = []catalog.FileFact{{Kind: clean, Path: clean}}
	want.Problems = []catalog.Problem{{Kind: clean, Path: clean, Message: clean}}
	want.Contributors = []catalog.Contribution{contribution(clean, clean+"@example.com", 3, t0)}
	want.Readme = &catalog.Readme{Path: clean, Format: clean, Text: clean + "\n" + clean}
	want.Dependencies = sortDependencies(p.Dependencies)

	for _, ref := range []string{p.Key, want.Key, nasty, clean, strings.ToUpper(clean)} {
		got, err := s.Project(ctx, ref)
		if err != nil {
			t.Errorf("Project(%q): %v", ref, err)
			continue
		}
		if diff := cmp.Diff(want, *got, opts); diff != "" {
			t.Errorf("Project(%q) (-want +got):\n%s", ref, diff)
		}
	}
	for _, f := range []store.ProjectFilter{{Query: "ÜNÏCØDÉ 日本"}, {Query: "100%_"}, {Language: nasty}, {Owner: strings.ToUpper(clean)}} {
		ps, err := s.ListProjects(ctx, f)
		if err != nil {
			t.Errorf("ListProjects(%+v): %v", f, err)
		} else if len(ps) != 1 {
			t.Errorf("ListProjects(%+v) found %d projects, want 1", f, len(ps))
		}
	}
	// LIKE wildcards in a query are literal.
	for _, q := range []string{"%", "_", "a%z", `\`} {
		ps, err := s.ListProjects(ctx, store.ProjectFilter{Query: "zz" + q})
		if err != nil {
			t.Errorf("ListProjects(Query %q): %v", "zz"+q, err)
		} else if len(ps) != 0 {
			t.Errorf("ListProjects(Query %q) found %d projects, want 0", "zz"+q, len(ps))
		}
	}

	people := []catalog.Person{{ID: nasty, Name: nasty, Email: nasty, Identities: []catalog.Identity{{Name: nasty, Email: nasty + "@example.com"}}}}
	if err := s.ReplacePeople(ctx, people); err != nil {
		t.Fatalf("ReplacePeople: %v", err)
	}
	for _, ref := range []string{nasty, clean, strings.ToUpper(clean) + "@EXAMPLE.COM"} {
		got, err := s.Person(ctx, ref)
		if err != nil {
			t.Errorf("Person(%q): %v", ref, err)
			continue
		}
		if got.ID != clean || got.Commits != 3 || len(got.Projects) != 1 {
			t.Errorf("Person(%q) = %+v, want ID %q with 3 commits in 1 project", ref, got, clean)
		}
	}
	ids, err := s.Identities(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if want := []catalog.IdentityCount{{Identity: catalog.Identity{Name: clean, Email: clean + "@example.com"}, Commits: 3}}; !cmp.Equal(want, ids) {
		t.Errorf("Identities = %+v, want %+v", ids, want)
	}
}

func testLarge(t *testing.T, s store.Store) {
	const people, weeks = 5000, 10
	p := project("github.com/org/huge", "huge", 1)
	p.Contributors = make([]catalog.Contribution, people)
	for i := range p.Contributors {
		c := catalog.Contribution{
			Identity:     catalog.Identity{Name: fmt.Sprintf("Developer %d", i), Email: fmt.Sprintf("dev%d@example.com", i)},
			Commits:      weeks * 2,
			LinesAdded:   int64(i),
			LinesRemoved: int64(i / 2),
			FirstCommit:  t0.Add(time.Duration(i) * time.Second),
			LastCommit:   t0.AddDate(0, 0, 7*weeks),
		}
		for w := 0; w < weeks; w++ {
			c.Weeks = append(c.Weeks, catalog.WeekActivity{Week: catalog.WeekOf(t0.AddDate(0, 0, 7*w)), Commits: 2, LinesAdded: int64(w), LinesRemoved: 1})
		}
		p.Contributors[i] = c
	}
	start := time.Now()
	id := replace(t, s, p)
	saved := time.Since(start)
	start = time.Now()
	id2 := replace(t, s, p) // replacing the same facts deletes them all first
	resaved := time.Since(start)
	if id2 != id {
		t.Errorf("ID changed from %d to %d", id, id2)
	}
	start = time.Now()
	got := get(t, s, p.Key)
	read := time.Since(start)
	t.Logf("%d contributors, %d weekly rows: saved in %v, replaced in %v, read in %v",
		people, people*weeks, saved.Round(time.Millisecond), resaved.Round(time.Millisecond), read.Round(time.Millisecond))
	if diff := cmp.Diff(stored(p, id), *got, opts); diff != "" {
		t.Errorf("large project round trip (-want +got):\n%s", diff)
	}
	ids, err := s.Identities(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(ids) != people {
		t.Errorf("Identities: %d, want %d", len(ids), people)
	}
}

func testConcurrent(t *testing.T, s store.Store) {
	ctx := context.Background()
	const writers, each = 4, 8
	var wg sync.WaitGroup
	errs := make(chan error, writers*each*2+100)
	stop := make(chan struct{})
	for w := 0; w < writers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < each; i++ {
				p := project(fmt.Sprintf("github.com/org/w%d-p%d", w, i), fmt.Sprintf("w%d-p%d", w, i), w*each+i)
				for round := 0; round < 2; round++ {
					if _, err := s.ReplaceProject(ctx, p); err != nil {
						errs <- fmt.Errorf("writer %d: %w", w, err)
						return
					}
				}
			}
		}()
	}
	var readers sync.WaitGroup
	for r := 0; r < 2; r++ {
		readers.Add(1)
		go func() {
			defer readers.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				if _, err := s.ListProjects(ctx, store.ProjectFilter{Language: "go"}); err != nil {
					errs <- fmt.Errorf("reader: %w", err)
					return
				}
				if _, err := s.Project(ctx, "github.com/org/w0-p0"); err != nil && !errors.Is(err, store.ErrNotFound) {
					errs <- fmt.Errorf("reader: %w", err)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(stop)
	readers.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	ps, err := s.ListProjects(ctx, store.ProjectFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) != writers*each {
		t.Fatalf("ListProjects: %d projects, want %d", len(ps), writers*each)
	}
	packageCounts(t, s, writers*each)
	for _, got := range ps {
		var w, i int
		fmt.Sscanf(got.Name, "w%d-p%d", &w, &i)
		want := project(got.Key, got.Name, w*each+i)
		if diff := cmp.Diff(listed(want, got.ID), got, opts); diff != "" {
			t.Errorf("project %s (-want +got):\n%s", got.Key, diff)
		}
	}
}

func testProjectStates(t *testing.T, s store.Store) {
	ctx := context.Background()
	states, err := s.ProjectStates(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(states) != 0 {
		t.Errorf("ProjectStates of an empty store = %v", states)
	}
	a := project("github.com/org/a", "a", 1)
	b := project("github.com/org/b", "b", 2)
	b.HeadCommit, b.ConfigHash, b.ScannerVersion = "", "", "0"
	ida, idb := replace(t, s, a), replace(t, s, b)
	states, err = s.ProjectStates(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]store.State{
		a.Key: {ID: ida, HeadCommit: a.HeadCommit, ScannerVersion: a.ScannerVersion, ConfigHash: a.ConfigHash, Path: a.Path, RemoteURL: a.RemoteURL,
			Key: a.Key, Revision: get(t, s, a.Key).Revision, ScannedAt: a.ScannedAt},
		b.Key: {ID: idb, ScannerVersion: "0", Path: b.Path, RemoteURL: b.RemoteURL, Key: b.Key, Revision: get(t, s, b.Key).Revision,
			ScannedAt: b.ScannedAt},
	}
	if diff := cmp.Diff(want, states); diff != "" {
		t.Errorf("ProjectStates (-want +got):\n%s", diff)
	}
	for key, w := range want {
		got, err := s.ProjectState(ctx, key)
		if err != nil || !cmp.Equal(got, w) {
			t.Errorf("ProjectState(%q) = %+v, %v; want %+v", key, got, err, w)
		}
	}
	// A touch moves ScannedAt and keeps the revision.
	seen := t0.AddDate(0, 2, 0)
	if err := s.TouchProject(ctx, a.Key, seen); err != nil {
		t.Fatal(err)
	}
	w := want[a.Key]
	w.ScannedAt = seen
	if got, err := s.ProjectState(ctx, a.Key); err != nil || !cmp.Equal(got, w) {
		t.Errorf("ProjectState after a touch = %+v, %v; want %+v", got, err, w)
	}
	if _, err := s.ProjectState(ctx, "github.com/org/none"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("ProjectState of an unknown key: %v, want ErrNotFound", err)
	}
	// ProjectStamps: the same projects' ID, key, revision and scan time, by ID.
	if err := s.RekeyProject(ctx, b.Key, "github.com/org/b2"); err != nil {
		t.Fatal(err)
	}
	states, err = s.ProjectStates(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var wantStamps []store.State
	for _, st := range states {
		wantStamps = append(wantStamps, store.State{ID: st.ID, Key: st.Key, Revision: st.Revision, ScannedAt: st.ScannedAt})
	}
	slices.SortFunc(wantStamps, func(x, y store.State) int { return int(x.ID - y.ID) })
	stamps, err := s.ProjectStamps(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(wantStamps, stamps); diff != "" || len(stamps) != 2 || !stamps[0].ScannedAt.Equal(seen) && !stamps[1].ScannedAt.Equal(seen) {
		t.Errorf("ProjectStamps (-want +got):\n%s", diff)
	}
}

func testTouchProject(t *testing.T, s store.Store) {
	ctx := context.Background()
	p := project("github.com/org/a", "a", 1)
	id := replace(t, s, p)
	seen := t0.AddDate(0, 1, 0).In(time.FixedZone("X", -5*3600))
	if err := s.TouchProject(ctx, p.Key, seen); err != nil {
		t.Fatalf("TouchProject: %v", err)
	}
	want := stored(p, id)
	want.ScannedAt = seen
	if diff := cmp.Diff(want, *get(t, s, p.Key), opts); diff != "" {
		t.Errorf("Project after TouchProject (-want +got):\n%s", diff)
	}
	if err := s.TouchProject(ctx, "github.com/org/none", seen); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("TouchProject(unknown) = %v, want ErrNotFound", err)
	}
}

// testRevision checks that a project's revision grows with every
// ReplaceProject, and only then: a touch or another project's replacement
// leaves it; every way of reading a project gives it.
func testRevision(t *testing.T, s store.Store) {
	ctx := context.Background()
	a, b := project("github.com/org/a", "a", 1), project("github.com/org/b", "b", 2)
	replace(t, s, a)
	replace(t, s, b)
	revs := func() map[string]int64 {
		t.Helper()
		ps, err := s.ListProjects(ctx, store.ProjectFilter{})
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]int64{}
		for _, p := range ps {
			out[p.Name] = p.Revision
			if one := get(t, s, p.Key); one.Revision != p.Revision {
				t.Errorf("%s: Project gives revision %d, ListProjects %d", p.Name, one.Revision, p.Revision)
			}
		}
		return out
	}
	r0 := revs()
	if r0["a"] <= 0 || r0["b"] <= 0 || r0["a"] == r0["b"] {
		t.Fatalf("revisions after two replacements: %v, want two different positive numbers", r0)
	}
	if err := s.TouchProject(ctx, a.Key, t0.AddDate(0, 0, 1)); err != nil {
		t.Fatal(err)
	}
	if r := revs(); r["a"] != r0["a"] || r["b"] != r0["b"] {
		t.Errorf("after a touch: %v, want %v", r, r0)
	}
	a.Description = "changed"
	replace(t, s, a)
	r1 := revs()
	if r1["a"] <= r0["a"] || r1["a"] <= r0["b"] || r1["b"] != r0["b"] {
		t.Errorf("after replacing a: %v (before %v), want a's grown past every other and b's kept", r1, r0)
	}
}

// testTouchProjects touches projects named among more keys than one
// statement names (so several statements run in the one transaction), skips
// unknown keys, and changes nothing else.
func testTouchProjects(t *testing.T, s store.Store) {
	ctx := context.Background()
	keys := make([]string, 2501)
	for i := range keys {
		keys[i] = fmt.Sprintf("github.com/org/none%04d", i)
	}
	var ps []*catalog.Project
	for i, at := range []int{0, 999, 1000, 2500} {
		p := project(fmt.Sprintf("github.com/org/t%d", i), fmt.Sprintf("t%d", i), i+1)
		replace(t, s, p)
		keys[at] = p.Key
		ps = append(ps, p)
	}
	untouched := project("github.com/org/untouched", "untouched", 9)
	replace(t, s, untouched)
	before, err := s.ProjectStates(ctx)
	if err != nil {
		t.Fatal(err)
	}
	rev := get(t, s, ps[0].Key).Revision
	seen := t0.AddDate(0, 1, 0)
	got, err := s.TouchProjects(ctx, keys, seen)
	if err != nil {
		t.Fatalf("TouchProjects: %v", err)
	}
	if got != len(ps) {
		t.Errorf("TouchProjects touched %d, want %d (unknown keys skipped)", got, len(ps))
	}
	for _, p := range ps {
		if g := get(t, s, p.Key).ScannedAt; !g.Equal(seen) {
			t.Errorf("%s ScannedAt = %v, want %v", p.Key, g, seen)
		}
	}
	if g := get(t, s, untouched.Key).ScannedAt; g.Equal(seen) {
		t.Errorf("a project not named was touched")
	}
	if r := get(t, s, ps[0].Key).Revision; r != rev {
		t.Errorf("revision %d after TouchProjects, was %d (a touch keeps it)", r, rev)
	}
	after, err := s.ProjectStates(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// Only the scan times of the projects touched move.
	if diff := cmp.Diff(before, after, cmpopts.IgnoreFields(store.State{}, "ScannedAt")); diff != "" {
		t.Errorf("ProjectStates changed by TouchProjects (-before +after):\n%s", diff)
	}
	for key, st := range after {
		if touched := key != untouched.Key; touched != st.ScannedAt.Equal(seen) {
			t.Errorf("ProjectStates[%s].ScannedAt = %v after TouchProjects (touched: %v)", key, st.ScannedAt, touched)
		}
	}
	if got, err := s.TouchProjects(ctx, nil, seen); err != nil || got != 0 {
		t.Errorf("TouchProjects(nil) = %d, %v", got, err)
	}
}

func testProjectLookup(t *testing.T, s store.Store) {
	ctx := context.Background()
	a := project("github.com/org/tools", "tools", 1)
	b := project("gitlab.com/other/tools", "tools", 2)
	c := project("github.com/org/Widget", "Widget", 3)
	d := project("github.com/org/widget", "widget", 4)
	e := project("path:/src/e", "424242", 5) // a name that looks like an ID
	ida, _, idc, idd, ide := replace(t, s, a), replace(t, s, b), replace(t, s, c), replace(t, s, d), replace(t, s, e)
	f := project("github.com/org/f", fmt.Sprint(ida), 6) // a name that is another project's ID
	idf := replace(t, s, f)

	tests := []struct {
		ref    string
		wantID int64
		err    error
	}{
		{fmt.Sprint(ida), ida, nil}, // an ID wins over a name
		{fmt.Sprint(idf), idf, nil},
		{a.Key, ida, nil},
		{a.Path, ida, nil},
		{"Widget", idc, nil}, // exact case wins over a case-insensitive match
		{"widget", idd, nil},
		{"WIDGET", 0, store.ErrAmbiguous},
		{"tools", 0, store.ErrAmbiguous},
		{"TOOLS", 0, store.ErrAmbiguous},
		{"424242", ide, nil},
		{"nothing", 0, store.ErrNotFound},
		{"", 0, store.ErrNotFound},
		{"999999", 0, store.ErrNotFound},
		{"-1", 0, store.ErrNotFound},
	}
	for _, tt := range tests {
		got, err := s.Project(ctx, tt.ref)
		if tt.err != nil {
			if !errors.Is(err, tt.err) {
				t.Errorf("Project(%q) error = %v, want %v", tt.ref, err, tt.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("Project(%q): %v", tt.ref, err)
			continue
		}
		if got.ID != tt.wantID {
			t.Errorf("Project(%q) = ID %d (%s), want %d", tt.ref, got.ID, got.Key, tt.wantID)
		}
	}
	_, err := s.Project(ctx, "tools")
	for _, key := range []string{a.Key, b.Key} {
		if err == nil || !strings.Contains(err.Error(), key) {
			t.Errorf("ambiguous Project error %q does not name candidate %s", err, key)
		}
	}
}

func testListProjects(t *testing.T, s store.Store) {
	ctx := context.Background()
	a := project("github.com/org/alpha", "alpha", 1)
	b := project("github.com/org/Beta", "Beta", 2)
	b.Languages = []catalog.Language{{Name: "Rust", Bytes: 5, Files: 1}}
	b.Owners = []catalog.Owner{{Owner: "@org/rusty", Source: catalog.OwnerCodeowners, Path: "CODEOWNERS"}}
	b.Description = "A Fast Parser"
	c := project("github.com/zzz/alpha", "alpha", 3)
	c.Problems = nil
	d := project("github.com/org/delta", "delta", 4)
	d.Languages, d.Owners, d.Files, d.Problems, d.Contributors = nil, nil, nil, nil, nil
	ids := map[string]int64{}
	for _, p := range []*catalog.Project{d, c, b, a} {
		ids[p.Key] = replace(t, s, p)
	}
	byKey := map[string]*catalog.Project{a.Key: a, b.Key: b, c.Key: c, d.Key: d}

	tests := []struct {
		f    store.ProjectFilter
		want []string // keys, in order
	}{
		{store.ProjectFilter{}, []string{b.Key, a.Key, c.Key, d.Key}}, // by name (code point order), then key
		{store.ProjectFilter{Query: "ALPHA"}, []string{a.Key, c.Key}},
		{store.ProjectFilter{Query: "fast parser"}, []string{b.Key}},                       // description
		{store.ProjectFilter{Query: "zzz/"}, []string{c.Key}},                              // key
		{store.ProjectFilter{Query: "/src/github.com_org"}, []string{b.Key, a.Key, d.Key}}, // path
		{store.ProjectFilter{Language: "go"}, []string{a.Key, c.Key}},
		{store.ProjectFilter{Language: "RUST"}, []string{b.Key}},
		{store.ProjectFilter{Language: "COBOL"}, nil},
		{store.ProjectFilter{Owner: "@org/rusty"}, []string{b.Key}},
		{store.ProjectFilter{Owner: "group:payments"}, []string{a.Key, c.Key}},
		{store.ProjectFilter{Owner: "group:payments", Query: "zzz"}, []string{c.Key}},
		{store.ProjectFilter{Language: "go", Owner: "@org/team-alpha"}, []string{a.Key, c.Key}},
		{store.ProjectFilter{Limit: 2}, []string{b.Key, a.Key}},
		{store.ProjectFilter{Limit: 2, Offset: 1}, []string{a.Key, c.Key}},
		{store.ProjectFilter{Offset: 3}, []string{d.Key}},
		{store.ProjectFilter{Offset: 10}, nil},
		{store.ProjectFilter{Language: "go", Limit: 1, Offset: 1}, []string{c.Key}},
	}
	for _, tt := range tests {
		got, err := s.ListProjects(ctx, tt.f)
		if err != nil {
			t.Errorf("ListProjects(%+v): %v", tt.f, err)
			continue
		}
		var want []catalog.Project
		for _, k := range tt.want {
			want = append(want, listed(byKey[k], ids[k]))
		}
		if diff := cmp.Diff(want, got, opts); diff != "" {
			t.Errorf("ListProjects(%+v) (-want +got):\n%s", tt.f, diff)
		}
	}
}

func testDeleteProject(t *testing.T, s store.Store) {
	ctx := context.Background()
	a := project("github.com/org/a", "a", 1)
	b := project("github.com/org/b", "b", 2)
	b.Contributors = []catalog.Contribution{contribution("Zed", "zed@example.com", 1, t0)}
	replace(t, s, a)
	idb := replace(t, s, b)
	if err := s.DeleteProject(ctx, a.Key); err != nil {
		t.Fatalf("DeleteProject: %v", err)
	}
	if _, err := s.Project(ctx, a.Key); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Project after delete = %v, want ErrNotFound", err)
	}
	if err := s.DeleteProject(ctx, a.Key); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("second DeleteProject = %v, want ErrNotFound", err)
	}
	ps, err := s.ListProjects(ctx, store.ProjectFilter{Language: "Go"})
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) != 1 || ps[0].ID != idb {
		t.Errorf("ListProjects after delete = %d projects, want only b", len(ps))
	}
	ids, err := s.Identities(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := []catalog.IdentityCount{{Identity: catalog.Identity{Name: "Zed", Email: "zed@example.com"}, Commits: 1}}
	if diff := cmp.Diff(want, ids); diff != "" {
		t.Errorf("Identities after delete (-want +got):\n%s", diff)
	}
	states, err := s.ProjectStates(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := states[a.Key]; ok || len(states) != 1 {
		t.Errorf("ProjectStates after delete = %v", states)
	}
	// A project can come back under its key.
	if id := replace(t, s, a); id == idb {
		t.Errorf("re-added project got the ID of another")
	}
}

func testIdentities(t *testing.T, s store.Store) {
	ctx := context.Background()
	ids, err := s.Identities(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(ids) != 0 {
		t.Errorf("Identities of an empty store = %v", ids)
	}
	a := project("github.com/org/a", "a", 1) // Alice 31, Bob 12
	b := project("github.com/org/b", "b", 2) // Alice 32, Bob 12
	b.Contributors = append(b.Contributors,
		contribution("alice", "alice@example.com", 4, t0), // another spelling: another identity
		contribution("Alice", "ALICE@example.com", 5, t0))
	replace(t, s, a)
	replace(t, s, b)
	ids, err = s.Identities(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := []catalog.IdentityCount{
		{Identity: catalog.Identity{Name: "Alice", Email: "ALICE@example.com"}, Commits: 5},
		{Identity: catalog.Identity{Name: "Alice", Email: "alice@example.com"}, Commits: 63},
		{Identity: catalog.Identity{Name: "Bob", Email: "bob@example.com"}, Commits: 24},
		{Identity: catalog.Identity{Name: "alice", Email: "alice@example.com"}, Commits: 4},
	}
	if diff := cmp.Diff(want, ids); diff != "" {
		t.Errorf("Identities (-want +got):\n%s", diff)
	}
}

// estate stores two projects and merges their identities into people:
//
//	alice: Alice <alice@example.com> and alice <ALICE@corp.example>
//	bob:   Bob <bob@example.com>
//	bot:   dependabot[bot] (a bot)
//	sam1, sam2: two people named Sam
//
// Carol <carol@example.com> contributes but belongs to nobody.
func estate(t *testing.T, s store.Store) (a, b *catalog.Project, ida, idb int64, people []catalog.Person) {
	t.Helper()
	t1 := t0.AddDate(0, 1, 0)
	a = project("github.com/org/a", "a", 1)
	a.Contributors = []catalog.Contribution{
		contribution("Alice", "alice@example.com", 10, t0),
		contribution("Bob", "bob@example.com", 7, t0),
		contribution("dependabot[bot]", "49699333+dependabot[bot]@users.noreply.github.com", 100, t0),
		contribution("Carol", "carol@example.com", 2, t0),
	}
	b = project("github.com/org/b", "b", 2)
	b.Contributors = []catalog.Contribution{
		contribution("alice", "ALICE@corp.example", 5, t1),
		contribution("Sam", "sam@a.example", 1, t0),
		contribution("Sam", "sam@b.example", 3, t0),
	}
	ida, idb = replace(t, s, a), replace(t, s, b)
	people = []catalog.Person{
		{ID: "alice", Name: "Alice", Email: "alice@example.com", Identities: []catalog.Identity{
			{Name: "Alice", Email: "alice@example.com"}, {Name: "alice", Email: "ALICE@corp.example"}}},
		{ID: "bob", Name: "Bob", Email: "bob@example.com", Identities: []catalog.Identity{
			{Name: "Bob", Email: "bob@example.com"}}},
		{ID: "bot", Name: "dependabot[bot]", Email: "49699333+dependabot[bot]@users.noreply.github.com", Bot: true,
			Identities: []catalog.Identity{{Name: "dependabot[bot]", Email: "49699333+dependabot[bot]@users.noreply.github.com"}}},
		{ID: "sam1", Name: "Sam", Email: "sam@a.example", Identities: []catalog.Identity{{Name: "Sam", Email: "sam@a.example"}}},
		{ID: "sam2", Name: "Sam", Email: "sam@b.example", Identities: []catalog.Identity{{Name: "Sam", Email: "sam@b.example"}}},
		{ID: "dora", Name: "Dora", Email: "dora@example.com"}, // no contributions
	}
	if err := s.ReplacePeople(context.Background(), people); err != nil {
		t.Fatalf("ReplacePeople: %v", err)
	}
	return a, b, ida, idb, people
}

func personIDs(p *catalog.Project) map[string]string {
	m := map[string]string{}
	for _, c := range p.Contributors {
		m[c.Email] = c.PersonID
	}
	return m
}

func testReplacePeople(t *testing.T, s store.Store) {
	ctx := context.Background()
	a, _, _, _, _ := estate(t, s)
	want := map[string]string{
		"alice@example.com": "alice", "bob@example.com": "bob",
		"49699333+dependabot[bot]@users.noreply.github.com": "bot", "carol@example.com": "",
	}
	if diff := cmp.Diff(want, personIDs(get(t, s, a.Key))); diff != "" {
		t.Errorf("contributors' PersonID (-want +got):\n%s", diff)
	}
	ps, err := s.ListProjects(ctx, store.ProjectFilter{Query: "github.com/org/a"})
	if err != nil || len(ps) != 1 {
		t.Fatalf("ListProjects = %d, %v", len(ps), err)
	}
	if diff := cmp.Diff(want, personIDs(&ps[0])); diff != "" {
		t.Errorf("listed contributors' PersonID (-want +got):\n%s", diff)
	}

	// Replacing the people replaces them all: bob now owns Carol too and
	// alice is gone.
	people := []catalog.Person{{ID: "bob", Name: "Bob", Email: "bob@example.com", Identities: []catalog.Identity{
		{Name: "Bob", Email: "bob@example.com"}, {Name: "Carol", Email: "carol@example.com"}}}}
	if err := s.ReplacePeople(ctx, people); err != nil {
		t.Fatalf("ReplacePeople: %v", err)
	}
	want = map[string]string{
		"alice@example.com": "", "bob@example.com": "bob",
		"49699333+dependabot[bot]@users.noreply.github.com": "", "carol@example.com": "bob",
	}
	if diff := cmp.Diff(want, personIDs(get(t, s, a.Key))); diff != "" {
		t.Errorf("contributors' PersonID after second ReplacePeople (-want +got):\n%s", diff)
	}
	if _, err := s.Person(ctx, "alice"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Person(alice) after replacement = %v, want ErrNotFound", err)
	}
	bob, err := s.Person(ctx, "bob")
	if err != nil {
		t.Fatal(err)
	}
	if bob.Commits != 9 {
		t.Errorf("bob's commits = %d, want 9 (his 7 and Carol's 2)", bob.Commits)
	}
	if err := s.ReplacePeople(ctx, nil); err != nil {
		t.Fatalf("ReplacePeople(nil): %v", err)
	}
	if got, err := s.ListPeople(ctx, store.PersonFilter{IncludeBots: true}); err != nil || len(got) != 0 {
		t.Errorf("ListPeople after ReplacePeople(nil) = %d people, %v", len(got), err)
	}
}

// testReplacePeopleDifferences replaces the people several times, each
// set differing from the last in every way a set can (a person renamed,
// added, removed, turned bot; an identity moved to another person, to a
// new one, reordered, dropped), and checks that the store then holds
// exactly the last set, found by every identity.
func testReplacePeopleDifferences(t *testing.T, s store.Store) {
	ctx := context.Background()
	estate(t, s)
	id := func(name, email string) catalog.Identity { return catalog.Identity{Name: name, Email: email} }
	sets := [][]catalog.Person{
		{
			{ID: "alice", Name: "Alice", Email: "alice@example.com", Identities: []catalog.Identity{
				id("Alice", "alice@example.com"), id("alice", "ALICE@corp.example")}},
			{ID: "bob", Name: "Bob", Email: "bob@example.com", Identities: []catalog.Identity{id("Bob", "bob@example.com")}},
			{ID: "bot", Name: "ci", Email: "ci@example.com", Identities: []catalog.Identity{id("ci", "ci@example.com")}},
			{ID: "sam1", Name: "Sam", Email: "sam@a.example", Identities: []catalog.Identity{id("Sam", "sam@a.example")}},
			{ID: "sam2", Name: "Sam", Email: "sam@b.example", Identities: []catalog.Identity{
				id("Sam", "sam@b.example"), id("S", "s@b.example")}},
		},
		{
			{ID: "alice", Name: "Alice Smith", Email: "alice@example.com", Identities: []catalog.Identity{
				id("Alice", "alice@example.com")}},
			{ID: "bob", Name: "Bob", Email: "bob@example.com", Identities: []catalog.Identity{
				id("Bob", "bob@example.com"), id("alice", "ALICE@corp.example")}},
			{ID: "bot", Name: "ci", Email: "ci@example.com", Bot: true, Identities: []catalog.Identity{id("ci", "ci@example.com")}},
			{ID: "sam2", Name: "Sam", Email: "sam@b.example", Identities: []catalog.Identity{
				id("S", "s@b.example"), id("Sam", "sam@b.example")}},
			{ID: "aaron", Name: "Sam", Email: "sam@a.example", Identities: []catalog.Identity{id("Sam", "sam@a.example")}},
			{ID: "zed", Name: "Zed", Email: "zed@example.com"},
		},
		nil, // the same again: nothing changes
		{
			{ID: "bob", Name: "Bob", Email: "bob@example.com", Identities: []catalog.Identity{id("Bob", "bob@example.com")}},
		},
	}
	sets[2] = sets[1]
	for n, set := range sets {
		if err := s.ReplacePeople(ctx, set); err != nil {
			t.Fatalf("set %d: ReplacePeople: %v", n, err)
		}
		got, err := s.ListPeople(ctx, store.PersonFilter{IncludeBots: true})
		if err != nil {
			t.Fatal(err)
		}
		type row struct {
			ID, Name, Email string
			Bot             bool
			Identities      []catalog.Identity
		}
		var gotRows, wantRows []row
		for _, p := range got {
			gotRows = append(gotRows, row{p.ID, p.Name, p.Email, p.Bot, p.Identities})
		}
		for _, p := range set {
			wantRows = append(wantRows, row{p.ID, p.Name, p.Email, p.Bot, p.Identities})
		}
		slices.SortFunc(gotRows, func(a, b row) int { return strings.Compare(a.ID, b.ID) })
		slices.SortFunc(wantRows, func(a, b row) int { return strings.Compare(a.ID, b.ID) })
		if diff := cmp.Diff(wantRows, gotRows, cmpopts.EquateEmpty()); diff != "" {
			t.Errorf("set %d: people (-want +got):\n%s", n, diff)
		}
		for _, p := range set {
			for _, i := range p.Identities {
				if got, err := s.Person(ctx, i.Email); err != nil || got.ID != p.ID {
					t.Errorf("set %d: Person(%s) = %v, %v; want %s", n, i.Email, got, err, p.ID)
				}
				found, err := s.ListPeople(ctx, store.PersonFilter{Query: i.Email, IncludeBots: true, NoTotals: true})
				if err != nil || !slices.ContainsFunc(found, func(f catalog.Person) bool { return f.ID == p.ID }) {
					t.Errorf("set %d: ListPeople(query %s) = %d people, %v; want %s among them", n, i.Email, len(found), err, p.ID)
				}
			}
		}
	}
	for _, gone := range []string{"alice", "sam1", "aaron", "zed", "sam@a.example", "ALICE@corp.example"} {
		if _, err := s.Person(ctx, gone); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("Person(%s) after the last set: %v, want ErrNotFound", gone, err)
		}
	}
}

func testReplacePeopleInvalid(t *testing.T, s store.Store) {
	ctx := context.Background()
	estate(t, s)
	before, err := s.ListPeople(ctx, store.PersonFilter{IncludeBots: true})
	if err != nil {
		t.Fatal(err)
	}
	bad := [][]catalog.Person{
		{{ID: "x", Name: "X"}, {ID: "x", Name: "Other X"}}, // one ID twice
		{{ID: "", Name: "Nobody"}},                         // no ID
		{{ID: "p", Identities: []catalog.Identity{{Name: "Bob", Email: "bob@example.com"}}},
			{ID: "q", Identities: []catalog.Identity{{Name: "Bob", Email: "bob@example.com"}}}}, // one identity, two people
	}
	for i, people := range bad {
		if err := s.ReplacePeople(ctx, people); err == nil {
			t.Errorf("ReplacePeople(bad %d) succeeded", i)
		}
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if err := s.ReplacePeople(cancelled, []catalog.Person{{ID: "new"}}); err == nil {
		t.Error("ReplacePeople with a cancelled context succeeded")
	}
	after, err := s.ListPeople(ctx, store.PersonFilter{IncludeBots: true})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(before, after, opts); diff != "" {
		t.Errorf("failed ReplacePeople changed the people (-before +after):\n%s", diff)
	}
}

func testPerson(t *testing.T, s store.Store) {
	ctx := context.Background()
	_, _, ida, idb, people := estate(t, s)
	t1 := t0.AddDate(0, 1, 0)
	wantAlice := people[0]
	wantAlice.Commits, wantAlice.LinesAdded, wantAlice.LinesRemoved = 15, 150, 45
	wantAlice.FirstCommit, wantAlice.LastCommit = t0.AddDate(0, -2, 0), t1
	wantAlice.Projects = []catalog.PersonProject{
		{ProjectID: ida, Project: "a", Commits: 10, LinesAdded: 100, LinesRemoved: 30, FirstCommit: t0.AddDate(0, -2, 0), LastCommit: t0},
		{ProjectID: idb, Project: "b", Commits: 5, LinesAdded: 50, LinesRemoved: 15, FirstCommit: t1.AddDate(0, -2, 0), LastCommit: t1},
	}
	// Alice's weekly activity: the weeks of her identities' contributions
	// in both projects, as Project reads them back, summed by week.
	byWeek := map[time.Time]*catalog.WeekActivity{}
	for _, id := range []int64{ida, idb} {
		p, err := s.Project(ctx, strconv.FormatInt(id, 10))
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range p.Contributors {
			if !slices.Contains(wantAlice.Identities, c.Identity) {
				continue
			}
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
	}
	for _, a := range byWeek {
		wantAlice.Activity = append(wantAlice.Activity, *a)
	}
	slices.SortFunc(wantAlice.Activity, func(a, b catalog.WeekActivity) int { return a.Week.Compare(b.Week) })
	if len(wantAlice.Activity) < 2 {
		t.Fatalf("the estate gives Alice %d weeks of activity; the test needs several", len(wantAlice.Activity))
	}
	wantDora := people[5]

	tests := []struct {
		ref  string
		want *catalog.Person
		err  error
	}{
		{"alice", &wantAlice, nil},
		{"alice@example.com", &wantAlice, nil},
		{"Alice@Example.COM", &wantAlice, nil},
		{"alice@corp.example", &wantAlice, nil}, // an identity's email, case-insensitively
		{"ALICE", &wantAlice, nil},              // a name, case-insensitively
		{"dora", &wantDora, nil},                // no contributions: zero totals
		{"Sam", nil, store.ErrAmbiguous},
		{"sam@b.example", nil, nil},
		{"carol@example.com", nil, store.ErrNotFound}, // contributes, but is nobody
		{"nobody", nil, store.ErrNotFound},
	}
	for _, tt := range tests {
		got, err := s.Person(ctx, tt.ref)
		if tt.err != nil {
			if !errors.Is(err, tt.err) {
				t.Errorf("Person(%q) error = %v, want %v", tt.ref, err, tt.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("Person(%q): %v", tt.ref, err)
			continue
		}
		if tt.want == nil {
			if got.ID != "sam2" || got.Commits != 3 {
				t.Errorf("Person(%q) = %s with %d commits, want sam2 with 3", tt.ref, got.ID, got.Commits)
			}
			continue
		}
		if diff := cmp.Diff(tt.want, got, opts); diff != "" {
			t.Errorf("Person(%q) (-want +got):\n%s", tt.ref, diff)
		}
	}
	_, err := s.Person(ctx, "sam")
	if err == nil || !strings.Contains(err.Error(), "sam1") || !strings.Contains(err.Error(), "sam2") {
		t.Errorf("ambiguous Person error %q does not name the candidates", err)
	}
}

func testListPeople(t *testing.T, s store.Store) {
	ctx := context.Background()
	estate(t, s)
	tests := []struct {
		f    store.PersonFilter
		want []string // IDs, in order
	}{
		{store.PersonFilter{}, []string{"alice", "bob", "sam2", "sam1", "dora"}},
		{store.PersonFilter{IncludeBots: true}, []string{"bot", "alice", "bob", "sam2", "sam1", "dora"}},
		{store.PersonFilter{Query: "CORP.example"}, []string{"alice"}}, // an identity's email
		{store.PersonFilter{Query: "sam"}, []string{"sam2", "sam1"}},
		{store.PersonFilter{Query: "dependabot"}, nil},
		{store.PersonFilter{Query: "dependabot", IncludeBots: true}, []string{"bot"}},
		{store.PersonFilter{Query: "%"}, nil},
		{store.PersonFilter{Limit: 2}, []string{"alice", "bob"}},
		{store.PersonFilter{Limit: 2, Offset: 2}, []string{"sam2", "sam1"}},
		{store.PersonFilter{Offset: 4}, []string{"dora"}},
	}
	for _, tt := range tests {
		got, err := s.ListPeople(ctx, tt.f)
		if err != nil {
			t.Errorf("ListPeople(%+v): %v", tt.f, err)
			continue
		}
		var ids []string
		for _, p := range got {
			ids = append(ids, p.ID)
			if p.Projects != nil {
				t.Errorf("ListPeople(%+v): %s has Projects", tt.f, p.ID)
			}
		}
		if diff := cmp.Diff(tt.want, ids, opts); diff != "" {
			t.Errorf("ListPeople(%+v) (-want +got):\n%s", tt.f, diff)
		}
	}
	got, err := s.ListPeople(ctx, store.PersonFilter{Limit: 1})
	if err != nil || len(got) != 1 {
		t.Fatalf("ListPeople = %v, %v", got, err)
	}
	alice := got[0]
	if alice.Commits != 15 || alice.LinesAdded != 150 || alice.LinesRemoved != 45 ||
		!alice.FirstCommit.Equal(t0.AddDate(0, -2, 0)) || !alice.LastCommit.Equal(t0.AddDate(0, 1, 0)) ||
		len(alice.Identities) != 2 || alice.Identities[1].Email != "ALICE@corp.example" {
		t.Errorf("ListPeople totals of alice = %+v", alice)
	}
	// NoTotals: the same people and identities, totals zero, by name and ID.
	for _, f := range []store.PersonFilter{{IncludeBots: true}, {Query: "sam"}, {Limit: 2, Offset: 1}} {
		with, err := s.ListPeople(ctx, store.PersonFilter{IncludeBots: f.IncludeBots, Query: f.Query})
		if err != nil {
			t.Fatal(err)
		}
		for i := range with {
			with[i].Commits, with[i].LinesAdded, with[i].LinesRemoved = 0, 0, 0
			with[i].FirstCommit, with[i].LastCommit = time.Time{}, time.Time{}
		}
		slices.SortFunc(with, func(a, b catalog.Person) int {
			if c := strings.Compare(a.Name, b.Name); c != 0 {
				return c
			}
			return strings.Compare(a.ID, b.ID)
		})
		if f.Limit > 0 {
			with = with[f.Offset:min(len(with), f.Offset+f.Limit)]
		}
		f.NoTotals = true
		got, err := s.ListPeople(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(with, got, opts); diff != "" {
			t.Errorf("ListPeople(%+v) (-want +got):\n%s", f, diff)
		}
	}
}

func testScans(t *testing.T, s store.Store) {
	ctx := context.Background()
	if _, err := s.LastScan(ctx); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("LastScan of an empty store = %v, want ErrNotFound", err)
	}
	run := catalog.ScanRun{StartedAt: t0, Roots: []string{"/src", "/mirrors/ü"}}
	id, err := s.StartScan(ctx, run)
	if err != nil {
		t.Fatalf("StartScan: %v", err)
	}
	run.ID = id
	got, err := s.LastScan(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(run, *got, opts); diff != "" {
		t.Errorf("LastScan after StartScan (-want +got):\n%s", diff)
	}
	run.FinishedAt = t0.Add(90 * time.Second)
	run.Found, run.Scanned, run.Unchanged, run.Failed, run.Problems = 10, 6, 3, 1, 4
	if err := s.FinishScan(ctx, run); err != nil {
		t.Fatalf("FinishScan: %v", err)
	}
	got, err = s.LastScan(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(run, *got, opts); diff != "" {
		t.Errorf("LastScan after FinishScan (-want +got):\n%s", diff)
	}

	second := catalog.ScanRun{StartedAt: t0.Add(time.Hour)}
	id2, err := s.StartScan(ctx, second)
	if err != nil {
		t.Fatal(err)
	}
	if id2 == id {
		t.Errorf("two scans got ID %d", id)
	}
	if got, err := s.LastScan(ctx); err != nil || got.ID != id2 {
		t.Errorf("LastScan = %+v, %v, want the second run %d", got, err, id2)
	}
	if err := s.FinishScan(ctx, catalog.ScanRun{ID: id2 + 100}); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("FinishScan(unknown) = %v, want ErrNotFound", err)
	}
}
