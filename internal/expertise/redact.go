package expertise

import (
	"strings"

	"github.com/ospo-project/ospo/internal/catalog"
)

// OptedOutName is the name shown instead of a person who asked not to
// appear as an expert.
const OptedOutName = "(a person who opted out)"

// Hidden is the set of people who asked not to appear as experts: their
// catalogue person IDs and every e-mail of theirs (lower-cased), so that
// identities the store did not attach to a person are matched too.
type Hidden struct {
	People map[string]bool
	Emails map[string]bool
}

// HiddenOf returns the people of opts who opted out of appearing as
// experts, with their e-mails read by identities (a person's ID to the
// e-mails of their identities; nil or missing: none beyond the ID).
func HiddenOf(opts []catalog.OptOut, identities func(personID string) []string) Hidden {
	h := Hidden{People: map[string]bool{}, Emails: map[string]bool{}}
	for _, o := range opts {
		if !o.Experts {
			continue
		}
		h.People[o.PersonID] = true
		if identities != nil {
			for _, e := range identities(o.PersonID) {
				if e = strings.ToLower(strings.TrimSpace(e)); e != "" {
					h.Emails[e] = true
				}
			}
		}
	}
	return h
}

// Empty reports whether nobody is hidden.
func (h Hidden) Empty() bool { return len(h.People) == 0 && len(h.Emails) == 0 }

// Hides reports whether the identity (of the catalogue person personID, if
// known) belongs to a person h hides.
func (h Hidden) Hides(id catalog.Identity, personID string) bool {
	return (personID != "" && h.People[personID]) || h.Emails[strings.ToLower(strings.TrimSpace(id.Email))]
}

// Redact returns a copy of e in which the people h hides are not named:
// their name becomes OptedOutName, their e-mail and person ID empty. The
// figures stay (the truck factor, each author's files and share): the
// code's risk is a fact about the code, only who to contact is withheld.
// e is not modified; nil stays nil.
func Redact(e *catalog.Expertise, h Hidden) *catalog.Expertise {
	if e == nil || h.Empty() {
		return e
	}
	out := *e
	anon := catalog.Identity{Name: OptedOutName}
	out.KeyPeople = make([]catalog.Identity, len(e.KeyPeople))
	for i, k := range e.KeyPeople {
		out.KeyPeople[i] = k
		if h.Hides(k, "") {
			out.KeyPeople[i] = anon
		}
	}
	authors := func(as []catalog.Author) []catalog.Author {
		r := make([]catalog.Author, len(as))
		for i, a := range as {
			r[i] = a
			if h.Hides(a.Identity, a.PersonID) {
				r[i].Identity, r[i].PersonID = anon, ""
			}
		}
		return r
	}
	out.Authors = authors(e.Authors)
	out.Dirs = make([]catalog.DirAuthorship, len(e.Dirs))
	for i, d := range e.Dirs {
		out.Dirs[i] = d
		out.Dirs[i].Authors = authors(d.Authors)
	}
	if e.KeyPeople == nil {
		out.KeyPeople = nil
	}
	if e.Authors == nil {
		out.Authors = nil
	}
	if e.Dirs == nil {
		out.Dirs = nil
	}
	return &out
}
