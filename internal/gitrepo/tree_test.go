package gitrepo

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/ospo-project/ospo/internal/repofs"
)

// weirdName is a file name git must hand back byte for byte: invalid UTF-8,
// a newline, a tab, quotes and a backslash.
const weirdName = "we\xffird\nna\tme \"q\" 'q' \\.txt"

// treeRepo builds a repository holding every kind of tree entry.
func treeRepo(t *testing.T) (dir string, sub string) {
	t.Helper()
	dir = newRepo(t, nil)
	write(t, dir, "README.md", "# hello\n")
	write(t, dir, "src/main.go", "package main\n")
	write(t, dir, "a.b", "dot\n")
	write(t, dir, "a/b", "slash\n")
	write(t, dir, "a-b", "dash\n")
	write(t, dir, weirdName, "weird\n")
	write(t, dir, "empty", "")
	if err := os.WriteFile(filepath.Join(dir, "run.sh"), []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	for name, target := range map[string]string{
		"passwd": "/etc/passwd", // points outside the repository
		"loop-a": "loop-b",      // a loop
		"loop-b": "loop-a",
		"self":   "self",
	} {
		if err := os.Symlink(target, filepath.Join(dir, name)); err != nil {
			t.Fatal(err)
		}
	}
	run(t, dir, "add", "-A")
	// A submodule entry (gitlink) without cloning anything.
	sub = strings.Repeat("ab", 20)
	run(t, dir, "update-index", "--add", "--cacheinfo", "160000,"+sub+",vendor/lib")
	run(t, dir, "commit", "-q", "-m", "all kinds")
	return dir, sub
}

func TestTreeFiles(t *testing.T) {
	ctx := context.Background()
	dir, _ := treeRepo(t)
	r := mustOpen(t, dir)
	tree, err := r.Tree(ctx, TreeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer tree.Close()

	want := []repofs.File{
		{Path: "README.md", Size: 8},
		{Path: "a-b", Size: 5},
		{Path: "a.b", Size: 4},
		{Path: "a/b", Size: 6},
		{Path: "empty", Size: 0},
		{Path: "loop-a", Size: 6, Symlink: true},
		{Path: "loop-b", Size: 6, Symlink: true},
		{Path: "passwd", Size: 11, Symlink: true},
		{Path: "run.sh", Size: 10},
		{Path: "self", Size: 4, Symlink: true},
		{Path: "src/main.go", Size: 13},
		{Path: "vendor/lib", Submodule: true},
		{Path: weirdName, Size: 6},
	}
	if diff := cmp.Diff(want, tree.Files()); diff != "" {
		t.Errorf("Files() mismatch (-want +got):\n%s", diff)
	}
	if tree.Truncated() || tree.Skipped() != 0 {
		t.Errorf("Truncated = %v, Skipped = %d", tree.Truncated(), tree.Skipped())
	}
	if head, _, _ := r.Head(ctx); tree.Commit() != head {
		t.Errorf("Commit = %s, want HEAD %s", tree.Commit(), head)
	}

	reads := []struct {
		path    string
		want    string
		wantErr error
		msg     string
	}{
		{"README.md", "# hello\n", nil, ""},
		{weirdName, "weird\n", nil, ""},
		{"empty", "", nil, ""},
		{"a/b", "slash\n", nil, ""},
		{"run.sh", "#!/bin/sh\n", nil, ""},
		{"passwd", "", fs.ErrNotExist, "symbolic link"},
		{"loop-a", "", fs.ErrNotExist, "symbolic link"},
		{"self", "", fs.ErrNotExist, "symbolic link"},
		{"vendor/lib", "", fs.ErrNotExist, "submodule"},
		{"src", "", fs.ErrNotExist, ""},
		{"nope", "", fs.ErrNotExist, ""},
		{"src/main.go", "package main\n", nil, ""},
	}
	for _, rd := range reads {
		got, err := tree.ReadFile(rd.path, 1<<20)
		if rd.wantErr == nil {
			if err != nil || string(got) != rd.want {
				t.Errorf("ReadFile(%q) = %q, %v; want %q", rd.path, got, err, rd.want)
			}
			continue
		}
		var pe *fs.PathError
		if !errors.Is(err, rd.wantErr) || !errors.As(err, &pe) || pe.Path != rd.path || !strings.Contains(err.Error(), rd.msg) {
			t.Errorf("ReadFile(%q) error = %v; want a PathError wrapping %v mentioning %q", rd.path, err, rd.wantErr, rd.msg)
		}
	}
	// Symbolic links were never followed: /etc/passwd's content is nowhere.
	if got, err := tree.ReadFile("passwd", 1<<20); got != nil || bytes.Contains(got, []byte("root:")) {
		t.Errorf("ReadFile(passwd) = %q, %v", got, err)
	}
	var paths []string
	for _, rd := range reads {
		paths = append(paths, rd.path)
	}
	checkReadFiles(t, tree, append(paths, paths...), 1<<20)
	checkReadFiles(t, tree, paths, 6) // some fit, some are too large
	tree.Close()
	checkReadFiles(t, tree, paths, 1<<20)
}

// checkReadFiles checks that tree.ReadFiles(paths, limit) reports each path
// once, in order, with what ReadFile gives for it.
func checkReadFiles(t *testing.T, tree *Tree, paths []string, limit int64) {
	t.Helper()
	type answer struct {
		data []byte
		err  string
	}
	var got []answer
	tree.ReadFiles(paths, limit, func(i int, data []byte, err error) {
		if i != len(got) {
			t.Errorf("ReadFiles reported path %d after %d paths", i, len(got))
		}
		a := answer{data: data}
		if err != nil {
			a.err = err.Error()
		}
		got = append(got, a)
	})
	if len(got) != len(paths) {
		t.Fatalf("ReadFiles reported %d of %d paths", len(got), len(paths))
	}
	for i, p := range paths {
		data, err := tree.ReadFile(p, limit)
		want := answer{data: data}
		if err != nil {
			want.err = err.Error()
		}
		if !bytes.Equal(got[i].data, want.data) || got[i].err != want.err {
			t.Errorf("ReadFiles: %s = %q, %q; ReadFile gives %q, %q", p, got[i].data, got[i].err, want.data, want.err)
		}
	}
}

func TestTreeLargeFile(t *testing.T) {
	dir := newRepo(t, nil)
	const size = 20 << 20
	big := bytes.Repeat([]byte("0123456789abcdef"), size/16)
	if err := os.WriteFile(filepath.Join(dir, "big.bin"), big, 0o644); err != nil {
		t.Fatal(err)
	}
	write(t, dir, "small.txt", "small\n")
	run(t, dir, "add", "-A")
	run(t, dir, "commit", "-q", "-m", "big")
	big = nil

	r := mustOpen(t, dir)
	tree, err := r.Tree(context.Background(), TreeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer tree.Close()

	before := totalAlloc()
	_, err = tree.ReadFile("big.bin", 1<<20)
	if !errors.Is(err, repofs.ErrTooLarge) || !strings.Contains(err.Error(), "20971520 bytes") {
		t.Fatalf("ReadFile(big.bin, 1 MiB) error = %v, want ErrTooLarge with the size", err)
	}
	// The cat-file path too: ask git for the blob with a small limit, as if
	// the listed size had lied. It must stream the blob away, not hold it.
	i := indexOf(t, tree, "big.bin")
	oid := tree.oidHex(i)
	if _, err := tree.readBlob(oid, 1<<20); !errors.Is(err, repofs.ErrTooLarge) {
		t.Fatalf("readBlob(big, 1 MiB) error = %v, want ErrTooLarge", err)
	}
	if grown := totalAlloc() - before; grown > 4<<20 {
		t.Errorf("refusing a 20 MiB blob allocated %d bytes", grown)
	}
	// The stream is still in step.
	if got, err := tree.ReadFile("small.txt", 100); err != nil || string(got) != "small\n" {
		t.Errorf("ReadFile(small.txt) after a refused blob = %q, %v", got, err)
	}
	got, err := tree.ReadFile("big.bin", size)
	if err != nil || len(got) != size || !bytes.Equal(got[:32], []byte("0123456789abcdef0123456789abcdef")) {
		t.Errorf("ReadFile(big.bin, 20 MiB) = %d bytes, %v", len(got), err)
	}
	if _, err := tree.ReadFile("small.txt", -1); !errors.Is(err, repofs.ErrTooLarge) {
		t.Errorf("ReadFile with a negative limit: %v, want ErrTooLarge", err)
	}
	checkReadFiles(t, tree, []string{"small.txt", "big.bin", "small.txt"}, 1<<20)
	checkReadFiles(t, tree, []string{"big.bin", "small.txt"}, size)
}

func totalAlloc() uint64 {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.TotalAlloc
}

func indexOf(t *testing.T, tree *Tree, path string) int {
	t.Helper()
	for i, f := range tree.Files() {
		if f.Path == path {
			return i
		}
	}
	t.Fatalf("%s not in tree", path)
	return -1
}

func TestTreeMissingBlob(t *testing.T) {
	dir := newRepo(t, map[string]string{"gone.txt": "this blob will be deleted\n", "kept.txt": "kept\n"})
	oid := run(t, dir, "rev-parse", "HEAD:gone.txt")
	if err := os.Remove(filepath.Join(dir, ".git", "objects", oid[:2], oid[2:])); err != nil {
		t.Fatal(err)
	}
	r := mustOpen(t, dir)
	tree, err := r.Tree(context.Background(), TreeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer tree.Close()
	if n := len(tree.Files()); n != 2 {
		t.Fatalf("Files() = %d entries, want 2", n)
	}
	_, err = tree.ReadFile("gone.txt", 1<<20)
	if !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), "missing from the object store") || !strings.Contains(err.Error(), oid) {
		t.Errorf("ReadFile(gone.txt) error = %v, want a missing-blob error naming %s", err, oid)
	}
	// Through cat-file too (as for a blob that vanishes after the listing).
	if _, err := tree.readBlob(oid, 1<<20); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("readBlob(missing) error = %v, want fs.ErrNotExist", err)
	}
	if got, err := tree.ReadFile("kept.txt", 1<<20); err != nil || string(got) != "kept\n" {
		t.Errorf("ReadFile(kept.txt) = %q, %v", got, err)
	}
	checkReadFiles(t, tree, []string{"kept.txt", "gone.txt", "kept.txt"}, 1<<20)
}

func TestTreeCorruptHeadCommit(t *testing.T) {
	dir := newRepo(t, map[string]string{"a": "a"})
	write(t, dir, ".git/refs/heads/main", strings.Repeat("1", 40)+"\n")
	r := mustOpen(t, dir)
	_, err := r.Tree(context.Background(), TreeOptions{})
	if err == nil || !strings.Contains(err.Error(), strings.Repeat("1", 40)) {
		t.Errorf("Tree on a HEAD naming no object: %v, want an error naming the object", err)
	}
}

func TestTreeOptions(t *testing.T) {
	ctx := context.Background()
	dir := newRepo(t, map[string]string{"a": "1", "b": "2", "c": "3", "d/e": "4"})
	first := run(t, dir, "rev-parse", "HEAD")
	write(t, dir, "later", "5")
	run(t, dir, "add", "later")
	run(t, dir, "commit", "-q", "-m", "later")
	r := mustOpen(t, dir)

	tree, err := r.Tree(ctx, TreeOptions{MaxFiles: 2})
	if err != nil {
		t.Fatal(err)
	}
	if got := paths(tree); !tree.Truncated() || got != "a b" {
		t.Errorf("MaxFiles 2: files %q truncated %v", got, tree.Truncated())
	}
	tree.Close()

	tree, err = r.Tree(ctx, TreeOptions{MaxFiles: 5})
	if err != nil {
		t.Fatal(err)
	}
	if tree.Truncated() || len(tree.Files()) != 5 {
		t.Errorf("MaxFiles 5 of 5: %d files, truncated %v", len(tree.Files()), tree.Truncated())
	}
	tree.Close()

	tree, err = r.Tree(ctx, TreeOptions{MaxPathBytes: 4})
	if err != nil {
		t.Fatal(err)
	}
	if got := paths(tree); !tree.Truncated() || got != "a b c" {
		t.Errorf("MaxPathBytes 4: files %q truncated %v", got, tree.Truncated())
	}
	tree.Close()

	tree, err = r.Tree(ctx, TreeOptions{Commit: strings.ToUpper(first)})
	if err != nil {
		t.Fatal(err)
	}
	if got := paths(tree); got != "a b c d/e" || tree.Commit() != first {
		t.Errorf("Commit %s: files %q, Commit() %s", first, got, tree.Commit())
	}
	tree.Close()

	for _, bad := range []string{"HEAD", "--output=/tmp/x", first[:12]} {
		if _, err := r.Tree(ctx, TreeOptions{Commit: bad}); err == nil {
			t.Errorf("Tree accepted Commit %q", bad)
		}
	}
}

func paths(tree *Tree) string {
	var p []string
	for _, f := range tree.Files() {
		p = append(p, f.Path)
	}
	return strings.Join(p, " ")
}

func TestTreeCloseAndContext(t *testing.T) {
	dir := newRepo(t, map[string]string{"a": "a"})
	r := mustOpen(t, dir)

	// Never read: Close is still fine, twice.
	tree, err := r.Tree(context.Background(), TreeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := tree.Close(); err != nil {
		t.Fatal(err)
	}
	if err := tree.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := tree.ReadFile("a", 10); !errors.Is(err, fs.ErrClosed) {
		t.Errorf("ReadFile after Close: %v, want fs.ErrClosed", err)
	}
	if len(tree.Files()) != 1 {
		t.Error("Files gone after Close")
	}

	// The context bounds the cat-file process.
	ctx, cancel := context.WithCancel(context.Background())
	tree, err = r.Tree(ctx, TreeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer tree.Close()
	if _, err := tree.ReadFile("a", 10); err != nil {
		t.Fatal(err)
	}
	cancel()
	deadline := time.Now().Add(5 * time.Second)
	for {
		_, err := tree.ReadFile("a", 10)
		if errors.Is(err, context.Canceled) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("ReadFile after cancel: %v, want context.Canceled", err)
		}
	}

	ctx, cancel = context.WithCancel(context.Background())
	cancel()
	if _, err := r.Tree(ctx, TreeOptions{}); !errors.Is(err, context.Canceled) {
		t.Errorf("Tree with a cancelled context: %v", err)
	}
}

func TestTreeConcurrentReads(t *testing.T) {
	files := map[string]string{}
	for i := range 50 {
		files[fmt.Sprintf("f%02d", i)] = strings.Repeat(fmt.Sprint(i), 1000+i)
	}
	dir := newRepo(t, files)
	tree, err := mustOpen(t, dir).Tree(context.Background(), TreeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer tree.Close()
	errs := make(chan error, 4)
	for range 4 {
		go func() {
			for name, want := range files {
				got, err := tree.ReadFile(name, 1<<20)
				if err != nil || string(got) != want {
					errs <- fmt.Errorf("ReadFile(%s) = %d bytes, %v", name, len(got), err)
					return
				}
			}
			errs <- nil
		}()
	}
	for range 4 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}

// TestParseListing feeds parse what only a hostile or broken tree object
// would make git print.
func TestParseListing(t *testing.T) {
	oid := strings.Repeat("a", 40)
	rec := func(mode, typ, size, path string) string {
		return fmt.Sprintf("%s %s %s %7s\t%s\x00", mode, typ, oid, size, path)
	}
	long := strings.Repeat("x", maxPathLen+1)
	input := rec("100644", "blob", "3", "z") +
		rec("100644", "blob", "1", "b") +
		rec("100644", "blob", "BAD", "missing") +
		rec("100644", "blob", "1", "../escape") +
		rec("100644", "blob", "1", "/abs") +
		rec("100644", "blob", "1", "a//b") +
		rec("100644", "blob", "1", "a/./b") +
		rec("100644", "blob", "1", "trailing/") +
		rec("100644", "blob", "1", long) +
		rec("100644", "blob", "1", strings.Repeat("y", 70<<10)) +
		rec("100644", "blob", "2", "mid/"+strings.Repeat("m", 10<<10)) +
		rec("160000", "commit", "-", "sub") +
		rec("120000", "blob", "4", "link")
	tree := &Tree{}
	if err := tree.parse(strings.NewReader(input), TreeOptions{MaxFiles: 100, MaxPathBytes: 1 << 30}, true); err != nil {
		t.Fatal(err)
	}
	tree.sort()
	want := []repofs.File{
		{Path: "b", Size: 1},
		{Path: "link", Size: 4, Symlink: true},
		{Path: "mid/" + strings.Repeat("m", 10<<10), Size: 2},
		{Path: "missing"},
		{Path: "sub", Submodule: true},
		{Path: "z", Size: 3},
	}
	if diff := cmp.Diff(want, tree.Files()); diff != "" {
		t.Errorf("Files() mismatch (-want +got):\n%s", diff)
	}
	if tree.Skipped() != 7 {
		t.Errorf("Skipped = %d, want 7", tree.Skipped())
	}
	if i := indexOf(t, tree, "missing"); !tree.missing[i] {
		t.Errorf("missing entry not marked after sorting")
	}

	for _, bad := range []string{
		"100644 blob " + oid + " 1 no-tab\x00",
		rec("100644", "blob", "x", "a"),
		rec("100644", "blob", "-5", "a"),
		rec("100644", "blob", "1", "a")[:20],
		"100644 blob abc 1\ta\x00",
		rec("040000", "tree", "-", "dir"),
	} {
		if err := (&Tree{}).parse(strings.NewReader(bad), TreeOptions{MaxFiles: 10, MaxPathBytes: 100}, true); err == nil {
			t.Errorf("parse(%q) succeeded", bad)
		}
	}
}

func TestSHA256Repository(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "repo")
	if _, err := runInput(filepath.Dir(dir), "", "init", "-q", "--object-format=sha256", dir); err != nil {
		t.Skip("git without SHA-256 support:", err)
	}
	write(t, dir, "hello.txt", "hello\n")
	run(t, dir, "add", "-A")
	run(t, dir, "commit", "-q", "-m", "sha256")
	want := run(t, dir, "rev-parse", "HEAD")
	r := mustOpen(t, dir)
	commit, branch, err := r.Head(ctx)
	if err != nil || commit != want || len(commit) != 64 || branch != "main" {
		t.Fatalf("Head = %s %q %v, want %s main", commit, branch, err, want)
	}
	tree, err := r.Tree(ctx, TreeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer tree.Close()
	if got, err := tree.ReadFile("hello.txt", 100); err != nil || string(got) != "hello\n" {
		t.Errorf("ReadFile = %q, %v", got, err)
	}
	if _, err := r.HeadDate(ctx); err != nil {
		t.Errorf("HeadDate: %v", err)
	}
}

func TestTreePartialClone(t *testing.T) {
	src := newRepo(t, map[string]string{"here.txt": "fetched\n", "away.txt": "left on the server\n", "dir/away2.txt": "also away\n"})
	run(t, src, "config", "uploadpack.allowFilter", "true")
	base := filepath.Dir(src)
	run(t, base, "clone", "-q", "--no-checkout", "--filter=blob:none", "file://"+src, "partial")
	part := filepath.Join(base, "partial")
	// Fetch one blob on purpose (lazy fetching is allowed in the test's git).
	run(t, part, "cat-file", "blob", "HEAD:here.txt")

	r := mustOpen(t, part)
	tree, err := r.Tree(context.Background(), TreeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer tree.Close()
	want := []repofs.File{
		{Path: "away.txt"},
		{Path: "dir/away2.txt"},
		{Path: "here.txt", Size: 8},
	}
	if diff := cmp.Diff(want, tree.Files()); diff != "" {
		t.Errorf("Files() mismatch (-want +got):\n%s", diff)
	}
	if got, err := tree.ReadFile("here.txt", 100); err != nil || string(got) != "fetched\n" {
		t.Errorf("ReadFile(here.txt) = %q, %v", got, err)
	}
	for _, p := range []string{"away.txt", "dir/away2.txt"} {
		if _, err := tree.ReadFile(p, 100); !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), "partial clone") {
			t.Errorf("ReadFile(%s) error = %v, want a missing-blob error", p, err)
		}
	}
	// Nothing was fetched behind our back: the two blobs are still missing.
	out := run(t, part, "rev-list", "--objects", "--no-walk", "--missing=print", "HEAD")
	if n := strings.Count(out, "?"); n != 2 {
		t.Errorf("%d objects missing after reading, want 2:\n%s", n, out)
	}
}

// TestParseManyEntries checks that paths survive the arena's chunking.
func TestParseManyEntries(t *testing.T) {
	var in strings.Builder
	var want []string
	for i := range 20_000 {
		p := fmt.Sprintf("dir%04d/%s%d.txt", i/10, strings.Repeat("p", i%300), i)
		if i%997 == 0 {
			p += "/" + strings.Repeat("L", 9<<10) // beyond the arena's share
		}
		want = append(want, p)
		fmt.Fprintf(&in, "100644 blob %040x %7d\t%s\x00", i, i, p)
	}
	tree := &Tree{}
	if err := tree.parse(strings.NewReader(in.String()), TreeOptions{MaxFiles: 1 << 20, MaxPathBytes: 1 << 30}, true); err != nil {
		t.Fatal(err)
	}
	if len(tree.Files()) != len(want) {
		t.Fatalf("%d files, want %d", len(tree.Files()), len(want))
	}
	for i, f := range tree.Files() {
		if f.Path != want[i] || f.Size != int64(i) || tree.oidHex(i) != fmt.Sprintf("%040x", i) {
			t.Fatalf("entry %d = %q size %d oid %s", i, f.Path, f.Size, tree.oidHex(i))
		}
	}
}

func FuzzParseListing(f *testing.F) {
	oid := strings.Repeat("a", 40)
	f.Add([]byte("100644 blob " + oid + "       3\ta\x00120000 blob " + oid + "       1\tl\x00"))
	f.Add([]byte("160000 commit " + oid + "       -\tsub\x00100644 blob " + oid + "     BAD\tm\x00"))
	f.Add([]byte("100644 blob " + oid + "       1\t../x\x00"))
	f.Fuzz(func(t *testing.T, data []byte) {
		tree := &Tree{}
		if err := tree.parse(bytes.NewReader(data), TreeOptions{MaxFiles: 1000, MaxPathBytes: 1 << 20}, true); err != nil {
			return
		}
		tree.sort()
		for i, f := range tree.Files() {
			if !validTreePath([]byte(f.Path)) || f.Size < 0 && !f.Submodule {
				t.Errorf("entry %d: %+v", i, f)
			}
			if i > 0 && tree.Files()[i-1].Path > f.Path {
				t.Errorf("entries not sorted at %d", i)
			}
		}
		if len(tree.oids) != len(tree.Files())*tree.hashLen {
			t.Errorf("%d oid bytes for %d entries", len(tree.oids), len(tree.Files()))
		}
	})
}

// TestTreeCommitDate: a tree reads its commit's committer date through its
// cat-file process, as Repo.CommitDate does with git log: not the author
// date, not a "committer" line of the message, whatever the time zone.
func TestTreeCommitDate(t *testing.T) {
	ctx := context.Background()
	dir := newRepo(t, map[string]string{"a": "a"})
	r := mustOpen(t, dir)
	tree := run(t, dir, "rev-parse", "HEAD^{tree}")
	tests := []struct {
		name, header string
		want         time.Time
	}{
		{"utc", "author A <a@example.com> 1000 +0000\ncommitter C <c@example.com> 1714979289 +0000\n", time.Unix(1714979289, 0)},
		{"zone and odd name", "author A <a@example.com> 1000 +0000\ncommitter C > D <c@example.com> 1714979289 +0530\n", time.Unix(1714979289, 0)},
		{"message says otherwise", "author A <a@example.com> 1000 -0800\ncommitter C <c@example.com> 86400 -0800\n", time.Unix(86400, 0)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			object := "tree " + tree + "\n" + tt.header + "\nsubject\n\ncommitter X <x@example.com> 5 +0000\n"
			oid, err := runInput(dir, object, "hash-object", "-t", "commit", "-w", "--stdin")
			if err != nil {
				t.Fatal(err)
			}
			want, err := r.CommitDate(ctx, oid)
			if err != nil {
				t.Fatal(err)
			}
			if !want.Equal(tt.want) {
				t.Fatalf("git log says %v, want %v", want, tt.want)
			}
			tr, err := r.Tree(ctx, TreeOptions{Commit: oid})
			if err != nil {
				t.Fatal(err)
			}
			defer tr.Close()
			got, err := tr.CommitDate()
			if err != nil || !got.Equal(want) || got.Location() != time.UTC {
				t.Errorf("Tree.CommitDate = %v, %v; want %v in UTC", got, err, want)
			}
			// The same process still reads files after the commit.
			if b, err := tr.ReadFile("a", 10); err != nil || string(b) != "a" {
				t.Errorf("ReadFile after CommitDate = %q, %v", b, err)
			}
		})
	}
}
