// Package config loads ospo.yaml. The file is read once, into a Config value
// that the command line passes down; nothing reads configuration globally.
package config

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"reflect"
	"time"

	"go.yaml.in/yaml/v3"
)

// Config is the whole of ospo.yaml. The zero value is the default configuration.
type Config struct {
	Scan Scan `yaml:"scan" json:"scan"`
	Hub  Hub  `yaml:"hub" json:"hub"`
	// Vulns holds vulnerability ignore rules, see vulns.go.
	Vulns Vulns `yaml:"vulns" json:"vulns"`
	// Licensing is the licence policy, see license.go.
	Licensing Licensing `yaml:"licensing" json:"licensing"`
	// Scorecard tunes project scorecards, see scorecard.go.
	Scorecard Scorecard `yaml:"scorecard" json:"scorecard"`
	// Auth configures sign-in to the hub, see auth.go.
	Auth Auth `yaml:"auth" json:"auth"`
	// Sources are the services the catalogue is fed from, see sources.go.
	Sources []Source `yaml:"sources" json:"sources,omitempty"`
	// Governance configures requests and notifications, see governance.go.
	Governance Governance `yaml:"governance" json:"governance"`
	// Recommend tunes recommendations.
	Recommend Recommend `yaml:"recommend" json:"recommend"`
	// Proxy configures the git push proxy, see proxy.go.
	Proxy Proxy `yaml:"proxy" json:"proxy,omitzero"`
	// Badges configures the Open Badges credentials the OSPO issues.
	Badges Badges `yaml:"badges" json:"badges"`
	// Health tunes the community health metrics.
	Health Health `yaml:"health" json:"health"`
	// Events tunes the gamification's verified events.
	Events Events `yaml:"events" json:"events,omitzero"`
}

// Events tunes the gamification's verified events (docs/gamification.md).
type Events struct {
	// Logins maps a forge login (GitHub, GitLab) to the e-mail of the
	// person using it, for reviews and pull requests a forge source
	// brings; it wins over what Backstage users and GitHub no-reply
	// addresses tell.
	Logins map[string]string `yaml:"logins" json:"logins,omitempty"`
}

// Health tunes community health metrics (docs/health.md).
type Health struct {
	// Affiliations maps an e-mail address or an e-mail domain to an
	// organisation, for the elephant factor ("contractor@gmail.com: ACME",
	// "acme-corp.example: ACME"); other addresses count for their domain.
	Affiliations map[string]string `yaml:"affiliations" json:"affiliations,omitempty"`
	// Digest configures the weekly team digest (`ospo health digest`).
	Digest Digest `yaml:"digest" json:"digest,omitzero"`
}

// Digest configures the weekly team health digest: where each team's goes
// besides its members (who are told by their notification preferences),
// and how often `ospo worker` looks whether one is due. E-mail goes
// through governance.notify.smtp and webhooks are signed with
// governance.notify.webhook_secret_env, as every notification.
//
//	health:
//	  digest:
//	    every: 1h
//	    teams:
//	      payments:
//	        email: payments@acme.example
//	        webhook_env: OSPO_PAYMENTS_DIGEST_WEBHOOK   # the URL is a capability: kept in the environment
//	        format: slack
type Digest struct {
	// Every is how often `ospo worker` (PostgreSQL) runs the sending; each
	// team's digest still goes at most once a week. 0 means 1h.
	Every Duration `yaml:"every" json:"every,omitempty"`
	// Teams are the teams' own channels, by team name as memberships
	// spell it ("payments"; a leading "@" and case are ignored).
	Teams map[string]DigestTeam `yaml:"teams" json:"teams,omitempty"`
}

// DigestTeam is one team's digest channels.
type DigestTeam struct {
	// Email is the team's address (a list), sent to as well.
	Email string `yaml:"email" json:"email,omitempty"`
	// Webhook is the URL of the team's webhook, when it is no secret;
	// WebhookEnv names the environment variable holding it (a Slack or
	// Teams incoming-webhook URL is a capability). Not both.
	Webhook    string `yaml:"webhook" json:"webhook,omitempty"`
	WebhookEnv string `yaml:"webhook_env" json:"webhook_env,omitempty"`
	// Format is the webhook payload: json (default), slack or teams.
	Format string `yaml:"format" json:"format,omitempty"`
}

// Recommend tunes recommendations (docs/recommendations.md).
type Recommend struct {
	// Resources is a directory (for example a checkout of a repository)
	// whose Markdown-with-front-matter and YAML files describe training
	// and articles: title, url, technologies, level, kind, topics.
	Resources string `yaml:"resources" json:"resources,omitempty"`
}

// Scan tunes scanning.
type Scan struct {
	// Workers is the number of repositories scanned at once; 0 means one per CPU.
	Workers int `yaml:"workers" json:"workers,omitempty"`
	// Timeout bounds the scan of one repository, e.g. "10m"; empty means 30m.
	Timeout Duration `yaml:"timeout" json:"timeout,omitempty"`
	// Deep looks for repositories nested inside work trees, not only submodules.
	Deep bool `yaml:"deep" json:"deep,omitempty"`
	// Roots are directories `ospo worker` rescans every Every (on
	// PostgreSQL: the elected leader queues one rescan job per interval).
	Roots []string `yaml:"roots" json:"roots,omitempty"`
	// Every is the interval of the periodic rescan of Roots, e.g. "1h";
	// empty means no periodic rescan.
	Every Duration `yaml:"every" json:"every,omitempty"`
}

