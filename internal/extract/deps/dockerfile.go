package deps

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"path"
	"strconv"
	"strings"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/lazyre"
)

// isDockerfile matches Dockerfile, Containerfile and their variants
// (Dockerfile.dev, Dockerfile-prod, app.dockerfile, app.Containerfile).
func isDockerfile(p string) bool {
	b := strings.ToLower(path.Base(p))
	for _, n := range []string{"dockerfile", "containerfile"} {
		if b == n || strings.HasPrefix(b, n+".") || strings.HasPrefix(b, n+"-") || strings.HasPrefix(b, n+"_") ||
			strings.HasSuffix(b, "."+n) {
			return true
		}
	}
	return false
}

// dockerStage is one FROM of a Dockerfile.
type dockerStage struct {
	name  string // the AS name, lowercased
	base  string // the image reference, variables expanded
	stage int    // index of the stage it builds on, or -1 for an image
	ok    bool   // base could be resolved
}

// Limits on a Dockerfile, beyond which the rest is ignored.
const (
	maxDockerLine   = 1 << 20
	maxDockerStages = 10_000
)

// parseDockerfile reads the base images of a Dockerfile or Containerfile:
// every FROM that names an image rather than an earlier stage (or
// "scratch"), and COPY --from=image. Build arguments declared before the
// first FROM are substituted ($VAR, ${VAR}, ${VAR:-default}); an image
// that still depends on an unset argument is skipped. The final stage's
// image is runtime, the others build. Line continuations, the escape
// parser directive and heredocs are understood.
//
// Each image is a direct dependency of the Docker ecosystem, named as
// written without "docker.io/" and "library/" ("nginx", "ghcr.io/org/app"),
// versioned by its tag ("latest" when it has neither tag nor digest), and
// with its digest, if pinned, as a sha256 hash.
func parseDockerfile(ctx context.Context, _ *input, data []byte) (output, error) {
	out := output{knowsDirect: true}
	instrs, err := dockerInstructions(ctx, data)
	args := map[string]string{}
	var stages []dockerStage
	var copies []string
	for _, in := range instrs {
		kw, rest := in[0], in[1]
		switch kw {
		case "ARG":
			if len(stages) > 0 {
				continue // a stage's own ARG does not reach FROM lines
			}
			for _, a := range splitWords(rest) {
				k, v, hasV := strings.Cut(a, "=")
				if hasV {
					args[k] = unquote(v)
				} else if _, ok := args[k]; !ok {
					args[k] = "\x00unset"
				}
			}
		case "FROM":
			if len(stages) >= maxDockerStages {
				continue
			}
			words := splitWords(rest)
			for len(words) > 0 && strings.HasPrefix(words[0], "--") {
				words = words[1:]
			}
			if len(words) == 0 {
				continue
			}
			st := dockerStage{stage: -1}
			if len(words) >= 3 && strings.EqualFold(words[1], "as") {
				st.name = strings.ToLower(words[2])
			}
			st.base, st.ok = expandArgs(words[0], args)
			if st.ok {
				for i, prev := range stages {
					if prev.name != "" && prev.name == strings.ToLower(st.base) {
						st.stage = i
						break
					}
				}
			}
			stages = append(stages, st)
		case "COPY":
			for _, w := range splitWords(rest) {
				if from, ok := strings.CutPrefix(strings.ToLower(w), "--from="); ok {
					copies = append(copies, w[len("--from="):len("--from=")+len(from)])
				}
			}
		}
	}
	if len(stages) == 0 {
		return out, err
	}
	// The final image: follow the last stage back to an image.
	final := len(stages) - 1
	for seen := 0; stages[final].stage >= 0 && seen < len(stages); seen++ {
		final = stages[final].stage
	}
	add := func(ref, scope string) {
		if d, ok := imageDep(ref); ok {
			d.Direct, d.Scope = true, scope
			out.deps = append(out.deps, d)
		}
	}
	for i, st := range stages {
		if !st.ok || st.stage >= 0 || strings.EqualFold(st.base, "scratch") {
			continue
		}
		scope := catalog.ScopeBuild
		if i == final {
			scope = catalog.ScopeRuntime
		}
		add(st.base, scope)
	}
	for _, c := range copies {
		ref, ok := expandArgs(c, args)
		if !ok {
			continue
		}
		isStage := false
		if _, err := strconv.Atoi(ref); err == nil {
			isStage = true
		}
		for _, st := range stages {
			if st.name != "" && st.name == strings.ToLower(ref) {
				isStage = true
			}
		}
		if !isStage {
			add(ref, catalog.ScopeBuild)
		}
	}
	return out, err
}

// reHeredoc finds heredoc markers: <<EOF, <<-EOF, <<"EOF", <<'EOF'.
var reHeredoc = lazyre.New(`<<(-?)(["']?)([A-Za-z_][A-Za-z0-9_]*)(["']?)`)

