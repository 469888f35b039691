package catalog

import "time"

// OptOut is what a person asked to be left out of. The zero value opts
// out of nothing.
type OptOut struct {
	// PersonID is the catalogue person who asked.
	PersonID string `json:"person_id"`
	// Experts keeps the person out of expert rankings ("who knows X",
	// ospo experts, the hub's experts).
	Experts bool `json:"experts"`
	// Recommendations keeps the person out of recommendations: they are
	// neither recommended to others (as someone to meet) nor given any.
	Recommendations bool `json:"recommendations"`
	// UpdatedAt is when the choice was last changed.
	UpdatedAt time.Time `json:"updated_at,omitzero"`
}
