package vuln

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/ospo-project/ospo/internal/catalog"
)

// Limits on what Load reads from a zip file, against zip bombs.
const (
	// MaxZipEntries is the most entries one zip file may hold.
	MaxZipEntries = 2 << 20
	// MaxZipTotal is the most bytes one zip file may expand to.
	MaxZipTotal = 8 << 30
	// MaxZipRatio is the largest uncompressed/compressed ratio of an entry
	// bigger than 64 KiB. OSV JSON compresses about 5-15 times.
	MaxZipRatio = 200
)

// Report counts what a Load read and what it had to skip, by reason.
type Report struct {
	// Files is the number of files and zip entries read.
	Files int `json:"files"`
	// Records is the number of usable advisories (withdrawn ones included).
	Records int `json:"records"`
	// Skipped counts records (or files) left out, by reason.
	Skipped map[string]int `json:"skipped,omitempty"`
	// Notes counts parts of records left out (a GIT range, a package of an
	// unknown ecosystem) while the rest of the record was kept.
	Notes map[string]int `json:"notes,omitempty"`
	// Examples are the first few skips, "file: reason", to show the user.
	Examples []string `json:"examples,omitempty"`
}

// SkippedTotal is the number of records or files skipped.
func (r *Report) SkippedTotal() int {
	n := 0
	for _, c := range r.Skipped {
		n += c
	}
	return n
}

func (r *Report) skip(where, reason string) {
	if r.Skipped == nil {
		r.Skipped = map[string]int{}
	}
	r.Skipped[reason]++
	if len(r.Examples) < 10 {
		r.Examples = append(r.Examples, where+": "+reason)
	}
}

func (r *Report) note(reason string) {
	if r.Notes == nil {
		r.Notes = map[string]int{}
	}
	r.Notes[reason]++
}

// Load reads OSV advisories from paths: zip files (osv.dev's
// ECOSYSTEM/all.zip), directories (walked for *.json and *.zip, symlinks
// not followed) and single JSON files. Inside a directory, a file, entry or
// record that cannot be used is skipped and counted in the report; the rest
// is read. When one id occurs more than once, the most recently modified
// copy is kept.
//
// The error is non-nil when the input cannot be read as advisories at all:
// a path that does not exist; a path named directly that is not a regular
// file or a directory (a device such as /dev/zero or a FIFO, never read);
// a file named directly that is neither a zip file nor JSON, judged by its
// first bytes whatever its name (/etc/passwd), or a zip file that cannot be
// opened; and paths in which no zip or JSON file was found at all.
func Load(paths []string) ([]catalog.Advisory, Report, error) {
	l := loader{byID: map[string]int{}}
	for _, p := range paths {
		fi, err := os.Stat(p)
		if err != nil {
			return nil, l.rep, err
		}
		if !fi.IsDir() {
			if err := l.named(p, fi); err != nil {
				return nil, l.rep, err
			}
			continue
		}
		if fi.IsDir() {
			err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
				if err != nil {
					l.rep.skip(path, ReasonUnreadable)
					return nil
				}
				if d.Type()&fs.ModeSymlink != 0 || !d.Type().IsRegular() {
					return nil
				}
				l.file(path)
				return nil
			})
			if err != nil {
				return nil, l.rep, err
			}
		}
	}
	if l.rep.Files == 0 {
		return nil, l.rep, fmt.Errorf("no OSV advisories in %s: want zip files (osv.dev's ECOSYSTEM/all.zip) or OSV JSON files", strings.Join(paths, ", "))
	}
	sort.Slice(l.out, func(i, j int) bool { return l.out[i].ID < l.out[j].ID })
	return l.out, l.rep, nil
}

// named reads a file given by the user, with stat fi (links followed).
// What it is is decided by its first bytes, not its name: a zip file, else a
// JSON record; anything else is an error, as is a file that is not regular
// (whose read could block or never end) or a zip file that cannot be opened.
func (l *loader) named(path string, fi fs.FileInfo) error {
	if !fi.Mode().IsRegular() {
		return fmt.Errorf("%s is not a file or a directory (%s)", path, fi.Mode().Type())
	}
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	head := make([]byte, 512)
	n, err := io.ReadFull(f, head)
	f.Close()
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return fmt.Errorf("read %s: %w", path, err)
	}
	head = head[:n]
	switch {
	case bytes.HasPrefix(head, []byte("PK\x03\x04")) || bytes.HasPrefix(head, []byte("PK\x05\x06")):
		zr, err := zip.OpenReader(path)
		if err != nil {
			return fmt.Errorf("%s: not a readable zip file: %w", path, err)
		}
		zr.Close()
		l.zip(path)
	case bytes.HasPrefix(bytes.TrimLeft(bytes.TrimPrefix(head, []byte("\xef\xbb\xbf")), " \t\r\n"), []byte("{")):
		l.json(path)
	default:
		return fmt.Errorf("%s is neither a zip file nor OSV JSON", path)
	}
	return nil
}

