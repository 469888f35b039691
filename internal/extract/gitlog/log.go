package gitlog

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/gitcmd"
)

// Log is the commits Mine's walk from HEAD read (Options.Log), as the event
// derivation reads them: one `git log` process serves both the contributions
// and the events. Its files are counted with whitespace (Mine's walk), where
// Commits ignores whitespace: see Range.
type Log struct {
	// head is the first commit of the walk: HEAD when it was read.
	head string
	// commits are newest first, in git log's order, at most max.
	commits []catalog.CommitFact
	// cut reports that the walk read more commits than were kept.
	cut bool
	// bad reports that the walk failed or was restarted (a damaged
	// history): what was kept may lack commits or files.
	bad bool

	max    int
	parser factParser
}

// newLog returns a Log keeping the newest keep commits of a walk.
func newLog(keep int) *Log {
	l := &Log{max: keep}
	l.parser.emit = func(c catalog.CommitFact) {
		for i := range c.Files {
			f := &c.Files[i]
			f.MaybeWhitespace = f.Added > 0 && f.Added == f.Removed
		}
		l.commits = append(l.commits, c)
	}
	return l
}

// header starts a commit of the walk.
func (l *Log) header(hash, parents, at, email, name []byte) {
	if len(l.commits) == 0 && l.parser.cur == nil {
		l.head = string(hash)
	}
	if len(l.commits)+l.parser.open() >= l.max {
		l.parser.finish()
		l.cut = true
		return
	}
	l.parser.begin(factOf(string(hash), string(parents), string(name), string(email), string(at)))
}

// line reads a numstat or summary line of the current commit.
func (l *Log) line(line []byte) {
	if l.cut {
		return
	}
	l.parser.line(string(line))
}

// done ends the walk.
func (l *Log) done() { l.parser.finish() }

// Len is the number of commits kept.
func (l *Log) Len() int {
	if l == nil {
		return 0
	}
	return len(l.commits)
}

// Files is the number of files listed by the commits kept: with Len, what
// holding the Log costs.
func (l *Log) Files() int {
	if l == nil {
		return 0
	}
	n := 0
	for _, c := range l.commits {
		n += len(c.Files)
	}
	return n
}

// Range returns what Commits(ctx, dir, r) returns, from the walk, without
// running git, and whether it could: the walk must have read HEAD as
// r.Head (when given) without failure, hold the whole history unless r.Since
// is empty and r.Max cuts it, and hold r.Since when given (a Since that is
// not in the history walked may still be in the repository, where only git
// can tell its ancestors).
//
// One difference: Files count whitespace changes, and a file whose change
// is whitespace only is listed (Commits ignores whitespace); such files are
// among those marked MaybeWhitespace. IgnoringWhitespace gives the files of
// the commits where it matters as Commits lists them.
func (l *Log) Range(r CommitRange) (CommitList, bool) {
	if l == nil || l.bad || (r.Head != "" && r.Head != l.head) {
		return CommitList{}, false
	}
	var list []catalog.CommitFact
	res := CommitList{Complete: r.Since == ""}
	if r.Since == "" {
		list = l.commits
	} else {
		if l.cut {
			return CommitList{}, false
		}
		index := make(map[string]int, len(l.commits))
		for i, c := range l.commits {
			index[c.Hash] = i
		}
		i, ok := index[r.Since]
		if !ok {
			return CommitList{}, false
		}
		// Leave out r.Since and its ancestors, as `git log HEAD ^since` does.
		out := make([]bool, len(l.commits))
		stack := []int{i}
		for len(stack) > 0 {
			i := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if out[i] {
				continue
			}
			out[i] = true
			for _, p := range l.commits[i].Parents {
				if j, ok := index[p]; ok && !out[j] {
					stack = append(stack, j)
				}
			}
		}
		for i, c := range l.commits {
			if !out[i] {
				list = append(list, c)
			}
		}
	}
	switch {
	case r.Max > 0 && len(list) > r.Max:
		list = list[:r.Max]
		res.Truncated = true
	case l.cut:
		return CommitList{}, false // more commits than kept, not known
	}
	// Oldest first, in a slice of their own: the Log stays as it is.
	res.Commits = make([]catalog.CommitFact, len(list))
	for i, c := range list {
		c.Files = append([]catalog.CommitFile(nil), c.Files...)
		res.Commits[len(list)-1-i] = c
	}
	return res, true
}

