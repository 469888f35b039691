// Package oidctest runs a real OpenID provider in the test process:
// zitadel's op package with its in-memory example storage, plus a groups
// claim in the userinfo answer. Tests sign in through it with a browser or
// an HTTP client; nothing of it is mocked.
package oidctest

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/zitadel/oidc/v3/example/server/exampleop"
	"github.com/zitadel/oidc/v3/example/server/storage"
	zoidc "github.com/zitadel/oidc/v3/pkg/oidc"
)

// User is a person the provider knows.
type User struct {
	ID, Username, Password, Email string
	EmailVerified                 bool
	Groups                        []string
}

// ClientID and ClientSecret are the hub's credentials at the provider.
const (
	ClientID     = "ospo-hub"
	ClientSecret = "client-secret-of-the-hub"
)

// Provider is a running OpenID provider.
type Provider struct {
	srv *httptest.Server
	// Issuer is the provider's issuer URL.
	Issuer string
}

// groupStorage is the example storage with a groups claim in userinfo, as
// Keycloak or Dex send it.
type groupStorage struct {
	*storage.Storage
	groups map[string][]string // by user ID
}

func (s groupStorage) SetUserinfoFromToken(ctx context.Context, info *zoidc.UserInfo, tokenID, subject, origin string) error {
	if err := s.Storage.SetUserinfoFromToken(ctx, info, tokenID, subject, origin); err != nil {
		return err
	}
	info.AppendClaims("groups", s.groups[subject])
	return nil
}

// Start starts a provider knowing users, with the client ClientID whose
// redirect URL is redirectURL; it stops when the test ends. The provider's
// login form is at /login/username (fields username and password).
func Start(t testing.TB, redirectURL string, users ...User) *Provider {
	t.Helper()
	h := &handler{}
	srv := httptest.NewUnstartedServer(h)
	issuer := "http://" + srv.Listener.Addr().String()
	byID := map[string]storage.User{}
	groups := map[string][]string{}
	for _, u := range users {
		byID[u.ID] = storage.User{ID: u.ID, Username: u.Username, Password: u.Password, Email: u.Email, EmailVerified: u.EmailVerified,
			FirstName: u.Username}
		groups[u.ID] = u.Groups
	}
	b, _ := json.Marshal(byID)
	file := filepath.Join(t.TempDir(), "users.json")
	if err := os.WriteFile(file, b, 0o600); err != nil {
		t.Fatal(err)
	}
	us, err := storage.StoreFromFile(file)
	if err != nil {
		t.Fatal(err)
	}
	storage.RegisterClients(storage.WebClient(ClientID, ClientSecret, redirectURL))
	h.h = exampleop.SetupServer(issuer, groupStorage{Storage: storage.NewStorage(us), groups: groups}, nil, false)
	srv.Start()
	t.Cleanup(srv.Close)
	return &Provider{srv: srv, Issuer: issuer}
}

// handler lets the server take its address before its handler exists.
type handler struct{ h http.Handler }

func (d *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) { d.h.ServeHTTP(w, r) }
