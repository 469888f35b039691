package sbomtest

import (
	"strings"
	"testing"
)

// TestCheck makes sure the schemas bite: documents that break them are
// rejected, with the $ref'd CycloneDX schemas (SPDX licence ids) loaded from
// disk and formats asserted.
func TestCheck(t *testing.T) {
	const cdxHead = `{"bomFormat":"CycloneDX","specVersion":"1.6","version":1,`
	const spdxHead = `{"spdxVersion":"SPDX-2.3","dataLicense":"CC0-1.0","SPDXID":"SPDXRef-DOCUMENT",` +
		`"creationInfo":{"created":"2024-05-03T10:00:00Z","creators":["Tool: ospo"]},`
	tests := []struct {
		name, schema, doc, wantErr string
	}{
		{"cdx minimal", CycloneDXSchema, cdxHead + `"components":[]}`, ""},
		{"cdx licence id from spdx.schema.json", CycloneDXSchema,
			cdxHead + `"components":[{"type":"library","name":"x","licenses":[{"license":{"id":"Apache-2.0"}}]}]}`, ""},
		{"cdx unknown licence id", CycloneDXSchema,
			cdxHead + `"components":[{"type":"library","name":"x","licenses":[{"license":{"id":"Apache 2.0"}}]}]}`, "licenses"},
		{"cdx expression mixed with licences", CycloneDXSchema,
			cdxHead + `"components":[{"type":"library","name":"x","licenses":[{"expression":"MIT"},{"license":{"id":"MIT"}}]}]}`, "licenses"},
		{"cdx base64 hash", CycloneDXSchema,
			cdxHead + `"components":[{"type":"library","name":"x","hashes":[{"alg":"SHA-1","content":"q80Ra8y6AQ9Wgl6Ph5Lkm1Te3Lg="}]}]}`, "content"},
		{"cdx bad timestamp", CycloneDXSchema, cdxHead + `"metadata":{"timestamp":"yesterday"}}`, "timestamp"},
		{"cdx unknown field", CycloneDXSchema, cdxHead + `"extra":1}`, "extra"},
		{"spdx minimal", SPDXSchema, spdxHead + `"name":"x"}`, ""},
		{"spdx no name", SPDXSchema, spdxHead + `"documentNamespace":"https://x"}`, "name"},
		{"spdx bad relationship", SPDXSchema, spdxHead + `"name":"x","relationships":[{"spdxElementId":"SPDXRef-A","relatedSpdxElement":"SPDXRef-B","relationshipType":"USES"}]}`, "relationshipType"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := Check(tc.schema, []byte(tc.doc))
			switch {
			case tc.wantErr == "" && err != nil:
				t.Errorf("unexpected error: %v", err)
			case tc.wantErr != "" && err == nil:
				t.Errorf("valid, want an error about %q", tc.wantErr)
			case tc.wantErr != "" && !strings.Contains(err.Error(), tc.wantErr):
				t.Errorf("error does not mention %q: %v", tc.wantErr, err)
			}
		})
	}
}
