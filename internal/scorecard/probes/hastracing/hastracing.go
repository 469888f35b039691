// Package hastracing is the hasTracing probe of the Observability check; see
// docs/scorecards.md for its rule and rationale.
package hastracing

import (
	"github.com/ospo-project/ospo/internal/scorecard/probe"
)

// Def is the probe's definition: its id, check, weight within the check and
// remediation text.
var Def = probe.Def{
	ID:          "hasTracing",
	Check:       probe.CheckObservability,
	Weight:      1,
	Remediation: "Instrument with OpenTelemetry tracing.",
}

// tracingLibs are dependency names (lower-case substrings) that count.
var tracingLibs = []string{"opentelemetry", "go.opentelemetry.io", "jaeger", "zipkin", "opentracing", "dd-trace", "ddtrace", "tracing-opentelemetry", "sentry"}

// Run is the probe.
var Run = probe.DepProbe("tracing", tracingLibs)
