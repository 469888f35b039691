package deps

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/ospo-project/ospo/internal/catalog"
)

// parseRebarLock reads an Erlang rebar3 rebar.lock: the locked
// dependencies, as `{"1.2.0", [Dep...]}.` (rebar3 3.5 and later) or
// `[Dep...].` (earlier), then, from 3.5, `[{pkg_hash, [...]},
// {pkg_hash_ext, [...]}].`. A Dep is {<<"app">>, Source, Level}: level 0
// is a direct dependency. A Hex package's source is {pkg, <<"name">>,
// <<"version">>} (the Hex name may differ from the application's); a git
// source {git, "url", {ref, "sha"}} is kept under the application's name
// without a version, as mix.lock's git dependencies are. The outer
// checksum (pkg_hash_ext: the SHA-256 of the package tarball, as Hex
// publishes it) is kept as the hash. The file lists the dependencies of
// the default profile only, with no tree.
func parseRebarLock(_ context.Context, _ *input, data []byte) (output, error) {
	out := output{family: "rebar", knowsDirect: true}
	p := &erlParser{src: string(data)}
	var terms []erlTerm
	for {
		p.skipSpace()
		if p.pos >= len(p.src) {
			break
		}
		t, err := p.term(0)
		if err != nil {
			return out, err
		}
		p.skipSpace()
		if !p.eat('.') {
			return out, p.errorf("expected '.' after a term")
		}
		terms = append(terms, t)
		if len(terms) > 2 {
			return out, p.errorf("more than two terms")
		}
	}
	if len(terms) == 0 {
		return out, nil
	}
	deps := terms[0]
	if deps.kind == erlTuple && len(deps.items) == 2 && deps.items[0].kind == erlString {
		deps = deps.items[1]
	}
	if deps.kind != erlList {
		return out, errors.New("the first term is not a list of dependencies")
	}
	outer := map[string]string{}
	if len(terms) == 2 && terms[1].kind == erlList {
		for _, sec := range terms[1].items {
			if sec.kind != erlTuple || len(sec.items) != 2 || sec.items[0].text != "pkg_hash_ext" || sec.items[1].kind != erlList {
				continue
			}
			for _, h := range sec.items[1].items {
				if h.kind == erlTuple && len(h.items) == 2 && h.items[0].kind == erlBinary && h.items[1].kind == erlBinary {
					outer[h.items[0].text] = h.items[1].text
				}
			}
		}
	}
	var errs []error
	for _, d := range deps.items {
		if d.kind != erlTuple || len(d.items) < 3 || d.items[0].kind != erlBinary || d.items[1].kind != erlTuple || len(d.items[1].items) < 2 {
			errs = append(errs, fmt.Errorf("line %d: not a dependency {<<\"name\">>, Source, Level}", d.line))
			continue
		}
		app, src := d.items[0].text, d.items[1]
		var dep catalog.Dependency
		switch src.items[0].text {
		case "pkg":
			if len(src.items) < 3 || src.items[1].kind != erlBinary || src.items[2].kind != erlBinary || src.items[1].text == "" || src.items[2].text == "" {
				errs = append(errs, fmt.Errorf("line %d: %s: bad pkg source", d.line, app))
				continue
			}
			dep = newDep(ecoHex, src.items[1].text, src.items[2].text)
			if h := outer[app]; isHex(h, 64) {
				dep.Hashes = []catalog.Hash{{Algorithm: "sha256", Value: strings.ToLower(h)}}
			}
		case "git", "git_subdir", "hg":
			if app == "" {
				continue
			}
			dep = newDep(ecoHex, app, "")
		default:
			continue
		}
		dep.Direct = d.items[2].kind == erlInt && d.items[2].text == "0"
		dep.Scope = catalog.ScopeRuntime
		out.deps = append(out.deps, dep)
	}
	return out, errors.Join(errs...)
}

// erlKind is the kind of an Erlang term read by erlParser.
type erlKind int

const (
	erlAtom erlKind = iota
	erlString
	erlBinary
	erlInt
	erlTuple
	erlList
)

// erlTerm is an Erlang term: an atom, a "string", a <<"binary">> or an
// integer (text), or a tuple or list (items).
type erlTerm struct {
	kind  erlKind
	text  string
	items []erlTerm
	line  int
}

// erlParser reads the subset of Erlang's term syntax that file:consult
// files such as rebar.lock use: atoms, strings, binaries of one string,
// integers, tuples and lists, and % comments.
type erlParser struct {
	src string
	pos int
	nl  int // newlines before pos
}

