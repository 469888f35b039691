package events

import (
	"context"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/extract/gitlog"
)

// step is one commit of a fixture history.
type step struct {
	name, email string
	day         int // days after 2024-03-04 (a Monday)
	files       map[string]string
}

var base = time.Date(2024, 3, 4, 10, 0, 0, 0, time.UTC)

// buildRepo commits steps into a new repository and returns its directory
// and the commit hashes, oldest first.
func buildRepo(t *testing.T, steps []step) (string, []string) {
	t.Helper()
	dir := t.TempDir()
	git := func(env []string, args ...string) string {
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1")
		cmd.Env = append(cmd.Env, env...)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
		return strings.TrimSpace(string(out))
	}
	git(nil, "init", "-q", "-b", "main")
	var hashes []string
	for i, s := range steps {
		for p, content := range s.files {
			full := filepath.Join(dir, filepath.FromSlash(p))
			if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(full, []byte(content), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		git(nil, "add", "-A")
		date := base.AddDate(0, 0, s.day).Add(time.Duration(i) * time.Minute).Format(time.RFC3339)
		env := []string{"GIT_AUTHOR_NAME=" + s.name, "GIT_AUTHOR_EMAIL=" + s.email, "GIT_AUTHOR_DATE=" + date,
			"GIT_COMMITTER_NAME=" + s.name, "GIT_COMMITTER_EMAIL=" + s.email, "GIT_COMMITTER_DATE=" + date}
		git(env, "commit", "-q", "--allow-empty", "-m", "step")
		hashes = append(hashes, git(nil, "rev-parse", "HEAD"))
	}
	return dir, hashes
}

func lines(n int, word string) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		b.WriteString(word + " line\n")
	}
	return b.String()
}

const mainGo = "package main\n\nfunc main() {\n\tprintln(1)\n}\n"

// fixture is an InnerSource project owned by team "a": ann (team a) starts
// it, bob (team b) contributes, carol (no known team) too, a bot and
// trivial commits earn nothing.
var fixture = []step{
	{"Ann", "ann@example.com", 0, map[string]string{"README.md": lines(12, "readme"), "LICENSE": "MIT\n", "main.go": mainGo,
		"catalog-info.yaml": "x"}},
	{"Bob", "bob@example.com", 1, map[string]string{"main.go": mainGo + "// bob\n"}},
	{"Bob", "bob@example.com", 1, map[string]string{"main.go": mainGo + "// bob again\n"}},
	{"Bob", "bob@example.com", 2, map[string]string{"main.go": strings.ReplaceAll(mainGo+"// bob again\n", "\t", "    ")}}, // whitespace only
	{"dependabot[bot]", "49699333+dependabot[bot]@users.noreply.github.com", 2, map[string]string{"go.mod": "module x\n"}},
	{"Bob", "bob@example.com", 3, map[string]string{"SECURITY.md": "Report to security@example.com\n", "main.go": mainGo + "// v3\n"}},
	{"Carol", "carol@example.com", 4, map[string]string{"docs/guide.md": lines(20, "guide")}},
	{"Bob", "bob@example.com", 5, map[string]string{"package-lock.json": "{}\n"}}, // generated only
	{"Ann", "ann@example.com", 6, map[string]string{"docs/short.md": "tiny\n"}},   // too short to count
}

func fixtureProject(dir string, commits []catalog.CommitFact) catalog.Project {
	p := catalog.Project{Key: "github.com/org/lib", Name: "lib", Path: dir, Kind: catalog.KindInnerSource,
		Owners: []catalog.Owner{{Owner: "group:default/a", Source: catalog.OwnerCatalogInfo, Path: "catalog-info.yaml"}}}
	first := map[string]time.Time{}
	for _, c := range commits {
		if _, ok := first[c.Email]; !ok {
			first[c.Email] = c.At
		}
	}
	for e, at := range first {
		p.Contributors = append(p.Contributors, catalog.Contribution{Identity: catalog.Identity{Email: e}, FirstCommit: at})
	}
	if len(commits) > 0 {
		p.HeadCommit = commits[len(commits)-1].Hash
	}
	return p
}

var fixtureTeams = map[string][]string{"ann@example.com": {"a"}, "bob@example.com": {"b"}}

