package vuln

import (
	"context"
	"time"

	"github.com/ospo-project/ospo/internal/catalog"
)

// Source provides the advisories that affect some packages (a catalogue
// store, or advisories held in memory).
type Source interface {
	AdvisoriesFor(ctx context.Context, pkgs []catalog.PackageRef) ([]catalog.Advisory, error)
}

// MatchProject matches one project's dependencies against the advisories
// src holds for their packages and marks the findings ignores accept at now
// as suppressed. Nil when no advisory applies. It is the one place a
// project's dependencies meet advisories (analyze, the hub).
func MatchProject(ctx context.Context, src Source, key string, deps []catalog.Dependency, ignores []Ignore, now time.Time) ([]catalog.VulnFinding, error) {
	ignores = ForProject(ignores, key)
	seen := map[catalog.PackageRef]bool{}
	var pkgs []catalog.PackageRef
	for _, d := range deps {
		r := catalog.PackageRef{Ecosystem: d.Ecosystem, Name: d.Name}
		if !seen[r] {
			seen[r] = true
			pkgs = append(pkgs, r)
		}
	}
	if len(pkgs) == 0 {
		return nil, nil
	}
	advs, err := src.AdvisoriesFor(ctx, pkgs)
	if err != nil || len(advs) == 0 {
		return nil, err
	}
	fs := NewIndex(advs).Match(deps)
	Suppress(fs, ignores, now)
	return fs, nil
}
