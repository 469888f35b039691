package innersource

import (
	"slices"
	"strings"
)

// Filter selects marketplace cards, as developers look for a project to
// contribute to: by language, by skill or topic (innersource.json skills
// are among a card's topics), by owning team, and by words. Every field
// that is set must match; case is ignored.
type Filter struct {
	// Query holds words that must each appear in the card's name, key,
	// description, languages, topics or owners.
	Query string
	// Language is one of the card's languages.
	Language string
	// Topic is one of the card's topics or skills.
	Topic string
	// Team is one of the card's owners, written as the owner is
	// ("@acme/payments") or by its last part ("payments").
	Team string
}

// IsZero reports whether f selects every card.
func (f Filter) IsZero() bool {
	return strings.TrimSpace(f.Query) == "" && strings.TrimSpace(f.Language) == "" &&
		strings.TrimSpace(f.Topic) == "" && strings.TrimSpace(f.Team) == ""
}

// Apply returns the cards of cs that f selects, in their order. cs is not
// changed; with a zero f it is returned as is.
func (f Filter) Apply(cs []Card) []Card {
	if f.IsZero() {
		return cs
	}
	words := strings.Fields(strings.ToLower(f.Query))
	var out []Card
	for _, c := range cs {
		if f.match(c, words) {
			out = append(out, c)
		}
	}
	return out
}

func (f Filter) match(c Card, words []string) bool {
	if l := strings.TrimSpace(f.Language); l != "" && !slices.ContainsFunc(c.Languages, func(s string) bool { return strings.EqualFold(s, l) }) {
		return false
	}
	if t := strings.TrimSpace(f.Topic); t != "" && !slices.ContainsFunc(c.Topics, func(s string) bool { return strings.EqualFold(s, t) }) {
		return false
	}
	if t := strings.TrimSpace(f.Team); t != "" && !slices.ContainsFunc(c.Owners, func(o string) bool { return sameTeam(o, t) }) {
		return false
	}
	if len(words) == 0 {
		return true
	}
	hay := strings.ToLower(strings.Join(append(append(append([]string{c.Name, c.Key, c.Description}, c.Languages...), c.Topics...), c.Owners...), "\n"))
	for _, w := range words {
		if !strings.Contains(hay, w) {
			return false
		}
	}
	return true
}

// sameTeam reports whether owner is the team t: the same owner, or t is
// its last part ("payments" for "@acme/payments").
func sameTeam(owner, t string) bool {
	owner, t = strings.TrimPrefix(owner, "@"), strings.TrimPrefix(t, "@")
	if strings.EqualFold(owner, t) {
		return true
	}
	i := strings.LastIndexByte(owner, '/')
	return i >= 0 && !strings.Contains(t, "/") && strings.EqualFold(owner[i+1:], t)
}

// Facets are the values a filter can take over a set of cards, each sorted
// case-insensitively and without duplicates: the choices of a search form.
type Facets struct {
	Languages []string `json:"languages"`
	Topics    []string `json:"topics"`
	Teams     []string `json:"teams"`
}

// FacetsOf returns the languages, topics and owners of cs.
func FacetsOf(cs []Card) Facets {
	var f Facets
	for _, c := range cs {
		f.Languages = append(f.Languages, c.Languages...)
		f.Topics = append(f.Topics, c.Topics...)
		f.Teams = append(f.Teams, c.Owners...)
	}
	return Facets{Languages: sortedSet(f.Languages), Topics: sortedSet(f.Topics), Teams: sortedSet(f.Teams)}
}

// sortedSet sorts ss case-insensitively and drops repeats (ignoring case,
// the first spelling kept).
func sortedSet(ss []string) []string {
	slices.SortStableFunc(ss, func(a, b string) int { return strings.Compare(strings.ToLower(a), strings.ToLower(b)) })
	return slices.CompactFunc(ss, strings.EqualFold)
}
