// Package expertise measures who knows a project's code from its history:
// the degree of authorship of each file, rolled up to people and
// directories, the truck factor and the contributor absence factor.
//
// Degree of authorship (DOA) is the model of Fritz et al. ("Degree-of-
// knowledge", TOSEM 2014) as Avelino et al. use it ("A novel approach for
// estimating truck factors", ICPC 2016):
//
//	DOA(d, f) = 3.293 + 1.098·FA + 0.164·DL − 0.321·ln(1 + AC)
//
// where FA is 1 when d created f, DL the number of d's changes to f and AC
// the number of other people's changes to f. d is an author of f when d's
// DOA is at least 3.293 and at least 0.75 of the highest DOA on f. The truck
// factor is Avelino's greedy algorithm: remove the person who authors the
// most files until more than half of the files have no author left.
//
// The package takes and returns values: a project's history as gitlog
// reads it, the files at HEAD, and nothing from a store.
package expertise

import (
	"cmp"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/go-enry/go-enry/v2"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/identity"
)

// Thresholds of the authorship model (Avelino et al., section III).
const (
	// MinDOA is the absolute DOA an author needs: what a creator with no
	// other change would have without first authorship.
	MinDOA = 3.293
	// MinShare is the fraction of the file's highest DOA an author needs.
	MinShare = 0.75
	// dirDepth is how deep directories are rolled up to.
	dirDepth = 2
	// Caps on what Compute returns, so that a project of 100,000 files and
	// 5,000 authors stores a bounded summary.
	maxAuthors, maxDirs, maxDirAuthors = 100, 100, 5
)

// DOA returns the degree of authorship of a person on a file: created
// reports first authorship, own the person's changes, others the changes
// of everybody else.
func DOA(created bool, own, others int) float64 {
	fa := 0.0
	if created {
		fa = 1
	}
	return 3.293 + 1.098*fa + 0.164*float64(own) - 0.321*math.Log1p(float64(others))
}

// Input is what Compute needs of one project.
type Input struct {
	// Contributors are the history's identities; FileHistory indexes refer
	// to them.
	Contributors []catalog.Contribution
	// History is each path's history (gitlog with Options.Files).
	History []catalog.FileHistory
	// Files are the paths at HEAD: only they count, so that deleted files
	// do not weigh. Nil means every path of History.
	Files []string
}

// FileAuthors returns, for each file that counts, the indexes of its
// authors in in.Contributors, keyed by path. Files that are vendored
// (go-enry's rules, as GitHub linguist's), absent at HEAD or changed only by
// bots have no entry; bots never author, and their changes count for
// nobody (a file a bot created has no first author).
func FileAuthors(in Input) map[string][]int {
	var atHead map[string]bool
	if in.Files != nil {
		atHead = make(map[string]bool, len(in.Files))
		for _, f := range in.Files {
			atHead[f] = true
		}
	}
	bot := make([]bool, len(in.Contributors))
	for i, c := range in.Contributors {
		bot[i] = identity.IsBot(c.Identity)
	}
	isHuman := func(i int) bool { return i >= 0 && i < len(bot) && !bot[i] }
	out := make(map[string][]int)
	var doas []float64
	for _, h := range in.History {
		if atHead != nil && !atHead[h.Path] || enry.IsVendor(h.Path) {
			continue
		}
		// Bots' changes are nobody's knowledge: they neither author nor
		// dilute the people's authorship.
		human := h.Changes
		for _, a := range h.Authors {
			if !isHuman(a.Contributor) {
				human -= a.Changes
			}
		}
		doas = doas[:0]
		best := 0.0
		for _, a := range h.Authors {
			d := math.Inf(-1)
			if isHuman(a.Contributor) {
				d = DOA(h.Creator == a.Contributor, a.Changes, human-a.Changes)
				best = max(best, d)
			}
			doas = append(doas, d)
		}
		var authors []int
		for i, a := range h.Authors {
			if d := doas[i]; d >= MinDOA && d >= MinShare*best {
				authors = append(authors, a.Contributor)
			}
		}
		if len(authors) > 0 {
			out[h.Path] = authors
		}
	}
	return out
}

