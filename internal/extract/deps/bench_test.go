package deps

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/ospo-project/ospo/internal/repofs"
)

// monorepo builds a tree shaped like a large monorepo: every testdata case
// as a service of its own (a few dozen manifests and lockfiles of every
// ecosystem), 20,000 source files, and a committed node_modules and vendor
// directory that must be skipped.
func monorepo(b *testing.B) repofs.MemTree {
	tree := repofs.MemTree{}
	for _, name := range caseDirs(b) {
		if name == "broken" {
			continue
		}
		for p, c := range loadTree(b, filepath.Join("testdata", name)) {
			tree["services/"+name+"/"+p] = c
		}
	}
	for i := range 20_000 {
		tree[fmt.Sprintf("src/pkg%03d/file%05d.go", i%300, i)] = "package x\n"
	}
	npm := tree["services/npm-v3/package-lock.json"]
	for i := range 2_000 {
		tree[fmt.Sprintf("web/node_modules/dep%04d/package.json", i)] = `{"name": "x", "dependencies": {"a": "1"}}`
		tree[fmt.Sprintf("web/node_modules/dep%04d/package-lock.json", i)] = npm
		tree[fmt.Sprintf("vendor/github.com/x/dep%04d/go.mod", i)] = "module x\n"
	}
	return tree
}

// BenchmarkExtractMonorepo measures Extract on a large monorepo tree.
func BenchmarkExtractMonorepo(b *testing.B) {
	tree := monorepo(b)
	b.ResetTimer()
	var n int
	for range b.N {
		deps, _ := Extract(context.Background(), tree)
		n = len(deps)
	}
	b.ReportMetric(float64(n), "deps")
	b.ReportMetric(float64(len(tree)), "files")
}
