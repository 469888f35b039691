package config_test

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ospo-project/ospo/internal/config"
)

func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestLoadDefaults(t *testing.T) {
	// No path and no ./ospo.yaml: the zero Config, no error.
	t.Chdir(t.TempDir())
	got, err := config.Load("")
	if err != nil {
		t.Fatalf("Load(\"\") with no ospo.yaml: %v", err)
	}
	if diff := cmp.Diff(config.Config{}, got); diff != "" {
		t.Errorf("Load(\"\") (-want +got):\n%s", diff)
	}
}

func TestLoadImplicitFile(t *testing.T) {
	// No path but ./ospo.yaml exists: it is read.
	dir := t.TempDir()
	writeFile(t, dir, "ospo.yaml", "scan:\n  workers: 3\n")
	t.Chdir(dir)
	got, err := config.Load("")
	if err != nil {
		t.Fatalf("Load(\"\"): %v", err)
	}
	if got.Scan.Workers != 3 {
		t.Errorf("Load(\"\") read workers %d from ./ospo.yaml, want 3", got.Scan.Workers)
	}
}

func TestLoad(t *testing.T) {
	tests := []struct {
		name    string
		content string
		want    config.Config
		// wantErr lists substrings the error must contain; empty means success.
		wantErr []string
	}{
		{
			name: "full",
			content: `scan:
  workers: 4
  timeout: 10m
  deep: true
hub:
  listen: 0.0.0.0:8080
`,
			want: config.Config{
				Scan: config.Scan{Workers: 4, Timeout: config.Duration(10 * time.Minute), Deep: true},
				Hub:  config.Hub{Listen: "0.0.0.0:8080"},
			},
		},
		{
			name:    "partial",
			content: "hub:\n  listen: 127.0.0.1:9000\n",
			want:    config.Config{Hub: config.Hub{Listen: "127.0.0.1:9000"}},
		},
		{
			name:    "compound duration",
			content: "scan:\n  timeout: 1h30m15s\n",
			want:    config.Config{Scan: config.Scan{Timeout: config.Duration(time.Hour + 30*time.Minute + 15*time.Second)}},
		},
		{
			name:    "empty file",
			content: "",
			want:    config.Config{},
		},
		{
			name:    "comments only",
			content: "# nothing configured yet\n",
			want:    config.Config{},
		},
		{
			name:    "unknown top-level key",
			content: "scan:\n  workers: 2\nscna:\n  deep: true\n",
			wantErr: []string{"scna"},
		},
		{
			name:    "unknown nested key",
			content: "scan:\n  wokers: 2\n",
			wantErr: []string{"wokers"},
		},
		{
			name:    "bad duration",
			content: "scan:\n  timeout: ten minutes\n",
			wantErr: []string{"line 2", "ten minutes"},
		},
		{
			name:    "duration without unit",
			content: "scan:\n  timeout: 600\n",
			wantErr: []string{"600"},
		},
		{
			name:    "wrong type",
			content: "scan:\n  workers: many\n",
			wantErr: []string{"many"},
		},
		{
			name:    "not a mapping",
			content: "- scan\n- hub\n",
			wantErr: []string{"config"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := writeFile(t, t.TempDir(), "ospo.yaml", tc.content)
			got, err := config.Load(path)
			if len(tc.wantErr) > 0 {
				if err == nil {
					t.Fatalf("Load = %+v, nil; want an error containing %q", got, tc.wantErr)
				}
				for _, s := range tc.wantErr {
					if !strings.Contains(err.Error(), s) {
						t.Errorf("Load error %q does not contain %q", err, s)
					}
				}
				if !strings.Contains(err.Error(), path) {
					t.Errorf("Load error %q does not name the file %s", err, path)
				}
				return
			}
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Load (-want +got):\n%s", diff)
			}
		})
	}
}

func TestLoadMissingExplicitFile(t *testing.T) {
	// Also with a ./ospo.yaml present: an explicit path that does not exist
	// must not silently fall back to it or to defaults.
	dir := t.TempDir()
	writeFile(t, dir, "ospo.yaml", "scan:\n  workers: 3\n")
	t.Chdir(dir)
	missing := filepath.Join(t.TempDir(), "nope.yaml")
	got, err := config.Load(missing)
	if err == nil {
		t.Fatalf("Load(%s) = %+v, nil; want an error", missing, got)
	}
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Load(%s) error %v is not a not-exist error", missing, err)
	}
	if !strings.Contains(err.Error(), missing) {
		t.Errorf("Load error %q does not name the file", err)
	}
}

func TestLoadDirectory(t *testing.T) {
	dir := t.TempDir()
	if _, err := config.Load(dir); err == nil {
		t.Errorf("Load(a directory) succeeded")
	}
}

