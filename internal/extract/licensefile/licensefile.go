// Package licensefile finds the licence a project declares for itself: the
// text of LICENSE/COPYING/UNLICENSE files and REUSE LICENSES/ folders
// (matched with github.com/google/licensecheck), LICENSE.spdx, package
// metadata (package.json, Cargo.toml, pyproject.toml, *.gemspec, pom.xml,
// composer.json, *.csproj) and SPDX-License-Identifier: lines in source
// files. The result is an SPDX expression with its evidence; what cannot be
// recognised stays "unknown".
package licensefile

import (
	"bytes"
	"context"
	"path"
	"sort"
	"strings"

	"github.com/google/licensecheck"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/license"
	"github.com/ospo-project/ospo/internal/repofs"
)

// Size caps.
const (
	maxLicenseFile   = 256 << 10 // a licence text
	maxMetadataFile  = 1 << 20   // a manifest
	headerBytes      = 4 << 10   // read from each source file for SPDX headers
	maxHeaderFiles   = 500       // source files read for SPDX headers
	maxCoverageFiles = 5000      // source files read for licence notices
	maxHeaderSource  = 2 << 20   // larger source files are not read for headers
	maxLicenseFiles  = 50        // licence files read
)

// minCoverage is the share (percent) of a licence file that known licence
// texts must cover for the file to count as evidence. Below it the file
// says something else as well (a custom licence, additional terms) and is
// not guessed at.
const minCoverage = 75

// Detect returns the project's own licence found in tree, and problems with
// files it could not read. It never returns nil: a project with no
// evidence gets Expression "unknown".
func Detect(ctx context.Context, tree repofs.Tree) (*catalog.ProjectLicense, []catalog.Problem) {
	return detect(ctx, tree, tree.Files())
}

// Facts is Detect over the listing files of t, as facts: the extractor of
// package extract.
func Facts(ctx context.Context, t repofs.Tree, files []repofs.File) catalog.Facts {
	lic, probs := detect(ctx, t, files)
	return catalog.Facts{License: lic, Problems: probs}
}

func detect(ctx context.Context, tree repofs.Tree, files []repofs.File) (*catalog.ProjectLicense, []catalog.Problem) {
	var probs []catalog.Problem

	fileEv, dualHint := licenseFiles(tree, files, &probs)
	metaEv := metadata(tree, files, &probs)
	var headerEv []catalog.LicenseEvidence
	var cov *catalog.HeaderCoverage
	if ctx.Err() == nil {
		headerEv, cov = headers(ctx, tree, files)
	}

	pl := &catalog.ProjectLicense{Expression: catalog.LicenseUnknown, Headers: cov}
	fileExpr := combineFiles(fileEv, dualHint)
	metaExpr := ""
	if len(metaEv) > 0 {
		metaExpr = metaEv[0].License
	}
	switch {
	case fileExpr != "" && metaExpr != "":
		if subset(fileExpr, metaExpr) {
			pl.Expression, pl.Confidence = metaExpr, 0.95
		} else {
			pl.Expression, pl.Confidence = fileExpr, 0.7 // the texts and the metadata disagree
		}
	case fileExpr != "":
		pl.Expression, pl.Confidence = fileExpr, minConfidence(fileEv)
	case metaExpr != "":
		pl.Expression, pl.Confidence = metaExpr, metaEv[0].Confidence
	case len(headerEv) > 0:
		var ids []string
		for _, e := range headerEv {
			ids = append(ids, e.License)
		}
		pl.Expression, pl.Confidence = license.And(ids...), 0.6
	}
	pl.Evidence = append(append(append(pl.Evidence, fileEv...), metaEv...), headerEv...)
	return pl, probs
}

