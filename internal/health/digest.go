package health

import (
	"fmt"
	"strings"
	"time"
)

// Digest is what moved in a scope's health from one week to the next: the
// last complete week of a Report against the week before it.
type Digest struct {
	Scope string `json:"scope"`
	// Week is the Monday starting the week digested; Previous the one
	// before.
	Week     time.Time `json:"week"`
	Previous time.Time `json:"previous"`
	Changes  []Change  `json:"changes"`
	// Moved reports that at least one figure changed.
	Moved bool `json:"moved"`
}

// Change is one figure of the digest, this week and the week before.
type Change struct {
	Name   string `json:"name"`
	Now    int    `json:"now"`
	Before int    `json:"before"`
}

// WeeklyDigest returns the digest of r, a report whose window ends with
// the current (incomplete) week: its last complete week (the one before
// the last of r.Weeks) against the week before that. It needs a window of
// at least three weeks; with fewer it returns a digest with no changes.
func WeeklyDigest(scope string, r Report) Digest {
	d := Digest{Scope: scope}
	n := len(r.Weeks)
	if n < 3 {
		return d
	}
	cur, prev := r.Weeks[n-2], r.Weeks[n-3]
	d.Week, d.Previous = cur.Week, prev.Week
	for _, c := range []Change{
		{"commits", cur.Commits, prev.Commits},
		{"contributors", cur.Contributors, prev.Contributors},
		{"new contributors", cur.New, prev.New},
		{"returning contributors", cur.Returning, prev.Returning},
		{"inactive contributors (13 weeks without a commit)", cur.Inactive, prev.Inactive},
		{"releases", cur.Releases, prev.Releases},
	} {
		d.Changes = append(d.Changes, c)
		if c.Now != c.Before {
			d.Moved = true
		}
	}
	return d
}

// Text renders the digest as the plain text of a message: one line a
// figure, with its change.
func (d Digest) Text() string {
	var b strings.Builder
	if d.Week.IsZero() {
		fmt.Fprintf(&b, "Not enough history for a weekly digest of %s.\n", d.Scope)
		return b.String()
	}
	fmt.Fprintf(&b, "Health of %s, week of %s against the week of %s:\n", d.Scope, d.Week.Format(time.DateOnly), d.Previous.Format(time.DateOnly))
	for _, c := range d.Changes {
		delta := ""
		switch diff := c.Now - c.Before; {
		case diff > 0:
			delta = fmt.Sprintf(" (+%d)", diff)
		case diff < 0:
			delta = fmt.Sprintf(" (%d)", diff)
		}
		fmt.Fprintf(&b, "- %s: %d, was %d%s\n", c.Name, c.Now, c.Before, delta)
	}
	if !d.Moved {
		b.WriteString("Nothing moved.\n")
	}
	return b.String()
}
