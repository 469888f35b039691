package repometa

import (
	"path"
	"sort"
	"strconv"
	"strings"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/extract/languages"
	"github.com/ospo-project/ospo/internal/repofs"
)

// maxTestDirs caps the test directories recorded as facts.
const maxTestDirs = 100

// hygiene gathers file facts during one walk over a tree.
type hygiene struct {
	facts     []catalog.FileFact
	seen      map[catalog.FileFact]bool
	testDirs  []string // recorded test directories, as written
	codeFiles int
	testFiles int
	docsDir   bool
}

func newHygiene() *hygiene { return &hygiene{seen: make(map[catalog.FileFact]bool)} }

func (h *hygiene) add(kind, p string) {
	f := catalog.FileFact{Kind: kind, Path: strings.ToValidUTF8(p, "\uFFFD")}
	if !h.seen[f] {
		h.seen[f] = true
		h.facts = append(h.facts, f)
	}
}

// communityDirs are where community files (README, LICENSE, CONTRIBUTING …)
// are recognised, lower-cased: the root, .github/, docs/ and .gitlab/.
var communityDirs = map[string]bool{".": true, ".github": true, "docs": true, ".gitlab": true}

// docExts are the extensions a community file may have, besides none.
var docExts = map[string]bool{
	"": true, ".md": true, ".markdown": true, ".mdown": true, ".txt": true, ".rst": true,
	".adoc": true, ".asciidoc": true, ".org": true, ".html": true, ".htm": true, ".textile": true, ".rdoc": true,
}

// communityStems maps a community file's normalised name (lower case, "-"
// and " " as "_", extension removed) to its kind.
var communityStems = map[string]string{
	"readme":                catalog.FileReadme,
	"contributing":          catalog.FileContributing,
	"code_of_conduct":       catalog.FileCodeOfConduct,
	"codeofconduct":         catalog.FileCodeOfConduct,
	"security":              catalog.FileSecurity,
	"changelog":             catalog.FileChangelog,
	"changes":               catalog.FileChangelog,
	"history":               catalog.FileChangelog,
	"news":                  catalog.FileChangelog,
	"release_notes":         catalog.FileChangelog,
	"releasenotes":          catalog.FileChangelog,
	"support":               catalog.FileSupport,
	"issue_template":        catalog.FileIssueTemplate,
	"pull_request_template": catalog.FilePRTemplate,
}

// exactPaths maps lower-cased paths to their kinds.
var exactPaths = map[string]string{
	"catalog-info.yaml":              catalog.FileCatalogInfo,
	"catalog-info.yml":               catalog.FileCatalogInfo,
	"innersource.json":               catalog.FileInnerSource,
	".mailmap":                       catalog.FileMailmap,
	".gitlab-ci.yml":                 catalog.FileCIGitLab,
	".gitlab-ci.yaml":                catalog.FileCIGitLab,
	"azure-pipelines.yml":            catalog.FileCIAzure,
	"azure-pipelines.yaml":           catalog.FileCIAzure,
	".circleci/config.yml":           catalog.FileCICircle,
	".circleci/config.yaml":          catalog.FileCICircle,
	".travis.yml":                    catalog.FileCITravis,
	".travis.yaml":                   catalog.FileCITravis,
	".github/dependabot.yml":         catalog.FileDependabot,
	".github/dependabot.yaml":        catalog.FileDependabot,
	"renovate.json":                  catalog.FileRenovate,
	"renovate.json5":                 catalog.FileRenovate,
	".github/renovate.json":          catalog.FileRenovate,
	".github/renovate.json5":         catalog.FileRenovate,
	".gitlab/renovate.json":          catalog.FileRenovate,
	".gitlab/renovate.json5":         catalog.FileRenovate,
	".renovaterc":                    catalog.FileRenovate,
	".renovaterc.json":               catalog.FileRenovate,
	".renovaterc.json5":              catalog.FileRenovate,
	"security-insights.yml":          catalog.FileSecurityInsght,
	"security-insights.yaml":         catalog.FileSecurityInsght,
	".github/security-insights.yml":  catalog.FileSecurityInsght,
	".github/security-insights.yaml": catalog.FileSecurityInsght,
}

