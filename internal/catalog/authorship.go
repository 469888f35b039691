package catalog

import "time"

// FileHistory is what a repository's history says of one file: how often it
// changed, who created it and who changed it. It is the raw fact from which
// authorship (who knows the file) is computed.
type FileHistory struct {
	// Path is slash-separated and relative to the repository root.
	Path string `json:"path"`
	// Changes is the number of commits that changed the file.
	Changes int `json:"changes"`
	// Creator is the index, in the same history's contributions, of the
	// author of the oldest commit that touched the file; -1 when unknown
	// (the history was cut before it, as in a shallow clone).
	Creator int `json:"creator"`
	// Authors holds each contributor who changed the file, most changes first.
	Authors []FileChanges `json:"authors"`
}

// FileChanges is one contributor's changes to one file.
type FileChanges struct {
	// Contributor is the index of the identity in the history's contributions.
	Contributor int `json:"contributor"`
	// Changes is the number of that contributor's commits that changed the file.
	Changes int `json:"changes"`
	// Last is the author date of the newest of them (zero when unknown).
	Last time.Time `json:"last"`
}

// Expertise is who knows a project's code, as its history shows: the
// degree of authorship of each file (Fritz et al.) rolled up to people and
// directories, the truck factor (Avelino et al., ICPC 2016) and CHAOSS'
// contributor absence factor. People are identities as the history spells
// them (the catalogue merges them into people when it reads them back).
type Expertise struct {
	// Files is the number of files authorship was computed over: the files
	// at HEAD that the history touched, vendored and generated ones aside.
	Files int `json:"files"`
	// TruckFactor is the number of people who would have to leave before
	// more than half of the files have no author left; 0 when there is no
	// file to judge by.
	TruckFactor int `json:"truck_factor"`
	// KeyPeople are the truck factor's people, in the order the greedy
	// algorithm removed them (most files authored first).
	KeyPeople []Identity `json:"key_people,omitempty"`
	// AbsenceFactor is CHAOSS' contributor absence factor: the fewest
	// people whose commits make up half of all commits.
	AbsenceFactor int `json:"absence_factor"`
	// Authors lists the people who author at least one file, most files
	// first (at most 100).
	Authors []Author `json:"authors,omitempty"`
	// Dirs rolls authorship up to directories (the root is ""), largest
	// first, at most 100 with their 5 main authors each; directories deeper
	// than two levels count towards their ancestor at depth two.
	Dirs []DirAuthorship `json:"dirs,omitempty"`
}

// Author is one person's authorship in a project or a directory.
type Author struct {
	Identity
	// Files is the number of files of which the person is an author.
	Files int `json:"files"`
	// Share is Files over the files considered, 0 to 1.
	Share float64 `json:"share"`
	// LastChange is the newest author date of the person's changes to
	// those files.
	LastChange time.Time `json:"last_change"`
	// PersonID is filled in by the store when reading, once identities
	// have been merged into people; empty in a scanned value.
	PersonID string `json:"person_id,omitempty"`
}

// DirAuthorship is the authorship of the files under one directory.
type DirAuthorship struct {
	Dir     string   `json:"dir"`
	Files   int      `json:"files"`
	Authors []Author `json:"authors"`
}

// Expert is a person ranked by the evidence that they know something (a
// package, a language, a set of projects): their authorship of the code of
// the projects concerned, decayed by age.
type Expert struct {
	Identity
	// PersonID is the catalogue person, when identities have been merged.
	PersonID string `json:"person_id,omitempty"`
	// Score sums, over the projects, the person's share of the project's
	// files, halved for each half-life since their last change there, and
	// (from a forge source) their share of its reviews, counting half.
	Score float64 `json:"score"`
	// Evidence is the person's authorship in each project, strongest first.
	Evidence []ExpertEvidence `json:"evidence"`
}

// ExpertEvidence is one project's part in an Expert's score.
type ExpertEvidence struct {
	ProjectID  int64     `json:"project_id"`
	Project    string    `json:"project"`
	Files      int       `json:"files"`
	Share      float64   `json:"share"`
	LastChange time.Time `json:"last_change"`
	// Reviews is how many reviews of the project's pull requests (merge
	// requests) the person made, when a forge source brought them;
	// LastReview is the newest.
	Reviews    int       `json:"reviews,omitempty"`
	LastReview time.Time `json:"last_review,omitzero"`
	Weight     float64   `json:"weight"`
}