// IgnoringWhitespace returns the files of each commit named, as Commits
// lists them (line counts ignoring whitespace, no file whose change is
// whitespace only), by commit hash, from one `git log --no-walk` run. A
// commit without files is absent from the map.
func IgnoringWhitespace(ctx context.Context, dir string, hashes []string) (map[string][]catalog.CommitFile, error) {
	out := map[string][]catalog.CommitFile{}
	if len(hashes) == 0 {
		return out, nil
	}
	for _, h := range hashes {
		if !isHex([]byte(h)) {
			return nil, fmt.Errorf("files of %s: %q is not a commit hash", dir, h)
		}
	}
	cmd := gitcmd.Command(ctx, dir, "log", "-w", "--no-renames", "--numstat", "--summary", "--no-color",
		"--no-walk=unsorted", "--stdin", "--format=%x1e%H")
	cmd.Stdin = strings.NewReader(strings.Join(hashes, "\n") + "\n")
	stderr := &headWriter{max: 4096}
	cmd.Stderr = stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, fmt.Errorf("files of %s: %w", dir, err)
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("files of %s: start git: %w", dir, err)
	}
	p := factParser{emit: func(c catalog.CommitFact) {
		if len(c.Files) > 0 {
			out[c.Hash] = c.Files
		}
	}}
	lr := newLineReader(stdout)
	var readErr error
	for {
		line, err := lr.next()
		if err != nil {
			if !errors.Is(err, io.EOF) {
				readErr = err
			}
			break
		}
		if len(line) > 0 && line[0] == recordSep {
			p.begin(catalog.CommitFact{Hash: string(line[1:])})
			continue
		}
		p.line(string(line))
	}
	p.finish()
	waitErr := cmd.Wait()
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("files of %s: %w", dir, err)
	}
	if readErr != nil {
		return nil, fmt.Errorf("files of %s: read git log: %w", dir, readErr)
	}
	if waitErr != nil {
		return nil, fmt.Errorf("files of %s: git log: %v: %s", dir, waitErr, reason(stderr.String()))
	}
	return out, nil
}

// factOf builds a commit from the header fields Commits and Log read.
func factOf(hash, parents, name, email, at string) catalog.CommitFact {
	c := catalog.CommitFact{Hash: hash, Name: validText(name), Email: strings.ToLower(validText(email))}
	if parents != "" {
		c.Parents = strings.Fields(parents)
	}
	if sec, err := strconv.ParseInt(at, 10, 64); err == nil {
		c.At = time.Unix(sec, 0).UTC()
	}
	return c
}

// factParser reads the --numstat and --summary lines of a stream of commits
// into catalog.CommitFacts, handing each to emit when the next begins.
type factParser struct {
	emit    func(catalog.CommitFact)
	cur     *catalog.CommitFact
	created map[string]bool
}

// open is 1 while a commit is being read.
func (p *factParser) open() int {
	if p.cur != nil {
		return 1
	}
	return 0
}

// begin ends the current commit and starts c.
func (p *factParser) begin(c catalog.CommitFact) {
	p.finish()
	p.cur = &c
}

// finish hands the current commit, if any, to emit.
func (p *factParser) finish() {
	if p.cur == nil {
		return
	}
	for i := range p.cur.Files {
		if p.created[p.cur.Files[i].Path] {
			p.cur.Files[i].Created = true
		}
	}
	c := *p.cur
	p.cur = nil
	clear(p.created)
	p.emit(c)
}

// line reads one line after a commit's header: "added TAB removed TAB path"
// (--numstat, "-" counts for a binary file) or " create mode MODE path"
// (--summary); others are ignored.
func (p *factParser) line(line string) {
	if p.cur == nil || line == "" {
		return
	}
	if rest, ok := strings.CutPrefix(line, " create mode "); ok {
		if _, path, ok := strings.Cut(rest, " "); ok {
			if p.created == nil {
				p.created = map[string]bool{}
			}
			p.created[path] = true
		}
		return
	}
	if strings.HasPrefix(line, " ") {
		return // other --summary lines: delete mode, mode change
	}
	parts := strings.SplitN(line, "\t", 3)
	if len(parts) != 3 || len(p.cur.Files) >= MaxCommitFiles {
		return
	}
	cf := catalog.CommitFile{Path: validText(parts[2]), Added: -1, Removed: -1}
	if parts[0] != "-" {
		cf.Added, _ = strconv.ParseInt(parts[0], 10, 64)
		cf.Removed, _ = strconv.ParseInt(parts[1], 10, 64)
	}
	p.cur.Files = append(p.cur.Files, cf)
}
