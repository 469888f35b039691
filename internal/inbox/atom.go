package inbox

import (
	"encoding/xml"
	"strings"
	"time"
)

// Atom returns in as an Atom 1.0 feed (RFC 4287): one entry per open item,
// most pressing first. An entry's id holds the item's key and
// fingerprint, so a fact that changes is a new entry for a feed reader.
// Links are relative (to the hub the feed is read from); self is the
// feed's own path, without any token.
func Atom(in *Inbox, self string, now time.Time) ([]byte, error) {
	f := atomFeed{
		XMLNS: "http://www.w3.org/2005/Atom", ID: "urn:ospo:inbox:" + strings.ToLower(in.Person),
		Title: "Inbox of " + in.Person, Updated: now.UTC().Format(time.RFC3339),
		Links:  []atomLink{{Rel: "self", Href: self}, {Rel: "alternate", Href: "/me/inbox"}},
		Author: atomPerson{Name: "ospo"},
	}
	for _, it := range in.Items {
		updated := it.Since
		if updated.IsZero() || updated.After(now) {
			updated = now
		}
		var ps []string
		for _, p := range it.Projects {
			ps = append(ps, p.Name+" ("+string(p.Role)+")")
		}
		summary := it.Severity + " " + it.Kind
		if it.Detail != "" {
			summary += ": " + it.Detail
		}
		if len(ps) > 0 {
			summary += ". Projects: " + strings.Join(ps, ", ")
		}
		f.Entries = append(f.Entries, atomEntry{
			ID: "urn:ospo:inbox-item:" + it.Key + ":" + it.Fingerprint, Title: it.Title,
			Updated: updated.UTC().Format(time.RFC3339), Links: []atomLink{{Rel: "alternate", Href: it.URL}},
			Summary: summary, Category: atomCategory{Term: it.Kind},
		})
	}
	out, err := xml.MarshalIndent(f, "", " ")
	if err != nil {
		return nil, err
	}
	return append([]byte(xml.Header), append(out, '\n')...), nil
}

type atomFeed struct {
	XMLName xml.Name    `xml:"feed"`
	XMLNS   string      `xml:"xmlns,attr"`
	ID      string      `xml:"id"`
	Title   string      `xml:"title"`
	Updated string      `xml:"updated"`
	Links   []atomLink  `xml:"link"`
	Author  atomPerson  `xml:"author"`
	Entries []atomEntry `xml:"entry"`
}

type atomLink struct {
	Rel  string `xml:"rel,attr"`
	Href string `xml:"href,attr"`
}

type atomPerson struct {
	Name string `xml:"name"`
}

type atomEntry struct {
	ID       string       `xml:"id"`
	Title    string       `xml:"title"`
	Updated  string       `xml:"updated"`
	Links    []atomLink   `xml:"link"`
	Summary  string       `xml:"summary"`
	Category atomCategory `xml:"category"`
}

type atomCategory struct {
	Term string `xml:"term,attr"`
}