// dirKinds maps lower-cased directory prefixes to the kind of every file
// under them.
var dirKinds = []struct{ prefix, kind string }{
	{"licenses/", catalog.FileLicense}, // REUSE
	{".github/issue_template/", catalog.FileIssueTemplate},
	{".gitlab/issue_templates/", catalog.FileIssueTemplate},
	{".github/pull_request_template/", catalog.FilePRTemplate},
	{"pull_request_template/", catalog.FilePRTemplate},
	{"docs/pull_request_template/", catalog.FilePRTemplate},
	{".gitlab/merge_request_templates/", catalog.FilePRTemplate},
	{".azure-pipelines/", catalog.FileCIAzure},
}

// docsDirs are root directories recorded as FileDocs, lower-cased.
var docsDirs = map[string]bool{"docs": true, "doc": true, "documentation": true}

// testDirNames are directory names whose code files are tests, lower-cased.
var testDirNames = map[string]bool{
	"test": true, "tests": true, "__tests__": true, "spec": true, "specs": true,
	"e2e": true, "androidtest": true,
}

// codeExts are the extensions counted as source code.
var codeExts = map[string]bool{
	".go": true, ".py": true, ".js": true, ".jsx": true, ".mjs": true, ".cjs": true,
	".ts": true, ".tsx": true, ".mts": true, ".cts": true, ".vue": true, ".svelte": true,
	".java": true, ".kt": true, ".kts": true, ".scala": true, ".groovy": true,
	".clj": true, ".cljs": true, ".c": true, ".h": true, ".cc": true, ".cpp": true,
	".cxx": true, ".hpp": true, ".hh": true, ".hxx": true, ".m": true, ".mm": true,
	".cs": true, ".fs": true, ".vb": true, ".rb": true, ".php": true, ".swift": true,
	".rs": true, ".dart": true, ".lua": true, ".pl": true, ".pm": true, ".r": true,
	".jl": true, ".ex": true, ".exs": true, ".erl": true, ".hrl": true, ".hs": true,
	".ml": true, ".mli": true, ".elm": true, ".zig": true, ".nim": true, ".cr": true,
	".sh": true, ".bash": true, ".zsh": true, ".ps1": true,
}

// file records the facts one file gives.
func (h *hygiene) file(f repofs.File) {
	p := f.Path
	lp := strings.ToLower(p)
	dir, base := path.Split(lp)
	dir = strings.TrimSuffix(dir, "/")
	if dir == "" {
		dir = "."
	}
	ext := path.Ext(base)

	if kind, ok := exactPaths[lp]; ok {
		h.add(kind, p)
	}
	for _, d := range dirKinds {
		if strings.HasPrefix(lp, d.prefix) && !(d.kind == catalog.FileIssueTemplate && strings.HasPrefix(base, "config.")) {
			h.add(d.kind, p)
		}
	}
	if communityDirs[dir] {
		h.community(p, base, ext)
	}
	if dir == ".github/workflows" && (ext == ".yml" || ext == ".yaml") {
		h.add(catalog.FileCIGitHub, p)
	}
	if (base == "jenkinsfile" || strings.HasPrefix(base, "jenkinsfile.")) && !thirdParty(lp) {
		h.add(catalog.FileCIJenkins, p)
	}
	if i := strings.IndexByte(lp, '/'); i > 0 && docsDirs[lp[:i]] && !h.docsDir {
		h.docsDir = true
		h.add(catalog.FileDocs, p[:i])
	}
	h.code(p, lp, base, ext)
	if !thirdParty(lp) {
		if isSecretLike(base, ext) {
			h.add(catalog.FileSecretLike, p)
		}
		if binaryExts[ext] {
			h.add(catalog.FileBinaryArtifact, p)
		}
	}
}

// community recognises README, LICENSE, CONTRIBUTING and the other
// community files in one of communityDirs.
func (h *hygiene) community(p, base, ext string) {
	norm := strings.NewReplacer("-", "_", " ", "_").Replace(base)
	if isLicenseName(norm, ext) {
		h.add(catalog.FileLicense, p)
		return
	}
	if base == "codeowners" {
		h.add(catalog.FileCodeowners, p)
		return
	}
	if !docExts[ext] {
		return
	}
	if kind, ok := communityStems[strings.TrimSuffix(norm, ext)]; ok {
		h.add(kind, p)
	}
}

// isLicenseName reports whether a normalised base name is a licence file:
// LICENSE, LICENCE, COPYING or UNLICENSE, alone or followed by a qualifier
// (LICENSE.md, LICENSE-MIT, COPYING.LESSER), and not a source file.
func isLicenseName(norm, ext string) bool {
	for _, prefix := range []string{"license", "licence", "copying", "unlicense"} {
		if rest, ok := strings.CutPrefix(norm, prefix); ok {
			if rest != "" && rest[0] != '.' && rest[0] != '_' {
				return false
			}
			return !codeExts[ext] && ext != ".json" && ext != ".yml" && ext != ".yaml" && ext != ".xml" && ext != ".toml"
		}
	}
	return false
}

