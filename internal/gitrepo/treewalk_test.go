package gitrepo

import (
	"bytes"
	"compress/zlib"
	"context"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/ospo-project/ospo/internal/repofs"
)

// objects writes loose objects of any content, well-formed or not, into a
// repository: the hostile trees git itself would never write.
type objects struct {
	t      *testing.T
	dir    string // the work tree
	sha256 bool
}

// write stores an object of type typ and returns its id in hex.
func (o objects) write(typ string, data []byte) string {
	o.t.Helper()
	raw := append([]byte(fmt.Sprintf("%s %d\x00", typ, len(data))), data...)
	var sum []byte
	if o.sha256 {
		s := sha256.Sum256(raw)
		sum = s[:]
	} else {
		s := sha1.Sum(raw)
		sum = s[:]
	}
	oid := hex.EncodeToString(sum)
	var z bytes.Buffer
	zw := zlib.NewWriter(&z)
	zw.Write(raw)
	zw.Close()
	p := filepath.Join(o.dir, ".git", "objects", oid[:2], oid[2:])
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		o.t.Fatal(err)
	}
	if err := os.WriteFile(p, z.Bytes(), 0o444); err != nil && !os.IsExist(err) {
		o.t.Fatal(err)
	}
	return oid
}

// blob stores a blob.
func (o objects) blob(content string) string { return o.write("blob", []byte(content)) }

// entry is one tree entry: "<mode> <name>\0<raw oid>".
func entry(mode, name, oid string) []byte {
	raw, err := hex.DecodeString(oid)
	if err != nil {
		panic(err)
	}
	return append([]byte(mode+" "+name+"\x00"), raw...)
}

// tree stores a tree object made of entries, in the order given.
func (o objects) tree(entries ...[]byte) string { return o.write("tree", bytes.Join(entries, nil)) }

// commit stores a commit of tree.
func (o objects) commit(tree string) string {
	return o.write("commit", []byte("tree "+tree+"\nauthor A <a@example.com> 1700000000 +0000\ncommitter A <a@example.com> 1700000000 +0000\n\nhostile\n"))
}

// missingOID is the id of an object no repository here holds.
func (o objects) missingOID() string {
	if o.sha256 {
		return strings.Repeat("5e", 32)
	}
	return strings.Repeat("5e", 20)
}

// listing is everything a Tree holds after listing: what the two ways of
// listing must agree on.
type listing struct {
	Files     []repofs.File
	OIDs      []string
	Missing   []string
	Truncated bool
	Skipped   int
	Failed    bool
}

// list lists commit's tree the ls-tree way or through cat-file, as Repo.Tree
// does without the choice between them.
func list(t *testing.T, r *Repo, commit string, opts TreeOptions, lsTree bool) (listing, error) {
	t.Helper()
	ctx := context.Background()
	tr := &Tree{commit: commit, ctx: ctx, gitDir: r.GitDir}
	defer tr.Close()
	var err error
	if lsTree {
		err = r.listTree(ctx, tr, opts, true)
	} else {
		err = r.walkTree(tr, opts)
	}
	if err != nil {
		return listing{Failed: true}, err
	}
	tr.sort()
	l := listing{Files: tr.files, Truncated: tr.truncated, Skipped: tr.skipped}
	for i, f := range tr.files {
		l.OIDs = append(l.OIDs, tr.oidHex(i))
		if tr.missing[i] {
			l.Missing = append(l.Missing, f.Path)
		}
	}
	return l, nil
}

