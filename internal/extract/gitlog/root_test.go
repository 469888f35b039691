package gitlog

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/ospo-project/ospo/internal/gitrepo"
)

// plumbing builds single-commit repositories object by object, so that
// paths a file system refuses and commit objects git commit never writes
// can be tested.
type plumbing struct {
	*testRepo
	entries []string // "mode oid\tpath" for git update-index --index-info -z
}

func newPlumbing(t *testing.T, args ...string) *plumbing {
	t.Helper()
	r := &testRepo{t: t, dir: t.TempDir()}
	r.git(nil, append([]string{"init", "-q", "-b", "main"}, args...)...)
	return &plumbing{testRepo: r}
}

// add stages a blob (mode 100644, 100755 or 120000) with content at path.
func (p *plumbing) add(mode, path, content string) {
	p.t.Helper()
	oid := runGit(p.t, p.dir, nil, strings.NewReader(content), "hash-object", "-w", "--stdin")
	p.entries = append(p.entries, mode+" "+oid+"\t"+path)
}

// gitlink stages a submodule entry at path.
func (p *plumbing) gitlink(path string) {
	p.t.Helper()
	n := 20
	if runGit(p.t, p.dir, nil, nil, "rev-parse", "--show-object-format") == "sha256" {
		n = 32
	}
	p.entries = append(p.entries, "160000 "+strings.Repeat("12", n)+"\t"+path)
}

// tree writes the staged entries as a tree and returns its id.
func (p *plumbing) tree() string {
	p.t.Helper()
	in := ""
	for _, e := range p.entries {
		in += e + "\x00"
	}
	runGit(p.t, p.dir, nil, strings.NewReader(in), "update-index", "--add", "-z", "--index-info")
	return runGit(p.t, p.dir, nil, nil, "write-tree")
}

// commit commits the staged entries as the root commit of main, by author
// ("Name <email> seconds zone"; empty: a plain author), and returns its id.
// oneFile builds a repository of one file "f" holding "1\n", committed
// with author and headers as commit does.
func oneFile(author string, headers ...string) func(t *testing.T) string {
	return func(t *testing.T) string {
		p := newPlumbing(t)
		p.add("100644", "f", "1\n")
		p.commit(author, headers...)
		return p.dir
	}
}

func (p *plumbing) commit(author string, headers ...string) string {
	p.t.Helper()
	if author == "" {
		author = "Ann Author <Ann@Example.com> 1700000000 +0100"
	}
	obj := "tree " + p.tree() + "\nauthor " + author + "\ncommitter C <c@example.com> 1700000500 +0000\n"
	for _, h := range headers {
		obj += h + "\n"
	}
	obj += "\nthe commit\n"
	id := runGit(p.t, p.dir, nil, strings.NewReader(obj), "hash-object", "-t", "commit", "-w", "--literally", "--stdin")
	p.git(nil, "update-ref", "refs/heads/main", id)
	return id
}

// write puts a file in the work tree, not in git.
func (p *plumbing) write(path, content string) {
	p.t.Helper()
	full := filepath.Join(p.dir, filepath.FromSlash(path))
	if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
		p.t.Fatal(err)
	}
	if err := os.WriteFile(full, []byte(content), 0o644); err != nil {
		p.t.Fatal(err)
	}
}

