package pushproxy

import (
	"bufio"
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

// remote speaks git's smart HTTP protocol (version 0, stateless) to an
// upstream repository itself, so that refreshing a mirror and forwarding a
// push each cost one request to the upstream and no git client process:
//
//   - refs reads the upstream's branches and tags (GET info/refs);
//   - fetch asks upload-pack for the objects of some tips, given the tips
//     the mirror has, and streams the pack (POST git-upload-pack);
//   - receivePack sends ref updates and the pack the proxy checked, as
//     received, to receive-pack (POST git-receive-pack), whose own
//     compare-and-swap of each ref's old value is the lease: a ref the
//     upstream moved since the pusher saw it is refused, never overwritten.
//
// Packs are never parsed here: git index-pack reads them (indexPack).
type remote struct {
	url   string // the repository's URL, ending in .git
	token string
	http  *http.Client
}

// upstreamTimeout bounds one exchange with an upstream.
const upstreamTimeout = 10 * time.Minute

// maxRefsAdvert caps a ref advertisement read from an upstream.
const maxRefsAdvert = 64 << 20

func (p *Proxy) remote(t *target) *remote {
	return &remote{url: t.URL, token: t.token, http: p.client}
}

// newClient returns the HTTP client of the proxy's upstream exchanges: it
// follows no redirect to another host (a token goes to its own host only).
func newClient() *http.Client {
	return &http.Client{
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) >= 5 || req.URL.Host != via[0].URL.Host || req.URL.Scheme != via[0].URL.Scheme {
				return errors.New("redirect to another host refused")
			}
			return nil
		},
	}
}

// upstreamError is a failed exchange with an upstream. Retry is true when
// the upstream could not be reached or failed (connection refused, 5xx),
// false when it refused (authentication, a ref update it would not do).
type upstreamError struct {
	Retry bool
	Msg   string
}

func (e *upstreamError) Error() string { return e.Msg }

func refused(format string, args ...any) error {
	return &upstreamError{Msg: fmt.Sprintf(format, args...)}
}

// do sends one request to the repository's service path and returns the
// response when it is 200 with the expected content type.
func (r *remote) do(ctx context.Context, method, path string, body io.Reader, size int64, contentType, want string) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, method, r.url+"/"+path, body)
	if err != nil {
		return nil, refused("upstream %s: %v", r.url, err)
	}
	// A known length, not a chunked body: some servers (CGI ones) refuse
	// chunked requests.
	req.ContentLength = size
	req.Header.Set("User-Agent", "git/2-ospo-proxy")
	req.Header.Set("Accept", want)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if r.token != "" {
		req.Header.Set("Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte("x-access-token:"+r.token)))
	}
	resp, err := r.http.Do(req)
	if err != nil {
		msg := err.Error()
		if r.token != "" {
			msg = strings.ReplaceAll(msg, r.token, "[redacted]")
		}
		return nil, &upstreamError{Retry: true, Msg: fmt.Sprintf("upstream %s cannot be reached: %s", r.url, msg)}
	}
	if resp.StatusCode != http.StatusOK {
		resp.Body.Close()
		e := &upstreamError{Retry: resp.StatusCode >= 500 || resp.StatusCode == http.StatusTooManyRequests,
			Msg: fmt.Sprintf("upstream %s answered %s to %s", r.url, resp.Status, path)}
		return nil, e
	}
	if ct := resp.Header.Get("Content-Type"); ct != want {
		resp.Body.Close()
		return nil, refused("upstream %s is not a git smart HTTP server (%s answered %q)", r.url, path, ct)
	}
	return resp, nil
}

// refs returns the upstream's branches and tags (not peeled).
func (r *remote) refs(ctx context.Context) ([]ref, error) {
	ctx, cancel := context.WithTimeout(ctx, upstreamTimeout)
	defer cancel()
	resp, err := r.do(ctx, http.MethodGet, "info/refs?service=git-upload-pack", nil, 0, "", "application/x-git-upload-pack-advertisement")
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	br := bufio.NewReader(io.LimitReader(resp.Body, maxRefsAdvert))
	bad := func(why string) error { return refused("upstream %s: bad ref advertisement: %s", r.url, why) }
	line, flush, _, err := readPktLine(br)
	if err != nil || flush || !bytes.HasPrefix(line, []byte("# service=git-upload-pack")) {
		return nil, bad("no service line")
	}
	if _, flush, _, err := readPktLine(br); err != nil || !flush {
		return nil, bad("no flush after the service line")
	}
	var refs []ref
	for {
		line, flush, _, err := readPktLine(br)
		if err != nil {
			return nil, bad(err.Error())
		}
		if flush {
			return refs, nil
		}
		line, _, _ = bytes.Cut(bytes.TrimSuffix(line, []byte("\n")), []byte{0})
		id, name, ok := strings.Cut(string(line), " ")
		if !ok || !objectID.MatchString(id) {
			if strings.HasPrefix(string(line), "ERR ") {
				return nil, refused("upstream %s: %s", r.url, truncate(string(line), 300))
			}
			return nil, bad(fmt.Sprintf("line %q", truncate(string(line), 100)))
		}
		if strings.HasSuffix(name, "^{}") || !(strings.HasPrefix(name, "refs/heads/") || strings.HasPrefix(name, "refs/tags/")) {
			continue
		}
		refs = append(refs, ref{ID: id, Name: name})
	}
}

