package licensefile

import (
	"context"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/repofs"
)

// textCases are licence texts licensecheck was not built from (see
// testdata/texts/README.md), with the SPDX identifier each one is: the
// choosealicense.com front matter's spdx-id, or the Debian file's name.
// Alternatives are separated by "|": Debian's "Artistic" is Perl's Artistic
// licence, which SPDX lists both as Artistic-1.0-Perl and (the OSI text,
// differing in clause 8 and the notes) Artistic-1.0.
var textCases = map[string]string{
	"choosealicense/0bsd.txt":                "0BSD",
	"choosealicense/afl-3.0.txt":             "AFL-3.0",
	"choosealicense/agpl-3.0.txt":            "AGPL-3.0",
	"choosealicense/apache-2.0.txt":          "Apache-2.0",
	"choosealicense/artistic-2.0.txt":        "Artistic-2.0",
	"choosealicense/blueoak-1.0.0.txt":       "BlueOak-1.0.0",
	"choosealicense/bsd-2-clause-patent.txt": "BSD-2-Clause-Patent",
	"choosealicense/bsd-2-clause.txt":        "BSD-2-Clause",
	"choosealicense/bsd-3-clause-clear.txt":  "BSD-3-Clause-Clear",
	"choosealicense/bsd-3-clause.txt":        "BSD-3-Clause",
	"choosealicense/bsd-4-clause.txt":        "BSD-4-Clause",
	"choosealicense/bsl-1.0.txt":             "BSL-1.0",
	"choosealicense/cc-by-4.0.txt":           "CC-BY-4.0",
	"choosealicense/cc-by-sa-4.0.txt":        "CC-BY-SA-4.0",
	"choosealicense/cc0-1.0.txt":             "CC0-1.0",
	"choosealicense/cecill-2.1.txt":          "CECILL-2.1",
	"choosealicense/cern-ohl-p-2.0.txt":      "CERN-OHL-P-2.0",
	"choosealicense/cern-ohl-s-2.0.txt":      "CERN-OHL-S-2.0",
	"choosealicense/cern-ohl-w-2.0.txt":      "CERN-OHL-W-2.0",
	"choosealicense/ecl-2.0.txt":             "ECL-2.0",
	"choosealicense/epl-1.0.txt":             "EPL-1.0",
	"choosealicense/epl-2.0.txt":             "EPL-2.0",
	"choosealicense/eupl-1.1.txt":            "EUPL-1.1",
	"choosealicense/eupl-1.2.txt":            "EUPL-1.2",
	"choosealicense/gfdl-1.3.txt":            "GFDL-1.3",
	"choosealicense/gpl-2.0.txt":             "GPL-2.0",
	"choosealicense/gpl-3.0.txt":             "GPL-3.0",
	"choosealicense/isc.txt":                 "ISC",
	"choosealicense/lgpl-2.1.txt":            "LGPL-2.1",
	"choosealicense/lgpl-3.0.txt":            "LGPL-3.0",
	"choosealicense/lppl-1.3c.txt":           "LPPL-1.3c",
	"choosealicense/mit-0.txt":               "MIT-0",
	"choosealicense/mit.txt":                 "MIT",
	"choosealicense/mpl-2.0.txt":             "MPL-2.0",
	"choosealicense/ms-pl.txt":               "MS-PL",
	"choosealicense/ms-rl.txt":               "MS-RL",
	"choosealicense/mulanpsl-2.0.txt":        "MulanPSL-2.0",
	"choosealicense/ncsa.txt":                "NCSA",
	"choosealicense/odbl-1.0.txt":            "ODbL-1.0",
	"choosealicense/ofl-1.1.txt":             "OFL-1.1",
	"choosealicense/osl-3.0.txt":             "OSL-3.0",
	"choosealicense/postgresql.txt":          "PostgreSQL",
	"choosealicense/unlicense.txt":           "Unlicense",
	"choosealicense/upl-1.0.txt":             "UPL-1.0",
	"choosealicense/vim.txt":                 "Vim",
	"choosealicense/wtfpl.txt":               "WTFPL",
	"choosealicense/zlib.txt":                "Zlib",

	"debian/Apache-2.0": "Apache-2.0",
	"debian/Artistic":   "Artistic-1.0-Perl|Artistic-1.0",
	"debian/BSD":        "BSD-3-Clause",
	"debian/CC0-1.0":    "CC0-1.0",
	"debian/GFDL-1.2":   "GFDL-1.2",
	"debian/GFDL-1.3":   "GFDL-1.3",
	"debian/GPL-1":      "GPL-1.0",
	"debian/GPL-2":      "GPL-2.0",
	"debian/GPL-3":      "GPL-3.0",
	"debian/LGPL-2":     "LGPL-2.0",
	"debian/LGPL-2.1":   "LGPL-2.1",
	"debian/LGPL-3":     "LGPL-3.0",
	"debian/MPL-1.1":    "MPL-1.1",
	"debian/MPL-2.0":    "MPL-2.0",
}

