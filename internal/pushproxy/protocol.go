package pushproxy

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/ospo-project/ospo/internal/lazyre"
)

// zeroID is the object id git uses for "no object" (a ref created or
// deleted).
const zeroID = "0000000000000000000000000000000000000000"

// capabilities are what the proxy advertises to a pushing client: status
// reports with side-band progress (so every finding reaches the client as
// a remote: line), and nothing the proxy does not carry through to the
// upstream (no deletions, atomic pushes, push options or certificates).
const capabilities = "report-status side-band-64k quiet ofs-delta object-format=sha1 agent=ospo-proxy"

// command is one ref update of a push request.
type command struct {
	Old, New, Ref string
}

// request is the command section of a git-receive-pack request.
type request struct {
	Commands []command
	Caps     map[string]bool
	Shallow  []string
	// PackOffset is where the pack starts in the request body.
	PackOffset int64
}

var (
	objectID = lazyre.New(`^[0-9a-f]{40}$`)
	// refName is a conservative check of a ref name: git check-ref-format
	// rules that matter for safety (no "..", no control characters, no
	// leading "-"); git itself checks the rest when the ref is updated.
	refName = lazyre.New(`^refs/[A-Za-z0-9._/@+-]+$`)
)

// errMalformed is a request git's client would never send.
var errMalformed = errors.New("malformed push request")

// readPktLine reads one pkt-line: its payload, or flush for "0000".
func readPktLine(r *bufio.Reader) (payload []byte, flush bool, n int, err error) {
	var hdr [4]byte
	if _, err := io.ReadFull(r, hdr[:]); err != nil {
		return nil, false, 0, fmt.Errorf("%w: %v", errMalformed, err)
	}
	size, err := strconv.ParseUint(string(hdr[:]), 16, 16)
	if err != nil {
		return nil, false, 4, fmt.Errorf("%w: bad pkt-line length %q", errMalformed, hdr)
	}
	if size == 0 {
		return nil, true, 4, nil
	}
	if size < 4 {
		return nil, false, 4, fmt.Errorf("%w: bad pkt-line length %d", errMalformed, size)
	}
	payload = make([]byte, size-4)
	if _, err := io.ReadFull(r, payload); err != nil {
		return nil, false, 4, fmt.Errorf("%w: truncated pkt-line", errMalformed)
	}
	return payload, false, int(size), nil
}

// parseRequest reads the command section of a receive-pack request: the
// ref updates up to the flush (the first carrying the capabilities after a
// NUL), preceded by any shallow lines. The pack follows at PackOffset.
func parseRequest(body io.Reader) (*request, error) {
	r := bufio.NewReaderSize(body, 4096)
	req := &request{Caps: map[string]bool{}}
	var off int64
	for {
		line, flush, n, err := readPktLine(r)
		off += int64(n)
		if err != nil {
			return nil, err
		}
		if flush {
			break
		}
		line = bytes.TrimSuffix(line, []byte("\n"))
		if sha, ok := bytes.CutPrefix(line, []byte("shallow ")); ok && len(req.Commands) == 0 {
			if !objectID.Match(sha) {
				return nil, fmt.Errorf("%w: bad shallow line", errMalformed)
			}
			req.Shallow = append(req.Shallow, string(sha))
			continue
		}
		text, caps, hasCaps := bytes.Cut(line, []byte{0})
		if hasCaps {
			if len(req.Commands) > 0 {
				return nil, fmt.Errorf("%w: capabilities after the first command", errMalformed)
			}
			for _, c := range strings.Fields(string(caps)) {
				req.Caps[c] = true
			}
		}
		f := strings.Split(string(text), " ")
		if len(f) != 3 || !objectID.MatchString(f[0]) || !objectID.MatchString(f[1]) {
			return nil, fmt.Errorf("%w: bad command %q", errMalformed, truncate(string(text), 100))
		}
		if !refName.MatchString(f[2]) || strings.Contains(f[2], "..") || strings.HasSuffix(f[2], "/") ||
			strings.HasSuffix(f[2], ".lock") || strings.Contains(f[2], "//") || strings.Contains(f[2], "@{") {
			return nil, fmt.Errorf("%w: bad ref name %q", errMalformed, truncate(f[2], 100))
		}
		req.Commands = append(req.Commands, command{Old: f[0], New: f[1], Ref: f[2]})
		if len(req.Commands) > 1000 {
			return nil, fmt.Errorf("%w: more than 1000 ref updates", errMalformed)
		}
	}
	req.PackOffset = off
	return req, nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// pktLine returns s as a pkt-line.
func pktLine(s string) []byte {
	return fmt.Appendf(nil, "%04x%s", len(s)+4, s)
}

// reply writes a receive-pack result: messages on side-band 2 (the client
// prints them as remote: lines) and the status report on band 1, or, for a
// client that asked for no side-band, the status report alone.
type reply struct {
	sideband bool
	buf      bytes.Buffer
}

// message sends one line to the client's terminal.
func (r *reply) message(format string, args ...any) {
	if !r.sideband {
		return
	}
	line := fmt.Sprintf(format, args...)
	for _, l := range strings.Split(strings.TrimRight(line, "\n"), "\n") {
		l = strings.Map(func(c rune) rune {
			if c < 0x20 && c != '\t' {
				return ' '
			}
			return c
		}, l)
		r.buf.Write(pktLine("\x02" + truncate(l, 900) + "\n"))
	}
}

// status ends the reply with the report: unpack status and one ok or ng
// line per ref (reasons by ref; an empty reason is ok).
func (r *reply) status(unpack string, refs []command, reasons map[string]string) []byte {
	var rep bytes.Buffer
	rep.Write(pktLine("unpack " + unpack + "\n"))
	for _, c := range refs {
		if why, ok := reasons[c.Ref]; ok && why != "" {
			rep.Write(pktLine("ng " + c.Ref + " " + strings.ReplaceAll(truncate(why, 200), "\n", " ") + "\n"))
		} else {
			rep.Write(pktLine("ok " + c.Ref + "\n"))
		}
	}
	rep.WriteString("0000")
	if !r.sideband {
		return rep.Bytes()
	}
	data := rep.Bytes()
	for len(data) > 0 {
		n := min(len(data), 65515)
		r.buf.Write(pktLine("\x01" + string(data[:n])))
		data = data[n:]
	}
	r.buf.WriteString("0000")
	return r.buf.Bytes()
}
