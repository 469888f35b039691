package deps

import (
	"context"
	"strings"

	"github.com/ospo-project/ospo/internal/lazyre"
)

// parseGradleBuild reads the dependencies a Gradle build script
// (build.gradle, build.gradle.kts) declares with literal coordinates:
//
//	implementation 'group:artifact:1.2.3'            (Groovy)
//	testImplementation("group:artifact:$junitVersion") (Kotlin)
//	api group: 'group', name: 'artifact', version: '1.2.3'
//	implementation(platform("group:bom:1.0"))
//
// A build script is code: this reads what it states literally, not what it
// computes. "$name" and "${name}" are replaced by a string a variable of
// the same script is given (def, val, var, ext.name = "…"); a reference
// left unresolved, or coordinates without a version (managed by a
// platform or plugin), give no version. Dynamic versions and ranges
// ("1.+", "[1.0,2.0)", "latest.release") are constraints. Catalog
// references (libs.foo) and project(":module") are not read: the version
// catalog is read on its own, modules are the repository's own code.
//
// The configuration gives the scope (as in gradle.lockfile); the
// buildscript's classpath is build. Every declaration is direct. It is a
// manifest: a gradle.lockfile of the project replaces it and the
// declarations mark the lockfile's modules direct.
func parseGradleBuild(_ context.Context, _ *input, data []byte) (output, error) {
	out := output{family: "gradle", manifest: true, knowsDirect: true}
	src := stripGradleComments(data)
	vars := map[string]string{}
	for _, m := range reGradleVar.FindAllStringSubmatch(src, -1) {
		if _, ok := vars[m[1]]; !ok {
			vars[m[1]] = m[2]
		}
	}
	expand := func(s string) (string, bool) {
		if !strings.Contains(s, "$") {
			return s, true
		}
		ok := true
		s = reGradleRef.ReplaceAllStringFunc(s, func(ref string) string {
			name := strings.Trim(ref, "${}")
			if i := strings.LastIndexByte(name, '.'); i >= 0 { // rootProject.ext.x, project.x
				name = name[i+1:]
			}
			if v, found := vars[name]; found {
				return v
			}
			ok = false
			return ref
		})
		return s, ok && !strings.Contains(s, "$")
	}
	add := func(conf, group, artifact, version string) {
		if group == "" || artifact == "" || strings.ContainsAny(group+artifact, " $/\\") {
			return
		}
		v, ok := expand(strings.TrimSpace(version))
		if !ok {
			v = ""
		}
		exact := v != "" && !strings.ContainsAny(v, "[]()+,") && !strings.HasPrefix(v, "latest.")
		d := constraintDep(ecoMaven, group+":"+artifact, v, gradleScope(conf, conf == "classpath"), exact)
		out.deps = append(out.deps, d)
	}
	for _, m := range reGradleDep.FindAllStringSubmatch(src, -1) {
		coord := m[2]
		if i := strings.IndexByte(coord, '@'); i >= 0 { // "g:a:v@aar"
			coord = coord[:i]
		}
		parts := strings.Split(coord, ":")
		if len(parts) < 2 || len(parts) > 4 {
			continue
		}
		version := ""
		if len(parts) >= 3 {
			version = parts[2]
		}
		add(m[1], parts[0], parts[1], version)
	}
	for _, m := range reGradleMapDep.FindAllStringSubmatch(src, -1) {
		add(m[1], m[2], m[3], m[4])
	}
	return out, nil
}

// gradleConfs matches the configurations dependencies are declared on.
const gradleConfs = `((?:[a-z][A-Za-z0-9]*)?(?:[Ii]mplementation|[Aa]pi|[Cc]ompileOnly|[Rr]untimeOnly|[Cc]ompile|[Rr]untime|[Aa]nnotationProcessor)|kapt|ksp|classpath|developmentOnly|detektPlugins|lintChecks)`

var (
	// reGradleVar matches a variable given a plain string:
	// def x = '1', val x = "1", var x: String = "1", ext.x = '1', x = '1'.
	reGradleVar = lazyre.New(`(?m)^[ \t]*(?:(?:const[ \t]+)?(?:def|val|var)[ \t]+|(?:project\.|rootProject\.)?ext(?:ra)?\.)?([A-Za-z_][A-Za-z0-9_]*)[ \t]*(?::[ \t]*String[ \t]*)?=[ \t]*["']([^"'$\n]*)["']`)
	// reGradleRef matches $name and ${name} (dotted names too).
	reGradleRef = lazyre.New(`\$\{[A-Za-z_][A-Za-z0-9_.]*\}|\$[A-Za-z_][A-Za-z0-9_]*`)
	// reGradleDep matches a declaration in string notation, possibly in
	// platform(…) or enforcedPlatform(…).
	reGradleDep = lazyre.New(`\b` + gradleConfs + `[ \t]*\(?[ \t]*(?:(?:enforcedPlatform|platform)[ \t]*\([ \t]*)?["']([^"'\s]+)["']`)
	// reGradleMapDep matches a declaration in map notation (Groovy
	// group: 'g', or Kotlin group = "g").
	reGradleMapDep = lazyre.New(`\b` + gradleConfs + `[ \t]*\(?[ \t]*group[ \t]*[:=][ \t]*["']([^"'\s]+)["'][ \t]*,[ \t]*name[ \t]*[:=][ \t]*["']([^"'\s]+)["'](?:[ \t]*,[ \t]*version[ \t]*[:=][ \t]*["']([^"'\s]+)["'])?`)
)

// stripGradleComments returns the script without its // and /* */
// comments; strings (', ", """) are kept as they are, so that a "//" in a
// URL is not a comment.
func stripGradleComments(data []byte) string {
	var b strings.Builder
	b.Grow(len(data))
	s := string(data)
	for i := 0; i < len(s); {
		switch {
		case strings.HasPrefix(s[i:], "//"):
			j := strings.IndexByte(s[i:], '\n')
			if j < 0 {
				return b.String()
			}
			i += j
		case strings.HasPrefix(s[i:], "/*"):
			j := strings.Index(s[i+2:], "*/")
			if j < 0 {
				return b.String()
			}
			b.WriteByte(' ')
			i += 2 + j + 2
		case strings.HasPrefix(s[i:], `"""`):
			j := strings.Index(s[i+3:], `"""`)
			end := len(s)
			if j >= 0 {
				end = i + 3 + j + 3
			}
			b.WriteString(s[i:end])
			i = end
		case s[i] == '"' || s[i] == '\'':
			q := s[i]
			j := i + 1
			for j < len(s) && s[j] != q && s[j] != '\n' {
				if s[j] == '\\' {
					j++
				}
				j++
			}
			if j >= len(s) {
				j = len(s) - 1
			}
			b.WriteString(s[i : j+1])
			i = j + 1
		default:
			b.WriteByte(s[i])
			i++
		}
	}
	return b.String()
}

// isGradleBuild matches Gradle build scripts.
func isGradleBuild(p string) bool {
	return baseIs("build.gradle", "build.gradle.kts")(p)
}
