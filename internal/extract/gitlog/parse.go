package gitlog

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/ospo-project/ospo/internal/catalog"
)

// Stream format. Each commit starts with a header line
//
//	RS hash US author-time US author-email US author-name LF
//
// followed, with --numstat, by a blank line and one "added TAB removed TAB
// path" line per changed file ("-" for both counts on a binary file). The
// fixed-size fields come first so that a truncated header (see maxLine) still
// yields the hash and the date, and the name comes last so that a name holding
// the unit separator cannot shift the other fields.
const (
	recordSep = 0x1e
	unitSep   = 0x1f
	// logFormat is the --format value that produces the header line.
	logFormat = "%x1e%H%x1f%at%x1f%aE%x1f%aN"
	// logFactsFormat adds the parents after the hash, for Log.
	logFactsFormat = "%x1e%H%x1f%P%x1f%at%x1f%aE%x1f%aN"
)

const (
	// maxLine bounds the bytes buffered for one line of git's output. A
	// longer line is truncated to its first maxLine bytes; the rest is read
	// and discarded. Header and numstat lines carry their useful fields first.
	maxLine = 64 << 10
	// maxField bounds the stored length of a name or an email, so that a
	// hostile history cannot make each identity arbitrarily large.
	maxField = 1024
)

// lineReader yields the lines of a stream without ever buffering more than
// maxLine bytes of one line.
type lineReader struct {
	r    *bufio.Reader
	long []byte // holds the kept prefix of an over-long line
}

func newLineReader(r io.Reader) *lineReader {
	return &lineReader{r: bufio.NewReaderSize(r, maxLine)}
}

// next returns the next line without its newline. The slice is valid until
// the following call. At the end of the stream it returns io.EOF, after
// returning a final line that lacks a newline, if any.
func (lr *lineReader) next() ([]byte, error) {
	line, err := lr.r.ReadSlice('\n')
	if errors.Is(err, bufio.ErrBufferFull) {
		lr.long = append(lr.long[:0], line...)
		for errors.Is(err, bufio.ErrBufferFull) {
			_, err = lr.r.ReadSlice('\n')
		}
		if err != nil && !errors.Is(err, io.EOF) {
			return nil, err
		}
		return lr.long, nil
	}
	if err != nil {
		if errors.Is(err, io.EOF) && len(line) > 0 {
			return line, nil // the next call returns io.EOF again
		}
		return nil, err
	}
	return line[:len(line)-1], nil
}

// aggregator folds a stream of commits into per-identity contributions. It
// keeps one entry per identity and per active week of that identity, so its
// memory grows with the number of authors and the span of the history, never
// with the number of commits or lines read.
type aggregator struct {
	ids map[string]*identityAgg
	key []byte // reused to look identities up without allocating

	commits int    // commits counted so far, across runs
	head    string // hash of the first commit counted: HEAD

	// boundary holds the commits of a shallow clone whose parents are
	// absent: git diffs them against nothing, as if they added every file,
	// so their line counts are ignored. Nil for a complete repository.
	boundary     map[string]bool
	boundaryHits int // boundary commits counted

	// files holds each path's history when files are tracked (nil
	// otherwise); filesCut reports paths left out past maxFiles.
	files    map[string]*fileAgg
	filesCut bool

	// log, when not nil, keeps the commits read as the event derivation
	// reads them; the headers then hold the parents (logFactsFormat).
	log *Log

	cur     *identityAgg // identity of the commit being read
	curTime int64        // its author date (Unix seconds), 0 when unknown
	curWeek int          // index in cur.weeks of that commit's week, or -1
	curStat bool         // whether the commit being read has had numstat lines
	curSkip bool         // whether its numstat lines are to be ignored
}

// maxFiles bounds the paths whose history is kept, so that a history that
// touched millions of paths (generated files, vendored trees) cannot make
// one repository's scan use gigabytes.
const maxFiles = 1 << 18

// fileAgg is the running history of one path. The history is read newest
// first, so the creator is the author of the last commit seen.
type fileAgg struct {
	changes int
	creator *identityAgg
	authors []fileAuthorAgg // few per file: a slice beats a map
}

type fileAuthorAgg struct {
	id      *identityAgg
	changes int
	last    int64
}

// identityAgg is the running total of one identity.
type identityAgg struct {
	c         catalog.Contribution
	weeks     []catalog.WeekActivity
	weekIndex map[int64]int // week start (Unix seconds) → index in weeks
	lastWeek  int64         // week of the previous commit, for the common case
	lastIndex int
}

func newAggregator() *aggregator {
	return &aggregator{ids: make(map[string]*identityAgg)}
}

// runStats describes what one pass over git's output added.
type runStats struct {
	// commits is the number of commits counted by this pass.
	commits int
	// lastStat reports whether the last commit counted had numstat lines.
	lastStat bool
	// truncated reports that the stream held more commits than the limit
	// and that reading stopped there.
	truncated bool
}