// companyHeader is what a company puts above a licence text it adopts.
const companyHeader = `Widgetd - a widget daemon
Copyright (C) 2019-2024 Acme Widgets Ltd, 12 Harbour Road, Bristol, UK.
All rights reserved where not stated otherwise.

This project is maintained by the Acme Open Source Program Office
(ospo@acme.example). The terms under which you may use it follow.
------------------------------------------------------------------------

`

// detectText runs the project licence detection on a tree whose only
// file is text as LICENSE.
func detectText(text []byte) string {
	pl, _ := Detect(context.Background(), repofs.MemTree{"LICENSE": string(text)})
	return pl.Expression
}

// verdict is "correct", "unknown" or "wrong" for a detected expression.
func verdict(got, want string) string {
	if got == catalog.LicenseUnknown {
		return "unknown"
	}
	for _, w := range strings.Split(want, "|") {
		if sameLicense(got, w) {
			return "correct"
		}
	}
	return "wrong"
}

// halve cuts a text to half its length, at a character boundary.
func halve(b []byte) []byte {
	n := len(b) / 2
	for n > 0 && !utf8.RuneStart(b[n]) {
		n--
	}
	return b[:n]
}

// TestAccuracyTexts detects the licence of a project whose LICENSE is one
// of the texts of testdata/texts: as published, with a company's header
// prepended, and cut to half. A wrong licence fails; unknown is counted.
func TestAccuracyTexts(t *testing.T) {
	Warm()
	variants := []struct {
		name   string
		mutate func([]byte) []byte
	}{
		{"as published", func(b []byte) []byte { return b }},
		{"company header", func(b []byte) []byte { return append([]byte(companyHeader), b...) }},
		{"half", halve},
	}
	for _, v := range variants {
		counts := map[string]int{}
		var total time.Duration
		var unknowns []string
		for file, want := range textCases {
			text := v.mutate(mustRead(t, filepath.Join("testdata", "texts", filepath.FromSlash(file))))
			start := time.Now()
			got := detectText(text)
			total += time.Since(start)
			res := verdict(got, want)
			counts[res]++
			switch res {
			case "wrong":
				t.Errorf("%s, %s: detected %s, want %s", v.name, file, got, want)
			case "unknown":
				unknowns = append(unknowns, file)
			}
		}
		n := len(textCases)
		t.Logf("%s: %d texts: %d correct, %d unknown, %d wrong; %s a file",
			v.name, n, counts["correct"], counts["unknown"], counts["wrong"], (total / time.Duration(n)).Round(time.Microsecond))
		if len(unknowns) > 0 {
			sort.Strings(unknowns)
			t.Logf("%s: unknown: %s", v.name, strings.Join(unknowns, ", "))
		}
	}
}

// TestOrLaterNotice: the "or any later version" notice an author puts
// above the GPL text makes the file GPL-3.0-or-later; the sample notice of
// the text's own appendix (Debian's GPL-1) does not make it a choice.
func TestOrLaterNotice(t *testing.T) {
	notice := `widgetd, a widget daemon
Copyright (C) 2024 Acme Widgets Ltd

This program is free software: you can redistribute it and/or modify
it under the terms of the GNU General Public License as published by
the Free Software Foundation, either version 3 of the License, or
(at your option) any later version.

This program is distributed in the hope that it will be useful,
but WITHOUT ANY WARRANTY; without even the implied warranty of
MERCHANTABILITY or FITNESS FOR A PARTICULAR PURPOSE.  See the
GNU General Public License for more details.

You should have received a copy of the GNU General Public License
along with this program.  If not, see <https://www.gnu.org/licenses/>.

`
	gpl3 := mustRead(t, "testdata/texts/debian/GPL-3")
	if got := detectText(append([]byte(notice), gpl3...)); got != "GPL-3.0-or-later" {
		t.Errorf("notice + GPL-3 text = %s, want GPL-3.0-or-later", got)
	}
	if got := detectText(mustRead(t, "testdata/texts/debian/GPL-1")); got != "GPL-1.0-only" {
		t.Errorf("Debian GPL-1 = %s, want GPL-1.0-only", got)
	}
}
