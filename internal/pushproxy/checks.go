package pushproxy

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/gitcmd"
	"github.com/ospo-project/ospo/internal/secrets"
)

// chain runs steps 3 to 7 of the checks on a push received into a
// quarantine. Steps 1 and 2 (pusher, upstream) run before anything is
// received (Proxy.gate).
type chain struct {
	p        *Proxy
	q        *quarantine
	mirror   string
	req      *request
	pusher   string
	upstream string
	pack     string // the pack index-pack wrote, "" when the push had none

	tips    []string // the mirror's ref tips: what the upstream has
	commits []catalog.PushCommit
	shas    []string
	message map[string]string // full messages by commit
}

// run checks the ref updates, lists the commits the push brings and runs
// every check on them; it returns every finding, never stopping at the
// first. An error is the proxy's own failure, not the push's.
func (c *chain) run(ctx context.Context) ([]catalog.PushFinding, []catalog.PushCommit, error) {
	done := c.p.stage("refs")
	refs, err := listRefs(ctx, c.mirror)
	if err != nil {
		return nil, nil, err
	}
	current := map[string]string{}
	for _, r := range refs {
		current[r.Name] = r.ID
		c.tips = append(c.tips, r.ID)
	}
	var out []catalog.PushFinding
	var news []string
	for _, cmd := range c.req.Commands {
		if cmd.New == zeroID {
			continue
		}
		have := current[cmd.Ref]
		if have == "" {
			have = zeroID
		}
		if cmd.Old != have {
			out = append(out, catalog.PushFinding{Check: "refs", Severity: catalog.SeverityReject,
				Message: fmt.Sprintf("%s moved upstream (it is at %s, the push expects %s): fetch, rebase and push again", cmd.Ref, shortID(have), shortID(cmd.Old))})
		}
		kind, err := gitcmd.Output(ctx, c.q.dir, "cat-file", "-t", cmd.New)
		if err != nil {
			out = append(out, catalog.PushFinding{Check: "refs", Severity: catalog.SeverityReject,
				Message: fmt.Sprintf("%s: object %s is neither in the push nor upstream", cmd.Ref, shortID(cmd.New))})
			continue
		}
		if kind != "commit" && !(kind == "tag" && strings.HasPrefix(cmd.Ref, "refs/tags/")) {
			out = append(out, catalog.PushFinding{Check: "refs", Severity: catalog.SeverityReject,
				Message: fmt.Sprintf("%s: points at a %s, not a commit", cmd.Ref, kind)})
			continue
		}
		news = append(news, cmd.New)
	}
	done()
	done = c.p.stage("commits")
	if len(news) > 0 {
		if err := c.listCommits(ctx, news); err != nil {
			return nil, nil, err
		}
	}
	done()
	checks := []struct {
		name string
		run  func(context.Context) ([]catalog.PushFinding, error)
	}{
		{"email", c.emails},
		{"message", c.messages},
		{"hidden", func(ctx context.Context) ([]catalog.PushFinding, error) { return c.hidden(ctx, news) }},
		{"secret", c.secrets},
		{"files", c.files},
		{"licence", c.licences},
		{"hook", c.hook},
	}
	// The checks are independent: they run at once (most are git
	// processes), and their findings are reported in the order above.
	found := make([][]catalog.PushFinding, len(checks))
	errs := make([]error, len(checks))
	var wg sync.WaitGroup
	for i, ch := range checks {
		wg.Add(1)
		go func() {
			defer wg.Done()
			done := c.p.stage("check." + ch.name)
			found[i], errs[i] = ch.run(ctx)
			done()
			if errs[i] != nil {
				errs[i] = fmt.Errorf("%s check: %w", ch.name, errs[i])
			}
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, nil, err
	}
	for _, f := range found {
		out = append(out, f...)
		c.p.metrics.observeFindings(f)
	}
	return out, c.commits, nil
}

// revStdin returns rev-list input: the new tips, then the mirror's tips
// excluded.
func (c *chain) revStdin(news []string) string {
	var b strings.Builder
	for _, n := range news {
		b.WriteString(n + "\n")
	}
	for _, t := range c.tips {
		b.WriteString("^" + t + "\n")
	}
	return b.String()
}

// listCommits reads the commits the push brings (reachable from the new
// tips, not from anything upstream has), newest first.
func (c *chain) listCommits(ctx context.Context, news []string) error {
	meta, err := run(ctx, c.q.dir, c.revStdin(news), "log", "--stdin", "--format=%H%x00%an%x00%ae%x00%ce%x00%B%x1e")
	if err != nil {
		return err
	}
	c.message = map[string]string{}
	for _, rec := range strings.Split(meta, "\x1e") {
		rec = strings.TrimLeft(rec, "\n")
		f := strings.SplitN(rec, "\x00", 5)
		if len(f) != 5 {
			continue
		}
		subject, _, _ := strings.Cut(strings.TrimSpace(f[4]), "\n")
		c.commits = append(c.commits, catalog.PushCommit{SHA: f[0], AuthorName: f[1], AuthorEmail: f[2], CommitterEmail: f[3], Subject: subject})
		c.shas = append(c.shas, f[0])
		c.message[f[0]] = f[4]
	}
	return nil
}

// emails checks author and committer e-mails: allowed domains, blocked
// local parts, and (when configured) the pusher's own identity.
func (c *chain) emails(context.Context) ([]catalog.PushFinding, error) {
	cfg := c.p.cfg
	own := map[string]bool{strings.ToLower(c.pusher): true}
	for _, e := range cfg.Identities[strings.ToLower(c.pusher)] {
		own[strings.ToLower(e)] = true
	}
	var out []catalog.PushFinding
	for _, cm := range c.commits {
		for _, who := range []struct{ role, email string }{{"author", cm.AuthorEmail}, {"committer", cm.CommitterEmail}} {
			email := strings.ToLower(who.email)
			local, domain, ok := strings.Cut(email, "@")
			switch {
			case !ok:
				out = append(out, emailFinding(cm.SHA, who.role, who.email, "is not an e-mail address"))
			case len(cfg.EmailDomains) > 0 && !containsFold(cfg.EmailDomains, domain):
				out = append(out, emailFinding(cm.SHA, who.role, who.email,
					"is not in an allowed domain ("+strings.Join(cfg.EmailDomains, ", ")+"); set git config user.email and amend"))
			case containsFold(cfg.BlockedLocalParts, local):
				out = append(out, emailFinding(cm.SHA, who.role, who.email, "is a shared or blocked address; commit as yourself"))
			}
		}
		if cfg.OwnIdentity && !own[strings.ToLower(cm.CommitterEmail)] {
			out = append(out, emailFinding(cm.SHA, "committer", cm.CommitterEmail, "is not one of the pusher's identities ("+c.pusher+")"))
		}
	}
	return out, nil
}

func emailFinding(sha, role, email, why string) catalog.PushFinding {
	return catalog.PushFinding{Check: "email", Severity: catalog.SeverityReject, Commit: sha,
		Message: fmt.Sprintf("%s e-mail %q %s", role, email, why)}
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(strings.TrimSpace(x), s) {
			return true
		}
	}
	return false
}

