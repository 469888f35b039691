package deps

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"log/slog"
	"strings"
	"sync"
	"time"

	cpb "github.com/google/osv-scalibr/binary/proto/config_go_proto"
	scalibrex "github.com/google/osv-scalibr/extractor"
	"github.com/google/osv-scalibr/extractor/filesystem"
	"github.com/google/osv-scalibr/extractor/filesystem/osv"
	scalibrlog "github.com/google/osv-scalibr/log"
	scalibrpurl "github.com/google/osv-scalibr/purl"

	"github.com/ospo-project/ospo/internal/catalog"
)

// scalibrExtractor runs one osv-scalibr filesystem extractor on one file at
// a time and converts the packages it reports into dependencies.
type scalibrExtractor struct {
	ex filesystem.Extractor
	// family and manifest are as in output.
	family   string
	manifest bool
	// direct marks every package direct: the file lists only what the
	// project declares (requirements.txt, packages.config, a version catalog).
	direct bool
	// noScopes ignores the dependency groups the extractor reports: it
	// reports none, which would otherwise read as runtime.
	noScopes bool
	// toml marks a TOML format: the file's nesting is checked before the
	// extractor's TOML parser, which recurses without a limit, sees it.
	toml bool
	// alsoRequired, if set, matches files the extractor can read but does
	// not ask for itself.
	alsoRequired func(path string) bool
	// adjust, if set, finishes a converted dependency from the package's
	// metadata (constraints, scopes); returning false drops it.
	adjust func(in *input, p *scalibrex.Package, d *catalog.Dependency) bool
}

// newScalibr builds a scalibr extractor with its default configuration.
// Constructors of scalibr v0.5 never fail with an empty configuration; if
// one does, the program is built wrong, so it panics at start.
//
// The extractors' Stats collectors are left nil: every extractor listed
// checks for nil before reporting. (A nil Stats panics in
// filesystem.Run's walk, which this package does not use: it hands each
// extractor its files itself.)
func newScalibr(mk func(*cpb.PluginConfig) (filesystem.Extractor, error)) filesystem.Extractor {
	ex, err := mk(&cpb.PluginConfig{})
	if err != nil {
		panic(fmt.Sprintf("deps: scalibr extractor: %v", err))
	}
	return ex
}

func (s *scalibrExtractor) name() string { return "scalibr " + s.ex.Name() }

// required asks the scalibr extractor, which may stat the file.
func (s *scalibrExtractor) required(p string) bool {
	return s.ex.FileRequired(fileAPI{path: p}) || s.alsoRequired != nil && s.alsoRequired(p)
}

// fileAPI is the path given to a scalibr extractor's FileRequired. Stat
// describes the file by its name only: FileRequired runs before the tree is
// indexed for reading, and the size cap is applied by Extract's caller.
type fileAPI struct{ path string }

func (f fileAPI) Path() string { return f.path }
func (f fileAPI) Stat() (fs.FileInfo, error) {
	return nameInfo(f.path), nil
}

// nameInfo is a FileInfo that knows only the name (size 0).
type nameInfo string

func (n nameInfo) Name() string {
	s := string(n)
	return s[strings.LastIndexByte(s, '/')+1:]
}
func (nameInfo) Size() int64        { return 0 }
func (nameInfo) Mode() fs.FileMode  { return 0o444 }
func (nameInfo) ModTime() time.Time { return time.Time{} }
func (nameInfo) IsDir() bool        { return false }
func (nameInfo) Sys() any           { return nil }

func (s *scalibrExtractor) extract(ctx context.Context, in *input) (output, error) {
	out := output{family: s.family, manifest: s.manifest, knowsDirect: s.direct}
	data, err := in.read()
	if err != nil {
		return out, err
	}
	if s.toml {
		if err := checkTOMLNesting(data, maxNesting); err != nil {
			return out, err
		}
	}
	info := fileInfo{f: in.fs.files[in.path], size: int64(len(data))}
	inv, err := s.ex.Extract(ctx, &filesystem.ScanInput{FS: in.fs, Path: in.path, Info: info, Reader: bytes.NewReader(data)})
	for _, p := range inv.Packages {
		d, ok := convertPackage(p)
		if !ok {
			continue
		}
		d.Direct = s.direct
		if s.noScopes {
			d.Scope = ""
		}
		if s.adjust != nil && !s.adjust(in, p, &d) {
			continue
		}
		out.deps = append(out.deps, d)
	}
	if err != nil {
		err = cleanScalibrError(err)
	}
	return out, err
}

