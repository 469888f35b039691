package goldenpath

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ospo-project/ospo/internal/catalog"
)

func TestProjectValues(t *testing.T) {
	for _, tt := range []struct {
		name              string
		p                 catalog.Project
		wantName, owner   string
		module, describes string
	}{
		{"codeowners team first", catalog.Project{Name: "pay ments", Key: "github.com/acme/payments", Description: "Pays.\nMore.",
			Owners: []catalog.Owner{{Owner: "group:finance"}, {Owner: "@acme/payments"}}}, "pay-ments", "@acme/payments", "github.com/acme/payments", "Pays."},
		{"backstage group", catalog.Project{Name: "x", Key: "path:/src/x", Owners: []catalog.Owner{{Owner: "group:default/finance"}}},
			"x", "@finance", "example.com/x", ""},
		{"e-mail owner", catalog.Project{Name: "y", Owners: []catalog.Owner{{Owner: "jane@example.com"}}}, "y", "jane@example.com", "example.com/y", ""},
		{"hostile name", catalog.Project{Name: "../../etc"}, "etc", "", "example.com/etc", ""},
		{"nothing usable", catalog.Project{Name: "///"}, "project", "", "example.com/project", ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			name, vals := ProjectValues(&tt.p, nil)
			if name != tt.wantName || vals["owner"] != tt.owner || vals["module"] != tt.module || vals["description"] != tt.describes {
				t.Errorf("ProjectValues = %q %v, want %q owner %q module %q description %q", name, vals, tt.wantName, tt.owner, tt.module, tt.describes)
			}
			if err := CheckName(name); err != nil {
				t.Errorf("name %q is not valid: %v", name, err)
			}
		})
	}
}

func TestPropose(t *testing.T) {
	set, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	lib, err := set.Get("library")
	if err != nil {
		t.Fatal(err)
	}
	paths := func(p *Proposal) string {
		var s []string
		for _, f := range p.Files {
			s = append(s, f.Path)
		}
		return strings.Join(s, ",")
	}
	bare := &catalog.Project{Name: "bare"}
	prop, err := Propose(lib, bare, nil)
	if err != nil {
		t.Fatal(err)
	}
	all := "LICENSE,SECURITY.md,CONTRIBUTING.md,CODE_OF_CONDUCT.md,CODEOWNERS,catalog-info.yaml,innersource.json,.github/workflows/ci.yml,.github/dependabot.yml"
	if got := paths(prop); got != all {
		t.Errorf("bare project: %s, want %s", got, all)
	}
	// Files the scan found (under other names) are not proposed; a known
	// licence other than the template's is skipped with a reason.
	mit := &catalog.Project{Name: "mit", License: &catalog.ProjectLicense{Expression: "MIT"}, Files: []catalog.FileFact{
		{Kind: catalog.FileCodeowners, Path: ".github/CODEOWNERS"}, {Kind: catalog.FileCIGitLab, Path: ".gitlab-ci.yml"},
		{Kind: catalog.FileRenovate, Path: "renovate.json"}, {Kind: catalog.FileSecurity, Path: "docs/SECURITY.md"}}}
	prop, err = Propose(lib, mit, map[string]string{"security_contact": "sec@acme.example"})
	if err != nil {
		t.Fatal(err)
	}
	if got := paths(prop); got != "CONTRIBUTING.md,CODE_OF_CONDUCT.md,catalog-info.yaml,innersource.json" {
		t.Errorf("MIT project with CODEOWNERS, GitLab CI, Renovate, SECURITY: %s", got)
	}
	if len(prop.Skipped) != 1 || !strings.Contains(prop.Skipped[0], "MIT") {
		t.Errorf("skipped = %v, want the LICENSE with the known MIT", prop.Skipped)
	}
	// A hostile --set value is data, never a template.
	prop, err = Propose(lib, bare, map[string]string{"owner": "{{.module}}"})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range prop.Files {
		if f.Path == "CODEOWNERS" && !strings.Contains(string(f.Content), "* {{.module}}") {
			t.Errorf("CODEOWNERS = %q, want the value written literally", f.Content)
		}
	}
	if _, err := Propose(lib, bare, map[string]string{"nope": "x"}); err == nil {
		t.Error("an undeclared parameter was accepted")
	}
}

// TestPatchApplies checks that git apply takes the patch, including a file
// without a final newline and an empty one.
func TestPatchApplies(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("no git")
	}
	dir := t.TempDir()
	files := []File{{Path: "a/b.txt", Content: []byte("one\ntwo\n")}, {Path: "c.txt", Content: []byte("no newline")}, {Path: "empty", Content: nil}}
	if err := os.WriteFile(filepath.Join(dir, "fix.patch"), Patch(files), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("git", "apply", "--unsafe-paths", "fix.patch")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("git apply: %v\n%s\n%s", err, out, Patch(files))
	}
	for _, f := range files {
		got, err := os.ReadFile(filepath.Join(dir, f.Path))
		if err != nil || string(got) != string(f.Content) {
			t.Errorf("%s = %q, %v; want %q", f.Path, got, err, f.Content)
		}
	}
}