// messages checks commit messages against the blocked patterns.
func (c *chain) messages(context.Context) ([]catalog.PushFinding, error) {
	var out []catalog.PushFinding
	for _, cm := range c.commits {
		for _, re := range c.p.patterns {
			if re.MatchString(c.message[cm.SHA]) {
				out = append(out, catalog.PushFinding{Check: "message", Severity: catalog.SeverityReject, Commit: cm.SHA,
					Message: fmt.Sprintf("the commit message matches the blocked pattern %q (internal ticket keys and project names stay inside)", re.String())})
			}
		}
	}
	return out, nil
}

// hidden checks that every object in the pack is reachable from the pushed
// refs or already upstream: a pack must not smuggle in commits (or trees
// and blobs) that no pushed ref points to, which the upstream would keep
// and serve by id.
func (c *chain) hidden(ctx context.Context, news []string) ([]catalog.PushFinding, error) {
	if c.pack == "" {
		return nil, nil
	}
	idx, err := os.ReadFile(strings.TrimSuffix(c.pack, ".pack") + ".idx")
	if err != nil {
		return nil, err
	}
	cmd := gitcmd.Command(ctx, c.q.dir, "show-index")
	cmd.Stdin = bytes.NewReader(idx)
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("show-index: %w", err)
	}
	inPack := map[string]bool{}
	for _, l := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		if f := strings.Fields(l); len(f) >= 2 {
			inPack[f[1]] = true
		}
	}
	reach := map[string]bool{}
	if len(news) > 0 {
		objs, err := run(ctx, c.q.dir, c.revStdin(news), "rev-list", "--objects", "--stdin")
		if err != nil {
			return nil, err
		}
		for _, l := range strings.Split(objs, "\n") {
			if id, _, _ := strings.Cut(l, " "); id != "" {
				reach[id] = true
			}
		}
	}
	var cand []string
	for id := range inPack {
		if !reach[id] {
			cand = append(cand, id)
		}
	}
	if len(cand) == 0 {
		return nil, nil
	}
	// Bases a thin pack was completed with are upstream already.
	checked, err := run(ctx, c.mirror, strings.Join(cand, "\n")+"\n", "cat-file", "--batch-check=%(objectname) %(objecttype)")
	if err != nil {
		return nil, err
	}
	var found []catalog.PushFinding
	for _, l := range strings.Split(checked, "\n") {
		f := strings.Fields(l)
		if len(f) == 2 && f[1] == "missing" {
			kind, _ := gitcmd.Output(ctx, c.q.dir, "cat-file", "-t", f[0])
			what := "an object"
			if kind == "commit" {
				what = "a hidden commit"
			} else if kind != "" {
				what = "a " + kind
			}
			found = append(found, catalog.PushFinding{Check: "hidden", Severity: catalog.SeverityReject, Commit: commitIf(kind, f[0]),
				Message: fmt.Sprintf("the pack carries %s (%s) that no pushed ref reaches; push only the branches you mean to publish", what, shortID(f[0]))})
		}
	}
	return found, nil
}

