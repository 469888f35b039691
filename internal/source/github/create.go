package github

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	gh "github.com/google/go-github/v75/github"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/sourcesync"
)

var _ sourcesync.Creator = (*Source)(nil)

// CreateRepository implements sourcesync.Creator: POST /orgs/{org}/repos
// (no README, licence or .gitignore of GitHub's: the first push brings
// the repository's files). GitHub's 422 "name already exists" is
// catalog.ErrConflict; 401 catalog.ErrUnauthenticated; 403 and 404 (an
// organisation the token cannot create in) catalog.ErrForbidden.
func (s *Source) CreateRepository(ctx context.Context, r sourcesync.NewRepository) (catalog.ForgeRepo, error) {
	repo := &gh.Repository{Name: gh.Ptr(r.Name), AutoInit: gh.Ptr(false)}
	if r.Description != "" {
		repo.Description = gh.Ptr(r.Description)
	}
	if r.Private {
		repo.Private = gh.Ptr(true)
	}
	created, _, err := s.client.Repositories.Create(ctx, s.org, repo)
	if err != nil {
		return catalog.ForgeRepo{}, createError(s.org, r.Name, err)
	}
	return s.forgeRepo(created), nil
}

// createError says why GitHub refused to create org/name, as an error of
// the catalogue's kinds where GitHub's answer has one.
func createError(org, name string, err error) error {
	var er *gh.ErrorResponse
	if !errors.As(err, &er) || er.Response == nil {
		return fmt.Errorf("create %s/%s on GitHub: %w", org, name, err)
	}
	var why []string
	taken := false
	for _, e := range er.Errors {
		if e.Message != "" {
			why = append(why, e.Message)
		}
		if e.Field == "name" && strings.Contains(strings.ToLower(e.Message), "already exists") {
			taken = true
		}
	}
	msg := er.Message
	if len(why) > 0 {
		msg += " (" + strings.Join(why, "; ") + ")"
	}
	switch code := er.Response.StatusCode; {
	case taken:
		return catalog.Kind(fmt.Sprintf("create %s/%s on GitHub: a repository named %s exists already", org, name, name), catalog.ErrConflict)
	case code == http.StatusUnauthorized:
		return catalog.Kind(fmt.Sprintf("create %s/%s on GitHub: the source's token was refused (%s)", org, name, msg), catalog.ErrUnauthenticated)
	case code == http.StatusForbidden || code == http.StatusNotFound:
		return catalog.Kind(fmt.Sprintf("create %s/%s on GitHub: the source's token may not create repositories in %s (%s)", org, name, org, msg), catalog.ErrForbidden)
	case code == http.StatusUnprocessableEntity:
		return catalog.Kind(fmt.Sprintf("create %s/%s on GitHub: %s", org, name, msg), catalog.ErrInvalid)
	}
	return fmt.Errorf("create %s/%s on GitHub: %d %s", org, name, er.Response.StatusCode, msg)
}
