package pinning

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/extract/workflow"
	"github.com/ospo-project/ospo/internal/repofs"
)

// run extracts from a tree and returns the dependencies read back from the
// facts, the source count and the problems.
func run(t *testing.T, tree repofs.Tree) ([]catalog.PinnedDependency, int, []catalog.Problem) {
	t.Helper()
	facts, probs := Extract(context.Background(), tree)
	var deps []catalog.PinnedDependency
	sources := 0
	for _, f := range facts {
		if f.Kind == catalog.FilePinningSources {
			fmt.Sscan(f.Path, &sources)
			continue
		}
		d, ok := catalog.ParsePinnedDependency(f)
		if !ok {
			t.Fatalf("fact %+v does not read back", f)
		}
		deps = append(deps, d)
	}
	return deps, sources, probs
}

// short renders a dependency as "type pinned|unpinned line".
func short(d catalog.PinnedDependency) string {
	p := "unpinned"
	if d.Pinned {
		p = "pinned"
	}
	return fmt.Sprintf("%s %s %d", d.Type, p, d.Line)
}

func shorts(deps []catalog.PinnedDependency) []string {
	out := []string{}
	for _, d := range deps {
		out = append(out, short(d))
	}
	return out
}

// TestShellRules is the classification of single commands, as a shell
// script: Scorecard's rules for what is pinned.
func TestShellRules(t *testing.T) {
	tests := []struct {
		script string
		want   []string
	}{
		// npm: only `npm ci`, or a git package at a commit, is pinned.
		{"npm install", []string{"npmCommand unpinned 1"}},
		{"npm i -g npm@latest", []string{"npmCommand unpinned 1"}},
		{"npm update", []string{"npmCommand unpinned 1"}},
		{"npm install-test", []string{"npmCommand unpinned 1"}},
		{"npm ci", []string{"npmCommand pinned 1"}},
		{"sudo npm ci --ignore-scripts", []string{"npmCommand pinned 1"}},
		{"npm install git+https://github.com/a/b.git#" + strings.Repeat("a1", 20), []string{"npmCommand pinned 1"}},
		{"npm install github:a/b#main", []string{"npmCommand unpinned 1"}},
		{"npm run build", nil},
		{"npx something", nil},
		// pip.
		{"pip install requests", []string{"pipCommand unpinned 1"}},
		{"pip3 install -r requirements.txt", []string{"pipCommand unpinned 1"}},
		{"pip install --require-hashes -r requirements.txt", []string{"pipCommand pinned 1"}},
		{"pip install -r requirements.txt --require-hashes", []string{"pipCommand pinned 1"}},
		{"python -m pip install --upgrade pip", []string{"pipCommand unpinned 1"}},
		{"python3 -m pip install --require-hashes -r r.txt", []string{"pipCommand pinned 1"}},
		{"python3.11 -m pip install x", nil}, // Scorecard knows python, python3, python2.7
		{"pip install dist/pkg-1.0-py3-none-any.whl", []string{"pipCommand pinned 1"}},
		{"pip install dist/pkg.whl other", []string{"pipCommand unpinned 1"}},
		{"pip install -e .", []string{"pipCommand unpinned 1"}},
		{"pip install --no-deps -e .", []string{"pipCommand pinned 1"}},
		{"pip install --no-deps -e git+https://github.com/a/b.git@" + strings.Repeat("0f", 20) + "#egg=b", []string{"pipCommand pinned 1"}},
		{"pip install --no-deps -e git+https://github.com/a/b.git@main#egg=b", []string{"pipCommand unpinned 1"}},
		{"pip install", []string{"pipCommand unpinned 1"}},
		{"pip download x", nil},
		// go.
		{"go install github.com/kyoh86/richgo@latest", []string{"goCommand unpinned 1"}},
		{"go install golang.org/x/tools/cmd/goimports@v0.20.0", []string{"goCommand pinned 1"}},
		{"go install example.com/a/b@" + strings.Repeat("c", 40), []string{"goCommand pinned 1"}},
		{"go get -u github.com/a/b", []string{"goCommand unpinned 1"}},
		{"go get -insecure github.com/a/b@v1.2.3", []string{"goCommand unpinned 1"}},
		{"go get github.com/a/b@none", []string{"goCommand pinned 1"}},
		{"go install -v ./...", []string{"goCommand pinned 1"}},
		{"go get -d -v", []string{"goCommand pinned 1"}},
		{"go install", nil},
		{"go build ./...", nil},
		// choco, nuget, dotnet, msbuild.
		{"choco install x", []string{"chocoCommand unpinned 1"}},
		{"choco install x --requirechecksums", []string{"chocoCommand pinned 1"}},
		{"nuget install X", []string{"nugetCommand unpinned 1"}},
		{"nuget install X -Version 1.0.0", []string{"nugetCommand pinned 1"}},
		{"nuget install packages.config", []string{"nugetCommand pinned 1"}},
		{"dotnet add package X", []string{"nugetCommand unpinned 1"}},
		{"dotnet add app.csproj package X --version 1.2.3", []string{"nugetCommand pinned 1"}},
		{"dotnet restore", []string{"nugetCommand unpinned 1"}},
		{"dotnet restore --locked-mode", []string{"nugetCommand pinned 1"}},
		{"nuget restore x.sln -LockedMode", []string{"nugetCommand pinned 1"}},
		{"msbuild /t:restore", []string{"nugetCommand unpinned 1"}},
		{"msbuild /t:restore /p:RestoreLockedMode=true", []string{"nugetCommand pinned 1"}},
		// Download, then run.
		{"curl -sSL https://example.com/install.sh | bash", []string{"downloadThenRun unpinned 1"}},
		{"curl -fsSL https://bun.sh/install | sudo bash -s", []string{"downloadThenRun unpinned 1"}},
		{"wget -qO- https://x.example/i.sh | sh -", []string{"downloadThenRun unpinned 1"}},
		{"curl https://x.example/a.py | python3", []string{"downloadThenRun unpinned 1"}},
		{"curl $URL | bash", []string{"downloadThenRun unpinned 1"}}, // no URL to judge: unpinned
		{"curl https://raw.githubusercontent.com/o/r/" + strings.Repeat("ab", 20) + "/i.sh | bash", nil},
		{"curl https://raw.githubusercontent.com/o/r/main/i.sh | bash", []string{"downloadThenRun unpinned 1"}},
		{"curl https://x.example/data.json | jq .", nil},
		{"bash <(curl -s https://x.example/i.sh)", []string{"downloadThenRun unpinned 1"}},
		{"curl -s https://x.example/i.sh > /tmp/i.sh\nbash /tmp/i.sh", []string{"downloadThenRun unpinned 2"}},
		{"wget https://x.example/get.sh\nsh get.sh", []string{"downloadThenRun unpinned 2"}},
		{"wget -O /tmp/x https://x.example/x\nchmod +x /tmp/x\n/tmp/x", []string{"downloadThenRun unpinned 3"}},
		{"curl -s https://x.example/i.sh > i.sh\ncat i.sh", nil},
		{"aws s3api get-object --bucket b --key k/run.sh run.sh\nbash run.sh", []string{"downloadThenRun unpinned 2"}},
		// Commands inside sh -c and inside control structures count.
		{`bash -c "npm install"`, []string{"npmCommand unpinned 1"}},
		{`sh -ec 'curl https://x.example/i | sh'`, []string{"downloadThenRun unpinned 1"}},
		{"if true; then\n  npm ci\nfi\nfor p in a b; do pip install $p; done", []string{"npmCommand pinned 2", "pipCommand unpinned 4"}},
		{"FOO=1 npm install && (cd web && npm ci)", []string{"npmCommand unpinned 1", "npmCommand pinned 1"}},
		{"x=$(pip install y)", []string{"pipCommand unpinned 1"}},
		// Comments and strings are not commands.
		{"# npm install\necho 'npm install'", nil},
	}
	for _, tt := range tests {
		deps, _, probs := run(t, repofs.MemTree{"ci/build.sh": tt.script})
		if len(probs) > 0 {
			t.Errorf("%q: problems %v", tt.script, probs)
		}
		got := shorts(deps)
		if !slices.Equal(got, append([]string{}, tt.want...)) {
			t.Errorf("%q:\n got %q\nwant %q", tt.script, got, tt.want)
		}
	}
}

