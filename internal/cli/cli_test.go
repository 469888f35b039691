package cli_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/cli"
)

type result struct {
	stdout, stderr string
	code           int
}

func run(t *testing.T, ctx context.Context, args ...string) result {
	t.Helper()
	return runIn(t, ctx, "", args...)
}

// runIn is run with stdin as standard input.
func runIn(t *testing.T, ctx context.Context, stdin string, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	code := cli.RunIO(ctx, append([]string{"ospo"}, args...), strings.NewReader(stdin), &out, &errb)
	return result{out.String(), errb.String(), code}
}

// isolate points the catalogue at a new SQLite file and keeps the test away
// from the user's data directory, configuration and working directory. It
// returns the store's path.
func isolate(t *testing.T) string {
	t.Helper()
	db := filepath.Join(t.TempDir(), "ospo.db")
	t.Setenv("OSPO_DB", db)
	t.Setenv("OSPO_CONFIG", "")
	t.Setenv("XDG_DATA_HOME", t.TempDir())
	t.Chdir(t.TempDir())
	return db
}

// step is one command line with what it must print and return. Steps of a
// table run in order against the same store.
type step struct {
	args        []string
	stdin       string // standard input
	code        int
	stdout      []string // substrings of standard output
	stderr      []string // substrings of standard error
	notStdout   []string
	emptyStdout bool
	// json, if set, is given standard output, which must be JSON.
	json func(t *testing.T, out []byte)
}

func (s step) name() string { return strings.Join(s.args, " ") }

func runSteps(t *testing.T, steps []step) {
	t.Helper()
	for _, s := range steps {
		t.Run(s.name(), func(t *testing.T) {
			r := runIn(t, context.Background(), s.stdin, s.args...)
			if r.code != s.code {
				t.Fatalf("ospo %s: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", s.name(), r.code, s.code, r.stdout, r.stderr)
			}
			for _, want := range s.stdout {
				if !strings.Contains(r.stdout, want) {
					t.Errorf("stdout does not contain %q:\n%s", want, r.stdout)
				}
			}
			for _, no := range s.notStdout {
				if strings.Contains(r.stdout, no) {
					t.Errorf("stdout contains %q:\n%s", no, r.stdout)
				}
			}
			for _, want := range s.stderr {
				if !strings.Contains(r.stderr, want) {
					t.Errorf("stderr does not contain %q:\n%s", want, r.stderr)
				}
			}
			if s.emptyStdout && r.stdout != "" {
				t.Errorf("stdout is not empty:\n%s", r.stdout)
			}
			if s.code != 0 && !strings.HasPrefix(r.stderr, "ospo: ") && !strings.Contains(r.stderr, "\nospo: ") {
				t.Errorf("a failure does not say why on stderr: %q", r.stderr)
			}
			if s.json != nil {
				if !json.Valid([]byte(r.stdout)) {
					t.Fatalf("stdout is not JSON:\n%s", r.stdout)
				}
				s.json(t, []byte(r.stdout))
			}
		})
	}
}

// decode unmarshals data into a new T, strictly.
func decode[T any](t *testing.T, data []byte) T {
	t.Helper()
	var v T
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("decode %T: %v\n%s", v, err, data)
	}
	return v
}

