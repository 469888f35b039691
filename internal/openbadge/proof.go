// Package openbadge provides Open Badges 3.0 credentials: an
// OpenBadgeCredential (a W3C Verifiable Credential 2.0 naming an
// achievement with its criteria, the earner and the evidence) secured by
// a Data Integrity proof of the eddsa-jcs-2022 cryptosuite (W3C vc-di-eddsa:
// Ed25519 over the SHA-256 hashes of the JCS-canonical proof options and
// document, RFC 8785), and its verification.
//
// The issuer is a did:key made from the Ed25519 public key, so a
// credential carries what is needed to check its signature; whether the
// issuer is trusted is the verifier's decision (Verified.Issuer). The
// private key is read from a file the operator keeps; the package never
// writes it anywhere but where it is asked to create it.
package openbadge

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/gowebpki/jcs"
	"github.com/mr-tron/base58"
)

// Cryptosuite and proof type of the proofs this package makes and checks.
const (
	ProofType   = "DataIntegrityProof"
	Cryptosuite = "eddsa-jcs-2022"
)

// Multicodec prefixes of Ed25519 keys in multibase form.
var (
	ed25519Pub  = []byte{0xed, 0x01}
	ed25519Priv = []byte{0x80, 0x26}
)

// PublicMultibase returns the Multikey form of an Ed25519 public key
// ("z6Mk…").
func PublicMultibase(pub ed25519.PublicKey) string {
	return "z" + base58.Encode(append(append([]byte(nil), ed25519Pub...), pub...))
}

// DIDKey returns the did:key of an Ed25519 public key.
func DIDKey(pub ed25519.PublicKey) string { return "did:key:" + PublicMultibase(pub) }

// VerificationMethod returns the verification method of a did:key: the
// DID, "#", its key.
func VerificationMethod(pub ed25519.PublicKey) string {
	mb := PublicMultibase(pub)
	return "did:key:" + mb + "#" + mb
}

// ParsePublicMultibase decodes a "z6Mk…" Multikey.
func ParsePublicMultibase(s string) (ed25519.PublicKey, error) {
	b, err := decodeMultibase(s)
	if err != nil {
		return nil, err
	}
	if !bytes.HasPrefix(b, ed25519Pub) || len(b) != len(ed25519Pub)+ed25519.PublicKeySize {
		return nil, errors.New("not an Ed25519 public key (multicodec 0xed)")
	}
	return ed25519.PublicKey(b[len(ed25519Pub):]), nil
}

// ParseSecretMultibase decodes a "z3u2…" secret Multikey (the 32-byte seed).
func ParseSecretMultibase(s string) (ed25519.PrivateKey, error) {
	b, err := decodeMultibase(s)
	if err != nil {
		return nil, err
	}
	if !bytes.HasPrefix(b, ed25519Priv) || len(b) != len(ed25519Priv)+ed25519.SeedSize {
		return nil, errors.New("not an Ed25519 secret key (multicodec 0x1300)")
	}
	return ed25519.NewKeyFromSeed(b[len(ed25519Priv):]), nil
}

func decodeMultibase(s string) ([]byte, error) {
	if !strings.HasPrefix(s, "z") {
		return nil, errors.New("not base58-btc multibase (it must start with z)")
	}
	b, err := base58.Decode(s[1:])
	if err != nil {
		return nil, fmt.Errorf("base58: %w", err)
	}
	return b, nil
}

// ProofOptions are the options of a proof: when, by which key, for what.
type ProofOptions struct {
	Created            time.Time
	VerificationMethod string
	// ProofPurpose is "assertionMethod" when empty.
	ProofPurpose string
}

// hashData is the eddsa-jcs-2022 hash: SHA-256 of the canonical proof
// configuration followed by SHA-256 of the canonical document.
func hashData(proofConfig, document map[string]any) ([]byte, error) {
	pc, err := canonical(proofConfig)
	if err != nil {
		return nil, fmt.Errorf("proof configuration: %w", err)
	}
	doc, err := canonical(document)
	if err != nil {
		return nil, fmt.Errorf("document: %w", err)
	}
	h1, h2 := sha256.Sum256(pc), sha256.Sum256(doc)
	return append(h1[:], h2[:]...), nil
}

// canonical returns the JCS (RFC 8785) form of v.
func canonical(v any) ([]byte, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return jcs.Transform(b)
}

