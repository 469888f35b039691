package deps

import (
	"errors"
	"io/fs"
	"testing"
	"testing/fstest"

	"github.com/ospo-project/ospo/internal/repofs"
)

// TestTreeFS checks the adapter against the io/fs contract.
func TestTreeFS(t *testing.T) {
	tree := repofs.MemTree{
		"pom.xml":                 "<project/>",
		"service/pom.xml":         "<project><parent/></project>",
		"service/src/main/App.kt": "fun main() {}",
		"a/b/c/d.txt":             "deep",
	}
	fsys := newTreeFS(tree, tree.Files(), 1<<20)
	if err := fstest.TestFS(fsys, "pom.xml", "service/pom.xml", "service/src/main/App.kt", "a/b/c/d.txt"); err != nil {
		t.Fatal(err)
	}
}

// TestTreeFSConfined checks that the adapter cannot name anything outside
// the tree, never follows a symbolic link and applies its size cap.
func TestTreeFSConfined(t *testing.T) {
	tree := linkTree{MemTree: repofs.MemTree{"link": "../../etc/passwd", "big": "0123456789", "ok": "x"}, links: map[string]bool{"link": true}}
	fsys := newTreeFS(tree, tree.Files(), 5)
	for _, name := range []string{"../x", "/etc/passwd", "a/../../x", ""} {
		if _, err := fsys.Open(name); !errors.Is(err, fs.ErrInvalid) {
			t.Errorf("Open(%q) = %v, want ErrInvalid", name, err)
		}
	}
	if _, err := fsys.Open("link"); !errors.Is(err, errSymlink) {
		t.Errorf("Open(symlink) = %v, want errSymlink", err)
	}
	if fi, err := fsys.Stat("link"); err != nil || fi.Mode()&fs.ModeSymlink == 0 {
		t.Errorf("Stat(symlink) = %v, %v; want a symlink", fi, err)
	}
	if _, err := fsys.Open("big"); !errors.Is(err, repofs.ErrTooLarge) {
		t.Errorf("Open(big) = %v, want ErrTooLarge", err)
	}
	if _, err := fsys.Open("missing"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Open(missing) = %v, want ErrNotExist", err)
	}
	if data, err := fs.ReadFile(fsys, "ok"); err != nil || string(data) != "x" {
		t.Errorf("ReadFile(ok) = %q, %v", data, err)
	}
}

// linkTree marks some files of a MemTree as symbolic links.
type linkTree struct {
	repofs.MemTree
	links map[string]bool
}

func (l linkTree) Files() []repofs.File {
	fs := l.MemTree.Files()
	for i := range fs {
		fs[i].Symlink = l.links[fs[i].Path]
	}
	return fs
}
