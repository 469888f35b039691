package vuln

import (
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/google/osv-scalibr/semantic"

	"github.com/ospo-project/ospo/internal/catalog"
)

// Index holds advisories ready to match, by affected package. Build it with
// NewIndex; it is safe for concurrent use once built.
type Index struct {
	byPkg map[pkgKey][]*entry
	n     int
}

type pkgKey struct{ eco, name string }

// entry is one affected-package entry of one advisory.
type entry struct {
	adv      *catalog.Advisory
	eco      string // canonical ecosystem, for version parsing
	ranges   [][]event
	versions []string
}

type event struct {
	kind string // introduced, fixed, last_affected, limit
	raw  string
	v    semantic.Version // nil for introduced "0"
}

// NewIndex parses the records of advs (their Raw OSV JSON) and indexes them
// by affected package. Withdrawn advisories and records that do not parse
// are left out; Len tells how many were kept.
func NewIndex(advs []catalog.Advisory) *Index {
	ix := &Index{byPkg: map[pkgKey][]*entry{}}
	for i := range advs {
		a := &advs[i]
		r, _, err := Parse(a.Raw)
		if err != nil || !r.Withdrawn.IsZero() {
			continue
		}
		ix.add(a, r)
	}
	return ix
}

// add indexes the affected entries of r, whose catalogue form is a.
func (ix *Index) add(a *catalog.Advisory, r *Record) {
	ix.n++
	for _, af := range r.Affected {
		e := &entry{adv: a, eco: af.Package.Ecosystem, versions: af.Versions}
		for _, rg := range af.Ranges {
			evs := make([]event, 0, len(rg.Events))
			for _, ev := range rg.Events {
				raw, kind := ev.version()
				pe := event{kind: kind, raw: raw}
				if !(kind == "introduced" && raw == "0") {
					v, err := parseVersion(e.eco, raw)
					if err != nil {
						evs = nil
						break
					}
					pe.v = v
				}
				evs = append(evs, pe)
			}
			if evs != nil {
				sortEvents(evs)
				e.ranges = append(e.ranges, evs)
			}
		}
		eco, name := catalog.PackageRef{Ecosystem: baseEco(af.Package.Ecosystem), Name: af.Package.Name}.Key()
		k := pkgKey{eco, name}
		ix.byPkg[k] = append(ix.byPkg[k], e)
	}
}

// Len is the number of advisories indexed.
func (ix *Index) Len() int { return ix.n }

// baseEco drops a release suffix: "Debian:11" → "Debian".
func baseEco(eco string) string {
	b, _, _ := strings.Cut(eco, ":")
	return b
}

// sortEvents orders events by version, introduced "0" first; events of
// equal versions keep their order.
func sortEvents(evs []event) {
	sort.SliceStable(evs, func(i, j int) bool {
		a, b := evs[i], evs[j]
		if a.v == nil || b.v == nil {
			return a.v == nil && b.v != nil
		}
		c, err := a.v.Compare(b.v)
		return err == nil && c < 0
	})
}

// hit is one range (or versions list) of one advisory containing a version.
type hit struct {
	affected string
	fixed    []string // fixed versions above the version in use
}

// affects evaluates e for version v (parsed) and raw: the OSV algorithm
// over each range's sorted events, and the explicit versions list.
func (e *entry) affects(v semantic.Version, raw string) (hit, bool) {
	var h hit
	found := false
	for _, evs := range e.ranges {
		in := false
		lo, hi := "", ""
		limited := false
		for _, ev := range evs {
			c := 1
			if ev.v != nil {
				var err error
				if c, err = v.Compare(ev.v); err != nil {
					in = false
					break
				}
			}
			switch ev.kind {
			case "introduced":
				if c >= 0 {
					in, lo, hi = true, ev.raw, ""
				}
			case "fixed":
				if c >= 0 {
					in = false
				} else if in && hi == "" {
					hi = "<" + ev.raw
				}
			case "last_affected":
				if c > 0 {
					in = false
				} else if in && hi == "" {
					hi = "<=" + ev.raw
				}
			case "limit":
				if c >= 0 {
					limited = true
				}
			}
		}
		if !in || limited {
			continue
		}
		found = true
		var parts []string
		if lo != "" && lo != "0" {
			parts = append(parts, ">="+lo)
		}
		if hi != "" {
			parts = append(parts, hi)
		}
		if len(parts) == 0 {
			parts = append(parts, "all versions")
		}
		if h.affected == "" {
			h.affected = strings.Join(parts, ", ")
		}
		for _, ev := range evs {
			if ev.kind == "fixed" && ev.v != nil {
				if c, err := v.Compare(ev.v); err == nil && c < 0 {
					h.fixed = append(h.fixed, ev.raw)
				}
			}
		}
	}
	if !found {
		for _, x := range e.versions {
			if x == raw {
				found = true
			} else if w, err := parseVersion(e.eco, x); err == nil {
				if c, err := v.Compare(w); err == nil && c == 0 {
					found = true
				}
			}
			if found {
				h.affected = "=" + x
				break
			}
		}
	}
	return h, found
}