// Compute returns the project's expertise: authorship per person and per
// directory, the truck factor with its key people, and the contributor
// absence factor.
//
// Identities are first merged as the catalogue merges them estate-wide
// (internal/identity), so one person's two spellings author together; the
// people returned carry their primary name and e-mail.
func Compute(in Input) catalog.Expertise {
	in = mergeIdentities(in)
	authors := FileAuthors(in)
	e := catalog.Expertise{Files: len(authors), AbsenceFactor: AbsenceFactor(in.Contributors)}
	if len(authors) == 0 {
		return e
	}
	last := lastChanges(in.History)
	all := make([]string, 0, len(authors))
	byDir := map[string][]string{}
	for path := range authors {
		all = append(all, path)
		d := dirOf(path)
		byDir[d] = append(byDir[d], path)
	}
	e.Authors = rank(in.Contributors, authors, last, all)
	e.Authors = e.Authors[:min(len(e.Authors), maxAuthors)]

	tf, key := TruckFactor(authors)
	e.TruckFactor = tf
	for _, k := range key {
		e.KeyPeople = append(e.KeyPeople, in.Contributors[k].Identity)
	}

	for dir, paths := range byDir {
		e.Dirs = append(e.Dirs, catalog.DirAuthorship{Dir: dir, Files: len(paths),
			Authors: rank(in.Contributors, authors, last, paths)})
	}
	slices.SortFunc(e.Dirs, func(a, b catalog.DirAuthorship) int {
		return cmp.Or(cmp.Compare(b.Files, a.Files), strings.Compare(a.Dir, b.Dir))
	})
	e.Dirs = e.Dirs[:min(len(e.Dirs), maxDirs)]
	for i := range e.Dirs {
		e.Dirs[i].Authors = e.Dirs[i].Authors[:min(len(e.Dirs[i].Authors), maxDirAuthors)]
	}
	return e
}

// TruckFactor runs Avelino et al.'s greedy algorithm over the authors of
// each file (indexes of people): it removes the person who authors the
// most remaining-covered files, ties to the lower index, until more than
// half of the files have no author left. It returns how many people it
// removed and who, in order.
func TruckFactor(authors map[string][]int) (int, []int) {
	total := len(authors)
	if total == 0 {
		return 0, nil
	}
	files := make([][]int, 0, total)
	for _, a := range authors {
		files = append(files, a)
	}
	count := map[int]int{}
	for _, a := range files {
		for _, p := range a {
			count[p]++
		}
	}
	gone := map[int]bool{}
	orphans := 0
	var key []int
	for 2*orphans <= total {
		top, best := -1, 0
		for p, n := range count {
			if !gone[p] && (n > best || n == best && p < top) {
				top, best = p, n
			}
		}
		if top < 0 {
			break
		}
		gone[top] = true
		key = append(key, top)
		for _, a := range files {
			if !slices.Contains(a, top) {
				continue
			}
			left := false
			for _, p := range a {
				if !gone[p] {
					left = true
					break
				}
			}
			if !left {
				orphans++
			}
		}
	}
	return len(key), key
}

// AbsenceFactor returns CHAOSS' contributor absence factor: the smallest
// number of people whose commits make up at least half of all commits.
// Bots do not count.
func AbsenceFactor(contribs []catalog.Contribution) int {
	var commits []int
	total := 0
	for _, c := range contribs {
		if c.Commits > 0 && !identity.IsBot(c.Identity) {
			commits = append(commits, c.Commits)
			total += c.Commits
		}
	}
	slices.SortFunc(commits, func(a, b int) int { return b - a })
	sum := 0
	for i, n := range commits {
		sum += n
		if 2*sum >= total {
			return i + 1
		}
	}
	return 0
}

