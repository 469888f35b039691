package progress

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

// step is one call to Update after a pause.
type step struct {
	after   time.Duration
	done    int
	total   int
	current string
}

// TestLines covers output that is not a terminal (a CI log): a line at most
// every five seconds, and always the last one. Time is synctest's fake
// clock, so the intervals are exact.
func TestLines(t *testing.T) {
	tests := []struct {
		name  string
		steps []step
		want  string
	}{
		{
			name: "burst: first and last only",
			steps: []step{
				{0, 1, 5, "a"}, {0, 2, 5, "b"}, {0, 3, 5, "c"}, {0, 4, 5, "d"}, {0, 5, 5, "e"},
			},
			want: "scan: 1/5 (0s)\nscan: 5/5 (0s)\n",
		},
		{
			name: "one line per five seconds",
			steps: []step{
				{0, 1, 10, "a"},              // printed: the first
				{time.Second, 2, 10, "b"},    // 1s since the last line
				{3 * time.Second, 3, 10, ""}, // 4s
				{time.Second, 4, 10, ""},     // 5s: printed
				{4 * time.Second, 5, 10, ""}, // 4s
				{2 * time.Second, 6, 10, ""}, // 6s: printed
				{time.Second, 10, 10, ""},    // the last: printed
			},
			want: "scan: 1/10 (0s)\nscan: 4/10 (5s)\nscan: 6/10 (11s)\nscan: 10/10 (12s)\n",
		},
		{
			name:  "a single step",
			steps: []step{{1500 * time.Millisecond, 1, 1, "only"}},
			want:  "scan: 1/1 (1.5s)\n",
		},
		{
			name:  "nothing to do",
			steps: []step{{0, 0, 0, ""}},
			want:  "scan: 0/0 (0s)\n",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				var buf bytes.Buffer
				b := New(&buf, "scan", false)
				for _, s := range tc.steps {
					time.Sleep(s.after)
					b.Update(s.done, s.total, s.current)
				}
				b.Done()
				if diff := cmp.Diff(tc.want, buf.String()); diff != "" {
					t.Errorf("output (-want +got):\n%s", diff)
				}
			})
		})
	}
}

func TestLinesAtMostOnePerInterval(t *testing.T) {
	// A long scan updated every 100ms prints one line per 5s of elapsed
	// time, plus the last.
	synctest.Test(t, func(t *testing.T) {
		var buf bytes.Buffer
		b := New(&buf, "scan", false)
		const total = 600 // 60s of work
		for i := 1; i <= total; i++ {
			time.Sleep(100 * time.Millisecond)
			b.Update(i, total, "repo")
		}
		lines := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
		// At 0.1s, then every 5s from 5.1s to 55.1s, then the last at 60s.
		if len(lines) != 13 {
			t.Errorf("got %d lines over 60s, want 13 (one per 5s and the last):\n%s", len(lines), buf.String())
		}
		if last := lines[len(lines)-1]; last != "scan: 600/600 (1m0s)" {
			t.Errorf("last line = %q, want the final count", last)
		}
	})
}

func TestDisabled(t *testing.T) {
	for _, tty := range []bool{false, true} {
		var buf bytes.Buffer
		b := New(&buf, "scan", true)
		b.tty = tty
		b.Update(1, 2, "a")
		b.Update(2, 2, "b")
		b.Done()
		if buf.Len() != 0 {
			t.Errorf("disabled bar (tty %v) wrote %q", tty, buf.String())
		}
	}
}

func TestNilBar(t *testing.T) {
	var b *Bar
	b.Update(1, 1, "x") // must not panic
	b.Done()
}

func TestNewDetectsNonTerminal(t *testing.T) {
	// A regular file is not a terminal: lines, no carriage returns.
	f, err := os.Create(filepath.Join(t.TempDir(), "log"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	b := New(f, "scan", false)
	if b.tty {
		t.Fatal("New took a regular file for a terminal")
	}
	b.Update(1, 1, "x")
	b.Done()
	got, _ := os.ReadFile(f.Name())
	if !strings.HasPrefix(string(got), "scan: 1/1 (") || strings.Contains(string(got), "\r") {
		t.Errorf("file output = %q", got)
	}
}

func TestTerminal(t *testing.T) {
	// On a terminal the bar is redrawn in place, at most every 100ms, and
	// the name of the current item is cut to 40 characters.
	synctest.Test(t, func(t *testing.T) {
		var buf bytes.Buffer
		b := New(&buf, "scan", false)
		b.tty = true
		b.Update(1, 4, "a-rather-long-repository-name-that-goes-on-and-on")
		b.Update(2, 4, "skipped: within 100ms")
		time.Sleep(200 * time.Millisecond)
		b.Update(3, 4, "c")
		b.Update(4, 4, "d") // the last is always drawn
		b.Done()
		out := buf.String()
		if !strings.HasPrefix(out, "\r") || !strings.HasSuffix(out, "\n") {
			t.Fatalf("terminal output %q does not start with a carriage return and end with a newline", out)
		}
		draws := strings.Split(strings.TrimSuffix(out, "\n"), "\r")[1:]
		want := []string{
			"scan [=======                       ] 1/4 0s a-rather-long-repository-name-that-goes…",
			"scan [======================        ] 3/4 200ms c",
			"scan [==============================] 4/4 200ms d",
		}
		if len(draws) != len(want) {
			t.Fatalf("got %d draws, want %d: %q", len(draws), len(want), out)
		}
		for i, d := range draws {
			if got := strings.TrimRight(d, " "); got != want[i] {
				t.Errorf("draw %d = %q, want %q", i, got, want[i])
			}
			// A shorter line is padded to cover the longer one before it.
			if i > 0 && utf8.RuneCountInString(d) < utf8.RuneCountInString(strings.TrimRight(draws[i-1], " ")) {
				t.Errorf("draw %d (%q) does not cover draw %d (%q)", i, d, i-1, draws[i-1])
			}
		}
	})
}

func TestTerminalCleansNames(t *testing.T) {
	// Item names come from repositories (directory names, remote URLs): they
	// must not put escape sequences or line breaks on the terminal.
	var buf bytes.Buffer
	b := New(&buf, "scan", false)
	b.tty = true
	b.Update(1, 1, "evil\x1b]0;pwned\x07\x1b[2J\nname\xff")
	if strings.ContainsAny(buf.String(), "\x1b\x07\n") || strings.Contains(buf.String(), "\xff") {
		t.Errorf("terminal output carries control characters: %q", buf.String())
	}
	if !strings.Contains(buf.String(), "evil") {
		t.Errorf("terminal output lost the name: %q", buf.String())
	}
}

func TestConcurrentUpdates(t *testing.T) {
	// Updates from many goroutines: no race (run with -race), whole lines.
	var buf bytes.Buffer
	b := New(&buf, "scan", false)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 50 {
				b.Update(g*50+i, 401, "x")
			}
		}()
	}
	wg.Wait()
	b.Update(401, 401, "last")
	for _, line := range strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n") {
		if !strings.HasPrefix(line, "scan: ") || !strings.HasSuffix(line, ")") {
			t.Errorf("garbled line %q", line)
		}
	}
	if !strings.Contains(buf.String(), "scan: 401/401 (") {
		t.Errorf("final line missing:\n%s", buf.String())
	}
}
