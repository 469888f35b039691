package analyze

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/config"
)

func git(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1",
		"GIT_AUTHOR_NAME=Ann", "GIT_AUTHOR_EMAIL=ann@example.com", "GIT_COMMITTER_NAME=CI", "GIT_COMMITTER_EMAIL=ci@example.com",
		"GIT_AUTHOR_DATE=2024-05-01T10:00:00Z", "GIT_COMMITTER_DATE=2024-05-01T10:00:00Z")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %v: %v\n%s", args, err, out)
	}
	return strings.TrimSpace(string(out))
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

const lock = `{"name":"app","version":"1.0.0","lockfileVersion":3,"packages":{
"":{"name":"app","version":"1.0.0","dependencies":{"lodash":"4.17.20"%s}},
"node_modules/lodash":{"version":"4.17.20","license":"MIT"}%s}}`

// advisories is an in-memory advisory source.
type advisories []catalog.Advisory

func (a advisories) AdvisoriesFor(_ context.Context, pkgs []catalog.PackageRef) ([]catalog.Advisory, error) {
	var out []catalog.Advisory
	for _, adv := range a {
		for _, af := range adv.Packages {
			for _, p := range pkgs {
				if af == p {
					out = append(out, adv)
				}
			}
		}
	}
	return out, nil
}

// TestSources analyses one repository whose work tree adds an uncommitted
// GPL dependency: its committed HEAD, its first commit and its work tree
// each give their own dependencies, and every analysis follows them.
func TestSources(t *testing.T) {
	dir := t.TempDir()
	git(t, dir, "init", "-q", "-b", "main")
	write(t, filepath.Join(dir, "package-lock.json"), strings.ReplaceAll(strings.Replace(lock, "%s", "", 1), "%s", ""))
	write(t, filepath.Join(dir, "LICENSE"), "MIT License\n\nCopyright (c) 2024 Acme\n")
	git(t, dir, "add", "-A")
	git(t, dir, "commit", "-q", "-m", "one")
	first := git(t, dir, "rev-parse", "HEAD")
	write(t, filepath.Join(dir, "README.md"), "# app\n")
	git(t, dir, "add", "-A")
	git(t, dir, "commit", "-q", "-m", "two")
	// Uncommitted: a GPL dependency.
	write(t, filepath.Join(dir, "package-lock.json"), strings.Replace(strings.Replace(lock, "%s", `,"gpl-lib":"1.0.0"`, 1), "%s",
		`,"node_modules/gpl-lib":{"version":"1.0.0","license":"GPL-3.0-only"}`, 1))

	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	adv := advisories{{ID: "GHSA-test", Summary: "prototype pollution", Severity: catalog.Severity{Rating: "HIGH"},
		Packages: []catalog.PackageRef{{Ecosystem: "npm", Name: "lodash"}},
		Raw: []byte(`{"id":"GHSA-test","summary":"prototype pollution","affected":[{"package":{"ecosystem":"npm","name":"lodash"},` +
			`"ranges":[{"type":"SEMVER","events":[{"introduced":"0"},{"fixed":"4.17.21"}]}]}]}`)}}
	an, err := New(Options{Advisories: adv, AdvisoriesKnown: true, Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name       string
		target     Target
		deps       []string
		violations int
		readme     bool
	}{
		{"head", Target{Source: Head}, []string{"pkg:npm/lodash@4.17.20"}, 0, true},
		{"commit", Target{Source: Commit, Commit: first}, []string{"pkg:npm/lodash@4.17.20"}, 0, false},
		{"work tree", Target{Source: WorkTree}, []string{"pkg:npm/gpl-lib@1.0.0", "pkg:npm/lodash@4.17.20"}, 1, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.target.Dir, tt.target.Analyses = dir, All
			res, err := an.Analyze(context.Background(), tt.target)
			if err != nil {
				t.Fatal(err)
			}
			var deps []string
			for _, d := range res.Project.Dependencies {
				deps = append(deps, d.PURL)
			}
			if diff := cmp.Diff(tt.deps, deps); diff != "" {
				t.Errorf("dependencies (-want +got):\n%s", diff)
			}
			if got := res.Licenses.Violations(); got != tt.violations {
				t.Errorf("licence violations = %d, want %d: %+v", got, tt.violations, res.Licenses.Findings)
			}
			if len(res.Vulnerabilities) != 1 || res.Vulnerabilities[0].AdvisoryID != "GHSA-test" {
				t.Errorf("vulnerabilities = %+v, want GHSA-test on lodash", res.Vulnerabilities)
			}
			if (res.Project.Readme != nil) != tt.readme {
				t.Errorf("README found %v, want %v", res.Project.Readme != nil, tt.readme)
			}
			if res.Project.Commits == 0 {
				t.Errorf("no history mined for the scorecard")
			}
			// The scorecard sees the same dependencies, findings and licences.
			probes := map[string]string{}
			for _, c := range res.Scorecard.Checks {
				for _, f := range c.Findings {
					probes[f.Probe] = f.Outcome
				}
			}
			want := map[bool]string{true: catalog.OutcomePartial, false: catalog.OutcomePass}[tt.violations > 0]
			if probes["dependenciesWithinPolicy"] != want || probes["noKnownVulnerabilities"] != catalog.OutcomePartial {
				t.Errorf("probes = %v, want dependenciesWithinPolicy %s and noKnownVulnerabilities partial", probes, want)
			}
		})
	}
}

