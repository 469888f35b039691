// Package sbom holds what the SBOM writers share: their options and the
// arrangement of a project's dependencies into a de-duplicated, ordered
// inventory. The writers themselves live in the sub-packages cyclonedx
// (CycloneDX 1.6 JSON) and spdx (SPDX 2.3 JSON).
//
// # Model
//
// A catalog.Project records one Dependency per (package, manifest): the same
// package found in two lockfiles of a monorepo is two Dependencies. An SBOM
// wants each package once, so the inventory has:
//
//   - one Manifest per manifest or lockfile path, holding its direct
//     dependencies (each with the scope it was declared in);
//   - one Package per package identity, carrying the union of what every
//     manifest said about it (manifests, scopes, licences, hashes, edges).
//
// The writers draw the graph project → manifest → direct dependency →
// DependsOn, so a monorepo's sub-projects stay apart while a package they
// share appears once.
//
// A package's identity is its purl. A dependency known only by a version
// constraint (Dependency.Constraint) has no version: its identity is the purl
// without version, and the constraints are kept beside it; a purl never
// carries a range.
//
// # Determinism
//
// For the same Project and Options the writers produce the same bytes,
// whatever the order of the Project's dependencies: manifests, packages,
// edges, licences and hashes are sorted, and document identifiers (the
// CycloneDX serial number, the SPDX namespace) are derived from the content
// by ContentUUID rather than drawn at random.
package sbom

import (
	"cmp"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/github/go-spdx/v2/spdxexp"
	"github.com/github/go-spdx/v2/spdxexp/spdxlicenses"
	"github.com/google/uuid"
	"github.com/package-url/packageurl-go"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/lazyre"
)

// Options controls what the writers record about the document itself.
type Options struct {
	// ToolVersion is the ospo version recorded as the SBOM's creating tool;
	// empty records the tool without a version.
	ToolVersion string
	// Now is the SBOM's creation time, written in UTC to the second. The
	// writers never read the clock, so the caller decides (tests fix it).
	// It must not be zero.
	Now time.Time
	// Vulnerabilities are the project's known vulnerabilities (internal/vuln
	// findings), written by the CycloneDX writer as its vulnerabilities
	// section; nil writes none.
	Vulnerabilities []catalog.VulnFinding
}

// ErrNoTime is returned by the writers when Options.Now is zero.
var ErrNoTime = errors.New("sbom: Options.Now is zero")

// Timestamp returns opts.Now formatted as both formats want it
// (RFC 3339, UTC, whole seconds), or ErrNoTime.
func (opts Options) Timestamp() (string, error) {
	if opts.Now.IsZero() {
		return "", ErrNoTime
	}
	return opts.Now.UTC().Truncate(time.Second).Format(time.RFC3339), nil
}

// Inventory is a project's dependencies arranged for an SBOM.
type Inventory struct {
	// Manifests are sorted by Path.
	Manifests []*Manifest
	// Packages are sorted by Ref; each Ref appears once.
	Packages []*Package
}

// Manifest is one manifest or lockfile of the project.
type Manifest struct {
	// Path is the repository-relative path, as the catalogue records it.
	Path string
	// Direct lists the packages this manifest declares itself, sorted by Ref
	// then Scope. A package declared in two scopes appears twice.
	Direct []Use
}

// Use is a direct dependency of a manifest.
type Use struct {
	// Ref is the Package.Ref of the dependency.
	Ref string
	// Scope is one of the catalog.Scope* values, or empty when the manifest's
	// format does not say.
	Scope string
}

// Package is one package as every manifest of the project knows it.
type Package struct {
	// Ref identifies the package within one SBOM: its purl (without version
	// when only constraints are known), or, when the catalogue has no valid
	// purl, "ospo:package:" + ecosystem + "/" + name + "@" + version.
	Ref string
	// PURL is the package URL to publish: the recorded one, without its
	// version for a constraint-only package; empty when none is valid.
	PURL      string
	Ecosystem string
	Name      string
	// Version is the resolved version; empty for a constraint-only package.
	Version string
	// Constraints are the version constraints manifests declare for a
	// constraint-only package, sorted and unique.
	Constraints []string
	// Manifests are the paths of the manifests that list the package, sorted.
	Manifests []string
	// Scopes are the distinct scopes of its uses, sorted; an empty string
	// stands for uses whose format gave no scope.
	Scopes []string
	// Direct reports that at least one manifest declares the package itself.
	Direct bool
	// Licenses are the licences the manifests record, sorted by Value, unique.
	Licenses []License
	// Hashes are the recorded digests both formats can carry, as lowercase
	// hex, sorted by Algorithm then Value.
	Hashes []Hash
	// OtherHashes are recorded digests that neither format can carry (Go's
	// "h1" dirhash, or a value that does not decode), as recorded, sorted.
	OtherHashes []catalog.Hash
	// DependsOn are the Refs of the packages this one depends on, sorted;
	// only Refs of this inventory, never the package itself.
	DependsOn []string
}

