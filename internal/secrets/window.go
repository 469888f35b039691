package secrets

import (
	"context"
	"math"
	"regexp/syntax"
	"slices"
	"strings"

	"github.com/zricethezav/gitleaks/v8/config"
	"github.com/zricethezav/gitleaks/v8/detect"
	"github.com/zricethezav/gitleaks/v8/report"
	"github.com/zricethezav/gitleaks/v8/sources"
)

// Why windows. gitleaks' detector prefilters rules by keyword per text: a
// rule runs only on a text that contains one of its keywords. A file diff
// of thousands of lines (generated code, test data, a vendored library)
// contains nearly every keyword somewhere ("key", "token", "api"…), so
// nearly every rule's regular expression then runs over the whole text,
// and Go's regular expressions on large inputs fall back to the slowest
// of their engines. A 200-commit repository with 21 MB of added text took
// 115 s of CPU so, 99% of it in regexp.
//
// Most rules cannot match across more than a few lines. They run on
// windows of windowLines lines (plus overlapLines lines of context), so
// the keyword prefilter is decided per window and each regular expression
// sees a small input. A window reports only the matches that start in its
// own windowLines lines; a match starting there spans at most overlapLines
// newlines, so it lies wholly inside the window and is found exactly as in
// the whole text, once. Rules that can span more lines (private keys,
// Kubernetes secrets), path-only rules and composite rules run on the
// whole text as before.
const (
	windowLines  = 32
	overlapLines = 16
	// maxDecodeDepth is how many decoding passes run (the gitleaks CLI's
	// default).
	maxDecodeDepth = 5
)

// split builds the scanner's detectors from cfg.
//
// Decoding (base64, hex, percent and unicode escapes, up to five passes as
// the gitleaks CLI does) is done once, in the windows: an encoded segment
// is one line, so a window holds it whole. The windows therefore run the
// whole-text regex rules too, and keep only their findings in decoded text
// (a decoded private key, say); the whole text is scanned without decoding.
func split(cfg config.Config) *Scanner {
	whole := map[string]bool{}   // rules that run on the whole text
	onlyWin := map[string]bool{} // … and that the windows leave out
	for _, r := range cfg.Rules {
		if r.Regex == nil || len(r.RequiredRules) > 0 || r.SkipReport {
			whole[r.RuleID], onlyWin[r.RuleID] = true, true
		}
		for _, req := range r.RequiredRules {
			whole[req.RuleID], onlyWin[req.RuleID] = true, true
		}
		if r.Path != nil || (r.Regex != nil && newlineSpan(r.Regex.String()) > overlapLines) {
			whole[r.RuleID] = true
		}
	}
	part := func(keep func(id string) bool, decode int) *detect.Detector {
		c := cfg
		c.Rules, c.OrderedRules, c.Keywords = map[string]config.Rule{}, nil, map[string]struct{}{}
		for _, id := range cfg.OrderedRules {
			r, ok := cfg.Rules[id]
			if !ok || !keep(id) {
				continue
			}
			c.Rules[id] = r
			c.OrderedRules = append(c.OrderedRules, id)
			for _, k := range r.Keywords {
				c.Keywords[strings.ToLower(k)] = struct{}{}
			}
		}
		if len(c.Rules) == 0 {
			return nil
		}
		d := detect.NewDetector(c)
		d.MaxDecodeDepth = decode
		return d
	}
	return &Scanner{
		full:      part(func(string) bool { return true }, maxDecodeDepth),
		whole:     part(func(id string) bool { return whole[id] }, 0),
		local:     part(func(id string) bool { return !onlyWin[id] }, maxDecodeDepth),
		wholeRule: whole,
		rules:     len(cfg.Rules),
	}
}

// newlineSpan returns how many newlines a match of the regular expression
// expr can contain at most (math.MaxInt32 when there is no bound or expr
// does not parse as Go syntax).
func newlineSpan(expr string) int {
	re, err := syntax.Parse(expr, syntax.Perl)
	if err != nil {
		return math.MaxInt32
	}
	return span(re)
}

