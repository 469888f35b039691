package auth

import (
	"strings"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/identity"
)

// Claimant is what a project's ownership claims can name of one account:
// its e-mail addresses (the account's and those of the catalogue person it
// is linked to) and the teams it is a member of (stated memberships:
// OIDC groups, teams.yaml, Backstage).
type Claimant struct {
	Emails []string
	Teams  []string
}

// Owns reports whether c owns a project whose ownership claims are owners,
// so that EffectiveRole makes a developer its maintainer. A claim names c
// when it is:
//
//   - an e-mail address of c (CODEOWNERS "jane@example.com"), compared
//     case-insensitively;
//   - a user: CODEOWNERS "@jane", Backstage "user:jane" or
//     "user:default/jane", matching the GitHub login of a no-reply address
//     of c or the local part of one of its addresses;
//   - a team: CODEOWNERS "@org/payments", Backstage "group:payments",
//     "group:default/payments" or a bare "payments" (Backstage's default
//     kind for an owner is Group), matching a team of c by name,
//     case-insensitively.
func Owns(c Claimant, owners []catalog.Owner) bool {
	emails := map[string]bool{}
	users := map[string]bool{}
	for _, e := range c.Emails {
		e = strings.ToLower(strings.TrimSpace(e))
		if e == "" {
			continue
		}
		emails[e] = true
		if login := identity.GitHubLogin(e); login != "" {
			users[strings.ToLower(login)] = true
		} else if local, _, ok := strings.Cut(e, "@"); ok && local != "" {
			users[local] = true
		}
	}
	teams := map[string]bool{}
	for _, t := range c.Teams {
		if t = strings.ToLower(strings.TrimSpace(t)); t != "" {
			teams[t] = true
		}
	}
	for _, o := range owners {
		kind, name := claim(o.Owner)
		switch kind {
		case "email":
			if emails[name] {
				return true
			}
		case "user":
			if users[name] {
				return true
			}
		case "team":
			if teams[name] {
				return true
			}
		}
	}
	return false
}

// claim reads one ownership claim as a kind (email, user, team) and a
// lower-cased name; kind is "" for a claim that names nobody.
func claim(s string) (kind, name string) {
	s = strings.ToLower(strings.TrimSpace(s))
	switch {
	case s == "":
		return "", ""
	case strings.HasPrefix(s, "@"):
		s = s[1:]
		if i := strings.LastIndexByte(s, '/'); i >= 0 {
			return "team", s[i+1:] // @org/team
		}
		return "user", s
	case strings.Contains(s, "@"):
		return "email", s
	}
	kindOf, ref, ok := strings.Cut(s, ":")
	if !ok {
		kindOf, ref = "group", s
	}
	if i := strings.LastIndexByte(ref, '/'); i >= 0 {
		ref = ref[i+1:] // namespace/name
	}
	switch kindOf {
	case "group":
		return "team", ref
	case "user":
		return "user", ref
	}
	return "", ""
}

// ClaimKey returns the key of one ownership claim ("team:payments",
// "user:jane", "email:jane@example.com"), "" for a claim that names
// nobody. Owns(c, owners) is true exactly when the key of one of owners is
// among ClaimantKeys(c), so an index of projects by claim key answers Owns
// for a whole estate with a few lookups.
func ClaimKey(owner string) string {
	kind, name := claim(owner)
	if kind == "" || name == "" {
		return ""
	}
	return kind + ":" + name
}

// ClaimantKeys returns the claim keys (see ClaimKey) that name c.
func ClaimantKeys(c Claimant) []string {
	var keys []string
	for _, e := range c.Emails {
		e = strings.ToLower(strings.TrimSpace(e))
		if e == "" {
			continue
		}
		keys = append(keys, "email:"+e)
		if login := identity.GitHubLogin(e); login != "" {
			keys = append(keys, "user:"+strings.ToLower(login))
		} else if local, _, ok := strings.Cut(e, "@"); ok && local != "" {
			keys = append(keys, "user:"+local)
		}
	}
	for _, t := range c.Teams {
		if t = strings.ToLower(strings.TrimSpace(t)); t != "" {
			keys = append(keys, "team:"+t)
		}
	}
	return keys
}
