package repometa

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Limits on what Extract stores, so a hostile repository cannot bloat a
// project record.
const (
	maxDescription = 500 // runes
	maxTopic       = 64  // runes
	maxTopics      = 50
	maxOwner       = 200 // runes, for owners and patterns
	maxField       = 200 // runes, for lifecycle and system
)

// oneLine returns s as valid UTF-8 on a single line: control characters and
// runs of white space become one space, and the ends are trimmed.
func oneLine(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		if unicode.IsSpace(r) || unicode.IsControl(r) || r == '\u200b' || r == '\ufeff' {
			space = true
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	return b.String()
}

// truncateWords shortens s to at most max runes, cutting at a word boundary
// when there is one in the second half and marking the cut with "…".
func truncateWords(s string, max int) string {
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	// Byte offset of rune max-1, leaving room for the ellipsis.
	cut, n := 0, 0
	for i := range s {
		if n == max-1 {
			cut = i
			break
		}
		n++
	}
	head := s[:cut]
	if i := strings.LastIndexByte(head, ' '); i > len(head)/2 {
		head = head[:i]
	}
	head = strings.TrimRightFunc(head, func(r rune) bool {
		return unicode.IsSpace(r) || r == ',' || r == ';' || r == ':' || r == '-' || r == '('
	})
	return head + "…"
}

// truncate shortens s to at most max runes without marking the cut.
func truncate(s string, max int) string {
	n := 0
	for i := range s {
		if n == max {
			return s[:i]
		}
		n++
	}
	return s
}

// field cleans a short value (lifecycle, system, owner) for storage.
func field(s string, max int) string { return truncate(oneLine(s), max) }

// appendTopics adds topics to list, lower-cased, cleaned and without
// duplicates, keeping at most maxTopics.
func appendTopics(list []string, topics ...string) []string {
	for _, t := range topics {
		t = strings.ToLower(field(t, maxTopic))
		if t == "" || len(list) >= maxTopics {
			continue
		}
		dup := false
		for _, have := range list {
			if have == t {
				dup = true
				break
			}
		}
		if !dup {
			list = append(list, t)
		}
	}
	return list
}
