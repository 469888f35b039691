package github

import (
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
)

// AppAuth authenticates as a GitHub App installation: it signs a short JWT
// with the App's private key, exchanges it for an installation access token
// (POST /app/installations/{id}/access_tokens) and sends that token until
// shortly before it expires. An App is how a firm grants ospo read access
// to its organisations without a person's token: the budget is the
// installation's (up to 15,000 requests an hour), not a user's.
//
// It is written here rather than taken from ghinstallation, which brings a
// second major version of go-github into the binary for three types; the
// protocol is a JWT (RS256) and one POST.
type AppAuth struct {
	appID, installationID int64
	key                   *rsa.PrivateKey
	apiURL                string
	base                  http.RoundTripper
	now                   func() time.Time

	mu      sync.Mutex
	token   string
	expires time.Time
}

// NewAppAuth reads the App's PEM private key (PKCS#1, as GitHub issues it,
// or PKCS#8). apiURL is the API's base URL (DefaultAPIURL when empty); base
// sends the token requests (http.DefaultTransport when nil); now replaces
// the clock in tests (time.Now when nil). Errors never contain the key.
func NewAppAuth(appID, installationID int64, pemKey []byte, apiURL string, base http.RoundTripper, now func() time.Time) (*AppAuth, error) {
	if appID <= 0 || installationID <= 0 {
		return nil, errors.New("github app: app id and installation id are required")
	}
	block, _ := pem.Decode(pemKey)
	if block == nil {
		return nil, errors.New("github app: the private key is not PEM")
	}
	var key *rsa.PrivateKey
	if k, err := x509.ParsePKCS1PrivateKey(block.Bytes); err == nil {
		key = k
	} else if k8, err := x509.ParsePKCS8PrivateKey(block.Bytes); err == nil {
		rk, ok := k8.(*rsa.PrivateKey)
		if !ok {
			return nil, errors.New("github app: the private key is not an RSA key")
		}
		key = rk
	} else {
		return nil, errors.New("github app: the private key is neither PKCS#1 nor PKCS#8 RSA")
	}
	if apiURL == "" {
		apiURL = DefaultAPIURL
	}
	if u, err := url.Parse(apiURL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return nil, fmt.Errorf("github app: api url %q is not an http(s) URL", apiURL)
	}
	if base == nil {
		base = http.DefaultTransport
	}
	if now == nil {
		now = time.Now
	}
	return &AppAuth{appID: appID, installationID: installationID, key: key,
		apiURL: strings.TrimRight(apiURL, "/"), base: base, now: now}, nil
}

// Token returns a valid installation token, asking GitHub for a new one
// when none is held or it expires within five minutes.
func (a *AppAuth) Token(ctx context.Context) (string, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.token != "" && a.now().Add(5*time.Minute).Before(a.expires) {
		return a.token, nil
	}
	jwt, err := a.jwt()
	if err != nil {
		return "", err
	}
	endpoint := fmt.Sprintf("%s/app/installations/%d/access_tokens", a.apiURL, a.installationID)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, nil)
	if err != nil {
		return "", fmt.Errorf("github app: %w", err)
	}
	req.Header.Set("Authorization", "Bearer "+jwt)
	req.Header.Set("Accept", "application/vnd.github+json")
	req.Header.Set("X-GitHub-Api-Version", "2022-11-28")
	resp, err := a.base.RoundTrip(req)
	if err != nil {
		return "", fmt.Errorf("github app: ask for an installation token: %w", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return "", fmt.Errorf("github app: read the installation token: %w", err)
	}
	if resp.StatusCode != http.StatusCreated && resp.StatusCode != http.StatusOK {
		var msg struct {
			Message string `json:"message"`
		}
		json.Unmarshal(body, &msg)
		return "", fmt.Errorf("github app: installation %d: %s %s", a.installationID, resp.Status, msg.Message)
	}
	var tok struct {
		Token     string    `json:"token"`
		ExpiresAt time.Time `json:"expires_at"`
	}
	if err := json.Unmarshal(body, &tok); err != nil || tok.Token == "" {
		return "", errors.New("github app: the installation token answer has no token")
	}
	a.token, a.expires = tok.Token, tok.ExpiresAt
	return a.token, nil
}

// jwt signs the App's JSON Web Token: RS256, issued a minute in the past
// (for clocks that disagree), valid nine minutes (GitHub allows ten).
func (a *AppAuth) jwt() (string, error) {
	now := a.now().Unix()
	enc := base64.RawURLEncoding
	header := enc.EncodeToString([]byte(`{"alg":"RS256","typ":"JWT"}`))
	claims, _ := json.Marshal(map[string]any{"iat": now - 60, "exp": now + 9*60, "iss": strconv.FormatInt(a.appID, 10)})
	signing := header + "." + enc.EncodeToString(claims)
	sum := sha256.Sum256([]byte(signing))
	sig, err := rsa.SignPKCS1v15(rand.Reader, a.key, crypto.SHA256, sum[:])
	if err != nil {
		return "", fmt.Errorf("github app: sign: %w", err)
	}
	return signing + "." + enc.EncodeToString(sig), nil
}

// Transport returns a RoundTripper that sends each request with the
// installation token (Authorization: Bearer) over next.
func (a *AppAuth) Transport(next http.RoundTripper) http.RoundTripper {
	if next == nil {
		next = http.DefaultTransport
	}
	return roundTripFunc(func(req *http.Request) (*http.Response, error) {
		tok, err := a.Token(req.Context())
		if err != nil {
			return nil, err
		}
		req = req.Clone(req.Context())
		req.Header.Set("Authorization", "Bearer "+tok)
		return next.RoundTrip(req)
	})
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
