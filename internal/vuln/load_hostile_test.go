//go:build unix

package vuln

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestLoadUnreadableInput names inputs that are not advisories at all (issue
// 20): each is an error saying so, and none is read without end or blocks.
func TestLoadUnreadableInput(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "all.zip")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	text := filepath.Join(dir, "notes.zip")
	os.WriteFile(text, []byte("root:x:0:0:root:/root:/bin/bash\n"), 0o644)
	empty := filepath.Join(dir, "empty.json")
	os.WriteFile(empty, nil, 0o644)
	corrupt := filepath.Join(dir, "corrupt")
	os.WriteFile(corrupt, []byte("PK\x03\x04 and then nothing a zip reader accepts"), 0o644)
	emptyDir := filepath.Join(dir, "nothing")
	os.Mkdir(emptyDir, 0o755)

	tests := []struct {
		path, want string
	}{
		{"/dev/zero", "/dev/zero is not a file or a directory"},
		{fifo, "is not a file or a directory"},
		{"/etc/passwd", "/etc/passwd is neither a zip file nor OSV JSON"},
		{text, "is neither a zip file nor OSV JSON"},
		{empty, "is neither a zip file nor OSV JSON"},
		{corrupt, "not a readable zip file"},
		{emptyDir, "no OSV advisories in"},
		{filepath.Join(dir, "missing.zip"), "no such file"},
	}
	for _, tt := range tests {
		done := make(chan error, 1)
		go func() {
			_, _, err := Load([]string{tt.path})
			done <- err
		}()
		select {
		case err := <-done:
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Load(%s) = %v, want an error containing %q", tt.path, err, tt.want)
			}
		case <-time.After(time.Minute):
			t.Fatalf("Load(%s) did not return: it is reading or waiting on the input", tt.path)
		}
	}
}

// TestLoadSniffsNamedFiles checks that a file named directly is read by what
// it holds, not by its name: a zip without .zip, JSON without .json.
func TestLoadSniffsNamedFiles(t *testing.T) {
	dir := t.TempDir()
	data, err := os.ReadFile("testdata/osv/GO-2020-0036.json")
	if err != nil {
		t.Fatal(err)
	}
	noExt := filepath.Join(dir, "GO-2020-0036")
	os.WriteFile(noExt, data, 0o644)
	advs, _, err := Load([]string{noExt})
	if err != nil || len(advs) != 1 || advs[0].ID != "GO-2020-0036" {
		t.Errorf("Load(JSON without .json) = %v, %v", advs, err)
	}
}
