package cyclonedx

import (
	"path/filepath"
	"testing"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/sbom/sbomtest"
)

// TestGoldenVulnerabilities writes the vulnerabilities section for
// findings on a sample project, one of them suppressed, and validates it.
func TestGoldenVulnerabilities(t *testing.T) {
	opts := sbomtest.Options
	opts.Vulnerabilities = []catalog.VulnFinding{
		{
			AdvisoryID: "GO-2025-3595", Aliases: []string{"CVE-2025-22872"}, Summary: "Incorrect neutralization in golang.org/x/text",
			Severity:  catalog.Severity{Rating: "MEDIUM", Score: 6.5, Vector: "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:N/I:H/A:N"},
			Ecosystem: "Go", Package: "golang.org/x/text", Version: "v0.14.0", PURL: "pkg:golang/golang.org/x/text@v0.14.0",
			Manifest: "go.mod", FixedIn: "0.23.0", Direct: true,
		},
		{
			AdvisoryID: "GHSA-xxxx-yyyy-zzzz", Summary: "A v4-scored advisory",
			Severity:  catalog.Severity{Rating: "CRITICAL", Score: 9.3, Vector: "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N"},
			Ecosystem: "Go", Package: "golang.org/x/text", Version: "v0.14.0", PURL: "pkg:golang/golang.org/x/text@v0.14.0",
			Manifest: "go.mod", Suppressed: true, Reason: "not reachable (approved by security)",
		},
		{AdvisoryID: "GO-0000-0000", Ecosystem: "Go", Package: "not.in/the-bom", Version: "v1.0.0"}, // left out
	}
	got := write(t, "golib", opts)
	sbomtest.Golden(t, filepath.Join("testdata", "vulns", "golib.cdx.json"), got)
	sbomtest.Validate(t, sbomtest.CycloneDXSchema, got)
	checkDecoded(t, got)
}