// fetch asks the upstream for the objects reachable from wants and not
// from haves (tips the mirror has; those the upstream lacks are ignored by
// it) and writes the pack, thin against haves, to w.
func (r *remote) fetch(ctx context.Context, wants, haves []string, w io.Writer) error {
	if len(wants) == 0 {
		return errors.New("fetch: nothing wanted")
	}
	ctx, cancel := context.WithTimeout(ctx, upstreamTimeout)
	defer cancel()
	var body bytes.Buffer
	for i, id := range wants {
		line := "want " + id
		if i == 0 {
			line += " side-band-64k thin-pack ofs-delta no-progress agent=ospo-proxy"
		}
		body.Write(pktLine(line + "\n"))
	}
	body.WriteString("0000")
	for _, id := range haves {
		body.Write(pktLine("have " + id + "\n"))
	}
	body.Write(pktLine("done\n"))
	resp, err := r.do(ctx, http.MethodPost, "git-upload-pack", &body, int64(body.Len()), "application/x-git-upload-pack-request", "application/x-git-upload-pack-result")
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	br := bufio.NewReaderSize(resp.Body, 1<<16)
	for {
		line, flush, _, err := readPktLine(br)
		if err != nil {
			return &upstreamError{Retry: true, Msg: fmt.Sprintf("upstream %s: fetch cut short: %v", r.url, err)}
		}
		switch {
		case flush:
			return nil
		case len(line) == 0:
		case bytes.HasPrefix(line, []byte("ACK ")) || bytes.HasPrefix(line, []byte("NAK")):
		case bytes.HasPrefix(line, []byte("ERR ")):
			return refused("upstream %s: %s", r.url, truncate(string(line), 300))
		case line[0] == 1:
			if _, err := w.Write(line[1:]); err != nil {
				return fmt.Errorf("fetch from %s: %w", r.url, err)
			}
		case line[0] == 2:
		case line[0] == 3:
			return refused("upstream %s: %s", r.url, truncate(strings.TrimSpace(string(line[1:])), 300))
		default:
			return refused("upstream %s: unexpected line in the fetch response", r.url)
		}
	}
}

// receivePack sends cmds and pack (a complete pack, or nil for an empty
// one) to the upstream's receive-pack and returns an error unless every
// ref was updated.
func (r *remote) receivePack(ctx context.Context, cmds []command, pack []byte) error {
	ctx, cancel := context.WithTimeout(ctx, upstreamTimeout)
	defer cancel()
	var head bytes.Buffer
	for i, c := range cmds {
		line := c.Old + " " + c.New + " " + c.Ref
		if i == 0 {
			line += "\x00report-status side-band-64k quiet agent=ospo-proxy"
		}
		head.Write(pktLine(line + "\n"))
	}
	head.WriteString("0000")
	if len(pack) == 0 {
		pack = emptyPack
	}
	resp, err := r.do(ctx, http.MethodPost, "git-receive-pack", io.MultiReader(&head, bytes.NewReader(pack)), int64(head.Len()+len(pack)),
		"application/x-git-receive-pack-request", "application/x-git-receive-pack-result")
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	br := bufio.NewReader(io.LimitReader(resp.Body, 16<<20))
	var report, messages bytes.Buffer
	for done := false; !done; {
		line, flush, _, err := readPktLine(br)
		if err != nil {
			return &upstreamError{Retry: true, Msg: fmt.Sprintf("upstream %s: push answer cut short: %v", r.url, err)}
		}
		switch {
		case flush:
			done = true
		case len(line) == 0:
		case line[0] == 1:
			report.Write(line[1:])
		case line[0] == 2:
			messages.Write(line[1:])
		case line[0] == 3:
			return refused("upstream %s refused the push: %s", r.url, truncate(strings.TrimSpace(string(line[1:])), 500))
		default:
			return refused("upstream %s: unexpected line in the push answer", r.url)
		}
	}
	rr := bufio.NewReader(&report)
	var problems []string
	updated := map[string]bool{}
	for {
		line, flush, _, err := readPktLine(rr)
		if err != nil || flush {
			break
		}
		s := strings.TrimSuffix(string(line), "\n")
		switch {
		case s == "unpack ok":
		case strings.HasPrefix(s, "unpack "):
			problems = append(problems, "unpack: "+strings.TrimPrefix(s, "unpack "))
		case strings.HasPrefix(s, "ok "):
			updated[strings.TrimPrefix(s, "ok ")] = true
		case strings.HasPrefix(s, "ng "):
			problems = append(problems, strings.TrimPrefix(s, "ng "))
		}
	}
	for _, c := range cmds {
		if !updated[c.Ref] && len(problems) == 0 {
			problems = append(problems, c.Ref+": not reported as updated")
		}
	}
	if len(problems) > 0 {
		msg := strings.Join(problems, "; ")
		if m := strings.TrimSpace(messages.String()); m != "" {
			msg += " (" + truncate(strings.Join(strings.Fields(m), " "), 300) + ")"
		}
		return refused("upstream %s refused the push: %s", r.url, msg)
	}
	return nil
}

// emptyPack is a pack of no objects, sent when a push creates refs to
// objects the upstream has already (receive-pack expects a pack).
var emptyPack = []byte{'P', 'A', 'C', 'K', 0, 0, 0, 2, 0, 0, 0, 0,
	0x02, 0x9d, 0x08, 0x82, 0x3b, 0xd8, 0xa8, 0xea, 0xb5, 0x10, 0xad, 0x6a, 0xc7, 0x5c, 0x82, 0x3c, 0xfd, 0x3e, 0xd3, 0x1e}
