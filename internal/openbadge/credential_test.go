package openbadge

import (
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ospo-project/ospo/internal/catalog"
)

var (
	issued = time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	earned = Earned{
		Achievement: Achievement{ID: "https://hub.example/badges/first-steps", Name: "First Steps",
			Description: "Made a first contribution to a project.", Criteria: "At least one first_contribution event."},
		Email: "Ann@Example.com", Name: "Ann", At: time.Date(2025, 5, 2, 9, 0, 0, 0, time.UTC),
		Evidence: []catalog.Event{{ID: "e1", Kind: "first_contribution", Project: "lib", At: time.Date(2025, 5, 2, 9, 0, 0, 0, time.UTC),
			Summary: "first contribution to lib", Evidence: []catalog.Evidence{{Kind: "commit", Value: "abc123"}}}},
	}
)

func testIssuer(t *testing.T) Issuer {
	k, err := ParseSecretMultibase(specSecret)
	if err != nil {
		t.Fatal(err)
	}
	return Issuer{Key: k, Name: "ACME OSPO", URL: "https://hub.example/"}
}

func TestCredential(t *testing.T) {
	iss := testIssuer(t)
	cred, err := Credential(iss, earned, issued)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(strings.ToLower(string(cred)), "ann@example.com") {
		t.Error("the credential holds the earner's e-mail in clear")
	}
	v, err := Verify(cred, issued)
	if err != nil {
		t.Fatalf("Verify: %v\n%s", err, cred)
	}
	want := Verified{ID: v.ID, Issuer: "did:key:" + specPublic, IssuerName: "ACME OSPO", Achievement: "First Steps",
		Criteria: "At least one first_contribution event.", ValidFrom: earned.At, Evidence: 1,
		VerificationMethod: "did:key:" + specPublic + "#" + specPublic}
	if v != want || !strings.HasPrefix(v.ID, "urn:uuid:") {
		t.Errorf("Verify = %+v, want %+v", v, want)
	}
	again, _ := Credential(iss, earned, issued.Add(time.Hour))
	var a, b struct{ ID string }
	json.Unmarshal(cred, &a)
	json.Unmarshal(again, &b)
	if a.ID != b.ID {
		t.Errorf("the same badge issued again has another id: %s, %s", a.ID, b.ID)
	}
	var doc map[string]any
	json.Unmarshal(cred, &doc)
	subject := doc["credentialSubject"].(map[string]any)
	ident := subject["identifier"].([]any)[0].(map[string]any)
	if ident["identityType"] != "emailAddress" || ident["hashed"] != true || !strings.HasPrefix(ident["identityHash"].(string), "sha256$") {
		t.Errorf("identifier = %+v", ident)
	}
}

func TestVerifyRejects(t *testing.T) {
	iss := testIssuer(t)
	cred, err := Credential(iss, earned, issued)
	if err != nil {
		t.Fatal(err)
	}
	s := string(cred)
	_, other, _ := ed25519.GenerateKey(nil)
	forged, err := Credential(Issuer{Key: other, Name: "ACME OSPO"}, earned, issued)
	if err != nil {
		t.Fatal(err)
	}
	// A credential naming the real issuer but signed with another key.
	var m map[string]any
	json.Unmarshal(forged, &m)
	delete(m, "proof")
	m["issuer"].(map[string]any)["id"] = "did:key:" + specPublic
	unsigned, _ := json.Marshal(m)
	impostor, err := AddProof(unsigned, other, ProofOptions{Created: issued, VerificationMethod: VerificationMethod(other.Public().(ed25519.PublicKey))})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		doc  string
		want error
		now  time.Time
	}{
		{"achievement renamed", strings.Replace(s, `"name": "First Steps"`, `"name": "Grand Master"`, 1), ErrInvalidProof, issued},
		{"evidence changed", strings.Replace(s, "abc123", "fff999", 1), ErrInvalidProof, issued},
		{"signed by another key than the issuer's", string(impostor), ErrInvalidProof, issued},
		{"not an Open Badge", strings.Replace(s, `"OpenBadgeCredential"`, `"OtherCredential"`, 1), ErrInvalidCredential, issued},
		{"no criteria", strings.Replace(s, `"criteria"`, `"kriteria"`, 1), ErrInvalidCredential, issued},
		{"wrong context", strings.Replace(s, ContextVC, "https://www.w3.org/2018/credentials/v1", 1), ErrInvalidCredential, issued},
		{"expired", strings.Replace(s, `"validFrom"`, `"validUntil": "2025-07-01T00:00:00Z", "validFrom"`, 1), ErrInvalidCredential, issued.AddDate(1, 0, 0)},
		{"not JSON", "{", ErrInvalidCredential, issued},
	} {
		if tc.doc == s {
			t.Fatalf("%s: the replacement changed nothing", tc.name)
		}
		if _, err := Verify([]byte(tc.doc), tc.now); !errors.Is(err, tc.want) {
			t.Errorf("%s: Verify = %v, want %v", tc.name, err, tc.want)
		}
	}
}

func TestLoadKey(t *testing.T) {
	dir := t.TempDir()
	pemKey, err := GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, content string
		ok            bool
	}{
		{"pem", string(pemKey), true},
		{"multikey", specSecret + "\n", true},
		{"public key", specPublic, false},
		{"garbage", "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n", false},
	} {
		p := filepath.Join(dir, tc.name)
		if err := os.WriteFile(p, []byte(tc.content), 0o600); err != nil {
			t.Fatal(err)
		}
		k, err := LoadKey(p)
		if (err == nil) != tc.ok {
			t.Errorf("%s: LoadKey = %v, want ok %v", tc.name, err, tc.ok)
		}
		if err != nil && strings.Contains(err.Error(), strings.TrimSpace(tc.content)) {
			t.Errorf("%s: the error shows the key file's content", tc.name)
		}
		if err == nil && len(k) != ed25519.PrivateKeySize {
			t.Errorf("%s: key of %d bytes", tc.name, len(k))
		}
	}
	if _, err := LoadKey(dir); err == nil {
		t.Error("LoadKey of a directory: no error")
	}
}
