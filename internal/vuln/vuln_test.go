package vuln

import (
	"archive/zip"
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ospo-project/ospo/internal/catalog"
)

func loadTestdata(t *testing.T) []catalog.Advisory {
	t.Helper()
	advs, rep, err := Load([]string{"testdata/osv"})
	if err != nil {
		t.Fatal(err)
	}
	if rep.SkippedTotal() != 0 {
		t.Fatalf("real records skipped: %v", rep.Examples)
	}
	return advs
}

func dep(eco, name, version string, direct bool) catalog.Dependency {
	return catalog.Dependency{Ecosystem: eco, Name: name, Version: version, Direct: direct, Manifest: "m"}
}

// TestMatchReal matches real advisories of each ecosystem against versions
// inside, at the edges of, and outside their ranges.
func TestMatchReal(t *testing.T) {
	ix := NewIndex(loadTestdata(t))
	type want struct{ id, fixed string }
	tests := []struct {
		dep  catalog.Dependency
		want []want
	}{
		{dep("npm", "lodash", "4.17.20", true), []want{{"GHSA-35jh-r3h4-6jhm", "4.17.21"}}},
		{dep("npm", "lodash", "4.17.21", true), nil},
		{dep("npm", "lodash", "4.17.21-rc.1", true), []want{{"GHSA-35jh-r3h4-6jhm", "4.17.21"}}}, // prerelease sorts below
		{dep("npm", "Lodash-ES", "1.0.0", true), []want{{"GHSA-35jh-r3h4-6jhm", "4.17.21"}}},
		{dep("Maven", "org.apache.logging.log4j:log4j-core", "2.14.1", true), []want{{"GHSA-jfh8-c2jp-5v3q", "2.15.0"}}},
		{dep("Maven", "org.apache.logging.log4j:log4j-core", "2.12.1", true), []want{{"GHSA-jfh8-c2jp-5v3q", "2.12.2"}}},
		{dep("Maven", "org.apache.logging.log4j:log4j-core", "2.12.2", true), nil},
		{dep("Maven", "org.apache.logging.log4j:log4j-core", "2.15.0", true), nil},
		{dep("Maven", "org.apache.logging.log4j:log4j-core", "2.0-beta9", true), []want{{"GHSA-jfh8-c2jp-5v3q", "2.3.1"}}},
		{dep("Maven", "log4j-core", "2.14.1", true), nil}, // Maven names are group:artifact
		{dep("Maven", "com.fasterxml.jackson.core:jackson-databind", "2.9.10.6", true), []want{{"GHSA-288c-cq4h-88gq", "2.9.10.7"}}},
		{dep("Maven", "com.fasterxml.jackson.core:jackson-databind", "2.9.10", true), []want{{"GHSA-288c-cq4h-88gq", "2.9.10.7"}}},
		{dep("Maven", "com.fasterxml.jackson.core:jackson-databind", "2.10.5.1", true), nil},
		{dep("PyPI", "Requests", "2.30.0", true), []want{{"GHSA-j8r2-6x86-q33q", "2.31.0"}}},
		{dep("PyPI", "requests", "2.31.0rc1", true), []want{{"GHSA-j8r2-6x86-q33q", "2.31.0"}}},
		{dep("PyPI", "requests", "2.2.1", true), nil},
		{dep("RubyGems", "actionpack", "6.1.4.5", true), []want{{"GHSA-wh98-p28r-vrc9", "6.1.4.6"}}},
		{dep("RubyGems", "actionpack", "6.1.4.6", true), nil},
		{dep("RubyGems", "actionpack", "4.2.11", true), nil},
		{dep("crates.io", "regex", "1.5.4", true), []want{{"GHSA-m5pq-gvj9-9vr8", "1.5.5"}}},
		{dep("NuGet", "newtonsoft.json", "12.0.3", true), []want{{"GHSA-5crp-9r3c-p9vr", "13.0.1"}}},
		{dep("Go", "gopkg.in/yaml.v2", "v2.2.2", true), []want{{"GO-2020-0036", "2.2.8"}, {"GO-2021-0061", "2.2.3"}, {"GO-2022-0956", "2.2.4"}}},
		{dep("Go", "gopkg.in/yaml.v2", "v2.2.8", true), nil},
		{dep("Go", "golang.org/x/text", "v0.3.3-0.20200430000000-aaaaaaaaaaaa", true), []want{{"GO-2020-0015", "0.3.3"}}}, // pseudo-version below the fix
		{dep("Go", "github.com/docker/distribution", "v2.6.2+incompatible", true), []want{{"GO-2021-0072", "2.7.0-rc.0+incompatible"}}},
		{dep("Go", "github.com/docker/distribution", "v2.7.1+incompatible", true), nil},
		{dep("Go", "k8s.io/kubernetes", "v1.0.0", true), nil}, // withdrawn
	}
	for _, tt := range tests {
		t.Run(tt.dep.Ecosystem+"/"+tt.dep.Name+"@"+tt.dep.Version, func(t *testing.T) {
			var got []want
			for _, f := range ix.Match([]catalog.Dependency{tt.dep}) {
				got = append(got, want{f.AdvisoryID, f.FixedIn})
			}
			less := func(a, b want) bool { return a.id < b.id }
			_ = less
			sortWants := func(w []want) {
				for i := range w {
					for j := i + 1; j < len(w); j++ {
						if w[j].id < w[i].id {
							w[i], w[j] = w[j], w[i]
						}
					}
				}
			}
			sortWants(got)
			if diff := cmp.Diff(tt.want, got, cmp.AllowUnexported(want{})); diff != "" {
				t.Errorf("(-want +got)\n%s", diff)
			}
		})
	}
}

