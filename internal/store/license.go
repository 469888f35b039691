package store

// LicenseStore persists licence facts and policy findings per project, for
// the estate view. It is part of Store.
type LicenseStore interface {
}
