package sqldb

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/store"
)

// dependencyCols are the columns of a dependencies row that insertDependencies
// writes, in order.
var dependencyCols = []string{"project_id", "pos", "purl", "purl_base", "ecosystem", "ecosystem_lower",
	"name", "name_key", "artifact_key", "version", "is_constraint", "direct", "scope", "manifest",
	"licenses", "hashes", "depends_on"}

// insertDependencies writes the dependencies of project id, 500 rows a
// statement, and returns the packages versions they use. Strings are
// cleaned and the lookup columns computed here, see keysOf.
func insertDependencies(ctx context.Context, t tx, id int64, deps []catalog.Dependency) (map[pkgUse]bool, error) {
	uses := make(map[pkgUse]bool)
	err := t.insertRows(ctx, "dependencies", dependencyCols, len(deps), func(i int, a []any) []any {
		d := &deps[i]
		purl, eco, name, version := clean(d.PURL), clean(d.Ecosystem), clean(d.Name), clean(d.Version)
		k := keysOf(purl, eco, name)
		uses[pkgUse{k.name, k.ecosystem, version}] = true
		return append(a, id, i, purl, k.purlBase, eco, k.ecosystem, name, k.name, k.artifact,
			version, d.Constraint, d.Direct, clean(d.Scope), clean(d.Manifest),
			encStrings(d.Licenses), encHashes(d.Hashes), encStrings(d.DependsOn))
	})
	return uses, err
}

// pkgUse is a version of a package, by the lookup columns of its
// dependencies; with version "" it also stands for the package itself.
type pkgUse struct{ key, ecosystem, version string }

// storedUses returns the package versions project id depends on now.
func storedUses(ctx context.Context, t tx, id int64) (map[pkgUse]bool, error) {
	uses := make(map[pkgUse]bool)
	err := eachRow(ctx, t, "package uses", `SELECT DISTINCT name_key, ecosystem_lower, version
		FROM dependencies WHERE project_id = ?`, []any{id}, func(rows *sql.Rows) error {
		var u pkgUse
		if err := rows.Scan(&u.key, &u.ecosystem, &u.version); err != nil {
			return err
		}
		uses[u] = true
		return nil
	})
	return uses, err
}

// useCounts is how the tables packages and package_versions change, summed
// over the projects one transaction writes: each project adds 1 to the count
// of each package (and version) it now uses and did not, and takes 1 from
// each it no longer uses.
//
// The counts are shared rows (a popular package is counted by most
// projects), and writing one locks it until the transaction ends, so apply
// runs last: concurrent writers (workers on PostgreSQL) wait for each other
// only for the end of a transaction, not for the rest of its inserts. A batch
// of projects writes each count once.
type useCounts struct {
	pkgs, versions map[pkgUse]int
}

// add records a project going from using old to using neu.
func (c *useCounts) add(old, neu map[pkgUse]bool) {
	if c.pkgs == nil {
		c.pkgs, c.versions = map[pkgUse]int{}, map[pkgUse]int{}
	}
	pkgs := func(uses map[pkgUse]bool) map[pkgUse]bool {
		m := make(map[pkgUse]bool, len(uses))
		for u := range uses {
			m[pkgUse{u.key, u.ecosystem, ""}] = true
		}
		return m
	}
	addDelta(c.pkgs, pkgs(old), pkgs(neu))
	addDelta(c.versions, old, neu)
}

// apply writes the counts, in key order, so that concurrent transactions
// lock shared rows in the same order and cannot deadlock; counts that reach
// zero are deleted.
func (c *useCounts) apply(ctx context.Context, t tx) error {
	if err := addCounts(ctx, t, "packages", []string{"name_key", "ecosystem_lower"}, sorted(c.pkgs)); err != nil {
		return err
	}
	return addCounts(ctx, t, "package_versions", []string{"name_key", "ecosystem_lower", "version"}, sorted(c.versions))
}

// countDelta is a change to one count.
type countDelta struct {
	pkgUse
	n int
}