type loader struct {
	out  []catalog.Advisory
	byID map[string]int
	rep  Report
}

func (l *loader) file(path string) {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".zip":
		l.zip(path)
	case ".json":
		l.json(path)
	}
}

// json reads one OSV JSON file, never more than MaxRecordSize bytes.
func (l *loader) json(path string) {
	fi, err := os.Stat(path)
	if err != nil || !fi.Mode().IsRegular() {
		l.rep.skip(path, ReasonUnreadable)
		return
	}
	l.rep.Files++
	if fi.Size() > MaxRecordSize {
		l.rep.skip(path, ReasonTooLarge)
		return
	}
	f, err := os.Open(path)
	if err != nil {
		l.rep.skip(path, ReasonUnreadable)
		return
	}
	data, err := io.ReadAll(io.LimitReader(f, MaxRecordSize+1))
	f.Close()
	switch {
	case err != nil:
		l.rep.skip(path, ReasonUnreadable)
	case len(data) > MaxRecordSize: // grew since Stat
		l.rep.skip(path, ReasonTooLarge)
	default:
		l.record(path, data)
	}
}

func (l *loader) zip(path string) {
	zr, err := zip.OpenReader(path)
	if err != nil {
		l.rep.skip(path, ReasonBadZip)
		return
	}
	defer zr.Close()
	if len(zr.File) > MaxZipEntries {
		l.rep.skip(path, ReasonZipLimit)
		return
	}
	var total uint64
	for _, f := range zr.File {
		if f.FileInfo().IsDir() || !strings.HasSuffix(strings.ToLower(f.Name), ".json") {
			continue
		}
		where := path + ":" + f.Name
		l.rep.Files++
		if f.UncompressedSize64 > MaxRecordSize {
			l.rep.skip(where, ReasonTooLarge)
			continue
		}
		if f.UncompressedSize64 > 64<<10 && f.UncompressedSize64 > MaxZipRatio*max(f.CompressedSize64, 1) {
			l.rep.skip(where, ReasonZipLimit)
			continue
		}
		data, err := readEntry(f)
		if err != nil {
			if errors.Is(err, errTooLarge) {
				l.rep.skip(where, ReasonTooLarge)
			} else {
				l.rep.skip(where, ReasonBadZip)
			}
			continue
		}
		total += uint64(len(data))
		if total > MaxZipTotal {
			l.rep.skip(path, ReasonZipLimit)
			return
		}
		l.record(where, data)
	}
}

var errTooLarge = errors.New("too large")

// readEntry reads a zip entry, never more than MaxRecordSize bytes whatever
// its header claims.
func readEntry(f *zip.File) ([]byte, error) {
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	data, err := io.ReadAll(io.LimitReader(rc, MaxRecordSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxRecordSize {
		return nil, errTooLarge
	}
	return data, nil
}

func (l *loader) record(where string, data []byte) {
	r, notes, err := Parse(data)
	for _, n := range notes {
		l.rep.note(n)
	}
	if err != nil {
		reason := err.Error()
		if strings.HasPrefix(reason, ReasonMalformed) {
			reason = ReasonMalformed
		}
		l.rep.skip(where, reason)
		return
	}
	a := r.Catalog(data)
	if i, ok := l.byID[a.ID]; ok {
		l.rep.skip(where, ReasonDuplicate)
		if a.Modified.After(l.out[i].Modified) {
			l.out[i] = a
		}
		return
	}
	l.rep.Records++
	l.byID[a.ID] = len(l.out)
	l.out = append(l.out, a)
}

// String summarises the report in one line per reason.
func (r *Report) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d files read, %d advisories, %d skipped\n", r.Files, r.Records, r.SkippedTotal())
	for _, kv := range sortedCounts(r.Skipped) {
		fmt.Fprintf(&b, "  skipped %6d  %s\n", kv.n, kv.k)
	}
	for _, kv := range sortedCounts(r.Notes) {
		fmt.Fprintf(&b, "  note    %6d  %s\n", kv.n, kv.k)
	}
	return b.String()
}

type count struct {
	k string
	n int
}

func sortedCounts(m map[string]int) []count {
	out := make([]count, 0, len(m))
	for k, n := range m {
		out = append(out, count{k, n})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].n != out[j].n {
			return out[i].n > out[j].n
		}
		return out[i].k < out[j].k
	})
	return out
}