func span(re *syntax.Regexp) int {
	sat := func(n int) int { return min(n, math.MaxInt32) }
	switch re.Op {
	case syntax.OpLiteral:
		n := 0
		for _, r := range re.Rune {
			if r == '\n' {
				n++
			}
		}
		return n
	case syntax.OpCharClass:
		for i := 0; i+1 < len(re.Rune); i += 2 {
			if re.Rune[i] <= '\n' && '\n' <= re.Rune[i+1] {
				return 1
			}
		}
		return 0
	case syntax.OpAnyChar:
		return 1
	case syntax.OpCapture, syntax.OpQuest:
		return span(re.Sub[0])
	case syntax.OpStar, syntax.OpPlus:
		if span(re.Sub[0]) > 0 {
			return math.MaxInt32
		}
		return 0
	case syntax.OpRepeat:
		n := span(re.Sub[0])
		switch {
		case n == 0:
			return 0
		case re.Max < 0:
			return math.MaxInt32
		}
		return sat(n * re.Max)
	case syntax.OpConcat:
		n := 0
		for _, s := range re.Sub {
			n = sat(n + span(s))
		}
		return n
	case syntax.OpAlternate:
		n := 0
		for _, s := range re.Sub {
			n = max(n, span(s))
		}
		return n
	}
	return 0
}

// scanWindows runs the local detector on f's text in windows (see above),
// keeping from each window the findings that start in its own lines.
func (s *Scanner) scanWindows(ctx context.Context, f sources.Fragment) []report.Finding {
	text := f.Raw
	// starts[i] is the offset of line i.
	starts := []int{0}
	for i := 0; i < len(text); {
		j := strings.IndexByte(text[i:], '\n')
		if j < 0 {
			break
		}
		i += j + 1
		if i < len(text) {
			starts = append(starts, i)
		}
	}
	lines := len(starts)
	var out []report.Finding
	keep := func(r report.Finding) {
		if !s.wholeRule[r.RuleID] || decoded(r) {
			out = append(out, r)
		}
	}
	if lines <= windowLines+overlapLines {
		//lint:ignore SA1019 DetectContext takes only the deprecated alias in v8.
		for _, r := range s.local.DetectContext(ctx, detect.Fragment(f)) {
			keep(r)
		}
		return out
	}
	for first := 0; first < lines; first += windowLines {
		if ctx.Err() != nil {
			return out
		}
		end := len(text)
		if last := first + windowLines + overlapLines; last < lines {
			end = starts[last]
		}
		w := f
		w.Raw = text[starts[first]:end]
		w.StartLine = f.StartLine + first
		ownedBy := w.StartLine + windowLines // first line of the next window
		//lint:ignore SA1019 DetectContext takes only the deprecated alias in v8.
		for _, r := range s.local.DetectContext(ctx, detect.Fragment(w)) {
			if r.StartLine < ownedBy || first+windowLines >= lines {
				keep(r)
			}
		}
	}
	return out
}

// decoded reports whether r was found in decoded text.
func decoded(r report.Finding) bool {
	return slices.ContainsFunc(r.Tags, func(t string) bool { return strings.HasPrefix(t, "decode-depth:") })
}

// preferSpecific drops a generic rule's finding when a specific rule found
// the same secret on the same line, as gitleaks does within one detector
// run (here the findings come from two detectors and several windows).
func preferSpecific(fs []report.Finding) []report.Finding {
	if len(fs) < 2 {
		return fs
	}
	out := fs[:0:0]
	for _, f := range fs {
		keep := true
		if strings.Contains(strings.ToLower(f.RuleID), "generic") {
			for _, g := range fs {
				if g.StartLine == f.StartLine && g.RuleID != f.RuleID && strings.Contains(g.Secret, f.Secret) &&
					!strings.Contains(strings.ToLower(g.RuleID), "generic") {
					keep = false
					break
				}
			}
		}
		if keep {
			out = append(out, f)
		}
	}
	return out
}
