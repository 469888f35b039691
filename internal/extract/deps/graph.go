package deps

import (
	"github.com/ospo-project/ospo/internal/catalog"
)

// scopeOrder lists scopes from the broadest, the order in which
// propagateScopes spreads them.
var scopeOrder = []string{catalog.ScopeRuntime, catalog.ScopeOptional, catalog.ScopeBuild, catalog.ScopeTest, catalog.ScopeDev}

// propagateScopes gives a scope to the dependencies that have none, from
// the direct dependencies through the DependsOn edges: a package reachable
// from a runtime dependency is runtime, else from an optional one optional,
// and so on down to dev. rootScope gives the scope of a direct dependency
// (by index) when the dependency itself has none; a direct dependency with
// neither is runtime. Packages not reachable from any direct dependency keep
// no scope.
func propagateScopes(deps []catalog.Dependency, rootScope map[int]string) {
	byPURL := make(map[string][]int, len(deps))
	for i, d := range deps {
		byPURL[d.PURL] = append(byPURL[d.PURL], i)
	}
	assigned := make([]bool, len(deps))
	for i, d := range deps {
		assigned[i] = d.Scope != ""
	}
	for _, scope := range scopeOrder {
		var queue []int
		visited := make([]bool, len(deps))
		for i, d := range deps {
			if !d.Direct {
				continue
			}
			s := d.Scope
			if s == "" {
				s = rootScope[i]
			}
			if s == "" {
				s = catalog.ScopeRuntime
			}
			if s == scope {
				queue = append(queue, i)
				visited[i] = true
			}
		}
		for len(queue) > 0 {
			i := queue[0]
			queue = queue[1:]
			if !assigned[i] {
				deps[i].Scope = scope
				assigned[i] = true
			}
			for _, p := range deps[i].DependsOn {
				for _, j := range byPURL[p] {
					if !visited[j] {
						visited[j] = true
						queue = append(queue, j)
					}
				}
			}
		}
	}
}