// dockerInstructions splits a Dockerfile into instructions: the keyword
// (upper case) and the rest, continuation lines joined. Comments and
// heredoc bodies are dropped.
func dockerInstructions(ctx context.Context, data []byte) ([][2]string, error) {
	var out [][2]string
	escape := byte('\\')
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 64<<10), maxDockerLine)
	directives := true
	var cur strings.Builder
	var heredocs []string // terminators still awaited
	ln := 0
	flush := func() {
		s := strings.TrimSpace(cur.String())
		cur.Reset()
		if s == "" {
			return
		}
		kw, rest, _ := strings.Cut(s, " ")
		if i := strings.IndexAny(kw, "\t"); i >= 0 {
			kw, rest = kw[:i], kw[i+1:]+" "+rest
		}
		kw = strings.ToUpper(kw)
		out = append(out, [2]string{kw, strings.TrimSpace(rest)})
		for _, m := range reHeredoc.FindAllStringSubmatch(s, -1) {
			if kw == "RUN" || kw == "COPY" || kw == "ADD" {
				heredocs = append(heredocs, m[1]+m[3])
			}
		}
	}
	for sc.Scan() {
		ln++
		if ln%4096 == 0 && ctx.Err() != nil {
			return out, ctx.Err()
		}
		line := strings.TrimRight(sc.Text(), "\r")
		if len(heredocs) > 0 {
			t := heredocs[0]
			body := line
			if strings.HasPrefix(t, "-") {
				t, body = t[1:], strings.TrimLeft(line, "\t")
			}
			if body == t {
				heredocs = heredocs[1:]
			}
			continue
		}
		trimmed := strings.TrimSpace(line)
		if strings.HasPrefix(trimmed, "#") {
			if directives && cur.Len() == 0 {
				if k, v, ok := strings.Cut(strings.TrimSpace(trimmed[1:]), "="); ok && strings.EqualFold(strings.TrimSpace(k), "escape") {
					if v = strings.TrimSpace(v); v == "`" {
						escape = '`'
					}
				}
			}
			continue
		}
		directives = false
		if trimmed == "" {
			continue
		}
		if trimmed[len(trimmed)-1] == escape {
			cur.WriteString(trimmed[:len(trimmed)-1])
			cur.WriteByte(' ')
			if cur.Len() > maxDockerLine {
				return out, fmt.Errorf("line %d: instruction longer than %d bytes", ln, maxDockerLine)
			}
			continue
		}
		cur.WriteString(trimmed)
		flush()
	}
	flush()
	if err := sc.Err(); err != nil {
		return out, fmt.Errorf("line %d: %w", ln+1, err)
	}
	return out, nil
}

// splitWords splits an instruction's arguments on white space, keeping
// quoted strings together.
func splitWords(s string) []string {
	var out []string
	var cur strings.Builder
	var quote byte
	in := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0:
			cur.WriteByte(c)
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
			cur.WriteByte(c)
			in = true
		case c == ' ' || c == '\t':
			if in {
				out = append(out, cur.String())
				cur.Reset()
				in = false
			}
		default:
			cur.WriteByte(c)
			in = true
		}
	}
	if in {
		out = append(out, cur.String())
	}
	return out
}

func unquote(s string) string {
	if len(s) >= 2 && (s[0] == '"' || s[0] == '\'') && s[len(s)-1] == s[0] {
		return s[1 : len(s)-1]
	}
	return s
}

// reVar matches $NAME and ${NAME…}.
var reVar = lazyre.New(`\$(?:([A-Za-z_][A-Za-z0-9_]*)|\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-+])([^}]*))?\})`)

// expandArgs substitutes build arguments in s. It reports false when a
// variable has no value.
func expandArgs(s string, args map[string]string) (string, bool) {
	s = unquote(s)
	ok := true
	s = reVar.ReplaceAllStringFunc(s, func(m string) string {
		sm := reVar.FindStringSubmatch(m)
		name, op, word := sm[1], sm[3], sm[4]
		if name == "" {
			name = sm[2]
		}
		v, set := args[name]
		if v == "\x00unset" {
			v, set = "", false
		}
		switch op {
		case ":-":
			if v == "" {
				return word
			}
		case "-":
			if !set {
				return word
			}
		case ":+":
			if v != "" {
				return word
			}
			return ""
		case "+":
			if set {
				return word
			}
			return ""
		}
		if !set {
			ok = false
		}
		return v
	})
	return s, ok && s != ""
}

// reImageName matches an image name: optional registry host (with port),
// then path components.
var reImageName = lazyre.New(`^[a-zA-Z0-9][a-zA-Z0-9._-]*(?::[0-9]+)?(?:/[a-zA-Z0-9._-]+)*$`)

// reTag and reDigest match an image tag and digest.
var (
	reTag    = lazyre.New(`^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$`)
	reDigest = lazyre.New(`^([a-z0-9]+):([a-fA-F0-9]{32,})$`)
)

// imageDep turns an image reference ("[registry/]path[:tag][@digest]")
// into a dependency.
func imageDep(ref string) (catalog.Dependency, bool) {
	name, digestPart, hasDigest := strings.Cut(strings.TrimSpace(ref), "@")
	var alg, digest string
	if hasDigest {
		m := reDigest.FindStringSubmatch(digestPart)
		if m == nil {
			return catalog.Dependency{}, false
		}
		alg, digest = m[1], m[2]
	}
	tag := ""
	if i := strings.LastIndexByte(name, ':'); i > strings.LastIndexByte(name, '/') {
		name, tag = name[:i], name[i+1:]
		if !reTag.MatchString(tag) {
			return catalog.Dependency{}, false
		}
	}
	if !reImageName.MatchString(name) {
		return catalog.Dependency{}, false
	}
	for _, p := range []string{"docker.io/", "index.docker.io/", "registry-1.docker.io/"} {
		if rest, ok := strings.CutPrefix(name, p); ok {
			name = strings.TrimPrefix(rest, "library/")
		}
	}
	version := tag
	if version == "" && digest != "" {
		version = alg + ":" + digest
	}
	if version == "" {
		version = "latest"
	}
	d := newDep(ecoDocker, name, version)
	if digest != "" {
		d.Hashes = []catalog.Hash{{Algorithm: alg, Value: digest}}
	}
	return d, d.PURL != ""
}
