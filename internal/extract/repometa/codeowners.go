package repometa

import (
	"strings"
)

// codeownersPaths are where GitHub looks for CODEOWNERS, in its order of
// precedence, followed by GitLab's extra location. Only the first one found
// is used.
var codeownersPaths = []string{".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS", ".gitlab/CODEOWNERS"}

// maxCodeownersRules caps the (pattern, owner) pairs kept from one file.
const maxCodeownersRules = 10000

// CodeownersRule is one owner of one CODEOWNERS pattern.
type CodeownersRule struct {
	// Pattern is the path pattern as written in the file, escapes included
	// ("docs/My\ File.md"), so that it can be matched with gitignore rules.
	Pattern string
	// Owner is "@user", "@org/team" or an e-mail address.
	Owner string
}

// ParseCodeowners returns the rules of a CODEOWNERS file in file order,
// without duplicates, and reports whether it had to stop at 10,000 rules.
//
// It follows GitHub's syntax: blank lines and lines starting with "#" are
// skipped, a "#" after white space starts a comment, "\ " and "\#" escape a
// space or hash in a pattern, and a pattern with no owners yields no rule.
// GitLab's sections ("[Section] @default-owner", "^[Optional]") are
// understood: a pattern without owners in a section takes the section's
// default owners. Tokens that are neither "@name" nor an e-mail address are
// ignored, as GitHub does.
func ParseCodeowners(content []byte) (rules []CodeownersRule, truncated bool) {
	text := strings.ToValidUTF8(string(content), "\uFFFD")
	seen := make(map[CodeownersRule]bool)
	var defaults []string
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(strings.TrimSuffix(line, "\r"))
		if line == "" || line[0] == '#' {
			continue
		}
		if line[0] == '[' || strings.HasPrefix(line, "^[") {
			// GitLab section header: "[Name][2] @owner …".
			end := strings.IndexByte(line, ']')
			if end < 0 {
				continue
			}
			rest := line[end+1:]
			if strings.HasPrefix(rest, "[") {
				if e := strings.IndexByte(rest, ']'); e >= 0 {
					rest = rest[e+1:]
				}
			}
			defaults = ownerTokens(stripComment(rest))
			continue
		}
		pattern, rest := splitCodeownersPattern(line)
		if pattern == "" {
			continue
		}
		owners := ownerTokens(stripComment(rest))
		if len(owners) == 0 {
			owners = defaults
		}
		for _, o := range owners {
			r := CodeownersRule{Pattern: field(pattern, maxOwner), Owner: field(o, maxOwner)}
			if r.Pattern == "" || r.Owner == "" || seen[r] {
				continue
			}
			if len(rules) == maxCodeownersRules {
				return rules, true
			}
			seen[r] = true
			rules = append(rules, r)
		}
	}
	return rules, false
}

// splitCodeownersPattern splits a rule line into its pattern, as written,
// and the rest of the line. The pattern ends at the first white space not
// escaped by a backslash.
func splitCodeownersPattern(line string) (pattern, rest string) {
	for i := 0; i < len(line); i++ {
		switch line[i] {
		case '\\':
			i++ // the next byte is escaped
		case ' ', '\t':
			return line[:i], line[i+1:]
		}
	}
	return line, ""
}

// stripComment removes a comment: a "#" at the start or after white space.
func stripComment(s string) string {
	for i := 0; i < len(s); i++ {
		if s[i] == '#' && (i == 0 || s[i-1] == ' ' || s[i-1] == '\t') {
			return s[:i]
		}
	}
	return s
}

// ownerTokens returns the owner-like tokens of s: "@name", "@org/team" or an
// e-mail address.
func ownerTokens(s string) []string {
	var out []string
	for _, tok := range strings.Fields(s) {
		if isOwnerToken(tok) {
			out = append(out, tok)
		}
	}
	return out
}

func isOwnerToken(tok string) bool {
	if strings.HasPrefix(tok, "@") {
		return len(tok) > 1 && !strings.ContainsAny(tok[1:], "@")
	}
	at := strings.IndexByte(tok, '@')
	return at > 0 && at < len(tok)-1 && strings.Count(tok, "@") == 1 && strings.Contains(tok[at:], ".")
}
