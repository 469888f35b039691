package catalog

import "time"

// ScanRun is the dated summary of one scan of the estate, kept so trends can
// be drawn and so the hub can show what the last scan did.
type ScanRun struct {
	ID         int64     `json:"id,omitempty"`
	StartedAt  time.Time `json:"started_at"`
	FinishedAt time.Time `json:"finished_at,omitzero"`
	Roots      []string  `json:"roots"`
	Found      int       `json:"found"`
	Scanned    int       `json:"scanned"`
	Unchanged  int       `json:"unchanged"`
	Failed     int       `json:"failed"`
	// Problems is the number of problems recorded across all projects scanned.
	Problems int `json:"problems"`
}

// Scanned is what a scan stores of one project it analysed: the project's
// facts and, when it was scored, its scorecard.
type Scanned struct {
	Project *Project
	Score   *Scorecard
}
