package gitrepo

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Change is a commit that changed a file: the newest one, as LastChanges
// reports it.
type Change struct {
	// Commit is the commit's full object id.
	Commit string
	// Date is the author date.
	Date time.Time
	// Author and Email name the commit's author.
	Author, Email string
}

// DefaultMaxCommits is how many commits LastChanges reads when its
// maxCommits is zero.
const DefaultMaxCommits = 10_000

// errAllFound stops the log once every path asked for has its change.
var errAllFound = errors.New("all found")

// LastChanges returns, for each path of paths, the newest commit reachable
// from commit (a full object id) that changed it, found by one
// "git log --name-only --no-renames" over the paths, reading at most
// maxCommits commits (0 means DefaultMaxCommits). A path not changed in
// those commits, or whose name git quotes (control characters, quotes), is
// absent from the result. Nothing is fetched in a partial clone.
func (r *Repo) LastChanges(ctx context.Context, commit string, paths []string, maxCommits int) (map[string]Change, error) {
	out := make(map[string]Change, len(paths))
	if len(paths) == 0 {
		return out, nil
	}
	if !isOID(commit) {
		return nil, fmt.Errorf("last changes in %s: %q is not a full object id", r.GitDir, commit)
	}
	if maxCommits <= 0 {
		maxCommits = DefaultMaxCommits
	}
	want := make(map[string]bool, len(paths))
	for _, p := range paths {
		want[p] = true
	}
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	args := []string{"--literal-pathspecs", "-c", "core.quotePath=false", "log", "--no-renames", "--name-only",
		"--format=\x01%H%x00%aI%x00%an%x00%ae", "-n", fmt.Sprint(maxCommits), commit, "--"}
	var cur Change
	err := r.gitLines(ctx, func(line []byte) {
		if bytes.HasPrefix(line, []byte{1}) {
			f := strings.Split(string(line[1:]), "\x00")
			cur = Change{}
			if len(f) == 4 {
				cur.Commit, cur.Author, cur.Email = f[0], f[2], f[3]
				cur.Date, _ = time.Parse(time.RFC3339, f[1])
			}
			return
		}
		p := string(line)
		if p == "" || cur.Commit == "" || !want[p] {
			return
		}
		if _, seen := out[p]; !seen {
			out[p] = cur
			if len(out) == len(want) {
				cancel(errAllFound)
			}
		}
	}, append(args, paths...)...)
	if err != nil && !errors.Is(context.Cause(ctx), errAllFound) {
		return nil, fmt.Errorf("last changes in %s: %w", r.GitDir, err)
	}
	return out, nil
}
