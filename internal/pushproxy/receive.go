package pushproxy

import (
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/ospo-project/ospo/internal/auth"
	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/gitcmd"
)

// Audit actions of the proxy.
const (
	ActPushReceive = "push.receive"
	ActPushApprove = "push.approve"
	ActPushReject  = "push.reject"
	ActPushForward = "push.forward"
)

// receive handles POST git-receive-pack: the whole chain, then the
// decision, answered as a status report with every finding as a remote:
// line.
func (p *Proxy) receive(w http.ResponseWriter, r *http.Request, t *target) {
	start := time.Now()
	pr, ok := p.pusher(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	outcome := p.receiveAuthed(ctx, w, r, pr, t)
	p.metrics.observePush(outcome, time.Since(start))
}

func (p *Proxy) receiveAuthed(ctx context.Context, w http.ResponseWriter, r *http.Request, pr *auth.Principal, t *target) string {
	problems, err := p.gate(ctx, pr, t)
	if err != nil {
		p.log.Error("check upstream", "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return "error"
	}
	body := io.Reader(r.Body)
	if r.Header.Get("Content-Encoding") == "gzip" {
		zr, err := gzip.NewReader(r.Body)
		if err != nil {
			http.Error(w, "malformed push request: bad gzip body", http.StatusBadRequest)
			return "malformed"
		}
		body = zr
	}
	if t.Upstream == nil {
		// Nothing is fetched from or kept for an upstream that is not
		// allowed; the request is read only to be answered.
		req, err := parseRequest(body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return "malformed"
		}
		p.answer(w, req, problems, "ok")
		return "rejected"
	}

	done := p.stage("receive.lock")
	unlock := p.lock(t.URL)
	defer unlock()
	done()
	done = p.stage("receive.fetch")
	mirrorDir, err := p.syncIfStale(ctx, t)
	done()
	if err != nil {
		p.log.Warn("sync mirror", "upstream", t.URL, "err", err)
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(http.StatusBadGateway)
		fmt.Fprintf(w, "ospo: upstream %s cannot be reached, nothing was pushed; try again later\n", t.URL)
		return "upstream-down"
	}
	q, err := p.newQuarantine(t.URL, mirrorDir)
	if err != nil {
		p.log.Error("quarantine", "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return "error"
	}
	defer q.remove()

	// The request is kept on disk: its pack may be large.
	bodyPath := filepath.Join(q.dir, "request")
	done = p.stage("receive.body")
	size, err := saveBody(body, bodyPath, p.cfg.MaxPackSize)
	done()
	if err != nil {
		http.Error(w, "push request: "+err.Error(), http.StatusRequestEntityTooLarge)
		return "too-large"
	}
	f, err := os.Open(bodyPath)
	if err != nil {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return "error"
	}
	defer f.Close()
	req, err := parseRequest(f)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return "malformed"
	}
	if len(req.Commands) == 0 {
		// git probes with an empty request before sending a large one.
		w.Header().Set("Content-Type", "application/x-git-receive-pack-result")
		return "probe"
	}
	packSize := size - req.PackOffset
	for _, c := range req.Commands {
		if c.New == zeroID {
			problems = append(problems, catalog.PushFinding{Check: "refs", Severity: catalog.SeverityReject,
				Message: fmt.Sprintf("%s: deleting a ref through the proxy is not supported; ask the upstream's maintainers", c.Ref)})
		}
	}
	if packSize > p.cfg.MaxPackSize {
		problems = append(problems, catalog.PushFinding{Check: "size", Severity: catalog.SeverityReject,
			Message: fmt.Sprintf("the pack is %s, over the limit of %s: push fewer or smaller commits (large files belong in a release or Git LFS)",
				bytesText(packSize), bytesText(p.cfg.MaxPackSize))})
		p.answer(w, req, problems, "ok")
		p.record(ctx, r, pr, t, req, catalog.PushRejected, nil, problems, packSize, nil)
		return "rejected"
	}
	pack := ""
	if packSize > 0 {
		if _, err := f.Seek(req.PackOffset, io.SeekStart); err != nil {
			http.Error(w, "internal error", http.StatusInternalServerError)
			return "error"
		}
		done = p.stage("index-pack")
		pack, err = indexPack(ctx, q.dir, f)
		done()
		if err != nil {
			p.answer(w, req, []catalog.PushFinding{{Check: "pack", Severity: catalog.SeverityReject,
				Message: "the pack could not be read: " + truncate(err.Error(), 300)}}, "index-pack failed")
			return "malformed"
		}
	}

	c := &chain{p: p, q: q, mirror: mirrorDir, req: req, pusher: pr.Account.Email, upstream: t.URL, pack: pack}
	found, commits, err := c.run(ctx)
	if err != nil {
		p.log.Error("push checks", "upstream", t.URL, "err", err)
		p.answer(w, req, []catalog.PushFinding{{Check: "internal", Severity: catalog.SeverityReject,
			Message: "the proxy could not check this push; nothing was pushed. Try again, or tell the OSPO"}}, "ok")
		return "error"
	}
	problems = append(problems, found...)
	rejected, review := false, t.Upstream.Review
	for _, f := range problems {
		switch f.Severity {
		case catalog.SeverityReject:
			rejected = true
		case catalog.SeverityReview:
			review = true
		}
	}
	if rejected {
		p.answer(w, req, problems, "ok")
		p.record(ctx, r, pr, t, req, catalog.PushRejected, commits, problems, packSize, nil)
		return "rejected"
	}
	done = p.stage("pack")
	packBytes, err := c.packBytes()
	done()
	if err != nil {
		p.log.Error("read pack", "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return "error"
	}
	status := catalog.PushApproved
	if review {
		status = catalog.PushHeld
	}
	done = p.stage("store")
	push, err := p.record(ctx, r, pr, t, req, status, commits, problems, packSize, packBytes)
	done()
	if err != nil {
		p.answer(w, req, []catalog.PushFinding{{Check: "internal", Severity: catalog.SeverityReject,
			Message: "the proxy could not record this push; nothing was pushed. Try again, or tell the OSPO"}}, "ok")
		return "error"
	}
	if review {
		rep := &reply{sideband: req.Caps["side-band-64k"]}
		for _, f := range problems {
			rep.message("ospo: review: %s", describe(f))
		}
		rep.message("ospo: push #%d is held for review%s.", push.ID, p.link(push.ID))
		rep.message("ospo: when a second person approves it, ospo forwards it to %s itself: you need not push again.", t.URL)
		reasons := map[string]string{}
		for _, c := range req.Commands {
			reasons[c.Ref] = fmt.Sprintf("held for review as push #%d", push.ID)
		}
		p.write(w, rep.status("ok", req.Commands, reasons))
		p.tellReviewers(ctx, push)
		return "held"
	}
	// Accepted: forward now, from this quarantine.
	done = p.stage("forward")
	err = p.forward(ctx, t, push, packBytes)
	done()
	if err == nil {
		p.adopt(ctx, q, mirrorDir, req.Commands)
	}
	rep := &reply{sideband: req.Caps["side-band-64k"]}
	reasons := map[string]string{}
	if err != nil {
		rep.message("ospo: push #%d passed the checks but %s refused it or could not be reached: %s", push.ID, t.URL, truncate(err.Error(), 400))
		rep.message("ospo: nothing was lost: fetch, rebase if the upstream moved, and push again.")
		for _, c := range req.Commands {
			reasons[c.Ref] = "upstream did not accept the push"
		}
		p.write(w, rep.status("ok", req.Commands, reasons))
		return "failed"
	}
	rep.message("ospo: push #%d checked (%d commits) and forwarded to %s.", push.ID, len(commits), t.URL)
	p.write(w, rep.status("ok", req.Commands, reasons))
	return "forwarded"
}

// link returns " at URL" for a held push when the hub's URL is known.
func (p *Proxy) link(id int64) string {
	if p.cfg.HubURL == "" {
		return ""
	}
	return fmt.Sprintf(" at %s/pushes/%d", strings.TrimSuffix(p.cfg.HubURL, "/"), id)
}

// answer reports a refused push: every problem as a remote: line, and ng
// for every ref.
func (p *Proxy) answer(w http.ResponseWriter, req *request, problems []catalog.PushFinding, unpack string) {
	rep := &reply{sideband: req.Caps["side-band-64k"]}
	rep.message("ospo: push rejected: %d problem(s); nothing was pushed to the upstream.", len(problems))
	for _, f := range problems {
		rep.message("ospo: %s", describe(f))
	}
	if hint := remedies(problems); hint != "" {
		rep.message("ospo: %s", hint)
	}
	reasons := map[string]string{}
	first := "rejected by the ospo push proxy"
	if len(problems) > 0 {
		first = problems[0].Check + ": " + problems[0].Message
	}
	for _, c := range req.Commands {
		reasons[c.Ref] = first
	}
	p.write(w, rep.status(unpack, req.Commands, reasons))
}

func (p *Proxy) write(w http.ResponseWriter, b []byte) {
	w.Header().Set("Content-Type", "application/x-git-receive-pack-result")
	w.Header().Set("Cache-Control", "no-cache")
	w.Write(b)
}

// describe is one finding as the pusher reads it.
func describe(f catalog.PushFinding) string {
	var loc []string
	if f.Commit != "" {
		loc = append(loc, "commit "+shortID(f.Commit))
	}
	if f.Path != "" {
		if f.Line > 0 {
			loc = append(loc, fmt.Sprintf("%s:%d", f.Path, f.Line))
		} else {
			loc = append(loc, f.Path)
		}
	}
	s := f.Check
	if f.Rule != "" {
		s += " [" + f.Rule + "]"
	}
	if len(loc) > 0 {
		s += " " + strings.Join(loc, " ")
	}
	return s + ": " + f.Message
}

// remedies says what to do about the kinds of problems found.
func remedies(fs []catalog.PushFinding) string {
	seen := map[string]bool{}
	for _, f := range fs {
		seen[f.Check] = true
	}
	switch {
	case seen["secret"] || seen["licence"] || seen["email"] || seen["message"] || seen["binary"] || seen["size"] || seen["hidden"]:
		return "rewrite the commits named (git rebase -i, then amend or drop them), rotate any secret that was committed, and push again"
	case seen["refs"]:
		return "fetch from the upstream, rebase on it and push again"
	}
	return ""
}

func shortID(s string) string {
	if len(s) > 12 {
		return s[:12]
	}
	return s
}

func bytesText(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}

// saveBody writes the request body to path. Beyond limit (plus room for
// the commands) the rest is read and counted but not kept, so that the
// client can still be told why; beyond four times the limit the request is
// cut off.
func saveBody(body io.Reader, path string, limit int64) (int64, error) {
	f, err := os.Create(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	keep := limit + 1<<20
	n, err := io.Copy(f, io.LimitReader(body, keep))
	if err != nil {
		return n, fmt.Errorf("read: %w", err)
	}
	if n < keep {
		return n, nil
	}
	m, err := io.Copy(io.Discard, io.LimitReader(body, 3*limit))
	if err != nil {
		return n + m, fmt.Errorf("read: %w", err)
	}
	if m == 3*limit {
		return n + m, fmt.Errorf("larger than %s", bytesText(4*limit))
	}
	return n + m, nil
}

// indexPack stores the pack read from r in the quarantine with git
// index-pack, completing a thin pack from the mirror, and returns the
// pack's path.
func indexPack(ctx context.Context, dir string, r io.Reader) (string, error) {
	cmd := gitcmd.Command(ctx, dir, "index-pack", "--stdin", "--fix-thin")
	cmd.Stdin = r
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", errors.New(strings.TrimSpace(truncate(stderr.String(), 500)))
	}
	kind, hash, _ := strings.Cut(strings.TrimSpace(string(out)), "\t")
	if (kind != "pack" && kind != "keep") || !objectID.MatchString(hash) {
		return "", fmt.Errorf("index-pack said %q", truncate(string(out), 100))
	}
	return filepath.Join(dir, "objects", "pack", "pack-"+hash+".pack"), nil
}