// hostileCommits builds, in dir, commits whose trees are what only a hostile
// or damaged repository holds, by name; failing names the ones both ways of
// listing must refuse.
func hostileCommits(t *testing.T, o objects) (commits map[string]string, failing map[string]bool) {
	t.Helper()
	blob := o.blob("content\n")
	other := o.blob("other content, longer\n")
	missing := o.missingOID()
	gone := o.blob("this blob will be deleted\n")
	if err := os.Remove(filepath.Join(o.dir, ".git", "objects", gone[:2], gone[2:])); err != nil {
		t.Fatal(err)
	}
	sub := o.tree(entry("100644", "inner", blob), entry("100755", "run", other))
	commits = map[string]string{}
	failing = map[string]bool{}
	add := func(name string, fails bool, entries ...[]byte) {
		commits[name] = o.commit(o.tree(entries...))
		failing[name] = fails
	}

	add("modes", false,
		entry("100644", "a-644", blob),
		entry("100755", "b-755", blob),
		entry("100664", "c-664", blob),
		entry("100775", "d-775", other),
		entry("100600", "e-600", blob),
		entry("100100", "e-exec-only", blob),
		entry("100000", "f-000", blob),
		entry("0100644", "g-leading-zero", blob),
		entry("120000", "h-link", blob),
		entry("120777", "i-link-777", blob),
		entry("160000", "j-gitlink", missing),
		entry("160644", "k-gitlink-perm", blob),
		entry("0", "l-zero", blob),
		entry("170000", "m-170000", blob),
		entry("777777777777", "n-overflow", blob),
		entry("1", "o-one", blob),
		entry("40000", "p-dir", sub),
		entry("040000", "q-dir-zero", sub),
		entry("40755", "r-dir-755", sub),
		entry("100644", "s-blob-is-tree", sub),
		entry("100644", "t-missing-blob", missing),
		entry("100644", "u-deleted-blob", gone),
		entry("120000", "v-missing-link", missing),
	)
	add("names", false,
		entry("100644", "z-unsorted", blob),
		entry("100644", "b", blob),
		entry("100644", "b", other), // a duplicate
		entry("100644", "..", blob),
		entry("100644", ".", blob),
		entry("100644", "a/b", blob),
		entry("100644", "/abs", blob),
		entry("100644", "trailing/", blob),
		entry("100644", "x\ny\tz \"q\" \\", blob),
		entry("100644", "\xff\xfe", blob),
		entry("40000", "..", sub),
		entry("40000", "p/q", sub),
		entry("40000", "c", sub),
		entry("40000", "c", sub),
		entry("160000", "..", missing),
	)
	long := strings.Repeat("l", maxPathLen-1)
	add("long", false,
		entry("100644", strings.Repeat("n", 20<<10), blob),
		entry("100644", strings.Repeat("k", maxPathLen), blob),
		entry("100644", strings.Repeat("s", maxPathLen+1), blob),
		entry("40000", strings.Repeat("d", 10<<10), o.tree(entry("40000", strings.Repeat("e", 7<<10), sub), entry("100644", "f", blob))),
		entry("40000", long, o.tree(entry("100644", "f", blob), entry("100644", "ff", blob), entry("40000", "g", sub))),
	)
	// 2,500 levels of 7 bytes a level: the deepest paths are longer than
	// any kept, so what is below them is skipped.
	deep := o.tree(entry("100644", "bottom", blob))
	for i := 2500; i > 0; i-- {
		es := [][]byte{entry("40000", fmt.Sprintf("d%05d", i), deep)}
		if i%250 == 0 {
			es = append(es, entry("100644", "file", blob))
		}
		deep = o.tree(es...)
	}
	commits["deep"] = o.commit(deep)
	// The same subtree twice, ten levels down: 2,048 entries from 11 trees.
	bomb := o.tree(entry("100644", "a", blob), entry("100644", "..", other))
	for range 10 {
		bomb = o.tree(entry("40000", "x", bomb), entry("40000", "y", bomb))
	}
	commits["bomb"] = o.commit(bomb)
	commits["empty"] = o.commit(o.tree())

	add("missing-subtree", true, entry("100644", "a", blob), entry("40000", "sub", missing))
	add("subtree-is-blob", true, entry("100644", "a", blob), entry("40000", "sub", blob))
	add("subtree-is-commit", true, entry("40000", "sub", commits["empty"]))
	nested := func(name string, data []byte) {
		commits[name] = o.commit(o.tree(entry("100644", "a", blob), entry("40000", "sub", o.write("tree", data))))
		failing[name] = true
	}
	nested("mode-not-octal", entry("10064x", "a", blob))
	nested("mode-8", entry("100648", "a", blob))
	nested("mode-empty", entry("", "a", blob))
	nested("mode-space", entry(" 100644", "a", blob))
	nested("name-empty", entry("100644", "", blob))
	nested("oid-short", entry("100644", "a", blob)[:10])
	nested("no-nul", bytes.ReplaceAll(entry("100644", "a", blob), []byte{0}, []byte{'x'}))
	nested("garbage-after", append(entry("100644", "a", blob), "100644 b"...))
	nested("second-broken", append(entry("100644", "a", blob), entry("10x644", "b", blob)...))
	commits["commit-missing"] = missing
	failing["commit-missing"] = true
	commits["commit-tree-missing"] = o.commit(missing)
	failing["commit-tree-missing"] = true
	commits["commit-garbage"] = o.write("commit", []byte("this is not a commit\n"))
	failing["commit-garbage"] = true
	okTree := o.tree(entry("100644", "a", blob))
	for name, c := range map[string]string{
		"commit-bad-parent":     "tree " + okTree + "\nparent nothex\nauthor A <a@example.com> 1 +0000\n\na message long enough for git to read the parent line\n",
		"commit-tree-line-only": "tree " + okTree + "\n",
		"commit-tree-upper":     "tree " + strings.ToUpper(okTree) + "\nauthor A <a@example.com> 1 +0000\n\nm\n",
		"commit-tree-short":     "tree " + okTree[:20] + "\nauthor A <a@example.com> 1 +0000\n\nm\n",
	} {
		commits[name] = o.write("commit", []byte(c))
		failing[name] = name != "commit-tree-upper"
	}
	commits["commit-is-blob"] = blob
	failing["commit-is-blob"] = true
	commits["commit-is-tree"] = sub
	tag := o.write("tag", []byte("object "+commits["modes"]+"\ntype commit\ntag v1\ntagger A <a@example.com> 1700000000 +0000\n\nv1\n"))
	commits["tag"] = tag
	return commits, failing
}

