package goldenpath_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ospo-project/ospo/internal/goldenpath"
)

// writeTemplates writes a templates directory holding one template, t, with
// the given files under files/.
func writeTemplates(t *testing.T, files map[string]string) string {
	t.Helper()
	root := t.TempDir()
	dir := filepath.Join(root, "t")
	yaml := "name: t\nkind: library\nparameters:\n  - name: owner\n    default: \"@team\"\n  - name: module\n    required: true\n"
	if err := os.MkdirAll(filepath.Join(dir, "files"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "template.yaml"), []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	for name, body := range files {
		p := filepath.Join(dir, "files", filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

func TestBuiltin(t *testing.T) {
	s, err := goldenpath.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(s.Names(), ","); got != "goservice,library" {
		t.Fatalf("built-in templates %q, want goservice,library", got)
	}
	for _, name := range s.Names() {
		t.Run(name, func(t *testing.T) {
			tm, _ := s.Get(name)
			vals, err := tm.Values("payments-api", map[string]string{"module": "example.com/payments-api"})
			if err != nil {
				t.Fatal(err)
			}
			dir := filepath.Join(t.TempDir(), "out")
			files, err := tm.Render(dir, vals)
			if err != nil {
				t.Fatal(err)
			}
			for _, want := range []string{"LICENSE", "CODEOWNERS", "SECURITY.md", "CONTRIBUTING.md", "README.md",
				"catalog-info.yaml", "innersource.json", ".github/workflows/ci.yml", "go.mod"} {
				if _, err := os.Stat(filepath.Join(dir, want)); err != nil {
					t.Errorf("%s: %v (files: %v)", want, err, files)
				}
			}
			lic, _ := os.ReadFile(filepath.Join(dir, "LICENSE"))
			if !strings.Contains(string(lic), "TERMS AND CONDITIONS FOR USE, REPRODUCTION, AND DISTRIBUTION") || len(lic) < 10000 {
				t.Errorf("LICENSE is not the full Apache-2.0 text (%d bytes)", len(lic))
			}
			ci, _ := os.ReadFile(filepath.Join(dir, ".github/workflows/ci.yml"))
			if !strings.Contains(string(ci), "ospo check") {
				t.Errorf("CI does not run ospo check:\n%s", ci)
			}
			for _, line := range strings.Split(string(ci), "\n") {
				if _, ref, ok := strings.Cut(line, "uses: "); ok {
					_, sha, _ := strings.Cut(strings.Fields(ref)[0], "@")
					if len(sha) != 40 {
						t.Errorf("action not pinned by a full commit SHA: %s", line)
					}
				}
			}
		})
	}
}

func TestValues(t *testing.T) {
	s, err := goldenpath.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	tm, _ := s.Get("library")
	for _, tc := range []struct {
		name string
		set  map[string]string
		want string // substring of the error; "" for none
	}{
		{"ok", map[string]string{"module": "m"}, ""},
		{"../etc", map[string]string{"module": "m"}, "no path separators"},
		{"..", map[string]string{"module": "m"}, "no path separators"},
		{"a/b", map[string]string{"module": "m"}, "no path separators"},
		{`a\b`, map[string]string{"module": "m"}, "no path separators"},
		{"-rf", map[string]string{"module": "m"}, "starting with a letter or digit"},
		{"", map[string]string{"module": "m"}, "name"},
		{"ok", nil, "module is required"},
		{"ok", map[string]string{"module": "m", "nope": "x"}, `no parameter "nope"`},
		{"ok", map[string]string{"module": "m", "owner": "a\nb"}, "control character"},
	} {
		t.Run(tc.name+"/"+tc.want, func(t *testing.T) {
			_, err := tm.Values(tc.name, tc.set)
			if tc.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil || !errors.Is(err, goldenpath.ErrInvalid) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want ErrInvalid with %q", err, tc.want)
			}
		})
	}
}

// TestInjection: a parameter value that looks like a template is written
// as it is, never executed.
func TestInjection(t *testing.T) {
	root := writeTemplates(t, map[string]string{"README.md.tmpl": "owner: {{.owner}}\n"})
	s, err := goldenpath.Dir(root)
	if err != nil {
		t.Fatal(err)
	}
	tm, _ := s.Get("t")
	hostile := `{{.module}}{{template "x"}}{{printf "%s" "pwned"}}`
	vals, err := tm.Values("x", map[string]string{"module": "SECRET", "owner": hostile})
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "x")
	if _, err := tm.Render(dir, vals); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(filepath.Join(dir, "README.md"))
	if want := "owner: " + hostile + "\n"; string(got) != want {
		t.Fatalf("README.md = %q, want %q", got, want)
	}
}

func TestRenderRefuses(t *testing.T) {
	for _, tc := range []struct {
		name  string
		files map[string]string
		set   map[string]string
		want  string
	}{
		{"templated path escapes", map[string]string{"{{.module}}/x.tmpl": "x"}, map[string]string{"module": "../../outside"}, "outside the new repository"},
		{"absolute templated path", map[string]string{"{{.module}}.tmpl": "x"}, map[string]string{"module": "/tmp/abs"}, "outside the new repository"},
		{"undeclared parameter", map[string]string{"a.tmpl": "{{.nope}}"}, nil, "nope"},
		{"bad template", map[string]string{"a.tmpl": "{{"}, nil, "template t"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			root := writeTemplates(t, tc.files)
			s, err := goldenpath.Dir(root)
			if err != nil {
				t.Fatal(err)
			}
			tm, _ := s.Get("t")
			set := map[string]string{"module": "m"}
			for k, v := range tc.set {
				set[k] = v
			}
			vals, err := tm.Values("x", set)
			if err != nil {
				t.Fatal(err)
			}
			out := filepath.Join(t.TempDir(), "out")
			_, err = tm.Render(out, vals)
			if err == nil || !errors.Is(err, goldenpath.ErrInvalid) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want ErrInvalid with %q", err, tc.want)
			}
			if _, err := os.Stat(out); !os.IsNotExist(err) {
				t.Errorf("a refused template wrote %s", out)
			}
		})
	}
}

