package vuln

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/ospo-project/ospo/internal/catalog"
)

func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob("testdata/*/*.json")
	for _, p := range files {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		r, _, err := Parse(data)
		if err != nil || !r.Withdrawn.IsZero() {
			return
		}
		a := r.Catalog(data)
		ix := NewIndex([]catalog.Advisory{a})
		for _, p := range a.Packages {
			ix.Match([]catalog.Dependency{{Ecosystem: p.Ecosystem, Name: p.Name, Version: "1.0.0"}})
		}
	})
}

func FuzzCVSS(f *testing.F) {
	for _, v := range []string{
		"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
		"CVSS:3.0/AV:L/AC:H/PR:H/UI:R/S:C/C:L/I:L/A:L",
		"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N",
		"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:U",
	} {
		f.Add(v)
	}
	f.Fuzz(func(t *testing.T, v string) {
		s, err := CVSS(v)
		if err == nil && (s.Score < 0 || s.Score > 10 || s.Rating == "") {
			t.Errorf("CVSS(%q) = %+v", v, s)
		}
	})
}