func commitIf(kind, id string) string {
	if kind == "commit" {
		return id
	}
	return ""
}

// secrets scans each commit's own diff for secrets and internal data.
func (c *chain) secrets(ctx context.Context) ([]catalog.PushFinding, error) {
	if len(c.shas) == 0 {
		return nil, nil
	}
	fs, _, err := c.p.scanner.ScanCommits(ctx, c.q.dir, c.shas)
	if err != nil {
		return nil, err
	}
	out := make([]catalog.PushFinding, 0, len(fs))
	for _, f := range fs {
		check := "secret"
		if strings.HasPrefix(f.RuleID, "ospo-") {
			check = "internal"
		}
		msg := f.Description + " (" + f.Redacted + ")"
		if f.RuleID == secrets.RuleInternalHost || f.RuleID == secrets.RuleInternalEmail || f.RuleID == secrets.RuleBlockedLiteral {
			msg = f.Description + " must not leave the firm (" + f.Redacted + ")"
		}
		out = append(out, catalog.PushFinding{Check: check, Severity: catalog.SeverityReject, Commit: f.Commit, Path: f.Path,
			Line: f.Line, Rule: f.RuleID, Message: msg, Hash: f.Hash})
	}
	return out, nil
}

// files checks the files each commit adds or changes: size limit and
// binaries.
func (c *chain) files(ctx context.Context) ([]catalog.PushFinding, error) {
	if len(c.shas) == 0 {
		return nil, nil
	}
	out, err := run(ctx, c.q.dir, strings.Join(c.shas, "\n")+"\n", "log", "--no-walk=unsorted", "--stdin",
		"--format=%x01%H", "--raw", "--numstat", "--no-renames", "--no-abbrev")
	if err != nil {
		return nil, err
	}
	type blob struct{ commit, path string }
	blobs := map[string][]blob{}
	var ids []string
	var found []catalog.PushFinding
	sha := ""
	sc := bufio.NewScanner(strings.NewReader(out))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		l := sc.Text()
		switch {
		case strings.HasPrefix(l, "\x01"):
			sha = l[1:]
		case strings.HasPrefix(l, ":"):
			meta, path, ok := strings.Cut(l, "\t")
			f := strings.Fields(meta)
			if !ok || len(f) < 5 || f[4] == "D" || f[1] == "160000" {
				continue
			}
			if _, seen := blobs[f[3]]; !seen {
				ids = append(ids, f[3])
			}
			blobs[f[3]] = append(blobs[f[3]], blob{sha, path})
		case strings.HasPrefix(l, "-\t-\t") && !c.p.cfg.AllowBinaries:
			found = append(found, catalog.PushFinding{Check: "binary", Severity: catalog.SeverityReject, Commit: sha,
				Path: strings.TrimPrefix(l, "-\t-\t"), Message: "binary file: binaries are not contributed through the proxy (build them from source upstream)"})
		}
	}
	if len(ids) == 0 {
		return found, nil
	}
	sizes, err := run(ctx, c.q.dir, strings.Join(ids, "\n")+"\n", "cat-file", "--batch-check=%(objectname) %(objectsize)")
	if err != nil {
		return nil, err
	}
	for _, l := range strings.Split(sizes, "\n") {
		id, n, _ := strings.Cut(l, " ")
		size, err := strconv.ParseInt(n, 10, 64)
		if err != nil || size <= c.p.cfg.MaxFileSize {
			continue
		}
		for _, b := range blobs[id] {
			found = append(found, catalog.PushFinding{Check: "size", Severity: catalog.SeverityReject, Commit: b.commit, Path: b.path,
				Message: fmt.Sprintf("file is %s, over the limit of %s", bytesText(size), bytesText(c.p.cfg.MaxFileSize))})
		}
	}
	return found, nil
}

