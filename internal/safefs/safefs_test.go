package safefs

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/iotest"

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

// TestReadAll: readAll reads what io.ReadAll reads, whether the size it is
// told is right, too small (the file grew) or too large (it shrank), and
// returns a reader's error.
func TestReadAll(t *testing.T) {
	content := strings.Repeat("lockfile ", 1000)
	tests := []struct {
		name string
		r    func() io.Reader
		size int64
	}{
		{"exact", func() io.Reader { return strings.NewReader(content) }, int64(len(content))},
		{"grew", func() io.Reader { return strings.NewReader(content) }, 10},
		{"shrank", func() io.Reader { return strings.NewReader(content) }, 100_000},
		{"empty", func() io.Reader { return strings.NewReader("") }, 0},
		{"one byte at a time", func() io.Reader { return iotest.OneByteReader(strings.NewReader(content)) }, int64(len(content))},
		{"data then error", func() io.Reader { return iotest.DataErrReader(strings.NewReader(content)) }, int64(len(content))},
		{"error", func() io.Reader {
			return io.MultiReader(strings.NewReader(content), iotest.ErrReader(errors.New("disk on fire")))
		}, int64(len(content))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want, wantErr := io.ReadAll(tt.r())
			got, err := readAll(tt.r(), tt.size)
			if !bytes.Equal(got, want) || fmt.Sprint(err) != fmt.Sprint(wantErr) {
				t.Errorf("readAll = %d bytes, %v; io.ReadAll %d bytes, %v", len(got), err, len(want), wantErr)
			}
		})
	}
}
