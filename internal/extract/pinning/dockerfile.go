// Portions of this file are derived from OpenSSF Scorecard
// (checks/raw/pinned_dependencies.go), Copyright 2022 OpenSSF Scorecard
// Authors, licensed under the Apache License, Version 2.0.

package pinning

import (
	"encoding/json"
	"path"
	"strings"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/lazyre"
)

// pinnedImage is Scorecard's rule for a pinned base image: a sha256 digest,
// or one given by a build argument (FROM image@sha256:${DIGEST}).
var pinnedImage = lazyre.New(`.*@sha256:([a-f\d]{64}|\${.*})`)

// heredocMarker finds heredoc markers: <<EOF, <<-EOF, <<"EOF", <<'EOF'.
var heredocMarker = lazyre.New(`<<(-?)(["']?)([A-Za-z_][A-Za-z0-9_]*)(["']?)`)

// instruction is one Dockerfile instruction.
type instruction struct {
	keyword string // upper case
	// args is the rest, continuation lines joined by newlines (escaped as
	// the shell expects when the escape character is a backslash);
	// comment and blank lines inside the continuation are dropped.
	args string
	// lines maps each line of args to its line in the file.
	lines []int
	// original is the instruction as written on its first line.
	original string
	heredocs []heredoc
}

type heredoc struct {
	body       string
	terminator string
	first      int // the file line of the body's first line
}

// maxInstructions caps what is read of one Dockerfile.
const maxInstructions = 20_000

// instructions splits a Dockerfile into instructions, as BuildKit does:
// the escape parser directive, continuation lines, comments and heredocs
// (for RUN, COPY and ADD) are understood.
func instructions(content string) []instruction {
	lines := strings.Split(content, "\n")
	for i := range lines {
		lines[i] = strings.TrimSuffix(lines[i], "\r")
	}
	escape := byte('\\')
	var out []instruction
	directives := true
	for i := 0; i < len(lines) && len(out) < maxInstructions; i++ {
		trimmed := strings.TrimSpace(lines[i])
		if strings.HasPrefix(trimmed, "#") {
			if directives {
				k, v, ok := strings.Cut(strings.TrimSpace(trimmed[1:]), "=")
				if ok && strings.EqualFold(strings.TrimSpace(k), "escape") && strings.TrimSpace(v) == "`" {
					escape = '`'
				}
			}
			continue
		}
		directives = false
		if trimmed == "" {
			continue
		}
		in := instruction{original: trimmed}
		var text []string
		line := strings.TrimLeft(lines[i], " \t")
		for {
			t := strings.TrimRight(line, " \t")
			cont := len(t) > 0 && t[len(t)-1] == escape
			if cont {
				t = t[:len(t)-1]
			}
			text = append(text, t)
			in.lines = append(in.lines, i+1)
			if !cont {
				break
			}
			// Skip comment and blank lines inside the continuation.
			for i+1 < len(lines) {
				if n := strings.TrimSpace(lines[i+1]); n == "" || strings.HasPrefix(n, "#") {
					i++
					continue
				}
				break
			}
			if i+1 >= len(lines) {
				break
			}
			i++
			line = lines[i]
		}
		kw, rest, _ := strings.Cut(text[0], " ")
		if j := strings.IndexByte(kw, '\t'); j >= 0 {
			kw, rest = kw[:j], kw[j+1:]+" "+rest
		}
		in.keyword = strings.ToUpper(kw)
		text[0] = strings.TrimLeft(rest, " \t")
		if escape == '\\' {
			in.args = strings.Join(text, "\\\n")
		} else {
			in.args = strings.Join(text, " ")
			in.lines = in.lines[:1]
		}
		if in.keyword == "RUN" || in.keyword == "COPY" || in.keyword == "ADD" {
			for _, m := range heredocMarker.FindAllStringSubmatch(in.args, -1) {
				strip, term := m[1] == "-", m[3]
				h := heredoc{first: i + 2, terminator: term}
				var body []string
				for i+1 < len(lines) {
					i++
					l := lines[i]
					if strip {
						l = strings.TrimLeft(l, "\t")
					}
					if l == term {
						break
					}
					body = append(body, l)
				}
				h.body = strings.Join(body, "\n") + "\n"
				in.heredocs = append(in.heredocs, h)
			}
		}
		out = append(out, in)
	}
	return out
}

// isTemplateFile is Scorecard's test for a template (Dockerfile.template,
// Dockerfile.tmpl, Dockerfile-tpl …), whose FROM lines are not judged.
func isTemplateFile(p string) bool {
	parts := strings.FieldsFunc(path.Base(p), func(r rune) bool { return r == '.' || r == '-' || r == '_' })
	for _, part := range parts {
		switch strings.ToLower(part) {
		case "template", "tmpl", "tpl":
			return true
		}
	}
	return false
}

