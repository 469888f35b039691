package config

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/ospo-project/ospo/internal/catalog"
)

// Limits on numeric settings. A scan starts one goroutine and up to two git
// processes per worker; beyond MaxWorkers the machine runs out of memory or
// process slots long before it scans faster.
const (
	MaxWorkers = 256
	// MaxTimeout bounds scan.timeout: a day per repository is already a
	// repository that will never finish.
	MaxTimeout = 24 * time.Hour
)

// Validate checks every numeric setting: counts and durations are not
// negative and are within their limits, scores are finite numbers from 0 to
// 10, weights are finite and not negative. It names each bad setting as it is
// written in ospo.yaml. Load calls it.
func (c Config) Validate() error {
	var errs []error
	add := func(err error) {
		if err != nil {
			errs = append(errs, err)
		}
	}
	add(CheckWorkers("scan.workers", c.Scan.Workers))
	add(CheckTimeout("scan.timeout", time.Duration(c.Scan.Timeout)))
	add(CheckScore("scorecard.min_score", c.Scorecard.MinScore))
	add(c.Governance.validate())
	for name, sc := range c.Scorecard.Checks {
		add(checkScoreCheck("scorecard.checks."+name, sc))
	}
	for i, cc := range c.Scorecard.Custom {
		add(checkScoreCheck(fmt.Sprintf("scorecard.custom[%d]", i), cc.ScoreCheck))
	}
	add(c.Scorecard.Maintenance.validate())
	add(c.Health.Digest.validate())
	for i, h := range c.Hub.AllowedHosts {
		if h == "" || strings.ContainsAny(h, "/ \t\r\n@") {
			add(fmt.Errorf("hub.allowed_hosts[%d]: %q is not a host name", i, h))
		}
	}
	add(checkCount("hub.max_connections", c.Hub.MaxConnections, 1<<20))
	add(checkCount("hub.max_connections_per_client", c.Hub.MaxConnectionsPerClient, 1<<20))
	add(c.validateSources())
	add(c.validateProxy())
	return errors.Join(errs...)
}

// CheckWorkers checks a number of scan workers named name (a setting or a
// flag): 0 (one per CPU) up to MaxWorkers.
func CheckWorkers(name string, n int) error {
	return checkCount(name, n, MaxWorkers)
}

func checkCount(name string, n, max int) error {
	switch {
	case n < 0:
		return fmt.Errorf("%s: %d is negative", name, n)
	case n > max:
		return fmt.Errorf("%s: %d is more than the most allowed, %d", name, n, max)
	}
	return nil
}

// CheckTimeout checks a per-repository time limit named name: 0 (the
// default) up to MaxTimeout.
func CheckTimeout(name string, d time.Duration) error {
	switch {
	case d < 0:
		return fmt.Errorf("%s: %s is negative", name, d)
	case d > MaxTimeout:
		return fmt.Errorf("%s: %s is more than the most allowed, %s", name, d, MaxTimeout)
	}
	return nil
}

// CheckScore checks a score threshold named name: a finite number from 0 to
// 10. NaN is refused explicitly: every comparison with it is false, so it
// would silently turn a gate off.
func CheckScore(name string, v float64) error {
	if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 || v > 10 {
		return fmt.Errorf("%s: %v is not a score from 0 to 10", name, v)
	}
	return nil
}

func checkScoreCheck(name string, sc ScoreCheck) error {
	var errs []error
	if w := sc.Weight; w != nil && (math.IsNaN(*w) || math.IsInf(*w, 0) || *w < 0 || *w > 1000) {
		errs = append(errs, fmt.Errorf("%s.weight: %v is not a weight from 0 to 1000", name, *w))
	}
	if sc.Min < 0 || sc.Min > 10 {
		errs = append(errs, fmt.Errorf("%s.min: %d is not a score from 0 to 10", name, sc.Min))
	}
	return errors.Join(errs...)
}

// validate checks the Maintenance check's rules: windows of 0 (default) to
// 520 weeks, non-negative targets, a share from 0 to 1, known kinds.
func (m Maintenance) validate() error {
	const name = "scorecard.maintenance."
	var errs []error
	add := func(err error) {
		if err != nil {
			errs = append(errs, err)
		}
	}
	add(checkCount(name+"weeks", m.Weeks, 520))
	add(checkCount(name+"inactive_weeks", m.InactiveWeeks, 520))
	add(checkCount(name+"contributors", m.Contributors, 1000))
	add(checkCount(name+"absence_factor", m.AbsenceFactor, 1000))
	add(checkCount(name+"elephant_factor", m.ElephantFactor, 1000))
	if v := m.CommitsPerWeek; math.IsNaN(v) || math.IsInf(v, 0) || v < 0 || v > 10000 {
		add(fmt.Errorf("%scommits_per_week: %v is not a number of commits from 0 to 10000", name, v))
	}
	if v := m.MaxInactiveShare; math.IsNaN(v) || v < 0 || v > 1 {
		add(fmt.Errorf("%smax_inactive_share: %v is not a share from 0 to 1", name, v))
	}
	for i, k := range m.ElephantKinds {
		switch k {
		case catalog.KindInternal, catalog.KindInnerSource, catalog.KindOpenSource:
		default:
			add(fmt.Errorf("%selephant_kinds[%d]: %q is not internal, innersource or opensource", name, i, k))
		}
	}
	return errors.Join(errs...)
}

// validate checks the digest's teams: each has a channel, a webhook is
// given one way, the format is known and the e-mail is an address.
func (d Digest) validate() error {
	var errs []error
	for team, t := range d.Teams {
		name := "health.digest.teams." + team
		switch {
		case strings.TrimPrefix(strings.TrimSpace(team), "@") == "":
			errs = append(errs, fmt.Errorf("%s: a team needs a name", name))
		case t.Webhook != "" && t.WebhookEnv != "":
			errs = append(errs, fmt.Errorf("%s: webhook or webhook_env, not both", name))
		case t.Webhook == "" && t.WebhookEnv == "" && t.Email == "":
			errs = append(errs, fmt.Errorf("%s: needs an email, a webhook or a webhook_env", name))
		}
		if t.Email != "" && (!strings.Contains(t.Email, "@") || strings.ContainsAny(t.Email, " \t\r\n<>,")) {
			errs = append(errs, fmt.Errorf("%s.email: %q is not an e-mail address", name, t.Email))
		}
		if t.Webhook != "" && !strings.HasPrefix(t.Webhook, "https://") && !strings.HasPrefix(t.Webhook, "http://") {
			errs = append(errs, fmt.Errorf("%s.webhook: not an http(s) URL", name))
		}
		switch t.Format {
		case "", "json", "slack", "teams":
		default:
			errs = append(errs, fmt.Errorf("%s.format: %q is not json, slack or teams", name, t.Format))
		}
	}
	return errors.Join(errs...)
}
