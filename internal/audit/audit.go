// Package audit makes the audit log tamper-evident. Every entry carries the
// hash of the previous one and its own hash over a canonical encoding of its
// fields and that previous hash, so a row altered, removed or reordered in
// the store breaks the chain at that row, and Verify names it.
//
// What the chain cannot show on its own: entries cut off the end of the log
// (the last remaining entry still verifies) and a log rewritten whole by
// someone who recomputes every hash. Export the log regularly (ospo audit
// export) and compare the latest hash with the exported one to catch both.
//
// The package computes and checks; the store assigns Seq and appends under
// a lock (see store.AuditStore), so concurrent appends chain one after the
// other.
package audit

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"iter"
	"sync"

	"github.com/ospo-project/ospo/internal/catalog"
)

// Genesis is the PrevHash of the first entry.
const Genesis = "0000000000000000000000000000000000000000000000000000000000000000"

// Seal sets e.PrevHash to prev and e.Hash to the hash of e. The caller sets
// every other field first (Seq included); Seal must be the last change.
func Seal(e *catalog.AuditEntry, prev string) {
	e.PrevHash = prev
	e.Hash = Hash(e)
}

// Hash returns the hex SHA-256 of the canonical encoding of e: a version
// tag, then Seq, At (Unix nanoseconds, UTC) and every text field including
// PrevHash, each string preceded by its length, so that no two different
// entries encode alike. Hash is not read.
func Hash(e *catalog.AuditEntry) string {
	bp := bufs.Get().(*[]byte)
	b := appendCanonical((*bp)[:0], e)
	sum := sha256.Sum256(b)
	*bp = b
	bufs.Put(bp)
	return hex.EncodeToString(sum[:])
}

// bufs holds encoding buffers: verifying a million entries allocates none.
var bufs = sync.Pool{New: func() any { b := make([]byte, 0, 1024); return &b }}

func appendCanonical(b []byte, e *catalog.AuditEntry) []byte {
	str := func(b []byte, s string) []byte {
		return append(binary.AppendUvarint(b, uint64(len(s))), s...)
	}
	b = str(b, "ospo-audit-v1")
	b = binary.AppendVarint(b, e.Seq)
	b = binary.AppendVarint(b, e.At.UnixNano())
	for _, s := range [...]string{e.Actor, e.Person, e.Source, e.Address, e.Action, e.Object, e.Before, e.After, e.PrevHash} {
		b = str(b, s)
	}
	return b
}

// BrokenError names the first entry of a log that does not verify.
type BrokenError struct {
	// Seq is the sequence number of the entry found at the break (the
	// position where it was expected, when the entry is missing).
	Seq int64
	// Reason says what does not match.
	Reason string
}

func (e *BrokenError) Error() string {
	return fmt.Sprintf("audit log broken at entry %d: %s", e.Seq, e.Reason)
}

// Verify reads entries in order of Seq and checks the chain: sequence
// numbers from 1 without gaps, each PrevHash equal to the previous entry's
// Hash (Genesis for the first) and each Hash equal to the hash of the entry
// as stored. It returns the number of entries checked, and a *BrokenError
// for the first entry that does not match, or the iterator's error.
func Verify(entries iter.Seq2[*catalog.AuditEntry, error]) (int64, error) {
	prev := Genesis
	var n int64
	for e, err := range entries {
		if err != nil {
			return n, err
		}
		want := n + 1
		switch {
		case e.Seq != want:
			return n, &BrokenError{Seq: want, Reason: fmt.Sprintf("found entry %d where entry %d should be (removed or reordered)", e.Seq, want)}
		case e.PrevHash != prev:
			return n, &BrokenError{Seq: e.Seq, Reason: "its previous hash does not match the entry before it (an entry was removed, reordered or altered)"}
		case Hash(e) != e.Hash:
			return n, &BrokenError{Seq: e.Seq, Reason: "its hash does not match its content (altered)"}
		}
		prev = e.Hash
		n++
	}
	return n, nil
}
