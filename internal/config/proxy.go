package config

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
)

// Proxy configures the git push proxy (the proxy section of ospo.yaml):
// which upstreams developers may push to and the checks every push passes.
type Proxy struct {
	// Listen is the address `ospo proxy` serves on; empty means
	// 127.0.0.1:7475.
	Listen string `yaml:"listen" json:"listen,omitempty"`
	// MirrorDir holds one bare mirror per upstream; empty means
	// ospo/proxy-mirrors under the user's cache directory.
	MirrorDir string `yaml:"mirror_dir" json:"mirror_dir,omitempty"`
	// HubURL is the hub's public URL, for links to held pushes.
	HubURL string `yaml:"hub_url" json:"hub_url,omitempty"`
	// Upstreams are the URL prefixes pushes may go to.
	Upstreams []ProxyUpstream `yaml:"upstreams" json:"upstreams,omitempty"`
	// EmailDomains, when set, are the only domains author and committer
	// e-mails may have.
	EmailDomains []string `yaml:"email_domains" json:"email_domains,omitempty"`
	// BlockedLocalParts are e-mail local parts refused (root, admin, build).
	BlockedLocalParts []string `yaml:"blocked_local_parts" json:"blocked_local_parts,omitempty"`
	// OwnIdentity requires every committer e-mail to be the pusher's.
	OwnIdentity bool `yaml:"own_identity" json:"own_identity,omitempty"`
	// MessagePatterns are regular expressions commit messages must not
	// match (ticket keys, internal project names).
	MessagePatterns []string `yaml:"message_patterns" json:"message_patterns,omitempty"`
	// SecretRules is a gitleaks configuration file (TOML) whose rules are
	// added to gitleaks' default rules.
	SecretRules string `yaml:"secret_rules" json:"secret_rules,omitempty"`
	// InternalHosts, InternalEmailDomains and BlockedLiterals must not
	// appear in any line a commit adds.
	InternalHosts        []string `yaml:"internal_hosts" json:"internal_hosts,omitempty"`
	InternalEmailDomains []string `yaml:"internal_email_domains" json:"internal_email_domains,omitempty"`
	BlockedLiterals      []string `yaml:"blocked_literals" json:"blocked_literals,omitempty"`
	// MaxPackSize and MaxFileSize are in bytes; 0 means 100 MiB and 5 MiB.
	MaxPackSize int64 `yaml:"max_pack_size" json:"max_pack_size,omitempty"`
	MaxFileSize int64 `yaml:"max_file_size" json:"max_file_size,omitempty"`
	// AllowBinaries lets commits add binary files.
	AllowBinaries bool `yaml:"allow_binaries" json:"allow_binaries,omitempty"`
	// LicenceMarkers mark a proprietary licence header in a file a commit
	// adds ("Confidential", "Proprietary", "All rights reserved", the firm's
	// copyright line), matched ignoring case in the file's first
	// LicenceHeaderLines lines (0 means 40). Unset means those three
	// markers; an empty list turns the check off.
	LicenceMarkers     []string `yaml:"licence_markers" json:"licence_markers,omitempty"`
	LicenceHeaderLines int      `yaml:"licence_header_lines" json:"licence_header_lines,omitempty"`
	// LicenceReject rejects a push with a licence finding; by default it
	// is held for a reviewer.
	LicenceReject bool `yaml:"licence_reject" json:"licence_reject,omitempty"`
	// PreReceiveHook is a program run on every push: exit 0 accepts, 1
	// rejects, 2 holds the push for review.
	PreReceiveHook string `yaml:"pre_receive_hook" json:"pre_receive_hook,omitempty"`
	// Attestations are statements a reviewer must tick to approve a push.
	Attestations []string `yaml:"attestations" json:"attestations,omitempty"`
	// HoldFor is how long a push may wait for a review before it expires
	// and is discarded (ospo push expire, the worker's periodic job, or
	// ospo proxy itself); unset means 14 days.
	HoldFor Duration `yaml:"hold_for" json:"hold_for,omitempty"`
}

// ProxyUpstream is a URL prefix pushes may go to.
type ProxyUpstream struct {
	// URL is "https://github.com/acme/" (every repository of acme) or one
	// repository's URL; http only for closed networks and tests.
	URL string `yaml:"url" json:"url"`
	// Review holds every push to it for a second person's approval.
	Review bool `yaml:"review" json:"review,omitempty"`
	// TokenEnv names the environment variable holding the token the proxy
	// pushes to the upstream with (never the token itself).
	TokenEnv string `yaml:"token_env" json:"token_env,omitempty"`
}

// validateProxy checks the proxy section, naming each bad setting.
func (c Config) validateProxy() error {
	var errs []string
	for i, u := range c.Proxy.Upstreams {
		pu, err := url.Parse(u.URL)
		if err != nil || (pu.Scheme != "https" && pu.Scheme != "http") || pu.Host == "" || pu.User != nil {
			errs = append(errs, fmt.Sprintf("proxy.upstreams[%d].url: %q is not an http(s) URL without credentials", i, u.URL))
		}
	}
	for i, p := range c.Proxy.MessagePatterns {
		if _, err := regexp.Compile(p); err != nil {
			errs = append(errs, fmt.Sprintf("proxy.message_patterns[%d]: %v", i, err))
		}
	}
	for i, m := range c.Proxy.LicenceMarkers {
		if strings.TrimSpace(m) == "" {
			errs = append(errs, fmt.Sprintf("proxy.licence_markers[%d] is empty (it would match every file)", i))
		}
	}
	if c.Proxy.LicenceHeaderLines < 0 {
		errs = append(errs, "proxy.licence_header_lines must not be negative")
	}
	if c.Proxy.MaxPackSize < 0 || c.Proxy.MaxFileSize < 0 {
		errs = append(errs, "proxy.max_pack_size and proxy.max_file_size must not be negative")
	}
	if len(errs) > 0 {
		return fmt.Errorf("%s", strings.Join(errs, "; "))
	}
	return nil
}