// TestNotARepository reads a plain directory as a work tree.
func TestNotARepository(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "go.mod"), "module example.com/x\n\ngo 1.22\n\nrequire github.com/spf13/cobra v1.8.0\n")
	an, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	res, err := an.Analyze(context.Background(), Target{Dir: dir, Source: WorkTree, Analyses: All})
	if err != nil {
		t.Fatal(err)
	}
	if p := res.Project; len(p.Dependencies) == 0 || p.Dependencies[0].Name != "github.com/spf13/cobra" || p.Key != "path:"+dir || p.Name != filepath.Base(dir) || res.Scorecard == nil {
		t.Errorf("project = %+v", p)
	}
	// The committed tree of a directory that is no repository is a problem, not an error.
	res, err = an.Analyze(context.Background(), Target{Dir: dir, Source: Head})
	if err != nil || len(res.Project.Problems) == 0 || res.Project.Problems[0].Kind != catalog.ProblemUnreadable {
		t.Errorf("Head of a plain directory: %v %+v", err, res.Project.Problems)
	}
}

// TestBadConfiguration reports configuration errors as invalid input.
func TestBadConfiguration(t *testing.T) {
	var opts Options
	opts.Config.Scorecard.Custom = append(opts.Config.Scorecard.Custom, customCheck("Bad", "dependencies.exists("))
	if _, err := New(opts); err == nil || !isInvalid(err) {
		t.Errorf("New with a bad CEL check = %v, want an ErrInvalid", err)
	}
	an, _ := New(Options{})
	_, err := an.Analyze(context.Background(), Target{Dir: t.TempDir(), Source: WorkTree, Analyses: Scorecard, CoverageFile: "/nonexistent/cover.out"})
	if err == nil || !isInvalid(err) || !strings.HasPrefix(err.Error(), "--coverage: ") {
		t.Errorf("a missing coverage file = %v, want an ErrInvalid", err)
	}
}

func customCheck(name, expr string) config.CustomCheck {
	return config.CustomCheck{Name: name, Expression: expr}
}

func isInvalid(err error) bool { return errors.Is(err, catalog.ErrInvalid) }

// counting is an advisory source that counts the questions asked.
type counting struct{ asked int }

func (c *counting) AdvisoriesFor(context.Context, []catalog.PackageRef) ([]catalog.Advisory, error) {
	c.asked++
	return nil, nil
}

// TestNoAdvisoriesImported: with no advisory imported, no project's
// packages are looked up (a scan asks nothing per project).
func TestNoAdvisoriesImported(t *testing.T) {
	src := &counting{}
	an, err := New(Options{Advisories: src, AdvisoriesKnown: false})
	if err != nil {
		t.Fatal(err)
	}
	fs, err := an.Vulnerabilities(context.Background(), "p", []catalog.Dependency{{Ecosystem: "npm", Name: "lodash", Version: "4.17.20"}})
	if err != nil || fs != nil || src.asked != 0 {
		t.Errorf("Vulnerabilities = %v, %v after %d questions; want nothing asked", fs, err, src.asked)
	}
}