func TestWithoutStore(t *testing.T) {
	isolate(t)
	runSteps(t, []step{
		{args: []string{"version"}, stdout: []string{"ospo " + cli.Version, "scanner " + catalog.ScannerVersion}},
		{args: []string{"--help"}, stdout: []string{"Usage:", "scan", "projects", "who-uses", "sbom", "--db"}},
		{args: []string{"help"}, stdout: []string{"Usage:", "Available Commands"}},
		{args: []string{"help", "scan"}, stdout: []string{"Scan finds every git work tree", "--force"}},
		{args: []string{"scan", "--help"}, stdout: []string{"Scan finds every git work tree"}},
		{args: []string{"projects", "--help"}, stdout: []string{"--format", "table, json"}},
		{args: []string{"frobnicate"}, code: 2, stderr: []string{`unknown command "frobnicate"`}},
		{args: []string{"projects", "--no-such-flag"}, code: 2, stderr: []string{"unknown flag: --no-such-flag"}},
		{args: []string{"projects", "extra"}, code: 2, stderr: []string{"unknown command"}},
		{args: []string{"project"}, code: 2, stderr: []string{"accepts 1 arg"}},
		{args: []string{"scan"}, code: 2, stderr: []string{"requires at least 1 arg"}},
		{args: []string{"--log-level", "loud", "projects"}, code: 2, stderr: []string{"--log-level"}},
		{args: []string{"projects", "--format", "xml"}, code: 2, stderr: []string{`unknown format "xml"`, "table, json"}, emptyStdout: true},
		{args: []string{"people", "--format", "yaml"}, code: 2, stderr: []string{`unknown format "yaml"`}},
		{args: []string{"scan", "--format", "csv", "."}, code: 2, stderr: []string{`unknown format "csv"`}},
		{args: []string{"technologies", "--kind", "framework"}, code: 2, stderr: []string{"--kind"}},
		{args: []string{"who-uses", "lodash", "--version", "<<1"}, code: 2, stderr: []string{"--version"}},
		{args: []string{"sbom", ".", "--format", "xml"}, code: 2, stderr: []string{`unknown format "xml"`}},
	})
}

func TestEmptyStore(t *testing.T) {
	db := isolate(t)
	runSteps(t, []step{
		// Read-only commands never create a catalogue (issue 20).
		{args: []string{"projects"}, code: 2, stderr: []string{"the catalogue does not exist", "ospo scan PATH"}, emptyStdout: true},
		{args: []string{"--db", "file:" + db + "?mode=ro", "serve"}, code: 2, stderr: []string{db + "?mode=ro", "does not exist"}},
		{args: []string{"migrate"}, stdout: []string{"store is up to date"}},
		{args: []string{"projects"}, stdout: []string{"NAME", "KEY"}, stderr: []string{"0 projects"}},
		{args: []string{"projects", "--format", "json"}, json: func(t *testing.T, out []byte) {
			if strings.TrimSpace(string(out)) != "[]" {
				t.Errorf("projects --format json on an empty store = %s, want []", out)
			}
		}},
		{args: []string{"people"}, stderr: []string{"0 people"}},
		{args: []string{"people", "--format", "json"}, json: func(t *testing.T, out []byte) {
			if ps := decode[[]catalog.Person](t, out); len(ps) != 0 {
				t.Errorf("people = %v", ps)
			}
		}},
		{args: []string{"project", "nope"}, code: 2, stderr: []string{`no project "nope" in the catalogue`}},
		{args: []string{"project", "nope", "--format", "json"}, code: 2, emptyStdout: true},
		{args: []string{"person", "nobody@example.com"}, code: 2, stderr: []string{`no person "nobody@example.com"`}},
		{args: []string{"technology", "lodash"}, code: 2, stderr: []string{`no package "lodash"`}},
		{args: []string{"who-uses", "lodash"}, stdout: []string{"No project uses lodash."}},
		{args: []string{"who-uses", "pkg:npm/lodash@1.0.0"}, stdout: []string{"No project uses pkg:npm/lodash"}},
		{args: []string{"deps", "not-a-project"}, code: 2, stderr: []string{"not-a-project"}},
		{args: []string{"migrate"}, stdout: []string{"store is up to date"}},
	})
	if _, err := os.Stat(db); err != nil {
		t.Errorf("the store named by OSPO_DB was not created: %v", err)
	}
}

func git(t *testing.T, dir string, env []string, args ...string) {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1",
		"GIT_COMMITTER_NAME=CI", "GIT_COMMITTER_EMAIL=ci@example.com")
	cmd.Env = append(cmd.Env, env...)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("git %v in %s: %v\n%s", args, dir, err, out)
	}
}