// addDelta adds to ds the changes that turn counts of old into counts of neu.
func addDelta(ds map[pkgUse]int, old, neu map[pkgUse]bool) {
	for u := range old {
		if !neu[u] {
			ds[u]--
		}
	}
	for u := range neu {
		if !old[u] {
			ds[u]++
		}
	}
}

// sorted returns the non-zero changes of ds ordered by key.
func sorted(ds map[pkgUse]int) []countDelta {
	out := make([]countDelta, 0, len(ds))
	for u, n := range ds {
		if n != 0 {
			out = append(out, countDelta{u, n})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i].pkgUse, out[j].pkgUse
		if a.key != b.key {
			return a.key < b.key
		}
		if a.ecosystem != b.ecosystem {
			return a.ecosystem < b.ecosystem
		}
		return a.version < b.version
	})
	return out
}

// addCounts applies ds to the projects column of table, whose key is cols
// (name_key, ecosystem_lower and, for package_versions, version).
func addCounts(ctx context.Context, t tx, table string, cols []string, ds []countDelta) error {
	if len(ds) == 0 {
		return nil
	}
	_, err := t.upsertRows(ctx, table, append(cols[:len(cols):len(cols)], "projects"),
		` ON CONFLICT (`+strings.Join(cols, ", ")+`) DO UPDATE SET projects = `+table+`.projects + excluded.projects`,
		len(ds), func(i int, a []any) []any {
			d := &ds[i]
			a = append(a, d.key, d.ecosystem)
			if len(cols) == 3 {
				a = append(a, d.version)
			}
			return append(a, d.n)
		})
	if err != nil {
		return err
	}
	// Delete the counts that fell to zero: only rows this transaction has
	// just decremented can (other transactions delete theirs before they
	// commit), so the statement waits for no other transaction's rows.
	var fell []any
	for _, d := range ds {
		if d.n < 0 && (len(fell) == 0 || fell[len(fell)-1] != d.key) {
			fell = append(fell, d.key)
		}
	}
	chunk := min(maxRowsPerInsert, t.d.MaxParams)
	for start := 0; start < len(fell); start += chunk {
		end := min(start+chunk, len(fell))
		if _, err := t.exec(ctx, `DELETE FROM `+table+` WHERE projects <= 0 AND name_key IN `+inClause(end-start),
			fell[start:end]...); err != nil {
			return fmt.Errorf("delete from %s: %w", table, err)
		}
	}
	return nil
}

// encHashes returns the cleaned hashes as a JSON array; nil and empty
// slices both become "[]".
func encHashes(hs []catalog.Hash) string {
	c := make([]catalog.Hash, len(hs))
	for i, h := range hs {
		c[i] = catalog.Hash{Algorithm: clean(h.Algorithm), Value: clean(h.Value)}
	}
	b, _ := json.Marshal(c) // cannot fail for []catalog.Hash
	return string(b)
}

// decHashes is the inverse of encHashes; an empty array becomes nil.
func decHashes(s string) ([]catalog.Hash, error) {
	if s == "[]" {
		return nil, nil
	}
	var hs []catalog.Hash
	if err := json.Unmarshal([]byte(s), &hs); err != nil {
		return nil, err
	}
	if len(hs) == 0 {
		return nil, nil
	}
	return hs, nil
}

// decList is decStrings with a shortcut for the most common value.
func decList(s string) ([]string, error) {
	if s == "[]" {
		return nil, nil
	}
	return decStrings(s)
}

// depReadCols are the columns of a dependencies row d that scanDependency reads.
const depReadCols = `d.purl, d.ecosystem, d.name, d.version, d.is_constraint, d.direct, d.scope,
	d.manifest, d.licenses, d.hashes, d.depends_on`

// depOrder is the order a project's dependencies are read in: direct ones
// first, then by manifest, name and version, then as they were given.
const depOrder = `d.direct DESC, d.manifest, d.name, d.version, d.pos`