func TestLoadSizeLimit(t *testing.T) {
	// A file of exactly MaxSize bytes is read; one byte more is refused.
	comment := func(n int) string {
		// A YAML comment line padded to n bytes in all, after a valid key.
		head := "hub:\n  listen: x\n#"
		return head + strings.Repeat("a", n-len(head)-1) + "\n"
	}
	dir := t.TempDir()
	ok := writeFile(t, dir, "max.yaml", comment(config.MaxSize))
	if fi, _ := os.Stat(ok); fi.Size() != config.MaxSize {
		t.Fatalf("test file is %d bytes, want %d", fi.Size(), config.MaxSize)
	}
	got, err := config.Load(ok)
	if err != nil {
		t.Fatalf("Load(file of MaxSize bytes): %v", err)
	}
	if got.Hub.Listen != "x" {
		t.Errorf("Load(file of MaxSize bytes) = %+v", got)
	}

	big := writeFile(t, dir, "big.yaml", comment(config.MaxSize+1))
	_, err = config.Load(big)
	if err == nil {
		t.Fatal("Load(file of MaxSize+1 bytes) succeeded")
	}
	if !strings.Contains(err.Error(), "larger than") {
		t.Errorf("Load(oversized) error %q does not say the file is too large", err)
	}
}

func TestFactsHash(t *testing.T) {
	// Settings that do not change facts (workers, timeout, deep discovery,
	// where the hub listens) must not change the hash: a change of worker
	// count must not trigger a rescan of the whole estate.
	base := config.Config{}.FactsHash()
	if base == "" {
		t.Fatal("FactsHash is empty")
	}
	if len(base) != 16 {
		t.Errorf("FactsHash = %q, want 16 hex digits", base)
	}
	for _, c := range []config.Config{
		{Scan: config.Scan{Workers: 17}},
		{Scan: config.Scan{Timeout: config.Duration(time.Minute)}},
		{Scan: config.Scan{Deep: true}},
		{Hub: config.Hub{Listen: "0.0.0.0:1"}},
	} {
		if got := c.FactsHash(); got != base {
			t.Errorf("FactsHash(%+v) = %q, want %q (same as the default)", c, got, base)
		}
	}
	// Stable across runs and releases: a changed value means every project
	// in every catalogue would be rescanned. Change this constant only on
	// purpose, with a setting that changes facts.
	const want = "d8526e28d57872b2"
	if base != want {
		t.Errorf("FactsHash() = %q, want %q", base, want)
	}
	// The licence policy decides the findings stored with each project, so
	// changing it must rescan.
	if got := (config.Config{Licensing: config.Licensing{Strict: true}}).FactsHash(); got == base {
		t.Errorf("FactsHash ignores the licence policy")
	}
	if got := (config.Config{Scorecard: config.Scorecard{MinScore: 7}}).FactsHash(); got == base {
		t.Errorf("FactsHash ignores the scorecard settings")
	}
}

// TestLoadValidates feeds ospo.yaml files with hostile numbers (issue 20):
// each must be refused with an error naming the setting.
func TestLoadValidates(t *testing.T) {
	tests := []struct {
		name, content, wantErr string
	}{
		{"huge workers", "scan:\n  workers: 100000000\n", "scan.workers: 100000000 is more than the most allowed, 256"},
		{"negative workers", "scan:\n  workers: -1\n", "scan.workers: -1 is negative"},
		{"negative timeout", "scan:\n  timeout: -5m\n", "duration -5m is negative"},
		{"timeout over a day", "scan:\n  timeout: 100h\n", "scan.timeout: 100h0m0s is more than the most allowed"},
		{"NaN min score", "scorecard:\n  min_score: .nan\n", "scorecard.min_score: NaN is not a score from 0 to 10"},
		{"Inf min score", "scorecard:\n  min_score: .inf\n", "scorecard.min_score: +Inf is not a score"},
		{"negative min score", "scorecard:\n  min_score: -1\n", "scorecard.min_score: -1 is not a score"},
		{"NaN weight", "scorecard:\n  checks:\n    Security:\n      weight: .nan\n", "scorecard.checks.Security.weight: NaN"},
		{"negative weight", "scorecard:\n  checks:\n    Security:\n      weight: -2\n", "scorecard.checks.Security.weight: -2"},
		{"check min over 10", "scorecard:\n  checks:\n    Security:\n      min: 11\n", "scorecard.checks.Security.min: 11"},
		{"custom min", "scorecard:\n  custom:\n    - name: X\n      expression: 'true'\n      min: -3\n", "scorecard.custom[0].min: -3"},
		{"negative connections", "hub:\n  max_connections: -1\n", "hub.max_connections: -1 is negative"},
		{"bad allowed host", "hub:\n  allowed_hosts: ['a b']\n", `hub.allowed_hosts[0]: "a b" is not a host name`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := writeFile(t, t.TempDir(), "ospo.yaml", tt.content)
			_, err := config.Load(path)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("Load = %v, want an error containing %q", err, tt.wantErr)
			}
		})
	}
	// The limits themselves are accepted.
	path := writeFile(t, t.TempDir(), "ospo.yaml", "scan:\n  workers: 256\n  timeout: 24h\nscorecard:\n  min_score: 10\n")
	if _, err := config.Load(path); err != nil {
		t.Errorf("Load at the limits: %v", err)
	}
}