// plainFiles stages the files that exercise line counting.
func (p *plumbing) plainFiles() {
	p.add("100644", "nofinal", "a\nb")
	p.add("100644", "empty", "")
	p.add("100644", "crlf", "x\r\ny\r\n\r\n")
	p.add("100644", "lf", "1\n2\n3\n")
	p.add("100755", "bin/run", "#!/bin/sh\necho\n")
	p.add("100644", "binary", "bin\x00ary\n")
	p.add("100644", "nul-late", strings.Repeat("a\n", 4000)+"\x00end\n")    // NUL at byte 8000
	p.add("100644", "nul-before", strings.Repeat("a\n", 3999)+"a\x00end\n") // NUL at byte 7999
	p.add("100644", "huge-line", strings.Repeat("x", 200<<10)+"\n"+"tail")  // a line longer than maxLine
	p.add("100644", "big", strings.Repeat("line of text\n", 100_000))       // more than one read
	p.add("120000", "link", "target")                                       // a symbolic link
	p.add("120000", "dir/link-nl", "target\n")                              // odd, but possible
	p.add("100644", "a-b", "1\n")                                           // sorts before a/...
	p.add("100644", "a/x", "1\n")                                           // ...in git's order too
	p.add("100644", "a.txt", "1\n")                                         //
	p.add("100644", "tab\tname", "1\n")                                     // quoted
	p.add("100644", "new\nline", "1\n")                                     //
	p.add("100644", "quo\"te", "1\n")                                       //
	p.add("100644", "back\\slash", "1\n")                                   //
	p.add("100644", "ctl\x01\x7f", "1\n")                                   // octal escapes
	p.add("100644", "caf\xc3\xa9", "1\n")                                   // UTF-8, not quoted
	p.add("100644", "bad\xff", "1\n")                                       // not UTF-8
	p.add("100644", " lead space", "1\n")                                   //
	p.add("100644", "deep/er/and/deeper/file.go", "package x\n")            //
	p.add("100644", strings.Repeat("long/", 200)+"end", "1\n")              // a long path
	p.add("100644", strings.Repeat("\x01", 200)+"/"+strings.Repeat("\x02", 200), "1\n")
}

