package catalog

import "time"

// Inbox item states a person can set (see InboxState). An item without a
// stored state is open.
const (
	InboxSnoozed = "snoozed"
	InboxDone    = "done"
)

// InboxState is what one person decided about one item of their inbox:
// snoozed until a time, or done. It holds only while the fact behind the
// item is the one the person saw: when the item's fingerprint changes (a
// new project is affected, the severity or the fix changes), the item is
// open again.
type InboxState struct {
	// Email is the account's e-mail, lower-cased by the store.
	Email string `json:"email"`
	// Item is the item's key (kind and subject, e.g.
	// "vulnerability:GHSA-…"), stable while the fact changes.
	Item string `json:"item"`
	// State is InboxSnoozed or InboxDone.
	State string `json:"state"`
	// Fingerprint is the item's fingerprint when the state was set.
	Fingerprint string `json:"fingerprint"`
	// Until is when a snoozed item comes back; zero for done.
	Until time.Time `json:"until,omitzero"`
	// At is when the state was set.
	At time.Time `json:"at"`
}
