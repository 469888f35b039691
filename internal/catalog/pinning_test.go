package catalog

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestPinnedDependencyFact(t *testing.T) {
	tests := []struct {
		in   PinnedDependency
		kind string
		want PinnedDependency // what reads back
	}{
		{PinnedDependency{Type: PinNpmCommand, Path: ".github/workflows/ci.yml", Line: 39, Snippet: "npm install"},
			FileUnpinnedDependency, PinnedDependency{Type: PinNpmCommand, Path: ".github/workflows/ci.yml", Line: 39, Snippet: "npm install"}},
		{PinnedDependency{Type: PinContainerImage, Pinned: true, Path: "a:b/Dockerfile", Line: 1, Snippet: "FROM x"},
			FilePinnedDependency, PinnedDependency{Type: PinContainerImage, Pinned: true, Path: "a:b/Dockerfile", Line: 1, Snippet: "FROM x"}},
		// Tabs and line breaks are flattened, invalid UTF-8 replaced.
		{PinnedDependency{Type: PinPipCommand, Path: "x\ty\n.sh", Line: 2, Snippet: "pip \t install\n  \xff"},
			FileUnpinnedDependency, PinnedDependency{Type: PinPipCommand, Path: "x y .sh", Line: 2, Snippet: "pip install \uFFFD"}},
		{PinnedDependency{Type: PinDownloadThenRun, Path: "s.sh", Snippet: strings.Repeat("é", 200)},
			FileUnpinnedDependency, PinnedDependency{Type: PinDownloadThenRun, Path: "s.sh", Snippet: strings.Repeat("é", 80) + "…"}},
	}
	for _, tt := range tests {
		f := tt.in.Fact()
		if f.Kind != tt.kind || !utf8.ValidString(f.Path) {
			t.Errorf("%+v: fact %+v", tt.in, f)
		}
		got, ok := ParsePinnedDependency(f)
		if !ok || got != tt.want {
			t.Errorf("%+v: read back %+v %v, want %+v", tt.in, got, ok, tt.want)
		}
	}
	for _, f := range []FileFact{{Kind: FileReadme, Path: "npmCommand\tx:1\ty"}, {Kind: FilePinnedDependency, Path: "no tabs"},
		{Kind: FilePinnedDependency, Path: "t\tnoline\tx"}, {Kind: FilePinnedDependency, Path: "t\tf:-1\tx"}, {Kind: FilePinnedDependency, Path: "\tf:1\tx"}} {
		if d, ok := ParsePinnedDependency(f); ok {
			t.Errorf("%+v read as %+v", f, d)
		}
	}
}