// TestScorecardTestdata runs Scorecard's own test files and expects the
// counts its tests expect.
func TestScorecardTestdata(t *testing.T) {
	tests := []struct {
		file     string
		types    []string // the kinds Scorecard's test counts
		unpinned int
		problems int
	}{
		// checks/raw TestDockerfileScriptDownload (RUN only).
		{"Dockerfile-curl-sh", runTypes, 5, 0},
		{"Dockerfile-empty", runTypes, 0, 0},
		{"Dockerfile-comments", runTypes, 0, 0},
		{"Dockerfile-wget-bin-sh", runTypes, 4, 0},
		{"Dockerfile-script-ok", runTypes, 0, 0},
		{"Dockerfile-curl-file-sh", runTypes, 12, 0},
		{"Dockerfile-proc-subs", runTypes, 6, 0},
		{"Dockerfile-wget-file", runTypes, 10, 0},
		{"Dockerfile-gsutil-file", runTypes, 17, 0},
		{"Dockerfile-aws-file", runTypes, 15, 0},
		{"Dockerfile-pkg-managers", runTypes, 63, 0},
		{"Dockerfile-some-python", runTypes, 1, 0},
		{"Dockerfile-not-pinned-with-parser-error", runTypes, 2, 1}, // curl bla | bash is in a RUN that does not parse
		{"Dockerfile-no-curl-sh", runTypes, 0, 0},
		// TestDockerfilePinning and TestDockerfilePinningWithoutHash (FROM only).
		{"Dockerfile-not-pinned-with-parser-error", fromTypes, 1, 1},
		{"Dockerfile-pinned-as-without-hash", fromTypes, 4, 0},
		{"Dockerfile-args", fromTypes, 2, 0},
		{"Dockerfile-base", fromTypes, 0, 0},
		{"Dockerfile-pinned", fromTypes, 0, 0},
		{"Dockerfile-pinned-as", fromTypes, 0, 0},
		{"Dockerfile-pinned-arg", fromTypes, 0, 0},
		{"Dockerfile-from-scratch", fromTypes, 0, 0},
		{"Dockerfile-not-pinned-as", fromTypes, 2, 0},
		// TestShellScriptDownload.
		{"script-sh", runTypes, 7, 0},
		{"script-empty.sh", runTypes, 0, 0},
		{"script-comments.sh", runTypes, 0, 0},
		{"script-bash", runTypes, 11, 0},
		{"script.sh", runTypes, 7, 0},
		{"script-pkg-managers", runTypes, 56, 0},
		{"script-invalid.sh", runTypes, 0, 1},
		{"script-wget-pinned", runTypes, 0, 0},
		{"script-free-from-download.sh", runTypes, 0, 0},
		// TestGitHubWorkflowPkgManagerPinning and TestGitHubWorkflowShell…
		{"workflows/github-workflow-pkg-managers.yaml", runTypes, 52, 0},
		{"workflows/github-workflow-unknown-os.yaml", runTypes, 1, 0},
		{"workflows/github-workflow-curl-default.yaml", runTypes, 1, 0},
		{"workflows/github-workflow-curl-no-default.yaml", runTypes, 1, 0},
		{"workflows/github-workflow-wget-across-steps.yaml", runTypes, 2, 0},
	}
	for _, tt := range tests {
		content, err := os.ReadFile(filepath.Join("testdata", "scorecard", tt.file))
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Base(tt.file)
		if strings.HasPrefix(tt.file, "workflows/") {
			p = ".github/workflows/" + p
		}
		deps, _, probs := run(t, repofs.MemTree{p: string(content)})
		unpinned := 0
		for _, d := range deps {
			if !d.Pinned && slices.Contains(tt.types, d.Type) {
				unpinned++
			}
		}
		if unpinned != tt.unpinned || len(probs) != tt.problems {
			t.Errorf("%s %v: %d unpinned, %d problems %v; want %d, %d\n%q", tt.file, tt.types, unpinned, len(probs), probs,
				tt.unpinned, tt.problems, shorts(deps))
		}
	}
}

