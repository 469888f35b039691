package cli

import (
	"net/http"

	"github.com/ospo-project/ospo/internal/config"
	"github.com/ospo-project/ospo/internal/source/github"
	"github.com/ospo-project/ospo/internal/sourcesync"
)

// newGitHubSource sets up the GitHub source s.
func newGitHubSource(s config.Source, token string, client *http.Client) (sourcesync.Source, error) {
	return github.New(s.Name, s.Org, github.Options{APIURL: s.APIURL, Token: token, Client: client})
}
