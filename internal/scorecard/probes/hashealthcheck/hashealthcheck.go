// Package hashealthcheck is the hasHealthCheck probe of the Observability check; see
// docs/scorecards.md for its rule and rationale.
package hashealthcheck

import (
	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/scorecard/facts"
	"github.com/ospo-project/ospo/internal/scorecard/probe"
)

// Def is the probe's definition: its id, check, weight within the check and
// remediation text.
var Def = probe.Def{
	ID:          "hasHealthCheck",
	Check:       probe.CheckObservability,
	Weight:      1,
	Remediation: "Expose a health endpoint and declare liveness/readiness probes in the deployment manifests (or use a health-check library such as Spring Boot Actuator or grpc-health).",
}

var healthLibs = []string{"spring-boot-starter-actuator", "grpc-health", "health-check", "healthcheck", "terminus", "django-health-check", "py-healthcheck",
	"microprofile-health", "health_check", "go-health", "hellofresh/health-go", "aspnetcore.diagnostics.healthchecks"}

// Run is the probe.
func Run(f *facts.Facts) probe.Result {
	if p := f.First(catalog.FileHealthProbe); p != "" {
		return probe.Pass("health probe declared", p)
	}
	if n, ok := f.HasDep(healthLibs...); ok {
		return probe.Pass("health-check library: "+n, "")
	}
	if f.CodeFiles == 0 && len(f.Project.Dependencies) == 0 {
		return probe.NA("no code or dependencies")
	}
	return probe.Fail("no liveness/readiness probe in deployment manifests and no health-check library")
}
