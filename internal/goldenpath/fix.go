package goldenpath

import (
	"bytes"
	"fmt"
	"slices"
	"strings"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/lazyre"
)

// Hygiene is one file a golden path provides that a project's scorecard
// looks for, with the file facts (catalog.FileFact kinds) any of which
// means the project already has one.
type Hygiene struct {
	// Path is the file's path in the templates' output.
	Path  string
	Kinds []string
}

// HygieneFiles are the files `ospo fix` proposes when a project lacks
// them, in the order a patch lists them.
var HygieneFiles = []Hygiene{
	{"LICENSE", []string{catalog.FileLicense}},
	{"SECURITY.md", []string{catalog.FileSecurity}},
	{"CONTRIBUTING.md", []string{catalog.FileContributing}},
	{"CODE_OF_CONDUCT.md", []string{catalog.FileCodeOfConduct}},
	{"CODEOWNERS", []string{catalog.FileCodeowners}},
	{"catalog-info.yaml", []string{catalog.FileCatalogInfo}},
	{"innersource.json", []string{catalog.FileInnerSource}},
	{".github/workflows/ci.yml", []string{catalog.FileCIGitHub, catalog.FileCIGitLab, catalog.FileCIJenkins,
		catalog.FileCIAzure, catalog.FileCICircle, catalog.FileCITravis}},
	{".github/dependabot.yml", []string{catalog.FileDependabot, catalog.FileRenovate}},
}

// TemplateLicense is the licence of the built-in templates' LICENSE.
const TemplateLicense = "Apache-2.0"

// File is one proposed file.
type File struct {
	Path    string `json:"path"`
	Content []byte `json:"-"`
	// Why says what the file brings.
	Why string `json:"why"`
}

// Proposal is what `ospo fix` proposes for a project: the missing hygiene
// files, and what it left out, with why.
type Proposal struct {
	Files   []File   `json:"files"`
	Skipped []string `json:"skipped,omitempty"`
}

// ProjectValues returns the template values a project's facts give: its
// name (made a valid NAME), description, an owner as CODEOWNERS names one
// (the first claim of the form @team or an e-mail; else the first claim's
// name as @name) and a module path (the project key when it looks like a
// host/path, else example.com/NAME). set (--set) overrides them.
func ProjectValues(p *catalog.Project, set map[string]string) (name string, vals map[string]string) {
	name = invalidNameRune.ReplaceAllString(p.Name, "-")
	name = strings.Trim(name, "-.")
	if name == "" || CheckName(name) != nil {
		name = "project"
	}
	vals = map[string]string{}
	if d := strings.TrimSpace(p.Description); d != "" {
		vals["description"] = firstLine(d)
	}
	for _, o := range p.Owners {
		if strings.HasPrefix(o.Owner, "@") || strings.Contains(o.Owner, "@") && !strings.Contains(o.Owner, ":") {
			vals["owner"] = o.Owner
			break
		}
	}
	if _, ok := vals["owner"]; !ok && len(p.Owners) > 0 {
		n := p.Owners[0].Owner
		if i := strings.LastIndexAny(n, ":/"); i >= 0 {
			n = n[i+1:]
		}
		if n = invalidNameRune.ReplaceAllString(n, "-"); n != "" {
			vals["owner"] = "@" + n
		}
	}
	if moduleKey.MatchString(p.Key) {
		vals["module"] = p.Key
	} else {
		vals["module"] = "example.com/" + name
	}
	for k, v := range set {
		vals[k] = v
	}
	return name, vals
}

var (
	invalidNameRune = lazyre.New(`[^A-Za-z0-9._-]+`)
	moduleKey       = lazyre.New(`^[a-z0-9.-]+\.[a-z]+(/[A-Za-z0-9._~-]+)+$`)
)

func firstLine(s string) string {
	if i := strings.IndexAny(s, "\r\n"); i >= 0 {
		s = s[:i]
	}
	return s
}

// Propose renders t for the project p (values from ProjectValues, set
// overriding them) and returns the hygiene files p lacks. LICENSE is
// proposed only when the catalogue knows no licence for p (the template's
// Apache-2.0 text, to confirm) or knows it as Apache-2.0 without a licence
// file; another known licence is skipped (its text is not in the template).
func Propose(t *Template, p *catalog.Project, set map[string]string) (*Proposal, error) {
	name, vals := ProjectValues(p, set)
	all, err := t.Values(name, vals)
	if err != nil {
		return nil, err
	}
	files, err := t.Files(all)
	if err != nil {
		return nil, err
	}
	out := &Proposal{Files: []File{}}
	for _, h := range HygieneFiles {
		if slices.ContainsFunc(h.Kinds, p.HasFile) {
			continue
		}
		body, ok := files[h.Path]
		if !ok {
			continue // the template has none
		}
		why := map[string]string{
			"LICENSE":                  "the licence the project is offered under (Licensing)",
			"SECURITY.md":              "how to report a vulnerability, to " + all["security_contact"] + " (Security)",
			"CONTRIBUTING.md":          "how to contribute (Documentation)",
			"CODE_OF_CONDUCT.md":       "the code of conduct (Documentation)",
			"CODEOWNERS":               "who reviews changes: " + all["owner"] + " (Ownership)",
			"catalog-info.yaml":        "the Backstage entity: owner, description, lifecycle (Ownership)",
			"innersource.json":         "the InnerSource portal's entry (Documentation)",
			".github/workflows/ci.yml": "CI running the tests and `ospo check` (Tests, Security)",
			".github/dependabot.yml":   "dependency updates (Maintenance)",
		}[h.Path]
		if h.Path == "LICENSE" {
			switch expr := licenseOf(p); {
			case expr == "":
				why = "no licence is known: the template's " + TemplateLicense + " text, to confirm (Licensing)"
			case expr == TemplateLicense:
				why = "the " + TemplateLicense + " text the catalogue found declared without a licence file (Licensing)"
			default:
				out.Skipped = append(out.Skipped, fmt.Sprintf("LICENSE: the catalogue knows the licence as %s; add its text (the template has %s only)", expr, TemplateLicense))
				continue
			}
		}
		out.Files = append(out.Files, File{Path: h.Path, Content: body, Why: why})
	}
	return out, nil
}

// licenseOf returns p's licence expression, or "" when unknown.
func licenseOf(p *catalog.Project) string {
	if p.License == nil || p.License.Expression == catalog.LicenseUnknown {
		return ""
	}
	return p.License.Expression
}

// Patch returns files as a patch that `git apply` (or `patch -p1`) applies
// to the repository's root, each file added whole.
func Patch(files []File) []byte {
	var b bytes.Buffer
	for _, f := range files {
		lines := strings.SplitAfter(string(f.Content), "\n")
		if lines[len(lines)-1] == "" {
			lines = lines[:len(lines)-1]
		}
		fmt.Fprintf(&b, "diff --git a/%s b/%s\nnew file mode 100644\n--- /dev/null\n+++ b/%s\n", f.Path, f.Path, f.Path)
		if len(lines) == 0 {
			continue
		}
		fmt.Fprintf(&b, "@@ -0,0 +1,%d @@\n", len(lines))
		for _, l := range lines {
			b.WriteString("+")
			b.WriteString(l)
			if !strings.HasSuffix(l, "\n") {
				b.WriteString("\n\\ No newline at end of file\n")
			}
		}
	}
	return b.Bytes()
}
