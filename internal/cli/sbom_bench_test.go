package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ospo-project/ospo/internal/rusage"
)

// BenchmarkSBOM runs `ospo sbom DIR` in process, as one process per
// repository would after its start-up: a generated npm package of 200
// source files (express's shape: a README, a licence, a changelog, a
// manifest and a lockfile of 60 packages), and each directory of
// $OSPO_BENCH_SBOM_DIRS (colon-separated, e.g. real clones). What is
// built once per process (the licence matcher, language tables) is paid
// by the first iteration only; `perf stat` of the binary measures those.
// It reports the process's CPU time (user + system, all threads) per
// SBOM besides the wall time, which a busy machine inflates.
func BenchmarkSBOM(b *testing.B) {
	dirs := []string{benchNPMRepo(b)}
	if env := os.Getenv("OSPO_BENCH_SBOM_DIRS"); env != "" {
		dirs = append(dirs, filepath.SplitList(env)...)
	}
	for _, dir := range dirs {
		for _, format := range []string{formatCycloneDX, formatSPDX} {
			b.Run(filepath.Base(dir)+"/"+format, func(b *testing.B) {
				b.Setenv("OSPO_CONFIG", "")
				cpu := rusage.CPU()
				n := 0
				for b.Loop() {
					var errs strings.Builder
					if code := RunIO(context.Background(), []string{"ospo", "sbom", "--format", format, dir}, nil, io.Discard, &errs); code != 0 {
						b.Fatalf("ospo sbom %s: exit %d: %s", dir, code, errs.String())
					}
					n++
				}
				b.ReportMetric(float64(rusage.CPU()-cpu)/float64(n), "cpu-ns/op")
			})
		}
	}
}

// benchNPMRepo writes and commits the generated npm package.
func benchNPMRepo(b *testing.B) string {
	b.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		b.Skip("git not installed")
	}
	dir := filepath.Join(b.TempDir(), "npm-package")
	write := func(name, content string) {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	const n = 60
	var deps, pkgs strings.Builder
	for i := range n {
		if i > 0 {
			deps.WriteString(",")
		}
		fmt.Fprintf(&deps, `"dep-%d":"^1.%d.0"`, i, i)
		fmt.Fprintf(&pkgs, `,"node_modules/dep-%d":{"version":"1.%d.3","license":"MIT","integrity":"sha512-%s"}`, i, i, strings.Repeat("A", 86)+"==")
	}
	write("package.json", `{"name":"bench","version":"1.0.0","license":"MIT","dependencies":{`+deps.String()+`}}`)
	write("package-lock.json", `{"name":"bench","version":"1.0.0","lockfileVersion":3,"packages":{"":{"name":"bench","version":"1.0.0","dependencies":{`+deps.String()+`}}`+pkgs.String()+`}}`)
	write("README.md", "# bench\n\nA fast, unopinionated, minimalist web framework for benchmarks.\n\n## Install\n\n```\nnpm install bench\n```\n")
	write("LICENSE", "MIT License\n\nCopyright (c) 2026 Bench\n\nPermission is hereby granted, free of charge, to any person obtaining a copy\nof this software and associated documentation files (the \"Software\"), to deal\nin the Software without restriction, including without limitation the rights\nto use, copy, modify, merge, publish, distribute, sublicense, and/or sell\ncopies of the Software, and to permit persons to whom the Software is\nfurnished to do so, subject to the following conditions:\n\nThe above copyright notice and this permission notice shall be included in all\ncopies or substantial portions of the Software.\n\nTHE SOFTWARE IS PROVIDED \"AS IS\", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR\nIMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,\nFITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE\nAUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER\nLIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,\nOUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE\nSOFTWARE.\n")
	write("History.md", strings.Repeat("1.0.0 / 2026-01-01\n==================\n\n  * Fix a bug in the router\n  * deps: dep-1@1.2.3\n\n", 2000))
	body := "/*!\n * bench\n * Copyright(c) 2026 Bench\n * MIT Licensed\n */\n\n'use strict';\n\n" +
		strings.Repeat("function handle(req, res, next) {\n  var layer = this.stack[idx++];\n  if (!layer) { return next(); }\n  layer.handle(req, res, next);\n}\n\n", 40)
	for i := range 200 {
		dirName := []string{"lib", "lib/router", "test", "examples/app"}[i%4]
		write(fmt.Sprintf("%s/file%d.js", dirName, i), body)
	}
	for _, args := range [][]string{{"init", "-q", "-b", "main"}, {"add", "-A"}, {"commit", "-q", "-m", "bench"}} {
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1",
			"GIT_AUTHOR_NAME=Bench", "GIT_AUTHOR_EMAIL=bench@example.com", "GIT_COMMITTER_NAME=Bench", "GIT_COMMITTER_EMAIL=bench@example.com")
		if out, err := cmd.CombinedOutput(); err != nil {
			b.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	return dir
}
