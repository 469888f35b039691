// Package identity merges the identities that git histories record — the
// (name, email) pairs of authors, after each repository's .mailmap — into
// people, across the whole estate. It is a pure function of its input: no
// I/O, no configuration.
//
// # Rules
//
// Two identities are the same person when, after normalisation:
//
//   - they have the same email (trimmed, case-insensitive), unless it is a
//     placeholder shared by unrelated people ("", "none@none",
//     "root@localhost", "noreply@github.com", "user@host.(none)", role
//     accounts such as root@, admin@, noreply@ at any domain);
//   - they are GitHub noreply addresses of the same login
//     ("12345+jdoe@users.noreply.github.com", "jdoe@users.noreply.github.com"),
//     or one is such an address and the other's name is that login ("jdoe",
//     case-insensitive);
//   - they have the same normalised name of at least two words that is not
//     generic ("Jane Q. Doe", "jane q doe" and "Jane Q Doe" are one name;
//     "José Núñez" and "Jose Nunez" too). Single-word names ("alex", "admin",
//     "jdoe") never merge on the name alone: too many people share them.
//
// and the relation is transitive (union-find). Merging on full names is a
// trade-off: it joins a developer's work and home addresses, which is what
// people expect, at the price of joining two different people who share a
// full name ("John Smith"). In an organisation of 20,000 people such clashes
// are rare and visible (one person with two unrelated email domains), while
// unmerged duplicates would be everywhere.
//
// Bots (dependabot, renovate, github-actions, snyk-bot, greenkeeper,
// web-flow/GitHub, Jenkins, GitLab CI, any "[bot]" address or name holding the
// word "bot") are recognised by name or email and never merge with humans;
// they merge with each other by the same rules, and by any non-empty name.
package identity

import (
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strconv"
	"strings"

	"github.com/ospo-project/ospo/internal/catalog"
)

// Merge groups identities into people. Identities that appear more than
// once in ids (the same name and email) are counted once, with their commits
// added up. Each person gets:
//
//   - Name: the name (as spelled) with the most commits over the person's
//     identities, a non-empty one if there is any; ties go to the name that
//     sorts first.
//   - Email: the trimmed, lowercased email with the most commits, preferring a real
//     address to a GitHub noreply address, and either to a placeholder; ties
//     go to the email that sorts first.
//   - ID: see [PersonID].
//   - Bot: whether the person is a bot.
//   - Identities: every distinct (name, email) merged into the person, as
//     given, sorted by email then name.
//
// The totals (Commits, lines, dates, projects) are left zero: the store
// fills them in. People are returned sorted by ID. Merge does not modify ids.
func Merge(ids []catalog.IdentityCount) []catalog.Person {
	entries := make([]entry, 0, len(ids))
	index := make(map[catalog.Identity]int32, len(ids))
	for _, ic := range ids {
		if i, ok := index[ic.Identity]; ok {
			entries[i].commits += ic.Commits
			continue
		}
		index[ic.Identity] = int32(len(entries))
		e := entry{
			id:      ic.Identity,
			email:   normalizeEmail(ic.Email),
			name:    normalizeName(ic.Name),
			commits: ic.Commits,
		}
		e.bot = isBot(e.name, e.email)
		e.login = githubLogin(e.email)
		e.placeholder = placeholderEmail(e.email)
		entries = append(entries, e)
	}

	u := newUnionFind(len(entries))
	owner := make(map[key]int32, 2*len(entries))
	link := func(i int, k key) {
		if j, ok := owner[k]; ok {
			u.union(int32(i), j)
		} else {
			owner[k] = int32(i)
		}
	}
	var logins map[key]bool
	for i := range entries {
		e := &entries[i]
		if e.placeholder {
			// Spellings of one identity that differ only in the case of
			// the email are still one identity.
			link(i, key{bot: e.bot, kind: 'x', a: e.email, b: e.id.Name})
		} else {
			link(i, key{bot: e.bot, kind: 'e', a: e.email})
		}
		if e.login != "" {
			k := key{bot: e.bot, kind: 'g', a: e.login}
			link(i, k)
			if logins == nil {
				logins = make(map[key]bool)
			}
			logins[k] = true
		}
		if mergeableName(e.name) || (e.bot && e.name != "") {
			link(i, key{bot: e.bot, kind: 'n', a: e.name})
		}
	}
	// A name that is a GitHub login seen in a noreply address joins it.
	if logins != nil {
		for i := range entries {
			e := &entries[i]
			login := strings.ToLower(strings.TrimSpace(e.id.Name))
			if login == "" || strings.ContainsAny(login, " \t") || genericNames[e.name] {
				continue
			}
			if k := (key{bot: e.bot, kind: 'g', a: login}); logins[k] {
				link(i, k)
			}
		}
	}

	// Group the entries by root, groups in order of first member, members
	// in input order, in one backing array.
	group := make([]int32, len(entries))  // root → group number + 1
	var starts []int32                    // group → its count, then its end
	member := make([]int32, len(entries)) // entry → group
	for i := range entries {
		r := u.find(int32(i))
		if group[r] == 0 {
			starts = append(starts, 0)
			group[r] = int32(len(starts))
		}
		g := group[r] - 1
		member[i] = g
		starts[g]++
	}
	var sum int32
	for g, n := range starts {
		sum += n
		starts[g] = sum - n // start of group g
	}
	order := make([]int32, len(entries))
	fill := append([]int32(nil), starts...)
	for i, g := range member {
		order[fill[g]] = int32(i)
		fill[g]++
	}

	unsorted := make([]catalog.Person, len(starts))
	byID := make([]int32, len(starts))
	var sc scratch
	for g, start := range starts {
		end := int32(len(order))
		if g+1 < len(starts) {
			end = starts[g+1]
		}
		unsorted[g] = sc.person(entries, order[start:end])
		byID[g] = int32(g)
	}
	slices.SortFunc(byID, func(a, b int32) int { return strings.Compare(unsorted[a].ID, unsorted[b].ID) })
	people := make([]catalog.Person, len(byID))
	for i, g := range byID {
		people[i] = unsorted[g]
	}
	// Seeds differ between people (see PersonID) except in contrived cases
	// (two people whose primary name and placeholder email coincide), and the
	// truncated hash could collide: number any repeats so IDs stay unique.
	for i := 1; i < len(people); i++ {
		if people[i].ID != people[i-1].ID {
			continue
		}
		base := people[i-1].ID
		for n := 2; i < len(people) && people[i].ID == base; i, n = i+1, n+1 {
			people[i].ID = base + "-" + strconv.Itoa(n)
		}
	}
	return people
}

