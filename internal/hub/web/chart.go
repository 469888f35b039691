package web

import (
	"math"
	"strconv"
	"time"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/hub/estate"
)

// chart is an SVG chart laid out on the server; the "chart" template draws
// it. Every text in it is escaped by the template like any other.
type chart struct {
	Title string
	W, H  int
	Bars  []bar
	Texts []text
}

type bar struct {
	X, Y, W, H float64
	Tip        string
}

type text struct {
	X, Y   float64
	Anchor string
	S      string
}

// item is one labelled value of a chart.
type item struct {
	Label string
	Value float64
}

// hbars lays out a horizontal bar chart: one labelled row per item.
func hbars(title string, items []item) chart {
	const row, labelW, barW = 22.0, 170.0, 380.0
	c := chart{Title: title, W: int(labelW + barW + 70), H: int(row*float64(len(items)) + 4)}
	var top float64
	for _, it := range items {
		top = max(top, it.Value)
	}
	for i, it := range items {
		y := float64(i) * row
		w := 1.0
		if top > 0 {
			w = max(1, barW*it.Value/top)
		}
		v := strconv.FormatFloat(it.Value, 'f', -1, 64)
		c.Bars = append(c.Bars, bar{X: labelW, Y: y + 4, W: round(w), H: row - 8, Tip: it.Label + ": " + v})
		c.Texts = append(c.Texts,
			text{X: labelW - 6, Y: y + row - 7, Anchor: "end", S: clip(it.Label, 26)},
			text{X: round(labelW + w + 6), Y: y + row - 7, Anchor: "start", S: v})
	}
	return c
}

// columns lays out a time series as columns, labelled at both ends.
func columns(title string, items []item) chart {
	const w, h, axis = 720.0, 150.0, 20.0
	c := chart{Title: title, W: int(w), H: int(h + axis)}
	if len(items) == 0 {
		return c
	}
	var top float64
	for _, it := range items {
		top = max(top, it.Value)
	}
	step := w / float64(len(items))
	for i, it := range items {
		bh := 0.0
		if top > 0 {
			bh = h * it.Value / top
		}
		c.Bars = append(c.Bars, bar{X: round(float64(i) * step), Y: round(h - bh), W: round(max(1, step*0.8)), H: round(bh),
			Tip: it.Label + ": " + strconv.FormatFloat(it.Value, 'f', -1, 64)})
	}
	c.Texts = append(c.Texts, text{X: 0, Y: h + axis - 4, Anchor: "start", S: items[0].Label})
	if len(items) > 1 {
		c.Texts = append(c.Texts, text{X: w, Y: h + axis - 4, Anchor: "end", S: items[len(items)-1].Label})
	}
	return c
}

// round keeps one decimal: enough for a pixel, short in the page.
func round(f float64) float64 { return math.Round(f*10) / 10 }

func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// languageChart draws a project's languages by share of bytes.
func languageChart(ls []catalog.Language) chart {
	items := make([]item, len(ls))
	for i, l := range ls {
		items[i] = item{l.Name, float64(l.Bytes)}
	}
	return hbars("Languages by bytes", items)
}

// weekChart draws weekly commits over the span of the activity, with the
// empty weeks in between.
func weekChart(title string, ws []catalog.WeekActivity) chart {
	if len(ws) == 0 {
		return columns(title, nil)
	}
	byWeek := map[time.Time]int{}
	for _, w := range ws {
		byWeek[w.Week] = w.Commits
	}
	first, last := ws[0].Week, ws[len(ws)-1].Week
	if span := last.Sub(first); span > 3*365*24*time.Hour { // at most three years
		first = catalog.WeekOf(last.AddDate(-3, 0, 0))
	}
	var items []item
	for d := first; !d.After(last); d = d.AddDate(0, 0, 7) {
		items = append(items, item{d.Format("2006-01-02"), float64(byWeek[d])})
	}
	return columns(title, items)
}

// monthChart draws counts per month.
func monthChart(title string, ms []estate.Month) chart {
	items := make([]item, len(ms))
	for i, m := range ms {
		items[i] = item{m.Month.Format("2006-01"), float64(m.Count)}
	}
	return columns(title, items)
}

// scoreText shows an aggregate score with one decimal, or "n/a".
func scoreText(s float64) string {
	if s < 0 {
		return "n/a"
	}
	return strconv.FormatFloat(s, 'f', 1, 64)
}

// scoreTrend draws a project's past scores (oldest first) as small columns
// on a fixed 0–10 scale; a score that was not available is a 0-high column.
func scoreTrend(ps []estate.ScorePoint) chart {
	const w, h, axis = 360.0, 60.0, 16.0
	c := chart{Title: "Score over time", W: int(w), H: int(h + axis)}
	if len(ps) == 0 {
		return c
	}
	step := w / float64(len(ps))
	for i, p := range ps {
		bh := h * max(0, p.Score) / 10
		c.Bars = append(c.Bars, bar{X: round(float64(i) * step), Y: round(h - bh), W: round(max(1, step*0.8)), H: round(bh),
			Tip: p.ScoredAt.Format("2006-01-02") + ": " + scoreText(p.Score)})
	}
	c.Texts = append(c.Texts, text{X: 0, Y: h + axis - 3, Anchor: "start", S: ps[0].ScoredAt.Format("2006-01-02")})
	if len(ps) > 1 {
		c.Texts = append(c.Texts, text{X: w, Y: h + axis - 3, Anchor: "end", S: ps[len(ps)-1].ScoredAt.Format("2006-01-02")})
	}
	return c
}
