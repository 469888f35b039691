package languages

import (
	"bufio"
	"bytes"
	"errors"
	"path"
	"sort"
	"strconv"
	"strings"

	"github.com/go-enry/go-enry/v2"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/repofs"
)

// maxAttributesFile is the largest .gitattributes file read.
const maxAttributesFile = 1 << 20

// maxAttributeRules caps the linguist rules kept from all .gitattributes
// files, so a hostile tree cannot make every file lookup slow.
const maxAttributeRules = 1000

// attrState is the state of a boolean git attribute for one path.
type attrState int8

const (
	attrUnset attrState = iota // unspecified: linguist's own rules apply
	attrTrue
	attrFalse
)

// or returns the attribute's value when it is set, else def().
func (s attrState) or(def func() bool) bool {
	switch s {
	case attrTrue:
		return true
	case attrFalse:
		return false
	}
	return def()
}

// attrSet is the linguist attributes of one path.
type attrSet struct {
	vendored, generated, documentation, detectable attrState
	// language is the canonical enry name from linguist-language, or "".
	language string
}

// assignment is one linguist attribute set, unset or given a value by a rule.
type assignment struct {
	name  string    // "vendored", "generated", "documentation", "detectable", "language"
	state attrState // for booleans
	lang  string    // for language; "" resets it
}

// rule is one .gitattributes line that touches a linguist attribute.
type rule struct {
	dir      string   // directory of the .gitattributes file, "" at the root
	segs     []string // pattern split on "/"
	basename bool     // the pattern has no "/": match the base name at any depth
	assigns  []assignment
}

// attributes holds the linguist rules of a tree, shallowest file first and in
// line order within a file, so later rules override earlier ones as in git.
type attributes struct {
	rules []rule
}

// loadAttributes reads every .gitattributes file in files and returns the
// linguist rules they hold, or nil if there are none.
func loadAttributes(t repofs.Tree, files []repofs.File, problem func(catalog.Problem)) *attributes {
	var found []repofs.File
	for _, f := range files {
		if !f.Symlink && !f.Submodule && path.Base(f.Path) == ".gitattributes" {
			found = append(found, f)
		}
	}
	if len(found) == 0 {
		return nil
	}
	sort.SliceStable(found, func(i, j int) bool {
		return strings.Count(found[i].Path, "/") < strings.Count(found[j].Path, "/")
	})
	a := &attributes{}
	for _, f := range found {
		if f.Size > maxAttributesFile {
			problem(catalog.Problem{Kind: catalog.ProblemTooLarge, Path: f.Path,
				Message: "gitattributes file larger than 1 MiB ignored"})
			continue
		}
		b, err := t.ReadFile(f.Path, maxAttributesFile)
		if err != nil {
			kind := catalog.ProblemUnreadable
			if errors.Is(err, repofs.ErrTooLarge) {
				kind = catalog.ProblemTooLarge
			}
			problem(catalog.Problem{Kind: kind, Path: f.Path, Message: "read gitattributes: " + err.Error()})
			continue
		}
		dir := path.Dir(f.Path)
		if dir == "." {
			dir = ""
		}
		for _, r := range parseAttributes(b) {
			if len(a.rules) == maxAttributeRules {
				break
			}
			r.dir = dir
			a.rules = append(a.rules, r)
		}
	}
	if len(a.rules) == 0 {
		return nil
	}
	return a
}

// parseAttributes returns the rules of one .gitattributes file that set a
// linguist attribute. Malformed lines, macro definitions, negative patterns
// (which git rejects) and directory patterns ("dir/", which match no file)
// are skipped.
func parseAttributes(b []byte) []rule {
	var rules []rule
	sc := bufio.NewScanner(bytes.NewReader(trimBOM(b)))
	sc.Buffer(make([]byte, 0, 4096), maxAttributesFile)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || line[0] == '#' || strings.HasPrefix(line, "[attr]") {
			continue
		}
		pattern, rest, ok := splitPattern(line)
		if !ok || pattern == "" || pattern[0] == '!' {
			continue
		}
		var assigns []assignment
		for _, field := range strings.Fields(rest) {
			if as, ok := parseAssignment(field); ok {
				assigns = append(assigns, as)
			}
		}
		if len(assigns) == 0 {
			continue
		}
		if strings.HasSuffix(pattern, "/") {
			continue // matches directories only, never a file (gitattributes(5))
		}
		r := rule{assigns: assigns, basename: !strings.Contains(pattern, "/")}
		p := strings.TrimPrefix(pattern, "/")
		if p == "" {
			continue
		}
		r.segs = strings.Split(p, "/")
		for i, s := range r.segs {
			r.segs[i] = strings.ReplaceAll(s, "[!", "[^")
		}
		rules = append(rules, r)
	}
	return rules
}

