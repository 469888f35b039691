package gitrepo

import (
	"context"
	"fmt"
	"strings"
	"testing"
)

// benchRepo is a work tree with an origin remote, a tag and one commit.
func benchRepo(b *testing.B) string {
	b.Helper()
	dir := newRepo(b, map[string]string{"README.md": "hello\n", "go.mod": "module x\n"})
	run(b, dir, "remote", "add", "origin", "https://token@github.com/org/repo.git")
	run(b, dir, "tag", "-a", "-m", "v1", "v1")
	return dir
}

// bigRepo makes a repository of n distinct files in nested directories with
// git fast-import, which is far quicker than writing files and adding them.
func bigRepo(b *testing.B, n int) string {
	b.Helper()
	dir := newRepo(b, nil)
	var s strings.Builder
	s.WriteString("commit refs/heads/main\ncommitter T <t@example.com> 1700000000 +0000\ndata 4\nbig\n")
	for i := range n {
		content := fmt.Sprintf("package p%d // file %d\n", i%97, i)
		fmt.Fprintf(&s, "M 100644 inline src/pkg%03d/sub%02d/file%05d.go\ndata %d\n%s\n", i%200, i%13, i, len(content), content)
	}
	if _, err := runInput(dir, s.String(), "fast-import", "--quiet"); err != nil {
		b.Fatal(err)
	}
	return dir
}

func BenchmarkOpen(b *testing.B) {
	dir := benchRepo(b)
	for b.Loop() {
		if _, err := Open(dir); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkHead(b *testing.B) {
	ctx := context.Background()
	for _, layout := range []string{"loose", "packed"} {
		b.Run(layout, func(b *testing.B) {
			dir := benchRepo(b)
			if layout == "packed" {
				run(b, dir, "pack-refs", "--all")
			}
			r := mustOpen(b, dir)
			for b.Loop() {
				if _, _, err := r.Head(ctx); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	// The reference: what one git process per repository costs.
	b.Run("git-rev-parse", func(b *testing.B) {
		r := mustOpen(b, benchRepo(b))
		for b.Loop() {
			if _, _, err := r.headGit(ctx); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkIdentify is what an incremental rescan does per repository:
// open it, read its origin and its HEAD.
func BenchmarkIdentify(b *testing.B) {
	ctx := context.Background()
	dir := benchRepo(b)
	for b.Loop() {
		r, err := Open(dir)
		if err != nil {
			b.Fatal(err)
		}
		if NormaliseRemote(r.RemoteURL(ctx)) != "github.com/org/repo" {
			b.Fatal("wrong remote")
		}
		if _, _, err := r.Head(ctx); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkNormaliseRemote(b *testing.B) {
	for b.Loop() {
		NormaliseRemote("https://user:token@GitHub.com/ospo-project/ospo.git")
		NormaliseRemote("org@vs-ssh.visualstudio.com:v3/org/proj/repo")
	}
}

func BenchmarkTree(b *testing.B) {
	const n = 20_000
	ctx := context.Background()
	r := mustOpen(b, bigRepo(b, n))
	for b.Loop() {
		tree, err := r.Tree(ctx, TreeOptions{})
		if err != nil {
			b.Fatal(err)
		}
		if len(tree.Files()) != n {
			b.Fatalf("%d files, want %d", len(tree.Files()), n)
		}
		tree.Close()
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/n, "ns/file")
}

func BenchmarkReadFile(b *testing.B) {
	const n = 2_000
	ctx := context.Background()
	r := mustOpen(b, bigRepo(b, n))
	tree, err := r.Tree(ctx, TreeOptions{})
	if err != nil {
		b.Fatal(err)
	}
	defer tree.Close()
	files := tree.Files()
	i := 0
	for b.Loop() {
		if _, err := tree.ReadFile(files[i%n].Path, 1<<20); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkTreeLarge lists 200,000 files: the scale of a big monorepo.
func BenchmarkTreeLarge(b *testing.B) {
	if testing.Short() {
		b.Skip("slow to set up")
	}
	const n = 200_000
	ctx := context.Background()
	r := mustOpen(b, bigRepo(b, n))
	for b.Loop() {
		tree, err := r.Tree(ctx, TreeOptions{})
		if err != nil {
			b.Fatal(err)
		}
		tree.Close()
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/n, "ns/file")
}
