package govern

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/governance"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// goldenPack is a pack with every section filled, hostile text included,
// and fixed times: the golden files are byte-stable.
func goldenPack() *Pack {
	at := time.Date(2026, 5, 4, 10, 0, 0, 0, time.UTC)
	commit := "0123456789abcdef0123456789abcdef01234567"
	return &Pack{
		Format: PackFormat, GeneratedAt: at.Add(time.Hour),
		Request: governance.Request{ID: 7, Kind: governance.KindOpenSource, Title: `Open "tool" <script>alert(1)</script>`,
			Subject: "github.com/acme/tool", Requester: "ann@example.com", State: governance.StateApproved, Version: 3,
			CreatedAt: at, UpdatedAt: at.Add(30 * time.Minute), DecidedAt: at.Add(30 * time.Minute), Commit: commit,
			Details: governance.Details{Reason: "community & <b>hiring</b>"},
			Answers: map[string]string{"telemetry": "no"},
			Checklist: []governance.Item{
				{ID: governance.ItemLicense, Title: "Licence present and on the approved list", Auto: true, Status: governance.Pass, Value: "MIT", Evidence: []string{"LICENSE"}, Commit: commit},
				{ID: governance.ItemSecrets, Title: "Secrets scan of the whole history", Auto: true, Status: governance.Fail, Value: "1 findings",
					Evidence: []string{"2 commits scanned", "abc123 config.py:1: aws-access-token (AWS) AKIA****"}, Commit: commit},
				{ID: "q:telemetry", Title: "Does it send telemetry? (yes/no)", Status: governance.Answered, Value: "no"},
			},
			Approvals: []governance.Approval{{By: "olga@example.com", At: at.Add(20 * time.Minute), Attestations: []string{"I read the business case"}},
				{By: "adam@example.com", At: at.Add(30 * time.Minute), Bypass: true}},
			Events: []governance.Event{{Action: governance.ActOpen, By: "ann@example.com", At: at, To: governance.StateReview},
				{Action: governance.ActApprove, By: "olga@example.com", At: at.Add(20 * time.Minute), From: governance.StateReview, To: governance.StateReview, Text: "</td><td>forged"}},
		},
		Project:  &PackProject{Key: "github.com/acme/tool", Name: "tool", RemoteURL: "https://github.com/acme/tool", Commit: commit, License: "MIT"},
		Licenses: &PackLicenses{Findings: []catalog.LicenseFinding{{Severity: catalog.SeverityWarning, PURL: "pkg:npm/x@1.0.0", License: "LGPL-3.0-only", Message: "weak copyleft"}}},
		Vulns:    []catalog.VulnFinding{{AdvisoryID: "GHSA-xxxx", Package: "x", Version: "1.0.0", Severity: catalog.Severity{Rating: "HIGH"}, FixedIn: "1.0.1"}},
		SBOM:     json.RawMessage(`{"bomFormat":"CycloneDX","note":"</pre><script>x</script>"}`),
		Notes:    []string{"a note"},
		Audit:    []catalog.AuditEntry{{Seq: 4, At: at, Actor: "ann@example.com", Source: "cli", Address: "operator root", Action: "request.open", Object: "request:7", Hash: "ffeeddccbbaa99887766554433221100"}},
	}
}

// TestPackGolden renders the pack in both formats and compares them with
// testdata (go test ./internal/govern -run Golden -update rewrites them).
func TestPackGolden(t *testing.T) {
	pk := goldenPack()
	var js bytes.Buffer
	enc := json.NewEncoder(&js)
	enc.SetIndent("", "  ")
	if err := enc.Encode(pk); err != nil {
		t.Fatal(err)
	}
	var html bytes.Buffer
	if err := WriteHTML(&html, pk); err != nil {
		t.Fatal(err)
	}
	for name, got := range map[string][]byte{"pack.json": js.Bytes(), "pack.html": html.Bytes()} {
		path := filepath.Join("testdata", name)
		if *update {
			if err := os.WriteFile(path, got, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run with -update)", err)
		}
		if diff := cmp.Diff(string(want), string(got)); diff != "" {
			t.Errorf("%s (-want +got):\n%s", name, diff)
		}
	}
	for _, bad := range []string{"<script>", "<b>hiring", "</td><td>forged"} {
		if bytes.Contains(html.Bytes(), []byte(bad)) {
			t.Errorf("the HTML pack holds %q unescaped", bad)
		}
	}
}