func write(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func commit(t *testing.T, dir, name, email, date string) {
	t.Helper()
	git(t, dir, nil, "add", "-A")
	git(t, dir, []string{"GIT_AUTHOR_NAME=" + name, "GIT_AUTHOR_EMAIL=" + email,
		"GIT_AUTHOR_DATE=" + date, "GIT_COMMITTER_DATE=" + date}, "commit", "-q", "-m", "change")
}

const packageLock = `{
  "name": "alpha-web",
  "version": "1.0.0",
  "lockfileVersion": 3,
  "requires": true,
  "packages": {
    "": {"name": "alpha-web", "version": "1.0.0", "dependencies": {"lodash": "^4.17.0"}},
    "node_modules/lodash": {"version": "4.17.21", "resolved": "https://registry.npmjs.org/lodash/-/lodash-4.17.21.tgz"}
  }
}
`

// buildEstate makes two small repositories: alpha (Go and an npm lockfile,
// two authors, an origin) and beta (Python, one author, no remote).
func buildEstate(t *testing.T) string {
	t.Helper()
	root := t.TempDir()
	alpha := filepath.Join(root, "alpha")
	os.MkdirAll(alpha, 0o755)
	git(t, alpha, nil, "init", "-q", "-b", "main")
	git(t, alpha, nil, "remote", "add", "origin", "https://ci:s3cret-token@github.com/acme/alpha.git")
	write(t, filepath.Join(alpha, "README.md"), "# Alpha\n\nAlpha settles payments between ledgers.\n")
	write(t, filepath.Join(alpha, "main.go"), "package main\n\nfunc main() {}\n")
	write(t, filepath.Join(alpha, "go.mod"), "module github.com/acme/alpha\n\ngo 1.22\n\nrequire github.com/spf13/cobra v1.8.0\n")
	write(t, filepath.Join(alpha, "package.json"), `{"name": "alpha-web", "version": "1.0.0", "dependencies": {"lodash": "^4.17.0"}}`)
	write(t, filepath.Join(alpha, "package-lock.json"), packageLock)
	commit(t, alpha, "Jane Doe", "jane@example.com", "2024-01-02T10:00:00Z")
	write(t, filepath.Join(alpha, "pay.go"), "package main\n\nfunc pay() int { return 1 }\n")
	commit(t, alpha, "Bob Stone", "bob@example.com", "2024-01-10T10:00:00Z")

	beta := filepath.Join(root, "beta")
	os.MkdirAll(beta, 0o755)
	git(t, beta, nil, "init", "-q", "-b", "main")
	write(t, filepath.Join(beta, "app.py"), "print('hi')\n")
	commit(t, beta, "Jane Doe", "jane@example.com", "2024-03-01T10:00:00Z")
	return root
}

func TestScanAndQuery(t *testing.T) {
	isolate(t)
	root := buildEstate(t)
	projectNames := func(t *testing.T, out []byte) {
		var names []string
		for _, p := range decode[[]catalog.Project](t, out) {
			names = append(names, p.Name)
		}
		if !slices.Equal(names, []string{"alpha", "beta"}) {
			t.Errorf("projects = %v, want alpha and beta", names)
		}
	}
	runSteps(t, []step{
		{args: []string{"scan", "-q", root}, stdout: []string{"Scanned 2 repositories", "2 scanned, 0 unchanged"},
			notStdout: []string{"problems"}},
		{args: []string{"projects"}, stdout: []string{"NAME", "alpha", "beta", "github.com/acme/alpha", "Go", "2024-01-10"},
			stderr: []string{"2 projects"}},
		{args: []string{"projects", "--format", "json"}, json: projectNames},
		{args: []string{"projects", "--language", "Python", "--format", "json"}, json: func(t *testing.T, out []byte) {
			if ps := decode[[]catalog.Project](t, out); len(ps) != 1 || ps[0].Name != "beta" {
				t.Errorf("projects --language Python = %+v", ps)
			}
		}},
		{args: []string{"project", "alpha"}, stdout: []string{"Name:", "alpha", "github.com/acme/alpha",
			"Default branch:", "main", "Commits:", "2", "Alpha settles payments", "Languages:", "Contributors (2 people"},
			notStdout: []string{"s3cret"}},
		{args: []string{"project", "alpha", "--format", "json"}, notStdout: []string{"s3cret"}, json: func(t *testing.T, out []byte) {
			p := decode[catalog.Project](t, out)
			if p.Name != "alpha" || p.Commits != 2 || p.RemoteURL != "https://github.com/acme/alpha.git" || len(p.Dependencies) == 0 {
				t.Errorf("project alpha = name %q, %d commits, remote %q, %d dependencies", p.Name, p.Commits, p.RemoteURL, len(p.Dependencies))
			}
		}},
		{args: []string{"people"}, stdout: []string{"Jane Doe", "jane@example.com", "Bob Stone"}, stderr: []string{"2 people"}},
		{args: []string{"people", "--format", "json"}, json: func(t *testing.T, out []byte) {
			ps := decode[[]catalog.Person](t, out)
			if len(ps) != 2 || ps[0].Name != "Jane Doe" || ps[0].Commits != 2 {
				t.Errorf("people = %+v, want Jane first with 2 commits", ps)
			}
		}},
		{args: []string{"person", "jane@example.com"}, stdout: []string{"Jane Doe", "Identities (1)", "Projects (2)", "alpha", "beta"}},
		{args: []string{"person", "Bob Stone", "--format", "json"}, json: func(t *testing.T, out []byte) {
			p := decode[catalog.Person](t, out)
			if p.Email != "bob@example.com" || len(p.Projects) != 1 || p.Projects[0].Project != "alpha" {
				t.Errorf("person Bob = %+v", p)
			}
		}},
		{args: []string{"deps", "alpha"}, stdout: []string{"ECOSYSTEM", "npm", "lodash", "4.17.21", "package-lock.json"},
			stderr: []string{"dependencies"}},
		{args: []string{"deps", "alpha", "--format", "json"}, json: func(t *testing.T, out []byte) {
			v := decode[struct {
				Project      string               `json:"project"`
				Dependencies []catalog.Dependency `json:"dependencies"`
			}](t, out)
			if v.Project != "alpha" || !slices.ContainsFunc(v.Dependencies, func(d catalog.Dependency) bool {
				return d.Name == "lodash" && d.Version == "4.17.21" && d.PURL == "pkg:npm/lodash@4.17.21"
			}) {
				t.Errorf("deps alpha = %+v", v)
			}
		}},
		{args: []string{"who-uses", "lodash"}, stdout: []string{"PROJECT", "alpha", "4.17.21", "1 uses in 1 projects", "Jane Doe"}},
		// Go module versions are written as Go writes them; a person may type either form.
		{args: []string{"deps", "alpha", "--format", "json"}, stdout: []string{`"pkg:golang/github.com/spf13/cobra@v1.8.0"`, `"version": "v1.8.0"`}},
		{args: []string{"who-uses", "pkg:golang/github.com/spf13/cobra@v1.8.0"}, stdout: []string{"alpha", "v1.8.0", "1 uses in 1 projects"}},
		{args: []string{"who-uses", "pkg:golang/github.com/spf13/cobra@1.8.0"}, stdout: []string{"alpha", "v1.8.0", "1 uses in 1 projects"}},
		{args: []string{"who-uses", "pkg:golang/github.com/spf13/cobra@v1.9.0"}, stdout: []string{"No project uses"}},
		{args: []string{"who-uses", "github.com/spf13/cobra", "--version", "<1.8.1"}, stdout: []string{"alpha", "1 uses in 1 projects"}},
		{args: []string{"technology", "pkg:golang/github.com/spf13/cobra@1.8.0"}, stdout: []string{"alpha", "v1.8.0"}},
		// Expertise: Jane created five of alpha's six files, Bob one.
		{args: []string{"truck-factor", "alpha"}, stdout: []string{"Truck factor:", "1", "Key people:", "Jane Doe",
			"Files judged:", "6", "Jane Doe", "83%", "Bob Stone", "17%", "(root)"}},
		{args: []string{"truck-factor", "alpha", "--format", "json"}, json: func(t *testing.T, out []byte) {
			v := decode[struct {
				Expertise *catalog.Expertise `json:"expertise"`
			}](t, out)
			e := v.Expertise
			if e == nil || e.TruckFactor != 1 || e.Files != 6 || len(e.Authors) != 2 || e.Authors[0].Email != "jane@example.com" ||
				e.Authors[0].PersonID == "" || e.AbsenceFactor != 1 {
				t.Errorf("truck-factor alpha = %+v", e)
			}
		}},
		{args: []string{"truck-factor", "nope"}, code: 2, stderr: []string{"no project"}},
		{args: []string{"experts", "lodash", "--format", "json"}, json: func(t *testing.T, out []byte) {
			v := decode[struct {
				Kind    string           `json:"kind"`
				Experts []catalog.Expert `json:"experts"`
			}](t, out)
			if v.Kind != "package" || len(v.Experts) != 2 || v.Experts[0].Email != "jane@example.com" ||
				len(v.Experts[0].Evidence) != 1 || v.Experts[0].Evidence[0].Project != "alpha" {
				t.Errorf("experts lodash = %+v", v)
			}
		}},
		{args: []string{"experts", "Python"}, stdout: []string{"Jane Doe", "100% of beta", "language Python"}, notStdout: []string{"Bob"}},
		{args: []string{"experts", "beta"}, stdout: []string{"Jane Doe", "project beta"}},
		{args: []string{"experts", "no-such-thing"}, code: 2, stderr: []string{"no project, package or language"}},
		{args: []string{"experts", "lodash", "--limit", "-1"}, code: 2},
		{args: []string{"who-uses", "pkg:npm/lodash", "--version", "<4.17.21", "--format", "json"}, json: func(t *testing.T, out []byte) {
			v := decode[struct {
				Uses []catalog.Usage `json:"uses"`
			}](t, out)
			if len(v.Uses) != 0 {
				t.Errorf("who-uses lodash <4.17.21 = %+v, want none", v.Uses)
			}
		}},
		{args: []string{"who-uses", "lodash", "--version", ">=4.17.0, <5", "--format", "json"}, json: func(t *testing.T, out []byte) {
			v := decode[struct {
				Uses []struct {
					Project string `json:"project"`
					Match   string `json:"match"`
				} `json:"uses"`
				People []catalog.Person `json:"people"`
			}](t, out)
			if len(v.Uses) != 1 || v.Uses[0].Project != "alpha" || v.Uses[0].Match != "yes" || len(v.People) != 2 {
				t.Errorf("who-uses lodash >=4.17.0 = %+v", v)
			}
		}},
		{args: []string{"technologies"}, stdout: []string{"KIND", "package", "lodash", "language", "Go", "Python"}},
		{args: []string{"technologies", "--kind", "language", "--format", "json"}, json: func(t *testing.T, out []byte) {
			ts := decode[[]catalog.Technology](t, out)
			var names []string
			for _, tc := range ts {
				if tc.Kind != "language" {
					t.Errorf("technology %+v is not a language", tc)
				}
				names = append(names, tc.Name)
			}
			if !slices.Contains(names, "Go") || !slices.Contains(names, "Python") {
				t.Errorf("languages = %v", names)
			}
		}},
		{args: []string{"technology", "lodash"}, stdout: []string{"lodash (npm): used by 1 projects in 1 versions", "4.17.21"}},
		{args: []string{"technology", "lodash", "--format", "json"}, json: func(t *testing.T, out []byte) {
			v := decode[struct {
				Versions []struct {
					Version  string   `json:"version"`
					Projects []string `json:"projects"`
				} `json:"versions"`
			}](t, out)
			if len(v.Versions) != 1 || v.Versions[0].Version != "4.17.21" || !slices.Equal(v.Versions[0].Projects, []string{"alpha"}) {
				t.Errorf("technology lodash = %+v", v)
			}
		}},
		// A second scan skips both repositories: nothing moved.
		{args: []string{"scan", "-q", root}, stdout: []string{"0 scanned, 2 unchanged"}},
		{args: []string{"scan", "-q", "--force", "--format", "json", root}, json: func(t *testing.T, out []byte) {
			v := decode[struct {
				Found   int `json:"found"`
				Scanned int `json:"scanned"`
			}](t, out)
			if v.Found != 2 || v.Scanned != 2 {
				t.Errorf("scan --force --format json = %+v, want 2 found and scanned", v)
			}
		}},
		{args: []string{"scan", "-q", filepath.Join(root, "no-such-dir")}, code: 2, stderr: []string{"no-such-dir"}},
	})
}

func TestScanReportsProgress(t *testing.T) {
	isolate(t)
	root := buildEstate(t)
	r := run(t, context.Background(), "scan", root)
	if r.code != 0 {
		t.Fatalf("scan: exit %d\n%s", r.code, r.stderr)
	}
	// Standard error is not a terminal: plain lines, the last one complete.
	if !strings.Contains(r.stderr, "scan: 2/2 (") || strings.Contains(r.stderr, "\r") {
		t.Errorf("progress on stderr = %q", r.stderr)
	}
}

func TestSBOM(t *testing.T) {
	isolate(t)
	if r := run(t, context.Background(), "migrate"); r.code != 0 {
		t.Fatalf("migrate: %d %s", r.code, r.stderr)
	}
	dir := t.TempDir()
	write(t, filepath.Join(dir, "package.json"), `{"name": "alpha-web", "version": "1.0.0", "dependencies": {"lodash": "^4.17.0"}}`)
	write(t, filepath.Join(dir, "package-lock.json"), packageLock)
	out := filepath.Join(t.TempDir(), "bom.json")

	cyclonedx := func(t *testing.T, data []byte) {
		v := decode[struct {
			BOMFormat   string `json:"bomFormat"`
			SpecVersion string `json:"specVersion"`
			Components  []struct {
				Name    string `json:"name"`
				Version string `json:"version"`
				PURL    string `json:"purl"`
			} `json:"components"`
		}](t, data)
		if v.BOMFormat != "CycloneDX" || v.SpecVersion != "1.6" {
			t.Errorf("bomFormat %q, specVersion %q", v.BOMFormat, v.SpecVersion)
		}
		if !slices.ContainsFunc(v.Components, func(c struct {
			Name    string `json:"name"`
			Version string `json:"version"`
			PURL    string `json:"purl"`
		}) bool {
			return c.Name == "lodash" && c.Version == "4.17.21" && c.PURL == "pkg:npm/lodash@4.17.21"
		}) {
			t.Errorf("components = %+v, want lodash 4.17.21", v.Components)
		}
	}
	spdx := func(t *testing.T, data []byte) {
		v := decode[struct {
			SPDXVersion string `json:"spdxVersion"`
			Packages    []struct {
				Name        string `json:"name"`
				VersionInfo string `json:"versionInfo"`
			} `json:"packages"`
		}](t, data)
		if v.SPDXVersion != "SPDX-2.3" {
			t.Errorf("spdxVersion %q", v.SPDXVersion)
		}
		found := false
		for _, p := range v.Packages {
			found = found || (p.Name == "lodash" && p.VersionInfo == "4.17.21")
		}
		if !found {
			t.Errorf("packages = %+v, want lodash 4.17.21", v.Packages)
		}
	}
	runSteps(t, []step{
		{args: []string{"sbom", dir}, json: cyclonedx},
		{args: []string{"sbom", dir, "--format", "cyclonedx-json"}, json: cyclonedx},
		{args: []string{"sbom", dir, "--format", "spdx-json"}, json: spdx},
		{args: []string{"sbom", dir, "--format", "spdx-json", "-o", out}, emptyStdout: true},
		{args: []string{"deps", dir, "--format", "json"}, json: func(t *testing.T, data []byte) {
			v := decode[struct {
				Dependencies []catalog.Dependency `json:"dependencies"`
			}](t, data)
			if len(v.Dependencies) != 1 || v.Dependencies[0].Name != "lodash" || !v.Dependencies[0].Direct {
				t.Errorf("deps = %+v", v.Dependencies)
			}
		}},
		{args: []string{"sbom", "no-such-project"}, code: 2, stderr: []string{"no-such-project"}},
	})
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatalf("sbom -o did not write the file: %v", err)
	}
	spdx(t, data)
}

