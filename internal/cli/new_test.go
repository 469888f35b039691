package cli_test

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestNew creates a repository from each built-in template, checks it is
// committed and that it scores well from its first commit, then refuses
// hostile input with exit 2 and nothing written.
func TestNew(t *testing.T) {
	isolate(t)
	work, _ := os.Getwd()
	nonEmpty := filepath.Join(work, "taken")
	if err := os.MkdirAll(nonEmpty, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(nonEmpty, "keep"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	outside := t.TempDir()
	links := t.TempDir()
	if err := os.MkdirAll(filepath.Join(links, "evil", "files"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(links, "evil", "template.yaml"), []byte("name: evil\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, filepath.Join(links, "evil", "files", "out")); err != nil {
		t.Fatal(err)
	}
	escape := t.TempDir()
	if err := os.MkdirAll(filepath.Join(escape, "esc", "files"), 0o755); err != nil {
		t.Fatal(err)
	}
	yaml := "name: esc\nparameters:\n  - name: where\n    default: x\n"
	if err := os.WriteFile(filepath.Join(escape, "esc", "template.yaml"), []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(escape, "esc", "files", "{{.where}}.tmpl"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}

	scored := func(name string) func(t *testing.T, out []byte) {
		return func(t *testing.T, out []byte) {
			var card struct {
				Score  float64 `json:"score"`
				Checks []struct {
					Name  string `json:"name"`
					Score float64
				} `json:"checks"`
			}
			if err := json.Unmarshal(out, &card); err != nil {
				t.Fatal(err)
			}
			if card.Score < 7 {
				t.Errorf("%s scores %.1f, want >= 7:\n%s", name, card.Score, out)
			}
			high := map[string]bool{"Documentation": true, "Licensing": true, "Security": true, "Tests": true, "Ownership": true}
			for _, c := range card.Checks {
				if high[c.Name] && c.Score < 9 {
					t.Errorf("%s: %s scores %.0f, want >= 9", name, c.Name, c.Score)
				}
				// The service declares its health probes in deploy/k8s.
				if name == "payments" && c.Name == "Observability" && c.Score <= 0 {
					t.Errorf("%s: Observability scores %.0f, want > 0 (health probes)", name, c.Score)
				}
				delete(high, c.Name)
			}
			if len(high) > 0 {
				t.Errorf("%s: checks missing: %v", name, high)
			}
			log, err := exec.Command("git", "-C", filepath.Join(work, name), "log", "--format=%s").Output()
			if err != nil || !strings.Contains(string(log), "golden path") {
				t.Errorf("%s is not committed: %v %q", name, err, log)
			}
			status, _ := exec.Command("git", "-C", filepath.Join(work, name), "status", "--porcelain").Output()
			if len(status) != 0 {
				t.Errorf("%s has uncommitted files:\n%s", name, status)
			}
		}
	}
	inj := `{{.module}}{{printf "%s" "pwned"}}`
	runSteps(t, []step{
		{args: []string{"new", "goservice", "payments", "--set", "module=example.com/payments", "--format", "json"},
			json: scored("payments")},
		{args: []string{"new", "library", "strutil", "--set", "module=example.com/strutil", "--set", "owner=" + inj, "--format", "json"},
			json: scored("strutil")},
		{args: []string{"new", "library", "tabled", "--set", "module=example.com/tabled", "--dir", filepath.Join(work, "elsewhere")},
			stdout: []string{"tabled: ", "/ 10", "Documentation", "Licensing"}, stderr: []string{"created ", "committed"}},
		// Hostile or bad input: exit 2, a clear reason, nothing written.
		{args: []string{"new", "library", "../escape", "--set", "module=m"}, code: 2, stderr: []string{"no path separators"}},
		{args: []string{"new", "library", "a/b", "--set", "module=m"}, code: 2, stderr: []string{"no path separators"}},
		{args: []string{"new", "library", "..", "--set", "module=m"}, code: 2, stderr: []string{"no path separators"}},
		{args: []string{"new", "library", "x1", "--dir", nonEmpty, "--set", "module=m"}, code: 2, stderr: []string{"not empty"}},
		{args: []string{"new", "library", "x2"}, code: 2, stderr: []string{"module is required"}},
		{args: []string{"new", "library", "x3", "--set", "module"}, code: 2, stderr: []string{"want key=value"}},
		{args: []string{"new", "library", "x4", "--set", "module=m", "--set", "nope=1"}, code: 2, stderr: []string{`no parameter "nope"`}},
		{args: []string{"new", "library", "x5", "--set", "module=m", "--set", "owner=a\nb"}, code: 2, stderr: []string{"control character"}},
		{args: []string{"new", "nosuch", "x6"}, code: 2, stderr: []string{`no template "nosuch"`, "goservice, library"}},
		{args: []string{"new", "evil", "x7", "--templates", links}, code: 2, stderr: []string{"symbolic links are refused"}},
		{args: []string{"new", "esc", "x8", "--templates", escape, "--set", "where=../../pwned"}, code: 2, stderr: []string{"outside the new repository"}},
		{args: []string{"new", "library"}, code: 2, stderr: []string{"accepts 2 arg(s)"}},
	})
	readme, err := os.ReadFile(filepath.Join(work, "strutil", "CODEOWNERS"))
	if err != nil || !strings.Contains(string(readme), inj) || strings.Contains(string(readme), "pwned\n") {
		t.Errorf("a parameter value was not written as data: %v\n%s", err, readme)
	}
	for _, n := range []string{"x1", "x2", "x3", "x4", "x5", "x6", "x7", "x8", "escape", "pwned"} {
		if _, err := os.Lstat(filepath.Join(work, n)); !os.IsNotExist(err) {
			t.Errorf("a refused command left %s behind", n)
		}
	}
	if _, err := os.Lstat(filepath.Join(filepath.Dir(work), "pwned")); !os.IsNotExist(err) {
		t.Error("a template wrote outside its target")
	}
	if entries, _ := os.ReadDir(nonEmpty); len(entries) != 1 {
		t.Errorf("the non-empty --dir was changed: %v", entries)
	}
}
