package gitrepo

import (
	"path"
	"strings"
)

// StripCredentials returns a remote URL without the secrets people put in
// them. For URLs with a scheme, the whole user-info part (everything before
// the last "@" ahead of the first "/") goes for http, https and every other
// scheme (a user name there is often a token: https://ghp_xxx@github.com/...),
// except that ssh keeps its user name and loses only a password and ";"
// parameters (ssh://git@host/... is not a secret). The query, the fragment and
// ";" parameters go too (https://host/a/b.git?private_token=..., ...#token,
// ...;token), as they do from scp-like "user@host:path?..." addresses, whose
// password ("user:password@host:path") goes as well. Local paths are returned
// unchanged. The result is safe to log and to store, and StripCredentials of
// it is itself.
func StripCredentials(raw string) string {
	return fixpoint(raw, stripOnce) // a degenerate address may need two passes
}

func stripOnce(raw string) string {
	if i := strings.Index(raw, "://"); i > 0 && isScheme(raw[:i]) {
		scheme, rest := raw[:i+3], raw[i+3:]
		end := strings.IndexByte(rest, '/')
		if end < 0 {
			end = len(rest)
		}
		user := ""
		if at := strings.LastIndex(rest[:end], "@"); at >= 0 {
			switch strings.ToLower(raw[:i]) {
			case "ssh", "git+ssh", "ssh+git":
				if u, _, _ := strings.Cut(cutAny(rest[:at], ";?#"), ":"); u != "" {
					user = u + "@"
				}
			}
			rest = rest[at+1:]
		}
		return scheme + user + cutAny(rest, "?#;")
	}
	s := raw
	if at := strings.Index(s, "@"); at > 0 {
		if user, _, hasPass := strings.Cut(s[:at], ":"); hasPass && !strings.ContainsAny(s[:at], "/\\") {
			s = user + s[at:]
		}
	}
	if h, p, ok := scpLike(s); ok && strings.ContainsAny(s, "?#;") {
		if at := strings.LastIndex(h, "@"); at >= 0 {
			user, host := cutAny(h[:at], "?#;"), cutAny(h[at+1:], "?#;")
			if user != "" {
				host = user + "@" + host
			}
			h = host
		} else {
			h = cutAny(h, "?#;")
		}
		if h == "" {
			return "" // nothing but parameters before the colon: no address
		}
		s = h + ":" + cutAny(p, "?#;")
	}
	return s
}

// cutAny returns s up to the first of the bytes in chars.
func cutAny(s, chars string) string {
	if i := strings.IndexAny(s, chars); i >= 0 {
		return s[:i]
	}
	return s
}

// NormaliseRemote returns the canonical key form of a remote URL, so that
// every way of writing one repository's address gives one key:
//
//   - scheme, user, credentials, port, query and fragment are dropped, the
//     host is lower-cased, and the path is cleaned of "//", "." and "..";
//   - a ".git" suffix and trailing slashes are dropped;
//   - scp-like "git@host:org/repo" gives "host/org/repo";
//   - Azure DevOps URLs in all their forms (https://dev.azure.com/org/proj/_git/repo,
//     https://org.visualstudio.com[/DefaultCollection]/proj/_git/repo,
//     git@ssh.dev.azure.com:v3/org/proj/repo, org@vs-ssh.visualstudio.com:v3/org/proj/repo)
//     give "dev.azure.com/org/proj/repo", with the organisation lower-cased;
//   - local paths and file:// URLs give the cleaned path ("/srv/git/repo");
//   - a URL without a repository path (https://github.com) gives "".
//
// The path of a hosted repository is lower-cased: GitHub, GitLab,
// Bitbucket, Azure DevOps and Gitea all treat "Org/Repo" and "org/repo" as
// the same repository, and one repository must be one project whichever
// spelling a clone used. Local paths keep their case. NormaliseRemote("") is "". The function is
// idempotent: a key normalises to itself.
func NormaliseRemote(raw string) string {
	return strings.TrimSpace(normaliseRemote(strings.TrimSpace(raw)))
}