// TestMineRootEqualsMine builds single-commit repositories and checks that
// the history RootOf and MineRoot read from the tree is exactly Mine's,
// with every option, or that RootOf declines where it must.
func TestMineRootEqualsMine(t *testing.T) {
	cases := []struct {
		name string
		// build returns the directory to read.
		build func(t *testing.T) string
		// decline, when not empty, is part of why RootOf must decline.
		decline string
	}{
		{name: "plain files", build: func(t *testing.T) string {
			p := newPlumbing(t)
			p.plainFiles()
			p.commit("")
			return p.dir
		}},
		{name: "empty tree", build: func(t *testing.T) string {
			p := newPlumbing(t)
			p.commit("")
			return p.dir
		}},
		{name: "many files", build: func(t *testing.T) string {
			p := newPlumbing(t)
			for i := range MaxCommitFiles + 50 {
				p.add("100644", fmt.Sprintf("d%d/f%d", i%7, i), strings.Repeat("x\n", i%5))
			}
			p.commit("")
			return p.dir
		}},
		{name: "git commit in a work tree", build: func(t *testing.T) string {
			r := newRepo(t)
			r.commit("Bob", "bob@example.com", time.Date(2023, 3, 4, 5, 6, 7, 0, time.UTC), map[string]string{
				"go.mod": "module x\n", "main.go": "package main\n\nfunc main() {}\n", "README": "hi"})
			return r.dir
		}},
		{name: "bare clone", build: func(t *testing.T) string {
			p := newPlumbing(t)
			p.plainFiles()
			p.commit("")
			bare := filepath.Join(t.TempDir(), "bare.git")
			runGit(t, p.dir, nil, nil, "clone", "-q", "--bare", p.dir, bare)
			return bare
		}},
		{name: "bare repository whose config says it is not", decline: "core.bare", build: func(t *testing.T) string {
			p := newPlumbing(t)
			p.add("100644", "f", "1\n")
			p.commit("")
			bare := filepath.Join(t.TempDir(), "bare.git")
			runGit(t, p.dir, nil, nil, "clone", "-q", "--bare", p.dir, bare)
			runGit(t, bare, nil, nil, "config", "core.bare", "false")
			return bare
		}},
		{name: "sha-256", build: func(t *testing.T) string {
			p := newPlumbing(t, "--object-format=sha256")
			p.plainFiles()
			p.gitlink("sub")
			p.commit("")
			return p.dir
		}},
		{name: "submodule without .gitmodules", build: func(t *testing.T) string {
			p := newPlumbing(t)
			p.add("100644", "f", "1\n")
			p.gitlink("sub")
			p.commit("")
			return p.dir
		}},
		{name: "submodule with .gitmodules", decline: ".gitmodules", build: func(t *testing.T) string {
			p := newPlumbing(t)
			p.add("100644", ".gitmodules", "[submodule \"sub\"]\n\tpath = sub\n\turl = x\n\tignore = all\n")
			p.gitlink("sub")
			p.commit("")
			return p.dir
		}},
		{name: "submodule with an untracked .gitmodules", decline: ".gitmodules", build: func(t *testing.T) string {
			p := newPlumbing(t)
			p.gitlink("sub")
			p.commit("")
			p.write(".gitmodules", "[submodule \"sub\"]\n\tpath = sub\n\turl = x\n\tignore = all\n")
			return p.dir
		}},
		{name: "UTF-8 encoding header", build: oneFile("", "encoding UTF-8")},
		{name: "Latin-1 author without encoding header", build: oneFile("Jos\xe9 <Jose@Example.com> 1600000000 -0700")},
		{name: "name with blanks before the email", build: oneFile(" Lead  \t <e@x> 1600000000 +0000")},
		{name: "separators in the name", build: oneFile("A\x1fB\x1eC <e\x1f@x> 1600000000 +0000")},
		{name: "a name longer than a line", build: oneFile(strings.Repeat("N", 70<<10) + " <e@x> 1600000000 +0000")},
		{name: "date zero", build: oneFile("A <a@x> 0 +0000")},
		{name: "Latin-1 encoding header", decline: "encoded", build: oneFile("Jos\xe9 <j@x> 1600000000 +0000", "encoding ISO-8859-1")},
		{name: "no name", decline: "not plain", build: oneFile("<e@x> 1600000000 +0000")},
		{name: "date with a leading zero", decline: "not plain", build: oneFile("A <a@x> 01600000000 +0000")},
		{name: "no time zone", decline: "not plain", build: oneFile("A <a@x> 1600000000")},
		{name: ".mailmap in the tree", decline: ".mailmap", build: func(t *testing.T) string {
			p := newPlumbing(t)
			p.add("100644", ".mailmap", "Real Name <real@x> <Ann@Example.com>\n")
			p.commit("")
			return p.dir
		}},
		{name: ".mailmap in HEAD of a bare repository", decline: ".mailmap", build: func(t *testing.T) string {
			p := newPlumbing(t)
			p.add("100644", ".mailmap", "Real Name <real@x> <Ann@Example.com>\n")
			p.commit("")
			bare := filepath.Join(t.TempDir(), "bare.git")
			runGit(t, p.dir, nil, nil, "clone", "-q", "--bare", p.dir, bare)
			return bare
		}},
		{name: "untracked .mailmap", decline: ".mailmap", build: func(t *testing.T) string {
			p := newPlumbing(t)
			p.add("100644", "f", "1\n")
			p.commit("")
			p.write(".mailmap", "Real Name <real@x> <Ann@Example.com>\n")
			return p.dir
		}},
		{name: ".gitattributes in the tree", decline: ".gitattributes", build: func(t *testing.T) string {
			p := newPlumbing(t)
			p.add("100644", "d/.gitattributes", "* binary\n")
			p.add("100644", "d/f", "1\n")
			p.commit("")
			return p.dir
		}},
		{name: "untracked .gitattributes in a directory", decline: ".gitattributes", build: func(t *testing.T) string {
			p := newPlumbing(t)
			p.add("100644", "d/e/f", "1\n")
			p.commit("")
			p.write("d/.gitattributes", "f binary\n")
			return p.dir
		}},
		{name: ".gitattributes in the index only", decline: "index", build: func(t *testing.T) string {
			p := newPlumbing(t)
			p.add("100644", "f", "1\n")
			p.commit("")
			p.add("100644", ".gitattributes", "f binary\n")
			p.tree() // staged, not committed, not in the work tree
			return p.dir
		}},
		{name: "info/attributes", decline: "attributes", build: func(t *testing.T) string {
			p := newPlumbing(t)
			p.add("100644", "f", "1\n")
			p.commit("")
			p.write(".git/info/attributes", "f binary\n")
			return p.dir
		}},
		{name: "config changing the diff", decline: "config", build: func(t *testing.T) string {
			p := newPlumbing(t)
			p.add("100644", "f", "1\n")
			p.gitlink("sub")
			p.commit("")
			p.git(nil, "config", "diff.ignoreSubmodules", "all")
			return p.dir
		}},
		{name: "config with a remote", build: func(t *testing.T) string {
			p := newPlumbing(t)
			p.add("100644", "f", "1\n")
			p.commit("")
			p.git(nil, "remote", "add", "origin", "https://example.com/x.git")
			return p.dir
		}},
		{name: "grafts", decline: "grafts", build: func(t *testing.T) string {
			p := newPlumbing(t)
			p.add("100644", "f", "1\n")
			p.commit("")
			p.write(".git/info/grafts", "")
			return p.dir
		}},
		{name: "two commits", decline: "parents", build: func(t *testing.T) string {
			r := newRepo(t)
			r.commit("A", "a@x", time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC), map[string]string{"f": "1\n"})
			r.commit("B", "b@x", time.Date(2023, 1, 2, 0, 0, 0, 0, time.UTC), map[string]string{"f": "2\n"})
			return r.dir
		}},
		{name: "shallow clone", decline: "parents", build: func(t *testing.T) string {
			r := newRepo(t)
			r.commit("A", "a@x", time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC), map[string]string{"f": "1\n"})
			r.commit("B", "b@x", time.Date(2023, 1, 2, 0, 0, 0, 0, time.UTC), map[string]string{"f": "2\n"})
			clone := filepath.Join(t.TempDir(), "clone")
			runGit(t, r.dir, nil, nil, "clone", "-q", "--depth=1", "file://"+r.dir, clone)
			return clone
		}},
	}
	options := []Options{{}, {Files: true}, {Files: true, Log: 1}, {Log: 5000, MaxCommits: 3}}
	ctx := context.Background()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := c.build(t)
			root, err := rootOf(t, dir)
			switch {
			case c.decline != "" && err == nil:
				t.Fatalf("RootOf read the history; want it to decline (%s)", c.decline)
			case c.decline != "" && !strings.Contains(err.Error(), c.decline):
				t.Fatalf("RootOf declined with %q; want %q", err, c.decline)
			case c.decline != "":
				t.Logf("declines: %v", err)
				return
			case err != nil:
				t.Fatalf("RootOf: %v", err)
			}
			for _, opts := range options {
				want, err := Mine(ctx, dir, opts)
				if err != nil {
					t.Fatal(err)
				}
				sameResult(t, fmt.Sprintf("%+v", opts), MineRoot(root, opts), want)
			}
		})
	}
}