// fileLast is a person's newest change to a file.
type fileLast struct {
	path   string
	person int
}

// lastChanges indexes the newest change of each person to each file.
func lastChanges(history []catalog.FileHistory) map[fileLast]time.Time {
	out := make(map[fileLast]time.Time)
	for _, h := range history {
		for _, a := range h.Authors {
			out[fileLast{h.Path, a.Contributor}] = a.Last
		}
	}
	return out
}

// rank returns the authors of paths, most files first, with their share
// of those files and their newest change to them.
func rank(contribs []catalog.Contribution, authors map[string][]int, last map[fileLast]time.Time, paths []string) []catalog.Author {
	byPerson := map[int]*catalog.Author{}
	for _, path := range paths {
		for _, p := range authors[path] {
			a := byPerson[p]
			if a == nil {
				a = &catalog.Author{Identity: contribs[p].Identity}
				byPerson[p] = a
			}
			a.Files++
			if t := last[fileLast{path, p}]; t.After(a.LastChange) {
				a.LastChange = t
			}
		}
	}
	out := make([]catalog.Author, 0, len(byPerson))
	for _, a := range byPerson {
		a.Share = float64(a.Files) / float64(len(paths))
		out = append(out, *a)
	}
	slices.SortFunc(out, func(a, b catalog.Author) int {
		return cmp.Or(cmp.Compare(b.Files, a.Files), strings.Compare(a.Email, b.Email), strings.Compare(a.Name, b.Name))
	})
	return out
}

// dirOf returns the directory a path rolls up to: its parent, cut to
// dirDepth levels; "" for a file at the root.
func dirOf(path string) string {
	parts := strings.Split(path, "/")
	parts = parts[:len(parts)-1]
	if len(parts) > dirDepth {
		parts = parts[:dirDepth]
	}
	return strings.Join(parts, "/")
}

// mergeIdentities returns in with one contributor per person and the file
// histories' indexes, changes and dates combined accordingly.
func mergeIdentities(in Input) Input {
	counts := make([]catalog.IdentityCount, len(in.Contributors))
	for i, c := range in.Contributors {
		counts[i] = catalog.IdentityCount{Identity: c.Identity, Commits: c.Commits}
	}
	people := identity.Merge(counts)
	if len(people) == len(in.Contributors) {
		return in // nobody has two spellings
	}
	personOf := make(map[catalog.Identity]int, len(in.Contributors))
	merged := make([]catalog.Contribution, len(people))
	for i, p := range people {
		merged[i].Identity = catalog.Identity{Name: p.Name, Email: p.Email}
		for _, id := range p.Identities {
			personOf[id] = i
		}
	}
	index := make([]int, len(in.Contributors))
	for i, c := range in.Contributors {
		index[i] = personOf[c.Identity]
		merged[index[i]].Commits += c.Commits
	}
	out := Input{Contributors: merged, Files: in.Files, History: make([]catalog.FileHistory, len(in.History))}
	for i, h := range in.History {
		m := catalog.FileHistory{Path: h.Path, Changes: h.Changes, Creator: -1}
		if h.Creator >= 0 && h.Creator < len(index) {
			m.Creator = index[h.Creator]
		}
		for _, a := range h.Authors {
			if a.Contributor < 0 || a.Contributor >= len(index) {
				continue
			}
			p := index[a.Contributor]
			j := slices.IndexFunc(m.Authors, func(x catalog.FileChanges) bool { return x.Contributor == p })
			if j < 0 {
				m.Authors = append(m.Authors, catalog.FileChanges{Contributor: p, Changes: a.Changes, Last: a.Last})
				continue
			}
			m.Authors[j].Changes += a.Changes
			if a.Last.After(m.Authors[j].Last) {
				m.Authors[j].Last = a.Last
			}
		}
		out.History[i] = m
	}
	return out
}
