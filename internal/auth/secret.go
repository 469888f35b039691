package auth

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/ospo-project/ospo/internal/catalog"
)

// TokenPrefix starts every API token, so that secret scanners (and people)
// recognise one.
const TokenPrefix = "ospo_"

// tokenLen is the length of a token: the prefix and 32 random bytes in
// unpadded base64url.
const tokenLen = len(TokenPrefix) + 43

// ErrMalformedToken is returned by ParseToken for a string that cannot be an
// API token: it is refused without a store lookup.
var ErrMalformedToken = catalog.Kind("malformed token", catalog.ErrUnauthenticated)

// NewToken returns a new API token secret, the prefix shown in listings and
// the hash to store.
func NewToken() (secret, prefix, hash string) {
	secret = TokenPrefix + randomString()
	return secret, secret[:len(TokenPrefix)+6], HashSecret(secret)
}

// ParseToken checks that s has the form of an API token and returns its
// hash. It does not say whether the token exists.
func ParseToken(s string) (hash string, err error) {
	if len(s) != tokenLen || !strings.HasPrefix(s, TokenPrefix) {
		return "", ErrMalformedToken
	}
	if _, err := base64.RawURLEncoding.DecodeString(s[len(TokenPrefix):]); err != nil {
		return "", ErrMalformedToken
	}
	return HashSecret(s), nil
}

// HashSecret returns the hex SHA-256 of a high-entropy secret (a token or a
// session id): enough for 256 random bits, which no one can guess, unlike
// passwords.
func HashSecret(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// randomString returns 32 random bytes in unpadded base64url.
func randomString() string {
	b := make([]byte, 32)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// sessionIDLen is the length of a session id: 32 random bytes in unpadded base64url.
const sessionIDLen = 43

// NewSessionID returns a new session id (the cookie's value) and its hash
// (what the store keeps).
func NewSessionID() (id, hash string) {
	id = randomString()
	return id, HashSecret(id)
}

// ParseSessionID checks that s has the form of a session id and returns
// its hash.
func ParseSessionID(s string) (string, error) {
	if len(s) != sessionIDLen {
		return "", fmt.Errorf("malformed session id")
	}
	if _, err := base64.RawURLEncoding.DecodeString(s); err != nil {
		return "", fmt.Errorf("malformed session id")
	}
	return HashSecret(s), nil
}

// CSRFToken returns the anti-forgery token of the session with id: an HMAC
// of the id, so it is bound to the session, changes when the session is
// rotated, and needs nothing stored. Forms and state-changing requests carry
// it; CheckCSRF compares.
func CSRFToken(sessionID string) string {
	m := hmac.New(sha256.New, []byte(sessionID))
	m.Write([]byte("ospo csrf v1"))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// CheckCSRF reports whether token is the CSRF token of the session id, in
// constant time.
func CheckCSRF(sessionID, token string) bool {
	return token != "" && hmac.Equal([]byte(CSRFToken(sessionID)), []byte(token))
}
