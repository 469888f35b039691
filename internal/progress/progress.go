// Package progress shows how far long work has gone, on a terminal as a bar
// redrawn in place and elsewhere (CI logs) as an occasional line.
package progress

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"golang.org/x/term"

	"github.com/ospo-project/ospo/internal/report"
)

// Bar reports progress of a known number of steps to w. Its methods are
// safe for concurrent use. The zero value is not usable; use New.
type Bar struct {
	mu       sync.Mutex
	w        io.Writer
	label    string
	tty      bool
	start    time.Time
	last     time.Time
	lastLine int
	disabled bool
}

// New returns a bar writing to w. It draws in place when w is a terminal
// and otherwise prints a line at most every five seconds.
func New(w io.Writer, label string, disabled bool) *Bar {
	tty := false
	if f, ok := w.(*os.File); ok {
		tty = term.IsTerminal(int(f.Fd()))
	}
	return &Bar{w: w, label: label, tty: tty, start: time.Now(), disabled: disabled}
}

// Update reports that done of total steps are finished; current names the
// last one.
func (b *Bar) Update(done, total int, current string) {
	if b == nil || b.disabled {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	now := time.Now()
	if b.tty {
		if now.Sub(b.last) < 100*time.Millisecond && done != total {
			return
		}
		b.last = now
		const width = 30
		filled := 0
		if total > 0 {
			filled = done * width / total
		}
		line := fmt.Sprintf("%s [%s%s] %d/%d %s %s", b.label, strings.Repeat("=", filled),
			strings.Repeat(" ", width-filled), done, total, elapsed(now.Sub(b.start)), trim(report.Clean(current), 40))
		pad := ""
		if n := b.lastLine - len(line); n > 0 {
			pad = strings.Repeat(" ", n)
		}
		b.lastLine = len(line)
		fmt.Fprintf(b.w, "\r%s%s", line, pad)
		return
	}
	if now.Sub(b.last) < 5*time.Second && done != total {
		return
	}
	b.last = now
	fmt.Fprintf(b.w, "%s: %d/%d (%s)\n", b.label, done, total, elapsed(now.Sub(b.start)))
}

// Done ends the bar's line on a terminal.
func (b *Bar) Done() {
	if b == nil || b.disabled {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.tty && b.lastLine > 0 {
		fmt.Fprintln(b.w)
	}
}

func elapsed(d time.Duration) string { return d.Round(100 * time.Millisecond).String() }

func trim(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
