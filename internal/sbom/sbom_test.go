package sbom

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ospo-project/ospo/internal/catalog"
)

func TestNormaliseHash(t *testing.T) {
	const sha1Hex = "a94a8fe5ccb19ba61c4c0873d391e987982fbbd3" // sha1("test")
	const sha512B64 = "7iaw3Ur350mqGo7jwQrpkj9hiYB3Lkc/iBml1JQODbJ6wYX4oOHV+E+IvIh/1nsUNzLDBMxfqa2Ob1f1ACio/w=="
	const sha512Hex = "ee26b0dd4af7e749aa1a8ee3c10ae9923f618980772e473f8819a5d4940e0db27ac185f8a0e1d5f84f88bc887fd67b143732c304cc5fa9ad8e6f57f50028a8ff"
	tests := []struct {
		in     catalog.Hash
		want   Hash
		wantOK bool
	}{
		{catalog.Hash{Algorithm: "sha1", Value: sha1Hex}, Hash{"sha1", sha1Hex}, true},
		{catalog.Hash{Algorithm: "SHA-1", Value: "A94A8FE5CCB19BA61C4C0873D391E987982FBBD3"}, Hash{"sha1", sha1Hex}, true},
		{catalog.Hash{Algorithm: "sha512", Value: sha512B64}, Hash{"sha512", sha512Hex}, true},
		{catalog.Hash{Algorithm: "sha512", Value: "sha512-" + sha512B64}, Hash{"sha512", sha512Hex}, true},
		{catalog.Hash{Algorithm: "sha256", Value: "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"},
			Hash{"sha256", "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"}, true},
		// Go's dirhash is not a digest of anything a consumer can fetch.
		{catalog.Hash{Algorithm: "h1", Value: "h1:n4bNlrUM1nA2NRrn4Nm8yn6fa/6cPlRdeMzl1KF3xHY="}, Hash{}, false},
		// A sha1-sized value recorded as sha256 is not a sha256.
		{catalog.Hash{Algorithm: "sha256", Value: sha1Hex}, Hash{}, false},
		{catalog.Hash{Algorithm: "sha256", Value: "not-a-digest"}, Hash{}, false},
		{catalog.Hash{Algorithm: "crc32", Value: "d87f7e0c"}, Hash{}, false},
	}
	for _, tc := range tests {
		got, ok := normaliseHash(tc.in)
		if got != tc.want || ok != tc.wantOK {
			t.Errorf("normaliseHash(%v) = %v, %v; want %v, %v", tc.in, got, ok, tc.want, tc.wantOK)
		}
	}
}

func TestParseLicense(t *testing.T) {
	tests := []struct {
		in   string
		want License
	}{
		{"MIT", License{"MIT", true, true}},
		{"mit", License{"MIT", true, true}},
		{"GPL-2.0", License{"GPL-2.0", true, true}}, // deprecated, still an id
		{"MIT OR Apache-2.0", License{"MIT OR Apache-2.0", true, false}},
		{"(MIT AND BSD-3-Clause)", License{"MIT AND BSD-3-Clause", true, false}},
		{"GPL-2.0-only WITH Classpath-exception-2.0", License{"GPL-2.0-only WITH Classpath-exception-2.0", true, false}},
		{"Apache 2.0", License{"Apache 2.0", false, false}},
		{"UNLICENSED", License{"UNLICENSED", false, false}},
		{"MIT AND", License{"MIT AND", false, false}},
		{"LicenseRef-acme", License{"LicenseRef-acme", false, false}},
		{"MIT OR LicenseRef-acme", License{"MIT OR LicenseRef-acme", false, false}},
	}
	for _, tc := range tests {
		if got := ParseLicense(tc.in); got != tc.want {
			t.Errorf("ParseLicense(%q) = %+v, want %+v", tc.in, got, tc.want)
		}
	}
}