func normaliseRemote(s string) string {
	if s == "" {
		return ""
	}
	var host, p string
	if i := strings.Index(s, "://"); i > 0 && isScheme(s[:i]) {
		scheme := strings.ToLower(s[:i])
		rest := s[i+3:]
		if j := strings.IndexAny(rest, "?#"); j >= 0 {
			rest = rest[:j]
		}
		if scheme == "file" {
			if !strings.HasPrefix(rest, "/") { // file://host/path
				j := strings.IndexByte(rest, '/')
				if j < 0 {
					return ""
				}
				rest = rest[j:]
			}
			return normaliseLocal(rest)
		}
		auth := rest
		if j := strings.IndexByte(rest, '/'); j >= 0 {
			auth, p = rest[:j], rest[j+1:]
		}
		if at := strings.LastIndex(auth, "@"); at >= 0 {
			auth = auth[at+1:]
		}
		auth, p = cutAny(auth, ";"), cutAny(p, ";") // ";" parameters name no repository
		var port string
		host, port = splitHostPort(auth)
		if port != "" && !allDigits(port) {
			// ssh://git@host:org/repo: an scp-like path written after a
			// scheme. Git would fail on it; the intent is plain.
			p = port + "/" + p
		}
		if !validHost(host) {
			return ""
		}
	} else if h, rp, ok := scpLike(s); ok && validHost(strings.TrimSuffix(h[strings.LastIndex(h, "@")+1:], ".")) {
		if at := strings.LastIndex(h, "@"); at >= 0 {
			h = h[at+1:]
		}
		if inner := strings.Trim(h, "[]"); len(inner) == len(h)-2 && strings.Count(inner, ":") == 1 {
			h, _ = splitHostPort(inner) // [host:port]:path; else [IPv6]:path
		}
		host, p = h, cutAny(rp, "?#;")
	} else {
		return normaliseLocal(s)
	}
	host = strings.ToLower(strings.TrimSuffix(host, "."))
	p = strings.ToLower(p) // before ".git" is trimmed: "Repo.GIT" is "repo"
	p = fixpoint(p, func(p string) string {
		p = strings.TrimRight(path.Clean("/" + p)[1:], trailing)
		return strings.TrimRight(strings.TrimSuffix(p, ".git"), trailing)
	})
	host, p = azureDevOps(host, p)
	if p == "" {
		return "" // a host alone names no repository
	}
	return host + "/" + strings.ToLower(p)
}

// validHost reports whether h can be a host name, an IPv4 or a bracketed
// IPv6 address (with or without a port): anything else makes a URL a path.
func validHost(h string) bool {
	allowed := "-._~%"
	if inner, ok := strings.CutPrefix(h, "["); ok {
		if h, ok = strings.CutSuffix(inner, "]"); !ok {
			return false
		}
		allowed += ":"
	}
	if strings.Trim(h, ".") == "" {
		return false
	}
	for _, c := range []byte(h) {
		if !isAlnum(c) && strings.IndexByte(allowed, c) < 0 {
			return false
		}
	}
	return true
}

// trailing is what is trimmed from the end of a key's path.
const trailing = "/\\ \t\n\v\f\r"

// fixpoint applies step until the string stops changing (every step here
// shortens it or leaves it alone), so that normalising is idempotent.
func fixpoint(s string, step func(string) string) string {
	for {
		next := step(s)
		if next == s || len(next) > len(s) {
			return s
		}
		s = next
	}
}

