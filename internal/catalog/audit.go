package catalog

import "time"

// AuditEntry is one change recorded in the append-only audit log: when, who
// (account and person), from where, what, the object, before and after.
// Entries are hash-chained (see internal/audit): Hash covers the entry and
// PrevHash, which is the previous entry's Hash, so altering, removing or
// reordering an entry breaks the chain.
type AuditEntry struct {
	// Seq numbers the entries from 1 without gaps; the store assigns it.
	Seq int64     `json:"seq"`
	At  time.Time `json:"at"`
	// Actor is who made the change: an account's e-mail, or the operating
	// system user for the CLI.
	Actor string `json:"actor"`
	// Person is the catalogue person linked to the actor, if any.
	Person string `json:"person,omitempty"`
	// Source is where the change came from: "cli", "hub" or "api".
	Source string `json:"source"`
	// Address is the client's network address, for the hub and the API.
	Address string `json:"address,omitempty"`
	// Action names the change, "noun.verb": "account.create", "token.revoke".
	Action string `json:"action"`
	// Object names what changed: "account:ann@example.com", "token:12".
	Object string `json:"object"`
	// Before and After are JSON of the object before and after the change
	// (empty when it did not exist); never a secret.
	Before   string `json:"before,omitempty"`
	After    string `json:"after,omitempty"`
	PrevHash string `json:"prev_hash"`
	Hash     string `json:"hash"`
}
