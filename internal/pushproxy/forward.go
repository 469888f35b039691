package pushproxy

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/ospo-project/ospo/internal/auth"
	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/gitcmd"
	"github.com/ospo-project/ospo/internal/mirror"
	"github.com/ospo-project/ospo/internal/store"
)

// proxyActor is who the audit log records for what the proxy does by
// itself (forwarding).
var proxyActor = auth.Actor{Name: "ospo-proxy", Source: "proxy"}

// record stores a push as received, with its audit entry (the pusher's).
func (p *Proxy) record(ctx context.Context, r *http.Request, pr *auth.Principal, t *target, req *request,
	status catalog.PushStatus, commits []catalog.PushCommit, findings []catalog.PushFinding, packSize int64, pack []byte) (catalog.Push, error) {
	push := catalog.Push{Upstream: t.URL, Pusher: pr.Account.Email, Status: status, Commits: commits, Findings: findings,
		PackSize: packSize, CreatedAt: p.now()}
	for _, c := range req.Commands {
		push.Refs = append(push.Refs, catalog.PushRef{Ref: c.Ref, Old: c.Old, New: c.New})
	}
	if status != catalog.PushHeld && status != catalog.PushApproved {
		pack = nil
	}
	by := auth.Actor{Name: pr.Account.Email, Source: "proxy", Address: r.RemoteAddr}.Entry(ActPushReceive, p.now())
	out, err := p.store.CreatePush(ctx, push, pack, by)
	if err != nil {
		p.log.Error("record push", "upstream", t.URL, "err", err)
	}
	return out, err
}

// forward sends push's ref updates with pack (the objects the proxy
// checked) to the upstream's receive-pack and records the outcome. Each ref
// is updated only if the upstream still has it where the pusher saw it
// (receive-pack's own compare of the old value: a lease, never a force).
// An upstream that cannot be reached leaves the push approved, to be
// forwarded again; one that refuses makes it failed.
func (p *Proxy) forward(ctx context.Context, t *target, push catalog.Push, pack []byte) error {
	cmds := make([]command, 0, len(push.Refs))
	for _, r := range push.Refs {
		cmds = append(cmds, command{Old: r.Old, New: r.New, Ref: r.Ref})
	}
	err := p.remote(t).receivePack(ctx, cmds, pack)
	// The mirror no longer matches the upstream (until adopt).
	p.markSynced(t.URL, false)
	if err != nil {
		final := !unreachable(err)
		p.metrics.observeForward(false)
		if rerr := p.store.PushForwardFailed(context.WithoutCancel(ctx), push.ID, err.Error(), final,
			proxyActor.Entry(ActPushForward, p.now())); rerr != nil {
			p.log.Error("record forward failure", "push", push.ID, "err", rerr)
		}
		return err
	}
	p.metrics.observeForward(true)
	if _, err := p.store.ForwardedPush(context.WithoutCancel(ctx), push.ID, p.now(), proxyActor.Entry(ActPushForward, p.now())); err != nil {
		p.log.Error("record forward", "push", push.ID, "err", err)
	}
	return nil
}

// adopt moves the objects of a forwarded push from its quarantine into the
// upstream's mirror and sets the mirror's refs as the push left them
// upstream, so that the next push to that upstream finds the mirror up to
// date and fetches nothing. The caller holds the upstream's lock. Adopting
// is an optimisation: when it fails, the next push fetches.
func (p *Proxy) adopt(ctx context.Context, q *quarantine, mirrorDir string, cmds []command) {
	packs, _ := filepath.Glob(filepath.Join(q.dir, "objects", "pack", "pack-*.pack"))
	for _, pack := range packs {
		base := strings.TrimSuffix(pack, ".pack")
		dst := filepath.Join(mirrorDir, "objects", "pack", filepath.Base(base))
		// The index last: git reads a pack once its index is there.
		if err := os.Rename(pack, dst+".pack"); err != nil {
			p.log.Debug("adopt pack", "err", err)
			return
		}
		if err := os.Rename(base+".idx", dst+".idx"); err != nil {
			os.Remove(dst + ".pack")
			p.log.Debug("adopt pack", "err", err)
			return
		}
	}
	var b strings.Builder
	for _, c := range cmds {
		old := c.Old
		if old == zeroID {
			old = ""
		}
		fmt.Fprintf(&b, "update %s %s %s\n", c.Ref, c.New, old)
	}
	if _, err := run(ctx, mirrorDir, b.String(), "update-ref", "--stdin"); err != nil {
		p.log.Debug("adopt refs", "err", err)
		return
	}
	p.markSynced(q.upstream, true)
}

