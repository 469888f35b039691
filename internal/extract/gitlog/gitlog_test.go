package gitlog

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/ospo-project/ospo/internal/catalog"
)

func day(d, hour int) time.Time { return time.Date(2024, 1, d, hour, 0, 0, 0, time.UTC) }

// Weeks of January 2024: the 1st is a Monday.
var (
	week1 = day(1, 0)
	week2 = day(8, 0)
)

func contrib(name, email string, commits int, added, removed int64, first, last time.Time, weeks ...catalog.WeekActivity) catalog.Contribution {
	return catalog.Contribution{
		Identity: catalog.Identity{Name: name, Email: email},
		Commits:  commits, LinesAdded: added, LinesRemoved: removed,
		FirstCommit: first, LastCommit: last, Weeks: weeks,
	}
}

func wk(w time.Time, commits int, added, removed int64) catalog.WeekActivity {
	return catalog.WeekActivity{Week: w, Commits: commits, LinesAdded: added, LinesRemoved: removed}
}

func historyProblem(msg string) catalog.Problem {
	return catalog.Problem{Kind: catalog.ProblemHistory, Message: msg}
}

// redactGit replaces git's own words in problem messages, which vary with
// git's version, by "…".
func redactGit(ps []catalog.Problem) []catalog.Problem {
	out := append([]catalog.Problem(nil), ps...)
	for i := range out {
		if before, _, ok := strings.Cut(out[i].Message, ": git: "); ok {
			out[i].Message = before + ": git: …"
		}
	}
	return out
}

// fourCommits commits a.txt growing by one line a day, by Alice, and
// returns the commit hashes, oldest first.
func fourCommits(r *testRepo) []string {
	var ids []string
	content := ""
	for i := 1; i <= 4; i++ {
		content += "line\n"
		ids = append(ids, r.commit("Alice", "alice@example.com", day(i, 10), map[string]string{"a.txt": content}))
	}
	return ids
}

