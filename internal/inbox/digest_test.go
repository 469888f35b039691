package inbox

import (
	"strings"
	"testing"
	"time"
)

func TestDigestDue(t *testing.T) {
	last := now.Add(-23*time.Hour - 30*time.Minute)
	for _, tt := range []struct {
		freq string
		last time.Time
		want bool
	}{
		{DigestDaily, time.Time{}, true},
		{DigestDaily, last, true}, // a day less an hour of slack
		{DigestDaily, now.Add(-2 * time.Hour), false},
		{DigestWeekly, last, false},
		{DigestWeekly, now.Add(-7 * 24 * time.Hour), true},
		{"", time.Time{}, false},
		{"hourly", time.Time{}, false},
	} {
		if got := DigestDue(tt.freq, tt.last, now); got != tt.want {
			t.Errorf("DigestDue(%q, %v) = %v, want %v", tt.freq, tt.last, got, tt.want)
		}
	}
}

func TestDigestMessage(t *testing.T) {
	in := &Inbox{Person: "jane@example.com", SnoozedCount: 2}
	for i := range DigestMax + 2 {
		sev := "high"
		if i == 0 {
			sev = "critical"
		}
		in.Items = append(in.Items, Item{Key: "k", Title: "item " + string(rune('a'+i)), Severity: sev, URL: "/projects/1#vulnerabilities", Detail: "fixed in 2.0"})
	}
	m := DigestMessage(in, "https://ospo.example.com/", now)
	if m.To != "jane@example.com" || m.Topic != "digest" || m.Subject != "ospo: 22 things need you (1 critical, 21 high)" ||
		m.Link != "https://ospo.example.com/me/inbox" {
		t.Errorf("message = %+v", m)
	}
	for _, want := range []string{"- [critical] item a\n  fixed in 2.0\n  https://ospo.example.com/projects/1#vulnerabilities\n", "… and 2 more.", "2 snoozed"} {
		if !strings.Contains(m.Text, want) {
			t.Errorf("text lacks %q:\n%s", want, m.Text)
		}
	}
}
