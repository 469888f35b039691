package gitlog

import (
	"bufio"
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/gitcmd"
)

// MaxCommitFiles bounds the files recorded per commit: a commit touching
// more (a vendored tree, a mass reformat) keeps the first ones only, which
// is enough for the event derivation to judge it.
const MaxCommitFiles = 2000

// CommitRange is the part of a history Commits reads.
type CommitRange struct {
	// Head is the newest commit ("" means HEAD).
	Head string
	// Since, when not empty, is a commit already read: its ancestors are
	// left out. A Since that is not in the repository any more (history
	// rewritten) reads the whole history, Complete then being true.
	Since string
	// Max caps the commits read, the newest kept; 0 means no cap.
	Max int
}

// CommitList is what Commits read.
type CommitList struct {
	// Commits are oldest first. Files are compared with the first parent,
	// ignoring whitespace (git leaves a file whose change is whitespace
	// only out, so a whitespace-only commit lists no file); merges list
	// no files.
	Commits []catalog.CommitFact
	// Complete reports that the walk read from the root (Since was empty
	// or unknown) rather than from Since.
	Complete bool
	// Truncated reports that Max cut the walk.
	Truncated bool
}

// Commits reads the commits of the repository at dir in r, with the files
// each changed, streamed from one `git log` run through gitcmd.
func Commits(ctx context.Context, dir string, r CommitRange) (CommitList, error) {
	head := r.Head
	if head == "" {
		head = "HEAD"
	}
	since := r.Since
	if since != "" {
		if _, err := gitcmd.Output(ctx, dir, "cat-file", "-e", since+"^{commit}"); err != nil {
			since = ""
		}
	}
	args := []string{"log", "-w", "--no-renames", "--numstat", "--summary", "--no-color",
		"--format=%x1e%H%x1f%P%x1f%aN%x1f%aE%x1f%at"}
	if r.Max > 0 {
		args = append(args, "-n", strconv.Itoa(r.Max+1))
	}
	args = append(args, head)
	if since != "" {
		args = append(args, "^"+since)
	}
	args = append(args, "--")
	cmd := gitcmd.Command(ctx, dir, args...)
	stderr := &headWriter{max: 4096}
	cmd.Stderr = stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return CommitList{}, fmt.Errorf("commits of %s: %w", dir, err)
	}
	if err := cmd.Start(); err != nil {
		return CommitList{}, fmt.Errorf("commits of %s: start git: %w", dir, err)
	}
	var list []catalog.CommitFact
	sc := bufio.NewScanner(out)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	p := factParser{emit: func(c catalog.CommitFact) { list = append(list, c) }}
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "\x1e") {
			p.finish()
			f := strings.Split(line[1:], "\x1f")
			if len(f) != 5 {
				continue
			}
			p.begin(factOf(f[0], f[1], f[2], f[3], f[4]))
			continue
		}
		p.line(line)
	}
	p.finish()
	readErr := sc.Err()
	waitErr := cmd.Wait()
	if err := ctx.Err(); err != nil {
		return CommitList{}, fmt.Errorf("commits of %s: %w", dir, err)
	}
	if readErr != nil {
		return CommitList{}, fmt.Errorf("commits of %s: read git log: %w", dir, readErr)
	}
	if waitErr != nil && len(list) == 0 {
		if empty, err := isUnborn(ctx, dir); err == nil && empty {
			return CommitList{Complete: true}, nil
		}
		return CommitList{}, fmt.Errorf("commits of %s: git log: %v: %s", dir, waitErr, reason(stderr.String()))
	}
	res := CommitList{Complete: since == ""}
	if r.Max > 0 && len(list) > r.Max {
		list = list[:r.Max]
		res.Truncated = true
	}
	// git gives newest first; the derivation wants oldest first.
	for i, j := 0, len(list)-1; i < j; i, j = i+1, j-1 {
		list[i], list[j] = list[j], list[i]
	}
	res.Commits = list
	return res, nil
}

// isUnborn reports whether the repository at dir has no commit yet.
func isUnborn(ctx context.Context, dir string) (bool, error) {
	_, err := gitcmd.Output(ctx, dir, "rev-parse", "--verify", "-q", "HEAD^{commit}")
	if err == nil {
		return false, nil
	}
	if _, err2 := gitcmd.Output(ctx, dir, "rev-parse", "--git-dir"); err2 != nil {
		return false, err2
	}
	return true, nil
}

// validText makes s valid UTF-8 of at most 1 KiB.
func validText(s string) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	if len(s) > 1024 {
		s = s[:1024]
		for !utf8.ValidString(s) {
			s = s[:len(s)-1]
		}
	}
	return s
}

// Tags returns the dates of the repository's tags (an annotated tag's own
// date, a lightweight tag's commit date), oldest first: the releases a
// community health report counts.
func Tags(ctx context.Context, dir string) ([]time.Time, error) {
	out, err := gitcmd.Output(ctx, dir, "for-each-ref", "--format=%(creatordate:unix)", "refs/tags")
	if err != nil {
		return nil, fmt.Errorf("tags of %s: %w", dir, err)
	}
	var ts []time.Time
	for _, line := range strings.Fields(out) {
		if sec, err := strconv.ParseInt(line, 10, 64); err == nil {
			ts = append(ts, time.Unix(sec, 0).UTC())
		}
	}
	sort.Slice(ts, func(i, j int) bool { return ts[i].Before(ts[j]) })
	return ts, nil
}
