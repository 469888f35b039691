// Package nosecretlikefiles is the noSecretLikeFiles probe of the Security check; see
// docs/scorecards.md for its rule and rationale.
package nosecretlikefiles

import (
	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/scorecard/probe"
)

// Def is the probe's definition: its id, check, weight within the check and
// remediation text.
var Def = probe.Def{
	ID:          "noSecretLikeFiles",
	Check:       probe.CheckSecurity,
	Weight:      2,
	Remediation: "Remove committed keys and .env files from the repository and its history, rotate the secrets, and add them to .gitignore.",
}

// Run is the probe.
var Run = probe.NoFiles(catalog.FileSecretLike, "secret-like file")