// rootOf opens dir and returns RootOf its HEAD tree.
func rootOf(t *testing.T, dir string) (Root, error) {
	t.Helper()
	repo, err := gitrepo.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	head, _, err := repo.Head(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	tree, err := repo.Tree(context.Background(), gitrepo.TreeOptions{Commit: head})
	if err != nil {
		t.Fatal(err)
	}
	defer tree.Close()
	return RootOf(repo, tree)
}

// sameResult fails the test unless got and want are equal field for field,
// the Logs' unexported state included (but for the parser's callback).
func sameResult(t *testing.T, what string, got, want Result) {
	t.Helper()
	gl, wl := got.Log, want.Log
	got.Log, want.Log = nil, nil
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s: MineRoot gives\n%+v\nMine gives\n%+v", what, got, want)
	}
	if (gl == nil) != (wl == nil) {
		t.Fatalf("%s: MineRoot's Log is %v, Mine's %v", what, gl, wl)
	}
	if gl == nil {
		return
	}
	if gl.head != wl.head || gl.cut != wl.cut || gl.bad != wl.bad || gl.max != wl.max ||
		gl.parser.cur != nil || wl.parser.cur != nil || !reflect.DeepEqual(gl.commits, wl.commits) {
		t.Errorf("%s: MineRoot's Log is\n%+v\nMine's\n%+v", what, *gl, *wl)
	}
}

// TestRootOfRealRepositories checks, for each clone named in OSPO_TREE_DIRS
// (colon-separated) whose history is a single commit, that MineRoot gives
// Mine's Result, and that RootOf declines the others.
func TestRootOfRealRepositories(t *testing.T) {
	dirs := os.Getenv("OSPO_TREE_DIRS")
	if dirs == "" {
		t.Skip("OSPO_TREE_DIRS names no clones")
	}
	for _, dir := range filepath.SplitList(dirs) {
		if dir == "" {
			continue
		}
		t.Run(filepath.Base(dir), func(t *testing.T) {
			root, err := rootOf(t, dir)
			if err != nil {
				t.Logf("declines: %v", err)
				return
			}
			opts := Options{Files: true, Log: 5000}
			want, err := Mine(context.Background(), dir, opts)
			if err != nil {
				t.Fatal(err)
			}
			sameResult(t, dir, MineRoot(root, opts), want)
		})
	}
}
