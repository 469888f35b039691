package github_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/source/github"
	"github.com/ospo-project/ospo/internal/source/github/githubtest"
	"github.com/ospo-project/ospo/internal/sourcesync"
)

// TestCreateRepository creates repositories against GitHub's published
// answers: the 201 example (full-repository) becomes the new repository's
// fact, and GitHub's 422 for a name that exists, a refused token and an
// unreachable API are errors of the kinds the CLI and hub report.
func TestCreateRepository(t *testing.T) {
	ctx := context.Background()
	srv := githubtest.New(t, map[string]string{"README.md": "# Hello\n"})
	srv.Token = token
	src := newSource(t, srv, &sleeper{})

	got, err := src.CreateRepository(ctx, sourcesync.NewRepository{Name: "payments", Description: "Payments", Private: true})
	if err != nil {
		t.Fatal(err)
	}
	want := catalog.ForgeRepo{Source: "gh", ID: 1296270, ProjectKey: "127.0.0.1/octocat/payments", FullName: "octocat/payments",
		URL: srv.Git.URL + "/octocat/payments", CloneURL: srv.Git.URL + "/octocat/payments.git",
		Description: "This your first repo!", Topics: []string{"octocat", "atom", "electron", "api"}, Visibility: "public",
		Stars: 80, Forks: 9, Watchers: 80, DefaultBranch: "master",
		PushedAt: time.Date(2011, 1, 26, 19, 6, 43, 0, time.UTC), UpdatedAt: time.Date(2011, 1, 26, 19, 14, 43, 0, time.UTC),
		SyncedAt: syncedAt, License: "MIT", OpenIssues: 0}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("created (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"octocat/payments"}, srv.Created()); diff != "" {
		t.Errorf("repositories created on the forge (-want +got):\n%s", diff)
	}

	for _, tc := range []struct {
		name  string
		src   func() *github.Source
		repo  string
		kind  error
		words string
	}{
		{"name taken", func() *github.Source { return src }, "Hello-World", catalog.ErrConflict, "a repository named Hello-World exists already"},
		{"token refused", func() *github.Source {
			s, err := github.New("gh", githubtest.Org, github.Options{APIURL: srv.URL, Token: "ghp_wrong"})
			if err != nil {
				t.Fatal(err)
			}
			return s
		}, "other", catalog.ErrUnauthenticated, "token was refused (Bad credentials)"},
		{"unreachable", func() *github.Source {
			s, err := github.New("gh", githubtest.Org, github.Options{APIURL: "http://127.0.0.1:1/", Token: token})
			if err != nil {
				t.Fatal(err)
			}
			return s
		}, "other", nil, "create octocat/other on GitHub"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := tc.src().CreateRepository(ctx, sourcesync.NewRepository{Name: tc.repo})
			if err == nil || !strings.Contains(err.Error(), tc.words) {
				t.Fatalf("err = %v, want one saying %q", err, tc.words)
			}
			for _, k := range []error{catalog.ErrConflict, catalog.ErrUnauthenticated, catalog.ErrForbidden, catalog.ErrInvalid} {
				if errors.Is(err, k) != (k == tc.kind) {
					t.Errorf("errors.Is(%v, %v) = %v", err, k, !(k == tc.kind))
				}
			}
			if strings.Contains(err.Error(), token) || strings.Contains(err.Error(), "ghp_wrong") {
				t.Errorf("the error shows the token: %v", err)
			}
		})
	}
	if n := len(srv.Created()); n != 1 {
		t.Errorf("%d repositories created, want only the first", n)
	}
}
