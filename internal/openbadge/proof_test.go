package openbadge

import (
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strings"
	"testing"
	"time"
)

// The W3C vc-di-eddsa test vectors for eddsa-jcs-2022 (section "Representation:
// eddsa-jcs-2022"): key pair, unsigned credential, proof options, and the
// expected document hash and proofValue.
const (
	specSecret  = "z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq"
	specPublic  = "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"
	specDocHash = "59b7cb6251b8991add1ce0bc83107e3db9dbbab5bd2c28f687db1a03abc92f19"
	specProof   = "z2HnFSSPPBzR36zdDgK8PbEHeXbR56YF24jwMpt3R1eHXQzJDMWS93FCzpvJpwTWd3GAVFuUfjoJdcnTMuVor51aX"
	specDoc     = `{
     "@context": [
         "https://www.w3.org/ns/credentials/v2",
         "https://www.w3.org/ns/credentials/examples/v2"
     ],
     "id": "urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33",
     "type": ["VerifiableCredential", "AlumniCredential"],
     "name": "Alumni Credential",
     "description": "A minimum viable example of an Alumni Credential.",
     "issuer": "https://vc.example/issuers/5678",
     "validFrom": "2023-01-01T00:00:00Z",
     "credentialSubject": {
         "id": "did:example:abcdefgh",
         "alumniOf": "The School of Examples"
     }
}`
)

func TestSpecVector(t *testing.T) {
	key, err := ParseSecretMultibase(specSecret)
	if err != nil {
		t.Fatal(err)
	}
	if got := PublicMultibase(key.Public().(ed25519.PublicKey)); got != specPublic {
		t.Fatalf("public key = %s, want %s", got, specPublic)
	}
	var m map[string]any
	if err := decode([]byte(specDoc), &m); err != nil {
		t.Fatal(err)
	}
	c, err := canonical(m)
	if err != nil {
		t.Fatal(err)
	}
	if h := sha256.Sum256(c); hex.EncodeToString(h[:]) != specDocHash {
		t.Errorf("hash of the canonical document = %x, want %s", h, specDocHash)
	}
	created, _ := time.Parse(time.RFC3339, "2023-02-24T23:36:38Z")
	signed, err := AddProof([]byte(specDoc), key, ProofOptions{Created: created, VerificationMethod: "did:key:" + specPublic + "#" + specPublic})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(signed), `"proofValue": "`+specProof+`"`) {
		t.Errorf("signed document lacks the specification's proofValue %s:\n%s", specProof, signed)
	}
	vm, err := VerifyProof(signed)
	if err != nil || vm != "did:key:"+specPublic+"#"+specPublic {
		t.Errorf("VerifyProof = %q, %v", vm, err)
	}
}

func TestTampering(t *testing.T) {
	key, _ := ParseSecretMultibase(specSecret)
	created, _ := time.Parse(time.RFC3339, "2023-02-24T23:36:38Z")
	signed, err := AddProof([]byte(specDoc), key, ProofOptions{Created: created, VerificationMethod: "did:key:" + specPublic + "#" + specPublic})
	if err != nil {
		t.Fatal(err)
	}
	other := "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"
	for _, tc := range []struct{ name, from, to string }{
		{"a claim changed", "The School of Examples", "The School of Forgers"},
		{"the date changed", `"validFrom": "2023-01-01T00:00:00Z"`, `"validFrom": "2024-01-01T00:00:00Z"`},
		{"a field added", `"name": "Alumni Credential"`, `"name": "Alumni Credential", "extra": 1`},
		{"the proof's date changed", "2023-02-24T23:36:38Z", "2023-02-25T23:36:38Z"},
		{"another key claimed", "did:key:" + specPublic + "#" + specPublic, other + "#" + strings.TrimPrefix(other, "did:key:")},
		{"the signature changed", specProof, specProof[:len(specProof)-2] + "ab"},
		{"another cryptosuite", "eddsa-jcs-2022", "eddsa-rdfc-2022"},
	} {
		bad := strings.Replace(string(signed), tc.from, tc.to, 1)
		if bad == string(signed) {
			t.Fatalf("%s: %q not found", tc.name, tc.from)
		}
		if _, err := VerifyProof([]byte(bad)); !errors.Is(err, ErrInvalidProof) {
			t.Errorf("%s: VerifyProof = %v, want ErrInvalidProof", tc.name, err)
		}
	}
	// Reformatting is not tampering: JCS canonicalises whitespace and key order.
	if _, err := VerifyProof([]byte(strings.ReplaceAll(string(signed), "\n", " "))); err != nil {
		t.Errorf("VerifyProof of the reformatted document: %v", err)
	}
	if _, err := VerifyProof([]byte(specDoc)); !errors.Is(err, ErrInvalidProof) {
		t.Errorf("VerifyProof without a proof = %v, want ErrInvalidProof", err)
	}
	if _, err := VerifyProof([]byte("[1]")); err == nil {
		t.Error("VerifyProof of an array: no error")
	}
}
