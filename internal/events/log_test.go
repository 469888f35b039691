package events

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/extract/gitlog"
)

// checkUpdateFromLog derives the events of the history of dir in
// increments (HEAD moved to each of heads in turn, as successive scans see
// it), once reading the commits with git log as gitlog.Commits does and
// once from the scan's walk (Job.Log), and fails unless both record the
// same events, vulnerability fixes included (a fake analysis makes every
// manifest-changing commit a fix, so the commits analysed show too).
func checkUpdateFromLog(t *testing.T, src string, heads []int) {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	git := func(args ...string) string {
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
		return strings.TrimSpace(string(out))
	}
	// A clone sharing src's objects, whose HEAD the test moves.
	git("clone", "-q", "--shared", "--no-checkout", src, ".")
	full, err := gitlog.Commits(ctx, dir, gitlog.CommitRange{})
	if err != nil {
		t.Fatal(err)
	}
	teams := map[string][]string{}
	for i, c := range full.Commits {
		teams[c.Email] = []string{[]string{"a", "b", "c"}[i%3]}
	}
	vulns := func(_ context.Context, _, commit string) ([]catalog.Dependency, []catalog.VulnFinding, error) {
		return []catalog.Dependency{{Ecosystem: "npm", Name: "p", Version: commit}},
			[]catalog.VulnFinding{{AdvisoryID: "A-" + commit, Ecosystem: "npm", Package: "p", Version: commit}}, nil
	}
	viaGit := &memStore{cursor: map[string]string{}, events: map[string]catalog.Event{}}
	viaLog := &memStore{cursor: map[string]string{}, events: map[string]catalog.Event{}}
	fromLog := 0
	for _, h := range heads {
		head := full.Commits[h].Hash
		git("update-ref", "--no-deref", "HEAD", head)
		p := fixtureProject(dir, full.Commits[:h+1])
		p.HeadCommit = head
		res, err := gitlog.Mine(ctx, dir, gitlog.Options{Log: MaxCommits})
		if err != nil {
			t.Fatal(err)
		}
		cursor, _ := viaLog.EventCursor(ctx, p.Key)
		if _, ok := res.Log.Range(gitlog.CommitRange{Head: head, Since: cursor, Max: MaxCommits}); ok {
			fromLog++
		}
		for _, x := range []struct {
			st  *memStore
			log *gitlog.Log
		}{{viaGit, nil}, {viaLog, res.Log}} {
			if _, err := Update(ctx, x.st, Job{Project: p, Teams: teams, Vulns: vulns, Log: x.log}); err != nil {
				t.Fatal(err)
			}
		}
		if diff := cmp.Diff(viaGit.events, viaLog.events); diff != "" {
			t.Fatalf("HEAD at commit %d of %d: events from the walk differ from git log's (-git +walk):\n%s", h, len(full.Commits), diff)
		}
	}
	if fromLog == 0 {
		t.Fatal("no update read its commits from the walk")
	}
	if len(viaGit.events) == 0 {
		t.Fatal("no event derived: the comparison proves nothing")
	}
}

func TestUpdateFromLog(t *testing.T) {
	dir, _ := buildRepo(t, append(fixture,
		step{"Bob", "bob@example.com", 7, map[string]string{"package.json": "{ }\n"}}, // whitespace only in a manifest
		step{"Dan", "dan@example.com", 8, map[string]string{"main.go": strings.ReplaceAll(mainGo+"// v3\n", "\t", "  ")}},
	))
	checkUpdateFromLog(t, dir, []int{0, 3, 4, 8, 9, 10})
	checkUpdateFromLog(t, dir, []int{10})
}

// TestUpdateFromLogRealRepositories runs checkUpdateFromLog over the
// clones named in OSPO_EVENTS_DIRS (colon-separated), for example
// /tmp/real/spf13+cobra:/tmp/real/pallets+flask:/tmp/real/expressjs+express:
// the whole history first, then in increments.
func TestUpdateFromLogRealRepositories(t *testing.T) {
	dirs := os.Getenv("OSPO_EVENTS_DIRS")
	if dirs == "" {
		t.Skip("OSPO_EVENTS_DIRS not set")
	}
	for _, dir := range strings.Split(dirs, ":") {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			n, err := gitlog.Commits(context.Background(), dir, gitlog.CommitRange{})
			if err != nil {
				t.Fatal(err)
			}
			last := len(n.Commits) - 1
			checkUpdateFromLog(t, dir, []int{last})
			checkUpdateFromLog(t, dir, []int{last / 3, last / 2, last - 40, last - 7, last})
		})
	}
}
