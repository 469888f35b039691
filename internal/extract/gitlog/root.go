package gitlog

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"

	"github.com/ospo-project/ospo/internal/gitrepo"
)

// Root is a commit without parents, HEAD of a single-commit history, as
// `git log --numstat --summary` in Mine would print it: the author fields
// of its header and the files of its tree, every one added whole. MineRoot
// turns it into the Result Mine would give, without running git.
type Root struct {
	// Hash is the commit's full object id.
	Hash string
	// Name, Email and Time are the author's name, email and date (Unix
	// seconds) as git prints %aN, %aE and %at without a mailmap: the bytes
	// of the commit object. ParseRoot fills them.
	Name, Email, Time []byte
	// Files are the entries of the commit's tree, in git's order.
	Files []RootFile
}

// RootFile is one entry of a root commit's tree, as git's diff against
// nothing shows it.
type RootFile struct {
	// Path is the entry's path, as the bytes of the tree.
	Path string
	// Mode is the entry's mode (100644, 100755, 120000, 160000); it is
	// printed in the --summary line, which nothing reads but the path of.
	Mode uint32
	// Binary reports a file git's diff sees as binary ("-" counts).
	Binary bool
	// Lines is the number of lines added (ignored when Binary).
	Lines int64
}

// ParseRoot reads the author of the commit object data (the raw object,
// as git cat-file prints it) into a Root, and fails, saying why, when the
// commit has parents or when git log might print its author otherwise than
// as its bytes are: an encoding header other than UTF-8 (git re-encodes), a
// NUL byte, no or several author lines, or an author line that is not
// exactly "NAME <EMAIL> SECONDS ±HHMM" with a name.
func ParseRoot(hash string, data []byte) (Root, error) {
	if !isHex([]byte(hash)) {
		return Root{}, fmt.Errorf("%q is not a commit hash", hash)
	}
	if bytes.IndexByte(data, 0) >= 0 {
		return Root{}, errors.New("the commit object holds a NUL byte")
	}
	header, _, ok := bytes.Cut(data, []byte("\n\n"))
	if !ok {
		return Root{}, errors.New("the commit object has no message separator")
	}
	lines := bytes.Split(header, []byte{'\n'})
	if !bytes.HasPrefix(lines[0], []byte("tree ")) {
		return Root{}, errors.New("the commit object does not start with its tree")
	}
	var author []byte
	authors := 0
	for _, line := range lines[1:] {
		switch {
		case bytes.HasPrefix(line, []byte("parent ")):
			return Root{}, errors.New("the commit has parents")
		case bytes.HasPrefix(line, []byte("encoding ")):
			enc := string(bytes.ToLower(line[len("encoding "):]))
			if enc != "utf-8" && enc != "utf8" {
				return Root{}, fmt.Errorf("the commit is encoded in %q", line[len("encoding "):])
			}
		case bytes.HasPrefix(line, []byte("author ")):
			author = line[len("author "):]
			authors++
		}
	}
	if authors != 1 {
		return Root{}, fmt.Errorf("the commit has %d author lines", authors)
	}
	name, email, at, ok := splitIdent(author)
	if !ok {
		return Root{}, fmt.Errorf("author line %q is not plain", author)
	}
	return Root{Hash: hash, Name: name, Email: email, Time: at}, nil
}

// splitIdent splits "NAME <EMAIL> SECONDS ±HHMM" as git's split_ident_line
// does (the name without its trailing blanks), reporting false for anything
// less regular: no name, more than one '<' or '>', anything after the time
// zone, a date of more than 18 digits or with a leading zero.
func splitIdent(line []byte) (name, email, at []byte, ok bool) {
	lt := bytes.IndexByte(line, '<')
	gt := bytes.IndexByte(line, '>')
	if lt < 0 || gt < lt || bytes.Count(line, []byte{'<'}) != 1 || bytes.Count(line, []byte{'>'}) != 1 {
		return nil, nil, nil, false
	}
	name = bytes.TrimRight(line[:lt], " \t\r")
	if len(name) == 0 || len(name) == lt {
		return nil, nil, nil, false // no name, or no blank before '<'
	}
	email = line[lt+1 : gt]
	rest, ok := bytes.CutPrefix(line[gt+1:], []byte{' '})
	if !ok {
		return nil, nil, nil, false
	}
	at, zone, ok := bytes.Cut(rest, []byte{' '})
	if !ok || !digits(at) || len(at) > 18 || (len(at) > 1 && at[0] == '0') ||
		len(zone) != 5 || (zone[0] != '+' && zone[0] != '-') || !digits(zone[1:]) {
		return nil, nil, nil, false
	}
	return name, email, at, true
}

