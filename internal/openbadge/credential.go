package openbadge

import (
	"crypto/ed25519"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/events"
)

// Contexts of an OpenBadgeCredential: VC 2.0, then Open Badges 3.0.
const (
	ContextVC = "https://www.w3.org/ns/credentials/v2"
	ContextOB = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
)

// Issuer is who issues credentials: the OSPO, known by its Ed25519 key.
type Issuer struct {
	Key ed25519.PrivateKey
	// Name and URL describe the issuer's profile ("ACME OSPO", the hub's URL).
	Name, URL string
}

// Achievement is the badge a credential states was earned.
type Achievement struct {
	// ID is the achievement's URI (the badge's page on the hub, or a URN).
	ID, Name, Description, Criteria string
}

// Earned is what a credential is about: who earned what, when, and the
// events that prove it.
type Earned struct {
	Achievement Achievement
	// Email identifies the earner; the credential holds its salted
	// SHA-256 hash, never the address itself.
	Email, Name string
	At          time.Time
	Evidence    []catalog.Event
}

// Credential returns the signed OpenBadgeCredential of e by iss, issued at
// now. Its id is derived from the issuer, the earner and the achievement,
// so issuing the same badge again gives the same id.
func Credential(iss Issuer, e Earned, now time.Time) ([]byte, error) {
	if len(iss.Key) != ed25519.PrivateKeySize {
		return nil, errors.New("no issuer key")
	}
	pub := iss.Key.Public().(ed25519.PublicKey)
	did := DIDKey(pub)
	email := strings.ToLower(strings.TrimSpace(e.Email))
	sum := sha256.Sum256([]byte(did + "\x00" + email + "\x00" + e.Achievement.ID))
	id := hex.EncodeToString(sum[:16])
	salt := hex.EncodeToString(sum[16:])
	identity := sha256.Sum256([]byte(email + salt))

	profile := map[string]any{"id": did, "type": []string{"Profile"}, "name": orDefault(iss.Name, "OSPO")}
	if iss.URL != "" {
		profile["url"] = iss.URL
	}
	var evidence []map[string]any
	for _, ev := range e.Evidence {
		item := map[string]any{"type": []string{"Evidence"}, "name": ev.Kind, "description": ev.Summary,
			"narrative": evidenceNarrative(ev)}
		for _, x := range ev.Evidence {
			if x.Kind == "url" && (strings.HasPrefix(x.Value, "https://") || strings.HasPrefix(x.Value, "http://")) {
				item["id"] = x.Value
				break
			}
		}
		evidence = append(evidence, item)
	}
	doc := map[string]any{
		"@context":  []string{ContextVC, ContextOB},
		"id":        "urn:uuid:" + id[:8] + "-" + id[8:12] + "-" + id[12:16] + "-" + id[16:20] + "-" + id[20:32],
		"type":      []string{"VerifiableCredential", "OpenBadgeCredential"},
		"issuer":    profile,
		"validFrom": e.At.UTC().Format(time.RFC3339),
		"name":      e.Achievement.Name,
		"credentialSubject": map[string]any{
			"type": []string{"AchievementSubject"},
			"identifier": []map[string]any{{
				"type": "IdentityObject", "identityType": "emailAddress", "hashed": true, "salt": salt,
				"identityHash": "sha256$" + hex.EncodeToString(identity[:]),
			}},
			"achievement": map[string]any{
				"id": e.Achievement.ID, "type": []string{"Achievement"}, "achievementType": "Badge",
				"name": e.Achievement.Name, "description": e.Achievement.Description,
				"criteria": map[string]any{"narrative": e.Achievement.Criteria},
				"creator":  profile,
			},
		},
	}
	if len(evidence) > 0 {
		doc["evidence"] = evidence
	}
	b, err := json.Marshal(doc)
	if err != nil {
		return nil, err
	}
	return AddProof(b, iss.Key, ProofOptions{Created: now, VerificationMethod: VerificationMethod(pub)})
}

func evidenceNarrative(ev catalog.Event) string {
	parts := []string{ev.At.UTC().Format("2006-01-02")}
	if ev.Project != "" {
		parts = append(parts, "project "+ev.Project)
	} else if ev.ProjectKey != "" {
		parts = append(parts, "project "+ev.ProjectKey)
	}
	for _, x := range ev.Evidence {
		parts = append(parts, x.Kind+" "+x.Value)
	}
	return strings.Join(parts, "; ")
}

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}

// Verified is what Verify found in a valid credential.
type Verified struct {
	ID     string `json:"id"`
	Issuer string `json:"issuer"`
	// IssuerName is the issuer profile's name, as the credential says.
	IssuerName  string    `json:"issuer_name,omitempty"`
	Achievement string    `json:"achievement"`
	Criteria    string    `json:"criteria,omitempty"`
	ValidFrom   time.Time `json:"valid_from"`
	Evidence    int       `json:"evidence"`
	// VerificationMethod is the key that signed it.
	VerificationMethod string `json:"verification_method"`
}

// ErrInvalidCredential is returned (wrapped) when a document is not a
// well-formed OpenBadgeCredential.
var ErrInvalidCredential = errors.New("invalid Open Badges credential")