// consume reads git's output until its end, or until it has counted limit
// commits and sees one more (limit < 0 means no limit). It returns the error
// of the underlying reader, never io.EOF.
func (a *aggregator) consume(r io.Reader, limit int) (runStats, error) {
	var st runStats
	lr := newLineReader(r)
	a.cur, a.curStat = nil, false
	for {
		line, err := lr.next()
		if err != nil {
			if errors.Is(err, io.EOF) {
				err = nil
			}
			st.lastStat = a.curStat
			return st, err
		}
		if len(line) == 0 {
			continue
		}
		if line[0] == recordSep {
			if limit >= 0 && st.commits >= limit {
				st.lastStat = a.curStat
				st.truncated = true
				return st, nil
			}
			a.header(line[1:])
			st.commits++
			continue
		}
		a.line(line)
	}
}

// line reads one non-empty line after a commit's header: a --numstat line,
// or a --summary line (which only the Log reads).
func (a *aggregator) line(line []byte) {
	if a.log != nil {
		a.log.line(line)
		if line[0] == ' ' {
			return // --summary
		}
	}
	if a.cur != nil {
		a.numstat(line)
	}
}

// header counts one commit from its header fields.
func (a *aggregator) header(line []byte) {
	hash, rest, _ := bytes.Cut(line, []byte{unitSep})
	var parents []byte
	if a.log != nil {
		parents, rest, _ = bytes.Cut(rest, []byte{unitSep})
	}
	at, rest, _ := bytes.Cut(rest, []byte{unitSep})
	email, name, _ := bytes.Cut(rest, []byte{unitSep})
	if a.log != nil {
		a.log.header(hash, parents, at, email, name)
	}
	if a.commits == 0 && isHex(hash) {
		a.head = string(hash)
	}
	a.commits++

	id := a.identity(clip(name), clip(email))
	id.c.Commits++
	a.cur, a.curWeek, a.curStat, a.curTime = id, -1, false, 0
	a.curSkip = a.boundary != nil && a.boundary[string(hash)]
	if a.curSkip {
		a.boundaryHits++
	}

	sec, ok := parseInt(at)
	if !ok {
		return // a commit without a readable date counts, but has no week
	}
	a.curTime = sec
	t := time.Unix(sec, 0).UTC()
	if id.c.FirstCommit.IsZero() || t.Before(id.c.FirstCommit) {
		id.c.FirstCommit = t
	}
	if id.c.LastCommit.IsZero() || t.After(id.c.LastCommit) {
		id.c.LastCommit = t
	}
	a.curWeek = id.week(catalog.WeekOf(t))
	id.weeks[a.curWeek].Commits++
}

// numstat adds one "added TAB removed TAB path" line to the current commit.
// Binary files ("-" counts) and lines that do not parse add nothing.
func (a *aggregator) numstat(line []byte) {
	addedField, rest, ok := bytes.Cut(line, []byte{'\t'})
	if !ok {
		return
	}
	removedField, path, ok := bytes.Cut(rest, []byte{'\t'})
	if !ok {
		return
	}
	a.curStat = true
	if a.curSkip {
		return
	}
	if a.files != nil && len(path) > 0 {
		a.fileChange(path) // binary files ("-" counts) are changes too
	}
	added, okA := parseInt(addedField)
	removed, okR := parseInt(removedField)
	if !okA || !okR || added < 0 || removed < 0 {
		return
	}
	a.cur.c.LinesAdded += added
	a.cur.c.LinesRemoved += removed
	if a.curWeek >= 0 {
		w := &a.cur.weeks[a.curWeek]
		w.LinesAdded += added
		w.LinesRemoved += removed
	}
}

// fileChange records that the current commit changed path.
func (a *aggregator) fileChange(path []byte) {
	f, ok := a.files[string(path)]
	if !ok {
		if len(a.files) >= maxFiles {
			a.filesCut = true
			return
		}
		f = &fileAgg{}
		a.files[unquotePath(path)] = f
	}
	f.changes++
	f.creator = a.cur
	for i := range f.authors {
		if f.authors[i].id == a.cur {
			f.authors[i].changes++
			return // newest first: last is already the newest date
		}
	}
	f.authors = append(f.authors, fileAuthorAgg{id: a.cur, changes: 1, last: a.curTime})
}

// unquotePath undoes git's C-style quoting of a path holding special
// characters ("dir/caf\303\251.go" in quotes); other paths are returned as they are.
func unquotePath(p []byte) string {
	if len(p) >= 2 && p[0] == '"' && p[len(p)-1] == '"' {
		if s, err := strconv.Unquote(string(p)); err == nil {
			return strings.ToValidUTF8(s, "\uFFFD")
		}
	}
	return strings.ToValidUTF8(string(p), "\uFFFD")
}

