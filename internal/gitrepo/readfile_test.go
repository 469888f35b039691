package gitrepo

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func TestReadNoFollow(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "small", "hello\n")
	write(t, dir, "big", string(bytes.Repeat([]byte("x"), 5000)))
	write(t, dir, "empty", "")
	if err := os.Mkdir(filepath.Join(dir, "dir"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("small", filepath.Join(dir, "link")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("nowhere", filepath.Join(dir, "dangling")); err != nil {
		t.Fatal(err)
	}
	fifo := mkfifo(filepath.Join(dir, "fifo")) == nil

	tests := []struct {
		name     string
		wantKind fileKind
		wantData string
		wantErr  error
	}{
		{"small", kindRegular, "hello\n", nil},
		{"empty", kindRegular, "", nil},
		{"big", kindRegular, "", errTooBig},
		{"missing", kindMissing, "", nil},
		{"small/below-a-file", kindMissing, "", nil},
		{"dir", kindDir, "", nil},
		{"link", kindSymlink, "", nil},
		{"dangling", kindSymlink, "", nil},
		{"fifo", kindOther, "", nil},
	}
	for _, tt := range tests {
		if tt.name == "fifo" && !fifo {
			continue
		}
		for impl, read := range map[string]func(string, int64) ([]byte, fileKind, error){
			"readNoFollow": readNoFollow, "readPortable": readPortable,
		} {
			data, kind, err := read(filepath.Join(dir, tt.name), 4096)
			if kind != tt.wantKind || string(data) != tt.wantData || !errors.Is(err, tt.wantErr) || (tt.wantErr == nil) != (err == nil) {
				t.Errorf("%s(%s) = %q, kind %d, %v; want %q, kind %d, %v", impl, tt.name, data, kind, err, tt.wantData, tt.wantKind, tt.wantErr)
			}
		}
	}
}
