package github_test

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ospo-project/ospo/internal/source/github"
	"github.com/ospo-project/ospo/internal/source/github/githubtest"
	"github.com/ospo-project/ospo/internal/store/teststore"
)

// TestAppAuth syncs as a GitHub App installation: the App's JWT is
// exchanged once for an installation token, which then authenticates every
// API request (the server refuses anything else) and is reused by the next
// sync. A wrong key fails the sync with GitHub's reason and no key material.
func TestAppAuth(t *testing.T) {
	srv := githubtest.New(t, map[string]string{"a": "b"})
	key := srv.InstallApp(t, 12345, 678)
	newSrc := func(t *testing.T, key []byte) *github.Source {
		auth, err := github.NewAppAuth(12345, 678, key, srv.URL, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		src, err := github.New("gh", githubtest.Org, github.Options{APIURL: srv.URL,
			Client: &http.Client{Transport: auth.Transport(nil)}, Now: func() time.Time { return syncedAt }})
		if err != nil {
			t.Fatal(err)
		}
		return src
	}

	st := teststore.SQLite(t)
	src := newSrc(t, key)
	res := run(t, st, src)
	if res.Err != nil {
		t.Fatal(res.Err)
	}
	if srv.TokensIssued() != 1 || res.State.Requests != 5 {
		t.Errorf("first sync: %d tokens issued, %d API requests; want 1 and 5 (list, issues, pulls, reviews, releases)", srv.TokensIssued(), res.State.Requests)
	}
	if res = run(t, st, src); res.Err != nil {
		t.Fatal(res.Err)
	}
	if srv.TokensIssued() != 1 {
		t.Errorf("the resync asked for a new token (%d issued)", srv.TokensIssued())
	}

	other, _ := rsa.GenerateKey(rand.Reader, 2048)
	wrong := pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(other)})
	res = run(t, teststore.SQLite(t), newSrc(t, wrong))
	if res.Err == nil || !strings.Contains(res.Err.Error(), "401") || !strings.Contains(res.Err.Error(), "installation 678") {
		t.Fatalf("sync with a wrong key: %v, want GitHub's 401", res.Err)
	}
	if strings.Contains(res.Err.Error(), "PRIVATE KEY") || strings.Contains(res.Err.Error(), githubtest.InstallationToken) {
		t.Errorf("the error shows a secret: %v", res.Err)
	}
}

func TestNewAppAuthRefusesBadKeys(t *testing.T) {
	ec := []byte("-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIE\n-----END EC PRIVATE KEY-----\n")
	for name, tc := range map[string]struct {
		app, inst int64
		key       []byte
	}{
		"not PEM":         {1, 2, []byte("ssh-rsa AAAA")},
		"not RSA":         {1, 2, ec},
		"no app id":       {0, 2, nil},
		"no installation": {1, 0, nil},
	} {
		if _, err := github.NewAppAuth(tc.app, tc.inst, tc.key, "", nil, nil); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}