// IsLicenseFile reports whether a base name is a licence file name:
// LICENSE, LICENCE, COPYING, UNLICENSE (with an extension or a qualifier,
// LICENSE-MIT, COPYING.LESSER) or a qualifier first (MIT-LICENSE).
func IsLicenseFile(base string) bool {
	l := strings.ToLower(base)
	ext := path.Ext(l)
	switch ext {
	case "", ".txt", ".md", ".markdown", ".rst", ".html", ".spdx":
	default:
		if !strings.HasPrefix(ext, ".") || len(ext) > 8 || strings.ContainsAny(ext[1:], "0123456789") {
			break
		}
		// LICENSE.MIT, COPYING.LESSER, LICENSE.APACHE2 are licence files;
		// LICENSE.go is not.
		switch ext {
		case ".go", ".js", ".ts", ".py", ".rb", ".java", ".json", ".yml", ".yaml", ".xml", ".toml", ".c", ".h", ".rs", ".php", ".cs", ".sh":
			return false
		}
	}
	stem := strings.TrimSuffix(l, ext)
	for _, n := range []string{"license", "licence", "copying", "unlicense"} {
		if stem == n || strings.HasPrefix(stem, n+"-") || strings.HasPrefix(stem, n+"_") ||
			strings.HasSuffix(stem, "-"+n) || strings.HasSuffix(stem, "_"+n) || strings.HasPrefix(l, n+".") {
			return true
		}
	}
	return false
}

// licenseFiles matches the licence files at the root and in LICENSES/.
func licenseFiles(tree repofs.Tree, files []repofs.File, probs *[]catalog.Problem) ([]catalog.LicenseEvidence, bool) {
	var ev []catalog.LicenseEvidence
	dual := false
	n := 0
	for _, f := range files {
		if f.Symlink || f.Submodule {
			continue
		}
		dir, base := path.Split(f.Path)
		reuse := strings.EqualFold(dir, "LICENSES/")
		if dir != "" && !reuse {
			continue
		}
		if !reuse && !IsLicenseFile(base) {
			continue
		}
		if n++; n > maxLicenseFiles {
			break
		}
		data, err := tree.ReadFile(f.Path, maxLicenseFile)
		if err != nil {
			*probs = append(*probs, catalog.Problem{Kind: catalog.ProblemUnreadable, Path: f.Path, Message: err.Error()})
			continue
		}
		if strings.HasSuffix(strings.ToLower(base), ".spdx") {
			if e, ok := spdxDocument(f.Path, data); ok {
				ev = append(ev, e)
			}
			continue
		}
		if saysChoice(data) {
			dual = true
		}
		if reuse {
			// REUSE names each file after its identifier: LICENSES/MIT.txt.
			id := strings.TrimSuffix(base, path.Ext(base))
			if x := license.Normalize(id); x != "" {
				ev = append(ev, catalog.LicenseEvidence{File: f.Path, License: x, Confidence: 0.9, Source: catalog.LicenseSourceFile})
				continue
			}
		}
		if e, ok := Classify(data); ok {
			e.File = f.Path
			ev = append(ev, e)
		}
	}
	return ev, dual
}

// Classify matches a licence text. It reports false when the text is not,
// or not mostly, known licence texts: wrong answers are worse than none.
// Several licences in one text are joined with AND, or OR when the text
// says the reader may choose.
func Classify(text []byte) (catalog.LicenseEvidence, bool) {
	cov := licensecheck.Scan(text)
	if cov.Percent < minCoverage || len(cov.Match) == 0 {
		return catalog.LicenseEvidence{}, false
	}
	var ids []string
	for _, m := range orLaterNotices(cov.Match) {
		if m.IsURL {
			continue
		}
		id := license.Normalize(m.ID)
		if id == "" {
			return catalog.LicenseEvidence{}, false
		}
		ids = append(ids, id)
	}
	if len(ids) == 0 {
		return catalog.LicenseEvidence{}, false
	}
	expr := license.And(ids...)
	if saysChoice(text) {
		expr = license.Or(ids...)
	}
	conf := cov.Percent / 100
	if conf > 1 {
		conf = 1
	}
	return catalog.LicenseEvidence{License: expr, Coverage: round1(cov.Percent), Confidence: round2(conf), Source: catalog.LicenseSourceFile}, true
}