// Verify checks that data is a well-formed OpenBadgeCredential (contexts,
// types, issuer, subject with an achievement and criteria, validFrom, and
// validUntil not passed at now), that its eddsa-jcs-2022 proof verifies,
// and that the key that signed it is the issuer's (the issuer is the
// did:key of the verification method). Errors wrap ErrInvalidCredential
// or ErrInvalidProof.
func Verify(data []byte, now time.Time) (Verified, error) {
	var c struct {
		Context []string `json:"@context"`
		ID      string   `json:"id"`
		Type    []string `json:"type"`
		Issuer  struct {
			ID   string `json:"id"`
			Name string `json:"name"`
		} `json:"issuer"`
		ValidFrom         string `json:"validFrom"`
		ValidUntil        string `json:"validUntil"`
		CredentialSubject struct {
			Achievement *struct {
				ID       string   `json:"id"`
				Type     []string `json:"type"`
				Name     string   `json:"name"`
				Criteria *struct {
					ID        string `json:"id"`
					Narrative string `json:"narrative"`
				} `json:"criteria"`
			} `json:"achievement"`
		} `json:"credentialSubject"`
		Evidence []json.RawMessage `json:"evidence"`
	}
	bad := func(format string, args ...any) (Verified, error) {
		return Verified{}, fmt.Errorf("%w: "+format, append([]any{ErrInvalidCredential}, args...)...)
	}
	if err := json.Unmarshal(data, &c); err != nil {
		return bad("%v", err)
	}
	switch {
	case len(c.Context) < 2 || c.Context[0] != ContextVC || !strings.HasPrefix(c.Context[1], "https://purl.imsglobal.org/spec/ob/v3p0/context"):
		return bad("@context must be the VC 2.0 context followed by the Open Badges 3.0 context")
	case !has(c.Type, "VerifiableCredential") || !has(c.Type, "OpenBadgeCredential"):
		return bad("type must hold VerifiableCredential and OpenBadgeCredential")
	case c.Issuer.ID == "":
		return bad("no issuer id")
	case c.CredentialSubject.Achievement == nil || c.CredentialSubject.Achievement.ID == "" || c.CredentialSubject.Achievement.Name == "" ||
		!has(c.CredentialSubject.Achievement.Type, "Achievement"):
		return bad("credentialSubject has no achievement with id, type Achievement and name")
	case c.CredentialSubject.Achievement.Criteria == nil ||
		c.CredentialSubject.Achievement.Criteria.ID == "" && c.CredentialSubject.Achievement.Criteria.Narrative == "":
		return bad("the achievement has no criteria")
	}
	from, err := time.Parse(time.RFC3339, c.ValidFrom)
	if err != nil {
		return bad("validFrom %q is not a date-time", c.ValidFrom)
	}
	if c.ValidUntil != "" {
		until, err := time.Parse(time.RFC3339, c.ValidUntil)
		if err != nil {
			return bad("validUntil %q is not a date-time", c.ValidUntil)
		}
		if now.After(until) {
			return bad("expired on %s", c.ValidUntil)
		}
	}
	vm, err := VerifyProof(data)
	if err != nil {
		return Verified{}, err
	}
	if did, _, _ := strings.Cut(vm, "#"); did != c.Issuer.ID {
		return Verified{}, fmt.Errorf("%w: signed by %s, not by the issuer %s", ErrInvalidProof, did, c.Issuer.ID)
	}
	v := Verified{ID: c.ID, Issuer: c.Issuer.ID, IssuerName: c.Issuer.Name, Achievement: c.CredentialSubject.Achievement.Name,
		ValidFrom: from, Evidence: len(c.Evidence), VerificationMethod: vm}
	if cr := c.CredentialSubject.Achievement.Criteria; cr.Narrative != "" {
		v.Criteria = cr.Narrative
	} else {
		v.Criteria = cr.ID
	}
	return v, nil
}

func has(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// GenerateKey returns a new Ed25519 private key as a PKCS #8 PEM block
// (the form `openssl genpkey -algorithm ed25519` writes).
func GenerateKey() ([]byte, error) {
	_, priv, err := ed25519.GenerateKey(nil)
	if err != nil {
		return nil, err
	}
	der, err := x509.MarshalPKCS8PrivateKey(priv)
	if err != nil {
		return nil, err
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), nil
}

// maxKeyFile bounds what LoadKey reads.
const maxKeyFile = 64 << 10

// LoadKey reads the issuer's Ed25519 private key from path: a PKCS #8 PEM
// block, or a secret Multikey ("z3u2…"). Errors never hold the key's bytes.
func LoadKey(path string) (ed25519.PrivateKey, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("issuer key: %w", err)
	}
	if !fi.Mode().IsRegular() || fi.Size() > maxKeyFile {
		return nil, fmt.Errorf("issuer key %s: not a regular file of at most 64 KiB", path)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("issuer key: %w", err)
	}
	if s := strings.TrimSpace(string(b)); strings.HasPrefix(s, "z") && !strings.Contains(s, "\n") {
		k, err := ParseSecretMultibase(s)
		if err != nil {
			return nil, fmt.Errorf("issuer key %s: %v", path, err)
		}
		return k, nil
	}
	block, _ := pem.Decode(b)
	if block == nil || block.Type != "PRIVATE KEY" {
		return nil, fmt.Errorf("issuer key %s: not a PKCS #8 PEM private key or a secret Multikey", path)
	}
	k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("issuer key %s: not a PKCS #8 private key", path)
	}
	ed, ok := k.(ed25519.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("issuer key %s: not an Ed25519 key", path)
	}
	return ed, nil
}

// ForBadge describes a badge of package events, earned by the person with
// email and name, as a credential's Earned. baseURL is the hub's address:
// the achievement's id is its badge page there (a urn:ospo:badge: URN when
// baseURL is empty).
func ForBadge(b events.Earned, email, name, baseURL string) Earned {
	id := "urn:ospo:badge:" + b.ID
	if baseURL != "" {
		id = strings.TrimRight(baseURL, "/") + "/leaderboard#badge-" + b.ID
	}
	return Earned{
		Achievement: Achievement{ID: id, Name: b.Name, Description: b.Description, Criteria: b.Criteria},
		Email:       email, Name: name, At: b.At, Evidence: b.Evidence,
	}
}
