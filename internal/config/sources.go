package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/ospo-project/ospo/internal/lazyre"
	"go.yaml.in/yaml/v3"
)

// Source is one service the catalogue is fed from, under `sources:` in
// ospo.yaml. It names where a secret is, never the secret itself: a token
// comes from the environment variable TokenEnv or the file TokenFile, read
// when the source syncs.
type Source struct {
	// Name identifies the source in commands and on the hub; letters,
	// digits, '-', '_' and '.'.
	Name string `yaml:"name" json:"name"`
	// Kind is github, gitlab, jira, jenkins, artifactory or backstage.
	Kind string `yaml:"kind" json:"kind"`
	// Org is the GitHub organisation whose repositories are read (github).
	Org string `yaml:"org,omitempty" json:"org,omitempty"`
	// Group is the GitLab group (ID or full path) whose projects, its
	// subgroups' included, are read (gitlab).
	Group string `yaml:"group,omitempty" json:"group,omitempty"`
	// APIURL is the API's base URL: https://api.github.com/ by default,
	// https://HOST/api/v3/ for GitHub Enterprise Server (github);
	// https://gitlab.com/api/v4/ by default, https://HOST/api/v4/ for a
	// self-managed GitLab (gitlab).
	APIURL string `yaml:"api_url,omitempty" json:"api_url,omitempty"`
	// URL is the base URL of a Backstage instance (backstage), of a JIRA
	// site (jira), of a Jenkins controller (jenkins) or of Artifactory,
	// e.g. https://acme.jfrog.io/artifactory (artifactory).
	URL string `yaml:"url,omitempty" json:"url,omitempty"`
	// User is the e-mail address a JIRA Cloud API token belongs to (jira;
	// without it the token is sent as a bearer token, as Server and Data
	// Center expect), or the Jenkins user the API token belongs to
	// (jenkins), or the Artifactory user of an API key (artifactory;
	// without it the token is sent as a bearer access token).
	User string `yaml:"user,omitempty" json:"user,omitempty"`
	// Flavor is cloud or server (jira); empty guesses from the URL.
	Flavor string `yaml:"flavor,omitempty" json:"flavor,omitempty"`
	// Projects maps each JIRA project key to read to the catalogue
	// projects (their keys, e.g. github.com/acme/pay) its issues belong
	// to (jira).
	Projects map[string][]string `yaml:"projects,omitempty" json:"projects,omitempty"`
	// Jobs maps Jenkins job full names (folder/name) to the catalogue
	// project each builds, for jobs whose builds do not name their git
	// remote (jenkins).
	Jobs map[string]string `yaml:"jobs,omitempty" json:"jobs,omitempty"`
	// Repos restricts an Artifactory source to these repository keys;
	// empty reads every local and remote repository (artifactory).
	Repos []string `yaml:"repos,omitempty" json:"repos,omitempty"`
	// Builds maps Artifactory build names to the catalogue project each
	// builds, for build-info documents that record no VCS URL
	// (artifactory).
	Builds map[string]string `yaml:"builds,omitempty" json:"builds,omitempty"`
	// TokenEnv names the environment variable holding the token.
	TokenEnv string `yaml:"token_env,omitempty" json:"token_env,omitempty"`
	// TokenFile names a file holding the token (surrounding white space
	// is ignored).
	TokenFile string `yaml:"token_file,omitempty" json:"token_file,omitempty"`
	// AppID and InstallationID authenticate as a GitHub App installation
	// (github) instead of with a token; the App's private key (PEM) is in
	// the environment variable PrivateKeyEnv or the file PrivateKeyFile.
	AppID          int64  `yaml:"app_id,omitempty" json:"app_id,omitempty"`
	InstallationID int64  `yaml:"installation_id,omitempty" json:"installation_id,omitempty"`
	PrivateKeyEnv  string `yaml:"private_key_env,omitempty" json:"private_key_env,omitempty"`
	PrivateKeyFile string `yaml:"private_key_file,omitempty" json:"private_key_file,omitempty"`
	// WebhookSecretEnv and WebhookSecretFile name where the secret of the
	// source's webhook is (github, gitlab): with one set, the hub answers
	// POST /hooks/github for deliveries signed with it, or POST
	// /hooks/gitlab for deliveries whose X-Gitlab-Token is it.
	WebhookSecretEnv  string `yaml:"webhook_secret_env,omitempty" json:"webhook_secret_env,omitempty"`
	WebhookSecretFile string `yaml:"webhook_secret_file,omitempty" json:"webhook_secret_file,omitempty"`
	// Interval is how often `ospo sync` syncs the source; empty means 1h.
	Interval Duration `yaml:"interval,omitempty" json:"interval,omitempty"`
	// NoMirror turns off cloning and scanning the repositories the source
	// lists (github, gitlab): only what the API says is recorded.
	NoMirror bool `yaml:"no_mirror,omitempty" json:"no_mirror,omitempty"`
}

// Source kinds accepted in ospo.yaml.
const (
	KindGitHub      = "github"
	KindGitLab      = "gitlab"
	KindJIRA        = "jira"
	KindJenkins     = "jenkins"
	KindArtifactory = "artifactory"
	KindBackstage   = "backstage"
)

