package config

import (
	"fmt"
	"strings"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/governance"
)

// Governance configures requests, their checklists and notifications
// (docs/governance.md):
//
//	governance:
//	  kinds:
//	    open-source:
//	      approvals: 2
//	      roles: [ospo]
//	      teams: [legal]
//	      attestations: ["I read the business case"]
//	      questions: [{id: telemetry, title: "Does it send telemetry?"}]
//	      admin_bypass: false
//	      fast_path: {licenses: [MIT, Apache-2.0], no_cryptography: true, answers: {telemetry: "no"}}
//	  checks: {vuln_severity: HIGH, min_score: 5, headers_required: false}
//	  registries: {online: true, npm: https://registry.npmjs.org}
//	  schedule: {every: 1h, remind_every: 168h}
//	  secrets:
//	    rules_file: gitleaks-firm.toml
//	    internal_hosts: [corp.example.com]
//	    email_domains: [corp.example.com]
//	    blocked_literals: [project-bluebird]
//	  notify:
//	    base_url: https://ospo.example.com
//	    smtp: {addr: "smtp.example.com:587", from: "OSPO <ospo@example.com>", username: ospo, password_env: OSPO_SMTP_PASSWORD}
//	    webhook_secret_env: OSPO_WEBHOOK_SECRET
type Governance struct {
	Kinds  map[governance.Kind]governance.Policy `yaml:"kinds" json:"kinds,omitempty"`
	Checks struct {
		VulnSeverity string  `yaml:"vuln_severity" json:"vuln_severity,omitempty"`
		MinScore     float64 `yaml:"min_score" json:"min_score,omitempty"`
		// HeadersRequired fails the licence-headers item when a source
		// file has no licence notice (by default a warning).
		HeadersRequired bool `yaml:"headers_required" json:"headers_required,omitempty"`
	} `yaml:"checks" json:"checks"`
	Registries Registries `yaml:"registries" json:"registries"`
	// Schedule times the workflow's periodic work (`ospo govern tick`).
	Schedule struct {
		// Every is how often `ospo worker` queues it on PostgreSQL
		// (default 1h); on SQLite run `ospo govern tick` from cron.
		Every Duration `yaml:"every" json:"every,omitempty"`
		// RemindEvery is how often owners are reminded of one alert of
		// an estate project (default 168h, a week).
		RemindEvery Duration `yaml:"remind_every" json:"remind_every,omitempty"`
		// StuckAfter is how long an open-source request may stay with its
		// automatic items evaluating (its evaluation lost with the process
		// running it) before the tick takes it up again (default 30m).
		StuckAfter Duration `yaml:"stuck_after" json:"stuck_after,omitempty"`
	} `yaml:"schedule" json:"schedule"`
	Secrets SecretsScan `yaml:"secrets" json:"secrets"`
	Notify  Notify      `yaml:"notify" json:"notify"`
}

// SecretsScan configures the secrets and internal-references checklist
// items: gitleaks' default rules plus the firm's own.
type SecretsScan struct {
	// RulesFile is a gitleaks TOML file of the firm's rules, relative to
	// the working directory.
	RulesFile       string   `yaml:"rules_file" json:"rules_file,omitempty"`
	InternalHosts   []string `yaml:"internal_hosts" json:"internal_hosts,omitempty"`
	EmailDomains    []string `yaml:"email_domains" json:"email_domains,omitempty"`
	BlockedLiterals []string `yaml:"blocked_literals" json:"blocked_literals,omitempty"`
}

// Registries configures the registry-names checklist item: whether the
// project's package names are free on the public registries. Without
// Online nothing is asked and the item is "not checked". Each base URL
// defaults to the public registry's (npm https://registry.npmjs.org, PyPI
// https://pypi.org, crates.io https://crates.io, Maven Central
// https://repo1.maven.org/maven2, Go https://proxy.golang.org); "off"
// leaves that ecosystem not checked (a registry the firm cannot reach).
type Registries struct {
	Online  bool   `yaml:"online" json:"online,omitempty"`
	NPM     string `yaml:"npm" json:"npm,omitempty"`
	PyPI    string `yaml:"pypi" json:"pypi,omitempty"`
	Crates  string `yaml:"crates" json:"crates,omitempty"`
	Maven   string `yaml:"maven" json:"maven,omitempty"`
	GoProxy string `yaml:"go_proxy" json:"go_proxy,omitempty"`
}

// Notify configures how people are told (internal/notify).
type Notify struct {
	// BaseURL is the hub's public address, for links in messages.
	BaseURL string `yaml:"base_url" json:"base_url,omitempty"`
	SMTP    struct {
		Addr     string `yaml:"addr" json:"addr,omitempty"`
		From     string `yaml:"from" json:"from,omitempty"`
		Username string `yaml:"username" json:"username,omitempty"`
		// PasswordEnv names the environment variable holding the password
		// (never the password itself in the file).
		PasswordEnv string `yaml:"password_env" json:"password_env,omitempty"`
		// Insecure allows a relay without STARTTLS (never with a password).
		Insecure bool `yaml:"insecure" json:"insecure,omitempty"`
	} `yaml:"smtp" json:"smtp"`
	// WebhookSecretEnv names the environment variable holding the key
	// outgoing webhooks are signed with.
	WebhookSecretEnv string `yaml:"webhook_secret_env" json:"webhook_secret_env,omitempty"`
}

// Policies returns the request policies.
func (g Governance) Policies() governance.Policies { return governance.Policies(g.Kinds) }

func (g Governance) validate() error {
	for k, p := range g.Kinds {
		name := "governance.kinds." + string(k)
		if !k.Valid() {
			return fmt.Errorf("%s: unknown kind (open-source, contribute, exception, lifecycle)", name)
		}
		if p.Approvals < 0 || p.Approvals > 10 {
			return fmt.Errorf("%s.approvals: %d is not from 1 to 10", name, p.Approvals)
		}
		for _, r := range p.Roles {
			if !r.Valid() || r == catalog.RoleViewer {
				return fmt.Errorf("%s.roles: %q cannot review", name, r)
			}
		}
		for _, q := range p.Questions {
			if q.ID == "" || q.Title == "" {
				return fmt.Errorf("%s.questions: each question needs an id and a title", name)
			}
		}
	}
	if s := g.Checks.VulnSeverity; s != "" && catalog.SeverityRank(strings.ToUpper(s)) == 0 {
		return fmt.Errorf("governance.checks.vuln_severity: %q is not CRITICAL, HIGH, MEDIUM or LOW", s)
	}
	if err := CheckScore("governance.checks.min_score", g.Checks.MinScore); err != nil {
		return err
	}
	if g.Notify.SMTP.Addr != "" && g.Notify.SMTP.From == "" {
		return fmt.Errorf("governance.notify.smtp.from: needed with smtp.addr")
	}
	return nil
}
