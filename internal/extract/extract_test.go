package extract

import (
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/repofs"
)

// seen is an extractor that records the files it was handed as topics.
type seen struct {
	suffix string
	crash  bool
}

func (s seen) Name() string                    { return "seen" + s.suffix }
func (s seen) FileRequired(f repofs.File) bool { return strings.HasSuffix(f.Path, s.suffix) }
func (s seen) Extract(_ context.Context, _ repofs.Tree, files []repofs.File) catalog.Facts {
	if s.crash {
		panic("boom")
	}
	var f catalog.Facts
	for _, x := range files {
		f.Topics = append(f.Topics, x.Path)
	}
	return f
}

func TestRun(t *testing.T) {
	tree := repofs.MemTree{"a/go.mod": "", "b/package.json": "", "c/go.mod": "", "README.md": ""}
	got := Run(context.Background(), tree, []Extractor{seen{suffix: ".mod"}, seen{suffix: ""}, seen{suffix: ".json", crash: true}})
	want := []catalog.Facts{
		{Topics: []string{"a/go.mod", "c/go.mod"}},
		{Topics: []string{"README.md", "a/go.mod", "b/package.json", "c/go.mod"}},
		{Problems: []catalog.Problem{{Kind: catalog.ProblemInternal, Message: "extractor seen.json crashed: boom"}}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Run (-want +got):\n%s", diff)
	}
}

func TestListNamesDistinct(t *testing.T) {
	names := map[string]bool{}
	for _, ex := range List() {
		if names[ex.Name()] {
			t.Errorf("two extractors named %s", ex.Name())
		}
		names[ex.Name()] = true
	}
}