// orLaterNotices reconciles a licence text with an "or any later version"
// notice of the same licence in the same file (GPL-1.0 and
// GPL-1.0-or-later). A notice after the start of the text is the sample of
// the text's "How to apply these terms" appendix, not a choice the author
// made: it is dropped. A notice before the text is the author's: the file
// says the licence or any later version.
func orLaterNotices(ms []licensecheck.Match) []licensecheck.Match {
	family := func(id string) (string, bool) {
		if b, ok := strings.CutSuffix(id, "-or-later"); ok {
			return b, true
		}
		if b, ok := strings.CutSuffix(id, "+"); ok {
			return b, true
		}
		return strings.TrimSuffix(id, "-only"), false
	}
	out := make([]licensecheck.Match, 0, len(ms))
	for i, m := range ms {
		fam, later := family(m.ID)
		keep := true
		for j, o := range ms {
			ofam, olater := family(o.ID)
			if i == j || o.IsURL || m.IsURL || ofam != fam || olater == later {
				continue
			}
			switch {
			case later && m.Start > o.Start:
				keep = false // the appendix's sample notice
			case !later && o.Start < m.Start:
				keep = false // the author's notice, then the text: the notice says it all
			}
		}
		if keep {
			out = append(out, m)
		}
	}
	return out
}

func round1(f float64) float64 { return float64(int(f*10+0.5)) / 10 }
func round2(f float64) float64 { return float64(int(f*100+0.5)) / 100 }

// choiceWords are phrases by which a text offers a choice of licences.
var choiceWords = [][]byte{[]byte("dual-licensed"), []byte("dual licensed"), []byte("at your option"),
	[]byte("either license"), []byte("either licence"), []byte("your choice of"), []byte("choose either")}

func saysChoice(text []byte) bool {
	if len(text) > 64<<10 {
		text = text[:64<<10]
	}
	l := bytes.ToLower(text)
	for _, w := range choiceWords {
		if bytes.Contains(l, w) {
			return true
		}
	}
	return false
}

// combineFiles joins the licences of several files: OR when one of them
// offers a choice, or when they follow the LICENSE-MIT/LICENSE-APACHE
// convention of dual-licensed projects, else AND (every text applies).
func combineFiles(ev []catalog.LicenseEvidence, dual bool) string {
	var exprs []string
	qualified := 0
	for _, e := range ev {
		exprs = append(exprs, e.License)
		base := strings.ToLower(path.Base(e.File))
		if strings.HasPrefix(base, "license-") || strings.HasPrefix(base, "licence-") {
			qualified++
		}
	}
	if len(exprs) == 0 {
		return ""
	}
	if dual || (qualified >= 2 && qualified == len(exprs)) {
		return license.Or(exprs...)
	}
	return license.And(exprs...)
}

func minConfidence(ev []catalog.LicenseEvidence) float64 {
	m := 1.0
	for _, e := range ev {
		if e.Confidence < m {
			m = e.Confidence
		}
	}
	return m
}

// subset reports whether every licence of a appears in b.
func subset(a, b string) bool {
	ea, err1 := license.Parse(a)
	eb, err2 := license.Parse(b)
	if err1 != nil || err2 != nil {
		return false
	}
	have := map[string]bool{}
	for _, l := range eb.Leaves() {
		have[l.String()] = true
	}
	for _, l := range ea.Leaves() {
		if !have[l.String()] {
			return false
		}
	}
	return true
}

// spdxDocument reads the declared licence of an SPDX tag-value document.
func spdxDocument(file string, data []byte) (catalog.LicenseEvidence, bool) {
	for _, line := range strings.Split(string(data), "\n") {
		k, v, ok := strings.Cut(strings.TrimSpace(line), ":")
		if !ok || (k != "PackageLicenseDeclared" && k != "PackageLicenseConcluded") {
			continue
		}
		if x := license.Normalize(v); x != "" {
			return catalog.LicenseEvidence{File: file, License: x, Confidence: 0.9, Source: catalog.LicenseSourceMetadata}, true
		}
	}
	return catalog.LicenseEvidence{}, false
}