// AddProof returns doc (a JSON object without a proof) secured with an
// eddsa-jcs-2022 Data Integrity proof made with key. The proof carries the
// document's @context, as the specification's examples do.
func AddProof(doc []byte, key ed25519.PrivateKey, o ProofOptions) ([]byte, error) {
	var m map[string]any
	if err := decode(doc, &m); err != nil {
		return nil, err
	}
	if _, ok := m["proof"]; ok {
		return nil, errors.New("the document already has a proof")
	}
	if o.ProofPurpose == "" {
		o.ProofPurpose = "assertionMethod"
	}
	proof := map[string]any{
		"type": ProofType, "cryptosuite": Cryptosuite,
		"created":            o.Created.UTC().Format(time.RFC3339),
		"verificationMethod": o.VerificationMethod, "proofPurpose": o.ProofPurpose,
	}
	if c, ok := m["@context"]; ok {
		proof["@context"] = c
	}
	h, err := hashData(proof, m)
	if err != nil {
		return nil, err
	}
	proof["proofValue"] = "z" + base58.Encode(ed25519.Sign(key, h))
	m["proof"] = proof
	return json.MarshalIndent(m, "", "  ")
}

// decode reads one JSON object, numbers kept as written.
func decode(b []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("not a JSON object: %w", err)
	}
	if dec.More() {
		return errors.New("not one JSON object: trailing data")
	}
	return nil
}

// ErrInvalidProof is returned (wrapped) when a proof does not verify.
var ErrInvalidProof = errors.New("invalid proof")

// VerifyProof checks the eddsa-jcs-2022 proof of a secured document
// against the key its verificationMethod names (a did:key), and returns
// that method. A missing or malformed proof, another cryptosuite, a
// context the proof does not share with the document, or a signature that
// does not match is an error wrapping ErrInvalidProof.
func VerifyProof(secured []byte) (string, error) {
	var m map[string]any
	if err := decode(secured, &m); err != nil {
		return "", err
	}
	proof, ok := m["proof"].(map[string]any)
	if !ok {
		return "", fmt.Errorf("%w: no proof object (a set of proofs is not supported)", ErrInvalidProof)
	}
	delete(m, "proof")
	if proof["type"] != ProofType || proof["cryptosuite"] != Cryptosuite {
		return "", fmt.Errorf("%w: proof is %v/%v, want %s/%s", ErrInvalidProof, proof["type"], proof["cryptosuite"], ProofType, Cryptosuite)
	}
	pv, _ := proof["proofValue"].(string)
	sig, err := decodeMultibase(pv)
	if err != nil || len(sig) != ed25519.SignatureSize {
		return "", fmt.Errorf("%w: proofValue is not a base58-btc Ed25519 signature", ErrInvalidProof)
	}
	vm, _ := proof["verificationMethod"].(string)
	did, frag, _ := strings.Cut(vm, "#")
	mb, isKey := strings.CutPrefix(did, "did:key:")
	if !isKey || frag != mb {
		return "", fmt.Errorf("%w: verificationMethod %q is not a did:key method", ErrInvalidProof, vm)
	}
	pub, err := ParsePublicMultibase(mb)
	if err != nil {
		return "", fmt.Errorf("%w: verificationMethod: %v", ErrInvalidProof, err)
	}
	if created, _ := proof["created"].(string); created != "" {
		if _, err := time.Parse(time.RFC3339, created); err != nil {
			return "", fmt.Errorf("%w: created %q is not a date-time", ErrInvalidProof, created)
		}
	}
	config := map[string]any{}
	for k, v := range proof {
		if k != "proofValue" {
			config[k] = v
		}
	}
	if pc, ok := config["@context"]; ok {
		// The document's context must start with the proof's.
		if !contextStartsWith(m["@context"], pc) {
			return "", fmt.Errorf("%w: the proof's @context is not the document's", ErrInvalidProof)
		}
	} else if c, ok := m["@context"]; ok {
		config["@context"] = c
	}
	h, err := hashData(config, m)
	if err != nil {
		return "", fmt.Errorf("%w: %v", ErrInvalidProof, err)
	}
	if !ed25519.Verify(pub, h, sig) {
		return "", fmt.Errorf("%w: the signature does not match the document (it was changed after signing, or signed by another key)", ErrInvalidProof)
	}
	return vm, nil
}

func contextStartsWith(doc, proof any) bool {
	list := func(v any) []any {
		switch x := v.(type) {
		case []any:
			return x
		case nil:
			return nil
		default:
			return []any{x}
		}
	}
	d, p := list(doc), list(proof)
	if len(p) > len(d) {
		return false
	}
	for i := range p {
		a, _ := json.Marshal(p[i])
		b, _ := json.Marshal(d[i])
		if !bytes.Equal(a, b) {
			return false
		}
	}
	return true
}