// key is what two identities must share to be merged. Bots and humans never
// share a key.
type key struct {
	bot  bool
	kind byte // 'x' exact identity, 'e' email, 'g' GitHub login, 'n' name
	a, b string
}

// entry is one distinct identity being merged.
type entry struct {
	id          catalog.Identity
	email       string // normalised
	name        string // normalised
	login       string // GitHub login of a noreply email
	commits     int
	bot         bool
	placeholder bool // the email is a placeholder
}

// scratch holds buffers reused from one person to the next.
type scratch struct {
	names, emails []tally
}

// person builds one person from the entries at members.
func (sc *scratch) person(entries []entry, members []int32) catalog.Person {
	p := catalog.Person{Bot: entries[members[0]].bot}
	sc.names, sc.emails = sc.names[:0], sc.emails[:0]
	p.Identities = make([]catalog.Identity, 0, len(members))
	for _, m := range members {
		e := &entries[m]
		p.Identities = append(p.Identities, e.id)
		sc.names = append(sc.names, tally{key: e.id.Name, commits: e.commits, rank: nameRank(e.id.Name)})
		sc.emails = append(sc.emails, tally{key: e.email, commits: e.commits, rank: emailRank(e)})
	}
	slices.SortFunc(p.Identities, func(a, b catalog.Identity) int {
		if c := strings.Compare(a.Email, b.Email); c != 0 {
			return c
		}
		return strings.Compare(a.Name, b.Name)
	})
	p.Name = best(sc.names)
	p.Email = best(sc.emails)
	p.ID = PersonID(catalog.Identity{Name: p.Name, Email: p.Email}, p.Bot)
	return p
}

// tally is a candidate primary name or email with its commits.
type tally struct {
	key     string
	commits int
	rank    int // lower is preferred before commits are compared
}

// best returns the key with the lowest rank, then the most commits (summed
// over equal keys), then the first in byte order.
func best(ts []tally) string {
	slices.SortFunc(ts, func(a, b tally) int { return strings.Compare(a.key, b.key) })
	out := ts[:0]
	for _, t := range ts {
		if n := len(out); n > 0 && out[n-1].key == t.key {
			out[n-1].commits += t.commits
			continue
		}
		out = append(out, t)
	}
	win := out[0]
	for _, t := range out[1:] {
		if t.rank < win.rank || (t.rank == win.rank && t.commits > win.commits) {
			win = t
		}
	}
	return win.key
}

func nameRank(name string) int {
	if strings.TrimSpace(name) == "" {
		return 1
	}
	return 0
}

func emailRank(e *entry) int {
	switch {
	case e.email == "":
		return 3
	case e.login != "":
		return 1
	case e.placeholder:
		return 2
	}
	return 0
}

// PersonID returns the ID of the person whose primary identity is primary:
// the first 16 hexadecimal digits (64 bits) of the SHA-256 of a seed. The
// seed is the lowercased primary email, or, when that email is a placeholder
// shared by unrelated people (or empty), the primary name and email together;
// bots' seeds are marked so that a bot and a human with the same email get
// different IDs. A hash rather than the email itself keeps addresses out of
// URLs and logs and is URL-safe whatever the email holds; it stays the same
// across rebuilds as long as the primary email (and, for placeholders, name)
// does.
func PersonID(primary catalog.Identity, bot bool) string {
	email := normalizeEmail(primary.Email)
	seed := "email:" + email
	if placeholderEmail(email) {
		seed = "identity:" + primary.Name + "\x00" + email
	}
	if bot {
		seed = "bot:" + seed
	}
	sum := sha256.Sum256([]byte(seed))
	return hex.EncodeToString(sum[:8])
}

// unionFind is a disjoint-set forest with union by size and path halving.
type unionFind struct {
	parent []int32
	size   []int32
}

func newUnionFind(n int) *unionFind {
	u := &unionFind{parent: make([]int32, n), size: make([]int32, n)}
	for i := range u.parent {
		u.parent[i] = int32(i)
		u.size[i] = 1
	}
	return u
}

func (u *unionFind) find(x int32) int32 {
	for u.parent[x] != x {
		u.parent[x] = u.parent[u.parent[x]]
		x = u.parent[x]
	}
	return x
}

func (u *unionFind) union(a, b int32) {
	a, b = u.find(a), u.find(b)
	if a == b {
		return
	}
	if u.size[a] < u.size[b] {
		a, b = b, a
	}
	u.parent[b] = a
	u.size[a] += u.size[b]
}