// unreachable reports whether a forward failed because the upstream could
// not be reached or failed (worth trying again) rather than because it
// refused.
func unreachable(err error) bool {
	var ue *upstreamError
	if errors.As(err, &ue) {
		return ue.Retry
	}
	return errors.Is(err, context.DeadlineExceeded)
}

// targetOf returns the upstream a stored push goes to, with its
// configuration (token). An upstream no longer allowed (by configuration or
// an approved contribution) is an error.
func (p *Proxy) targetOf(ctx context.Context, push *catalog.Push) (*target, error) {
	u := strings.TrimSuffix(strings.TrimPrefix(strings.TrimPrefix(push.Upstream, "https://"), "http://"), ".git")
	t, _, ok := p.resolve("/git/" + u + ".git/git-receive-pack")
	if ok && t.URL == push.Upstream && t.Upstream == nil && p.cfg.Contributions != nil {
		approved, err := p.cfg.Contributions.Approved(ctx, push.Pusher, push.Upstream)
		if err != nil {
			return nil, err
		}
		if approved {
			t.Upstream = &Upstream{Prefix: strings.TrimSuffix(push.Upstream, ".git")}
		}
	}
	if !ok || t.URL != push.Upstream || t.Upstream == nil {
		return nil, errNotAllowed
	}
	return t, nil
}

// errNotAllowed is a stored push whose upstream is no longer allowed.
var errNotAllowed = errors.New("the upstream is no longer allowed by the proxy's configuration or an approved contribution")

// Forward sends the approved push with id to its upstream, from its stored
// pack (self-contained: index-pack completed it when it was received). A push the upstream refuses becomes failed; one it cannot reach
// stays approved and is tried again by RetryApproved.
func (p *Proxy) Forward(ctx context.Context, id int64) error {
	push, err := p.store.Push(ctx, id)
	if err != nil {
		return err
	}
	if push.Status != catalog.PushApproved {
		return fmt.Errorf("push %d is %s, not approved: %w", id, push.Status, store.ErrPushState)
	}
	t, err := p.targetOf(ctx, push)
	if errors.Is(err, errNotAllowed) {
		if rerr := p.store.PushForwardFailed(context.WithoutCancel(ctx), id, err.Error(), true,
			proxyActor.Entry(ActPushForward, p.now())); rerr != nil {
			p.log.Error("record forward failure", "push", id, "err", rerr)
		}
		return err
	}
	if err != nil {
		return err
	}
	pack, err := p.store.PushPack(ctx, id)
	if err != nil {
		return err
	}
	return p.forward(ctx, t, *push, pack)
}

// RetryApproved forwards every approved push not yet forwarded (those
// whose upstream was down) and returns how many reached their upstream.
func (p *Proxy) RetryApproved(ctx context.Context) (int, error) {
	list, err := p.store.ListPushes(ctx, store.PushFilter{Status: catalog.PushApproved})
	if err != nil {
		return 0, err
	}
	n := 0
	var errs []error
	for _, push := range slices.Backward(list) {
		err := p.Forward(ctx, push.ID)
		if now, rerr := p.store.Push(ctx, push.ID); rerr == nil && now.Status != catalog.PushApproved {
			p.tellPusher(ctx, now) // forwarded at last, or refused
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("push %d: %w", push.ID, err))
			continue
		}
		n++
	}
	return n, errors.Join(errs...)
}

// Decision is a reviewer's approval or rejection of a held push.
type Decision struct {
	Approve bool
	// Reviewer is who decides: their account's e-mail is the reviewer.
	Reviewer     auth.Actor
	Reason       string
	Attestations []string
}

// Errors of Decide, safe to show.
var (
	// ErrNotReviewer: the reviewer's account may not review pushes.
	ErrNotReviewer = catalog.Kind("only an account with the ospo or admin role may review pushes", catalog.ErrForbidden)
	// ErrAttestations: an approval without every attestation ticked.
	ErrAttestations = catalog.Kind("approving needs every attestation ticked", catalog.ErrInvalid)
	// ErrReason: a rejection without a reason.
	ErrReason = catalog.Kind("rejecting needs a reason", catalog.ErrInvalid)
)

// Attestations returns the statements a reviewer ticks to approve.
func (p *Proxy) Attestations() []string { return p.cfg.Attestations }