// sourceExts are the files read for SPDX-License-Identifier headers.
var sourceExts = map[string]bool{".go": true, ".c": true, ".h": true, ".cc": true, ".cpp": true, ".hpp": true,
	".rs": true, ".py": true, ".js": true, ".mjs": true, ".ts": true, ".tsx": true, ".jsx": true, ".java": true,
	".kt": true, ".scala": true, ".rb": true, ".php": true, ".cs": true, ".swift": true, ".sh": true,
	".ex": true, ".exs": true, ".erl": true, ".css": true, ".scss": true, ".vue": true, ".dart": true}

var spdxTag = []byte("SPDX-License-Identifier:")

// headers collects the SPDX-License-Identifier lines of the project's own
// source files (not vendored ones), most used first, from the first
// maxHeaderFiles of them, and counts the files with a licence notice in
// their head (up to maxCoverageFiles).
func headers(ctx context.Context, tree repofs.Tree, files []repofs.File) ([]catalog.LicenseEvidence, *catalog.HeaderCoverage) {
	count := map[string]int{}
	first := map[string]string{}
	cov := &catalog.HeaderCoverage{}
	// The files to read, first, so that they are read together; nth holds
	// each one's rank among the source files considered.
	var paths []string
	var nth []int
	considered := 0
	for _, f := range files {
		if f.Symlink || f.Submodule || !sourceExts[strings.ToLower(path.Ext(f.Path))] || thirdParty(f.Path) || f.Size == 0 {
			continue
		}
		if considered >= maxCoverageFiles || ctx.Err() != nil {
			cov.Truncated = true
			break
		}
		considered++
		if f.Size > maxHeaderSource {
			continue // a generated or bundled file, not read whole for a header
		}
		paths = append(paths, f.Path)
		nth = append(nth, considered)
	}
	repofs.ReadFiles(tree, paths, maxHeaderSource, func(i int, data []byte, err error) {
		if err != nil {
			return
		}
		if nth[i] <= maxHeaderFiles {
			if x := HeaderLicense(data); x != "" {
				if count[x] == 0 {
					first[x] = paths[i]
				}
				count[x]++
			}
		}
		head := data[:min(len(data), headerBytes)]
		if generated(head) {
			return
		}
		cov.Files++
		if HasNotice(head) {
			cov.WithNotice++
		} else if len(cov.Missing) < catalog.MaxMissing {
			cov.Missing = append(cov.Missing, paths[i])
		}
	})
	var ev []catalog.LicenseEvidence
	for x := range count {
		ev = append(ev, catalog.LicenseEvidence{File: first[x], License: x, Confidence: 0.6, Source: catalog.LicenseSourceHeader})
	}
	sort.Slice(ev, func(i, j int) bool {
		if count[ev[i].License] != count[ev[j].License] {
			return count[ev[i].License] > count[ev[j].License]
		}
		return ev[i].License < ev[j].License
	})
	if len(ev) > 5 {
		ev = ev[:5]
	}
	if cov.Files == 0 {
		cov = nil
	}
	return ev, cov
}

// notices are phrases of licence notices, lower case: SPDX's tag and the
// opening words of the notices licences ask to put in each file (Apache,
// MIT and BSD, GPL/LGPL/AGPL, MPL, EPL, Go's and Chromium's BSD notice).
var notices = []string{
	"spdx-license-identifier:",
	"begin license block",
	"licensed under",
	"licensed to the",
	"permission is hereby granted",
	"permission to use, copy, modify",
	"redistribution and use in source and binary forms",
	"is free software",
	"use of this source code is governed by",
	"subject to the terms of the mozilla public license",
	"made available under the terms of the",
	"this source code is licensed under",
	"released under the",
	"distributed under the",
}

// HasNotice reports whether head (the start of a source file) holds a
// licence notice: an SPDX-License-Identifier: line or the standard notice
// of a licence.
func HasNotice(head []byte) bool {
	if len(head) > headerBytes {
		head = head[:headerBytes]
	}
	var buf [headerBytes]byte
	l, ok := noticeText(buf[:0], head)
	if !ok {
		l = noticeTextUnicode(head)
	}
	return containsNotice(l)
}