// License is one licence string a manifest records for a package.
type License struct {
	// Value is the SPDX-normalised expression when Expression is true (e.g.
	// "mit" becomes "MIT"), else the string as recorded.
	Value string
	// Expression reports that Value is a valid SPDX licence expression.
	Expression bool
	// ID reports that Value is a single identifier of the SPDX licence list
	// (active or deprecated), such as "MIT"; ID implies Expression.
	ID bool
}

// Hash is a digest in a form both SBOM formats accept.
type Hash struct {
	// Algorithm is md5, sha1, sha256, sha384 or sha512.
	Algorithm string
	// Value is the digest in lowercase hex.
	Value string
}

// hashSizes are the digest sizes, in bytes, of the algorithms both formats
// know. Go's h1 is SHA-256 of a list of file hashes, not of anything a
// consumer could download, so it is deliberately not here.
var hashSizes = map[string]int{"md5": 16, "sha1": 20, "sha256": 32, "sha384": 48, "sha512": 64}

// NewInventory arranges p's dependencies. It never fails: a dependency
// whose purl does not parse is kept under a synthetic Ref, an edge to a
// package the manifest does not list is dropped, and a hash that does not
// decode goes to OtherHashes.
func NewInventory(p *catalog.Project) *Inventory {
	deps := slices.Clone(p.Dependencies)
	// Sorting first makes the result independent of the input order.
	slices.SortStableFunc(deps, func(a, b catalog.Dependency) int {
		return cmp.Or(
			cmp.Compare(a.Manifest, b.Manifest),
			cmp.Compare(a.PURL, b.PURL),
			cmp.Compare(a.Ecosystem, b.Ecosystem),
			cmp.Compare(a.Name, b.Name),
			cmp.Compare(a.Version, b.Version),
			cmp.Compare(a.Scope, b.Scope),
		)
	})

	manifests := map[string]*Manifest{}
	packages := map[string]*Package{}
	// byPURL maps manifest path → recorded purl → Ref, to resolve DependsOn,
	// which names packages by their recorded purls within one manifest.
	byPURL := map[string]map[string]string{}
	for i := range deps {
		d := &deps[i]
		ref, purl := identity(d)
		pkg := packages[ref]
		if pkg == nil {
			pkg = &Package{Ref: ref, PURL: purl, Ecosystem: d.Ecosystem, Name: d.Name}
			if !d.Constraint {
				pkg.Version = d.Version
			}
			packages[ref] = pkg
		}
		if d.Constraint && d.Version != "" {
			pkg.Constraints = append(pkg.Constraints, d.Version)
		}
		pkg.Manifests = append(pkg.Manifests, d.Manifest)
		pkg.Scopes = append(pkg.Scopes, d.Scope)
		pkg.Direct = pkg.Direct || d.Direct
		for _, l := range d.Licenses {
			if l = strings.TrimSpace(l); l != "" {
				pkg.Licenses = append(pkg.Licenses, ParseLicense(l))
			}
		}
		for _, h := range d.Hashes {
			if n, ok := normaliseHash(h); ok {
				pkg.Hashes = append(pkg.Hashes, n)
			} else {
				pkg.OtherHashes = append(pkg.OtherHashes, h)
			}
		}

		m := manifests[d.Manifest]
		if m == nil {
			m = &Manifest{Path: d.Manifest}
			manifests[d.Manifest] = m
			byPURL[d.Manifest] = map[string]string{}
		}
		if d.Direct {
			m.Direct = append(m.Direct, Use{Ref: ref, Scope: d.Scope})
		}
		if d.PURL != "" {
			byPURL[d.Manifest][d.PURL] = ref
		}
	}
	// Edges are resolved once every package of the manifest is known.
	for i := range deps {
		d := &deps[i]
		ref, _ := identity(d)
		pkg := packages[ref]
		for _, target := range d.DependsOn {
			if to, ok := byPURL[d.Manifest][target]; ok && to != ref {
				pkg.DependsOn = append(pkg.DependsOn, to)
			}
		}
	}

	inv := &Inventory{}
	for _, m := range manifests {
		slices.SortFunc(m.Direct, func(a, b Use) int {
			return cmp.Or(cmp.Compare(a.Ref, b.Ref), cmp.Compare(a.Scope, b.Scope))
		})
		m.Direct = slices.Compact(m.Direct)
		inv.Manifests = append(inv.Manifests, m)
	}
	slices.SortFunc(inv.Manifests, func(a, b *Manifest) int { return cmp.Compare(a.Path, b.Path) })
	for _, pkg := range packages {
		pkg.Constraints = sortedUnique(pkg.Constraints)
		pkg.Manifests = sortedUnique(pkg.Manifests)
		pkg.Scopes = sortedUnique(pkg.Scopes)
		pkg.DependsOn = sortedUnique(pkg.DependsOn)
		slices.SortFunc(pkg.Licenses, func(a, b License) int { return cmp.Compare(a.Value, b.Value) })
		pkg.Licenses = slices.CompactFunc(pkg.Licenses, func(a, b License) bool { return a.Value == b.Value })
		slices.SortFunc(pkg.Hashes, func(a, b Hash) int {
			return cmp.Or(cmp.Compare(a.Algorithm, b.Algorithm), cmp.Compare(a.Value, b.Value))
		})
		pkg.Hashes = slices.Compact(pkg.Hashes)
		slices.SortFunc(pkg.OtherHashes, func(a, b catalog.Hash) int {
			return cmp.Or(cmp.Compare(a.Algorithm, b.Algorithm), cmp.Compare(a.Value, b.Value))
		})
		pkg.OtherHashes = slices.Compact(pkg.OtherHashes)
		inv.Packages = append(inv.Packages, pkg)
	}
	slices.SortFunc(inv.Packages, func(a, b *Package) int { return cmp.Compare(a.Ref, b.Ref) })
	return inv
}