func TestStoreErrors(t *testing.T) {
	isolate(t)
	blocker := filepath.Join(t.TempDir(), "a-file")
	write(t, blocker, "not a directory")
	const password = "hunter2-s3cret"
	pg := "postgres://ospo:" + password + "@127.0.0.1:1/ospo?connect_timeout=2&sslmode=disable"

	tests := []struct {
		name string
		env  string // OSPO_DB, when set
		args []string
		code int
		want string // substring of stderr
	}{
		{"sqlite under a file", "", []string{"--db", filepath.Join(blocker, "ospo.db"), "projects"}, 3, blocker},
		{"sqlite under a file from OSPO_DB", filepath.Join(blocker, "ospo.db"), []string{"projects"}, 3, blocker},
		{"sqlite file is a directory", "", []string{"--db", t.TempDir(), "projects"}, 3, "open store"},
		{"sqlite file is not a database", "", []string{"--db", blocker, "projects"}, 3, "open store"},
		{"unsupported scheme", "", []string{"--db", "mysql://u:" + password + "@db/ospo", "projects"}, 3, "unsupported store"},
		{"postgres unreachable", "", []string{"--db", pg, "projects"}, 3, "open store"},
		{"postgres unreachable from OSPO_DB", pg, []string{"people"}, 3, "open store"},
		{"postgres unreachable on scan", "", []string{"--db", pg, "scan", t.TempDir()}, 3, "open store"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.env != "" {
				t.Setenv("OSPO_DB", tc.env)
			}
			r := run(t, context.Background(), tc.args...)
			if r.code != tc.code {
				t.Fatalf("exit %d, want %d\nstderr: %s", r.code, tc.code, r.stderr)
			}
			if !strings.Contains(r.stderr, tc.want) {
				t.Errorf("stderr does not contain %q: %s", tc.want, r.stderr)
			}
			if strings.Contains(r.stdout+r.stderr, password) {
				t.Errorf("the store password was printed: %s%s", r.stdout, r.stderr)
			}
		})
	}
}