// Hub tunes the web hub.
type Hub struct {
	// Listen is the address to serve on; empty means 127.0.0.1:7474.
	Listen string `yaml:"listen" json:"listen,omitempty"`
	// AllowedHosts are host names (without port) the hub answers besides
	// the loopback ones when it listens on a loopback address, e.g. a name
	// in /etc/hosts. A hub on a loopback address answers no other Host
	// header, which defeats DNS rebinding; see docs/security.md.
	AllowedHosts []string `yaml:"allowed_hosts" json:"allowed_hosts,omitempty"`
	// MaxConnections caps the connections the hub holds open at once; 0
	// means 1024.
	MaxConnections int `yaml:"max_connections" json:"max_connections,omitempty"`
	// MaxConnectionsPerClient caps the connections one remote address holds
	// open at once; 0 means 64.
	MaxConnectionsPerClient int `yaml:"max_connections_per_client" json:"max_connections_per_client,omitempty"`
	// ShowPaths shows each checkout's absolute path on the server in the
	// hub and the API. Off by default: the path tells a reader about the
	// server's file system and user names, and says nothing about the
	// project that the origin URL does not.
	ShowPaths bool `yaml:"show_paths" json:"show_paths,omitempty"`
	// Resources is the path of a git repository of Markdown pages (policies,
	// how to contribute, FAQ, training) the hub serves under /resources, read
	// at its HEAD; empty serves none.
	Resources string `yaml:"resources" json:"resources,omitempty"`
}

// Duration is a time.Duration written as "90s" or "10m" in YAML.
type Duration time.Duration

// UnmarshalYAML implements yaml.Unmarshaler.
func (d *Duration) UnmarshalYAML(n *yaml.Node) error {
	v, err := time.ParseDuration(n.Value)
	if err != nil {
		return fmt.Errorf("line %d: %w", n.Line, err)
	}
	if v < 0 {
		return fmt.Errorf("line %d: duration %s is negative", n.Line, n.Value)
	}
	*d = Duration(v)
	return nil
}

// MaxSize is the largest configuration file read.
const MaxSize = 1 << 20

// Load reads the configuration at path. An empty path means "./ospo.yaml if
// it exists, else defaults". Unknown keys are errors, so typos are caught.
func Load(path string) (Config, error) {
	var c Config
	explicit := path != ""
	if !explicit {
		path = "ospo.yaml"
	}
	f, err := os.Open(path)
	if err != nil {
		if !explicit && errors.Is(err, os.ErrNotExist) {
			return c, nil
		}
		return c, fmt.Errorf("read config: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxSize+1))
	if err != nil {
		return c, fmt.Errorf("read config %s: %w", path, err)
	}
	if len(data) > MaxSize {
		return c, fmt.Errorf("config %s: larger than %d bytes", path, MaxSize)
	}
	return parse(path, data)
}

// parse decodes the configuration file at path, whose content is data.
func parse(path string, data []byte) (Config, error) {
	var c Config
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&c); err != nil && !errors.Is(err, io.EOF) {
		return c, fmt.Errorf("config %s: %w", path, err)
	}
	if err := c.Validate(); err != nil {
		return c, fmt.Errorf("config %s: %w", path, err)
	}
	return c, nil
}

// FactsHash identifies the settings that change what a scan records about a
// project. A project scanned under a different hash is scanned again.
// Workers, timeouts and discovery do not change facts; the licence policy
// and the scorecard settings do, because licence findings and scores are
// stored with each scan of the project. The default configuration keeps the
// hash of an empty scorecard section out, so adding the section's defaults
// did not rescan every catalogue. health.affiliations count too (the
// Maintenance check's elephant factor reads them), again only when set.
func (c Config) FactsHash() string {
	facts := struct {
		Licensing    any               `json:"licensing"`
		Scorecard    any               `json:"scorecard,omitempty"`
		Affiliations map[string]string `json:"affiliations,omitempty"`
	}{Licensing: c.Licensing, Affiliations: c.Health.Affiliations}
	if !reflect.ValueOf(c.Scorecard).IsZero() {
		facts.Scorecard = c.Scorecard
	}
	b, _ := json.Marshal(facts)
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:8])
}

// Badges configures Open Badges 3.0 credentials (docs/gamification.md).
type Badges struct {
	// IssuerKeyFile is the file holding the issuer's Ed25519 private key
	// (PKCS #8 PEM, as `ospo badges keygen` or `openssl genpkey -algorithm
	// ed25519` writes it). The key itself never goes in ospo.yaml, the
	// store or a log. Empty: no credential is issued.
	IssuerKeyFile string `yaml:"issuer_key_file" json:"issuer_key_file,omitempty"`
	// IssuerName and IssuerURL describe the issuer in credentials.
	IssuerName string `yaml:"issuer_name" json:"issuer_name,omitempty"`
	IssuerURL  string `yaml:"issuer_url" json:"issuer_url,omitempty"`
}
