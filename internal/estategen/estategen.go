// Package estategen generates synthetic estates of git repositories for
// benchmarks and tests: realistic file trees, histories with many authors
// whose identities vary the way real ones do, and catalogue metadata.
// Repositories are written with one `git fast-import` each, which is orders
// of magnitude faster than committing through the porcelain.
package estategen

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// Options shape an estate.
type Options struct {
	Repos   int // number of repositories
	Commits int // commits per repository
	People  int // size of the author pool; 0 means Repos*2+10
	// FilesPerRepo is the size of each repository's initial tree; 0 means 60.
	FilesPerRepo int
	Seed         uint64
	Workers      int // repositories generated at once; 0 means 2
}

// Generate writes opts.Repos repositories under dir (dir/org-K/repo-N) and
// returns their paths. Existing repositories of the same name are kept, so
// an estate is generated once and reused.
func Generate(ctx context.Context, dir string, opts Options) ([]string, error) {
	if opts.People == 0 {
		opts.People = opts.Repos*2 + 10
	}
	if opts.FilesPerRepo == 0 {
		opts.FilesPerRepo = 60
	}
	if opts.Workers == 0 {
		opts.Workers = 2
	}
	people := makePeople(opts.People, opts.Seed)
	paths := make([]string, opts.Repos)
	errs := make([]error, opts.Repos)
	sem := make(chan struct{}, opts.Workers)
	var wg sync.WaitGroup
	for i := range opts.Repos {
		paths[i] = filepath.Join(dir, fmt.Sprintf("org-%d", i%10), fmt.Sprintf("repo-%04d", i))
		if _, err := os.Stat(filepath.Join(paths[i], ".git", "HEAD")); err == nil {
			continue
		}
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			rng := rand.New(rand.NewPCG(opts.Seed, uint64(i)))
			errs[i] = generateRepo(ctx, paths[i], i, opts, people, rng)
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return paths, nil
}

type person struct{ names, emails []string }

// makePeople builds authors who commit under several spellings: a work and
// a personal email, a GitHub noreply address, names with and without accents.
func makePeople(n int, seed uint64) []person {
	first := []string{"Ana", "José", "Wei", "Priya", "Olu", "Sven", "Maria", "John", "Aiko", "Omar", "Zoë", "Liam"}
	last := []string{"Silva", "García", "Chen", "Patel", "Adeyemi", "Larsen", "Rossi", "Smith", "Tanaka", "Haddad", "Müller", "Brown"}
	rng := rand.New(rand.NewPCG(seed, 999))
	out := make([]person, n)
	for i := range out {
		f, l := first[rng.IntN(len(first))], last[rng.IntN(len(last))]
		login := strings.ToLower(fmt.Sprintf("%s%s%d", f[:1], l, i))
		name := fmt.Sprintf("%s %s %d", f, l, i)
		out[i] = person{
			names:  []string{name, strings.ToLower(name)},
			emails: []string{login + "@bank.example", fmt.Sprintf("%d+%s@users.noreply.github.com", 1000+i, login), login + "@gmail.example"},
		}
	}
	return out
}

var bots = []struct{ name, email string }{
	{"dependabot[bot]", "49699333+dependabot[bot]@users.noreply.github.com"},
	{"renovate[bot]", "29139614+renovate[bot]@users.noreply.github.com"},
}

func generateRepo(ctx context.Context, dir string, idx int, opts Options, people []person, rng *rand.Rand) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if err := gitRun(ctx, dir, nil, "init", "-q", "-b", "main"); err != nil {
		return err
	}
	pr, pw := io.Pipe()
	errc := make(chan error, 1)
	go func() {
		err := gitRun(ctx, dir, pr, "fast-import", "--quiet")
		// Unblock the writer if fast-import stopped reading early.
		pr.CloseWithError(fmt.Errorf("fast-import stopped: %v", err))
		errc <- err
	}()
	w := bufio.NewWriter(pw)
	werr := writeHistory(w, idx, opts, people, rng)
	if werr == nil {
		werr = w.Flush()
	}
	pw.CloseWithError(werr)
	if err := <-errc; err != nil {
		return err
	}
	if werr != nil {
		return werr
	}
	// Check out the tree so the repository looks like a developer's clone.
	return gitRun(ctx, dir, nil, "reset", "-q", "--hard", "main")
}

