package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ospo-project/ospo/internal/hub"
	"github.com/ospo-project/ospo/internal/store/sqlite"
)

// answer is what one front end says about one project: its dependency set,
// each dependency's licence, the dependencies in violation of the licence
// policy, the known vulnerabilities, and the scorecard's probes about them.
// A front end that does not say something leaves it nil.
type answer struct {
	Deps       []string          // purls
	Licenses   map[string]string // purl -> licence expression
	Violations []string          // purls with an unsuppressed licence violation
	Vulns      []string          // advisory id + " " + package@version, unsuppressed
	VulnIDs    []string          // advisory ids, suppressed or not
	Probes     map[string]string // dependenciesWithinPolicy, noKnownVulnerabilities -> outcome: message
}

// frontEnd is one way to ask: a command on a path or a project name, or a
// hub API route. It fills what it knows into an answer.
type frontEnd struct {
	name string
	ask  func(t *testing.T, ref string) answer
}

// TestFrontEndsAgree runs every front end over the same repositories (one
// committed, one with an uncommitted npm dependency under GPL-3.0) and
// compares their answers: check, score, licenses, vulns, sbom and deps on
// a path agree with each other; the same commands on the scanned project
// agree with each other and with the hub's API. This is issue 11's bug:
// `check --min-score` used to report the GPL violation from its licence
// gate while its scorecard gate said "no dependencies".
func TestFrontEndsAgree(t *testing.T) {
	root := t.TempDir()
	clean, dirty := filepath.Join(root, "clean"), filepath.Join(root, "dirty")
	for _, dir := range []string{clean, dirty} {
		checkRepo(t, dir, false)
		write(t, filepath.Join(dir, "pom.xml"), fmt.Sprintf(pomTmpl, filepath.Base(dir), "2.14.1"))
		git(t, dir, nil, "add", "pom.xml")
		commit(t, dir, "Ann Lee", "ann@acme.example", "2024-05-02T10:00:00Z", "pom")
	}
	// Uncommitted: a runtime GPL-3.0 dependency in the work tree only.
	write(t, filepath.Join(dirty, "package.json"), strings.Replace(strings.Replace(checkPackageJSON, "%s", "dirty", 1), "%s", `,"gpl-lib":"1.0.0"`, 1))
	write(t, filepath.Join(dirty, "package-lock.json"), checkLock(true))

	db := filepath.Join(t.TempDir(), "ospo.db")
	cfg := filepath.Join(t.TempDir(), "ospo.yaml")
	write(t, cfg, "{}\n")
	env := []string{"OSPO_DB=" + db, "OSPO_CONFIG=" + cfg}
	testdata, _ := filepath.Abs("../../internal/vuln/testdata/osv")
	if r := run(t, env, "advisories", "import", testdata); r.code != 0 {
		t.Fatalf("advisories import: %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if r := run(t, env, "scan", root); r.code != 0 {
		t.Fatalf("scan: %d\n%s%s", r.code, r.stdout, r.stderr)
	}

	commands := commandFrontEnds(env)
	askAll := func(fes []frontEnd, ref string) map[string]answer {
		out := map[string]answer{}
		for _, fe := range fes {
			out[fe.name] = fe.ask(t, ref)
		}
		return out
	}

	// On a path: every command reads the work tree, uncommitted changes included.
	for _, dir := range []string{clean, dirty} {
		t.Run("path/"+filepath.Base(dir), func(t *testing.T) {
			got := askAll(commands, dir)
			want := agree(t, got)
			gpl := slices.ContainsFunc(want.Deps, func(p string) bool { return strings.HasPrefix(p, "pkg:npm/gpl-lib@") })
			if gpl != (dir == dirty) || len(want.Violations) > 0 != (dir == dirty) {
				t.Errorf("GPL dependency seen %v, violations %v; want both only in the uncommitted work tree", gpl, want.Violations)
			}
			if len(want.Vulns) == 0 {
				t.Errorf("no vulnerabilities found; log4j-core 2.14.1 is affected by CVE-2021-44228")
			}
			if !strings.HasPrefix(want.Probes["dependenciesWithinPolicy"], map[bool]string{true: "partial", false: "pass"}[dir == dirty]) {
				t.Errorf("scorecard dependenciesWithinPolicy = %q", want.Probes["dependenciesWithinPolicy"])
			}
		})
	}

	// The scanned projects (their committed HEAD): the commands on the
	// project's name agree with each other and with the hub's API.
	st, err := sqlite.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	h, err := hub.New(st, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()
	fes := append(commands, apiFrontEnds(env, srv.URL)...)
	for _, name := range []string{"clean", "dirty"} {
		t.Run("project/"+name, func(t *testing.T) {
			got := askAll(fes, name)
			want := agree(t, got)
			if slices.ContainsFunc(want.Deps, func(p string) bool { return strings.HasPrefix(p, "pkg:npm/gpl-lib@") }) {
				t.Errorf("the scanned project has the uncommitted GPL dependency: %v", want.Deps)
			}
		})
	}
	// The committed repository reads the same on its path and as a project.
	pathAns, projAns := agree(t, askAll(commands, clean)), agree(t, askAll(commands, "clean"))
	if diff := cmp.Diff(pathAns, projAns); diff != "" {
		t.Errorf("clean: path and project disagree (-path +project):\n%s", diff)
	}
}

// agree checks that every answer agrees with every other on what both say,
// and returns their union.
func agree(t *testing.T, got map[string]answer) answer {
	t.Helper()
	var u answer
	from := map[string]string{}
	names := make([]string, 0, len(got))
	for n := range got {
		names = append(names, n)
	}
	slices.Sort(names)
	take := func(field, name string, have bool, same func() bool, set func()) {
		if !have {
			return
		}
		if first, ok := from[field]; ok {
			if !same() {
				t.Errorf("%s: %s and %s disagree", field, first, name)
			}
			return
		}
		from[field] = name
		set()
	}
	for _, n := range names {
		a := got[n]
		take("dependencies", n, a.Deps != nil, func() bool { return diffLog(t, "dependencies", from["dependencies"], n, u.Deps, a.Deps) }, func() { u.Deps = a.Deps })
		take("licences", n, a.Licenses != nil, func() bool { return diffLog(t, "licences", from["licences"], n, u.Licenses, a.Licenses) }, func() { u.Licenses = a.Licenses })
		take("violations", n, a.Violations != nil, func() bool { return diffLog(t, "violations", from["violations"], n, u.Violations, a.Violations) }, func() { u.Violations = a.Violations })
		take("vulnerabilities", n, a.Vulns != nil, func() bool { return diffLog(t, "vulnerabilities", from["vulnerabilities"], n, u.Vulns, a.Vulns) }, func() { u.Vulns = a.Vulns })
		take("advisories", n, a.VulnIDs != nil, func() bool { return diffLog(t, "advisories", from["advisories"], n, u.VulnIDs, a.VulnIDs) }, func() { u.VulnIDs = a.VulnIDs })
		take("probes", n, a.Probes != nil, func() bool { return diffLog(t, "probes", from["probes"], n, u.Probes, a.Probes) }, func() { u.Probes = a.Probes })
	}
	return u
}

func diffLog(t *testing.T, field, a, b string, x, y any) bool {
	t.Helper()
	if diff := cmp.Diff(x, y); diff != "" {
		t.Logf("%s (-%s +%s):\n%s", field, a, b, diff)
		return false
	}
	return true
}

// sorted returns the distinct values of ss, sorted, never nil.
func sorted(ss []string) []string {
	out := append([]string{}, ss...)
	slices.Sort(out)
	return slices.Compact(out)
}

type depJSON struct {
	PURL       string `json:"purl"`
	License    string `json:"license"`
	Expression string `json:"expression"`
}

type licenseFindingJSON struct {
	PURL         string `json:"purl"`
	Severity     string `json:"severity"`
	SuppressedBy string `json:"suppressed_by"`
}

type vulnJSON struct {
	ID         string `json:"id"`
	Package    string `json:"package"`
	Version    string `json:"version"`
	Suppressed bool   `json:"suppressed"`
}

type checkJSONScore struct {
	Checks []struct {
		Findings []struct {
			Probe, Outcome, Message string
		} `json:"findings"`
	} `json:"checks"`
}

func depsOf(ds []depJSON) ([]string, map[string]string) {
	var purls []string
	lic := map[string]string{}
	for _, d := range ds {
		purls = append(purls, d.PURL)
		lic[d.PURL] = d.License + d.Expression
	}
	return sorted(purls), lic
}

func violationsOf(fs []licenseFindingJSON) []string {
	out := []string{}
	for _, f := range fs {
		if f.PURL != "" && f.Severity == "violation" && f.SuppressedBy == "" {
			out = append(out, f.PURL)
		}
	}
	return sorted(out)
}

func vulnsOf(fs []vulnJSON) (open, ids []string) {
	open, ids = []string{}, []string{}
	for _, f := range fs {
		ids = append(ids, f.ID)
		if !f.Suppressed {
			open = append(open, f.ID+" "+f.Package+"@"+f.Version)
		}
	}
	return sorted(open), sorted(ids)
}

func probesOf(s checkJSONScore) map[string]string {
	out := map[string]string{}
	for _, c := range s.Checks {
		for _, f := range c.Findings {
			if f.Probe == "dependenciesWithinPolicy" || f.Probe == "noKnownVulnerabilities" {
				out[f.Probe] = f.Outcome + ": " + f.Message
			}
		}
	}
	return out
}

// commandFrontEnds are the commands that take a path or a project name.
func commandFrontEnds(env []string) []frontEnd {
	jsonOf := func(t *testing.T, v any, okCodes []int, args ...string) {
		t.Helper()
		r := run(t, env, args...)
		if !slices.Contains(okCodes, r.code) {
			t.Fatalf("%s: exit %d\n%s%s", strings.Join(args, " "), r.code, r.stdout, r.stderr)
		}
		if err := json.Unmarshal([]byte(r.stdout), v); err != nil {
			t.Fatalf("%s: %v\n%s", strings.Join(args, " "), err, r.stdout)
		}
	}
	return []frontEnd{
		{"check", func(t *testing.T, ref string) answer {
			if !isPath(ref) {
				return answer{} // check reads a directory only
			}
			var out struct {
				Gates struct {
					License struct {
						Dependencies []depJSON            `json:"dependencies"`
						Findings     []licenseFindingJSON `json:"findings"`
					} `json:"license"`
					Vulnerabilities []vulnJSON     `json:"vulnerabilities"`
					Scorecard       checkJSONScore `json:"scorecard"`
				} `json:"gates"`
			}
			jsonOf(t, &out, []int{0, 1}, "check", ref, "--format", "json", "--min-score", "0.1", "--fail-on", "critical")
			a := answer{Violations: violationsOf(out.Gates.License.Findings), Probes: probesOf(out.Gates.Scorecard)}
			a.Deps, a.Licenses = depsOf(out.Gates.License.Dependencies)
			a.Vulns, a.VulnIDs = vulnsOf(out.Gates.Vulnerabilities)
			return a
		}},
		{"check --min-score", func(t *testing.T, ref string) answer {
			if !isPath(ref) {
				return answer{}
			}
			var out struct {
				Gates struct {
					Scorecard checkJSONScore `json:"scorecard"`
				} `json:"gates"`
			}
			// Without --fail-on: the scorecard still sees the advisories.
			jsonOf(t, &out, []int{0, 1}, "check", ref, "--format", "json", "--min-score", "0.1")
			return answer{Probes: probesOf(out.Gates.Scorecard)}
		}},
		{"score", func(t *testing.T, ref string) answer {
			var out checkJSONScore
			jsonOf(t, &out, []int{0}, "score", ref, "--format", "json")
			return answer{Probes: probesOf(out)}
		}},
		{"licenses", func(t *testing.T, ref string) answer {
			var out struct {
				Dependencies []depJSON            `json:"dependencies"`
				Findings     []licenseFindingJSON `json:"findings"`
			}
			jsonOf(t, &out, []int{0}, "licenses", ref, "--format", "json")
			a := answer{Violations: violationsOf(out.Findings)}
			a.Deps, a.Licenses = depsOf(out.Dependencies)
			return a
		}},
		{"vulns", func(t *testing.T, ref string) answer {
			var out struct {
				Findings []vulnJSON `json:"findings"`
			}
			jsonOf(t, &out, []int{0}, "vulns", ref, "--format", "json")
			var a answer
			a.Vulns, a.VulnIDs = vulnsOf(out.Findings)
			return a
		}},
		{"sbom", func(t *testing.T, ref string) answer {
			var out struct {
				Components []struct {
					PURL string `json:"purl"`
				} `json:"components"`
				Vulnerabilities []struct {
					ID string `json:"id"`
				} `json:"vulnerabilities"`
			}
			jsonOf(t, &out, []int{0}, "sbom", ref, "--format", "cyclonedx-json", "--vulns")
			a := answer{Deps: []string{}, VulnIDs: []string{}}
			for _, c := range out.Components {
				if c.PURL != "" { // the manifests are components without a purl
					a.Deps = append(a.Deps, c.PURL)
				}
			}
			for _, v := range out.Vulnerabilities {
				a.VulnIDs = append(a.VulnIDs, v.ID)
			}
			a.Deps, a.VulnIDs = sorted(a.Deps), sorted(a.VulnIDs)
			return a
		}},
		{"deps", func(t *testing.T, ref string) answer {
			var out struct {
				Dependencies []depJSON `json:"dependencies"`
			}
			jsonOf(t, &out, []int{0}, "deps", ref, "--format", "json")
			a := answer{}
			a.Deps, _ = depsOf(out.Dependencies)
			return a
		}},
	}
}

// apiFrontEnds are the hub API's routes about one project, found by name.
func apiFrontEnds(env []string, base string) []frontEnd {
	get := func(t *testing.T, path string, v any) {
		t.Helper()
		resp, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %d %s", path, resp.StatusCode, b)
		}
		if err := json.Unmarshal(b, v); err != nil {
			t.Fatalf("GET %s: %v\n%s", path, err, b)
		}
	}
	idOf := func(t *testing.T, name string) string {
		t.Helper()
		return fmt.Sprint(projectByName(t, env, name).ID)
	}
	return []frontEnd{
		{"api dependencies", func(t *testing.T, ref string) answer {
			if isPath(ref) {
				return answer{}
			}
			var out struct {
				Items []depJSON `json:"items"`
			}
			get(t, "/api/v1/projects/"+idOf(t, ref)+"/dependencies?limit=1000", &out)
			a := answer{}
			a.Deps, _ = depsOf(out.Items)
			return a
		}},
		{"api licenses", func(t *testing.T, ref string) answer {
			if isPath(ref) {
				return answer{}
			}
			var out struct {
				Dependencies []struct {
					depJSON
					Findings []licenseFindingJSON `json:"findings"`
				} `json:"dependencies"`
			}
			get(t, "/api/v1/projects/"+idOf(t, ref)+"/licenses", &out)
			var ds []depJSON
			var fs []licenseFindingJSON
			for _, d := range out.Dependencies {
				ds = append(ds, d.depJSON)
				fs = append(fs, d.Findings...)
			}
			a := answer{Violations: violationsOf(fs)}
			a.Deps, a.Licenses = depsOf(ds)
			return a
		}},
		{"api vulnerabilities", func(t *testing.T, ref string) answer {
			if isPath(ref) {
				return answer{}
			}
			var out struct {
				Findings []vulnJSON `json:"findings"`
			}
			get(t, "/api/v1/projects/"+idOf(t, ref)+"/vulnerabilities", &out)
			var a answer
			a.Vulns, a.VulnIDs = vulnsOf(out.Findings)
			return a
		}},
		{"api score", func(t *testing.T, ref string) answer {
			if isPath(ref) {
				return answer{}
			}
			var out struct {
				Latest checkJSONScore `json:"latest"`
			}
			get(t, "/api/v1/projects/"+idOf(t, ref)+"/score", &out)
			return answer{Probes: probesOf(out.Latest)}
		}},
	}
}

func isPath(ref string) bool { return filepath.IsAbs(ref) }