// identity returns the Ref of d's package and the purl to publish for it.
func identity(d *catalog.Dependency) (ref, purl string) {
	if d.PURL != "" {
		if u, err := packageurl.FromString(d.PURL); err == nil {
			if !d.Constraint {
				return d.PURL, d.PURL
			}
			// A purl's version is exact; a constraint does not belong there.
			u.Version = ""
			s := u.ToString()
			return s, s
		}
	}
	version := d.Version
	if d.Constraint {
		version = ""
	}
	return "ospo:package:" + d.Ecosystem + "/" + d.Name + "@" + version, ""
}

func sortedUnique(s []string) []string {
	slices.Sort(s)
	return slices.Compact(s)
}

// normaliseHash converts a recorded digest to lowercase hex. The value may
// be hex or base64 (as npm's integrity field records it) and may carry the
// algorithm as a prefix ("sha512-…", "sha256:…"). It reports false for an
// algorithm outside hashSizes or a value that does not decode to a digest of
// that algorithm's size.
func normaliseHash(h catalog.Hash) (Hash, bool) {
	alg := strings.ReplaceAll(strings.ToLower(h.Algorithm), "-", "")
	size, ok := hashSizes[alg]
	if !ok {
		return Hash{}, false
	}
	v := strings.TrimSpace(h.Value)
	for _, sep := range []string{"-", ":"} {
		if p, rest, found := strings.Cut(v, sep); found && strings.ReplaceAll(strings.ToLower(p), "-", "") == alg {
			v = rest
		}
	}
	if len(v) == 2*size {
		if b, err := hex.DecodeString(v); err == nil {
			return Hash{Algorithm: alg, Value: hex.EncodeToString(b)}, true
		}
	}
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if b, err := enc.DecodeString(v); err == nil && len(b) == size {
			return Hash{Algorithm: alg, Value: hex.EncodeToString(b)}, true
		}
	}
	return Hash{}, false
}

