// Package haslogging is the hasLogging probe of the Observability check; see
// docs/scorecards.md for its rule and rationale.
package haslogging

import (
	"github.com/ospo-project/ospo/internal/scorecard/probe"
)

// Def is the probe's definition: its id, check, weight within the check and
// remediation text.
var Def = probe.Def{
	ID:          "hasLogging",
	Check:       probe.CheckObservability,
	Weight:      1,
	Remediation: "Use a structured logging library (slog, zap, zerolog, logback/log4j2 with JSON, structlog, pino, winston).",
}

// loggingLibs are dependency names (lower-case substrings) that count.
var loggingLibs = []string{"go.uber.org/zap", "github.com/rs/zerolog", "github.com/sirupsen/logrus", "log/slog", "golang.org/x/exp/slog", "github.com/go-logr/logr",
	"logback", "log4j-core", "slf4j", "structlog", "loguru", "python-json-logger", "pino", "winston", "bunyan", "tracing-subscriber", "slog", "serilog", "nlog", "lograge", "semantic_logger"}

// Run is the probe.
var Run = probe.DepProbe("structured logging", loggingLibs)
