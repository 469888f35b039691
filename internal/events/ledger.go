package events

import (
	"slices"

	"github.com/ospo-project/ospo/internal/catalog"
)

// Ledger keeps every person's points over a growing set of events, so
// that the leaderboard after a scan costs the events the scan added, not
// every event: Add takes the events recorded since the previous call and
// who each e-mail belongs to now, and re-tallies only the people those
// touch. Caps are per person, so a person's points depend on their own
// events only, and re-tallying one person alone gives what a full Tally
// gives them.
//
// Its Standings equal Tally's over every event it was given, each event
// credited as the latest identities say (as Store.Events fills PersonID:
// the person of the event's e-mail, else the e-mail), with Person, Points
// and Level set. A Ledger is not safe for concurrent use; use NewLedger.
type Ledger struct {
	caps Caps
	// byEmail are the events of each e-mail (as events carry it).
	byEmail map[string][]catalog.Event
	// personOf is who each e-mail belongs to, as of the last Add.
	personOf map[string]string
	// emailsOf are the e-mails with events credited to each person.
	emailsOf map[string][]string
	// points are the points of everyone credited with at least one event.
	points map[string]int
}

// NewLedger returns an empty Ledger applying caps.
func NewLedger(caps Caps) *Ledger {
	return &Ledger{caps: caps, byEmail: map[string][]catalog.Event{}, personOf: map[string]string{},
		emailsOf: map[string][]string{}, points: map[string]int{}}
}

// who is whom the events of email are credited to, under personOf.
func who(personOf map[string]string, email string) string {
	if p := personOf[email]; p != "" {
		return p
	}
	return email
}

// Add adds evs (events not given before: only ID, Source, ProjectKey,
// Email, At and Points are read, PersonID is not) and takes personOf, the
// person of each e-mail (lower-cased) from now on, which the Ledger keeps:
// the caller must not change it afterwards. It re-tallies the people evs
// credit and the people an e-mail moved from or to, and returns how many
// it re-tallied.
func (l *Ledger) Add(evs []catalog.Event, personOf map[string]string) int {
	if personOf == nil {
		personOf = map[string]string{}
	}
	touched := map[string]bool{}
	for email := range l.byEmail {
		before, now := who(l.personOf, email), who(personOf, email)
		if before == now {
			continue
		}
		touched[before], touched[now] = true, true
		if es := slices.DeleteFunc(l.emailsOf[before], func(e string) bool { return e == email }); len(es) > 0 {
			l.emailsOf[before] = es
		} else {
			delete(l.emailsOf, before)
		}
		l.emailsOf[now] = append(l.emailsOf[now], email)
	}
	l.personOf = personOf
	for _, e := range evs {
		w := who(personOf, e.Email)
		if len(l.byEmail[e.Email]) == 0 {
			l.emailsOf[w] = append(l.emailsOf[w], e.Email)
		}
		l.byEmail[e.Email] = append(l.byEmail[e.Email], e)
		touched[w] = true
	}
	n := 0
	for w := range touched {
		if w == "" { // nobody to credit, as in Tally
			continue
		}
		n++
		emails := l.emailsOf[w]
		if len(emails) == 0 {
			delete(l.points, w)
			continue
		}
		var mine []catalog.Event
		for _, email := range emails {
			mine = append(mine, l.byEmail[email]...)
		}
		sortEvents(mine)
		c := newCapper(l.caps)
		points := 0
		for _, e := range mine {
			points += c.award(w, e).Awarded
		}
		l.points[w] = points
	}
	return n
}

// Events returns how many events the Ledger holds.
func (l *Ledger) Events() int {
	n := 0
	for _, evs := range l.byEmail {
		n += len(evs)
	}
	return n
}

// Standings returns everyone's standing (Person, Points and Level; no
// awards or badges), ordered as Tally orders them. The slice is the
// caller's.
func (l *Ledger) Standings() []Standing {
	out := make([]Standing, 0, len(l.points))
	for w, p := range l.points {
		out = append(out, Standing{Person: w, Points: p, Level: LevelOf(p)})
	}
	sortStandings(out)
	return out
}