// Match returns the advisories of ix that affect deps: one finding per
// dependency and vulnerability (advisories that name each other as
// aliases are one vulnerability), with the range that contains the
// version, the smallest fixed version above it, and for a transitive
// dependency the direct dependency it comes through. Dependencies whose
// version is a constraint rather than a resolved version are not matched.
// Findings are ordered by severity (worst first), package and id.
func (ix *Index) Match(deps []catalog.Dependency) []catalog.VulnFinding {
	var out []catalog.VulnFinding
	var g *graph
	for i := range deps {
		d := &deps[i]
		if d.Constraint || d.Version == "" {
			continue
		}
		eco, name := catalog.PackageRef{Ecosystem: d.Ecosystem, Name: d.Name}.Key()
		entries := ix.byPkg[pkgKey{eco, name}]
		if len(entries) == 0 {
			continue
		}
		var found []catalog.VulnFinding
		var parsed semantic.Version
		for _, e := range entries {
			if parsed == nil {
				v, err := parseVersion(e.eco, d.Version)
				if err != nil {
					break
				}
				parsed = v
			}
			h, ok := e.affects(parsed, d.Version)
			if !ok {
				continue
			}
			f := catalog.VulnFinding{
				AdvisoryID: e.adv.ID,
				Aliases:    e.adv.Aliases, // shared: unique already (Catalog); copied before a merge changes it
				Summary:    e.adv.Summary,
				Severity:   e.adv.Severity,
				Ecosystem:  d.Ecosystem,
				Package:    d.Name,
				Version:    d.Version,
				PURL:       d.PURL,
				Manifest:   d.Manifest,
				Affected:   h.affected,
				FixedIn:    smallest(e.eco, h.fixed),
				Direct:     d.Direct,
			}
			found = append(found, f)
		}
		found = mergeAliases(found, func(a, b string) string { return smallest(entries[0].eco, []string{a, b}) })
		if len(found) > 0 && !d.Direct {
			if g == nil {
				g = newGraph(deps)
			}
			via := g.via(i)
			for j := range found {
				found[j].Via = via
			}
		}
		out = append(out, found...)
	}
	SortFindings(out)
	return out
}

// smallest returns the lowest of versions in eco's ordering, "" for none.
func smallest(eco string, versions []string) string {
	best := ""
	var bv semantic.Version
	for _, s := range versions {
		if s == "" {
			continue
		}
		v, err := parseVersion(eco, s)
		if err != nil {
			continue
		}
		if bv == nil {
			best, bv = s, v
			continue
		}
		if c, err := v.Compare(bv); err == nil && c < 0 {
			best, bv = s, v
		}
	}
	return best
}

// mergeAliases merges findings (of one dependency) whose ids or aliases
// overlap into one: the lowest id is kept, the others become aliases; the
// worst severity and the lowest fix (by minFix) are kept.
func mergeAliases(fs []catalog.VulnFinding, minFix func(a, b string) string) []catalog.VulnFinding {
	if len(fs) < 2 {
		return fs
	}
	sort.Slice(fs, func(i, j int) bool { return fs[i].AdvisoryID < fs[j].AdvisoryID })
	out := fs[:0:0]
	owner := make(map[string]int, 2*len(fs)) // folded id → index in out
	merged := map[int]bool{}
	for _, f := range fs {
		k := -1
		if i, ok := owner[strings.ToLower(f.AdvisoryID)]; ok {
			k = i
		} else {
			for _, a := range f.Aliases {
				if i, ok := owner[strings.ToLower(a)]; ok {
					k = i
					break
				}
			}
		}
		if k < 0 {
			k = len(out)
			out = append(out, f)
		} else {
			o := &out[k]
			if !merged[k] {
				merged[k] = true
				o.Aliases = slices.Clone(o.Aliases)
			}
			for _, id := range append([]string{f.AdvisoryID}, f.Aliases...) {
				if !o.HasID(id) {
					o.Aliases = append(o.Aliases, id)
				}
			}
			if f.Severity.Score > o.Severity.Score || (o.Severity.Score == 0 && catalog.SeverityRank(f.Severity.Rating) > catalog.SeverityRank(o.Severity.Rating)) {
				o.Severity = f.Severity
			}
			switch {
			case o.FixedIn == "":
				o.FixedIn = f.FixedIn
			case f.FixedIn != "":
				o.FixedIn = minFix(o.FixedIn, f.FixedIn)
			}
		}
		owner[strings.ToLower(f.AdvisoryID)] = k
		for _, a := range f.Aliases {
			owner[strings.ToLower(a)] = k
		}
	}
	for k := range merged {
		sort.Strings(out[k].Aliases)
	}
	return out
}