// scanDependency reads the depReadCols of a row, after the columns before
// them (dest).
func scanDependency(rows *sql.Rows, d *catalog.Dependency, dest ...any) error {
	var licenses, hashes, dependsOn string
	dest = append(dest, &d.PURL, &d.Ecosystem, &d.Name, &d.Version, &d.Constraint, &d.Direct,
		&d.Scope, &d.Manifest, &licenses, &hashes, &dependsOn)
	if err := rows.Scan(dest...); err != nil {
		return err
	}
	var err error
	if d.Licenses, err = decList(licenses); err != nil {
		return fmt.Errorf("dependency %s: licenses: %w", d.PURL, err)
	}
	if d.Hashes, err = decHashes(hashes); err != nil {
		return fmt.Errorf("dependency %s: hashes: %w", d.PURL, err)
	}
	if d.DependsOn, err = decList(dependsOn); err != nil {
		return fmt.Errorf("dependency %s: depends_on: %w", d.PURL, err)
	}
	return nil
}

// WhoUses implements store.Store.
//
// f.Package is a package URL when it starts with "pkg:" (case-insensitively).
// Its type gives the ecosystem and its namespace and name the package name
// for the types ospo knows (golang, npm, pypi, maven, cargo, gem, composer,
// nuget, hex, pub, swift, github, docker…); a purl of another type matches
// the dependencies whose own PURL has the same versionless form. A purl
// with a version is an error: WhoUses matches packages, versions are
// filtered by the caller. Otherwise f.Package is a package name, compared
// in the form each ecosystem compares names (see the dependencies table):
// "Requests", "requests" and "python_requests"→"python-requests" are one
// PyPI name; a name without ':' also matches the artifact of Maven
// "group:artifact" names. f.Ecosystem, if set, restricts either to one
// ecosystem. An empty f.Package is an error.
//
// There is one Usage per dependency row: a project whose manifest lists the
// package twice (two versions in one lockfile) appears twice. Usages are
// ordered by project name, project key, manifest, name, version.
func (s *Store) WhoUses(ctx context.Context, f store.UsageFilter) ([]catalog.Usage, error) {
	where, args, err := usageWhere(f)
	if err != nil {
		return nil, fmt.Errorf("who uses %q: %w", f.Package, err)
	}
	q := `SELECT pr.id, pr.name, pr.key, ` + depReadCols + `
		FROM dependencies d JOIN projects pr ON pr.id = d.project_id
		WHERE ` + where + `
		ORDER BY pr.name, pr.key, d.manifest, d.name, d.version, d.pos`
	if f.Limit > 0 {
		q += ` LIMIT ?`
		args = append(args, f.Limit)
	}
	var us []catalog.Usage
	err = s.read(ctx, fmt.Sprintf("who uses %q", f.Package), func(t tx) error {
		return eachRow(ctx, t, "usages", q, args, func(rows *sql.Rows) error {
			var u catalog.Usage
			if err := scanDependency(rows, &u.Dependency, &u.ProjectID, &u.Project, &u.ProjectKey); err != nil {
				return err
			}
			us = append(us, u)
			return nil
		})
	})
	if err != nil {
		return nil, err
	}
	return us, nil
}