var (
	fromTypes = []string{catalog.PinContainerImage}
	runTypes  = []string{catalog.PinDownloadThenRun, catalog.PinGoCommand, catalog.PinPipCommand, catalog.PinNpmCommand,
		catalog.PinChocoCommand, catalog.PinNugetCommand}
)

// TestLines checks locations against the ranges Scorecard's tests expect
// of its *-download-lines and heredoc files (download-then-run findings;
// its tests check that each listed one is found): each lies in one of our
// findings' lines (ours is the exact line of a command, where Scorecard
// gives a multi-line RUN's range).
func TestLines(t *testing.T) {
	tests := []struct {
		file, path string
		ranges     [][2]int
	}{
		{"Dockerfile-download-lines", "Dockerfile", [][2]int{{35, 36}, {41, 42}, {46, 46}, {47, 47}, {48, 48}, {49, 49}, {50, 50},
			{51, 51}, {52, 52}, {60, 60}, {61, 61}, {64, 64}, {68, 68}, {69, 69}, {70, 70}}},
		{"Dockerfile-download-multi-runs", "Dockerfile", [][2]int{{28, 28}, {30, 30}, {32, 34}, {37, 38}}},
		{"Dockerfile-download-heredoc", "Dockerfile", [][2]int{{20, 20}, {24, 24}, {28, 28}, {32, 32}, {36, 36}, {38, 38},
			{42, 43}, {43, 44}, {45, 45}, {50, 52}, {51, 53}}},
		{"shell-download-lines.sh", "x.sh", [][2]int{{6, 6}, {11, 11}, {18, 18}, {20, 20}, {26, 26}, {28, 28}, {30, 30}, {31, 31},
			{38, 38}, {39, 39}, {40, 40}, {41, 41}, {42, 42}, {43, 43}, {44, 44}, {52, 52}, {53, 53}, {56, 56}, {59, 59},
			{63, 63}, {64, 64}, {69, 69}, {70, 70}, {71, 71}}},
		{"workflows/github-workflow-download-lines.yaml", ".github/workflows/w.yaml", [][2]int{{27, 27}, {29, 29}, {32, 32}}},
	}
	for _, tt := range tests {
		content, err := os.ReadFile(filepath.Join("testdata", "scorecard", tt.file))
		if err != nil {
			t.Fatal(err)
		}
		deps, _, probs := run(t, repofs.MemTree{tt.path: string(content)})
		if len(probs) > 0 {
			t.Errorf("%s: problems %v", tt.file, probs)
		}
		var lines []int
		for _, d := range deps {
			if d.Type != catalog.PinContainerImage {
				lines = append(lines, d.Line)
			}
		}
		used := make([]bool, len(lines))
		for _, r := range tt.ranges {
			found := false
			for i, l := range lines {
				if !used[i] && l >= r[0] && l <= r[1] {
					used[i], found = true, true
					break
				}
			}
			if !found {
				t.Errorf("%s: no finding in lines %d-%d (ours: %v)", tt.file, r[0], r[1], lines)
			}
		}
	}
}

