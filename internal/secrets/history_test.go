package secrets_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ospo-project/ospo/internal/secrets"
)

// planted is a secret written into a synthetic history, where the scan must
// find it.
type planted struct {
	Commit string
	Path   string
	Line   int
	Rule   string
}

// kinds are secrets of gitleaks' default rules, generated at random so that
// every planted value is distinct (entropy checks pass) and none is
// committed to this repository.
var kinds = []struct {
	rule string
	gen  func(r *rand.Rand) string
}{
	{"aws-access-token", func(r *rand.Rand) string {
		return "aws_id = \"AKIA" + pick(r, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16) + "\""
	}},
	{"github-pat", func(r *rand.Rand) string { return "GH = \"ghp_" + pick(r, alnum, 36) + "\"" }},
	{"gitlab-pat", func(r *rand.Rand) string { return "gl = \"glpat-" + pick(r, alnum, 20) + "\"" }},
	{"slack-bot-token", func(r *rand.Rand) string {
		return "hook = \"xoxb-" + pick(r, "0123456789", 12) + "-" + pick(r, "0123456789", 12) + "-" + pick(r, alnum, 24) + "\""
	}},
	{"stripe-access-token", func(r *rand.Rand) string { return "pay = \"sk_live_" + pick(r, alnum, 24) + "\"" }},
	{"npm-access-token", func(r *rand.Rand) string {
		return "npmrc = \"npm_" + pick(r, "abcdefghijklmnopqrstuvwxyz0123456789", 36) + "\""
	}},
	{"gcp-api-key", func(r *rand.Rand) string { return "maps = \"AIza" + pick(r, alnum+"_-", 35) + "\"" }},
}

const alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

func pick(r *rand.Rand, from string, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = from[r.IntN(len(from))]
	}
	return string(b)
}

// history writes a bare repository of n commits on main with git
// fast-import: 50 files of 40 lines, each commit rewriting one or two lines
// of one file (small diffs, as in real histories). Every plantEvery-th
// commit adds a secret line instead; half of the secrets are overwritten
// again a few commits later, so they live only in history. It returns the
// planted secrets with their commit ids.
func history(tb testing.TB, dir string, n, plantEvery int) []planted {
	tb.Helper()
	git(tb, dir, "init", "-q", "--bare", "-b", "main")
	r := rand.New(rand.NewPCG(1, 2))
	const nfiles, nlines = 50, 40
	files := make([][]string, nfiles)
	for i := range files {
		files[i] = make([]string, nlines)
		for j := range files[i] {
			files[i][j] = fmt.Sprintf("value_%d_%d = compute(%d)", i, j, i*j)
		}
	}
	cmd := exec.Command("git", "fast-import", "--quiet", "--export-marks="+filepath.Join(dir, "marks"))
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=/dev/null")
	stdin, err := cmd.StdinPipe()
	if err != nil {
		tb.Fatal(err)
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		tb.Fatal(err)
	}
	w := bufio.NewWriterSize(stdin, 1<<20)
	type mark struct {
		mark int
		p    planted
	}
	var marks []mark
	type pending struct{ at, file, line int }
	var erase []pending
	when := int64(1_600_000_000)
	for c := 1; c <= n; c++ {
		f := r.IntN(nfiles)
		var p *planted
		switch {
		case plantEvery > 0 && c%plantEvery == 0:
			k := kinds[(c/plantEvery)%len(kinds)]
			line := r.IntN(nlines)
			files[f][line] = k.gen(r)
			p = &planted{Path: fmt.Sprintf("src/file%02d.py", f), Line: line + 1, Rule: k.rule}
			if (c/plantEvery)%2 == 0 {
				erase = append(erase, pending{c + 3, f, line})
			}
		case len(erase) > 0 && erase[0].at <= c:
			f = erase[0].file
			files[f][erase[0].line] = fmt.Sprintf("value_%d_%d = compute(%d)", f, erase[0].line, c)
			erase = erase[1:]
		default:
			for range 1 + r.IntN(2) {
				files[f][r.IntN(nlines)] = fmt.Sprintf("value_%d = compute(%d, %d)", c, f, r.IntN(1000))
			}
		}
		when += 600
		msg := fmt.Sprintf("change %d", c)
		fmt.Fprintf(w, "commit refs/heads/main\nmark :%d\ncommitter Dev <dev@example.org> %d +0000\ndata %d\n%s\n", c, when, len(msg), msg)
		if c == 1 {
			for i := range files {
				writeFile(w, i, files[i])
			}
		} else {
			writeFile(w, f, files[f])
		}
		w.WriteString("\n")
		if p != nil {
			marks = append(marks, mark{c, *p})
		}
	}
	if err := w.Flush(); err != nil {
		tb.Fatal(err)
	}
	stdin.Close()
	if err := cmd.Wait(); err != nil {
		tb.Fatalf("fast-import: %v: %s", err, stderr.String())
	}
	shas := readMarks(tb, filepath.Join(dir, "marks"))
	out := make([]planted, len(marks))
	for i, m := range marks {
		m.p.Commit = shas[m.mark]
		out[i] = m.p
	}
	return out
}