func TestSeverity(t *testing.T) {
	advs := loadTestdata(t)
	got := map[string]catalog.Severity{}
	for _, a := range advs {
		got[a.ID] = a.Severity
	}
	want := map[string]catalog.Severity{
		"GHSA-jfh8-c2jp-5v3q": {Rating: "CRITICAL", Score: 10, Vector: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H"},
		"GHSA-35jh-r3h4-6jhm": {Rating: "HIGH", Score: 7.2, Vector: "CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H"},
		"GHSA-j8r2-6x86-q33q": {Rating: "MEDIUM", Score: 6.1, Vector: "CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:C/C:H/I:N/A:N"},
		"GHSA-5crp-9r3c-p9vr": {Rating: "LOW"}, // database_specific only
		"GO-2020-0036":        {},              // the Go database gives none
	}
	for id, w := range want {
		if diff := cmp.Diff(w, got[id]); diff != "" {
			t.Errorf("%s (-want +got)\n%s", id, diff)
		}
	}
}

func TestCVSS(t *testing.T) {
	tests := []struct {
		vector string
		score  float64
		rating string
	}{
		{"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 9.8, "CRITICAL"},
		{"CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 9.8, "CRITICAL"},
		{"CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:C/C:H/I:N/A:N", 6.1, "MEDIUM"},
		{"CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:N/I:N/A:N", 0, "NONE"},
		// FIRST's CVSS v4.0 examples (calculator values).
		{"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", 9.3, "CRITICAL"},
		{"CVSS:4.0/AV:L/AC:L/AT:N/PR:N/UI:P/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", 8.5, "HIGH"},
		{"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N", 0, "NONE"},
	}
	for _, tt := range tests {
		got, err := CVSS(tt.vector)
		if err != nil {
			t.Errorf("CVSS(%q): %v", tt.vector, err)
			continue
		}
		if got.Score != tt.score || got.Rating != tt.rating {
			t.Errorf("CVSS(%q) = %v %s, want %v %s", tt.vector, got.Score, got.Rating, tt.score, tt.rating)
		}
	}
	for _, bad := range []string{"", "AV:N/AC:L/Au:N/C:P/I:P/A:P", "CVSS:3.1/AV:X", "CVSS:4.0/AV:N", strings.Repeat("CVSS:3.1/", 100)} {
		if _, err := CVSS(bad); err == nil {
			t.Errorf("CVSS(%q): no error", bad)
		}
	}
}

// TestRanges covers the OSV range semantics on synthetic records.
func TestRanges(t *testing.T) {
	rec := func(affected string) catalog.Advisory {
		raw := `{"id":"T-1","modified":"2024-01-01T00:00:00Z","affected":[` + affected + `]}`
		r, _, err := Parse([]byte(raw))
		if err != nil {
			t.Fatalf("%s: %v", raw, err)
		}
		return r.Catalog([]byte(raw))
	}
	pkg := `"package":{"ecosystem":"npm","name":"p"}`
	tests := []struct {
		name, affected string
		in, out        []string
		fixed          map[string]string
	}{
		{"introduced-fixed", `{` + pkg + `,"ranges":[{"type":"SEMVER","events":[{"introduced":"1.0.0"},{"fixed":"1.2.0"}]}]}`,
			[]string{"1.0.0", "1.1.9"}, []string{"0.9.0", "1.2.0", "2.0.0"}, map[string]string{"1.1.0": "1.2.0"}},
		{"introduced-0", `{` + pkg + `,"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"1.0.0"}]}]}`,
			[]string{"0.0.1", "0.9.9"}, []string{"1.0.0"}, nil},
		{"last_affected", `{` + pkg + `,"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"1.0.0"},{"last_affected":"1.5.0"}]}]}`,
			[]string{"1.0.0", "1.5.0"}, []string{"1.5.1", "0.1.0"}, map[string]string{"1.5.0": ""}},
		{"no-fix", `{` + pkg + `,"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"2.0.0"}]}]}`,
			[]string{"2.0.0", "99.0.0"}, []string{"1.9.9"}, nil},
		{"two-intervals-one-range", `{` + pkg + `,"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"1.0.1"},{"introduced":"2.0.0"},{"fixed":"2.0.3"}]}]}`,
			[]string{"1.0.0", "2.0.2"}, []string{"1.0.1", "1.5.0", "2.0.3"}, map[string]string{"1.0.0": "1.0.1", "2.0.0": "2.0.3"}},
		{"multiple-ranges-smallest-fix", `{` + pkg + `,"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"1.4.0"}]},{"type":"ECOSYSTEM","events":[{"introduced":"1.0.0"},{"fixed":"1.2.0"}]}]}`,
			[]string{"1.1.0"}, []string{"1.4.0"}, map[string]string{"1.1.0": "1.2.0", "1.3.0": "1.4.0"}},
		{"limit", `{` + pkg + `,"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"limit":"3.0.0"}]}]}`,
			[]string{"2.9.9"}, []string{"3.0.0", "3.1.0"}, nil},
		{"versions-list", `{` + pkg + `,"versions":["1.0.0","1.0.2"]}`,
			[]string{"1.0.0", "1.0.2"}, []string{"1.0.1"}, nil},
		{"unordered-events", `{` + pkg + `,"ranges":[{"type":"ECOSYSTEM","events":[{"fixed":"1.2.0"},{"introduced":"1.0.0"}]}]}`,
			[]string{"1.1.0"}, []string{"1.2.0", "0.5.0"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ix := NewIndex([]catalog.Advisory{rec(tt.affected)})
			for _, v := range tt.in {
				if fs := ix.Match([]catalog.Dependency{dep("npm", "p", v, true)}); len(fs) != 1 {
					t.Errorf("%s: %d findings, want 1", v, len(fs))
				}
			}
			for _, v := range tt.out {
				if fs := ix.Match([]catalog.Dependency{dep("npm", "p", v, true)}); len(fs) != 0 {
					t.Errorf("%s: affected, want not", v)
				}
			}
			for v, want := range tt.fixed {
				fs := ix.Match([]catalog.Dependency{dep("npm", "p", v, true)})
				if len(fs) != 1 || fs[0].FixedIn != want {
					t.Errorf("%s: fixed in %v, want %q", v, fs, want)
				}
			}
		})
	}
}

func TestAliasesMerge(t *testing.T) {
	raw := func(id, alias string) catalog.Advisory {
		s := `{"id":"` + id + `","modified":"2024-01-01T00:00:00Z","aliases":["` + alias + `"],"affected":[{"package":{"ecosystem":"Go","name":"example.com/m"},"ranges":[{"type":"SEMVER","events":[{"introduced":"0"},{"fixed":"1.2.0"}]}]}]}`
		r, _, err := Parse([]byte(s))
		if err != nil {
			t.Fatal(err)
		}
		return r.Catalog([]byte(s))
	}
	ix := NewIndex([]catalog.Advisory{raw("GO-2024-0001", "CVE-2024-1"), raw("GHSA-aaaa-bbbb-cccc", "CVE-2024-1")})
	fs := ix.Match([]catalog.Dependency{dep("Go", "example.com/m", "v1.1.0", true)})
	if len(fs) != 1 {
		t.Fatalf("%d findings, want the CVE and its two records as one", len(fs))
	}
	if diff := cmp.Diff([]string{"GHSA-aaaa-bbbb-cccc", "CVE-2024-1", "GO-2024-0001"}, fs[0].IDs()); diff != "" {
		t.Errorf("ids (-want +got)\n%s", diff)
	}
}

func TestViaAndSuppress(t *testing.T) {
	ix := NewIndex(loadTestdata(t))
	deps := []catalog.Dependency{
		{Ecosystem: "npm", Name: "app-lib", Version: "1.0.0", PURL: "pkg:npm/app-lib@1.0.0", Direct: true, Manifest: "package-lock.json", DependsOn: []string{"pkg:npm/mid@2.0.0"}},
		{Ecosystem: "npm", Name: "mid", Version: "2.0.0", PURL: "pkg:npm/mid@2.0.0", Manifest: "package-lock.json", DependsOn: []string{"pkg:npm/lodash@4.17.15"}},
		{Ecosystem: "npm", Name: "lodash", Version: "4.17.15", PURL: "pkg:npm/lodash@4.17.15", Manifest: "package-lock.json"},
		{Ecosystem: "Maven", Name: "org.apache.logging.log4j:log4j-core", Version: "2.14.1", Direct: true, Manifest: "pom.xml"},
		{Ecosystem: "npm", Name: "lodash", Version: "^4.17.0", Constraint: true, Direct: true, Manifest: "package.json"},
	}
	fs := ix.Match(deps)
	if len(fs) != 2 {
		t.Fatalf("%d findings, want 2: %+v", len(fs), fs)
	}
	if fs[0].AdvisoryID != "GHSA-jfh8-c2jp-5v3q" || fs[1].Via != "app-lib@1.0.0" || fs[1].Direct {
		t.Errorf("findings %+v", fs)
	}
	now := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	Suppress(fs, []Ignore{
		{ID: "CVE-2021-44228", Reason: "not reachable", Expires: now.Add(-time.Hour)}, // expired
		{Package: "pkg:npm/lodash", ID: "GHSA-35jh-r3h4-6jhm", Reason: "template unused", ApprovedBy: "sec"},
	}, now)
	if fs[0].Suppressed || !fs[1].Suppressed || fs[1].Reason != "template unused (approved by sec)" {
		t.Errorf("suppression %+v", fs)
	}
}

// TestBadInput checks that broken files are skipped, counted by reason,
// and the rest imported.
func TestBadInput(t *testing.T) {
	dir := t.TempDir()
	// A zip bomb: one entry expanding far beyond the record cap.
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	w, _ := zw.Create("bomb.json")
	w.Write(bytes.Repeat([]byte(" "), 64<<20))
	w, _ = zw.Create("ok.json")
	good, _ := os.ReadFile("testdata/osv/GHSA-35jh-r3h4-6jhm.json")
	w.Write(good)
	zw.Close()
	if err := os.WriteFile(filepath.Join(dir, "all.zip"), b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	advs, rep, err := Load([]string{"testdata/broken", filepath.Join(dir, "all.zip"), "testdata/osv/GO-2020-0036.json"})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int{
		ReasonBadZip:     1,
		ReasonMalformed:  1,
		ReasonUnknownEco: 1,
		ReasonUnparsable: 1,
		ReasonGitRange:   1,
		ReasonTooLarge:   1,
	}
	if diff := cmp.Diff(want, rep.Skipped); diff != "" {
		t.Errorf("skipped (-want +got)\n%s\n%s", diff, rep.String())
	}
	var ids []string
	for _, a := range advs {
		ids = append(ids, a.ID)
	}
	if diff := cmp.Diff([]string{"GHSA-35jh-r3h4-6jhm", "GO-2020-0036"}, ids); diff != "" {
		t.Errorf("imported (-want +got)\n%s", diff)
	}
}

// A rule naming projects suppresses findings of those projects only; one
// naming none, of every project.
func TestForProject(t *testing.T) {
	all := Ignore{ID: "GHSA-1", Reason: "everywhere"}
	mine := Ignore{ID: "GHSA-2", Reason: "request #3", Projects: []string{"github.com/acme/app"}}
	for _, tc := range []struct {
		key  string
		want []string
	}{
		{"github.com/acme/app", []string{"everywhere", "request #3"}},
		{"github.com/acme/other", []string{"everywhere"}},
	} {
		var got []string
		for _, r := range ForProject([]Ignore{all, mine}, tc.key) {
			got = append(got, r.Reason)
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("ForProject(%s) = %v, want %v", tc.key, got, tc.want)
		}
	}
}