// DefaultSyncInterval is how often a source is due when Interval is empty.
const DefaultSyncInterval = time.Hour

var sourceName = lazyre.New(`^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$`)

// Validate reports what is wrong with the source's settings.
func (s Source) Validate() error {
	if !sourceName.MatchString(s.Name) {
		return fmt.Errorf("source name %q: use 1 to 63 letters, digits, '.', '-' or '_'", s.Name)
	}
	switch s.Kind {
	case KindGitHub:
		if s.Org == "" {
			return fmt.Errorf("source %s: a github source needs org", s.Name)
		}
		if s.APIURL != "" {
			if err := checkURL(s.APIURL); err != nil {
				return fmt.Errorf("source %s: api_url: %w", s.Name, err)
			}
		}
	case KindGitLab:
		if s.Group == "" {
			return fmt.Errorf("source %s: a gitlab source needs group", s.Name)
		}
		if s.APIURL != "" {
			if err := checkURL(s.APIURL); err != nil {
				return fmt.Errorf("source %s: api_url: %w", s.Name, err)
			}
		}
	case KindJIRA:
		// Without projects, it reads those repositories name in their
		// catalog-info's jira/project-key annotation.
		if s.URL == "" {
			return fmt.Errorf("source %s: a jira source needs url", s.Name)
		}
		if err := checkURL(s.URL); err != nil {
			return fmt.Errorf("source %s: url: %w", s.Name, err)
		}
		if s.Flavor != "" && s.Flavor != "cloud" && s.Flavor != "server" {
			return fmt.Errorf("source %s: flavor %q: want cloud or server", s.Name, s.Flavor)
		}
	case KindJenkins:
		if s.URL == "" {
			return fmt.Errorf("source %s: a jenkins source needs url", s.Name)
		}
		if err := checkURL(s.URL); err != nil {
			return fmt.Errorf("source %s: url: %w", s.Name, err)
		}
	case KindArtifactory:
		if s.URL == "" {
			return fmt.Errorf("source %s: an artifactory source needs url", s.Name)
		}
		if err := checkURL(s.URL); err != nil {
			return fmt.Errorf("source %s: url: %w", s.Name, err)
		}
	case KindBackstage:
		if s.URL == "" {
			return fmt.Errorf("source %s: a backstage source needs url", s.Name)
		}
		if err := checkURL(s.URL); err != nil {
			return fmt.Errorf("source %s: url: %w", s.Name, err)
		}
	default:
		return fmt.Errorf("source %s: unknown kind %q (want github, gitlab, jira, jenkins, artifactory or backstage)", s.Name, s.Kind)
	}
	if s.TokenEnv != "" && s.TokenFile != "" {
		return fmt.Errorf("source %s: set token_env or token_file, not both", s.Name)
	}
	if app := s.AppID != 0 || s.InstallationID != 0 || s.PrivateKeyEnv != "" || s.PrivateKeyFile != ""; app {
		switch {
		case s.Kind != KindGitHub:
			return fmt.Errorf("source %s: GitHub App authentication is for github sources", s.Name)
		case s.AppID <= 0 || s.InstallationID <= 0:
			return fmt.Errorf("source %s: a GitHub App needs app_id and installation_id", s.Name)
		case (s.PrivateKeyEnv == "") == (s.PrivateKeyFile == ""):
			return fmt.Errorf("source %s: a GitHub App needs private_key_env or private_key_file (one)", s.Name)
		case s.TokenEnv != "" || s.TokenFile != "":
			return fmt.Errorf("source %s: use a token or a GitHub App, not both", s.Name)
		}
	}
	if s.WebhookSecretEnv != "" && s.WebhookSecretFile != "" {
		return fmt.Errorf("source %s: set webhook_secret_env or webhook_secret_file, not both", s.Name)
	}
	if (s.WebhookSecretEnv != "" || s.WebhookSecretFile != "") && s.Kind != KindGitHub && s.Kind != KindGitLab {
		return fmt.Errorf("source %s: webhooks are for github and gitlab sources", s.Name)
	}
	if s.Interval < 0 {
		return fmt.Errorf("source %s: negative interval", s.Name)
	}
	return nil
}

// checkURL accepts absolute http and https URLs without credentials: a
// password in a URL would end up in the configuration file.
func checkURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return err
	}
	if (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return fmt.Errorf("%q is not an http(s) URL", raw)
	}
	if u.User != nil {
		return errors.New("credentials in the URL; use token_env or token_file")
	}
	return nil
}

// EveryInterval returns Interval, or DefaultSyncInterval when it is unset.
func (s Source) EveryInterval() time.Duration {
	if s.Interval == 0 {
		return DefaultSyncInterval
	}
	return time.Duration(s.Interval)
}

// Token returns the source's secret from the environment variable or file
// the configuration names, or "" when it names neither. An unset variable
// or an unreadable or empty file is an error that does not contain the
// secret.
func (s Source) Token() (string, error) {
	return secret(s.Name, "token", s.TokenEnv, s.TokenFile)
}