// dockerfile analyses a Dockerfile: each FROM's image (Scorecard's rules:
// pinned by sha256 digest; a stage named after a pinned image is pinned;
// "scratch" is not a dependency), and each RUN's shell commands, with
// downloaded files remembered across the file's RUNs.
func (x *extraction) dockerfile(p string, content []byte) {
	if !hasCommands(content) {
		return
	}
	template := isTemplateFile(p)
	scan := x.newShellScan(p)
	args := map[string]string{}
	pinnedAs := map[string]bool{}
	for _, in := range instructions(string(content)) {
		if x.full() {
			return
		}
		switch in.keyword {
		case "ARG":
			for _, w := range strings.Fields(in.args) {
				if k, v, ok := strings.Cut(w, "="); ok {
					args[k] = unquote(v)
				}
			}
		case "FROM":
			if !template {
				x.from(p, in, args, pinnedAs)
			}
		case "RUN":
			x.run(scan, in)
		}
	}
}

func unquote(s string) string {
	if len(s) >= 2 && (s[0] == '"' || s[0] == '\'') && s[len(s)-1] == s[0] {
		return s[1 : len(s)-1]
	}
	return s
}

// withoutFlags drops the leading --flag words of an instruction's
// arguments (FROM --platform=…, RUN --mount=…).
func withoutFlags(s string) string {
	for {
		s = strings.TrimLeft(s, " \t\\\n")
		if !strings.HasPrefix(s, "--") {
			return s
		}
		i := strings.IndexAny(s, " \t\n")
		if i < 0 {
			return ""
		}
		s = s[i:]
	}
}

func (x *extraction) from(p string, in instruction, args map[string]string, pinnedAs map[string]bool) {
	var words []string
	for _, w := range strings.Fields(strings.ReplaceAll(withoutFlags(in.args), "\\\n", " ")) {
		for k, v := range args {
			w = strings.ReplaceAll(w, "${"+k+"}", v)
		}
		words = append(words, w)
	}
	line := in.lines[0]
	switch {
	case len(words) > 0 && strings.EqualFold(words[0], "scratch"):
		if len(words) == 3 && strings.EqualFold(words[1], "as") {
			pinnedAs[words[2]] = true
		}
	case len(words) == 3 && strings.EqualFold(words[1], "as"):
		pinned := pinnedAs[words[0]] || pinnedImage.MatchString(words[0])
		pinnedAs[words[2]] = pinned
		x.add(catalog.PinnedDependency{Type: catalog.PinContainerImage, Pinned: pinned, Path: p, Line: line, Snippet: in.original})
	case len(words) == 1:
		pinned := pinnedAs[words[0]] || pinnedImage.MatchString(words[0])
		x.add(catalog.PinnedDependency{Type: catalog.PinContainerImage, Pinned: pinned, Path: p, Line: line, Snippet: in.original})
	}
}

// run analyses a RUN instruction's shell: the command line (an exec form's
// words joined by spaces), or, when the command is a heredoc run by the
// shell (RUN <<EOF, RUN bash <<EOF), the heredoc bodies.
func (x *extraction) run(scan *shellScan, in instruction) {
	cmd := withoutFlags(in.args)
	// Where cmd starts among in.lines: flags may span lines.
	skipped := strings.Count(in.args[:len(in.args)-len(cmd)], "\n")
	lines := in.lines[min(skipped, len(in.lines)-1):]
	lineOf := func(n int) int {
		if n >= 1 && n <= len(lines) {
			return lines[n-1]
		}
		return lines[len(lines)-1]
	}
	if strings.HasPrefix(cmd, "[") {
		var words []string
		if json.Unmarshal([]byte(strings.ReplaceAll(cmd, "\\\n", "")), &words) == nil {
			cmd = strings.Join(words, " ")
			lineOf = func(int) int { return lines[0] }
		}
	}
	if len(in.heredocs) > 0 {
		first := strings.Fields(cmd)
		if len(first) > 0 && (strings.HasPrefix(first[0], "<<") || isAnyBinary(shellNames, first[0]) && len(first) > 1 && strings.HasPrefix(first[1], "<<")) {
			for _, h := range in.heredocs {
				if strings.HasPrefix(h.body, "#!") && shebangShell([]byte(h.body), shellNames) == "" {
					continue // a script for another interpreter (#!/usr/bin/env python)
				}
				if err := scan.script([]byte(h.body), h.first); err != nil {
					x.problem(catalog.ProblemParse, scan.path, "RUN heredoc not analysed: "+err.Error())
				}
			}
			return
		}
		// The heredocs are data of the command (cat <<EOF > file): give
		// the shell the whole text.
		var b strings.Builder
		b.WriteString(cmd)
		for _, h := range in.heredocs {
			b.WriteString("\n")
			b.WriteString(h.body)
			b.WriteString(h.terminator)
		}
		cmd = b.String()
	}
	if err := scan.parse([]byte(cmd), lineOf, 0); err != nil {
		x.problem(catalog.ProblemParse, scan.path, "RUN not analysed: "+err.Error())
	}
}
