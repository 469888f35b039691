package recommend

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"path"
	"slices"
	"strings"

	yaml "go.yaml.in/yaml/v3"

	"github.com/ospo-project/ospo/internal/catalog"
)

// Resource is one entry of the resource catalogue: training, an article,
// a talk, tagged with the technologies it teaches.
type Resource struct {
	Title string `json:"title" yaml:"title"`
	URL   string `json:"url" yaml:"url"`
	// Technologies are package URLs without version, package names or
	// language names, matched case-insensitively against the estate's.
	Technologies []string `json:"technologies" yaml:"technologies"`
	// Level is beginner, intermediate or advanced; empty when not said.
	Level string `json:"level,omitempty" yaml:"level"`
	// Kind is what it is: training, article, talk, video, book, guide…
	Kind string `json:"kind,omitempty" yaml:"kind"`
	// Topics tag it further; "security" marks secure-usage material,
	// recommended first to people whose projects run vulnerable versions.
	Topics []string `json:"topics,omitempty" yaml:"topics"`
	// Source is the file it was read from.
	Source string `json:"source,omitempty" yaml:"-"`
}

// Levels are the levels a resource may state.
var Levels = []string{"beginner", "intermediate", "advanced"}

// maxResourceFile caps the size of one resource file.
const maxResourceFile = 256 << 10

// ErrResource is returned (wrapped, with the file and the reason) for a
// resource file that cannot be read as one. It is a catalog.ErrInvalid.
var ErrResource = catalog.Kind("invalid resource", catalog.ErrInvalid)

// ParseResources reads the resources of one file of the catalogue: a
// Markdown file whose YAML front matter describes one resource (its title
// defaults to the first heading), or a YAML file holding one resource or a
// list of them. name is the file's name (its extension chooses the
// format). A resource without a title, with a URL that is not http(s), or
// with an unknown level is an error wrapping ErrResource.
func ParseResources(name string, content []byte) ([]Resource, error) {
	if len(content) > maxResourceFile {
		return nil, fmt.Errorf("%w: %s: larger than %d bytes", ErrResource, name, maxResourceFile)
	}
	var out []Resource
	switch strings.ToLower(path.Ext(name)) {
	case ".md", ".markdown":
		front, body, ok := frontMatter(content)
		if !ok {
			return nil, fmt.Errorf("%w: %s: no YAML front matter (--- … ---) at the top", ErrResource, name)
		}
		var r Resource
		if err := decodeYAML(front, &r); err != nil {
			return nil, fmt.Errorf("%w: %s: %v", ErrResource, name, err)
		}
		if r.Title == "" {
			r.Title = firstHeading(body)
		}
		out = []Resource{r}
	case ".yaml", ".yml":
		var node yaml.Node
		if err := decodeYAML(content, &node); err != nil {
			return nil, fmt.Errorf("%w: %s: %v", ErrResource, name, err)
		}
		doc := &node
		if doc.Kind == yaml.DocumentNode && len(doc.Content) == 1 {
			doc = doc.Content[0]
		}
		var err error
		if doc.Kind == yaml.SequenceNode {
			err = doc.Decode(&out)
		} else {
			var r Resource
			err = doc.Decode(&r)
			out = []Resource{r}
		}
		if err != nil {
			return nil, fmt.Errorf("%w: %s: %v", ErrResource, name, err)
		}
	default:
		return nil, fmt.Errorf("%w: %s: not Markdown (.md) or YAML (.yaml, .yml)", ErrResource, name)
	}
	for i := range out {
		if err := out[i].normalise(); err != nil {
			return nil, fmt.Errorf("%w: %s: resource %d: %v", ErrResource, name, i+1, err)
		}
		out[i].Source = name
	}
	return out, nil
}

func (r *Resource) normalise() error {
	r.Title = strings.TrimSpace(r.Title)
	r.Level = strings.ToLower(strings.TrimSpace(r.Level))
	r.Kind = strings.ToLower(strings.TrimSpace(r.Kind))
	if r.Title == "" {
		return errors.New("no title")
	}
	u, err := url.Parse(strings.TrimSpace(r.URL))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("url %q is not an http(s) URL", r.URL)
	}
	r.URL = u.String()
	if r.Level != "" && !slices.Contains(Levels, r.Level) {
		return fmt.Errorf("level %q is not one of %s", r.Level, strings.Join(Levels, ", "))
	}
	var techs []string
	for _, t := range r.Technologies {
		if t = strings.TrimSpace(t); t != "" {
			techs = append(techs, t)
		}
	}
	r.Technologies = techs
	for i, t := range r.Topics {
		r.Topics[i] = strings.ToLower(strings.TrimSpace(t))
	}
	return nil
}

// ReadResources reads every resource file (*.md, *.markdown, *.yaml,
// *.yml) under fsys, skipping symbolic links and hidden directories. A
// file that is not a valid resource is reported in errs and the others are
// still read; err is an error reading fsys itself.
func ReadResources(fsys fs.FS) (rs []Resource, errs []error, err error) {
	err = fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if p != "." && strings.HasPrefix(d.Name(), ".") {
				return fs.SkipDir
			}
			return nil
		}
		switch strings.ToLower(path.Ext(p)) {
		case ".md", ".markdown", ".yaml", ".yml":
		default:
			return nil
		}
		if !d.Type().IsRegular() {
			return nil
		}
		f, err := fsys.Open(p)
		if err != nil {
			errs = append(errs, err)
			return nil
		}
		content, err := io.ReadAll(io.LimitReader(f, maxResourceFile+1))
		f.Close()
		if err != nil {
			errs = append(errs, fmt.Errorf("read %s: %w", p, err))
			return nil
		}
		got, perr := ParseResources(p, content)
		if perr != nil {
			errs = append(errs, perr)
			return nil
		}
		rs = append(rs, got...)
		return nil
	})
	return rs, errs, err
}

// decodeYAML decodes one document, turning a panic of the YAML library on
// hostile input into an error.
func decodeYAML(b []byte, v any) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("yaml: internal error: %v", r)
		}
	}()
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(false)
	if err := dec.Decode(v); err != nil && !errors.Is(err, io.EOF) {
		return err
	}
	return nil
}

// frontMatter splits a Markdown file into its YAML front matter and body.
func frontMatter(b []byte) (front, body []byte, ok bool) {
	b = bytes.TrimPrefix(b, []byte("\ufeff"))
	b = bytes.ReplaceAll(b, []byte("\r\n"), []byte("\n"))
	if !bytes.HasPrefix(b, []byte("---\n")) {
		return nil, nil, false
	}
	rest := b[4:]
	end := bytes.Index(rest, []byte("\n---"))
	if end < 0 {
		return nil, nil, false
	}
	after := rest[end+4:]
	if len(after) > 0 && after[0] != '\n' {
		return nil, nil, false
	}
	return rest[:end+1], after, true
}

func firstHeading(body []byte) string {
	for _, line := range strings.Split(string(body), "\n") {
		if t, ok := strings.CutPrefix(strings.TrimSpace(line), "# "); ok {
			return strings.TrimSpace(t)
		}
	}
	return ""
}

// resourceTechs resolves a resource's technologies to the model's.
func (m *Model) resourceTechs(r Resource) []int32 {
	var out []int32
	for _, want := range r.Technologies {
		for _, t := range m.nameIdx[strings.ToLower(want)] {
			if !slices.Contains(out, t) {
				out = append(out, t)
			}
		}
	}
	return out
}