// licences checks the header of each file a commit adds for the
// configured proprietary licence markers.
func (c *chain) licences(ctx context.Context) ([]catalog.PushFinding, error) {
	markers := c.p.cfg.LicenceMarkers
	if len(c.shas) == 0 || len(markers) == 0 {
		return nil, nil
	}
	out, err := run(ctx, c.q.dir, strings.Join(c.shas, "\n")+"\n", "log", "--no-walk=unsorted", "--stdin",
		"--format=%x01%H", "--raw", "--no-renames", "--no-abbrev", "--diff-filter=A")
	if err != nil {
		return nil, err
	}
	type added struct{ commit, path, blob string }
	var files []added
	sha := ""
	for _, l := range strings.Split(out, "\n") {
		switch {
		case strings.HasPrefix(l, "\x01"):
			sha = l[1:]
		case strings.HasPrefix(l, ":"):
			meta, path, ok := strings.Cut(l, "\t")
			f := strings.Fields(meta)
			if ok && len(f) >= 5 && f[4] == "A" && f[1] != "160000" {
				files = append(files, added{sha, path, f[3]})
			}
		}
	}
	if len(files) == 0 {
		return nil, nil
	}
	// Each blob's head, read once (cat-file --batch, streamed).
	ids := make([]string, 0, len(files))
	seen := map[string]bool{}
	for _, f := range files {
		if !seen[f.blob] {
			seen[f.blob] = true
			ids = append(ids, f.blob)
		}
	}
	heads, err := blobHeads(ctx, c.q.dir, ids, 16<<10)
	if err != nil {
		return nil, err
	}
	lower := make([]string, len(markers))
	for i, m := range markers {
		lower[i] = strings.ToLower(strings.TrimSpace(m))
	}
	severity := catalog.SeverityReview
	if c.p.cfg.LicenceReject {
		severity = catalog.SeverityReject
	}
	var found []catalog.PushFinding
	for _, f := range files {
		head := heads[f.blob]
		if bytes.IndexByte(head, 0) >= 0 {
			continue // binary
		}
		lines := strings.SplitN(string(head), "\n", c.p.cfg.LicenceHeaderLines+1)
		if len(lines) > c.p.cfg.LicenceHeaderLines {
			lines = lines[:c.p.cfg.LicenceHeaderLines]
		}
	file:
		for n, line := range lines {
			l := strings.ToLower(line)
			for i, m := range lower {
				if strings.Contains(l, m) {
					found = append(found, catalog.PushFinding{Check: "licence", Severity: severity, Commit: f.commit, Path: f.path,
						Line: n + 1, Rule: markers[i],
						Message: fmt.Sprintf("the file's header carries the proprietary marker %q: code under the firm's own licence is not contributed without a review (relicense it, or drop the file)", strings.TrimSpace(markers[i]))})
					break file
				}
			}
		}
	}
	return found, nil
}