// TestWorkflowShells checks which shell runs each run step, on Scorecard's
// test workflows and the shells its tests expect.
func TestWorkflowShells(t *testing.T) {
	rep := func(s string, n int) []string { return slices.Repeat([]string{s}, n) }
	tests := map[string][]string{
		"all-windows-bash":                 {"bash"},
		"all-windows-matrix":               {"pwsh"},
		"all-windows-matrix-include":       {"pwsh"},
		"all-windows-matrix-include-empty": {"pwsh"},
		"all-windows":                      {"pwsh"},
		"default-macos":                    {"bash"},
		"default-ubuntu":                   {"bash"},
		"default-windows":                  {"pwsh"},
		"runner-windows-ubuntu":            append(rep("pwsh", 7), rep("bash", 4)...),
		"specified-job-step":               {"bash"},
		"specified-job-windows":            {"bash"},
		"specified-job":                    {"pwsh"},
		"specified-step":                   {"pwsh"},
		"two-shells":                       {"bash", "pwsh"},
		"windows-bash":                     {"bash", "bash"},
	}
	for name, want := range tests {
		content, err := os.ReadFile(filepath.Join("testdata", "scorecard", "shells", "github-workflow-shells-"+name+".yaml"))
		if err != nil {
			t.Fatal(err)
		}
		root, err := workflow.Parse(content)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		_, jobs := workflow.Pairs(workflow.MapValue(root, "jobs"))
		for _, job := range jobs {
			for _, step := range workflow.Seq(workflow.MapValue(job, "steps")) {
				if workflow.MapValue(step, "run") == nil {
					continue
				}
				sh, ok := stepShell(step, job, runShell(job), runShell(root))
				if !ok {
					sh = "?"
				}
				got = append(got, sh)
			}
		}
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("%s: shells %q, want %q", name, got, want)
		}
	}
}