func TestInterrupted(t *testing.T) {
	// A command whose context is cancelled (Ctrl-C) exits 130, wherever it
	// was when the signal came.
	isolate(t)
	root := buildEstate(t)
	if r := run(t, context.Background(), "migrate"); r.code != 0 { // the catalogue exists
		t.Fatalf("migrate: %d %s", r.code, r.stderr)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for _, args := range [][]string{{"scan", "-q", root}, {"projects"}} {
		r := run(t, ctx, args...)
		if r.code != 130 {
			t.Errorf("ospo %v with a cancelled context: exit %d, want 130\n%s", args, r.code, r.stderr)
		}
	}
}

func TestConfig(t *testing.T) {
	isolate(t)
	root := buildEstate(t)
	bad := filepath.Join(t.TempDir(), "ospo.yaml")
	write(t, bad, "scan:\n  wokers: 2\n")
	good := filepath.Join(t.TempDir(), "ospo.yaml")
	write(t, good, "scan:\n  workers: 1\n  timeout: 1m\n")
	runSteps(t, []step{
		{args: []string{"--config", bad, "scan", root}, code: 2, stderr: []string{"wokers"}},
		{args: []string{"--config", filepath.Join(t.TempDir(), "missing.yaml"), "scan", root}, code: 2, stderr: []string{"missing.yaml"}},
		{args: []string{"--config", good, "scan", "-q", root}, stdout: []string{"2 scanned"}},
	})
	t.Setenv("OSPO_CONFIG", bad)
	runSteps(t, []step{{args: []string{"scan", root}, code: 2, stderr: []string{"wokers"}}})
}

// TestHostileNumbers gives every kind of numeric flag and setting a value no
// command means (issue 20): each is a usage error naming it, before any work.
func TestHostileNumbers(t *testing.T) {
	isolate(t)
	root := buildEstate(t)
	nan := filepath.Join(t.TempDir(), "ospo.yaml")
	write(t, nan, "scorecard:\n  min_score: .nan\n")
	workers := filepath.Join(t.TempDir(), "ospo.yaml")
	write(t, workers, "scan:\n  workers: 100000000\n")
	runSteps(t, []step{
		{args: []string{"check", "--min-score", "NaN", root}, code: 2, stderr: []string{"--min-score: NaN is not a finite number"}},
		{args: []string{"check", "--min-score", "+Inf", root}, code: 2, stderr: []string{"--min-score: +Inf is not a finite number"}},
		{args: []string{"check", "--min-score", "11", root}, code: 2, stderr: []string{"--min-score: 11 is not a score from 0 to 10"}},
		{args: []string{"check", "--min-check", "Security=-1", root}, code: 2, stderr: []string{"--min-check Security=-1"}},
		{args: []string{"--config", nan, "check", root}, code: 2, stderr: []string{"scorecard.min_score: NaN"}},
		{args: []string{"scan", "--workers", "100000000", root}, code: 2, stderr: []string{"--workers: 100000000 is more than the most allowed, 256"}},
		{args: []string{"scan", "--workers", "-3", root}, code: 2, stderr: []string{"--workers: -3 is negative"}},
		{args: []string{"scan", "--timeout", "-1s", root}, code: 2, stderr: []string{"--timeout: -1s is negative"}},
		{args: []string{"--config", workers, "scan", root}, code: 2, stderr: []string{"scan.workers: 100000000"}},
		{args: []string{"projects", "--limit", "-1"}, code: 2, stderr: []string{"--limit: -1 is negative"}},
	})
}