// PrivateKey returns the GitHub App's private key (PEM) from the
// environment variable or file the configuration names, or "" when it names
// neither.
func (s Source) PrivateKey() (string, error) {
	return secret(s.Name, "private key", s.PrivateKeyEnv, s.PrivateKeyFile)
}

// WebhookSecret returns the secret of the source's webhook from the
// environment variable or file the configuration names, or "" when it
// names neither; errors as Token's.
func (s Source) WebhookSecret() (string, error) {
	return secret(s.Name, "webhook secret", s.WebhookSecretEnv, s.WebhookSecretFile)
}

// secret reads a secret from the variable env or the file, whichever is set.
func secret(source, what, env, file string) (string, error) {
	switch {
	case env != "":
		v, ok := os.LookupEnv(env)
		if !ok || strings.TrimSpace(v) == "" {
			return "", fmt.Errorf("source %s: environment variable %s is not set", source, env)
		}
		return strings.TrimSpace(v), nil
	case file != "":
		f, err := os.Open(file)
		if err != nil {
			return "", fmt.Errorf("source %s: %s file: %w", source, what, err)
		}
		defer f.Close()
		b, err := io.ReadAll(io.LimitReader(f, 64<<10))
		if err != nil {
			return "", fmt.Errorf("source %s: read %s file %s: %w", source, what, file, err)
		}
		if t := strings.TrimSpace(string(b)); t != "" {
			return t, nil
		}
		return "", fmt.Errorf("source %s: %s file %s is empty", source, what, file)
	}
	return "", nil
}

// FindSource returns the source named name. Returns false if there is none.
func (c Config) FindSource(name string) (Source, bool) {
	for _, s := range c.Sources {
		if s.Name == name {
			return s, true
		}
	}
	return Source{}, false
}

// validateSources checks every source and that names are unique.
func (c Config) validateSources() error {
	seen := map[string]bool{}
	for _, s := range c.Sources {
		if err := s.Validate(); err != nil {
			return err
		}
		if seen[s.Name] {
			return fmt.Errorf("two sources are named %s", s.Name)
		}
		seen[s.Name] = true
	}
	return nil
}

// AddSource adds src to the configuration file at path (created if it does
// not exist), keeping the rest of the file, its comments included. It
// fails if src is not valid or a source of that name exists.
func AddSource(path string, src Source) error {
	if err := src.Validate(); err != nil {
		return err
	}
	return editSources(path, func(seq *yaml.Node) error {
		for _, n := range seq.Content {
			if sourceNodeName(n) == src.Name {
				return fmt.Errorf("a source named %s exists", src.Name)
			}
		}
		var n yaml.Node
		if err := n.Encode(src); err != nil {
			return err
		}
		seq.Content = append(seq.Content, &n)
		return nil
	})
}

// RemoveSource removes the source named name from the configuration file
// at path, keeping the rest. It fails if there is no such source.
func RemoveSource(path, name string) error {
	return editSources(path, func(seq *yaml.Node) error {
		for i, n := range seq.Content {
			if sourceNodeName(n) == name {
				seq.Content = append(seq.Content[:i], seq.Content[i+1:]...)
				return nil
			}
		}
		return fmt.Errorf("no source named %s in %s", name, path)
	})
}

func sourceNodeName(n *yaml.Node) string {
	if n.Kind != yaml.MappingNode {
		return ""
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == "name" {
			return n.Content[i+1].Value
		}
	}
	return ""
}

// editSources rewrites the sources sequence of the file at path with edit,
// then checks that the result still loads before replacing the file
// (through a temporary file and a rename, so a crash leaves one or the
// other).
func editSources(path string, edit func(seq *yaml.Node) error) error {
	data, err := os.ReadFile(path)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("read config: %w", err)
	}
	if len(data) > MaxSize {
		return fmt.Errorf("config %s: larger than %d bytes", path, MaxSize)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return fmt.Errorf("config %s: %w", path, err)
	}
	if doc.Kind == 0 {
		doc = yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{{Kind: yaml.MappingNode}}}
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		return fmt.Errorf("config %s: the top level is not a mapping", path)
	}
	var seq *yaml.Node
	for i := 0; i+1 < len(root.Content); i += 2 {
		if root.Content[i].Value == "sources" {
			seq = root.Content[i+1]
		}
	}
	if seq == nil {
		seq = &yaml.Node{Kind: yaml.SequenceNode}
		root.Content = append(root.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: "sources"}, seq)
	}
	if seq.Kind != yaml.SequenceNode {
		return fmt.Errorf("config %s: sources is not a list", path)
	}
	if err := edit(seq); err != nil {
		return err
	}
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(&doc); err != nil {
		return fmt.Errorf("config %s: %w", path, err)
	}
	if _, err := parse(path, buf.Bytes()); err != nil {
		return err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, buf.Bytes(), 0o644); err != nil {
		return fmt.Errorf("write config: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("write config: %w", err)
	}
	return nil
}

// MarshalYAML implements yaml.Marshaler: a Duration is written as "30m0s".
func (d Duration) MarshalYAML() (any, error) {
	return time.Duration(d).String(), nil
}