func TestRenderTarget(t *testing.T) {
	root := writeTemplates(t, map[string]string{"a.tmpl": "a"})
	s, _ := goldenpath.Dir(root)
	tm, _ := s.Get("t")
	vals, _ := tm.Values("x", map[string]string{"module": "m"})
	empty := t.TempDir()
	if _, err := tm.Render(empty, vals); err != nil {
		t.Fatalf("an empty directory is refused: %v", err)
	}
	full := t.TempDir()
	if err := os.WriteFile(filepath.Join(full, "keep"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := tm.Render(full, vals); !errors.Is(err, goldenpath.ErrInvalid) || !strings.Contains(err.Error(), "not empty") {
		t.Fatalf("a non-empty directory: %v", err)
	}
	file := filepath.Join(full, "keep")
	if _, err := tm.Render(file, vals); !errors.Is(err, goldenpath.ErrInvalid) {
		t.Fatalf("a file as target: %v", err)
	}
}

func TestDirRefusesSymlinks(t *testing.T) {
	secret := filepath.Join(t.TempDir(), "secret")
	if err := os.WriteFile(secret, []byte("secret"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, link := range []string{"t/files/README.md", "t/files/sub", "t"} {
		t.Run(link, func(t *testing.T) {
			root := writeTemplates(t, map[string]string{"a.tmpl": "a"})
			p := filepath.Join(root, filepath.FromSlash(link))
			_ = os.RemoveAll(p)
			if err := os.Symlink(secret, p); err != nil {
				t.Fatal(err)
			}
			_, err := goldenpath.Dir(root)
			if !errors.Is(err, goldenpath.ErrInvalid) || !strings.Contains(err.Error(), "symbolic links are refused") {
				t.Fatalf("error %v, want a refused symbolic link", err)
			}
		})
	}
}
