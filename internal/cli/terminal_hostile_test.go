package cli_test

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/ospo-project/ospo/internal/catalog"
	"go.yaml.in/yaml/v3"
)

// esc is a string a repository controls, made of what a terminal obeys:
// clear the screen, set the window title, recolour, return the carriage,
// backspace, DEL, C1 controls (NEL, CSI), bidirectional overrides and
// isolates, and an invalid UTF-8 byte.
const esc = "\x1b[2J\x1b]0;pwned\x07\x1b[31m\rX\b\x7f\u0085\u009b31m\u202e\u2066\xff"

// jsonQuote quotes s for a JSON or YAML file (control characters as
// \u escapes; invalid UTF-8 becomes U+FFFD).
func jsonQuote(s string) string {
	b, err := json.Marshal(s)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// yamlQuote quotes s as a YAML double-quoted string, every control and
// bidirectional character as a \u escape (YAML refuses them raw).
func yamlQuote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range strings.ToValidUTF8(s, "\uFFFD") {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r < 0x20 || r >= 0x7f && r < 0xa0 || r >= 0x2000 && r < 0x2070:
			fmt.Fprintf(&b, "\\u%04x", r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// rawAuthorCommit writes a commit object by hand, with the author line as
// given (git refuses control characters in names it is given), and moves
// branch main to it.
func rawAuthorCommit(t *testing.T, dir, author string) {
	t.Helper()
	git(t, dir, nil, "add", "-A")
	out := func(args ...string) string {
		cmd := exec.Command("git", append([]string{"-C", dir}, args...)...)
		cmd.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1")
		b, err := cmd.Output()
		if err != nil {
			t.Fatalf("git %v: %v", args, err)
		}
		return strings.TrimSpace(string(b))
	}
	body := "tree " + out("write-tree") + "\n"
	if parent, err := exec.Command("git", "-C", dir, "rev-parse", "-q", "--verify", "HEAD").Output(); err == nil {
		body += "parent " + strings.TrimSpace(string(parent)) + "\n"
	}
	body += "author " + author + " 1709550000 +0000\ncommitter CI <ci@example.com> 1709550000 +0000\n\nmsg " + esc + "\n"
	f := filepath.Join(t.TempDir(), "commit")
	write(t, f, body)
	sha := out("hash-object", "-t", "commit", "-w", "--literally", f)
	git(t, dir, nil, "update-ref", "refs/heads/main", sha)
}

// buildEscapeEstate makes a repository whose every string the scan reads
// carries esc, and an OSV advisory of its packages whose summary does too.
// It returns the estate's root, the repository and the advisory file.
func buildEscapeEstate(t *testing.T) (root, repo, advisory string) {
	t.Helper()
	root = t.TempDir()
	repo = filepath.Join(root, "term"+strings.ReplaceAll(esc, "\xff", ""))
	os.MkdirAll(repo, 0o755)
	git(t, repo, nil, "init", "-q", "-b", "main")
	git(t, repo, nil, "remote", "add", "origin", "https://github.com/acme/t"+strings.ReplaceAll(esc, "\xff", "")+".git")
	evilPkg := "evil" + esc
	write(t, filepath.Join(repo, "README.md"), "# Title "+esc+"\n\nFirst paragraph "+esc+" describes.\n")
	write(t, filepath.Join(repo, "package.json"), `{"name": `+jsonQuote("web"+esc)+`, "version": "1.0.0", "description": `+jsonQuote(esc)+
		`, "license": `+jsonQuote("MIT"+esc)+`, "keywords": [`+jsonQuote(esc)+`], "dependencies": {"lodash": "4.17.20", `+jsonQuote(evilPkg)+`: "1.0.0"}}`)
	write(t, filepath.Join(repo, "package-lock.json"), `{"name": "web", "version": "1.0.0", "lockfileVersion": 3, "packages": {
  "": {"name": "web", "version": "1.0.0", "dependencies": {"lodash": "4.17.20", `+jsonQuote(evilPkg)+`: "1.0.0"}},
  "node_modules/lodash": {"version": "4.17.20", "license": `+jsonQuote("MIT"+esc)+`},
  `+jsonQuote("node_modules/"+evilPkg)+`: {"version": `+jsonQuote("1.0.0"+esc)+`, "license": `+jsonQuote("Evil"+esc)+`}}}`)
	write(t, filepath.Join(repo, "requirements.txt"), "evil"+esc+"==1.0"+esc+"\nok-pkg==1.2.3\n")
	write(t, filepath.Join(repo, "catalog-info.yaml"), "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: "+yamlQuote("t"+esc)+
		"\n  title: "+yamlQuote(esc)+"\n  description: "+yamlQuote(esc)+"\n  tags: ["+yamlQuote(esc)+"]\n  links:\n    - url: "+yamlQuote("https://x.example/"+esc)+
		"\n      title: "+yamlQuote(esc)+"\nspec:\n  type: "+yamlQuote(esc)+"\n  lifecycle: "+yamlQuote(esc)+"\n  owner: "+yamlQuote("group:t"+esc)+"\n")
	write(t, filepath.Join(repo, "innersource.json"), `{"title": `+jsonQuote(esc)+`, "description": `+jsonQuote(esc)+`, "skills": [`+jsonQuote(esc)+
		`], "topics": [`+jsonQuote(esc)+`], "contributions": [`+jsonQuote(esc)+`]}`)
	write(t, filepath.Join(repo, ".github", "CODEOWNERS"), "* @acme/t"+esc+" owner"+esc+"@example.com\n/src/ ann@example.com\n")
	write(t, filepath.Join(repo, "LICENSE"), "Licence "+esc+"\n\nCopyright (c) "+esc+"\n\nPermission is granted "+esc+"\n")
	write(t, filepath.Join(repo, "docs", "index.md"), "---\ntitle: "+jsonQuote(esc)+"\n---\n# "+esc+"\n")
	write(t, filepath.Join(repo, "src", "a"+esc+".js"), "module.exports = 1\n")
	write(t, filepath.Join(repo, "src", "main.go"), "package main\n\nfunc main() {}\n")
	write(t, filepath.Join(repo, "sub"+esc, "package.json"), "{not json "+esc)
	write(t, filepath.Join(repo, ".mailmap"), "Mapped"+esc+" <ann@example.com>\n")
	commit(t, repo, "Ann Api", "ann@example.com", "2024-03-05T10:00:00Z")
	write(t, filepath.Join(repo, "src", "b"+esc+".js"), "2\n")
	rawAuthorCommit(t, repo, "Mal"+esc+"lory <mal"+esc+"@example.com>")
	write(t, filepath.Join(repo, "src", "c.js"), "3\n")
	rawAuthorCommit(t, repo, "Eve "+esc+" <eve@example.com>")

	// plain: an ordinary project that shares lodash, for similar and
	// recommend, on which the hostile people work too.
	plain := filepath.Join(root, "plain")
	os.MkdirAll(plain, 0o755)
	git(t, plain, nil, "init", "-q", "-b", "main")
	write(t, filepath.Join(plain, "package-lock.json"), oldLodash)
	commit(t, plain, "Ann Api", "ann@example.com", "2024-03-06T10:00:00Z")
	write(t, filepath.Join(plain, "x.js"), "1\n")
	rawAuthorCommit(t, plain, "Mal"+esc+"lory <mal"+esc+"@example.com>")

	// other: uses something else, so that lodash is not a dependency of
	// every project (shared by all, it would make no two projects alike).
	other := filepath.Join(root, "other")
	os.MkdirAll(other, 0o755)
	git(t, other, nil, "init", "-q", "-b", "main")
	write(t, filepath.Join(other, "requirements.txt"), "requests==2.31.0\n")
	commit(t, other, "Ann Api", "ann@example.com", "2024-03-07T10:00:00Z")

	advisory = filepath.Join(t.TempDir(), "GHSA-esc0-esc0-esc0.json")
	write(t, advisory, `{"schema_version": "1.3.0", "id": "GHSA-esc0-esc0-esc0", "modified": "2024-01-01T00:00:00Z",
 "aliases": [`+jsonQuote("CVE-"+esc)+`], "summary": `+jsonQuote("Summary "+esc)+`, "details": `+jsonQuote("Details "+esc)+`,
 "database_specific": {"severity": "HIGH"},
 "affected": [
  {"package": {"ecosystem": "npm", "name": "lodash"}, "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "4.17.21"}]}]},
  {"package": {"ecosystem": "npm", "name": `+jsonQuote(evilPkg)+`}, "versions": [`+jsonQuote("1.0.0"+esc)+`]}],
 "references": [{"type": "WEB", "url": `+jsonQuote("https://x.example/"+esc)+`}]}`)
	return root, repo, advisory
}

// terminalUnsafe returns a description of the first thing in out a
// terminal would obey or reorder by (an ESC, another C0 control but
// newline and tab, DEL, a C1 control, a bidirectional embedding, override
// or isolate), or of invalid UTF-8; "" if there is none.
func terminalUnsafe(out string) string {
	for i, r := range out {
		bad := ""
		switch {
		case r == utf8.RuneError && !strings.HasPrefix(out[i:], "\ufffd"):
			bad = "invalid UTF-8"
		case r == '\n' || r == '\t':
		case r < 0x20 || r == 0x7f:
			bad = fmt.Sprintf("C0 control %#x", r)
		case r >= 0x80 && r < 0xa0:
			bad = fmt.Sprintf("C1 control %U", r)
		case r >= 0x202a && r <= 0x202e || r >= 0x2066 && r <= 0x2069:
			bad = fmt.Sprintf("bidirectional control %U", r)
		}
		if bad != "" {
			from, to := max(0, i-60), min(len(out), i+60)
			return fmt.Sprintf("%s at byte %d: %+q", bad, i, out[from:to])
		}
	}
	return ""
}

// TestNoTerminalEscapes scans a repository whose every string carries
// terminal escape sequences, C0 and C1 controls, bidirectional controls
// and invalid UTF-8, then runs every command that reads the catalogue, in
// its text formats, naming the hostile project, people and packages:
// standard output and standard error never hold any of them. Every one
// that has --format json is run again with it: JSON output is exempt
// (JSON escapes controls) but must be valid; so are the XML and YAML of
// check --format junit and export backstage, which must be well-formed.
func TestNoTerminalEscapes(t *testing.T) {
	isolate(t)
	root, repo, advisory := buildEscapeEstate(t)
	teamsFile := filepath.Join(t.TempDir(), "teams.yaml")
	write(t, teamsFile, "teams:\n  "+yamlQuote("team"+esc)+":\n    members: [ann@example.com, "+yamlQuote("mal"+esc+"@example.com")+"]\n")

	type cmd struct {
		args []string
		json bool // standard output is JSON
		// machine is the format of standard output when it is a file
		// format other than JSON (xml, yaml): it must be well-formed,
		// and its own escaping is trusted.
		machine string
		// shows says standard output must show the hostile text, cleaned,
		// so that the test cannot pass by printing nothing.
		shows bool
	}
	ran := 0
	check := func(c cmd) result {
		t.Helper()
		ran++
		r := run(t, t.Context(), c.args...)
		name := fmt.Sprintf("%+q", c.args)
		if r.code != 0 && r.code != 1 && r.code != 2 {
			t.Errorf("ospo %s: exit %d\n%s", name, r.code, r.stderr)
		}
		switch {
		case c.json:
			if !json.Valid([]byte(r.stdout)) {
				t.Errorf("ospo %s: standard output is not JSON: %+q", name, r.stdout)
			}
		case c.machine == "xml":
			for dec := xml.NewDecoder(strings.NewReader(r.stdout)); ; {
				if _, err := dec.Token(); err == io.EOF {
					break
				} else if err != nil {
					t.Errorf("ospo %s: standard output is not XML: %v", name, err)
					break
				}
			}
		case c.machine == "yaml":
			for dec := yaml.NewDecoder(strings.NewReader(r.stdout)); ; {
				var v any
				if err := dec.Decode(&v); err == io.EOF {
					break
				} else if err != nil {
					t.Errorf("ospo %s: standard output is not YAML: %v", name, err)
					break
				}
			}
		default:
			if bad := terminalUnsafe(r.stdout); bad != "" {
				t.Errorf("ospo %s: standard output has %s", name, bad)
			}
		}
		if bad := terminalUnsafe(r.stderr); bad != "" {
			t.Errorf("ospo %s: standard error has %s", name, bad)
		}
		if c.shows && !strings.Contains(strings.ToLower(r.stdout), "[2j") {
			t.Errorf("ospo %s: standard output does not show the hostile text:\n%s", name, r.stdout)
		}
		return r
	}
	for _, c := range []cmd{
		{args: []string{"scan", root}},
		{args: []string{"scan", "--force", root}},
		{args: []string{"advisories", "import", advisory}},
		{args: []string{"users", "add", "ann@example.com"}},
		{args: []string{"users", "add", "olga@example.com", "--role", "ospo"}},
		{args: []string{"teams", "import", teamsFile}},
		{args: []string{"external", "add", "ext" + esc, "--as", "olga@example.com", "--owners", "ann@example.com", "--url", "https://github.com/acme/ext"}},
		{args: []string{"events", "claim", "talk", "--evidence", "https://x.example/" + esc, "--note", esc, "--as", "ann@example.com"}},
	} {
		if r := check(c); r.code != 0 {
			t.Fatalf("ospo %+q: exit %d\n%s", c.args, r.code, r.stderr)
		}
	}

	// The hostile names, as the catalogue knows them.
	var projects []catalog.Project
	if err := json.Unmarshal([]byte(check(cmd{args: []string{"projects", "--format", "json"}, json: true}).stdout), &projects); err != nil || len(projects) != 3 {
		t.Fatalf("projects: %v %+v", err, projects)
	}
	var people []catalog.Person
	if err := json.Unmarshal([]byte(check(cmd{args: []string{"people", "--format", "json"}, json: true}).stdout), &people); err != nil || len(people) < 3 {
		t.Fatalf("people: %v %+v", err, people)
	}
	hostile := func(s string) bool { return strings.Contains(s, "\x1b") }
	term := slices.IndexFunc(projects, func(p catalog.Project) bool { return hostile(p.Name) })
	if term < 0 {
		t.Fatalf("no project is named with escapes: %+v", projects)
	}
	var deps struct {
		Dependencies []catalog.Dependency `json:"dependencies"`
	}
	if err := json.Unmarshal([]byte(check(cmd{args: []string{"deps", projects[term].Key, "--format", "json"}, json: true}).stdout), &deps); err != nil {
		t.Fatal(err)
	}
	var pkgs []string
	for _, d := range deps.Dependencies {
		if hostile(d.Name) || hostile(d.Version) || d.Name == "lodash" {
			pkgs = append(pkgs, d.Name, d.PURL)
		}
	}
	if len(pkgs) < 4 || !hostile(projects[term].Name+projects[term].Description) {
		t.Fatalf("the estate is not hostile enough: project %+q, packages %+q", projects[term].Name, pkgs)
	}

	cmds := []cmd{
		{args: []string{"projects"}, shows: true},
		{args: []string{"people"}, shows: true},
		{args: []string{"technologies"}, shows: true},
		{args: []string{"technologies", "--kind", "language"}},
		{args: []string{"licenses", "--all"}},
		{args: []string{"vulns", "--all"}, shows: true},
		{args: []string{"vuln", "GHSA-esc0-esc0-esc0"}, shows: true},
		{args: []string{"advisories", "status"}},
		{args: []string{"scores"}},
		{args: []string{"health"}},
		{args: []string{"health", "digest"}},
		{args: []string{"events"}},
		{args: []string{"events", "kinds"}},
		{args: []string{"events", "leaderboard"}},
		{args: []string{"badges"}},
		{args: []string{"external"}},
		{args: []string{"innersource"}},
		{args: []string{"innersource", "help"}},
		{args: []string{"teams", "list"}, shows: true},
		{args: []string{"health", "team" + esc}},
		{args: []string{"events", "claims"}, shows: true},
		{args: []string{"external", "list"}, shows: true},
		{args: []string{"requests"}},
		{args: []string{"pushes"}},
		{args: []string{"audit", "list"}},
		{args: []string{"inbox", "digest", "--dry-run", "--base-url", "https://hub.example.com"}},
		{args: []string{"export", "backstage"}, machine: "yaml"},
		{args: []string{"deps", repo}},
		{args: []string{"licenses", repo}},
		{args: []string{"notice", repo}},
		{args: []string{"score", repo}},
		{args: []string{"check", repo, "--strict", "--fail-on", "low"}},
		{args: []string{"check", repo, "--format", "junit"}, machine: "xml"},
		{args: []string{"check", repo, "--format", "sarif"}, json: true},
		{args: []string{"sbom", repo}, json: true},
		{args: []string{"vulns", "--all", "--format", "json"}, json: true},
	}
	for _, p := range projects {
		for _, ref := range []string{p.Key, p.Name} {
			cmds = append(cmds,
				cmd{args: []string{"project", ref}, shows: p.Name != "other"},
				cmd{args: []string{"truck-factor", ref}, shows: p.Name != "other"},
				cmd{args: []string{"experts", ref}},
				cmd{args: []string{"licenses", ref}},
				cmd{args: []string{"notice", ref}},
				cmd{args: []string{"vulns", ref}, shows: p.Name != "other"},
				cmd{args: []string{"score", ref}},
				cmd{args: []string{"similar", ref}, shows: p.Name != "other"},
				cmd{args: []string{"deps", ref}},
				cmd{args: []string{"health", ref}},
				cmd{args: []string{"badge", ref}},
				cmd{args: []string{"fix", ref}},
				cmd{args: []string{"project", ref, "--format", "json"}, json: true},
			)
		}
		cmds = append(cmds,
			cmd{args: []string{"request", "open-source", p.Key, "--as", "ann@example.com", "--reason", esc, "--title", esc}},
			cmd{args: []string{"request", "show", "1"}},
			cmd{args: []string{"requests"}},
			cmd{args: []string{"requests", "--to-review", "--as", "olga@example.com"}},
			cmd{args: []string{"health", "@acme/t" + esc}},
		)
	}
	for _, p := range people {
		for _, ref := range []string{p.Email, p.Name, p.ID} {
			cmds = append(cmds,
				cmd{args: []string{"person", ref}, shows: true},
				cmd{args: []string{"recommend", ref}},
				cmd{args: []string{"badges", ref}},
			)
		}
		cmds = append(cmds,
			cmd{args: []string{"inbox", "--as", p.Email}},
			cmd{args: []string{"inbox", "--all", "--as", p.Email}},
		)
	}
	for _, pkg := range pkgs {
		cmds = append(cmds,
			cmd{args: []string{"technology", pkg}, shows: true},
			cmd{args: []string{"who-uses", pkg}, shows: !strings.HasPrefix(pkg, "pkg:")},
			cmd{args: []string{"experts", pkg}},
		)
	}
	// Arguments a person typed are echoed in errors.
	for _, c := range []string{"project", "person", "technology", "who-uses", "experts", "truck-factor", "vuln", "score", "health", "recommend"} {
		cmds = append(cmds, cmd{args: []string{c, "nope" + esc}})
	}
	asJSON := 0
	for _, c := range cmds {
		check(c)
		// The same in JSON, where the command has it: valid JSON, and
		// standard error as clean as ever.
		if c.json || c.machine != "" || slices.Contains(c.args, "--format") {
			continue
		}
		args := append(slices.Clone(c.args), "--format", "json")
		r := run(t, t.Context(), args...)
		if r.code == 2 && (strings.Contains(r.stderr, "unknown format") || strings.Contains(r.stderr, "unknown flag")) {
			continue
		}
		asJSON++
		name := fmt.Sprintf("%+q", args)
		if (r.code == 0 || r.stdout != "") && !json.Valid([]byte(r.stdout)) {
			t.Errorf("ospo %s: exit %d, standard output is not JSON: %+q", name, r.code, r.stdout)
		}
		if bad := terminalUnsafe(r.stderr); bad != "" {
			t.Errorf("ospo %s: standard error has %s", name, bad)
		}
	}
	if asJSON < 50 {
		t.Errorf("only %d commands were run with --format json", asJSON)
	}
	t.Logf("%d commands checked, %d again in JSON", ran, asJSON)
}