// TestRealWorld runs files of public projects, each placed where it lives
// in its repository, and expects what Scorecard found in those
// repositories (docs/scorecards.md), at the exact lines.
func TestRealWorld(t *testing.T) {
	tests := []struct {
		file, path string
		want       []string
	}{
		{"express-ci.yml", ".github/workflows/ci.yml", []string{"npmCommand unpinned 39", "npmCommand unpinned 71"}},
		{"express-legacy.yml", ".github/workflows/legacy.yml", []string{"npmCommand unpinned 55"}},
		{"core-release.yml", ".github/workflows/release.yml", []string{"npmCommand unpinned 41"}},
		{"cobra-test.yml", ".github/workflows/test.yml", []string{"goCommand unpinned 90", "goCommand unpinned 91"}},
		{"phoenix-npm-publish.yml", ".github/workflows/npm-publish.yml", []string{"npmCommand unpinned 26"}},
		{"phoenix-ci.yml", ".github/workflows/ci.yml", []string{"npmCommand pinned 145"}},
		{"phoenix-Dockerfile.eex", "priv/templates/phx.gen.release/Dockerfile.eex", []string{"containerImage unpinned 27", "containerImage unpinned 77"}},
		{"flask-on-create-command.sh", ".devcontainer/on-create-command.sh", []string{"pipCommand unpinned 5", "pipCommand unpinned 6"}},
		{"rails-release.yml", ".github/workflows/release.yml", []string{"npmCommand unpinned 31"}},
		{"ripgrep-ci.yml", ".github/workflows/ci.yml", nil},
		{"spring-petclinic-Dockerfile", ".devcontainer/Dockerfile", []string{"containerImage unpinned 3"}},
		// An ERB template: some RUNs do not parse as shell (not problems:
		// it is a template), the others are read; Scorecard reports the same
		// findings.
		{"rails-Dockerfile.tt", "railties/lib/rails/generators/rails/app/templates/Dockerfile.tt", []string{
			"containerImage unpinned 12", "containerImage unpinned 31", "npmCommand unpinned 51",
			"downloadThenRun unpinned 60", "containerImage unpinned 110"}},
	}
	for _, tt := range tests {
		content, err := os.ReadFile(filepath.Join("testdata", "real", tt.file))
		if err != nil {
			t.Fatal(err)
		}
		deps, sources, probs := run(t, repofs.MemTree{tt.path: string(content)})
		if sources != 1 {
			t.Errorf("%s: %d sources, want 1", tt.file, sources)
		}
		for _, p := range probs { // a template's RUNs that do not parse are not problems either
			t.Errorf("%s: problem %v", tt.file, p)
		}
		for _, d := range deps {
			if d.Path != tt.path || d.Snippet == "" {
				t.Errorf("%s: %+v", tt.file, d)
			}
		}
		if got := shorts(deps); !slices.Equal(got, append([]string{}, tt.want...)) {
			t.Errorf("%s:\n got %q\nwant %q", tt.file, got, tt.want)
		}
	}
}

// TestFileSelection checks which files are read, and as what.
func TestFileSelection(t *testing.T) {
	tests := []struct {
		path, content string
		read          bool
	}{
		{".github/workflows/ci.yml", "jobs: {a: {runs-on: x, steps: [{run: npm install}]}}", true},
		{".GitHub/Workflows/ci.yaml", "jobs: {a: {runs-on: x, steps: [{run: npm install}]}}", true},
		{"sub/.github/workflows/ci.yml", "jobs: {a: {runs-on: x, steps: [{run: npm install}]}}", false}, // GitHub runs root workflows only
		{".github/workflows/ci.json", "{}", false},
		{"Dockerfile", "FROM node\n", true},
		{"build/app.dockerfile", "FROM node\n", true},
		{"Containerfile", "FROM node\n", true},
		{"docker/Dockerfile.prod", "FROM node\n", true},
		{"Dockerfile.go", "package main\n", false},
		{"vendor/x/Dockerfile", "FROM node\n", false},
		{"third_party/Dockerfile", "FROM node\n", false},
		{"testdata/Dockerfile", "FROM node\n", false},
		{"a/testdata/Dockerfile", "FROM node\n", false},
		{"src/test/resources/Dockerfile", "FROM node\n", false},
		{"Dockerfile.sh", "#!/bin/sh\nnpm install\n", true}, // a shell script
		{"scripts/install.sh", "npm install\n", true},
		{"scripts/install.bash", "npm install\n", true},
		{"bin/setup", "#!/usr/bin/env bash\nnpm install\n", true},
		{"bin/setup", "#!/bin/sh -e\nnpm install\n", true},
		{"bin/setup", "#!/usr/bin/env python\nprint(1)\n", false},
		{"bin/setup", "npm install\n", false}, // no extension, no shebang
		{"x.sh", "#!/usr/bin/env python3\nprint(1)\n", false},
		{"x.sh", "#!/bin/zsh\nnpm install\n", false},
		{"Makefile", "install:\n\tnpm install\n", false},
		{"README.md", "    npm install\n", false},
	}
	for _, tt := range tests {
		deps, sources, probs := run(t, repofs.MemTree{tt.path: tt.content})
		if (sources == 1) != tt.read || len(probs) > 0 {
			t.Errorf("%s: %d sources %v, problems %v; want read %v", tt.path, sources, shorts(deps), probs, tt.read)
		}
		if tt.read && len(deps) == 0 && tt.content != "{}" {
			t.Errorf("%s: nothing found", tt.path)
		}
	}
}

