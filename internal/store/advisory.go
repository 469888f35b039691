package store

import (
	"context"

	"github.com/ospo-project/ospo/internal/catalog"
)

// AdvisoryStore persists imported OSV advisories, indexed by the packages
// they affect. It is part of Store. Matching advisories against
// dependencies is left to the caller (internal/vuln): findings are computed
// when asked for, so a new import changes them at once; only the stored
// scorecards are re-matched after an import (scan.Rematch).
type AdvisoryStore interface {
	// UpsertAdvisories stores advisories in one transaction, so that an
	// import that fails or is killed leaves the previous advisories in
	// force. An advisory whose stored copy has the same record (Raw), or a
	// later Modified time, is left as it is (Unchanged); a withdrawn one
	// (Withdrawn set) is deleted. ID must be set and Raw must not be
	// empty, else the whole call fails with a wrapped ErrInvalid and stores
	// nothing. Modified may be zero (the Go vulndb repository leaves it so).
	UpsertAdvisories(ctx context.Context, advs []catalog.Advisory) (catalog.AdvisoryImport, error)

	// AdvisoriesFor returns, with their Raw records, the advisories that
	// affect any of pkgs (compared the way each ecosystem compares names,
	// see catalog.PackageKey), ordered by id.
	AdvisoriesFor(ctx context.Context, pkgs []catalog.PackageRef) ([]catalog.Advisory, error)

	// AdvisoriesInUse returns, with their Raw records, the advisories that
	// affect a package some project of the catalogue depends on, ordered
	// by id.
	AdvisoriesInUse(ctx context.Context) ([]catalog.Advisory, error)

	// Advisory returns one advisory with its Raw record; ref is its id or
	// one of its aliases, case-insensitively. Returns ErrNotFound if no
	// advisory has that id or alias; when several share an alias, the
	// first by id.
	Advisory(ctx context.Context, ref string) (*catalog.Advisory, error)

	// AdvisoryStatus counts the stored advisories per ecosystem.
	AdvisoryStatus(ctx context.Context) (*catalog.AdvisoryStatus, error)

	// Usages returns every dependency of the catalogue on one of pkgs, as
	// WhoUses does for one package, ordered by project name then manifest.
	Usages(ctx context.Context, pkgs []catalog.PackageRef) ([]catalog.Usage, error)
}
