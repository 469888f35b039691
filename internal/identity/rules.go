package identity

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/ospo-project/ospo/internal/catalog"
)

// normalizeEmail is the form in which emails are compared: trimmed and
// lowercased.
func normalizeEmail(email string) string {
	return strings.ToLower(strings.TrimSpace(email))
}

// normalizeName is the form in which names are compared: compatibility
// decomposition (NFKD) with the combining marks dropped ("José" → "jose"),
// letters without a decomposition folded ("Łukasz" → "lukasz", "Strauß" →
// "strauss"), lowercased, dots, commas and quotes dropped ("Jane Q. Doe" →
// "jane q doe", "O'Brien" → "obrien"), any other run of non-letters and
// non-digits turned into one space ("jean-luc_picard" → "jean luc picard"),
// and trimmed.
func normalizeName(name string) string {
	ascii := true
	for i := 0; i < len(name); i++ {
		if name[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if !ascii {
		name = norm.NFKD.String(name)
	}
	var b strings.Builder
	b.Grow(len(name))
	space := false
	for _, r := range name {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			if r < utf8.RuneSelf {
				if 'A' <= r && r <= 'Z' {
					r += 'a' - 'A'
				}
				b.WriteByte(byte(r))
				continue
			}
			r = unicode.ToLower(r)
			if f := foldLetter(r); f != "" {
				b.WriteString(f)
			} else {
				b.WriteRune(r)
			}
		case unicode.Is(unicode.Mn, r):
			// a diacritic split off by NFKD
		case r == '.' || r == ',' || r == '\'' || r == '"' || r == '`' || r == '’' || r == '‘' || r == '´':
			// dropped: "Jane Q. Doe" is "Jane Q Doe"
		default:
			space = true
		}
	}
	return b.String()
}

// foldLetter spells the common lowercase Latin letters that NFKD does not
// decompose the way people type them without the diacritic, and returns ""
// for any other letter.
func foldLetter(r rune) string {
	switch r {
	case 'ø':
		return "o"
	case 'ł', 'ŀ':
		return "l"
	case 'đ', 'ð':
		return "d"
	case 'ħ':
		return "h"
	case 'ı':
		return "i"
	case 'ß':
		return "ss"
	case 'æ':
		return "ae"
	case 'œ':
		return "oe"
	case 'þ':
		return "th"
	}
	return ""
}

// genericNames are normalised names shared by many unrelated people or
// machines, never merged on.
var genericNames = set(
	"root", "admin", "administrator", "user", "ubuntu", "debian", "centos", "ec2 user",
	"unknown", "git", "jenkins", "test", "tester", "build", "builder", "ci", "system",
	"default", "anonymous", "nobody", "none", "null", "localhost", "vagrant", "pi",
	"dev", "developer", "local", "me", "name", "author", "committer", "docker",
	"www data", "deploy", "deployer", "server", "service", "github", "gitlab",
	"your name", "unknown user", "unknown author", "test user", "build user", "ci user",
	"git user", "local user", "root user", "default user", "no name", "noname",
	"firstname lastname", "first last", "name surname", "system administrator",
	"service account", "jenkins user", "vagrant user",
)

// mergeableName reports whether identities sharing the normalised name n may
// be merged on it: at least two words, not a generic name. A single word is
// too weak a signal ("Alex", "admin", "jdoe" are each used by many people);
// it merges only through a GitHub login (see Merge).
func mergeableName(n string) bool {
	return strings.IndexByte(n, ' ') > 0 && !genericNames[n]
}

// placeholderEmails are addresses shared by people who did not configure
// git, or by tools; they never merge identities.
var placeholderEmails = set(
	"none@none", "root@localhost", "noreply@github.com", "no-reply@github.com",
	"you@example.com", "your@email.com", "your@example.com", "your.email@example.com",
	"email@example.com", "user@example.com", "name@example.com", "me@example.com",
	"someone@example.com", "test@example.com", "nobody@nowhere", "nobody@example.com",
	"unknown@unknown", "git@github.com", "git@gitlab.com",
)

// placeholderLocals are local parts that name a role or a machine account,
// not a person, whatever the domain ("root@build-07", "noreply@acme.io").
var placeholderLocals = set(
	"root", "admin", "administrator", "user", "ubuntu", "nobody", "none", "null",
	"noreply", "no-reply", "no_reply", "donotreply", "do-not-reply", "unknown",
	"git", "test", "build", "builder", "jenkins", "ci", "vagrant", "pi", "ec2-user",
	"www-data", "deploy", "localhost", "(none)",
)

// placeholderDomains are domains of addresses git makes up when no email is
// configured, or that are otherwise not a mailbox.
var placeholderDomains = set(
	"localhost", "localhost.localdomain", "localdomain", "(none)", "none", "unknown",
	"invalid", "nowhere",
)

// placeholderEmail reports whether the normalised email e says nothing about
// who the person is, so it must not merge identities.
func placeholderEmail(e string) bool {
	if placeholderEmails[e] {
		return true
	}
	local, domain, ok := strings.Cut(e, "@")
	if !ok || local == "" || domain == "" {
		return true
	}
	if githubLogin(e) != "" {
		return false
	}
	return placeholderLocals[local] || placeholderDomains[domain] ||
		strings.HasSuffix(domain, ".(none)") || strings.HasSuffix(domain, ".localdomain") ||
		strings.HasSuffix(domain, ".invalid")
}

const noreplyDomain = "@users.noreply.github.com"

// githubLogin returns the lowercase GitHub login of a normalised noreply
// address, "12345+login@users.noreply.github.com" or
// "login@users.noreply.github.com", and "" for any other address.
func githubLogin(e string) string {
	local, ok := strings.CutSuffix(e, noreplyDomain)
	if !ok {
		return ""
	}
	if id, login, ok := strings.Cut(local, "+"); ok && id != "" && strings.Trim(id, "0123456789") == "" {
		local = login
	}
	if strings.ContainsAny(local, "@ ") {
		return ""
	}
	return local
}

// botNames are bots and automation accounts, as normalised names with the
// spaces removed: "GitHub Actions" is "githubactions". ("dependabot[bot]"
// needs no entry: its normalised form "dependabot bot" holds the word "bot".)
var botNames = set(
	"dependabot", "dependabotpreview", "renovate", "renovatebot", "renovateapp",
	"whitesourcerenovate", "mendrenovate", "githubactions", "githubaction", "actionsuser",
	"snyk", "snykbot", "greenkeeper", "greenkeeperio", "webflow", "github",
	"githubenterprise", "githubclassroom", "jenkins", "jenkinsci", "gitlab",
	"gitlabci", "gitlabrunner", "travisci", "circleci", "codecov",
	"mergify", "precommitci", "semanticrelease", "semanticreleasebot",
	"allcontributors", "imgbot", "pyup", "pyupbot", "depfu", "scalasteward",
	"deepsource", "deepsourceautofix", "sonarcloud", "restyled", "kodiak", "bors",
	"homu", "weblate", "transifex", "crowdin", "azurepipelines", "azuredevops",
	"buildkite", "teamcity", "bamboo", "copilot", "copilotswe", "stalebot",
	// Not "travis": a first name as well as a CI service.
)

// botEmails are addresses used only by automation.
var botEmails = set(
	"noreply@github.com", "no-reply@github.com", "action@github.com",
	"actions@github.com", "bot@renovateapp.com", "support@dependabot.com",
	"renovate@whitesourcesoftware.com", "noreply@gitlab.com",
)

// botDomains are domains whose addresses are all automation.
var botDomains = set("dependabot.com", "renovateapp.com", "greenkeeper.io")

// isBot reports whether an identity is a bot or an automation account,
// from its normalised name n and normalised email e.
func isBot(n, e string) bool {
	if strings.Contains(e, "[bot]") || botEmails[e] {
		return true
	}
	if botWords(n) {
		return true
	}
	local, domain, _ := strings.Cut(e, "@")
	if login := githubLogin(e); login != "" {
		local = login
	}
	return botDomains[domain] || botWords(normalizeName(local))
}

// botWords reports whether a normalised name or email local part names a
// bot: it holds the word "bot", or is a known bot once spaces are removed.
func botWords(n string) bool {
	if n == "" {
		return false
	}
	if strings.IndexByte(n, ' ') < 0 {
		return n == "bot" || n == "robot" || botNames[n]
	}
	var buf [64]byte
	joined := buf[:0]
	for w := range strings.SplitSeq(n, " ") {
		if w == "bot" || w == "robot" {
			return true
		}
		joined = append(joined, w...)
	}
	return botNames[string(joined)]
}

func set(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}

// IsBot reports whether the identity is a bot or an automation account
// (dependabot, renovate, GitHub Actions…), by the rules Merge applies.
func IsBot(id catalog.Identity) bool {
	return isBot(normalizeName(id.Name), normalizeEmail(id.Email))
}

// GitHubLogin returns the GitHub login a no-reply address names
// ("123+octocat@users.noreply.github.com" → "octocat"), or "".
func GitHubLogin(email string) string { return githubLogin(normalizeEmail(email)) }