// SortFindings orders findings worst first, then by package, version and id.
func SortFindings(fs []catalog.VulnFinding) {
	sort.SliceStable(fs, func(i, j int) bool {
		a, b := fs[i], fs[j]
		if ra, rb := catalog.SeverityRank(a.Severity.Rating), catalog.SeverityRank(b.Severity.Rating); ra != rb {
			return ra > rb
		}
		if a.Severity.Score != b.Severity.Score {
			return a.Severity.Score > b.Severity.Score
		}
		if a.Package != b.Package {
			return a.Package < b.Package
		}
		if a.Version != b.Version {
			return a.Version < b.Version
		}
		if a.Manifest != b.Manifest {
			return a.Manifest < b.Manifest
		}
		return a.AdvisoryID < b.AdvisoryID
	})
}

// graph answers "which direct dependency pulls this one in" from the
// DependsOn edges of one project's dependencies.
type graph struct {
	deps    []catalog.Dependency
	parents map[string][]int // manifest + "\x00" + purl → indexes of dependents
}

func newGraph(deps []catalog.Dependency) *graph {
	g := &graph{deps: deps, parents: map[string][]int{}}
	for i, d := range deps {
		for _, c := range d.DependsOn {
			k := d.Manifest + "\x00" + c
			g.parents[k] = append(g.parents[k], i)
		}
	}
	return g
}

// via returns "name@version" of the nearest direct dependency from which
// deps[i] can be reached, or "" when the tree does not say.
func (g *graph) via(i int) string {
	seen := map[int]bool{i: true}
	queue := []int{i}
	for len(queue) > 0 {
		j := queue[0]
		queue = queue[1:]
		d := g.deps[j]
		for _, p := range g.parents[d.Manifest+"\x00"+d.PURL] {
			if seen[p] {
				continue
			}
			seen[p] = true
			if g.deps[p].Direct {
				return g.deps[p].Name + "@" + g.deps[p].Version
			}
			queue = append(queue, p)
		}
	}
	return ""
}

// Ignore is an ignore rule of ospo.yaml: findings of advisory ID (or an
// alias) and/or of Package are suppressed until Expires.
type Ignore struct {
	ID         string
	Package    string
	Reason     string
	ApprovedBy string
	// Expires is when the rule stops applying; zero means never.
	Expires time.Time
	// Projects are the keys of the projects the rule applies to; empty
	// means every project (ForProject keeps the rules of one project).
	Projects []string
}

// ForProject returns the rules of ignores that apply to the project with
// key: those naming no project and those naming it.
func ForProject(ignores []Ignore, key string) []Ignore {
	var out []Ignore
	for _, r := range ignores {
		if len(r.Projects) == 0 || slices.Contains(r.Projects, key) {
			out = append(out, r)
		}
	}
	return out
}

// Suppress marks the findings that an unexpired rule of ignores matches as
// suppressed, with the rule's reason. A rule matches a finding when its ID
// (if set) is the advisory's id or an alias and its Package (if set) is
// the package name (case-insensitive) or its purl without version. A rule
// with neither matches nothing.
func Suppress(fs []catalog.VulnFinding, ignores []Ignore, now time.Time) {
	for i := range fs {
		f := &fs[i]
		for _, r := range ignores {
			if r.ID == "" && r.Package == "" {
				continue
			}
			if !r.Expires.IsZero() && !now.Before(r.Expires) {
				continue
			}
			if r.ID != "" && !f.HasID(r.ID) {
				continue
			}
			if r.Package != "" && !packageIs(f, r.Package) {
				continue
			}
			f.Suppressed = true
			f.Reason = r.Reason
			if f.Reason == "" {
				f.Reason = "ignored in ospo.yaml"
			}
			if r.ApprovedBy != "" {
				f.Reason += " (approved by " + r.ApprovedBy + ")"
			}
			break
		}
	}
}

func packageIs(f *catalog.VulnFinding, p string) bool {
	if strings.EqualFold(f.Package, p) {
		return true
	}
	base, _, _ := strings.Cut(f.PURL, "@")
	return base != "" && strings.EqualFold(base, p)
}

// AtLeast reports whether the finding's rating is rating or worse. An
// empty rating accepts every finding.
func AtLeast(f *catalog.VulnFinding, rating string) bool {
	if rating == "" {
		return true
	}
	return catalog.SeverityRank(f.Severity.Rating) >= catalog.SeverityRank(rating)
}

// ValidRating reports whether s names a rating a threshold may use.
func ValidRating(s string) bool {
	switch strings.ToUpper(s) {
	case catalog.SeverityCritical, catalog.SeverityHigh, catalog.SeverityMedium, "MODERATE", catalog.SeverityLow:
		return true
	}
	return false
}
