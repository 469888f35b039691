package gitrepo

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"strings"
)

// RemoteURL returns the URL of the origin remote (remote.origin.url) with any
// credentials removed (see StripCredentials), or "" when there is no origin or
// the config cannot be read. The URL is as configured: url.<base>.insteadOf
// rewriting is not applied.
//
// The config file is parsed in Go. Git is asked only when the config uses
// include directives or is larger than 1 MiB.
func (r *Repo) RemoteURL(ctx context.Context) string {
	url, err := r.configValue(ctx, "remote", "origin", "url")
	if err != nil {
		return ""
	}
	return StripCredentials(url)
}

// configValue returns the last value of section.subsection.key in the
// repository's config, "" when unset.
func (r *Repo) configValue(ctx context.Context, section, subsection, key string) (string, error) {
	name := filepath.Join(r.CommonDir, "config")
	data, err := readSmall(name, maxConfigFile)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return "", nil
	case errors.Is(err, errTooBig):
		return r.configValueGit(ctx, section, subsection, key)
	case err != nil:
		// A FIFO or a device would make git's read hang: never ask git.
		return "", fmt.Errorf("read config: %w", err)
	}
	entries, includes, err := parseConfig(data)
	if err != nil {
		return "", fmt.Errorf("read %s: %w", name, err)
	}
	if includes {
		return r.configValueGit(ctx, section, subsection, key)
	}
	var value string
	for _, e := range entries {
		if e.section == section && e.subsection == subsection && e.key == key {
			value = e.value
		}
	}
	return value, nil
}

// configValueGit is configValue done by git (git config --get).
func (r *Repo) configValueGit(ctx context.Context, section, subsection, key string) (string, error) {
	out, err := r.git(ctx, "config", "--get", section+"."+subsection+"."+key)
	if err != nil && exitCode(err) == 1 { // unset
		return "", nil
	}
	return out, err
}

// configEntry is one variable of a git config file. Section and key are
// lower-cased (they are case-insensitive); subsection is kept as written.
type configEntry struct {
	section, subsection, key, value string
}

