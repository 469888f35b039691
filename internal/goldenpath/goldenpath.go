// Package goldenpath provides golden paths: templates of new repositories that
// start with a licence, owners, a security policy, a contribution guide,
// catalogue metadata, tests and CI. Values go in, files come out: Render
// writes a template's files into a new directory and nothing else; the caller
// makes it a repository and scores it.
//
// A template is a directory holding template.yaml (name, description, kind,
// parameters) and files/, whose every file is a Go text/template. A file's
// output path is its path under files/, itself rendered as a template, with a
// trailing ".tmpl" removed. Parameter values are data: they are given to the
// templates and never parsed as templates themselves.
package goldenpath

import (
	"bytes"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"text/template"
	"unicode"

	"github.com/ospo-project/ospo/internal/lazyre"
	"go.yaml.in/yaml/v3"
)

//go:embed all:templates
var builtin embed.FS

// ErrInvalid marks input that is refused: a bad name, parameter, target
// directory or template. Callers report it as a usage error.
var ErrInvalid = errors.New("invalid")

// refused is an error that is ErrInvalid without saying so in its text.
type refused struct{ msg string }

func (r *refused) Error() string        { return r.msg }
func (r *refused) Is(target error) bool { return target == ErrInvalid }

func invalid(format string, args ...any) error {
	return &refused{fmt.Sprintf(format, args...)}
}

// Parameter is one declared parameter of a template.
type Parameter struct {
	Name        string `yaml:"name"`
	Description string `yaml:"description"`
	Default     string `yaml:"default"`
	Required    bool   `yaml:"required"`
}

// Template is a parsed template.yaml with the files beside it.
type Template struct {
	Name        string      `yaml:"name"`
	Description string      `yaml:"description"`
	Kind        string      `yaml:"kind"`
	Parameters  []Parameter `yaml:"parameters"`
	files       fs.FS       // the template's files/ directory
}

// builtinParams are the values every template gets and no --set overrides.
var builtinParams = []string{"name", "template", "kind", "package"}

// Set is a collection of templates by name.
type Set struct {
	templates map[string]*Template
}

// Builtin returns the templates embedded in the binary.
func Builtin() (*Set, error) {
	sub, err := fs.Sub(builtin, "templates")
	if err != nil {
		return nil, fmt.Errorf("built-in templates: %w", err)
	}
	return load(sub)
}

// Dir returns the templates of a directory on disk, one per subdirectory.
// A symbolic link anywhere in it is refused: a template's files must be its
// own, not whatever a link points at.
func Dir(dir string) (*Set, error) {
	fi, err := os.Stat(dir)
	if err != nil {
		return nil, invalid("templates: %v", err)
	}
	if !fi.IsDir() {
		return nil, invalid("templates: %s is not a directory", dir)
	}
	fsys := os.DirFS(dir)
	err = fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.Type().IsDir() && !d.Type().IsRegular() {
			return invalid("templates: %s is not a regular file or directory (symbolic links are refused)", filepath.Join(dir, filepath.FromSlash(p)))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return load(fsys)
}

func load(fsys fs.FS) (*Set, error) {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, invalid("templates: %v", err)
	}
	s := &Set{templates: map[string]*Template{}}
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		data, err := fs.ReadFile(fsys, path.Join(e.Name(), "template.yaml"))
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, invalid("template %s: %v", e.Name(), err)
		}
		var t Template
		dec := yaml.NewDecoder(bytes.NewReader(data))
		dec.KnownFields(true)
		if err := dec.Decode(&t); err != nil {
			return nil, invalid("template %s: template.yaml: %v", e.Name(), err)
		}
		if t.Name == "" {
			t.Name = e.Name()
		}
		if err := t.check(); err != nil {
			return nil, err
		}
		if t.files, err = fs.Sub(fsys, path.Join(e.Name(), "files")); err != nil {
			return nil, invalid("template %s: %v", t.Name, err)
		}
		s.templates[t.Name] = &t
	}
	return s, nil
}

var paramName = lazyre.New(`^[a-z][a-z0-9_]*$`)

func (t *Template) check() error {
	if !validName.MatchString(t.Name) {
		return invalid("template %q: the name must match %s", t.Name, validName)
	}
	seen := map[string]bool{}
	for _, b := range builtinParams {
		seen[b] = true
	}
	for _, p := range t.Parameters {
		if !paramName.MatchString(p.Name) {
			return invalid("template %s: parameter %q: the name must match %s", t.Name, p.Name, paramName)
		}
		if seen[p.Name] {
			return invalid("template %s: parameter %q is declared twice or is built in", t.Name, p.Name)
		}
		seen[p.Name] = true
	}
	return nil
}

