// Package source lists the repositories a scan should read. localdir/ finds
// git checkouts under directories on disk; hosted sources (GitHub, GitLab)
// will sit beside it and produce the same Candidates.
package source

// Candidate is one repository found by a source, not yet opened.
type Candidate struct {
	// Path is the absolute path of the work tree root or bare repository.
	Path string
	// RealPath is Path with symlinks resolved; two candidates with the same
	// RealPath are the same repository.
	RealPath string
	// Bare reports a repository without a work tree.
	Bare bool
}

// Problem is something discovery could not read. It is not tied to a
// project (there is none yet), so it is reported in the scan summary.
type Problem struct {
	Path    string
	Message string
}