// normaliseLocal cleans a local path used as a remote.
func normaliseLocal(s string) string {
	trim := func(p string) string {
		p = strings.TrimSpace(p)
		if t := strings.TrimRight(p, trailing); t != "" {
			return t
		}
		return p[:min(1, len(p))] // "/" stays "/"
	}
	p := fixpoint(s, func(p string) string {
		p = trim(p)
		if !strings.Contains(p, `\`) {
			p = path.Clean(p)
		}
		return trim(strings.TrimSuffix(p, ".git"))
	})
	if p == "" || p == "." {
		return s
	}
	if _, _, scp := scpLike(p); scp {
		p = "./" + p // keep "./a:b" a path, not host a
	}
	return p
}

// scpLike splits git's scp-like syntax "[user@]host:path": a colon before
// any slash. A single letter before the colon followed by a slash or
// backslash is a Windows drive, not a host.
func scpLike(s string) (host, p string, ok bool) {
	if s == "" {
		return "", "", false
	}
	start := 0
	if at := strings.IndexByte(s, '@'); at >= 0 && at+1 < len(s) && s[at+1] == '[' && !strings.ContainsAny(s[:at], ":/") {
		start = at + 1 // user@[host:port]:path
	}
	var c int
	if s[start] == '[' {
		end := strings.IndexByte(s[start:], ']') + start
		if end < start || end+1 >= len(s) || s[end+1] != ':' {
			return "", "", false
		}
		c = end + 1
	} else {
		c = strings.IndexByte(s, ':')
	}
	if c <= 0 {
		return "", "", false
	}
	if slash := strings.IndexAny(s, `/\`); slash >= 0 && slash < c {
		return "", "", false
	}
	if c == 1 && isAlpha(s[0]) && len(s) > 2 && (s[2] == '/' || s[2] == '\\') {
		return "", "", false
	}
	return s[:c], s[c+1:], true
}

// splitHostPort splits "host:port" or "[v6]:port"; port is "" when absent.
func splitHostPort(hp string) (host, port string) {
	if strings.HasPrefix(hp, "[") {
		if end := strings.IndexByte(hp, ']'); end >= 0 {
			host, rest := hp[:end+1], hp[end+1:]
			return host, strings.TrimPrefix(rest, ":")
		}
		return hp, ""
	}
	if i := strings.LastIndexByte(hp, ':'); i >= 0 {
		return hp[:i], hp[i+1:]
	}
	return hp, ""
}

// azureDevOps maps the many spellings of an Azure DevOps repository to
// dev.azure.com/<org>/<project>/<repo>.
func azureDevOps(host, p string) (string, string) {
	segs := strings.Split(p, "/")
	switch {
	case host == "ssh.dev.azure.com" || host == "vs-ssh.visualstudio.com":
		if len(segs) == 4 && segs[0] == "v3" {
			return "dev.azure.com", strings.ToLower(segs[1]) + "/" + segs[2] + "/" + segs[3]
		}
	case host == "dev.azure.com":
		if len(segs) >= 2 {
			return host, strings.ToLower(segs[0]) + "/" + azureProjectRepo(segs[1:])
		}
	case strings.HasSuffix(host, ".visualstudio.com") && azureOrg(strings.TrimSuffix(host, ".visualstudio.com")):
		org := strings.TrimSuffix(host, ".visualstudio.com")
		if len(segs) > 0 && strings.EqualFold(segs[0], "DefaultCollection") {
			segs = segs[1:]
		}
		if p == "" || len(segs) == 0 {
			return "dev.azure.com", ""
		}
		return "dev.azure.com", org + "/" + azureProjectRepo(segs)
	}
	return host, p
}

// azureOrg reports whether s can be an Azure DevOps organisation name.
func azureOrg(s string) bool {
	for _, c := range []byte(s) {
		if !isAlnum(c) && c != '-' {
			return false
		}
	}
	return s != ""
}

// azureProjectRepo turns "proj/_git/repo" into "proj/repo", and the short
// "_git/repo" (a repository named like its project) into "repo/repo".
func azureProjectRepo(segs []string) string {
	switch {
	case len(segs) == 3 && segs[1] == "_git":
		return segs[0] + "/" + segs[2]
	case len(segs) == 2 && segs[0] == "_git":
		return segs[1] + "/" + segs[1]
	}
	return strings.Join(segs, "/")
}

// isScheme reports whether s is a URL scheme: a letter, then letters,
// digits, "+", "-" or ".".
func isScheme(s string) bool {
	if s == "" || !isAlpha(s[0]) {
		return false
	}
	for _, c := range []byte(s) {
		if !isAlnum(c) && c != '+' && c != '-' && c != '.' {
			return false
		}
	}
	return true
}

func allDigits(s string) bool {
	for _, c := range []byte(s) {
		if c < '0' || c > '9' {
			return false
		}
	}
	return s != ""
}