// ParseLicense classifies a licence string as a manifest records it. Valid
// SPDX expressions are normalised (identifier case, outer parentheses);
// anything else (e.g. "Apache 2.0", "UNLICENSED") is kept as recorded with
// Expression false. So is an expression that uses LicenseRef- or
// DocumentRef-: those name licences defined in the document they came
// from, which an SBOM of ours does not contain.
func ParseLicense(s string) License {
	norm, invalid := spdxexp.ValidateAndNormalizeLicensesWithOptions([]string{s}, spdxexp.ValidateLicensesOptions{})
	if len(invalid) > 0 || len(norm) != 1 || strings.Contains(s, "LicenseRef-") || strings.Contains(s, "DocumentRef-") {
		return License{Value: s}
	}
	v := norm[0]
	active, _ := spdxlicenses.IsActiveLicense(v)
	deprecated, _ := spdxlicenses.IsDeprecatedLicense(v)
	return License{Value: v, Expression: true, ID: active || deprecated}
}

// LicenseListVersion is the version ("major.minor") of the SPDX licence
// list ParseLicense checks identifiers against.
func LicenseListVersion() string {
	v := spdxlicenses.LicenseListVersion()
	if parts := strings.Split(v, "."); len(parts) > 2 {
		v = parts[0] + "." + parts[1]
	}
	return v
}

// VCSURL returns the project's remote as an absolute URL that SBOM formats
// accept: http(s), ssh and git URLs as they are (less any user information
// on http(s), where it can only be a credential), scp-like remotes
// ("git@host:org/repo.git") rewritten to ssh:// URLs. It returns "" for an
// empty remote or one that is neither (a local path, say).
func VCSURL(remote string) string {
	remote = strings.TrimSpace(remote)
	if remote == "" {
		return ""
	}
	if strings.Contains(remote, "://") {
		u, err := url.Parse(remote)
		if err != nil || u.Host == "" {
			return ""
		}
		switch u.Scheme {
		case "http", "https", "git+https":
			u.User = nil
			return u.String()
		case "ssh", "git", "git+ssh":
			if u.User != nil {
				u.User = url.User(u.User.Username())
			}
			return u.String()
		}
		return ""
	}
	if m := scpLike.FindStringSubmatch(remote); m != nil {
		u := &url.URL{Scheme: "ssh", Host: m[2], Path: "/" + strings.TrimPrefix(m[3], "/")}
		if m[1] != "" {
			u.User = url.User(m[1])
		}
		return u.String()
	}
	return ""
}

// scpLike matches git's scp-like remote syntax, [user@]host:path with no
// slash before the colon. A one-letter host is a Windows drive ("C:\x").
var scpLike = lazyre.New(`^(?:([^@/:]+)@)?([A-Za-z0-9][A-Za-z0-9.-]+):(.+)$`)

// uuidSpace is the name space of ContentUUID.
var uuidSpace = uuid.NewSHA1(uuid.NameSpaceURL, []byte("https://github.com/ospo-project/ospo/sbom"))

// ContentUUID returns a name-based (version 5) UUID of content: the same
// document always gets the same identifier, and any change to it (its
// creation time included) gets another. The writers pass the document as
// encoded with its identifier left empty.
func ContentUUID(content []byte) string {
	return uuid.NewSHA1(uuidSpace, content).String()
}

// Sanitize returns s with every run of characters other than ASCII letters,
// digits, '.' and '-' replaced by one '-', and without leading or trailing
// '-': the alphabet of SPDX identifiers. It returns "" when nothing is left.
func Sanitize(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range s {
		if r < 0x80 && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '-') {
			if r == '-' {
				if dash {
					continue
				}
				dash = true
			} else {
				dash = false
			}
			b.WriteRune(r)
			continue
		}
		if !dash {
			b.WriteByte('-')
			dash = true
		}
	}
	return strings.Trim(b.String(), "-")
}

// UniqueIDs returns Sanitize(prefix+name) for each name, in order, making
// the results unique by appending "-2", "-3", … to later duplicates. Names
// that sanitise to nothing become prefix + "unnamed". Callers pass names in
// a stable order so the suffixes are stable too.
func UniqueIDs(prefix string, names []string) []string {
	out := make([]string, len(names))
	seen := map[string]bool{}
	for i, n := range names {
		base := Sanitize(n)
		if base == "" {
			base = "unnamed"
		}
		base = prefix + base
		id := base
		for k := 2; seen[id]; k++ {
			id = fmt.Sprintf("%s-%d", base, k)
		}
		seen[id] = true
		out[i] = id
	}
	return out
}