// identity returns the running total of (name, lower(email)), creating it.
// Bytes that are not UTF-8 become U+FFFD, in the key as in the stored names.
func (a *aggregator) identity(name, email []byte) *identityAgg {
	a.key = appendValid(a.key[:0], name)
	a.key = append(a.key, 0)
	start := len(a.key)
	a.key = appendLower(a.key, email)
	if id, ok := a.ids[string(a.key)]; ok {
		return id
	}
	id := &identityAgg{lastWeek: -1 << 63}
	id.c.Name = string(a.key[:start-1])
	id.c.Email = string(a.key[start:])
	a.ids[string(a.key)] = id
	return id
}

// week returns the index of the week starting at w in id.weeks, adding it.
func (id *identityAgg) week(w time.Time) int {
	k := w.Unix()
	if k == id.lastWeek {
		return id.lastIndex
	}
	i, ok := id.weekIndex[k]
	if !ok {
		i = len(id.weeks)
		id.weeks = append(id.weeks, catalog.WeekActivity{Week: w})
		if id.weekIndex == nil {
			id.weekIndex = make(map[int64]int)
		}
		id.weekIndex[k] = i
	}
	id.lastWeek, id.lastIndex = k, i
	return i
}

// result returns the contributions, most commits first, then by email and
// name, each one's weeks oldest first; and, when files are tracked, each
// file's history sorted by path, its authors most changes first.
func (a *aggregator) result() ([]catalog.Contribution, []catalog.FileHistory) {
	ids := make([]*identityAgg, 0, len(a.ids))
	for _, id := range a.ids {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool {
		x, y := &ids[i].c, &ids[j].c
		if x.Commits != y.Commits {
			return x.Commits > y.Commits
		}
		if x.Email != y.Email {
			return x.Email < y.Email
		}
		return x.Name < y.Name
	})
	out := make([]catalog.Contribution, len(ids))
	index := make(map[*identityAgg]int, len(ids))
	for i, id := range ids {
		c := id.c
		if len(id.weeks) > 0 {
			c.Weeks = append([]catalog.WeekActivity(nil), id.weeks...)
			sort.Slice(c.Weeks, func(i, j int) bool { return c.Weeks[i].Week.Before(c.Weeks[j].Week) })
		}
		out[i] = c
		index[id] = i
	}
	if a.files == nil {
		return out, nil
	}
	files := make([]catalog.FileHistory, 0, len(a.files))
	for path, f := range a.files {
		h := catalog.FileHistory{Path: path, Changes: f.changes, Creator: -1,
			Authors: make([]catalog.FileChanges, len(f.authors))}
		if a.boundary == nil { // a shallow clone's oldest commits did not create the file
			h.Creator = index[f.creator]
		}
		for i, fa := range f.authors {
			h.Authors[i] = catalog.FileChanges{Contributor: index[fa.id], Changes: fa.changes}
			if fa.last != 0 {
				h.Authors[i].Last = time.Unix(fa.last, 0).UTC()
			}
		}
		sort.Slice(h.Authors, func(i, j int) bool {
			if h.Authors[i].Changes != h.Authors[j].Changes {
				return h.Authors[i].Changes > h.Authors[j].Changes
			}
			return h.Authors[i].Contributor < h.Authors[j].Contributor
		})
		files = append(files, h)
	}
	sort.Slice(files, func(i, j int) bool { return files[i].Path < files[j].Path })
	return out, files
}

// clip bounds a field to maxField bytes.
func clip(b []byte) []byte {
	if len(b) > maxField {
		return b[:maxField]
	}
	return b
}

// parseInt parses an optionally signed decimal integer, saturating instead of
// overflowing. It reports false for anything else, such as "-" (binary files).
func parseInt(b []byte) (int64, bool) {
	neg := false
	if len(b) > 0 && (b[0] == '-' || b[0] == '+') {
		neg = b[0] == '-'
		b = b[1:]
	}
	if len(b) == 0 {
		return 0, false
	}
	const limit = 1<<62 - 1
	var n int64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		if n < limit/10 {
			n = n*10 + int64(c-'0')
		} else {
			n = limit
		}
	}
	if neg {
		n = -n
	}
	return n, true
}

func isHex(b []byte) bool {
	if len(b) != 40 && len(b) != 64 {
		return false
	}
	for _, c := range b {
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

// appendLower appends b lowercased to dst, with invalid UTF-8 replaced by
// U+FFFD.
func appendLower(dst, b []byte) []byte {
	for _, c := range b {
		if c >= utf8.RuneSelf {
			return appendValid(dst, bytes.ToLower(b))
		}
	}
	for _, c := range b {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		dst = append(dst, c)
	}
	return dst
}

// appendValid appends b to dst with invalid UTF-8 replaced by U+FFFD.
func appendValid(dst, b []byte) []byte {
	if utf8.Valid(b) {
		return append(dst, b...)
	}
	return append(dst, bytes.ToValidUTF8(b, []byte("\uFFFD"))...)
}
