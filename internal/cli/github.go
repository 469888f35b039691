package cli

import (
	"net/http"

	"github.com/ospo-project/ospo/internal/config"
	"github.com/ospo-project/ospo/internal/source/github"
	"github.com/ospo-project/ospo/internal/source/gitlab"
	"github.com/ospo-project/ospo/internal/sourcesync"
)

// newGitHubSource sets up the GitHub source s.
func newGitHubSource(s config.Source, token string, client *http.Client) (sourcesync.Source, error) {
	return github.New(s.Name, s.Org, github.Options{APIURL: s.APIURL, Token: token, Client: client})
}

// newGitLabSource sets up the GitLab source s.
func newGitLabSource(s config.Source, token string, client *http.Client) (sourcesync.Source, error) {
	return gitlab.New(s.Name, s.Group, gitlab.Options{APIURL: s.APIURL, Token: token, Client: client})
}

// webhookSecrets returns the webhook secret of each source of the kind
// (github or gitlab) that names one, by source name. A secret that cannot
// be read is an error: the hub would otherwise refuse every delivery
// without saying why.
func webhookSecrets(cfg config.Config, kind string) (map[string]string, error) {
	out := map[string]string{}
	for _, s := range cfg.Sources {
		if s.Kind != kind {
			continue
		}
		sec, err := s.WebhookSecret()
		if err != nil {
			return nil, err
		}
		if sec != "" {
			out[s.Name] = sec
		}
	}
	return out, nil
}