// Decide records d on the held push with id and, on approval, forwards it.
// The reviewer must have an enabled account that may review, and must not
// be the pusher (four eyes: no role bypasses it). A forward that fails
// leaves the approval standing (RetryApproved tries again); its error is
// returned with the pushes as they are then.
func (p *Proxy) Decide(ctx context.Context, id int64, d Decision) (*catalog.Push, error) {
	acct, err := p.store.Account(ctx, d.Reviewer.Name)
	if errors.Is(err, store.ErrNotFound) {
		return nil, fmt.Errorf("reviewer %s: no such account: %w", d.Reviewer.Name, ErrNotReviewer)
	}
	if err != nil {
		return nil, err
	}
	if acct.Disabled || !auth.Allowed(acct.Role, auth.Review) {
		return nil, fmt.Errorf("reviewer %s (role %s): %w", acct.Email, acct.Role, ErrNotReviewer)
	}
	if d.Approve {
		for _, a := range p.cfg.Attestations {
			if !slices.Contains(d.Attestations, a) {
				return nil, fmt.Errorf("%w (%q is not ticked)", ErrAttestations, a)
			}
		}
	} else if strings.TrimSpace(d.Reason) == "" {
		return nil, ErrReason
	}
	action := ActPushReject
	if d.Approve {
		action = ActPushApprove
	}
	d.Reviewer.Name = acct.Email
	_, after, err := p.store.DecidePush(ctx, id, store.PushDecision{Approve: d.Approve, By: acct.Email, At: p.now(),
		Reason: d.Reason, Attestations: d.Attestations}, d.Reviewer.Entry(action, p.now()))
	if err != nil {
		return nil, err
	}
	p.metrics.observeDecision(d.Approve)
	if !d.Approve {
		p.tellPusher(ctx, after)
		return after, nil
	}
	ferr := p.Forward(ctx, id)
	if now, err := p.store.Push(ctx, id); err == nil {
		after = now
	}
	p.tellPusher(ctx, after)
	if ferr != nil {
		return after, fmt.Errorf("approved, but forwarding to %s failed: %w", after.Upstream, ferr)
	}
	return after, nil
}

// maxDiff caps the diff Diff returns.
const maxDiff = 512 << 10

// Diff returns the patches of the commits of the held or approved push
// with id (each commit's own diff, newest first, as git log -p shows
// them), for its reviewers; past 512 KiB it is cut, saying so. Binary
// files show as such. It needs the upstream's mirror (fetched if missing).
func (p *Proxy) Diff(ctx context.Context, id int64) (string, error) {
	push, err := p.store.Push(ctx, id)
	if err != nil {
		return "", err
	}
	if len(push.Commits) == 0 {
		return "", nil
	}
	pack, err := p.store.PushPack(ctx, id)
	if err != nil {
		return "", err
	}
	t, err := p.targetOf(ctx, push)
	if err != nil {
		return "", err
	}
	unlock := p.lock(t.URL)
	defer unlock()
	mirrorDir, err := mirror.Path(p.cfg.MirrorDir, p.mirrorName(t.URL))
	if err != nil {
		return "", err
	}
	if _, err := os.Stat(filepath.Join(mirrorDir, "HEAD")); err != nil {
		if mirrorDir, err = p.sync(ctx, t); err != nil {
			return "", err
		}
	}
	q, err := p.newQuarantine(t.URL, mirrorDir)
	if err != nil {
		return "", err
	}
	defer q.remove()
	if len(pack) > 0 {
		if _, err := indexPack(ctx, q.dir, bytes.NewReader(pack)); err != nil {
			return "", fmt.Errorf("push %d: stored pack: %w", id, err)
		}
	}
	var shas []string
	for _, c := range push.Commits {
		shas = append(shas, c.SHA)
	}
	cmd := gitcmd.Command(ctx, q.dir, "log", "-p", "--no-walk=unsorted", "--stdin", "--no-color", "--stat")
	cmd.Stdin = strings.NewReader(strings.Join(shas, "\n") + "\n")
	out, err := cmd.StdoutPipe()
	if err != nil {
		return "", err
	}
	if err := cmd.Start(); err != nil {
		return "", err
	}
	b, _ := io.ReadAll(io.LimitReader(out, maxDiff+1))
	cut := len(b) > maxDiff
	if cut {
		b = b[:maxDiff]
	}
	io.Copy(io.Discard, out)
	if err := cmd.Wait(); err != nil && !cut {
		return "", fmt.Errorf("push %d: git log: %w", id, err)
	}
	text := strings.ToValidUTF8(string(b), "\uFFFD")
	if cut {
		text += "\n… (cut at 512 KiB)\n"
	}
	return text, nil
}
