// Package probes lists every built-in scorecard probe. Each probe lives in
// a folder of its own (its definition, its function and its table test), in
// the manner of OpenSSF Scorecard; this file is the one registry.
package probes

import (
	"github.com/ospo-project/ospo/internal/scorecard/probe"
	"github.com/ospo-project/ospo/internal/scorecard/probes/actionspinned"
	"github.com/ospo-project/ospo/internal/scorecard/probes/activecontributors"
	"github.com/ospo-project/ospo/internal/scorecard/probes/busfactor"
	"github.com/ospo-project/ospo/internal/scorecard/probes/cirunstests"
	"github.com/ospo-project/ospo/internal/scorecard/probes/containerimagespinned"
	"github.com/ospo-project/ospo/internal/scorecard/probes/contributionguide"
	"github.com/ospo-project/ospo/internal/scorecard/probes/coverage"
	"github.com/ospo-project/ospo/internal/scorecard/probes/dependencieswithinpolicy"
	"github.com/ospo-project/ospo/internal/scorecard/probes/dependencyupdatetool"
	"github.com/ospo-project/ospo/internal/scorecard/probes/elephantfactor"
	"github.com/ospo-project/ospo/internal/scorecard/probes/haschangelog"
	"github.com/ospo-project/ospo/internal/scorecard/probes/hascodeofconduct"
	"github.com/ospo-project/ospo/internal/scorecard/probes/hascontributing"
	"github.com/ospo-project/ospo/internal/scorecard/probes/hasdescription"
	"github.com/ospo-project/ospo/internal/scorecard/probes/hasdocs"
	"github.com/ospo-project/ospo/internal/scorecard/probes/hashealthcheck"
	"github.com/ospo-project/ospo/internal/scorecard/probes/haslicense"
	"github.com/ospo-project/ospo/internal/scorecard/probes/haslogging"
	"github.com/ospo-project/ospo/internal/scorecard/probes/hasmetrics"
	"github.com/ospo-project/ospo/internal/scorecard/probes/hasowner"
	"github.com/ospo-project/ospo/internal/scorecard/probes/hasreadme"
	"github.com/ospo-project/ospo/internal/scorecard/probes/hassecuritypolicy"
	"github.com/ospo-project/ospo/internal/scorecard/probes/hastests"
	"github.com/ospo-project/ospo/internal/scorecard/probes/hastopics"
	"github.com/ospo-project/ospo/internal/scorecard/probes/hastracing"
	"github.com/ospo-project/ospo/internal/scorecard/probes/inactivecontributors"
	"github.com/ospo-project/ospo/internal/scorecard/probes/licenseconsistent"
	"github.com/ospo-project/ospo/internal/scorecard/probes/licenseosiapproved"
	"github.com/ospo-project/ospo/internal/scorecard/probes/licenserecognised"
	"github.com/ospo-project/ospo/internal/scorecard/probes/nobinaryartifacts"
	"github.com/ospo-project/ospo/internal/scorecard/probes/nodownloadthenrun"
	"github.com/ospo-project/ospo/internal/scorecard/probes/noknownvulnerabilities"
	"github.com/ospo-project/ospo/internal/scorecard/probes/nosecretlikefiles"
	"github.com/ospo-project/ospo/internal/scorecard/probes/notstale"
	"github.com/ospo-project/ospo/internal/scorecard/probes/packageinstallspinned"
	"github.com/ospo-project/ospo/internal/scorecard/probes/readmesubstantive"
	"github.com/ospo-project/ospo/internal/scorecard/probes/recentcommits"
	"github.com/ospo-project/ospo/internal/scorecard/probes/truckfactor"
)

// All lists the built-in probes, grouped by check, in the order they are shown.
var All = []probe.Probe{
	{Def: hasreadme.Def, Run: hasreadme.Run},
	{Def: readmesubstantive.Def, Run: readmesubstantive.Run},
	{Def: hascontributing.Def, Run: hascontributing.Run},
	{Def: hascodeofconduct.Def, Run: hascodeofconduct.Run},
	{Def: haschangelog.Def, Run: haschangelog.Run},
	{Def: hasdocs.Def, Run: hasdocs.Run},
	{Def: haslicense.Def, Run: haslicense.Run},
	{Def: licenserecognised.Def, Run: licenserecognised.Run},
	{Def: licenseosiapproved.Def, Run: licenseosiapproved.Run},
	{Def: licenseconsistent.Def, Run: licenseconsistent.Run},
	{Def: dependencieswithinpolicy.Def, Run: dependencieswithinpolicy.Run},
	{Def: hassecuritypolicy.Def, Run: hassecuritypolicy.Run},
	{Def: noknownvulnerabilities.Def, Run: noknownvulnerabilities.Run},
	{Def: dependencyupdatetool.Def, Run: dependencyupdatetool.Run},
	{Def: actionspinned.Def, Run: actionspinned.Run},
	{Def: containerimagespinned.Def, Run: containerimagespinned.Run},
	{Def: packageinstallspinned.Def, Run: packageinstallspinned.Run},
	{Def: nodownloadthenrun.Def, Run: nodownloadthenrun.Run},
	{Def: nosecretlikefiles.Def, Run: nosecretlikefiles.Run},
	{Def: nobinaryartifacts.Def, Run: nobinaryartifacts.Run},
	{Def: hastests.Def, Run: hastests.Run},
	{Def: cirunstests.Def, Run: cirunstests.Run},
	{Def: coverage.Def, Run: coverage.Run},
	{Def: haslogging.Def, Run: haslogging.Run},
	{Def: hasmetrics.Def, Run: hasmetrics.Run},
	{Def: hastracing.Def, Run: hastracing.Run},
	{Def: hashealthcheck.Def, Run: hashealthcheck.Run},
	{Def: recentcommits.Def, Run: recentcommits.Run},
	{Def: activecontributors.Def, Run: activecontributors.Run},
	{Def: busfactor.Def, Run: busfactor.Run},
	{Def: elephantfactor.Def, Run: elephantfactor.Run},
	{Def: inactivecontributors.Def, Run: inactivecontributors.Run},
	{Def: truckfactor.Def, Run: truckfactor.Run},
	{Def: notstale.Def, Run: notstale.Run},
	{Def: hasowner.Def, Run: hasowner.Run},
	{Def: contributionguide.Def, Run: contributionguide.Run},
	{Def: hasdescription.Def, Run: hasdescription.Run},
	{Def: hastopics.Def, Run: hastopics.Run},
}