// thirdParty reports whether a lower-cased path lies in a directory of
// someone else's code.
func thirdParty(lp string) bool {
	for _, seg := range strings.Split(lp, "/") {
		switch seg {
		case "node_modules", "vendor", "third_party", "thirdparty", "testdata", "external", "bower_components":
			return true
		}
	}
	return false
}

// code counts source and test files outside hidden and vendored
// directories, and records the test directories they are in.
func (h *hygiene) code(p, lp, base, ext string) {
	if !codeExts[ext] || strings.HasPrefix(lp, ".") || strings.Contains(lp, "/.") || languages.Vendored(p) {
		return
	}
	h.codeFiles++
	segs := strings.Split(lp, "/")
	testDir := -1
	for i, s := range segs[:len(segs)-1] {
		if testDirNames[s] {
			testDir = i
			break
		}
	}
	if testDir >= 0 {
		h.testDir(strings.Join(strings.Split(p, "/")[:testDir+1], "/"))
	}
	if testDir >= 0 || isTestFile(p, lp, base, ext) {
		h.testFiles++
	}
}

// testDir records a test directory unless one that holds it is recorded.
func (h *hygiene) testDir(d string) {
	for _, have := range h.testDirs {
		if d == have || strings.HasPrefix(d, have+"/") {
			return
		}
	}
	if len(h.testDirs) < maxTestDirs {
		h.testDirs = append(h.testDirs, d)
		h.add(catalog.FileTestDir, d)
	}
}

// isTestFile recognises test files by the naming conventions of their
// language. p is the path as written (some conventions are case-sensitive);
// lp, base and ext are lower-cased.
func isTestFile(p, lp, base, ext string) bool {
	stem := strings.TrimSuffix(path.Base(p), path.Ext(p)) // original case
	switch ext {
	case ".go":
		return strings.HasSuffix(base, "_test.go")
	case ".py":
		return strings.HasPrefix(base, "test_") || strings.HasSuffix(base, "_test.py")
	case ".js", ".jsx", ".mjs", ".cjs", ".ts", ".tsx", ".mts", ".cts":
		return strings.Contains(base, ".test.") || strings.Contains(base, ".spec.")
	case ".java", ".kt", ".kts", ".scala", ".groovy":
		return strings.Contains(lp, "src/test") || hasSuffixes(stem, "Test", "Tests", "IT", "Spec")
	case ".rb":
		return strings.HasSuffix(base, "_spec.rb") || strings.HasSuffix(base, "_test.rb") || strings.HasPrefix(base, "test_")
	case ".cs", ".php", ".swift", ".m", ".mm":
		return hasSuffixes(stem, "Test", "Tests")
	case ".c", ".cc", ".cpp", ".cxx":
		return hasSuffixes(strings.ToLower(stem), "_test", "_unittest", "_tests") || strings.HasPrefix(base, "test_")
	case ".rs":
		return strings.HasSuffix(base, "_test.rs") || strings.HasSuffix(base, "_tests.rs")
	case ".exs":
		return strings.HasSuffix(base, "_test.exs")
	case ".dart":
		return strings.HasSuffix(base, "_test.dart")
	}
	return false
}

func hasSuffixes(s string, suffixes ...string) bool {
	for _, x := range suffixes {
		if len(s) > len(x) && strings.HasSuffix(s, x) {
			return true
		}
	}
	return false
}

// result returns the facts sorted by kind and path, followed by the code and
// test file counts when they are not zero.
func (h *hygiene) result() []catalog.FileFact {
	sort.Slice(h.facts, func(i, j int) bool {
		a, b := h.facts[i], h.facts[j]
		if a.Kind != b.Kind {
			return a.Kind < b.Kind
		}
		return a.Path < b.Path
	})
	if h.codeFiles > 0 {
		h.facts = append(h.facts, catalog.FileFact{Kind: catalog.FileCodeFiles, Path: strconv.Itoa(h.codeFiles)})
	}
	if h.testFiles > 0 {
		h.facts = append(h.facts, catalog.FileFact{Kind: catalog.FileTestFiles, Path: strconv.Itoa(h.testFiles)})
	}
	return h.facts
}