func TestVCSURL(t *testing.T) {
	tests := []struct{ in, want string }{
		{"https://github.com/acme/x.git", "https://github.com/acme/x.git"},
		{"ssh://git@github.com/acme/x.git", "ssh://git@github.com/acme/x.git"},
		{"git@github.com:acme/x.git", "ssh://git@github.com/acme/x.git"},
		{"github.com:acme/x", "ssh://github.com/acme/x"},
		{"git@localhost:x", "ssh://git@localhost/x"},
		{"gitserver:repo.git", "ssh://gitserver/repo.git"},
		{"https://x-access-token:secret@github.com/acme/x.git", "https://github.com/acme/x.git"},
		{"ssh://git:secret@host/x.git", "ssh://git@host/x.git"},
		{"", ""},
		{"/srv/git/x", ""},
		{"../x", ""},
		{`C:\src\x`, ""},
		{"file:///srv/git/x", ""},
		{"ftp://host/x", ""},
	}
	for _, tc := range tests {
		if got := VCSURL(tc.in); got != tc.want {
			t.Errorf("VCSURL(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestSanitizeAndUniqueIDs(t *testing.T) {
	for in, want := range map[string]string{
		"npm/@babel/core@7.24.0": "npm-babel-core-7.24.0",
		"über--utils":            "ber-utils",
		"a.b-c":                  "a.b-c",
		"@@@":                    "",
	} {
		if got := Sanitize(in); got != want {
			t.Errorf("Sanitize(%q) = %q, want %q", in, got, want)
		}
	}
	got := UniqueIDs("P-", []string{"a_b", "a-b", "a+b", "", "a-b-2"})
	want := []string{"P-a-b", "P-a-b-2", "P-a-b-3", "P-unnamed", "P-a-b-2-2"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("UniqueIDs (-want +got):\n%s", diff)
	}
}

func TestContentUUID(t *testing.T) {
	a, b := ContentUUID([]byte("one")), ContentUUID([]byte("two"))
	if a == b || a != ContentUUID([]byte("one")) || len(a) != 36 || a[14] != '5' {
		t.Errorf("ContentUUID: %s, %s", a, b)
	}
}

func TestTimestamp(t *testing.T) {
	cet := time.FixedZone("CET", 3600)
	got, err := Options{Now: time.Date(2024, 5, 3, 11, 0, 0, 999, cet)}.Timestamp()
	if err != nil || got != "2024-05-03T10:00:00Z" {
		t.Errorf("Timestamp = %q, %v", got, err)
	}
	if _, err := (Options{}).Timestamp(); err != ErrNoTime {
		t.Errorf("zero Now: %v, want ErrNoTime", err)
	}
}

func TestNewInventory(t *testing.T) {
	p := &catalog.Project{Dependencies: []catalog.Dependency{
		{PURL: "pkg:npm/a@1.0.0", Ecosystem: "npm", Name: "a", Version: "1.0.0", Direct: true, Scope: "runtime", Manifest: "x/package-lock.json",
			Licenses: []string{"mit"}, Hashes: []catalog.Hash{{Algorithm: "sha1", Value: "a94a8fe5ccb19ba61c4c0873d391e987982fbbd3"}},
			DependsOn: []string{"pkg:npm/b@2.0.0", "pkg:npm/missing@1.0.0", "pkg:npm/a@1.0.0"}},
		{PURL: "pkg:npm/b@2.0.0", Ecosystem: "npm", Name: "b", Version: "2.0.0", Scope: "dev", Manifest: "x/package-lock.json"},
		{PURL: "pkg:npm/a@1.0.0", Ecosystem: "npm", Name: "a", Version: "1.0.0", Direct: true, Scope: "dev", Manifest: "y/package-lock.json",
			Licenses: []string{"MIT"}, Hashes: []catalog.Hash{{Algorithm: "sha1", Value: "A94A8FE5CCB19BA61C4C0873D391E987982FBBD3"}}},
		{PURL: "pkg:npm/a@%5E1.0.0", Ecosystem: "npm", Name: "a", Version: "^1.0.0", Constraint: true, Direct: true, Manifest: "z/package.json"},
		{PURL: "not a purl", Ecosystem: "npm", Name: "weird", Version: "1", Manifest: "z/package.json"},
	}}
	want := &Inventory{
		Manifests: []*Manifest{
			{Path: "x/package-lock.json", Direct: []Use{{"pkg:npm/a@1.0.0", "runtime"}}},
			{Path: "y/package-lock.json", Direct: []Use{{"pkg:npm/a@1.0.0", "dev"}}},
			{Path: "z/package.json", Direct: []Use{{"pkg:npm/a", ""}}},
		},
		Packages: []*Package{
			{Ref: "ospo:package:npm/weird@1", Ecosystem: "npm", Name: "weird", Version: "1", Manifests: []string{"z/package.json"}, Scopes: []string{""}},
			{Ref: "pkg:npm/a", PURL: "pkg:npm/a", Ecosystem: "npm", Name: "a", Constraints: []string{"^1.0.0"},
				Manifests: []string{"z/package.json"}, Scopes: []string{""}, Direct: true},
			{Ref: "pkg:npm/a@1.0.0", PURL: "pkg:npm/a@1.0.0", Ecosystem: "npm", Name: "a", Version: "1.0.0",
				Manifests: []string{"x/package-lock.json", "y/package-lock.json"}, Scopes: []string{"dev", "runtime"}, Direct: true,
				Licenses:  []License{{"MIT", true, true}},
				Hashes:    []Hash{{"sha1", "a94a8fe5ccb19ba61c4c0873d391e987982fbbd3"}},
				DependsOn: []string{"pkg:npm/b@2.0.0"}},
			{Ref: "pkg:npm/b@2.0.0", PURL: "pkg:npm/b@2.0.0", Ecosystem: "npm", Name: "b", Version: "2.0.0",
				Manifests: []string{"x/package-lock.json"}, Scopes: []string{"dev"}},
		},
	}
	if diff := cmp.Diff(want, NewInventory(p)); diff != "" {
		t.Errorf("NewInventory (-want +got):\n%s", diff)
	}
}
