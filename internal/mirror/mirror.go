// Package mirror keeps bare copies of remote git repositories in a managed
// directory, so that sources such as a GitHub organisation can be scanned
// like any checkout.
//
// It is the one place ospo lets git reach the network, and only to the
// URL a source listed: git runs with the safe settings of gitcmd (no hooks,
// no credential helpers, no prompts) with exactly one protocol allowed,
// that of the URL (https; http only when the URL is http, for tests and
// closed networks). A token is handed to git in the environment as an
// HTTP header for that URL's host alone: it is never written to a
// repository's config, a command line or a log.
package mirror

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/ospo-project/ospo/internal/gitcmd"
	"github.com/ospo-project/ospo/internal/lazyre"
)

// Repo is a repository to mirror.
type Repo struct {
	// FullName is owner/name (GitLab: group/subgroup/…/name); the mirror
	// is Dir/owner/name.git.
	FullName string
	// CloneURL is the http(s) URL to fetch from.
	CloneURL string
	// Token, if set, is sent to CloneURL's host as HTTP basic
	// authentication (x-access-token:Token), as GitHub expects.
	Token string
}

// safeName accepts owner/name and GitLab's nested group/subgroup/name (at
// most 21 segments, GitLab's depth limit); Path also refuses "." and ".."
// segments.
var safeName = lazyre.New(`^[A-Za-z0-9][A-Za-z0-9._-]*(/[A-Za-z0-9._-]+){1,20}$`)

// Path returns where the mirror of a repository named fullName lives under
// dir. An unsafe name (one that could leave dir) is an error.
func Path(dir, fullName string) (string, error) {
	if !safeName.MatchString(fullName) || strings.Contains(fullName, "..") || slices.Contains(strings.Split(fullName, "/"), ".") {
		return "", fmt.Errorf("unsafe repository name %q", fullName)
	}
	return filepath.Join(dir, filepath.FromSlash(fullName)+".git"), nil
}

// Sync creates the mirror of r under dir (git clone --bare) or brings an
// existing one up to date (fetch of branches and tags, pruning deleted
// ones), and returns its path. A failed first clone leaves no directory
// behind.
func Sync(ctx context.Context, dir string, r Repo) (string, error) {
	path, err := Path(dir, r.FullName)
	if err != nil {
		return "", err
	}
	u, err := url.Parse(r.CloneURL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return "", fmt.Errorf("mirror %s: clone URL %q is not http(s)", r.FullName, r.CloneURL)
	}
	if u.User != nil {
		return "", fmt.Errorf("mirror %s: clone URL carries credentials", r.FullName)
	}
	if _, err := os.Stat(filepath.Join(path, "HEAD")); err == nil {
		_, err := run(ctx, path, u, r.Token, "fetch", "--prune", "--no-tags", "--quiet", r.CloneURL,
			"+refs/heads/*:refs/heads/*", "+refs/tags/*:refs/tags/*")
		if err != nil {
			return path, fmt.Errorf("fetch %s: %w", r.FullName, err)
		}
		return path, nil
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return "", fmt.Errorf("mirror %s: %w", r.FullName, err)
	}
	tmp := path + ".partial"
	os.RemoveAll(tmp)
	if _, err := run(ctx, filepath.Dir(path), u, r.Token, "clone", "--bare", "--quiet", "--", r.CloneURL, tmp); err != nil {
		os.RemoveAll(tmp)
		return "", fmt.Errorf("clone %s: %w", r.FullName, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		os.RemoveAll(tmp)
		return "", fmt.Errorf("mirror %s: %w", r.FullName, err)
	}
	return path, nil
}

// run runs git with network access to u's scheme only and the token, if
// any, as an extra header. Errors never contain the token.
func run(ctx context.Context, dir string, u *url.URL, token string, args ...string) (string, error) {
	full := append([]string{"-c", "protocol." + u.Scheme + ".allow=always"}, args...)
	cmd := gitcmd.Command(ctx, dir, full...)
	env := cmd.Env[:0:0]
	for _, e := range cmd.Env {
		if !strings.HasPrefix(e, "GIT_ALLOW_PROTOCOL=") {
			env = append(env, e)
		}
	}
	env = append(env, "GIT_ALLOW_PROTOCOL="+u.Scheme)
	if token != "" {
		// The header applies to this host only: http.<url>.extraHeader.
		base := u.Scheme + "://" + u.Host + "/"
		auth := base64.StdEncoding.EncodeToString([]byte("x-access-token:" + token))
		env = append(env, "GIT_CONFIG_COUNT=1",
			"GIT_CONFIG_KEY_0=http."+base+".extraHeader",
			"GIT_CONFIG_VALUE_0=Authorization: Basic "+auth)
	}
	cmd.Env = env
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		msg := strings.TrimSpace(stderr.String())
		if token != "" {
			msg = strings.ReplaceAll(msg, token, "[redacted]")
		}
		if len(msg) > 2000 {
			msg = msg[:2000] + "…"
		}
		if ctx.Err() != nil {
			return "", ctx.Err()
		}
		return "", errors.New(strings.TrimSpace("git " + args[0] + ": " + msg))
	}
	return strings.TrimSpace(string(out)), nil
}

// Git runs git in dir with network access to rawURL's scheme only (as Sync
// does) and token, if any, sent to rawURL's host as HTTP basic
// authentication. It is for commands that talk to rawURL, such as a push.
// Errors never contain the token.
func Git(ctx context.Context, dir, rawURL, token string, args ...string) (string, error) {
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return "", fmt.Errorf("URL %q is not http(s)", rawURL)
	}
	if u.User != nil {
		return "", fmt.Errorf("URL %q carries credentials", rawURL)
	}
	return run(ctx, dir, u, token, args...)
}

// Move moves the mirror of a repository renamed or transferred from the
// full name from to r.FullName under dir, and points its origin at
// r.CloneURL, so the next fetch is incremental and the scan keys it by its
// new URL. It reports false, and does nothing, when there is no mirror at
// the old name; a mirror already at the new name is an error.
func Move(ctx context.Context, dir, from string, r Repo) (bool, error) {
	oldPath, err := Path(dir, from)
	if err != nil {
		return false, err
	}
	newPath, err := Path(dir, r.FullName)
	if err != nil {
		return false, err
	}
	if _, err := os.Stat(filepath.Join(oldPath, "HEAD")); err != nil {
		return false, nil
	}
	if _, err := os.Stat(newPath); err == nil {
		return false, fmt.Errorf("move the mirror of %s to %s: a mirror is already there", from, r.FullName)
	}
	u, err := url.Parse(r.CloneURL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.User != nil {
		return false, fmt.Errorf("move the mirror of %s: clone URL %q is not a plain http(s) URL", from, r.CloneURL)
	}
	if err := os.MkdirAll(filepath.Dir(newPath), 0o755); err != nil {
		return false, fmt.Errorf("move the mirror of %s: %w", from, err)
	}
	if err := os.Rename(oldPath, newPath); err != nil {
		return false, fmt.Errorf("move the mirror of %s: %w", from, err)
	}
	if _, err := run(ctx, newPath, u, "", "config", "remote.origin.url", r.CloneURL); err != nil {
		return true, fmt.Errorf("point the mirror of %s at its new URL: %w", r.FullName, err)
	}
	return true, nil
}