// TestDockerfile covers the Dockerfile forms: continuation lines, comments
// inside them, flags, the exec form, heredocs, ARG substitution, stages.
func TestDockerfile(t *testing.T) {
	digest := "@sha256:" + strings.Repeat("0a", 32)
	tests := []struct {
		content string
		want    []string
	}{
		{"FROM golang:1.26" + digest + " AS build\nFROM build\nFROM scratch AS s\nFROM s\n",
			[]string{"containerImage pinned 1", "containerImage pinned 2", "containerImage pinned 4"}},
		{"FROM node:20 AS base\nFROM base AS build\nFROM base\n",
			[]string{"containerImage unpinned 1", "containerImage unpinned 2", "containerImage unpinned 3"}},
		{"ARG IMG=node:20" + digest + "\nFROM ${IMG}\nFROM --platform=$BUILDPLATFORM alpine:3\n",
			[]string{"containerImage pinned 2", "containerImage unpinned 3"}},
		{"FROM x@sha256:${DIGEST}\n", []string{"containerImage pinned 1"}},
		{"FROM a b\n", nil}, // malformed: not judged
		{"FROM node:20" + digest + "\nRUN apt-get update && \\\n    # a comment\n\n    pip install flask && \\\n    npm ci\n",
			[]string{"containerImage pinned 1", "pipCommand unpinned 5", "npmCommand pinned 6"}},
		{"FROM x" + digest + "\nRUN --mount=type=cache,target=/root/.cache \\\n    pip install -r requirements.txt\n",
			[]string{"containerImage pinned 1", "pipCommand unpinned 3"}},
		{"FROM x" + digest + "\nRUN [\"npm\", \"install\"]\n", []string{"containerImage pinned 1", "npmCommand unpinned 2"}},
		{"FROM x" + digest + "\nRUN <<EOF\nset -e\ncurl -s https://x.example/i.sh | sh\nEOF\nRUN npm ci\n",
			[]string{"containerImage pinned 1", "downloadThenRun unpinned 4", "npmCommand pinned 6"}},
		{"FROM x" + digest + "\nRUN cat <<EOF > /etc/motd\nnpm install\nEOF\n", []string{"containerImage pinned 1"}},
		{"FROM x" + digest + "\nRUN curl -o /tmp/i.sh https://x.example/i.sh > /tmp/i.sh\nRUN sh /tmp/i.sh\n",
			[]string{"containerImage pinned 1", "downloadThenRun unpinned 3"}},
		{"# escape=`\nFROM mcr.microsoft.com/windows" + digest + "\nRUN choco install git `\n    --requirechecksums\n",
			[]string{"containerImage pinned 2", "chocoCommand pinned 3"}},
		{"# only comments\n\n# here\n", nil},
	}
	for _, tt := range tests {
		deps, _, probs := run(t, repofs.MemTree{"Dockerfile": tt.content})
		if len(probs) > 0 {
			t.Errorf("%q: problems %v", tt.content, probs)
		}
		if got := shorts(deps); !slices.Equal(got, append([]string{}, tt.want...)) {
			t.Errorf("%q:\n got %q\nwant %q", tt.content, got, tt.want)
		}
	}
	// Templates' FROM lines are not judged; their RUNs are.
	deps, _, _ := run(t, repofs.MemTree{"Dockerfile.template": "FROM node\nRUN npm install\n"})
	if got := shorts(deps); !slices.Equal(got, []string{"npmCommand unpinned 2"}) {
		t.Errorf("template: %q", got)
	}
}

// TestWorkflow covers workflow forms: block and plain scalars, expressions,
// aliases, job and workflow default shells, Windows steps, files carried
// across a job's steps but not across jobs.
func TestWorkflow(t *testing.T) {
	tests := []struct {
		content string
		want    []string
	}{
		{`jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - run: |
          echo ${{ github.sha }}
          npm install ${{ inputs.pkg }}
      - run: >-
          pip install x
      - run: "go install a.b/c/d@latest"
`, []string{"npmCommand unpinned 7", "pipCommand unpinned 9", "goCommand unpinned 10"}},
		{`defaults: {run: {shell: pwsh}}
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - run: npm install
      - run: npm install
        shell: bash -e {0}
  b:
    runs-on: ubuntu-latest
    defaults: {run: {shell: sh}}
    steps:
      - run: npm ci
`, []string{"npmCommand unpinned 7", "npmCommand pinned 13"}},
		{`jobs:
  win:
    runs-on: [windows-latest]
    steps:
      - run: choco install x
      - run: npm install
        shell: bash
  mixed:
    runs-on: ${{ matrix.os }}
    strategy: {matrix: {os: [ubuntu-latest, windows-latest]}}
    steps:
      - run: npm install
      - if: runner.os == 'Windows'
        run: npm install
  unknown:
    runs-on: ${{ matrix.os }}
    steps:
      - run: npm install
`, []string{"npmCommand unpinned 6", "npmCommand unpinned 12"}},
		{`jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - run: wget https://x.example/i.sh
      - run: sh i.sh
  b:
    runs-on: ubuntu-latest
    steps:
      - run: sh i.sh
`, []string{"downloadThenRun unpinned 6"}},
		{`x: &steps
  - run: npm install
jobs:
  a: &job
    runs-on: ubuntu-latest
    steps: *steps
  b: *job
`, []string{"npmCommand unpinned 2", "npmCommand unpinned 2"}},
		{"on: push\n", nil},
		{"# nothing\n", nil},
	}
	for _, tt := range tests {
		deps, _, probs := run(t, repofs.MemTree{".github/workflows/w.yml": tt.content})
		if len(probs) > 0 {
			t.Errorf("%q: problems %v", tt.content, probs)
		}
		if got := shorts(deps); !slices.Equal(got, append([]string{}, tt.want...)) {
			t.Errorf("%q:\n got %q\nwant %q", tt.content, got, tt.want)
		}
	}
}

