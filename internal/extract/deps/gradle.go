package deps

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/ospo-project/ospo/internal/catalog"
)

// parseGradleLockfile reads a Gradle dependency lockfile (gradle.lockfile,
// buildscript-gradle.lockfile): one "group:artifact:version=configurations"
// line per resolved module. The configurations give the scope: a module
// only on test classpaths is test, only on annotation processor or
// buildscript classpaths build, else runtime. The lockfile does not say
// which modules are direct; a version catalog (gradle/libs.versions.toml)
// of the project does.
func parseGradleLockfile(ctx context.Context, in *input, data []byte) (output, error) {
	out := output{family: "gradle"}
	buildscript := strings.HasSuffix(in.path, "buildscript-gradle.lockfile")
	var errs []error
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for ln := 1; sc.Scan(); ln++ {
		if ln%4096 == 0 && ctx.Err() != nil {
			return out, ctx.Err()
		}
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") || strings.HasPrefix(line, "empty=") {
			continue
		}
		coord, confs, _ := strings.Cut(line, "=")
		parts := strings.Split(coord, ":")
		if len(parts) < 3 || parts[0] == "" || parts[1] == "" || parts[2] == "" {
			errs = append(errs, fmt.Errorf("line %d: expected group:artifact:version=configurations", ln))
			continue
		}
		d := newDep(ecoMaven, parts[0]+":"+parts[1], parts[2])
		d.Scope = gradleScope(confs, buildscript)
		out.deps = append(out.deps, d)
	}
	if err := sc.Err(); err != nil {
		errs = append(errs, err)
	}
	return out, errors.Join(errs...)
}

// gradleScope is the scope of a module by the configurations it is on.
func gradleScope(confs string, buildscript bool) string {
	if buildscript {
		return catalog.ScopeBuild
	}
	scope := ""
	for _, c := range strings.Split(confs, ",") {
		c = strings.TrimSpace(c)
		if c == "" {
			continue
		}
		lc := strings.ToLower(c)
		s := catalog.ScopeRuntime
		switch {
		case strings.HasPrefix(lc, "test") || strings.Contains(lc, "unittest") || strings.Contains(lc, "androidtest"):
			s = catalog.ScopeTest
		case strings.Contains(lc, "annotationprocessor") || strings.HasPrefix(lc, "kapt") || strings.HasPrefix(lc, "ksp") ||
			lc == "classpath" || strings.Contains(lc, "compileonly") && !strings.Contains(lc, "runtime"):
			s = catalog.ScopeBuild
		}
		if scope == "" {
			scope = s
		} else {
			scope = broaderScope(scope, s)
		}
	}
	return scope
}
