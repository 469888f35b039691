// Package hasmetrics is the hasMetrics probe of the Observability check; see
// docs/scorecards.md for its rule and rationale.
package hasmetrics

import (
	"github.com/ospo-project/ospo/internal/scorecard/probe"
)

// Def is the probe's definition: its id, check, weight within the check and
// remediation text.
var Def = probe.Def{
	ID:          "hasMetrics",
	Check:       probe.CheckObservability,
	Weight:      1,
	Remediation: "Expose metrics with a Prometheus client, Micrometer or OpenTelemetry metrics.",
}

// metricsLibs are dependency names (lower-case substrings) that count.
var metricsLibs = []string{"prometheus", "micrometer", "opentelemetry", "go.opentelemetry.io/otel/metric", "statsd", "dropwizard", "prom-client", "metrics-rs", "metrics-exporter", "telemetry_metrics"}

// Run is the probe.
var Run = probe.DepProbe("metrics", metricsLibs)
