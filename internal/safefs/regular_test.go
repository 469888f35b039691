//go:build unix

package safefs

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

func TestOpenRegular(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "file")
	if err := os.WriteFile(file, []byte("data"), 0o644); err != nil {
		t.Fatal(err)
	}
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link")
	if err := os.Symlink(file, link); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		want error
	}{
		{"file", nil},
		{"fifo", ErrNotRegular}, // would block forever if opened as a file
		{"link", ErrNotRegular},
		{".", ErrNotRegular},
		{"missing", fs.ErrNotExist},
	}
	for _, tt := range tests {
		f, err := OpenRegular(filepath.Join(dir, tt.name))
		if !errors.Is(err, tt.want) {
			t.Errorf("OpenRegular(%s) error = %v, want %v", tt.name, err, tt.want)
		}
		if err == nil {
			b, err := io.ReadAll(f)
			f.Close()
			if err != nil || string(b) != "data" {
				t.Errorf("read %s = %q, %v", tt.name, b, err)
			}
		}
	}
}