func (p *erlParser) line() int { return p.nl + 1 }

func (p *erlParser) errorf(format string, args ...any) error {
	return fmt.Errorf("line %d: %s", p.line(), fmt.Sprintf(format, args...))
}

func (p *erlParser) skipSpace() {
	for p.pos < len(p.src) {
		switch c := p.src[p.pos]; {
		case c == ' ' || c == '\t' || c == '\r':
			p.pos++
		case c == '\n':
			p.pos++
			p.nl++
		case c == '%':
			for p.pos < len(p.src) && p.src[p.pos] != '\n' {
				p.pos++
			}
		default:
			return
		}
	}
}

func (p *erlParser) eat(c byte) bool {
	if p.pos < len(p.src) && p.src[p.pos] == c {
		p.pos++
		return true
	}
	return false
}

// term reads one term at nesting depth.
func (p *erlParser) term(depth int) (erlTerm, error) {
	if depth > maxNesting {
		return erlTerm{}, p.errorf("nested deeper than %d", maxNesting)
	}
	p.skipSpace()
	if p.pos >= len(p.src) {
		return erlTerm{}, p.errorf("unexpected end of file")
	}
	line := p.line()
	switch c := p.src[p.pos]; {
	case c == '{' || c == '[':
		closer, kind := byte('}'), erlTuple
		if c == '[' {
			closer, kind = ']', erlList
		}
		p.pos++
		t := erlTerm{kind: kind, line: line}
		p.skipSpace()
		if p.eat(closer) {
			return t, nil
		}
		for {
			item, err := p.term(depth + 1)
			if err != nil {
				return t, err
			}
			t.items = append(t.items, item)
			p.skipSpace()
			if p.eat(',') {
				continue
			}
			if p.eat(closer) {
				return t, nil
			}
			return t, p.errorf("expected ',' or '%c'", closer)
		}
	case c == '"':
		s, err := p.quoted('"')
		return erlTerm{kind: erlString, text: s, line: line}, err
	case c == '\'':
		s, err := p.quoted('\'')
		return erlTerm{kind: erlAtom, text: s, line: line}, err
	case c == '<':
		if !strings.HasPrefix(p.src[p.pos:], "<<") {
			return erlTerm{}, p.errorf("unexpected '<'")
		}
		p.pos += 2
		p.skipSpace()
		s := ""
		if p.pos < len(p.src) && p.src[p.pos] == '"' {
			var err error
			if s, err = p.quoted('"'); err != nil {
				return erlTerm{}, err
			}
			p.skipSpace()
		}
		if !strings.HasPrefix(p.src[p.pos:], ">>") {
			return erlTerm{}, p.errorf("expected '>>'")
		}
		p.pos += 2
		return erlTerm{kind: erlBinary, text: s, line: line}, nil
	case c >= '0' && c <= '9' || c == '-':
		start := p.pos
		p.pos++
		for p.pos < len(p.src) && p.src[p.pos] >= '0' && p.src[p.pos] <= '9' {
			p.pos++
		}
		if _, err := strconv.Atoi(p.src[start:p.pos]); err != nil {
			return erlTerm{}, p.errorf("bad integer %q", p.src[start:p.pos])
		}
		return erlTerm{kind: erlInt, text: p.src[start:p.pos], line: line}, nil
	case c >= 'a' && c <= 'z':
		start := p.pos
		for p.pos < len(p.src) {
			c := p.src[p.pos]
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '@') {
				break
			}
			p.pos++
		}
		return erlTerm{kind: erlAtom, text: p.src[start:p.pos], line: line}, nil
	}
	return erlTerm{}, p.errorf("unexpected %q", p.src[p.pos])
}

// quoted reads a string quoted by q, with Erlang's backslash escapes kept
// as the escaped character.
func (p *erlParser) quoted(q byte) (string, error) {
	p.pos++ // the opening quote
	var b strings.Builder
	for p.pos < len(p.src) {
		c := p.src[p.pos]
		switch c {
		case q:
			p.pos++
			return b.String(), nil
		case '\\':
			if p.pos+1 < len(p.src) {
				p.pos++
				c = p.src[p.pos]
			}
		}
		if c == '\n' {
			p.nl++
		}
		b.WriteByte(c)
		p.pos++
	}
	return "", p.errorf("unterminated string")
}
