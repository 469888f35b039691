package govern

import (
	"bytes"
	"context"
	"embed"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"strconv"
	"sync"
	"time"

	"github.com/ospo-project/ospo/internal/analyze"
	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/governance"
	"github.com/ospo-project/ospo/internal/sbom"
	"github.com/ospo-project/ospo/internal/sbom/cyclonedx"
	"github.com/ospo-project/ospo/internal/store"
)

// Pack is a request's evidence pack: what an auditor asks for, in one
// file. The JSON form is this struct; WriteHTML renders it as one page.
type Pack struct {
	// Format names this layout for readers of the JSON.
	Format      string                `json:"format"`
	GeneratedAt time.Time             `json:"generated_at"`
	Request     governance.Request    `json:"request"`
	Project     *PackProject          `json:"project,omitempty"`
	Licenses    *PackLicenses         `json:"licenses,omitempty"`
	Vulns       []catalog.VulnFinding `json:"vulnerabilities,omitempty"`
	// SBOM is the CycloneDX 1.6 SBOM of the project at the pinned commit.
	SBOM json.RawMessage `json:"sbom,omitempty"`
	// Notes say what could not be included and why.
	Notes []string `json:"notes,omitempty"`
	// Audit is every audit entry about the request, in order.
	Audit []catalog.AuditEntry `json:"audit"`
}

// PackFormat is Pack.Format.
const PackFormat = "ospo-evidence-pack/1"

// PackProject identifies the project at the pinned commit.
type PackProject struct {
	Key       string `json:"key"`
	Name      string `json:"name"`
	RemoteURL string `json:"remote_url,omitempty"`
	Commit    string `json:"commit"`
	License   string `json:"license,omitempty"`
}

// PackLicenses is the licence report at the pinned commit.
type PackLicenses struct {
	Dependencies []catalog.DependencyLicense `json:"dependencies"`
	Findings     []catalog.LicenseFinding    `json:"findings"`
}

// Export builds request id's evidence pack: the request with its
// checklist, approvals and events; for a project, the SBOM, licence report
// and vulnerabilities at the pinned commit (re-analysed from the
// checkout; a note says so when it is gone); the audit entries.
func (s *Service) Export(ctx context.Context, id int64, version string) (*Pack, error) {
	r, err := s.o.Store.Request(ctx, id)
	if err != nil {
		return nil, err
	}
	now := s.o.Now()
	pk := &Pack{Format: PackFormat, GeneratedAt: now, Request: *r}
	audit, err := s.o.Store.ListAudit(ctx, store.AuditFilter{Object: "request:" + strconv.FormatInt(id, 10)})
	if err != nil {
		return nil, err
	}
	pk.Audit = audit
	if pk.Audit == nil {
		pk.Audit = []catalog.AuditEntry{}
	}
	if r.Commit == "" {
		return pk, nil
	}
	proj, err := s.o.Store.Project(ctx, r.Subject)
	if err != nil {
		pk.Notes = append(pk.Notes, "the project is no longer in the catalogue: no SBOM or licence report")
		return pk, nil
	}
	pk.Project = &PackProject{Key: proj.Key, Name: proj.Name, RemoteURL: proj.RemoteURL, Commit: r.Commit}
	if s.o.Analyzer == nil || proj.Path == "" {
		pk.Notes = append(pk.Notes, "the checkout is not available: no SBOM or licence report at the pinned commit")
		return pk, nil
	}
	res, err := s.o.Analyzer.Analyze(ctx, analyze.Target{Dir: proj.Path, Source: analyze.Commit, Commit: r.Commit,
		Analyses: analyze.Licenses | analyze.Vulnerabilities, Kind: proj.Kind})
	if err != nil {
		pk.Notes = append(pk.Notes, fmt.Sprintf("the pinned commit %s could not be analysed: %v", short(r.Commit), err))
		return pk, nil
	}
	if res.Project.License != nil {
		pk.Project.License = res.Project.License.Expression
	}
	pk.Licenses = &PackLicenses{Dependencies: res.Licenses.Licenses, Findings: res.Licenses.Findings}
	pk.Vulns = res.Vulnerabilities
	var b bytes.Buffer
	if err := cyclonedx.Write(&b, res.Project, sbom.Options{ToolVersion: version, Now: now, Vulnerabilities: res.Vulnerabilities}); err != nil {
		pk.Notes = append(pk.Notes, "SBOM: "+err.Error())
	} else {
		pk.SBOM = json.RawMessage(bytes.TrimSpace(b.Bytes()))
	}
	return pk, nil
}

//go:embed pack.html.tmpl
var packFS embed.FS

// packTmpl is parsed on first use, not at start-up.
var packTmpl = sync.OnceValue(func() *template.Template {
	return template.Must(template.New("pack.html.tmpl").Funcs(template.FuncMap{
		"date": func(t time.Time) string {
			if t.IsZero() {
				return "—"
			}
			return t.UTC().Format("2006-01-02 15:04 MST")
		},
		"sbomSize": func(b json.RawMessage) int { return len(b) },
	}).ParseFS(packFS, "pack.html.tmpl"))
})

// WriteHTML writes pk as one self-contained HTML page: styles inline, no
// script, no external resource, every text escaped; the SBOM is embedded
// as escaped JSON text.
func WriteHTML(w io.Writer, pk *Pack) error {
	return packTmpl().Execute(w, pk)
}