// cleanScalibrError drops the wrapping scalibr adds around the cause where
// it only repeats the path.
func cleanScalibrError(err error) error {
	return fmt.Errorf("%s", strings.TrimPrefix(err.Error(), "could not extract: "))
}

// ecosystemsByPURLType maps scalibr's purl types to OSV ecosystems.
var ecosystemsByPURLType = map[string]string{
	scalibrpurl.TypeGolang:   ecoGo,
	scalibrpurl.TypeNPM:      ecoNPM,
	scalibrpurl.TypePyPi:     ecoPyPI,
	scalibrpurl.TypeMaven:    ecoMaven,
	scalibrpurl.TypeCargo:    ecoCargo,
	scalibrpurl.TypeGem:      ecoGem,
	scalibrpurl.TypeComposer: ecoComposer,
	scalibrpurl.TypeNuget:    ecoNuGet,
	scalibrpurl.TypeHex:      ecoHex,
	scalibrpurl.TypeSwift:    ecoSwift,
	scalibrpurl.TypeDocker:   ecoDocker,
	scalibrpurl.TypeConan:    ecoConan,
	scalibrpurl.TypeCran:     ecoCRAN,
	scalibrpurl.TypeHackage:  ecoHackage,
}

// convertPackage turns a scalibr package into a dependency: ecosystem from
// its purl type, scope from its dependency groups. Packages of types the
// catalogue has no ecosystem for (e.g. "git" for a dependency fetched from a
// repository at a commit) are dropped.
func convertPackage(p *scalibrex.Package) (catalog.Dependency, bool) {
	eco, ok := ecosystemsByPURLType[p.PURLType]
	if !ok || p.Name == "" {
		return catalog.Dependency{}, false
	}
	d := newDep(eco, p.Name, p.Version)
	if g, ok := p.Metadata.(osv.DepGroups); ok {
		d.Scope = scopeFromGroups(g.DepGroups())
	}
	if len(p.Licenses) > 0 {
		d.Licenses = append(d.Licenses, p.Licenses...)
	}
	return d, true
}

// scopeFromGroups maps scalibr's dependency groups (npm "dev"/"optional",
// Maven scopes, Poetry/PDM group names) to a catalogue scope. No group means
// a runtime dependency.
func scopeFromGroups(groups []string) string {
	if len(groups) == 0 {
		return catalog.ScopeRuntime
	}
	scope := ""
	for _, g := range groups {
		s := scopeFromGroup(g)
		if scope == "" {
			scope = s
		} else {
			scope = broaderScope(scope, s)
		}
	}
	return scope
}

func scopeFromGroup(g string) string {
	switch strings.ToLower(g) {
	case "", "main", "default", "prod", "production", "compile", "runtime":
		return catalog.ScopeRuntime
	case "test", "tests", "testing":
		return catalog.ScopeTest
	case "optional":
		return catalog.ScopeOptional
	case "provided", "system":
		return catalog.ScopeBuild
	}
	return catalog.ScopeDev
}

var quietOnce sync.Once

// quietScalibr routes scalibr's package-level logger to slog at debug
// level: its extractors log every unparsable line, which is noise here
// since parse failures become problems on the project.
func quietScalibr() {
	quietOnce.Do(func() { scalibrlog.SetLogger(slogLogger{}) })
}

type slogLogger struct{}

func (slogLogger) Errorf(format string, args ...any) { debugf(format, args...) }
func (slogLogger) Error(args ...any)                 { debugln(args...) }
func (slogLogger) Warnf(format string, args ...any)  { debugf(format, args...) }
func (slogLogger) Warn(args ...any)                  { debugln(args...) }
func (slogLogger) Infof(format string, args ...any)  { debugf(format, args...) }
func (slogLogger) Info(args ...any)                  { debugln(args...) }
func (slogLogger) Debugf(format string, args ...any) { debugf(format, args...) }
func (slogLogger) Debug(args ...any)                 { debugln(args...) }

func debugf(format string, args ...any) {
	if slog.Default().Enabled(context.Background(), slog.LevelDebug) {
		slog.Debug(fmt.Sprintf(format, args...), "component", "osv-scalibr")
	}
}

func debugln(args ...any) {
	if slog.Default().Enabled(context.Background(), slog.LevelDebug) {
		slog.Debug(fmt.Sprint(args...), "component", "osv-scalibr")
	}
}
