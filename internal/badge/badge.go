// Package badge draws the SVG badges that READMEs and the hub show.
package badge

import (
	"fmt"
	"html"
)

// Score draws a shields.io-style flat badge: label on grey, score on a
// colour from red (0) to green (10); "n/a" on grey for a negative score
// (not available). The label is escaped; the SVG has no script and no
// external reference, so it can be served as an image anywhere.
func Score(label string, score float64) string {
	value, colour := "n/a", "#9f9f9f"
	if score >= 0 {
		value = fmt.Sprintf("%.1f/10", score)
		switch {
		case score >= 8:
			colour = "#4c1"
		case score >= 6:
			colour = "#97ca00"
		case score >= 4:
			colour = "#dfb317"
		case score >= 2:
			colour = "#fe7d37"
		default:
			colour = "#e05d44"
		}
	}
	lw := 6*len(label) + 10
	vw := 7*len(value) + 10
	w := lw + vw
	l, v := html.EscapeString(label), html.EscapeString(value)
	return fmt.Sprintf(`<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="20" role="img" aria-label="%s: %s">
<title>%s: %s</title>
<linearGradient id="s" x2="0" y2="100%%"><stop offset="0" stop-color="#bbb" stop-opacity=".1"/><stop offset="1" stop-opacity=".1"/></linearGradient>
<clipPath id="r"><rect width="%d" height="20" rx="3" fill="#fff"/></clipPath>
<g clip-path="url(#r)"><rect width="%d" height="20" fill="#555"/><rect x="%d" width="%d" height="20" fill="%s"/><rect width="%d" height="20" fill="url(#s)"/></g>
<g fill="#fff" text-anchor="middle" font-family="Verdana,Geneva,DejaVu Sans,sans-serif" font-size="11">
<text x="%d" y="15" fill="#010101" fill-opacity=".3">%s</text><text x="%d" y="14">%s</text>
<text x="%d" y="15" fill="#010101" fill-opacity=".3">%s</text><text x="%d" y="14">%s</text>
</g>
</svg>
`, w, l, v, l, v, w, lw, lw, vw, colour, w, lw/2, l, lw/2, l, lw+vw/2, v, lw+vw/2, v)
}
