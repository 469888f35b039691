package backend_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/store/backend"
)

func TestKind(t *testing.T) {
	tests := []struct{ dsn, kind, path string }{
		{"postgres://u:p@db/ospo", backend.KindPostgres, ""},
		{"PostgreSQL://db/ospo", backend.KindPostgres, ""},
		{"/var/lib/ospo/ospo.db", backend.KindSQLite, "/var/lib/ospo/ospo.db"},
		{"ospo.db", backend.KindSQLite, "ospo.db"},
		{"file:ospo.db", backend.KindSQLite, "ospo.db"},
		{"file:/abs/ospo.db", backend.KindSQLite, "/abs/ospo.db"},
		{"file:///abs/ospo.db", backend.KindSQLite, "/abs/ospo.db"},
		{"file://host/ospo.db", backend.KindUnknown, ""},
		{"file:", backend.KindUnknown, ""},
		{"mysql://db/ospo", backend.KindUnknown, ""},
		{"", backend.KindUnknown, ""},
		{`C:\data\ospo.db`, backend.KindSQLite, `C:\data\ospo.db`},
	}
	for _, tt := range tests {
		kind, path := backend.Kind(tt.dsn)
		if kind != tt.kind || path != tt.path {
			t.Errorf("Kind(%q) = %q, %q, want %q, %q", tt.dsn, kind, path, tt.kind, tt.path)
		}
	}
}

func TestOpenSQLite(t *testing.T) {
	ctx := context.Background()
	for _, dsn := range []string{
		filepath.Join(t.TempDir(), "new", "ospo.db"),
		"file:" + filepath.Join(t.TempDir(), "ospo.db"),
	} {
		s, err := backend.Open(ctx, dsn)
		if err != nil {
			t.Fatalf("Open(%s): %v", dsn, err)
		}
		if _, err := s.ReplaceProject(ctx, &catalog.Project{Key: "k", Name: "n", Path: "/p"}); err != nil {
			t.Errorf("Open(%s): ReplaceProject: %v", dsn, err)
		}
		if err := s.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	}
}

func TestOpenErrors(t *testing.T) {
	ctx := context.Background()
	for _, dsn := range []string{
		"mysql://u:hunter2@db/ospo",
		"postgres://u:hunter2@127.0.0.1:1/ospo?connect_timeout=2",
		"",
	} {
		s, err := backend.Open(ctx, dsn)
		if err == nil {
			s.Close()
			t.Errorf("Open(%q) succeeded", dsn)
			continue
		}
		if strings.Contains(err.Error(), "hunter2") {
			t.Errorf("Open error shows the password: %v", err)
		}
		if !strings.HasPrefix(err.Error(), "open store") {
			t.Errorf("Open error %q does not say what failed", err)
		}
	}
	// A SQLite file that cannot be created.
	blocker := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(blocker, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := backend.Open(ctx, filepath.Join(blocker, "ospo.db")); err == nil || !strings.Contains(err.Error(), blocker) {
		t.Errorf("Open under a file = %v, want an error naming the path", err)
	}
}

func TestDefaultPath(t *testing.T) {
	t.Setenv("XDG_DATA_HOME", "/xdg/data")
	if got, err := backend.DefaultPath(); err != nil || got != filepath.Join("/xdg/data", "ospo", "ospo.db") {
		t.Errorf("DefaultPath with XDG_DATA_HOME = %q, %v", got, err)
	}
	t.Setenv("XDG_DATA_HOME", "relative/ignored")
	t.Setenv("HOME", "/home/someone")
	if got, err := backend.DefaultPath(); err != nil || got != filepath.Join("/home/someone", ".local", "share", "ospo", "ospo.db") {
		t.Errorf("DefaultPath without XDG_DATA_HOME = %q, %v", got, err)
	}
}
