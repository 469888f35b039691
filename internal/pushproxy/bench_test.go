package pushproxy_test

import (
	"bufio"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/ospo-project/ospo/internal/pushproxy"
	"github.com/ospo-project/ospo/internal/store/teststore"
)

// BenchmarkPushLatency measures what the proxy adds to a push of 10
// commits to a repository of OSPO_BENCH_COMMITS commits (default 2,000),
// once the proxy's mirror exists: pushes through the proxy alternate with
// direct pushes to the same upstream (git http-backend over HTTP), so each
// proxy push also fetches the 10 commits the direct push added. Then it
// times proxy pushes in a row (nothing to fetch), and prints where the
// proxy's time goes, by stage.
//
//	OSPO_BENCH_COMMITS=100000 go test ./internal/pushproxy -run '^$' -bench PushLatency -benchtime 1x -timeout 30m
func BenchmarkPushLatency(b *testing.B) {
	n := 2000
	if v := os.Getenv("OSPO_BENCH_COMMITS"); v != "" {
		n, _ = strconv.Atoi(v)
	}
	e := newEnv(b, teststore.SQLite(b), nil)
	bare := filepath.Join(e.up.root, "org", "big.git")
	start := time.Now()
	fastImport(b, bare, n)
	b.Logf("upstream of %d commits written in %s", n, time.Since(start).Round(time.Millisecond))
	work := b.TempDir()
	gitB(b, work, "clone", "-q", bare, ".")
	proxyURL := e.remote("dev@example.com", "big")
	directURL := e.up.URL + "/org/big.git"

	seq := 0
	tenCommits := func() {
		for range 10 {
			seq++
			p := filepath.Join(work, "notes.txt")
			f, _ := os.OpenFile(p, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
			fmt.Fprintf(f, "note %d\n", seq)
			f.Close()
			gitB(b, work, "add", "notes.txt")
			gitB(b, work, "commit", "-q", "-m", fmt.Sprintf("note %d", seq))
		}
	}
	timed := func(url string) time.Duration {
		tenCommits()
		s := time.Now()
		gitB(b, work, "push", "-q", url, "HEAD:refs/heads/main")
		return time.Since(s)
	}
	first := timed(proxyURL) // creates the mirror: a clone of the upstream
	b.Logf("first push through the proxy (mirror created): %s", first.Round(time.Millisecond))
	var viaProxy, direct []time.Duration
	before := e.proxy.Metrics().Stages()
	b.ResetTimer()
	for b.Loop() {
		for range 5 {
			direct = append(direct, timed(directURL))
			viaProxy = append(viaProxy, timed(proxyURL))
		}
	}
	b.StopTimer()
	stages := e.proxy.Metrics().Stages()
	// Then pushes through the proxy only: its mirror took in each forwarded
	// push (adopt), so none of them fetches.
	var only []time.Duration
	for range 5 {
		only = append(only, timed(proxyURL))
	}
	med := func(d []time.Duration) time.Duration { s := slices.Clone(d); slices.Sort(s); return s[len(s)/2] }
	b.ReportMetric(med(viaProxy).Seconds(), "proxy-s/push")
	b.ReportMetric(med(direct).Seconds(), "direct-s/push")
	b.Logf("10-commit push to a %d-commit repository, median of %d: direct %s, through the proxy %s, added %s",
		n, len(direct), med(direct).Round(time.Millisecond), med(viaProxy).Round(time.Millisecond),
		(med(viaProxy) - med(direct)).Round(time.Millisecond))
	b.Logf("through the proxy with nothing to fetch (proxy pushes in a row), median of %d: %s, added %s",
		len(only), med(only).Round(time.Millisecond), (med(only) - med(direct)).Round(time.Millisecond))
	// Where the proxy's time goes in the alternating pushes.
	logStages(b, before, stages)
	b.Logf("pushes in a row:")
	logStages(b, stages, e.proxy.Metrics().Stages())
}

// logStages logs the mean time of each stage between two readings.
func logStages(b *testing.B, before, after map[string]pushproxy.StageTime) {
	for _, s := range slices.Sorted(maps.Keys(after)) {
		st := after[s]
		if n := st.Count - before[s].Count; n > 0 {
			b.Logf("  stage %-16s mean %s", s, ((st.Sum - before[s].Sum) / time.Duration(n)).Round(time.Millisecond))
		}
	}
}

func gitB(b *testing.B, dir string, args ...string) {
	b.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=/dev/null", "GIT_TERMINAL_PROMPT=0",
		"GIT_AUTHOR_NAME=Dev", "GIT_AUTHOR_EMAIL=dev@example.com", "GIT_COMMITTER_NAME=Dev", "GIT_COMMITTER_EMAIL=dev@example.com")
	if out, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("git %v: %v\n%s", args, err, out)
	}
}

// fastImport writes a bare repository of n commits on main, each changing
// one line of one of 50 small files.
func fastImport(b *testing.B, bare string, n int) {
	b.Helper()
	os.MkdirAll(filepath.Dir(bare), 0o755)
	gitB(b, filepath.Dir(bare), "init", "-q", "--bare", "-b", "main", bare)
	gitB(b, bare, "config", "http.receivepack", "true")
	cmd := exec.Command("git", "fast-import", "--quiet")
	cmd.Dir = bare
	in, _ := cmd.StdinPipe()
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriterSize(in, 1<<20)
	files := make([][]string, 50)
	for i := range files {
		for j := range 30 {
			files[i] = append(files[i], fmt.Sprintf("line %d of file %d", j, i))
		}
	}
	for c := 1; c <= n; c++ {
		f := c % 50
		files[f][c%30] = fmt.Sprintf("line changed by commit %d", c)
		msg := fmt.Sprintf("commit %d", c)
		fmt.Fprintf(w, "commit refs/heads/main\ncommitter Dev <dev@example.com> %d +0000\ndata %d\n%s\n", 1_600_000_000+c*60, len(msg), msg)
		write := func(i int) {
			content := ""
			for _, l := range files[i] {
				content += l + "\n"
			}
			fmt.Fprintf(w, "M 100644 inline src/f%02d.txt\ndata %d\n%s\n", i, len(content), content)
		}
		if c == 1 {
			for i := range files {
				write(i)
			}
		} else {
			write(f)
		}
		w.WriteString("\n")
	}
	w.Flush()
	in.Close()
	if err := cmd.Wait(); err != nil {
		b.Fatal(err)
	}
}