// trimBOM removes a UTF-8 byte order mark.
func trimBOM(b []byte) []byte { return bytes.TrimPrefix(b, []byte("\xef\xbb\xbf")) }

// splitPattern splits a line into its pattern (unquoted if git-quoted) and
// the attributes that follow.
func splitPattern(line string) (pattern, rest string, ok bool) {
	if line[0] == '"' {
		// A C-style quoted pattern: find the closing quote.
		for i := 1; i < len(line); i++ {
			switch line[i] {
			case '\\':
				i++
			case '"':
				p, err := strconv.Unquote(line[:i+1])
				if err != nil {
					return "", "", false
				}
				return p, line[i+1:], true
			}
		}
		return "", "", false
	}
	i := strings.IndexAny(line, " \t")
	if i < 0 {
		return line, "", true
	}
	return line[:i], line[i+1:], true
}

// parseAssignment parses one attribute field if it is a linguist attribute.
func parseAssignment(field string) (assignment, bool) {
	state := attrTrue
	switch field[0] {
	case '-':
		state, field = attrFalse, field[1:]
	case '!':
		state, field = attrUnset, field[1:]
	}
	name, value, hasValue := strings.Cut(field, "=")
	if !strings.HasPrefix(name, "linguist-") {
		return assignment{}, false
	}
	name = strings.TrimPrefix(name, "linguist-")
	switch name {
	case "vendored", "generated", "documentation", "detectable":
		// Linguist reads any value but "false" as true.
		if hasValue && state == attrTrue && value == "false" {
			state = attrFalse
		}
		return assignment{name: name, state: state}, true
	case "language":
		if state != attrTrue || !hasValue {
			return assignment{name: name}, true // unset or reset
		}
		lang, ok := enry.GetLanguageByAlias(value)
		if !ok {
			return assignment{}, false
		}
		return assignment{name: name, state: attrTrue, lang: lang}, true
	}
	return assignment{}, false
}

// lookup returns the linguist attributes of the file at p.
func (a *attributes) lookup(p string) attrSet {
	var s attrSet
	for i := range a.rules {
		r := &a.rules[i]
		if !r.match(p) {
			continue
		}
		for _, as := range r.assigns {
			switch as.name {
			case "vendored":
				s.vendored = as.state
			case "generated":
				s.generated = as.state
			case "documentation":
				s.documentation = as.state
			case "detectable":
				s.detectable = as.state
			case "language":
				s.language = as.lang
			}
		}
	}
	return s
}

// match reports whether the rule's pattern matches the file at p, following
// gitattributes(5): a pattern without a slash matches the base name at any
// depth below the rule's directory; otherwise it matches the path relative to
// that directory, "*" never crossing "/", and "**" matching any number of
// directories.
func (r *rule) match(p string) bool {
	if r.dir != "" {
		if !strings.HasPrefix(p, r.dir+"/") {
			return false
		}
		p = p[len(r.dir)+1:]
	}
	if r.basename {
		ok, _ := path.Match(r.segs[0], path.Base(p))
		return ok
	}
	return matchSegments(r.segs, strings.Split(p, "/"))
}

// matchSegments matches pattern segments against path segments, "**"
// matching zero or more segments, except that a trailing "**" needs at least
// one. It backtracks only to the last "**" seen, so it takes O(len(pat) ×
// len(name)) segment comparisons whatever the pattern.
func matchSegments(pat, name []string) bool {
	if n := len(pat); n > 0 && pat[n-1] == "**" {
		fixed := 0
		for _, s := range pat {
			if s != "**" {
				fixed++
			}
		}
		if len(name) <= fixed {
			return false
		}
	}
	p, n := 0, 0
	starP, starN := -1, 0
	for n < len(name) {
		if p < len(pat) && pat[p] == "**" {
			starP, starN = p, n
			p++
			continue
		}
		if p < len(pat) {
			if ok, _ := path.Match(pat[p], name[n]); ok {
				p++
				n++
				continue
			}
		}
		if starP < 0 {
			return false
		}
		p = starP + 1
		starN++
		n = starN
	}
	for p < len(pat) && pat[p] == "**" {
		p++
	}
	return p == len(pat)
}
