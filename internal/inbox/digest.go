package inbox

import (
	"fmt"
	"strings"
	"time"

	"github.com/ospo-project/ospo/internal/notify"
)

// Digest frequencies (notify.Preferences.Digest).
const (
	DigestDaily  = "daily"
	DigestWeekly = "weekly"
)

// DigestDue reports whether a digest of frequency freq, last sent at last
// (zero: never), is due at now: a day (a week) after the last one, less
// an hour so that a job run at the same time every day does not slip.
// Any other frequency is never due.
func DigestDue(freq string, last, now time.Time) bool {
	var every time.Duration
	switch freq {
	case DigestDaily:
		every = 24 * time.Hour
	case DigestWeekly:
		every = 7 * 24 * time.Hour
	default:
		return false
	}
	return last.IsZero() || !now.Before(last.Add(every-time.Hour))
}

// DigestMax is how many items a digest lists; the rest are counted.
const DigestMax = 20

// DigestMessage is in as one digest message to its person: the open items,
// most pressing first (DigestMax at most), each with its link made
// absolute with base (the hub's URL, e.g. "https://ospo.example.com").
func DigestMessage(in *Inbox, base string, now time.Time) notify.Message {
	base = strings.TrimRight(base, "/")
	counts := map[string]int{}
	for _, it := range in.Items {
		counts[it.Severity]++
	}
	var sev []string
	for _, s := range Severities {
		if counts[s] > 0 {
			sev = append(sev, fmt.Sprintf("%d %s", counts[s], s))
		}
	}
	subject := fmt.Sprintf("ospo: %d things need you", len(in.Items))
	if len(in.Items) == 1 {
		subject = "ospo: 1 thing needs you"
	}
	if len(sev) > 0 {
		subject += " (" + strings.Join(sev, ", ") + ")"
	}
	var b strings.Builder
	for i, it := range in.Items {
		if i == DigestMax {
			fmt.Fprintf(&b, "… and %d more.\n", len(in.Items)-DigestMax)
			break
		}
		fmt.Fprintf(&b, "- [%s] %s\n", it.Severity, it.Title)
		if it.Detail != "" {
			fmt.Fprintf(&b, "  %s\n", it.Detail)
		}
		if it.URL != "" {
			fmt.Fprintf(&b, "  %s%s\n", base, it.URL)
		}
	}
	if in.SnoozedCount > 0 {
		fmt.Fprintf(&b, "\n%d snoozed items are not listed.\n", in.SnoozedCount)
	}
	return notify.Message{To: in.Person, Topic: notify.TopicDigest, Subject: subject, Text: b.String(), Link: base + "/me/inbox", At: now}
}
