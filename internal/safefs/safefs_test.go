package safefs

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ospo-project/ospo/internal/repofs"
)

func TestTree(t *testing.T) {
	dir := t.TempDir()
	outside := filepath.Join(t.TempDir(), "secret")
	os.WriteFile(outside, []byte("secret"), 0o644)
	mk := func(p, c string) {
		os.MkdirAll(filepath.Dir(filepath.Join(dir, p)), 0o755)
		os.WriteFile(filepath.Join(dir, p), []byte(c), 0o644)
	}
	mk("go.mod", "module x\n")
	mk("web/package.json", "{}")
	mk("web/node_modules/dep/package.json", "{}")
	mk(".git/config", "[core]")
	mk("big.bin", string(make([]byte, 2048)))
	os.Symlink(outside, filepath.Join(dir, "escape"))
	os.Symlink("../../..", filepath.Join(dir, "web", "up"))
	os.Symlink("loop", filepath.Join(dir, "loop"))

	tr, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer tr.Close()
	want := []repofs.File{
		{Path: "big.bin", Size: 2048},
		{Path: "escape", Symlink: true},
		{Path: "go.mod", Size: 9},
		{Path: "loop", Symlink: true},
		{Path: "web/package.json", Size: 2},
		{Path: "web/up", Symlink: true},
	}
	if diff := cmp.Diff(want, tr.Files()); diff != "" {
		t.Errorf("Files (-want +got):\n%s", diff)
	}
	tests := []struct {
		path string
		max  int64
		want string
		err  error
	}{
		{"go.mod", 100, "module x\n", nil},
		{"big.bin", 1024, "", repofs.ErrTooLarge},
		{"escape", 100, "", fs.ErrNotExist},
		{"loop", 100, "", fs.ErrNotExist},
		{"../secret", 100, "", nil}, // any error: outside the root
		{"web/up/etc/passwd", 100, "", nil},
	}
	for _, tc := range tests {
		got, err := tr.ReadFile(tc.path, tc.max)
		switch {
		case tc.want != "":
			if err != nil || string(got) != tc.want {
				t.Errorf("ReadFile(%s) = %q, %v", tc.path, got, err)
			}
		case tc.err != nil:
			if !errors.Is(err, tc.err) {
				t.Errorf("ReadFile(%s) error = %v, want %v", tc.path, err, tc.err)
			}
		default:
			if err == nil {
				t.Errorf("ReadFile(%s) escaped the root: %q", tc.path, got)
			}
		}
	}
}

func TestMaxFiles(t *testing.T) {
	dir := t.TempDir()
	for i := range 10 {
		os.WriteFile(filepath.Join(dir, string(rune('a'+i))), nil, 0o644)
	}
	tr, err := Open(dir, Options{MaxFiles: 4})
	if err != nil {
		t.Fatal(err)
	}
	defer tr.Close()
	if len(tr.Files()) != 4 || !tr.Truncated() {
		t.Errorf("got %d files, truncated %v", len(tr.Files()), tr.Truncated())
	}
}