// TestWalkEqualsLsTree lists the same trees through cat-file and through
// git ls-tree -r -l, and requires the same listing (or an error from both):
// hostile trees, with limits that cut them at many places, in SHA-1 and
// SHA-256 repositories; and, when OSPO_TREE_DIRS names clones
// (colon-separated, for example
// /tmp/real/spf13+cobra:/tmp/real/pallets+flask:/tmp/real/expressjs+express),
// their HEAD trees too.
func TestWalkEqualsLsTree(t *testing.T) {
	skipSecondPass(t)
	type target struct {
		name   string
		r      *Repo
		commit string
		fails  bool
	}
	var targets []target
	dir, _ := treeRepo(t)
	r := mustOpen(t, dir)
	targets = append(targets, target{"kinds", r, run(t, dir, "rev-parse", "HEAD"), false})
	for _, format := range []string{"sha1", "sha256"} {
		dir := filepath.Join(t.TempDir(), "repo")
		if _, err := runInput(filepath.Dir(dir), "", "init", "-q", "--object-format="+format, dir); err != nil {
			t.Logf("no %s repository: %v", format, err)
			continue
		}
		commits, failing := hostileCommits(t, objects{t: t, dir: dir, sha256: format == "sha256"})
		r := mustOpen(t, dir)
		for _, name := range slices.Sorted(func(yield func(string) bool) {
			for k := range commits {
				if !yield(k) {
					return
				}
			}
		}) {
			targets = append(targets, target{format + "/" + name, r, commits[name], failing[name]})
		}
	}
	if dirs := os.Getenv("OSPO_TREE_DIRS"); dirs != "" {
		for _, dir := range strings.Split(dirs, ":") {
			r := mustOpen(t, dir)
			targets = append(targets, target{filepath.Base(dir), r, run(t, dir, "rev-parse", "HEAD"), false})
		}
	}

	for _, tg := range targets {
		t.Run(tg.name, func(t *testing.T) {
			full := TreeOptions{MaxFiles: DefaultMaxFiles, MaxPathBytes: DefaultMaxPathBytes}
			want, werr := list(t, tg.r, tg.commit, full, true)
			got, gerr := list(t, tg.r, tg.commit, full, false)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Fatalf("cat-file listing differs from ls-tree's (-ls-tree +cat-file):\n%s\nls-tree: %v\ncat-file: %v", diff, werr, gerr)
			}
			if want.Failed != tg.fails {
				t.Fatalf("failed = %v (%v), want %v", want.Failed, werr, tg.fails)
			}
			if want.Failed {
				if !strings.Contains(gerr.Error(), "tree") && !strings.Contains(gerr.Error(), tg.commit) {
					t.Errorf("error %q says neither tree nor the commit", gerr)
				}
				return
			}
			if want.Truncated {
				t.Fatal("the full listing is truncated")
			}
			// Cut at every place, by count and by path bytes.
			n := len(want.Files)
			var pathBytes int64
			for _, f := range want.Files {
				pathBytes += int64(len(f.Path))
			}
			counts := []int{1, 2, 3, n / 3, n / 2, n - 1, n, n + 1}
			sizes := []int64{1, 5, 10, pathBytes / 3, pathBytes / 2, pathBytes - 1, pathBytes}
			if strings.HasSuffix(tg.name, "/deep") || strings.HasSuffix(tg.name, "/bomb") {
				// Thousands of trees a listing: fewer cuts.
				counts, sizes = []int{n / 2, n - 1}, []int64{pathBytes / 2}
			}
			limits := map[TreeOptions]bool{}
			for _, m := range counts {
				if m > 0 {
					limits[TreeOptions{MaxFiles: m, MaxPathBytes: DefaultMaxPathBytes}] = true
				}
			}
			for _, b := range sizes {
				if b > 0 {
					limits[TreeOptions{MaxFiles: DefaultMaxFiles, MaxPathBytes: b}] = true
				}
			}
			for opts := range limits {
				want, werr := list(t, tg.r, tg.commit, opts, true)
				got, gerr := list(t, tg.r, tg.commit, opts, false)
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("%+v: cat-file listing differs from ls-tree's (-ls-tree +cat-file):\n%s\nls-tree: %v\ncat-file: %v", opts, diff, werr, gerr)
				}
			}
		})
	}
}