func TestDerive(t *testing.T) {
	dir, _ := buildRepo(t, fixture)
	list, err := gitlog.Commits(context.Background(), dir, gitlog.CommitRange{})
	if err != nil {
		t.Fatal(err)
	}
	if !list.Complete || len(list.Commits) != len(fixture) {
		t.Fatalf("Commits = %d commits, complete %v", len(list.Commits), list.Complete)
	}
	if !Trivial(list.Commits[3]) || Trivial(list.Commits[2]) || !Trivial(list.Commits[7]) {
		t.Errorf("Trivial: whitespace-only %v, real %v, lockfile-only %v; want true, false, true",
			Trivial(list.Commits[3]), Trivial(list.Commits[2]), Trivial(list.Commits[7]))
	}
	evs := Derive(Input{Project: fixtureProject(dir, list.Commits), Commits: list.Commits, Complete: true, Teams: fixtureTeams})
	var got []string
	for _, e := range evs {
		got = append(got, e.At.Format("01-02")+" "+e.Kind+" "+e.Email)
	}
	want := []string{
		"03-04 first_contribution ann@example.com",
		"03-04 license_added ann@example.com",
		"03-04 documentation_added ann@example.com",
		"03-05 first_contribution bob@example.com",
		"03-05 cross_team_contribution bob@example.com", // one event for two commits that day
		"03-07 cross_team_contribution bob@example.com",
		"03-07 security_policy_added bob@example.com",
		"03-08 first_contribution carol@example.com", // carol's team is unknown: no cross-team event
		"03-08 documentation_added carol@example.com",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Derive (-want +got):\n%s", diff)
	}
	for _, e := range evs {
		if e.Source != catalog.EventGit || e.Points == 0 || len(e.Evidence) == 0 || e.Evidence[0].Kind != "commit" {
			t.Errorf("event %+v lacks source, points or commit evidence", e)
		}
	}
}

// memStore is an events.Store in memory (the SQL stores are tested by
// storetest; here only the set semantics matter).
type memStore struct {
	cursor map[string]string
	events map[string]catalog.Event
}

func (m *memStore) EventCursor(_ context.Context, key string) (string, error) {
	return m.cursor[key], nil
}
func (m *memStore) AddEvents(_ context.Context, key, cursor string, evs []catalog.Event) (int, error) {
	n := 0
	for _, e := range evs {
		if _, ok := m.events[e.ID]; !ok {
			m.events[e.ID] = e
			n++
		}
	}
	if cursor != "" {
		m.cursor[key] = cursor
	}
	return n, nil
}

// TestReplayAwardsNothingTwice is the property: however a history is cut
// into increments (each scan seeing a later HEAD), and however often it is
// replayed from the start (cursor lost, history re-read), the events
// recorded are those of one derivation of the whole history, and the
// points Tally gives do not change.
func TestReplayAwardsNothingTwice(t *testing.T) {
	ctx := context.Background()
	dir, hashes := buildRepo(t, fixture)
	full, err := gitlog.Commits(ctx, dir, gitlog.CommitRange{})
	if err != nil {
		t.Fatal(err)
	}
	ref := Derive(Input{Project: fixtureProject(dir, full.Commits), Commits: full.Commits, Complete: true, Teams: fixtureTeams})
	refIDs := ids(ref)
	refPoints := Tally(ref, DefaultCaps)

	rng := rand.New(rand.NewSource(1))
	for trial := 0; trial < 20; trial++ {
		m := &memStore{cursor: map[string]string{}, events: map[string]catalog.Event{}}
		// Random increasing HEADs, ending at the last commit.
		var heads []int
		for i := range hashes {
			if i == len(hashes)-1 || rng.Intn(3) == 0 {
				heads = append(heads, i)
			}
		}
		for round := 0; round < 2; round++ { // the second round replays from scratch
			if round == 1 {
				m.cursor = map[string]string{}
			}
			for _, h := range heads {
				p := fixtureProject(dir, full.Commits[:h+1])
				if _, err := Update(ctx, m, Job{Project: p, Teams: fixtureTeams}); err != nil {
					t.Fatal(err)
				}
			}
			n, err := Update(ctx, m, Job{Project: fixtureProject(dir, full.Commits), Teams: fixtureTeams})
			if err != nil || n != 0 {
				t.Fatalf("trial %d round %d: a repeated update added %d events (%v)", trial, round, n, err)
			}
			var got []catalog.Event
			for _, e := range m.events {
				got = append(got, e)
			}
			if diff := cmp.Diff(refIDs, ids(got)); diff != "" {
				t.Fatalf("trial %d (heads %v) round %d: events differ from one derivation (-want +got):\n%s", trial, heads, round, diff)
			}
			rng.Shuffle(len(got), func(i, j int) { got[i], got[j] = got[j], got[i] })
			if diff := cmp.Diff(refPoints, Tally(got, DefaultCaps)); diff != "" {
				t.Fatalf("trial %d: standings differ (-want +got):\n%s", trial, diff)
			}
		}
	}
}

func ids(evs []catalog.Event) []string {
	var out []string
	for _, e := range evs {
		out = append(out, e.ID)
	}
	sort.Strings(out)
	return out
}