var exts = []struct{ ext, line string }{
	{".go", "func f%d() int { return %d }\n"},
	{".ts", "export const v%d = %d;\n"},
	{".py", "def f%d():\n    return %d\n"},
	{".java", "class C%d { int v = %d; }\n"},
	{".md", "Paragraph %d of %d.\n"},
}

func writeHistory(w *bufio.Writer, idx int, opts Options, people []person, rng *rand.Rand) error {
	// Each repository has a core team of a few people and occasional visitors.
	team := make([]int, 3+rng.IntN(5))
	for i := range team {
		team[i] = rng.IntN(len(people))
	}
	files := make([]string, opts.FilesPerRepo)
	main := exts[idx%4]
	for i := range files {
		e := main
		if rng.IntN(4) == 0 {
			e = exts[rng.IntN(len(exts))]
		}
		files[i] = fmt.Sprintf("%s/file%d%s", []string{"src", "pkg", "internal", "lib", "docs"}[rng.IntN(5)], i, e.ext)
	}
	start := time.Date(2021, 1, 4, 9, 0, 0, 0, time.UTC).Unix()
	span := int64(5 * 365 * 24 * 3600)
	for c := range opts.Commits {
		var name, email string
		switch r := rng.IntN(100); {
		case r < 3:
			b := bots[rng.IntN(len(bots))]
			name, email = b.name, b.email
		default:
			p := people[team[rng.IntN(len(team))]]
			if r > 90 {
				p = people[rng.IntN(len(people))]
			}
			name, email = p.names[rng.IntN(len(p.names))], p.emails[rng.IntN(len(p.emails))]
		}
		when := start + span*int64(c)/int64(max(opts.Commits, 1)) + rng.Int64N(3600)
		msg := fmt.Sprintf("change %d", c)
		fmt.Fprintf(w, "commit refs/heads/main\nauthor %s <%s> %d +0000\ncommitter %s <%s> %d +0000\ndata %d\n%s\n",
			name, email, when, name, email, when, len(msg), msg)
		if c == 0 {
			meta := map[string]string{
				"README.md":         fmt.Sprintf("# repo-%04d\n\nService %d of the synthetic estate: it does useful things for the bank.\n\n## Usage\n\nRun it.\n", idx, idx),
				"LICENSE":           "Apache License\nVersion 2.0, January 2004\n",
				"CODEOWNERS":        fmt.Sprintf("* @bank/team-%d\n", idx%20),
				"catalog-info.yaml": fmt.Sprintf("apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: repo-%04d\n  description: Synthetic service %d\n  tags: [synthetic, team-%d]\nspec:\n  type: service\n  lifecycle: production\n  owner: group:team-%d\n", idx, idx, idx%20, idx%20),
			}
			for p, content := range meta {
				fmt.Fprintf(w, "M 100644 inline %s\ndata %d\n%s\n", p, len(content), content)
			}
			for i, f := range files {
				content := body(f, i, 20+rng.IntN(80))
				fmt.Fprintf(w, "M 100644 inline %s\ndata %d\n%s\n", f, len(content), content)
			}
		} else {
			for range 1 + rng.IntN(3) {
				i := rng.IntN(len(files))
				content := body(files[i], c, 20+rng.IntN(80))
				fmt.Fprintf(w, "M 100644 inline %s\ndata %d\n%s\n", files[i], len(content), content)
			}
		}
		w.WriteString("\n")
	}
	return nil
}

func body(path string, seed, lines int) string {
	ext := filepath.Ext(path)
	tmpl := exts[0].line
	for _, e := range exts {
		if e.ext == ext {
			tmpl = e.line
		}
	}
	var b strings.Builder
	if ext == ".go" {
		b.WriteString("package p\n\n")
	}
	for i := range lines {
		fmt.Fprintf(&b, tmpl, i, seed+i)
	}
	return b.String()
}

func gitRun(ctx context.Context, dir string, stdin io.Reader, args ...string) error {
	cmd := exec.CommandContext(ctx, "git", args...)
	cmd.Dir = dir
	cmd.Stdin = stdin
	cmd.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1")
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("git %s in %s: %v: %s", args[0], dir, err, strings.TrimSpace(string(out)))
	}
	return nil
}