// blobHeads returns the first limit bytes of each blob of ids, read with one
// git cat-file --batch.
func blobHeads(ctx context.Context, dir string, ids []string, limit int) (map[string][]byte, error) {
	cmd := gitcmd.Command(ctx, dir, "cat-file", "--batch")
	cmd.Stdin = strings.NewReader(strings.Join(ids, "\n") + "\n")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("git cat-file: %w", err)
	}
	br := bufio.NewReaderSize(stdout, 1<<16)
	out := map[string][]byte{}
	var perr error
	for range ids {
		hdr, err := br.ReadString('\n')
		if err != nil {
			perr = fmt.Errorf("git cat-file: %w", err)
			break
		}
		f := strings.Fields(hdr)
		if len(f) != 3 {
			continue // "<id> missing"
		}
		size, err := strconv.ParseInt(f[2], 10, 64)
		if err != nil {
			perr = fmt.Errorf("git cat-file: bad header %q", strings.TrimSpace(hdr))
			break
		}
		head := make([]byte, min(size, int64(limit)))
		if _, err := io.ReadFull(br, head); err != nil {
			perr = fmt.Errorf("git cat-file: %w", err)
			break
		}
		if _, err := io.CopyN(io.Discard, br, size-int64(len(head))+1); err != nil {
			perr = fmt.Errorf("git cat-file: %w", err)
			break
		}
		out[f[0]] = head
	}
	io.Copy(io.Discard, br)
	werr := cmd.Wait()
	if perr != nil {
		return nil, perr
	}
	if werr != nil {
		return nil, fmt.Errorf("git cat-file: %w: %s", werr, truncate(strings.TrimSpace(stderr.String()), 300))
	}
	return out, nil
}

// hook runs the configured pre-receive program: exit 0 accepts, 1 rejects,
// 2 sends the push to review; anything else is the proxy's failure.
func (c *chain) hook(ctx context.Context) ([]catalog.PushFinding, error) {
	if c.p.cfg.Hook == "" {
		return nil, nil
	}
	ctx, cancel := context.WithTimeout(ctx, c.p.cfg.HookTimeout)
	defer cancel()
	var in strings.Builder
	for _, cmd := range c.req.Commands {
		fmt.Fprintf(&in, "%s %s %s\n", cmd.Old, cmd.New, cmd.Ref)
	}
	cmd := exec.CommandContext(ctx, c.p.cfg.Hook)
	cmd.Dir = c.q.dir
	cmd.Stdin = strings.NewReader(in.String())
	cmd.Env = append(gitcmd.Env(), "GIT_DIR="+c.q.dir, "OSPO_PUSHER="+c.pusher, "OSPO_UPSTREAM="+c.upstream)
	var output bytes.Buffer
	cmd.Stdout, cmd.Stderr = &output, &output
	cmd.WaitDelay = gitcmd.WaitDelay
	err := cmd.Run()
	code := 0
	if err != nil {
		var ee *exec.ExitError
		if !errors.As(err, &ee) || ctx.Err() != nil {
			return nil, fmt.Errorf("pre-receive hook: %w", err)
		}
		code = ee.ExitCode()
	}
	text := strings.TrimSpace(truncate(output.String(), 2000))
	severity := ""
	switch code {
	case 0:
		return nil, nil
	case 1:
		severity = catalog.SeverityReject
	case 2:
		severity = catalog.SeverityReview
	default:
		return nil, fmt.Errorf("pre-receive hook exited %d: %s", code, text)
	}
	if text == "" {
		text = map[string]string{catalog.SeverityReject: "the pre-receive hook rejected the push",
			catalog.SeverityReview: "the pre-receive hook asks for a review"}[severity]
	}
	return []catalog.PushFinding{{Check: "hook", Severity: severity, Message: text}}, nil
}

// packBytes returns the pack to keep for a forward (empty when the push
// carried no objects).
func (c *chain) packBytes() ([]byte, error) {
	if c.pack == "" {
		return []byte{}, nil
	}
	return os.ReadFile(c.pack)
}

// run runs git in dir with stdin and returns its output.
func run(ctx context.Context, dir, stdin string, args ...string) (string, error) {
	cmd := gitcmd.Command(ctx, dir, args...)
	cmd.Stdin = strings.NewReader(stdin)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("git %s: %w: %s", args[0], err, truncate(strings.TrimSpace(stderr.String()), 500))
	}
	return strings.TrimSpace(string(out)), nil
}