// TestWalkLimits: what ls-tree would follow for ever, or until it crashes,
// the walk refuses or cuts.
func TestWalkLimits(t *testing.T) {
	skipSecondPass(t)
	dir := newRepo(t, nil)
	o := objects{t: t, dir: dir}
	r := mustOpen(t, dir)
	blob := o.blob("x")

	deep := o.tree(entry("100644", "f", blob))
	for range maxTreeDepth {
		deep = o.tree(entry("40000", "d", deep))
	}
	if _, err := list(t, r, o.commit(deep), TreeOptions{MaxFiles: 10, MaxPathBytes: 1 << 20}, false); err == nil || !strings.Contains(err.Error(), "levels deep") {
		t.Errorf("a tree %d levels deep: %v, want an error", maxTreeDepth+1, err)
	}

	// Subtrees and skipped entries count against maxUnkept.
	defer func(n int) { maxUnkept = n }(maxUnkept)
	maxUnkept = 100
	bomb := o.tree(entry("100644", "..", blob), entry("100644", "ok", blob))
	for range 12 {
		bomb = o.tree(entry("40000", "x", bomb), entry("40000", "y", bomb))
	}
	l, err := list(t, r, o.commit(bomb), TreeOptions{MaxFiles: 1 << 20, MaxPathBytes: 1 << 30}, false)
	if err != nil || !l.Truncated || len(l.Files) == 0 || len(l.Files) > 100 || l.Skipped == 0 || l.Skipped > 100 {
		t.Errorf("a tree bomb: %d files, %d skipped, truncated %v, %v; want a truncated listing", len(l.Files), l.Skipped, l.Truncated, err)
	}

	// At the real bound, a bomb of 2^24 entries from 25 trees: each tree is
	// read from git once, not once a place it appears.
	maxUnkept = 1 << 20
	bomb = o.tree(entry("100644", "..", blob))
	for range 24 {
		bomb = o.tree(entry("40000", "x", bomb), entry("40000", "y", bomb))
	}
	tr := &Tree{commit: o.commit(bomb), ctx: context.Background(), gitDir: r.GitDir}
	defer tr.Close()
	if err := r.walkTree(tr, TreeOptions{MaxFiles: 10, MaxPathBytes: 1 << 20}); err != nil || !tr.truncated || len(tr.files) != 0 {
		t.Fatalf("a tree bomb of 2^24 entries: %d files, truncated %v, %v; want a truncated empty listing", len(tr.files), tr.truncated, err)
	}
	if tr.cat.trips > 30 {
		t.Errorf("a tree bomb of 25 distinct trees took %d round trips to git", tr.cat.trips)
	}
}

// TestTreeOldGit: a git that does not know cat-file --batch-command (before
// 2.36) is detected once, and the tree is listed with ls-tree.
func TestTreeOldGit(t *testing.T) {
	skipSecondPass(t)
	defer useLsTree.Store(useLsTree.Load())
	useLsTree.Store(false)
	dir, _ := treeRepo(t)
	real, err := exec.LookPath("git")
	if err != nil {
		t.Fatal(err)
	}
	bin := t.TempDir()
	calls := filepath.Join(bin, "calls")
	script := "#!/bin/sh\nprintf '%s\\n' \"$*\" >> '" + calls + "'\n" +
		"case \"$*\" in *--batch-command*) echo \"error: unknown option \\`batch-command'\" >&2; echo 'usage: git cat-file ...' >&2; exit 129;; esac\n" +
		"exec '" + real + "' \"$@\"\n"
	if err := os.WriteFile(filepath.Join(bin, "git"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", bin+string(os.PathListSeparator)+os.Getenv("PATH"))
	r := mustOpen(t, dir)
	for range 2 {
		tree, err := r.Tree(context.Background(), TreeOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if got, err := tree.ReadFile("README.md", 100); err != nil || string(got) != "# hello\n" {
			t.Errorf("ReadFile = %q, %v", got, err)
		}
		if n := len(tree.Files()); n != 13 {
			t.Errorf("%d files, want 13", n)
		}
		tree.Close()
	}
	if !useLsTree.Load() {
		t.Error("the old git was not noticed")
	}
	data, err := os.ReadFile(calls)
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(data), "--batch-command"); n != 1 {
		t.Errorf("--batch-command tried %d times, want once:\n%s", n, data)
	}
}

// skipSecondPass skips a test that chooses its way of listing itself in
// TestMain's second pass, where it would only repeat the first.
func skipSecondPass(t *testing.T) {
	if useLsTree.Load() {
		t.Skip("chooses its way of listing itself: run in the first pass")
	}
}