func writeFile(w *bufio.Writer, i int, lines []string) {
	content := strings.Join(lines, "\n") + "\n"
	fmt.Fprintf(w, "M 100644 inline src/file%02d.py\ndata %d\n%s\n", i, len(content), content)
}

func readMarks(tb testing.TB, path string) map[int]string {
	tb.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	m := map[int]string{}
	for _, l := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		k, sha, _ := strings.Cut(strings.TrimPrefix(l, ":"), " ")
		n, _ := strconv.Atoi(k)
		m[n] = sha
	}
	return m
}

func asPlanted(fs []secrets.Finding) []planted {
	out := make([]planted, 0, len(fs))
	for _, f := range fs {
		out = append(out, planted{f.Commit, f.Path, f.Line, f.RuleID})
	}
	sortPlanted(out)
	return out
}

func sortPlanted(p []planted) {
	sort.Slice(p, func(i, j int) bool {
		a, b := p[i], p[j]
		if a.Commit != b.Commit {
			return a.Commit < b.Commit
		}
		if a.Path != b.Path {
			return a.Path < b.Path
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Rule < b.Rule
	})
}

// Every planted secret is found, at its commit, file and line, and nothing
// else is, including the half that later commits erased.
func TestPlantedSecretsInHistory(t *testing.T) {
	dir := t.TempDir()
	want := history(t, dir, 600, 20)
	s := newScanner(t, secrets.Config{})
	got, st, err := s.ScanHistory(context.Background(), dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	sortPlanted(want)
	if diff := cmp.Diff(want, asPlanted(got)); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
	if st.Commits != 600 {
		t.Errorf("commits scanned = %d, want 600", st.Commits)
	}
}

// BenchmarkScanHistory scans a synthetic history of OSPO_BENCH_COMMITS
// commits (default 2,000) with a secret planted every 1,000, and prints
// beside it the reference of git log -p alone. With GITLEAKS naming a
// gitleaks binary, it also runs `gitleaks git` on the same repository and
// fails unless both found the same (commit, file, line, rule) set.
//
//	OSPO_BENCH_COMMITS=100000 GITLEAKS=/tmp/gitleaks go test ./internal/secrets -run '^$' -bench ScanHistory -benchtime 1x
func BenchmarkScanHistory(b *testing.B) {
	n := 2000
	if v := os.Getenv("OSPO_BENCH_COMMITS"); v != "" {
		n, _ = strconv.Atoi(v)
	}
	dir := b.TempDir()
	start := time.Now()
	want := history(b, dir, n, max(n/100, 10))
	b.Logf("generated %d commits with fast-import in %s", n, time.Since(start).Round(time.Millisecond))
	sortPlanted(want)

	start = time.Now()
	cmd := exec.Command("git", "log", "-p", "-U0", "--full-history", "--all", "--diff-filter=tuxdb")
	cmd.Dir = dir
	cmd.Stdout = io.Discard
	if err := cmd.Run(); err != nil {
		b.Fatal(err)
	}
	ref := time.Since(start)

	s, err := secrets.New(secrets.Config{})
	if err != nil {
		b.Fatal(err)
	}
	var got []secrets.Finding
	var st secrets.Stats
	b.ResetTimer()
	for b.Loop() {
		got, st, err = s.ScanHistory(context.Background(), dir, nil)
		if err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	per := b.Elapsed() / time.Duration(b.N)
	b.ReportMetric(float64(st.Commits)/per.Seconds(), "commits/s")
	b.Logf("ospo secrets: %d commits, %.1f MB added text, %d findings in %s; reference git log -p alone %s (%.2fx)",
		st.Commits, float64(st.Bytes)/1e6, len(got), per.Round(time.Millisecond), ref.Round(time.Millisecond), per.Seconds()/ref.Seconds())
	if diff := cmp.Diff(want, asPlanted(got)); diff != "" {
		b.Errorf("ospo findings vs planted (-want +got):\n%s", diff)
	}

	if gl := os.Getenv("GITLEAKS"); gl != "" {
		rep := filepath.Join(b.TempDir(), "report.json")
		start = time.Now()
		cmd := exec.Command(gl, "git", "--no-banner", "--exit-code", "0", "--report-format", "json", "--report-path", rep, dir)
		cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=/dev/null")
		if out, err := cmd.CombinedOutput(); err != nil {
			b.Fatalf("gitleaks: %v\n%s", err, out)
		}
		glTime := time.Since(start)
		data, err := os.ReadFile(rep)
		if err != nil {
			b.Fatal(err)
		}
		var found []struct {
			RuleID, File, Commit string
			StartLine            int
		}
		if err := json.Unmarshal(data, &found); err != nil {
			b.Fatal(err)
		}
		var theirs []planted
		for _, f := range found {
			theirs = append(theirs, planted{f.Commit, f.File, f.StartLine, f.RuleID})
		}
		sortPlanted(theirs)
		b.Logf("gitleaks CLI: %d findings in %s (ospo/gitleaks time %.2fx)", len(theirs), glTime.Round(time.Millisecond), per.Seconds()/glTime.Seconds())
		if diff := cmp.Diff(theirs, asPlanted(got)); diff != "" {
			b.Errorf("findings (-gitleaks +ospo):\n%s", diff)
		}
	}
}

// BenchmarkScanRepository scans the history reachable from HEAD of the
// real repository OSPO_BENCH_REPO with the scanner, and with the
// reference scanner that runs every rule on each diff whole (the gitleaks
// CLI's way, and this package's before windows), and fails unless both
// found the same findings. OSPO_BENCH_NO_REFERENCE=1 skips the reference.
//
//	OSPO_BENCH_REPO=/path/to/clone go test ./internal/secrets -run '^$' -bench ScanRepository -benchtime 1x -timeout 60m
func BenchmarkScanRepository(b *testing.B) {
	dir := os.Getenv("OSPO_BENCH_REPO")
	if dir == "" {
		b.Skip("OSPO_BENCH_REPO not set")
	}
	scan := func(s *secrets.Scanner) ([]secrets.Finding, secrets.Stats, time.Duration) {
		start := time.Now()
		got, st, err := s.ScanHistory(context.Background(), dir, []string{"HEAD"})
		if err != nil {
			b.Fatal(err)
		}
		sortFindings(got)
		return got, st, time.Since(start)
	}
	s, err := secrets.New(secrets.Config{})
	if err != nil {
		b.Fatal(err)
	}
	var got []secrets.Finding
	var st secrets.Stats
	var took time.Duration
	for b.Loop() {
		got, st, took = scan(s)
	}
	b.ReportMetric(float64(st.Commits)/took.Seconds(), "commits/s")
	b.Logf("windowed: %d commits, %d file diffs, %.1f MB added text, %d findings in %s",
		st.Commits, st.Files, float64(st.Bytes)/1e6, len(got), took.Round(time.Millisecond))
	if os.Getenv("OSPO_BENCH_NO_REFERENCE") != "" {
		return
	}
	ref, err := secrets.NewUnwindowed(secrets.Config{})
	if err != nil {
		b.Fatal(err)
	}
	want, _, refTook := scan(ref)
	b.Logf("reference (every rule on each diff whole): %d findings in %s (%.1fx the windowed time)",
		len(want), refTook.Round(time.Millisecond), refTook.Seconds()/took.Seconds())
	if diff := cmp.Diff(want, got); diff != "" {
		b.Errorf("findings (-reference +windowed):\n%s", diff)
	}
}
