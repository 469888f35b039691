package web

import (
	"net/http"
	"strconv"
	"time"

	"github.com/ospo-project/ospo/internal/catalog"
)

// sourceRow is one source on the sources page, its times formatted.
type sourceRow struct {
	catalog.SourceState
	Attempt, Success, Reset string
}

// sources lists the sources that have synced: last attempt and success,
// status, last error and API budget.
func (p *Pages) sources(w http.ResponseWriter, r *http.Request) {
	states, err := p.cat.Sources(r.Context())
	if err != nil {
		p.fail(w, err)
		return
	}
	rows := make([]sourceRow, len(states))
	for i, s := range states {
		rows[i] = sourceRow{SourceState: s, Attempt: stamp(s.LastAttempt), Success: stamp(s.LastSuccess), Reset: stamp(s.Rate.Reset)}
	}
	p.render(w, "sources.html", map[string]any{"Sources": rows})
}

// stamp formats t to the minute in UTC; "-" for the zero time.
func stamp(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.UTC().Format("2006-01-02 15:04 UTC")
}

// humanDuration says d in the largest unit that fits: "3 days", "5 hours".
func humanDuration(d time.Duration) string {
	switch {
	case d <= 0:
		return ""
	case d >= 48*time.Hour:
		return strconv.Itoa(int(d/(24*time.Hour))) + " days"
	case d >= 2*time.Hour:
		return strconv.Itoa(int(d/time.Hour)) + " hours"
	case d >= 2*time.Minute:
		return strconv.Itoa(int(d/time.Minute)) + " minutes"
	}
	return strconv.Itoa(int(d/time.Second)) + " seconds"
}
