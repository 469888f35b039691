package sqlite_test

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/store"
	"github.com/ospo-project/ospo/internal/store/sqlite"
)

// makeReadOnly makes dir and the files in it unwritable for this process, as
// read-only media are: by permissions, or, for root (whom permissions do not
// stop), with the immutable attribute. It skips the test when neither works.
func makeReadOnly(t *testing.T, dir string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	paths := []string{dir}
	for _, e := range entries {
		paths = append(paths, filepath.Join(dir, e.Name()))
	}
	if os.Geteuid() != 0 {
		for _, p := range paths {
			mode := os.FileMode(0o444)
			if p == dir {
				mode = 0o555
			}
			if err := os.Chmod(p, mode); err != nil {
				t.Fatal(err)
			}
		}
		t.Cleanup(func() { os.Chmod(dir, 0o755) })
		return
	}
	args := append([]string{"+i"}, paths...)
	if out, err := exec.Command("chattr", args...).CombinedOutput(); err != nil {
		t.Skipf("cannot make %s read-only as root (chattr +i: %v %s)", dir, err, out)
	}
	t.Cleanup(func() { exec.Command("chattr", append([]string{"-i"}, paths...)...).Run() })
}

// TestOpenReadOnlyMedia puts a catalogue on "read-only media" and checks that
// the read-only open reads it, refuses writes, and leaves it as it was.
func TestOpenReadOnlyMedia(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "media")
	path := filepath.Join(dir, "ospo.db")
	s := open(t, path)
	if _, err := s.ReplaceProject(ctx, &catalog.Project{Key: "k", Name: "alpha", Path: "/p", HeadCommit: "abc"}); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	makeReadOnly(t, dir)
	if w, err := sqlite.Open(ctx, path); err == nil {
		w.Close()
		t.Fatal("the writable open succeeded: the media are not read-only, the test proves nothing")
	}

	ro, err := sqlite.OpenReadOnly(ctx, path)
	if err != nil {
		t.Fatalf("OpenReadOnly on read-only media: %v", err)
	}
	defer ro.Close()
	ps, err := ro.ListProjects(ctx, store.ProjectFilter{})
	if err != nil || len(ps) != 1 || ps[0].Name != "alpha" {
		t.Fatalf("ListProjects = %v, %v", ps, err)
	}
	if _, err := ro.ReplaceProject(ctx, &catalog.Project{Key: "k2", Name: "beta", Path: "/q"}); err == nil {
		t.Error("ReplaceProject through a read-only store succeeded")
	}
}

// TestOpenReadOnlyNeverCreates checks that a read-only open of a path where
// nothing is (a mistyped --db) is an error wrapping store.ErrNoCatalogue and
// creates neither the file nor its directory.
func TestOpenReadOnlyNeverCreates(t *testing.T) {
	base := t.TempDir()
	for _, p := range []string{
		filepath.Join(base, "ospo.db"),
		filepath.Join(base, "ospo.db?mode=ro"), // the literal name a file: URL typo gives
		filepath.Join(base, "missing", "dir", "ospo.db"),
	} {
		_, err := sqlite.OpenReadOnly(context.Background(), p)
		if !errors.Is(err, store.ErrNoCatalogue) {
			t.Errorf("OpenReadOnly(%s) = %v, want ErrNoCatalogue", p, err)
		}
	}
	if entries, _ := os.ReadDir(base); len(entries) != 0 {
		t.Errorf("OpenReadOnly created %v", entries)
	}
	// A file that is not a catalogue is refused too, and left alone.
	other := filepath.Join(base, "notes.db")
	os.WriteFile(other, nil, 0o644)
	if _, err := sqlite.OpenReadOnly(context.Background(), other); !errors.Is(err, store.ErrNoCatalogue) {
		t.Errorf("OpenReadOnly(empty file) = %v, want ErrNoCatalogue", err)
	}
	if st, err := os.Stat(other); err != nil || st.Size() != 0 {
		t.Errorf("the empty file was changed: %v %v", st, err)
	}
}

// TestOpenReadOnlySeesWrites checks that on writable media the read-only
// store sees what a writer saves after it was opened (a hub serving while a
// scan runs).
func TestOpenReadOnlySeesWrites(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "ospo.db")
	w := open(t, path)
	defer w.Close()
	ro, err := sqlite.OpenReadOnly(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	if _, err := w.ReplaceProject(ctx, &catalog.Project{Key: "k", Name: "alpha", Path: "/p"}); err != nil {
		t.Fatal(err)
	}
	if ps, err := ro.ListProjects(ctx, store.ProjectFilter{}); err != nil || len(ps) != 1 {
		t.Errorf("ListProjects after a write = %v, %v", ps, err)
	}
}