// Names returns the templates' names, sorted.
func (s *Set) Names() []string {
	names := make([]string, 0, len(s.templates))
	for n := range s.templates {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Get returns the named template.
func (s *Set) Get(name string) (*Template, error) {
	t, ok := s.templates[name]
	if !ok {
		return nil, invalid("no template %q (templates: %s)", name, strings.Join(s.Names(), ", "))
	}
	return t, nil
}

// validName is what a repository name (and a template name) may be: a
// letter or digit, then letters, digits, '.', '_' and '-'. No separators, no
// "..", nothing a shell or a path would read specially.
var validName = lazyre.New(`^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$`)

// CheckName refuses a repository name that is not a single plain path
// element.
func CheckName(name string) error {
	if !validName.MatchString(name) || strings.Contains(name, "..") {
		return invalid("name %q: use letters, digits, '.', '_' and '-' (no path separators, no \"..\"), starting with a letter or digit", name)
	}
	return nil
}

// Values returns the values t's files are rendered with: the built-ins
// (name, template, kind, package), then each declared parameter from set or
// its default. A value set for an undeclared parameter, a missing required
// one or a value with control characters is refused.
func (t *Template) Values(name string, set map[string]string) (map[string]string, error) {
	if err := CheckName(name); err != nil {
		return nil, err
	}
	vals := map[string]string{"name": name, "template": t.Name, "kind": t.Kind, "package": packageName(name)}
	declared := map[string]bool{}
	for _, p := range t.Parameters {
		declared[p.Name] = true
		v, ok := set[p.Name]
		if !ok {
			v = p.Default
		}
		if v == "" && p.Required {
			return nil, invalid("template %s: parameter %s is required (--set %s=VALUE): %s", t.Name, p.Name, p.Name, p.Description)
		}
		vals[p.Name] = v
	}
	keys := make([]string, 0, len(set))
	for k := range set {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if !declared[k] {
			return nil, invalid("template %s has no parameter %q (parameters: %s)", t.Name, k, strings.Join(t.paramNames(), ", "))
		}
		if i := strings.IndexFunc(set[k], unicode.IsControl); i >= 0 {
			return nil, invalid("parameter %s: control character %q at byte %d", k, set[k][i], i)
		}
	}
	return vals, nil
}

func (t *Template) paramNames() []string {
	var n []string
	for _, p := range t.Parameters {
		n = append(n, p.Name)
	}
	return n
}

// packageName turns a repository name into a Go package name: lower-case
// letters and digits, starting with a letter.
func packageName(name string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(name) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9' && b.Len() > 0) {
			b.WriteRune(r)
		}
	}
	if b.Len() == 0 {
		return "pkg"
	}
	return b.String()
}

// funcs are the functions templates may call. json quotes a value as a JSON
// string (for innersource.json and the like).
var funcs = template.FuncMap{
	"json": func(v string) (string, error) {
		b, err := json.Marshal(v)
		return string(b), err
	},
}

// Files returns t's files rendered with vals, by output path (a slash path
// relative to the repository). A file whose output path is not local is
// refused.
func (t *Template) Files(vals map[string]string) (map[string][]byte, error) {
	out := map[string][]byte{}
	err := fs.WalkDir(t.files, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			return nil
		}
		if !d.Type().IsRegular() {
			return invalid("template %s: %s is not a regular file", t.Name, p)
		}
		rel, err := execute(t.Name, "path "+p, p, vals)
		if err != nil {
			return err
		}
		rel = strings.TrimSuffix(string(rel), ".tmpl")
		if !filepath.IsLocal(filepath.FromSlash(rel)) || strings.Contains(rel, `\`) || path.Clean(rel) != rel {
			return invalid("template %s: file %s would be written to %q, outside the new repository", t.Name, p, rel)
		}
		if _, dup := out[rel]; dup {
			return invalid("template %s: two files are written to %s", t.Name, rel)
		}
		src, err := fs.ReadFile(t.files, p)
		if err != nil {
			return err
		}
		body, err := execute(t.Name, p, string(src), vals)
		if err != nil {
			return err
		}
		out[rel] = []byte(body)
		return nil
	})
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) && !errors.Is(err, ErrInvalid) {
			return nil, invalid("template %s: %v", t.Name, err)
		}
		return nil, err
	}
	if len(out) == 0 {
		return nil, invalid("template %s has no files", t.Name)
	}
	return out, nil
}

// Render writes t's files, rendered with vals, under dir, which must not
// exist or be an empty directory. It returns the files written (slash
// paths relative to dir), sorted. A file whose output path is not local to
// dir is refused before anything is written.
func (t *Template) Render(dir string, vals map[string]string) ([]string, error) {
	out, err := t.Files(vals)
	if err != nil {
		return nil, err
	}
	if err := emptyTarget(dir); err != nil {
		return nil, err
	}
	names := make([]string, 0, len(out))
	for n := range out {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		full := filepath.Join(dir, filepath.FromSlash(n))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			return nil, fmt.Errorf("render %s: %w", n, err)
		}
		// O_EXCL: a file the walk did not create (a link planted meanwhile)
		// is never written through.
		f, err := os.OpenFile(full, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if err != nil {
			return nil, fmt.Errorf("render %s: %w", n, err)
		}
		_, werr := f.Write(out[n])
		if cerr := f.Close(); werr == nil {
			werr = cerr
		}
		if werr != nil {
			return nil, fmt.Errorf("render %s: %w", n, werr)
		}
	}
	return names, nil
}

// execute renders src, a template of the template's own files, with vals as
// data. missingkey=error: a file naming an undeclared parameter is an error,
// not an empty string.
func execute(tmpl, what, src string, vals map[string]string) (string, error) {
	tp, err := template.New(what).Option("missingkey=error").Funcs(funcs).Parse(src)
	if err != nil {
		return "", invalid("template %s: %v", tmpl, err)
	}
	var b bytes.Buffer
	if err := tp.Execute(&b, vals); err != nil {
		return "", invalid("template %s: %v", tmpl, err)
	}
	return b.String(), nil
}

// emptyTarget refuses a target that exists and is not an empty directory.
func emptyTarget(dir string) error {
	fi, err := os.Lstat(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return invalid("target %s: %v", dir, err)
	}
	if !fi.IsDir() {
		return invalid("target %s exists and is not a directory", dir)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return invalid("target %s: %v", dir, err)
	}
	if len(entries) > 0 {
		return invalid("target %s exists and is not empty", dir)
	}
	return nil
}
