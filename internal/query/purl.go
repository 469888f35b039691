package query

import (
	"strings"

	packageurl "github.com/package-url/packageurl-go"

	"github.com/ospo-project/ospo/internal/catalog"
)

// SplitPURL splits a package URL that a person typed into the package URL
// without version, qualifiers or subpath, and its version. A string that
// is not a package URL (a bare package name such as "lodash") is returned
// whole with no version.
//
// Go module versions are returned as Go writes them ("v1.8.0"), whichever
// of "@1.8.0" and "@v1.8.0" was typed: catalogues and SBOMs from different
// tools spell them both ways, and a person should not need to know which.
func SplitPURL(s string) (pkg, version string) {
	if !strings.HasPrefix(s, "pkg:") {
		return s, ""
	}
	u, err := packageurl.FromString(s)
	if err != nil || u.Version == "" {
		return s, ""
	}
	version = u.Version
	if u.Type == packageurl.TypeGolang {
		module := u.Name
		if u.Namespace != "" {
			module = u.Namespace + "/" + u.Name
		}
		version = catalog.GoModuleVersion(module, version)
	}
	return packageurl.NewPackageURL(u.Type, u.Namespace, u.Name, "", nil, "").ToString(), version
}