// hostile builds inputs too large, deep or broken to keep as files.
func hostile() map[string]struct {
	tree      repofs.MemTree
	problem   string // a problem message must contain this ("" for none)
	atLeast   int    // dependencies expected at least
	atMost    int
	sourcesLE int
} {
	deepYAML := "jobs: " + strings.Repeat("[", 100_000) + strings.Repeat("]", 100_000) + "\n"
	deepMap := "jobs:\n  a:\n    steps:\n      - run: " + strings.Repeat("{a: ", 20_000) + "1" + strings.Repeat("}", 20_000) + "\n"
	laughs := "a: &a [\"npm install\",\"npm install\",\"npm install\",\"npm install\",\"npm install\",\"npm install\",\"npm install\",\"npm install\",\"npm install\"]\n"
	prev := "a"
	for _, n := range []string{"b", "c", "d", "e", "f", "g", "h", "i"} {
		laughs += n + ": &" + n + " [" + strings.Repeat("*"+prev+",", 8) + "*" + prev + "]\n"
		prev = n
	}
	laughs += "jobs:\n  j:\n    runs-on: ubuntu-latest\n    steps:\n      - run: *i\n      - run: npm install\n"
	manySteps := "jobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n" + strings.Repeat("      - run: npm install\n", 3000)
	// 300 downloads (256 remembered), 400,000 commands that run none of
	// them, then one that does.
	manyTainted := ""
	for i := 0; i < 300; i++ {
		manyTainted += fmt.Sprintf("curl https://x.example/%d > f%03d\n", i, i)
	}
	manyTainted += strings.Repeat("a\n", 400_000) + "sh f001\n"
	inline := "npm install"
	for i := 0; i < 12; i++ {
		inline = "bash -c " + shellQuote(inline)
	}
	return map[string]struct {
		tree      repofs.MemTree
		problem   string
		atLeast   int
		atMost    int
		sourcesLE int
	}{
		"too large": {tree: repofs.MemTree{".github/workflows/big.yml": "# " + strings.Repeat("x", maxFile),
			"Dockerfile": "FROM x\nRUN " + strings.Repeat("a", maxFile)}, problem: "more than the 1048576 read", sourcesLE: 0},
		"deep yaml":      {tree: repofs.MemTree{".github/workflows/deep.yml": deepYAML}, problem: "workflow does not parse", sourcesLE: 1},
		"deep flow map":  {tree: repofs.MemTree{".github/workflows/deep.yml": deepMap}, problem: "", sourcesLE: 1},
		"billion laughs": {tree: repofs.MemTree{".github/workflows/lol.yml": laughs}, atLeast: 1, atMost: 1, sourcesLE: 1},
		"invalid yaml":   {tree: repofs.MemTree{".github/workflows/bad.yml": "jobs: [\n  - {\n"}, problem: "workflow does not parse", sourcesLE: 1},
		"not a mapping":  {tree: repofs.MemTree{".github/workflows/list.yml": "- a\n- b\n"}, problem: "not a mapping", sourcesLE: 1},
		"invalid shell": {tree: repofs.MemTree{".github/workflows/sh.yml": "jobs: {a: {runs-on: x, steps: [{run: 'npm install && (('}, {run: npm install}]}}\n"},
			problem: "run step not analysed", atLeast: 1, atMost: 1, sourcesLE: 1},
		"deep parens": {tree: repofs.MemTree{"x.sh": "echo $((" + strings.Repeat("(", 500_000) + "1" + strings.Repeat(")", 500_000) + "))\nnpm install\n"},
			problem: "nested more than 1000 levels", sourcesLE: 1},
		"deep subshell": {tree: repofs.MemTree{"Dockerfile": "FROM x\nRUN " + strings.Repeat("(", 400_000) + "npm install" + strings.Repeat(")", 400_000) + "\n"},
			problem: "nested more than", atLeast: 1, atMost: 1, sourcesLE: 1},
		"deep keywords": {tree: repofs.MemTree{"x.sh": strings.Repeat("if a; then ", 50_000) + "npm install" + strings.Repeat("; fi", 50_000) + "\n"},
			atLeast: 1, atMost: 1, sourcesLE: 1},
		"long pipeline": {tree: repofs.MemTree{"x.sh": strings.Repeat("a | ", 200_000) + "npm install\n"}, atLeast: 1, atMost: 1, sourcesLE: 1},
		"many findings": {tree: repofs.MemTree{".github/workflows/many.yml": manySteps}, problem: "more than 1000 found",
			atLeast: maxFacts, atMost: maxFacts, sourcesLE: 1},
		"many downloads": {tree: repofs.MemTree{"x.sh": manyTainted}, atLeast: 1, atMost: 1, sourcesLE: 1},
		"inline nesting": {tree: repofs.MemTree{"x.sh": inline}, sourcesLE: 1},
		"invalid utf-8": {tree: repofs.MemTree{"bin/\xff\xfe.sh": "npm install \xff\xfe\x00 caf\xe9\n", "Dockerfile\xff": "FROM \xff\n"},
			atLeast: 2, atMost: 2, sourcesLE: 2},
		"unterminated": {tree: repofs.MemTree{"Dockerfile": "FROM x\nRUN <<EOF\nnpm install\n", "y.sh": "cat <<EOF\nnpm install\n"},
			atLeast: 2, atMost: 2, sourcesLE: 2},
		"binary": {tree: repofs.MemTree{"bin/tool": "\x7fELF\x00\x01\x02" + strings.Repeat("\x00", 1000), "Dockerfile.bin": "\x00\x01\x02FROM\x00"},
			sourcesLE: 1},
		"dangling continuation": {tree: repofs.MemTree{"Dockerfile": "FROM x \\\n\\\n\\"}, atLeast: 1, atMost: 1, sourcesLE: 1},
	}
}

func shellQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

func TestHostile(t *testing.T) {
	for name, tt := range hostile() {
		t.Run(name, func(t *testing.T) {
			// No time limit is asserted: a hostile input that made the
			// reader hang or blow up fails by the test binary's timeout,
			// and its speed is the benchmarks' business, not a busy
			// machine's.
			deps, sources, probs := run(t, tt.tree)
			if tt.problem != "" {
				found := false
				for _, p := range probs {
					found = found || strings.Contains(p.Message, tt.problem)
				}
				if !found {
					t.Errorf("problems %v lack %q", probs, tt.problem)
				}
			}
			for _, p := range probs {
				if len(p.Message) > 400 || !utf8Valid(p.Message) || !utf8Valid(p.Path) {
					t.Errorf("problem not tidy: %q", p)
				}
			}
			if len(deps) < tt.atLeast || (tt.atMost > 0 && len(deps) > tt.atMost) {
				t.Errorf("%d dependencies, want %d to %d", len(deps), tt.atLeast, tt.atMost)
			}
			if sources > tt.sourcesLE {
				t.Errorf("%d sources, want at most %d", sources, tt.sourcesLE)
			}
			for _, d := range deps {
				f := d.Fact()
				if !utf8Valid(f.Path) || len(d.Snippet) > 200 {
					t.Errorf("fact not tidy: %q", f.Path)
				}
			}
		})
	}
}

func utf8Valid(s string) bool { return strings.ToValidUTF8(s, "\uFFFD") == s }

func TestCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	facts, probs := Extract(ctx, repofs.MemTree{"x.sh": "npm install\n"})
	if len(facts) != 0 || len(probs) != 1 || probs[0].Kind != catalog.ProblemTimeout {
		t.Errorf("facts %v, problems %v", facts, probs)
	}
}

// FuzzExtract feeds arbitrary content to each kind of file: no input may
// crash the extraction or give facts that do not read back.
func FuzzExtract(f *testing.F) {
	for _, seed := range []string{"npm install", "curl x | sh", "FROM a\nRUN <<EOF\nx\nEOF\n", "jobs: {a: {steps: [{run: pip install x}]}}",
		"RUN [\"a\"", "$((((", "bash -c \"bash -c 'curl x | sh'\"", "a: &a [*a]", "#!/bin/sh\n`a`$(b)${c}"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, s string) {
		tree := repofs.MemTree{".github/workflows/w.yml": s, "Dockerfile": s, "x.sh": s, "bin/run": "#!/bin/sh\n" + s}
		facts, _ := Extract(context.Background(), tree)
		for _, fact := range facts {
			if fact.Kind == catalog.FilePinningSources {
				continue
			}
			if _, ok := catalog.ParsePinnedDependency(fact); !ok {
				t.Fatalf("fact %q does not read back", fact.Path)
			}
		}
	})
}