func digits(b []byte) bool {
	if len(b) == 0 {
		return false
	}
	for _, c := range b {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// MineRoot returns what Mine(ctx, dir, opts) returns for a repository
// whose history is the single commit r, when git log there shows r as its
// objects are (no mailmap, no attributes, no config changing the output:
// the caller checks that). It feeds Mine's own aggregation the lines git
// log would print, so the two cannot drift apart.
func MineRoot(r Root, opts Options) Result {
	m := &miner{agg: newAggregator(), opts: opts}
	if opts.Files {
		m.agg.files = make(map[string]*fileAgg)
	}
	if opts.Log > 0 {
		m.agg.log = newLog(opts.Log + 1)
	}
	a := m.agg
	var line []byte
	line = append(line, r.Hash...)
	line = append(line, unitSep)
	if a.log != nil {
		line = append(line, unitSep) // no parents
	}
	line = append(line, r.Time...)
	line = append(line, unitSep)
	line = append(line, r.Email...)
	line = append(line, unitSep)
	line = append(line, r.Name...)
	a.cur = nil
	a.header(clipLine(line, 1))
	for _, f := range r.Files {
		line = line[:0]
		if f.Binary {
			line = append(line, "-\t-\t"...)
		} else {
			line = strconv.AppendInt(line, f.Lines, 10)
			line = append(line, "\t0\t"...)
		}
		line = appendQuoted(line, f.Path)
		a.line(clipLine(line, 0))
	}
	if a.log != nil {
		for _, f := range r.Files {
			line = append(line[:0], " create mode "...)
			line = strconv.AppendUint(line, uint64(f.Mode), 8)
			line = append(line, ' ')
			line = appendQuoted(line, f.Path)
			a.line(clipLine(line, 0))
		}
		a.log.done()
	}
	return m.result()
}

// clipLine cuts a line of git's output, less its first skip bytes (the
// record separator), as lineReader does: to its first maxLine bytes when
// it does not fit, with its newline, in maxLine.
func clipLine(line []byte, skip int) []byte {
	if skip+len(line)+1 > maxLine {
		return line[:maxLine-skip]
	}
	return line
}

// appendQuoted appends path as git prints it in --numstat and --summary
// lines with core.quotePath off (gitcmd sets it): as it is, unless it holds
// a control character, a double quote or a backslash; then between double
// quotes, with those escaped as C does (\a \b \t \n \v \f \r \" \\, octal
// for the others). Bytes from 0x80 are never escaped.
func appendQuoted(dst []byte, path string) []byte {
	i := 0
	for ; i < len(path) && !mustQuote(path[i]); i++ {
	}
	if i == len(path) {
		return append(dst, path...)
	}
	dst = append(dst, '"')
	for j := 0; j < len(path); j++ {
		c := path[j]
		if !mustQuote(c) {
			dst = append(dst, c)
			continue
		}
		dst = append(dst, '\\')
		switch c {
		case '\a':
			dst = append(dst, 'a')
		case '\b':
			dst = append(dst, 'b')
		case '\t':
			dst = append(dst, 't')
		case '\n':
			dst = append(dst, 'n')
		case '\v':
			dst = append(dst, 'v')
		case '\f':
			dst = append(dst, 'f')
		case '\r':
			dst = append(dst, 'r')
		case '"', '\\':
			dst = append(dst, c)
		default:
			dst = append(dst, '0'+c>>6, '0'+(c>>3)&7, '0'+c&7)
		}
	}
	return append(dst, '"')
}

// mustQuote is git's cq_must_quote with core.quotePath off.
func mustQuote(c byte) bool { return c < 0x20 || c == '"' || c == '\\' || c == 0x7f }

// RootOf returns the Root of the commit tree lists, when it is the single
// commit of HEAD's history in repo and git log in repo.Dir would show it as
// its objects are (see gitrepo.Repo.PlainLog); otherwise it fails, saying
// why, and Mine must run git log. tree must be HEAD's, listed whole. The
// blobs are read, and their lines counted, through the tree's cat-file
// process.
func RootOf(repo *gitrepo.Repo, tree *gitrepo.Tree) (Root, error) {
	data, err := tree.CommitObject()
	if err != nil {
		return Root{}, err
	}
	root, err := ParseRoot(tree.Commit(), data)
	if err != nil {
		return Root{}, err
	}
	if err := repo.PlainLog(tree); err != nil {
		return Root{}, err
	}
	added, err := tree.AddedLines()
	if err != nil {
		return Root{}, err
	}
	files := tree.Files()
	root.Files = make([]RootFile, len(files))
	for i, f := range files {
		root.Files[i] = RootFile{Path: f.Path, Mode: tree.Mode(i), Binary: added[i].Binary, Lines: added[i].Lines}
	}
	return root, nil
}