// TestDocs: the pipeline collects the docs/ pages of the tree it reads
// (the extractor docpages): those committed at HEAD, not the work tree's.
func TestDocs(t *testing.T) {
	dir := t.TempDir()
	git(t, dir, "init", "-q", "-b", "main")
	write(t, filepath.Join(dir, "docs", "guide.md"), "# Operator guide\n\nFeed the wombat daily.\n")
	git(t, dir, "add", "-A")
	git(t, dir, "commit", "-q", "-m", "docs")
	write(t, filepath.Join(dir, "docs", "guide.md"), "# Rewritten\n\nUncommitted.\n")
	an, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	res, err := an.Analyze(context.Background(), Target{Dir: dir, Source: Head})
	if err != nil {
		t.Fatal(err)
	}
	want := []catalog.DocPage{{Name: "guide", Title: "Operator guide", Text: "operator guide\n\n# operator guide\n\nfeed the wombat daily.\n"}}
	if diff := cmp.Diff(want, res.Project.Docs); diff != "" {
		t.Errorf("docs (-want +got):\n%s", diff)
	}
}

// TestInventoryFacts: InventoryFacts reads the identity, description and
// dependencies (the same as AllFacts finds) and nothing else; the licence
// analysis needs every fact and gets them.
func TestInventoryFacts(t *testing.T) {
	dir := t.TempDir()
	git(t, dir, "init", "-q", "-b", "main")
	git(t, dir, "remote", "add", "origin", "https://github.com/acme/app.git")
	write(t, filepath.Join(dir, "package-lock.json"), strings.ReplaceAll(lock, "%s", ""))
	write(t, filepath.Join(dir, "LICENSE"), "MIT License\n\nCopyright (c) 2024 Acme\n")
	write(t, filepath.Join(dir, "README.md"), "# app\n\nAn application that does things.\n")
	write(t, filepath.Join(dir, "src", "main.go"), "// Copyright 2024 Acme\n// SPDX-License-Identifier: MIT\n\npackage main\n")
	git(t, dir, "add", "-A")
	git(t, dir, "commit", "-q", "-m", "one")
	an, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for _, src := range []Source{Head, WorkTree} {
		all, err := an.Analyze(ctx, Target{Dir: dir, Source: src})
		if err != nil {
			t.Fatal(err)
		}
		inv, err := an.Analyze(ctx, Target{Dir: dir, Source: src, Facts: InventoryFacts})
		if err != nil {
			t.Fatal(err)
		}
		a, p := all.Project, inv.Project
		if diff := cmp.Diff(a.Dependencies, p.Dependencies); diff != "" {
			t.Errorf("source %d: dependencies (-all +inventory):\n%s", src, diff)
		}
		if p.Key != "github.com/acme/app" || p.Key != a.Key || p.Name != a.Name || p.RemoteURL != a.RemoteURL || p.HeadCommit != a.HeadCommit ||
			p.Description != "An application that does things." || p.Description != a.Description {
			t.Errorf("source %d: identity or description %q %q %q %q %q, want those of all facts %q %q %q %q %q", src,
				p.Key, p.Name, p.RemoteURL, p.HeadCommit, p.Description, a.Key, a.Name, a.RemoteURL, a.HeadCommit, a.Description)
		}
		if a.License == nil || len(a.Languages) == 0 || a.Readme == nil || len(a.Files) == 0 {
			t.Fatalf("source %d: all facts lack a licence, languages, README or files: %+v", src, a)
		}
		if p.License != nil || len(p.Languages) > 0 || p.Readme != nil || len(p.Files) > 0 || p.Commits > 0 || len(p.Contributors) > 0 {
			t.Errorf("source %d: inventory facts read more: licence %v, languages %v, README %v, files %v, %d commits",
				src, p.License, p.Languages, p.Readme, p.Files, p.Commits)
		}
		lic, err := an.Analyze(ctx, Target{Dir: dir, Source: src, Facts: InventoryFacts, Analyses: Licenses})
		if err != nil {
			t.Fatal(err)
		}
		if lic.Project.License == nil || len(lic.Project.Languages) == 0 {
			t.Errorf("source %d: the licence analysis was given inventory facts only", src)
		}
	}
}