// DirectDependencies implements store.Store, a chunk of project IDs per
// query, from the partial index of direct dependencies (migration 0045:
// the condition is written as the index's, d.direct, for the planner to
// match it).
func (s *Store) DirectDependencies(ctx context.Context, projectIDs []int64) (map[int64][]catalog.Dependency, error) {
	ids := uniqueIDs(projectIDs)
	out := map[int64][]catalog.Dependency{}
	if len(ids) == 0 {
		return out, nil
	}
	err := s.read(ctx, fmt.Sprintf("direct dependencies of %d projects", len(ids)), func(t tx) error {
		chunk := min(maxRowsPerInsert, t.d.MaxParams)
		for start := 0; start < len(ids); start += chunk {
			end := min(start+chunk, len(ids))
			var args []any
			for _, id := range ids[start:end] {
				args = append(args, id)
			}
			err := eachRow(ctx, t, "dependencies", `SELECT d.project_id, `+depReadCols+` FROM dependencies d
				WHERE d.direct AND d.project_id IN `+inClause(end-start)+`
				ORDER BY d.project_id, `+depOrder, args, func(rows *sql.Rows) error {
				var id int64
				var d catalog.Dependency
				if err := scanDependency(rows, &d, &id); err != nil {
					return err
				}
				out[id] = append(out[id], d)
				return nil
			})
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// PackageProjects implements store.Store. It reads, for each way a use is
// found (usageBranches), the project, version and direct flag of the uses
// from an index that holds them (migration 0008), so no dependency row is
// read; the union of the branches drops the uses two of them find. The
// projects' names come from an index too (with f.NoNames they are not
// read: joining them cost the database a scan of every project's name, 4
// of its 5 ms of CPU for a package 5,000 of 50,000 projects use). Uses
// are grouped by project here.
func (s *Store) PackageProjects(ctx context.Context, f store.UsageFilter) ([]catalog.ProjectUse, error) {
	branches, err := usageBranches(f)
	if err != nil {
		return nil, fmt.Errorf("projects using %q: %w", f.Package, err)
	}
	var parts []string
	var args []any
	for _, b := range branches {
		parts = append(parts, `SELECT d.project_id, d.version, d.direct FROM dependencies d WHERE `+b.cond)
		args = append(args, b.args...)
	}
	q := `SELECT u.project_id, pr.name, pr.key, u.version, u.direct
		FROM (` + strings.Join(parts, " UNION ") + `) u JOIN projects pr ON pr.id = u.project_id`
	if f.NoNames {
		q = strings.Join(parts, " UNION ")
	}
	var out []catalog.ProjectUse
	err = s.read(ctx, fmt.Sprintf("projects using %q", f.Package), func(t tx) error {
		at := map[int64]int{} // index in out
		return eachRow(ctx, t, "usages", q, args, func(rows *sql.Rows) error {
			var u catalog.ProjectUse
			var version string
			dest := []any{&u.ProjectID, &u.Project, &u.ProjectKey, &version, &u.Direct}
			if f.NoNames {
				dest = []any{&u.ProjectID, &version, &u.Direct}
			}
			if err := rows.Scan(dest...); err != nil {
				return err
			}
			i, ok := at[u.ProjectID]
			if !ok {
				i = len(out)
				at[u.ProjectID] = i
				out = append(out, u)
			}
			p := &out[i]
			p.Direct = p.Direct || u.Direct
			if !slices.Contains(p.Versions, version) {
				p.Versions = append(p.Versions, version)
			}
			return nil
		})
	})
	if err != nil {
		return nil, err
	}
	for i := range out {
		slices.Sort(out[i].Versions)
	}
	slices.SortFunc(out, func(a, b catalog.ProjectUse) int {
		if f.NoNames {
			return cmp.Compare(a.ProjectID, b.ProjectID)
		}
		return cmp.Or(strings.Compare(a.Project, b.Project), strings.Compare(a.ProjectKey, b.ProjectKey), cmp.Compare(a.ProjectID, b.ProjectID))
	})
	if f.Limit > 0 && len(out) > f.Limit {
		out = out[:f.Limit]
	}
	return out, nil
}

// usageWhere returns the condition on dependencies d that selects the uses
// of f.Package, see WhoUses.
func usageWhere(f store.UsageFilter) (string, []any, error) {
	branches, err := usageBranches(f)
	if err != nil {
		return "", nil, err
	}
	var or []string
	var args []any
	for _, b := range branches {
		or = append(or, "("+b.cond+")")
		args = append(args, b.args...)
	}
	return "(" + strings.Join(or, " OR ") + ")", args, nil
}

// usageBranch is one way a use of a package is found: a condition on
// dependencies d, with its arguments, that one index answers.
type usageBranch struct {
	cond string
	args []any
}

// usageBranches returns the conditions whose union selects the uses of
// f.Package (see WhoUses); each includes the ecosystem filter, if any.
func usageBranches(f store.UsageFilter) ([]usageBranch, error) {
	pkg := strings.TrimSpace(clean(f.Package))
	eco := strings.TrimSpace(fold(f.Ecosystem))
	if pkg == "" {
		return nil, fmt.Errorf("%w: no package given", store.ErrInvalid)
	}
	var bs []usageBranch
	add := func(cond string, args ...any) {
		if eco != "" {
			cond += ` AND d.ecosystem_lower = ?`
			args = append(args, eco)
		}
		bs = append(bs, usageBranch{cond, args})
	}
	if len(pkg) >= 4 && strings.EqualFold(pkg[:4], "pkg:") {
		p, err := parsePURL(pkg)
		if err != nil {
			return nil, fmt.Errorf("%w: package URL: %v", store.ErrInvalid, err)
		}
		if p.Version != "" {
			return nil, fmt.Errorf("%w: package URL has a version (@%s): give the package without it and filter versions with --version", store.ErrInvalid, p.Version)
		}
		if p.Ecosystem != "" {
			e := strings.ToLower(p.Ecosystem)
			add(`d.name_key = ? AND d.ecosystem_lower = ?`, nameKey(e, p.Name), e)
		}
		add(`d.purl_base = ?`, p.Base)
	} else if eco != "" {
		add(`d.name_key = ?`, nameKey(eco, pkg))
		if eco == "maven" && !strings.Contains(pkg, ":") {
			add(`d.artifact_key = ?`, strings.ToLower(pkg))
		}
	} else {
		// Each ecosystem's key of pkg. A PyPI or crates.io key that differs
		// from the lowercase one must not match other ecosystems' names.
		lower := strings.ToLower(pkg)
		add(`d.name_key = ?`, lower)
		for _, e := range []string{"pypi", "crates.io"} {
			if k := nameKey(e, pkg); k != lower {
				add(`d.name_key = ? AND d.ecosystem_lower = ?`, k, e)
			}
		}
		if !strings.Contains(pkg, ":") {
			add(`d.artifact_key = ?`, lower)
		}
	}
	return bs, nil
}

// Technology kinds.
const (
	kindPackage  = "package"
	kindLanguage = "language"
)

// Technologies implements store.Store.
//
// A package is an ecosystem and a name key (see WhoUses): "Requests" and
// "requests" in PyPI are one package. Its Projects counts the distinct
// projects with a dependency on it, Versions the distinct non-empty
// versions (and constraints) they use; both are read from the counts
// ReplaceProject keeps (tables packages and package_versions), not from
// the dependencies. Its ID, Ecosystem and Name are those of its dependency
// row in the project with the lowest ID (the ecosystem and name its PURL
// gives if that row has none). A language is a language name compared
// case-insensitively; Projects counts the projects whose languages include
// it. Technologies are ordered by Projects (most first), then by name key,
// ecosystem and kind.
//
// f.Kind is "package", "language" or empty for both (case-insensitive;
// anything else is an error). f.Ecosystem keeps the packages of one
// ecosystem, and no languages. f.Query keeps the packages and languages
// whose name contains it, case-insensitively (for PyPI, also in its
// normalised form). Limit and Offset page the result; Limit 0 means no
// limit.
func (s *Store) Technologies(ctx context.Context, f store.TechnologyFilter) ([]catalog.Technology, error) {
	kind := strings.TrimSpace(fold(f.Kind))
	if kind != "" && kind != kindPackage && kind != kindLanguage {
		return nil, fmt.Errorf("%w: technologies: unknown kind %q (want %q, %q or none)", store.ErrInvalid, f.Kind, kindPackage, kindLanguage)
	}
	eco := strings.TrimSpace(fold(f.Ecosystem))
	query := strings.TrimSpace(f.Query)
	var parts []string
	var args []any
	if kind != kindLanguage {
		var where []string
		if eco != "" {
			where = append(where, `p.ecosystem_lower = ?`)
			args = append(args, eco)
		}
		if query != "" {
			c, n := likeContains(query), likeContains(catalog.PackageKey("pypi", query))
			if n != c {
				where = append(where, `(p.name_key LIKE ? ESCAPE '\' OR p.name_key LIKE ? ESCAPE '\')`)
				args = append(args, c, n)
			} else {
				where = append(where, `p.name_key LIKE ? ESCAPE '\'`)
				args = append(args, c)
			}
		}
		q := `SELECT 'package' AS kind, p.ecosystem_lower AS eco, p.name_key AS k, '' AS display,
				p.projects AS projects
			FROM packages p`
		if len(where) > 0 {
			q += ` WHERE ` + strings.Join(where, " AND ")
		}
		parts = append(parts, q)
	}
	if kind != kindPackage && eco == "" {
		q := `SELECT 'language' AS kind, '' AS eco, l.name_fold AS k, MIN(l.name) AS display,
				COUNT(DISTINCT l.project_id) AS projects
			FROM project_languages l`
		if query != "" {
			q += ` WHERE l.name_fold LIKE ? ESCAPE '\'`
			args = append(args, likeContains(query))
		}
		parts = append(parts, q+` GROUP BY l.name_fold`)
	}
	if len(parts) == 0 {
		return nil, nil
	}
	q := parts[0]
	if len(parts) > 1 {
		q = `SELECT kind, eco, k, display, projects FROM (` + strings.Join(parts, " UNION ALL ") + `) t`
	}
	const order = ` ORDER BY projects DESC, k, eco, kind`
	q += order
	if f.Limit > 0 || f.Offset > 0 {
		limit := int64(f.Limit)
		if limit <= 0 {
			limit = 1<<63 - 1
		}
		q += " LIMIT ? OFFSET ?"
		args = append(args, limit, max(f.Offset, 0))
	}
	q = packageDetails(q, order)
	var techs []catalog.Technology
	err := s.read(ctx, "technologies", func(t tx) error {
		return eachRow(ctx, t, "technologies", q, args, func(rows *sql.Rows) error {
			tc, _, err := scanTechnology(rows)
			if err == nil {
				techs = append(techs, tc)
			}
			return err
		})
	})
	if err != nil {
		return nil, err
	}
	return techs, nil
}

// packageDetails wraps q, a query of technologies (kind, eco, k, display,
// projects), so that each package also gets its ID, ecosystem, name and
// number of versions; order is appended.
func packageDetails(q, order string) string {
	// Each package of the page takes its ID and name from its first
	// dependency row and counts its versions: index lookups done by the
	// database in the same statement (one round trip for the whole list,
	// where a query per package made listing 20,000 packages on PostgreSQL
	// take seconds). A language finds no row and gets NULLs.
	return `SELECT kind, eco, k, display, projects,
			(SELECT d.purl_base FROM dependencies d WHERE d.name_key = t.k AND d.ecosystem_lower = t.eco ORDER BY d.project_id, d.pos LIMIT 1),
			(SELECT d.ecosystem FROM dependencies d WHERE d.name_key = t.k AND d.ecosystem_lower = t.eco ORDER BY d.project_id, d.pos LIMIT 1),
			(SELECT d.name FROM dependencies d WHERE d.name_key = t.k AND d.ecosystem_lower = t.eco ORDER BY d.project_id, d.pos LIMIT 1),
			(SELECT COUNT(*) FROM package_versions v WHERE v.name_key = t.k AND v.ecosystem_lower = t.eco AND v.version <> '')
		FROM (` + q + `) t` + order
}

// scanTechnology reads a row of packageDetails, and the package's key.
func scanTechnology(rows *sql.Rows) (catalog.Technology, store.PackageKey, error) {
	var tc catalog.Technology
	var k store.PackageKey
	var id, ecosystem, name sql.NullString
	if err := rows.Scan(&tc.Kind, &k.Ecosystem, &k.Name, &tc.Name, &tc.Projects, &id, &ecosystem, &name, &tc.Versions); err != nil {
		return tc, k, err
	}
	if tc.Kind != kindPackage {
		tc.ID, tc.Versions = tc.Name, 0
		return tc, k, nil
	}
	if !id.Valid { // cannot happen: packages counts existing rows
		return tc, k, fmt.Errorf("read package %s %s: no dependency row", k.Ecosystem, k.Name)
	}
	tc.ID, tc.Ecosystem, tc.Name = id.String, ecosystem.String, name.String
	if tc.Ecosystem == "" || tc.Name == "" { // a dependency known by its PURL only
		if u, err := parsePURL(tc.ID); err == nil {
			tc.Ecosystem = cmp.Or(tc.Ecosystem, u.Ecosystem)
			tc.Name = cmp.Or(tc.Name, u.Name)
		}
	}
	return tc, k, nil
}

// PackageCounts implements store.Store.
func (s *Store) PackageCounts(ctx context.Context) (map[store.PackageKey]int, error) {
	out := map[store.PackageKey]int{}
	err := s.read(ctx, "package counts", func(t tx) error {
		clear(out)
		return eachRow(ctx, t, "package counts", `SELECT ecosystem_lower, name_key, projects FROM packages`, nil,
			func(rows *sql.Rows) error {
				var k store.PackageKey
				var n int
				if err := rows.Scan(&k.Ecosystem, &k.Name, &n); err != nil {
					return err
				}
				out[k] = n
				return nil
			})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// PackagesUsed implements store.Store.
func (s *Store) PackagesUsed(ctx context.Context, projectIDs []int64) ([]store.PackageKey, error) {
	ids := uniqueIDs(projectIDs)
	var out []store.PackageKey
	err := s.read(ctx, fmt.Sprintf("packages of %d projects", len(ids)), func(t tx) error {
		out = nil
		seen := map[store.PackageKey]bool{}
		for start := 0; start < len(ids); start += maxRowsPerInsert {
			end := min(start+maxRowsPerInsert, len(ids))
			args := make([]any, 0, end-start)
			for _, id := range ids[start:end] {
				args = append(args, id)
			}
			err := eachRow(ctx, t, "packages used", `SELECT DISTINCT ecosystem_lower, name_key FROM dependencies
				WHERE project_id IN `+inClause(end-start), args, func(rows *sql.Rows) error {
				var k store.PackageKey
				if err := rows.Scan(&k.Ecosystem, &k.Name); err != nil {
					return err
				}
				if !seen[k] {
					seen[k] = true
					out = append(out, k)
				}
				return nil
			})
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// PackageTechnologies implements store.Store.
func (s *Store) PackageTechnologies(ctx context.Context, keys []store.PackageKey) (map[store.PackageKey]catalog.Technology, error) {
	out := map[store.PackageKey]catalog.Technology{}
	const inner = `SELECT 'package' AS kind, p.ecosystem_lower AS eco, p.name_key AS k, '' AS display, p.projects AS projects
		FROM packages p`
	each := func(t tx, q string, args []any) error {
		return eachRow(ctx, t, "package technologies", packageDetails(q, ""), args, func(rows *sql.Rows) error {
			tc, k, err := scanTechnology(rows)
			if err == nil {
				out[k] = tc
			}
			return err
		})
	}
	err := s.read(ctx, "package technologies", func(t tx) error {
		clear(out)
		if keys == nil {
			return each(t, inner, nil)
		}
		const chunk = maxRowsPerInsert / 2
		for start := 0; start < len(keys); start += chunk {
			end := min(start+chunk, len(keys))
			args := make([]any, 0, 2*(end-start))
			for _, k := range keys[start:end] {
				args = append(args, k.Ecosystem, k.Name)
			}
			in := strings.TrimSuffix(strings.Repeat("(?, ?), ", end-start), ", ")
			if err := each(t, inner+` WHERE (p.ecosystem_lower, p.name_key) IN (`+in+`)`, args); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
