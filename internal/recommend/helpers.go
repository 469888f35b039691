package recommend

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Helpers returns up to limit people who know the skills a "looking for
// help" post asks for (catalog.HelpPost.Skills), best first: most of the
// skills matched, then the most recent use of them (each skill's use
// weighted by its age, half-life HalfLife, at the model's build time). A
// skill names a technology as the catalogue does, by ID or name ("Go",
// "pkg:npm/react", "github.com/spf13/cobra"), case-insensitively, or by
// the last segment of a package name ("cobra"). People who opted out of
// appearing as experts or in recommendations, and those skip reports, are
// left out. Each person's Why says which skills they showed and where.
func (m *Model) Helpers(skills []string, skip func(Person) bool, limit int) []Item {
	type cand struct {
		who     int32
		matched []string
		score   float64
		last    time.Time
	}
	byPerson := map[int32]*cand{}
	for _, skill := range skills {
		techs := m.skillTechs(skill)
		best := map[int32]float64{} // person -> best weight for this skill
		lastUse := map[int32]time.Time{}
		for _, t := range techs {
			for _, pi := range m.techPeople[t] {
				k, ok := slices.BinarySearchFunc(m.uses[pi], t, func(u use, t int32) int { return cmp.Compare(u.tech, t) })
				if !ok {
					continue
				}
				u := m.uses[pi][k]
				if w := m.weight(u, m.built); w > best[pi] {
					best[pi] = w
				}
				if last := m.last(u); last.After(lastUse[pi]) {
					lastUse[pi] = last
				}
			}
		}
		for pi, w := range best {
			p := m.people[pi]
			if o := m.optOut[p.ID]; o.Experts || o.Recommendations {
				continue
			}
			if skip != nil && skip(p) {
				continue
			}
			c := byPerson[pi]
			if c == nil {
				c = &cand{who: pi}
				byPerson[pi] = c
			}
			c.matched = append(c.matched, skill)
			c.score += w
			if lastUse[pi].After(c.last) {
				c.last = lastUse[pi]
			}
		}
	}
	cands := make([]*cand, 0, len(byPerson))
	for _, c := range byPerson {
		cands = append(cands, c)
	}
	slices.SortFunc(cands, func(a, b *cand) int {
		return cmp.Or(cmp.Compare(len(b.matched), len(a.matched)), cmp.Compare(b.score, a.score),
			strings.Compare(m.people[a.who].ID, m.people[b.who].ID))
	})
	out := []Item{}
	for _, c := range cands {
		if len(out) == limit {
			break
		}
		p := m.people[c.who]
		why := fmt.Sprintf("knows %s (%d of %d skills asked; last used %s)", strings.Join(c.matched, ", "),
			len(c.matched), len(skills), dateOr(c.last))
		out = append(out, Item{Kind: KindPerson, ID: p.ID, Name: p.Name, Email: p.Email, Teams: m.teams[c.who],
			Score: round(c.score), Why: why})
	}
	return out
}

// skillTechs returns the technologies a skill names: by ID or name, else
// by the last segment of a package name.
func (m *Model) skillTechs(skill string) []int32 {
	s := strings.ToLower(strings.TrimSpace(skill))
	if s == "" {
		return nil
	}
	if ts := m.nameIdx[s]; len(ts) > 0 {
		return ts
	}
	var out []int32
	for i, t := range m.techs {
		n := strings.ToLower(t.Name)
		if strings.HasSuffix(n, "/"+s) {
			out = append(out, int32(i))
		}
	}
	return out
}
