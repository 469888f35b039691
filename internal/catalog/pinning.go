package catalog

import (
	"strconv"
	"strings"
)

// Kinds of PinnedDependency, as OpenSSF Scorecard names them.
const (
	PinContainerImage  = "containerImage"  // a Dockerfile FROM
	PinDownloadThenRun = "downloadThenRun" // curl … | sh, a downloaded file run
	PinGoCommand       = "goCommand"       // go install / go get
	PinPipCommand      = "pipCommand"      // pip install, python -m pip install
	PinNpmCommand      = "npmCommand"      // npm install / ci / update
	PinChocoCommand    = "chocoCommand"    // choco install
	PinNugetCommand    = "nugetCommand"    // nuget install/restore, dotnet add/restore, msbuild /t:restore
)

// PinnedDependency is one dependency a workflow run step, a Dockerfile or a
// shell script fetches, judged pinned (by hash, or by a lockfile the
// command enforces) or not.
type PinnedDependency struct {
	// Type is one of the Pin* kinds.
	Type   string
	Pinned bool
	// Path and Line locate it (Line 0 when unknown).
	Path string
	Line int
	// Snippet is the command or instruction, on one line, shortened.
	Snippet string
}

// maxPinSnippet caps a PinnedDependency's snippet, in bytes.
const maxPinSnippet = 160

// Fact encodes d as a file fact: kind FilePinnedDependency or
// FileUnpinnedDependency, and Path "TYPE<tab>PATH:LINE<tab>SNIPPET". Tabs
// and line breaks in the path and snippet become spaces, and the snippet is
// cut to 160 bytes, so the fact reads back with ParsePinnedDependency.
func (d PinnedDependency) Fact() FileFact {
	kind := FileUnpinnedDependency
	if d.Pinned {
		kind = FilePinnedDependency
	}
	flat := strings.NewReplacer("\t", " ", "\n", " ", "\r", " ")
	snip := strings.Join(strings.Fields(strings.ToValidUTF8(d.Snippet, "\uFFFD")), " ")
	if len(snip) > maxPinSnippet {
		cut := maxPinSnippet
		for cut > 0 && !isRuneStart(snip[cut]) {
			cut--
		}
		snip = snip[:cut] + "…"
	}
	return FileFact{Kind: kind, Path: flat.Replace(d.Type) + "\t" + flat.Replace(strings.ToValidUTF8(d.Path, "\uFFFD")) +
		":" + strconv.Itoa(d.Line) + "\t" + snip}
}

func isRuneStart(b byte) bool { return b&0xC0 != 0x80 }

// ParsePinnedDependency decodes a fact written by PinnedDependency.Fact; it
// reports false for a fact of another kind or form.
func ParsePinnedDependency(f FileFact) (PinnedDependency, bool) {
	var d PinnedDependency
	switch f.Kind {
	case FilePinnedDependency:
		d.Pinned = true
	case FileUnpinnedDependency:
	default:
		return d, false
	}
	typ, rest, ok := strings.Cut(f.Path, "\t")
	if !ok || typ == "" {
		return d, false
	}
	loc, snip, _ := strings.Cut(rest, "\t")
	i := strings.LastIndexByte(loc, ':')
	if i < 0 {
		return d, false
	}
	line, err := strconv.Atoi(loc[i+1:])
	if err != nil || line < 0 {
		return d, false
	}
	d.Type, d.Path, d.Line, d.Snippet = typ, loc[:i], line, snip
	return d, true
}