// containsNotice reports whether any of notices occurs in l, in one pass
// over l rather than one search a notice (several of which start with
// letters common in any text).
func containsNotice(l []byte) bool {
	for i, c := range l {
		for _, n := range noticesByFirst[c] {
			if len(l)-i >= len(n) && string(l[i:i+len(n)]) == n {
				return true
			}
		}
	}
	return false
}

// noticesByFirst holds notices by their first byte.
var noticesByFirst = func() (by [256][]string) {
	for _, n := range notices {
		by[n[0]] = append(by[n[0]], n)
	}
	return by
}()

// commentMarks are the characters of comment markers (#, //, *, --, ;;, <!--,
// %): a word of only these is left out of a notice's text.
const commentMarks = "#/*;-!<>%"

// noticeText appends to dst the words of an ASCII head, lower-cased,
// comment markers left out, joined by single spaces: notices are wrapped
// over comment lines. It reports false, having appended an unspecified
// part, when head holds a non-ASCII byte (noticeTextUnicode is then the
// one that splits and lower-cases as package bytes does).
func noticeText(dst, head []byte) ([]byte, bool) {
	for i := 0; i < len(head); {
		for i < len(head) && asciiSpace[head[i]] {
			i++
		}
		start := i
		marksOnly := true
		for i < len(head) && !asciiSpace[head[i]] {
			c := head[i]
			if c >= 0x80 {
				return dst, false
			}
			if marksOnly && strings.IndexByte(commentMarks, c) < 0 {
				marksOnly = false
			}
			i++
		}
		if start == i || marksOnly {
			continue
		}
		if len(dst) > 0 {
			dst = append(dst, ' ')
		}
		for _, c := range head[start:i] {
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			dst = append(dst, c)
		}
	}
	return dst, true
}

// asciiSpace holds the ASCII bytes bytes.Fields splits on.
var asciiSpace = [256]bool{'\t': true, '\n': true, '\v': true, '\f': true, '\r': true, ' ': true}

// noticeTextUnicode is noticeText for any text.
func noticeTextUnicode(head []byte) []byte {
	words := bytes.Fields(bytes.ToLower(head))
	kept := words[:0]
	for _, w := range words {
		if len(bytes.Trim(w, commentMarks)) > 0 {
			kept = append(kept, w)
		}
	}
	return bytes.Join(kept, []byte(" "))
}

// generated reports a file that says it is generated ("Code generated …
// DO NOT EDIT.", "@generated"): its generator, not a person, writes its
// header.
func generated(head []byte) bool {
	return (bytes.Contains(head, []byte("Code generated")) && bytes.Contains(head, []byte("DO NOT EDIT"))) ||
		bytes.Contains(head, []byte("@generated"))
}

// HeaderLicense returns the expression of the first
// SPDX-License-Identifier: line in the first 4 KiB of a source file, or ""
// when there is none or it is not a recognisable SPDX expression.
func HeaderLicense(data []byte) string {
	if len(data) > headerBytes {
		data = data[:headerBytes]
	}
	i := bytes.Index(data, spdxTag)
	if i < 0 {
		return ""
	}
	line := data[i+len(spdxTag):]
	if j := bytes.IndexByte(line, '\n'); j >= 0 {
		line = line[:j]
	}
	s := strings.TrimSpace(string(line))
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimSuffix(s, "*/"), "-->"))
	return license.Normalize(s)
}

func thirdParty(p string) bool {
	for _, seg := range strings.Split(strings.ToLower(p), "/") {
		switch seg {
		case "node_modules", "vendor", "third_party", "thirdparty", "testdata", "external", "bower_components":
			return true
		}
	}
	return false
}

// Warm prepares the licence text matcher, which takes most of a second the
// first time a text is classified; a caller may run it in a goroutine ahead
// of need. It is safe to call at any time, any number of times.
func Warm() { licensecheck.Scan(nil) }