// parseConfig parses a git config file by the rules of git's config.c:
// sections "[name]", "[name \"subsection\"]" and the legacy "[name.sub]";
// "key = value" with quoting, the escapes \n \t \b \\ \", backslash-newline
// continuation, and comments after # or ;. A key without "=" has the empty
// value. includes reports [include] or [includeIf] sections, whose files this
// parser does not read.
func parseConfig(data []byte) (entries []configEntry, includes bool, err error) {
	p := configParser{data: bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")), line: 1}
	var section, subsection string
	for {
		c, ok := p.next()
		if !ok {
			return entries, includes, nil
		}
		switch {
		case c == '\n' || isConfigSpace(c):
		case c == '#' || c == ';':
			p.skipLine()
		case c == '[':
			if section, subsection, err = p.sectionHeader(); err != nil {
				return nil, false, err
			}
			if section == "include" || section == "includeif" {
				includes = true
			}
		case isAlpha(c):
			if section == "" {
				return nil, false, p.errorf("variable outside a section")
			}
			key, value, err := p.variable(c)
			if err != nil {
				return nil, false, err
			}
			entries = append(entries, configEntry{section, subsection, key, value})
		default:
			return nil, false, p.errorf("unexpected %q", c)
		}
	}
}

type configParser struct {
	data []byte
	pos  int
	line int
}

// next returns the next byte, with "\r\n" read as "\n".
func (p *configParser) next() (byte, bool) {
	if p.pos >= len(p.data) {
		return 0, false
	}
	c := p.data[p.pos]
	p.pos++
	if c == '\r' && p.pos < len(p.data) && p.data[p.pos] == '\n' {
		p.pos++
		c = '\n'
	}
	if c == '\n' {
		p.line++
	}
	return c, true
}

func (p *configParser) skipLine() {
	for {
		c, ok := p.next()
		if !ok || c == '\n' {
			return
		}
	}
}

func (p *configParser) errorf(format string, args ...any) error {
	return fmt.Errorf("config line %d: %s", p.line, fmt.Sprintf(format, args...))
}

// sectionHeader parses what follows "[" up to and including "]".
func (p *configParser) sectionHeader() (section, subsection string, err error) {
	var name []byte
	for {
		c, ok := p.next()
		switch {
		case !ok || c == '\n':
			return "", "", p.errorf("unterminated section header")
		case c == ']':
			s := strings.ToLower(string(name))
			if sec, sub, dotted := strings.Cut(s, "."); dotted { // legacy [section.subsection]
				return sec, sub, nil
			}
			if s == "" {
				return "", "", p.errorf("empty section name")
			}
			return s, "", nil
		case isConfigSpace(c):
			if len(name) == 0 {
				return "", "", p.errorf("empty section name")
			}
			sub, err := p.subsection()
			return strings.ToLower(string(name)), sub, err
		case isAlnum(c) || c == '-' || c == '.':
			name = append(name, c)
		default:
			return "", "", p.errorf("bad section name character %q", c)
		}
	}
}

// subsection parses ` "subsection"]` after a section name and a space.
func (p *configParser) subsection() (string, error) {
	c, ok := p.next()
	for ok && isConfigSpace(c) {
		c, ok = p.next()
	}
	if !ok || c != '"' {
		return "", p.errorf("subsection must be quoted")
	}
	var sub []byte
	for {
		c, ok := p.next()
		if !ok || c == '\n' {
			return "", p.errorf("unterminated subsection")
		}
		if c == '"' {
			break
		}
		if c == '\\' {
			if c, ok = p.next(); !ok || c == '\n' {
				return "", p.errorf("unterminated subsection")
			}
		}
		sub = append(sub, c)
	}
	if c, ok := p.next(); !ok || c != ']' {
		return "", p.errorf("expected ] after subsection")
	}
	return string(sub), nil
}

// variable parses "key [= value]" whose first character is first.
func (p *configParser) variable(first byte) (key, value string, err error) {
	name := []byte{lower(first)}
	for {
		c, ok := p.next()
		if !ok {
			return string(name), "", nil
		}
		if isAlnum(c) || c == '-' {
			name = append(name, lower(c))
			continue
		}
		for ok && isConfigSpace(c) {
			c, ok = p.next()
		}
		switch {
		case !ok || c == '\n':
			return string(name), "", nil
		case c == '#' || c == ';':
			p.skipLine()
			return string(name), "", nil
		case c == '=':
			value, err := p.value()
			return string(name), value, err
		default:
			return "", "", p.errorf("bad variable name %q", string(name)+string(c))
		}
	}
}

// value parses a value after "=", up to the end of its (possibly continued)
// line.
func (p *configParser) value() (string, error) {
	var v []byte
	spaces, quoted, comment := 0, false, false
	for {
		c, ok := p.next()
		if !ok || c == '\n' {
			if quoted {
				return "", p.errorf("unterminated quote")
			}
			return string(v), nil
		}
		if comment {
			continue
		}
		if isConfigSpace(c) && !quoted {
			if len(v) > 0 {
				spaces++
			}
			continue
		}
		if !quoted && (c == ';' || c == '#') {
			comment = true
			continue
		}
		for ; spaces > 0; spaces-- {
			v = append(v, ' ')
		}
		switch c {
		case '\\':
			c, ok = p.next()
			switch {
			case !ok:
				return "", p.errorf("backslash at end of file")
			case c == '\n':
				continue
			case c == 't':
				c = '\t'
			case c == 'b':
				c = '\b'
			case c == 'n':
				c = '\n'
			case c == '\\' || c == '"':
			default:
				return "", p.errorf("bad escape \\%c", c)
			}
			v = append(v, c)
		case '"':
			quoted = !quoted
		default:
			v = append(v, c)
		}
	}
}

func isConfigSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f' }
func isAlpha(c byte) bool       { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }
func isAlnum(c byte) bool       { return isAlpha(c) || '0' <= c && c <= '9' }

func lower(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}
