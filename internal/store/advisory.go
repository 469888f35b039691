package store

// AdvisoryStore persists imported OSV advisories and what they match in the
// catalogue. It is part of Store.
type AdvisoryStore interface {
}