func TestMine(t *testing.T) {
	tests := []struct {
		name  string
		setup func(t *testing.T) string // returns the directory to mine
		opts  Options
		want  Result
	}{
		{
			name: "linear history, two authors, email case folded",
			setup: func(t *testing.T) string {
				r := newRepo(t)
				r.commit("Alice", "alice@example.com", day(1, 10), map[string]string{"a.txt": "1\n2\n3\n", "b.txt": "x\n"})
				r.commit("Bob", "Bob@Example.COM", day(2, 10), map[string]string{"a.txt": "1\n2\nthree\n"})
				r.commit("Alice", "ALICE@example.com", day(9, 10), map[string]string{"b.txt": deleted, "c.txt": "c\n"})
				return r.dir
			},
			want: Result{
				Commits: 3,
				Contributions: []catalog.Contribution{
					contrib("Alice", "alice@example.com", 2, 5, 1, day(1, 10), day(9, 10), wk(week1, 1, 4, 0), wk(week2, 1, 1, 1)),
					contrib("Bob", "bob@example.com", 1, 1, 1, day(2, 10), day(2, 10), wk(week1, 1, 1, 1)),
				},
			},
		},
		{
			name: "mailmap rewrites names and emails",
			setup: func(t *testing.T) string {
				r := newRepo(t)
				r.commit("Carol Jones", "CAROL@example.com", day(1, 10), map[string]string{
					".mailmap": "Carol Jones <carol@example.com> <cj@old.example.com>\n",
				})
				r.commit("cj", "cj@old.example.com", day(2, 10), map[string]string{"x.txt": "x\ny\n"})
				return r.dir
			},
			want: Result{
				Commits: 2,
				Contributions: []catalog.Contribution{
					contrib("Carol Jones", "carol@example.com", 2, 3, 0, day(1, 10), day(2, 10), wk(week1, 2, 3, 0)),
				},
			},
		},
		{
			name: "binary files count no lines",
			setup: func(t *testing.T) string {
				r := newRepo(t)
				r.commit("Dan", "dan@example.com", day(1, 10), map[string]string{"bin.dat": "\x00\x01\x02\n\x03", "t.txt": "a\n"})
				r.commit("Dan", "dan@example.com", day(2, 10), map[string]string{"bin.dat": "\x00\x09\n\x09\n"})
				return r.dir
			},
			want: Result{
				Commits: 2,
				Contributions: []catalog.Contribution{
					contrib("Dan", "dan@example.com", 2, 1, 0, day(1, 10), day(2, 10), wk(week1, 2, 1, 0)),
				},
			},
		},
		{
			name: "a rename counts as removed and added",
			setup: func(t *testing.T) string {
				r := newRepo(t)
				r.commit("Eve", "eve@example.com", day(1, 10), map[string]string{"old.txt": "1\n2\n3\n"})
				r.commit("Eve", "eve@example.com", day(9, 10), map[string]string{"old.txt": deleted, "new.txt": "1\n2\n3\n"})
				return r.dir
			},
			want: Result{
				Commits: 2,
				Contributions: []catalog.Contribution{
					contrib("Eve", "eve@example.com", 2, 6, 3, day(1, 10), day(9, 10), wk(week1, 1, 3, 0), wk(week2, 1, 3, 3)),
				},
			},
		},
		{
			name: "a merge counts as a commit without lines",
			setup: func(t *testing.T) string {
				r := newRepo(t)
				r.commit("Alice", "alice@example.com", day(1, 10), map[string]string{"a.txt": "a\n"})
				r.git(nil, "checkout", "-q", "-b", "feature")
				r.commit("Bob", "bob@example.com", day(2, 10), map[string]string{"b.txt": "b\n"})
				r.git(nil, "checkout", "-q", "main")
				r.commit("Alice", "alice@example.com", day(3, 10), map[string]string{"c.txt": "c\n"})
				r.git(identityEnv("Maintainer", "maint@example.com", day(4, 10)), "merge", "-q", "--no-ff", "-m", "merge", "feature")
				return r.dir
			},
			want: Result{
				Commits: 4,
				Contributions: []catalog.Contribution{
					contrib("Alice", "alice@example.com", 2, 2, 0, day(1, 10), day(3, 10), wk(week1, 2, 2, 0)),
					contrib("Bob", "bob@example.com", 1, 1, 0, day(2, 10), day(2, 10), wk(week1, 1, 1, 0)),
					contrib("Maintainer", "maint@example.com", 1, 0, 0, day(4, 10), day(4, 10), wk(week1, 1, 0, 0)),
				},
			},
		},
		{
			name: "empty commits and a file named HEAD",
			setup: func(t *testing.T) string {
				r := newRepo(t)
				r.commit("Fay", "fay@example.com", day(1, 10), map[string]string{"HEAD": "not a ref\n"})
				r.commit("Fay", "fay@example.com", day(2, 10), nil)
				return r.dir
			},
			want: Result{
				Commits: 2,
				Contributions: []catalog.Contribution{
					contrib("Fay", "fay@example.com", 2, 1, 0, day(1, 10), day(2, 10), wk(week1, 2, 1, 0)),
				},
			},
		},
		{
			name: "bare repository uses HEAD:.mailmap",
			setup: func(t *testing.T) string {
				r := newRepo(t)
				r.commit("al", "alice@old.example.com", day(1, 10), map[string]string{
					".mailmap": "Alice Smith <alice@example.com> <alice@old.example.com>\n",
				})
				bare := filepath.Join(t.TempDir(), "bare.git")
				r.git(nil, "clone", "-q", "--bare", r.dir, bare)
				return bare
			},
			want: Result{
				Commits: 1,
				Contributions: []catalog.Contribution{
					contrib("Alice Smith", "alice@example.com", 1, 1, 0, day(1, 10), day(1, 10), wk(week1, 1, 1, 0)),
				},
			},
		},
		{
			name: "names in legacy encodings are re-encoded to UTF-8",
			setup: func(t *testing.T) string {
				r := newRepo(t)
				if err := os.WriteFile(filepath.Join(r.dir, "f"), []byte("x\n"), 0o644); err != nil {
					t.Fatal(err)
				}
				r.git(nil, "add", "f")
				r.git(identityEnv("Jos\xe9", "jose@example.com", day(1, 10)), "-c", "i18n.commitEncoding=ISO-8859-1", "commit", "-q", "-m", "x")
				// Without an encoding header git stores invalid UTF-8 as Latin-1.
				r.commit("Bad\xff", "bad@example.com", day(2, 10), nil)
				return r.dir
			},
			want: Result{
				Commits: 2,
				Contributions: []catalog.Contribution{
					contrib("Badÿ", "bad@example.com", 1, 0, 0, day(2, 10), day(2, 10), wk(week1, 1, 0, 0)),
					contrib("José", "jose@example.com", 1, 1, 0, day(1, 10), day(1, 10), wk(week1, 1, 1, 0)),
				},
			},
		},
		{
			name: "an enormous author name is clipped",
			setup: func(t *testing.T) string {
				r := newRepo(t)
				r.commit(strings.Repeat("n", 100_000), "long@example.com", day(1, 10), map[string]string{"f": "x\n"})
				return r.dir
			},
			want: Result{
				Commits: 1,
				Contributions: []catalog.Contribution{
					contrib(strings.Repeat("n", maxField), "long@example.com", 1, 1, 0, day(1, 10), day(1, 10), wk(week1, 1, 1, 0)),
				},
			},
		},
		{
			name: "history longer than MaxCommits is truncated, newest kept",
			setup: func(t *testing.T) string {
				r := newRepo(t)
				fourCommits(r)
				return r.dir
			},
			opts: Options{MaxCommits: 3},
			want: Result{
				Commits:   3,
				Truncated: true,
				Contributions: []catalog.Contribution{
					contrib("Alice", "alice@example.com", 3, 3, 0, day(2, 10), day(4, 10), wk(week1, 3, 3, 0)),
				},
				Problems: []catalog.Problem{{Kind: catalog.ProblemTooLarge, Message: "the history has more than 3 commits; only the newest 3 were read"}},
			},
		},
		{
			name: "history exactly MaxCommits long is whole",
			setup: func(t *testing.T) string {
				r := newRepo(t)
				fourCommits(r)
				return r.dir
			},
			opts: Options{MaxCommits: 4},
			want: Result{
				Commits: 4,
				Contributions: []catalog.Contribution{
					contrib("Alice", "alice@example.com", 4, 4, 0, day(1, 10), day(4, 10), wk(week1, 4, 4, 0)),
				},
			},
		},
		{
			name: "damage and a cap together",
			setup: func(t *testing.T) string {
				r := newRepo(t)
				r.commit("Alice", "alice@example.com", day(1, 10), map[string]string{"a.txt": "1\n2\n"})
				c2 := r.commit("Bob", "bob@example.com", day(2, 10), map[string]string{"b.txt": "b1\nb2\nb3\n"})
				r.commit("Alice", "alice@example.com", day(3, 10), map[string]string{"a.txt": "1\n2\n3\n"})
				r.commit("Bob", "bob@example.com", day(4, 10), map[string]string{"b.txt": "b1\nb2\nb3\nb4\n"})
				r.removeObject(r.git(nil, "rev-parse", c2+":b.txt"))
				return r.dir
			},
			opts: Options{MaxCommits: 3},
			want: Result{
				Commits:   3,
				Truncated: true,
				Contributions: []catalog.Contribution{
					contrib("Bob", "bob@example.com", 2, 0, 0, day(2, 10), day(4, 10), wk(week1, 2, 0, 0)),
					contrib("Alice", "alice@example.com", 1, 1, 0, day(3, 10), day(3, 10), wk(week1, 1, 1, 0)),
				},
				Problems: []catalog.Problem{
					historyProblem("line counts are missing for 2 of 3 commits: git: …"),
					{Kind: catalog.ProblemTooLarge, Message: "the history has more than 3 commits; only the newest 3 were read"},
				},
			},
		},
		{
			name: "shallow clone: the edge commit's lines are not counted",
			setup: func(t *testing.T) string {
				src := newRepo(t)
				fourCommits(src)
				clone := filepath.Join(t.TempDir(), "clone")
				src.git(nil, "clone", "-q", "--depth", "2", "file://"+src.dir, clone)
				return clone
			},
			want: Result{
				Commits: 2,
				Contributions: []catalog.Contribution{
					contrib("Alice", "alice@example.com", 2, 1, 0, day(3, 10), day(4, 10), wk(week1, 2, 1, 0)),
				},
				Problems: []catalog.Problem{historyProblem("the repository is a shallow clone: older history is absent, and the lines of 1 commit at its edge, which git shows as adding every file, are not counted")},
			},
		},
		{
			name: "shallow bare clone",
			setup: func(t *testing.T) string {
				src := newRepo(t)
				fourCommits(src)
				clone := filepath.Join(t.TempDir(), "clone.git")
				src.git(nil, "clone", "-q", "--bare", "--depth", "3", "file://"+src.dir, clone)
				return clone
			},
			want: Result{
				Commits: 3,
				Contributions: []catalog.Contribution{
					contrib("Alice", "alice@example.com", 3, 2, 0, day(2, 10), day(4, 10), wk(week1, 3, 2, 0)),
				},
				Problems: []catalog.Problem{historyProblem("the repository is a shallow clone: older history is absent, and the lines of 1 commit at its edge, which git shows as adding every file, are not counted")},
			},
		},
		{
			name: "linked work tree of a shallow clone",
			setup: func(t *testing.T) string {
				src := newRepo(t)
				fourCommits(src)
				clone := filepath.Join(t.TempDir(), "clone")
				src.git(nil, "clone", "-q", "--depth", "2", "file://"+src.dir, clone)
				wt := filepath.Join(t.TempDir(), "wt")
				runGit(t, clone, nil, nil, "worktree", "add", "-q", wt)
				return wt
			},
			want: Result{
				Commits: 2,
				Contributions: []catalog.Contribution{
					contrib("Alice", "alice@example.com", 2, 1, 0, day(3, 10), day(4, 10), wk(week1, 2, 1, 0)),
				},
				Problems: []catalog.Problem{historyProblem("the repository is a shallow clone: older history is absent, and the lines of 1 commit at its edge, which git shows as adding every file, are not counted")},
			},
		},
		{
			name:  "empty repository",
			setup: func(t *testing.T) string { return newRepo(t).dir },
			want: Result{
				Problems: []catalog.Problem{{Kind: catalog.ProblemNoCommits, Message: "the repository has no commits"}},
			},
		},
		{
			name: "unborn branch in a repository with commits",
			setup: func(t *testing.T) string {
				r := newRepo(t)
				fourCommits(r)
				r.git(nil, "checkout", "-q", "--orphan", "other")
				return r.dir
			},
			want: Result{
				Problems: []catalog.Problem{{Kind: catalog.ProblemNoCommits, Message: "the repository has no commits"}},
			},
		},
		{
			name:  "not a repository",
			setup: func(t *testing.T) string { return t.TempDir() },
			want: Result{
				Problems: []catalog.Problem{historyProblem("the history could not be read: git: …")},
			},
		},
		{
			name: "missing blob: commits counted, their lines missing",
			setup: func(t *testing.T) string {
				r := newRepo(t)
				r.commit("Alice", "alice@example.com", day(1, 10), map[string]string{"a.txt": "1\n2\n"})
				c2 := r.commit("Bob", "bob@example.com", day(2, 10), map[string]string{"b.txt": "b1\nb2\nb3\n"})
				r.commit("Alice", "alice@example.com", day(3, 10), map[string]string{"a.txt": "1\n2\n3\n"})
				r.commit("Bob", "bob@example.com", day(4, 10), map[string]string{"b.txt": "b1\nb2\nb3\nb4\n"})
				r.removeObject(r.git(nil, "rev-parse", c2+":b.txt"))
				return r.dir
			},
			want: Result{
				Commits: 4,
				Contributions: []catalog.Contribution{
					contrib("Alice", "alice@example.com", 2, 3, 0, day(1, 10), day(3, 10), wk(week1, 2, 3, 0)),
					contrib("Bob", "bob@example.com", 2, 0, 0, day(2, 10), day(4, 10), wk(week1, 2, 0, 0)),
				},
				Problems: []catalog.Problem{historyProblem("line counts are missing for 2 of 4 commits: git: …")},
			},
		},
		{
			name: "missing tree: commits counted, their lines missing",
			setup: func(t *testing.T) string {
				r := newRepo(t)
				ids := fourCommits(r)
				r.removeObject(r.git(nil, "rev-parse", ids[1]+"^{tree}"))
				return r.dir
			},
			want: Result{
				Commits: 4,
				Contributions: []catalog.Contribution{
					contrib("Alice", "alice@example.com", 4, 2, 0, day(1, 10), day(4, 10), wk(week1, 4, 2, 0)),
				},
				Problems: []catalog.Problem{historyProblem("line counts are missing for 2 of 4 commits: git: …")},
			},
		},
		{
			name: "missing commit: the walk stops, what was read is kept",
			setup: func(t *testing.T) string {
				r := newRepo(t)
				ids := fourCommits(r)
				r.removeObject(ids[1])
				return r.dir
			},
			want: Result{
				Commits: 1,
				Contributions: []catalog.Contribution{
					contrib("Alice", "alice@example.com", 1, 1, 0, day(4, 10), day(4, 10), wk(week1, 1, 1, 0)),
				},
				Problems: []catalog.Problem{historyProblem("the history is damaged: only 1 of its commits could be read: git: …")},
			},
		},
		{
			name: "partial clone without blobs, origin gone",
			setup: func(t *testing.T) string {
				src := newRepo(t)
				src.git(nil, "config", "uploadpack.allowFilter", "true")
				content := ""
				for i := 1; i <= 3; i++ {
					content += "line\n"
					src.commit("Alice", "alice@example.com", day(i, 10), map[string]string{"f.txt": content, "g" + string(rune('0'+i)): "g\n"})
				}
				clone := filepath.Join(t.TempDir(), "clone")
				src.git(nil, "clone", "-q", "--filter=blob:none", "--no-local", "file://"+src.dir, clone)
				if err := os.RemoveAll(src.dir); err != nil {
					t.Fatal(err)
				}
				return clone
			},
			want: Result{
				Commits: 3,
				Contributions: []catalog.Contribution{
					contrib("Alice", "alice@example.com", 3, 0, 0, day(1, 10), day(3, 10), wk(week1, 3, 0, 0)),
				},
				Problems: []catalog.Problem{historyProblem("line counts are missing for 3 of 3 commits: git: …")},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := tt.setup(t)
			got, err := Mine(context.Background(), dir, tt.opts)
			if err != nil {
				t.Fatalf("Mine: %v", err)
			}
			for _, p := range got.Problems {
				if strings.HasSuffix(p.Message, ": git: ") {
					t.Errorf("problem %q lacks git's reason", p.Message)
				}
			}
			if (got.Commits > 0) != (got.Head != "") {
				t.Errorf("Head = %q with %d commits", got.Head, got.Commits)
			}
			got.Problems = redactGit(got.Problems)
			if diff := cmp.Diff(tt.want, got, cmpopts.EquateEmpty(), cmpopts.IgnoreFields(Result{}, "Head")); diff != "" {
				t.Errorf("Mine (-want +got):\n%s", diff)
			}
		})
	}
}

func TestMineHead(t *testing.T) {
	r := newRepo(t)
	ids := fourCommits(r)
	got, err := Mine(context.Background(), r.dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if want := ids[len(ids)-1]; got.Head != want {
		t.Errorf("Head = %q, want %q", got.Head, want)
	}
}

func TestMineCancelled(t *testing.T) {
	r := newRepo(t)
	fourCommits(r)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := Mine(ctx, r.dir, Options{})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Mine with a cancelled context: error %v, want context.Canceled", err)
	}
}

func TestMineWithoutGit(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("PATH", t.TempDir()) // no git there
	_, err := Mine(context.Background(), dir, Options{})
	if !errors.Is(err, exec.ErrNotFound) {
		t.Errorf("Mine without git: error %v, want exec.ErrNotFound", err)
	}
}

func TestMineMissingDirectory(t *testing.T) {
	_, err := Mine(context.Background(), filepath.Join(t.TempDir(), "absent"), Options{})
	if err == nil {
		t.Error("Mine of a missing directory: no error")
	}
}
