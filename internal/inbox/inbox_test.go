package inbox

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ospo-project/ospo/internal/catalog"
)

var now = time.Date(2026, 12, 6, 9, 0, 0, 0, time.UTC)

// static is a provider returning fixed items (or an error).
type static struct {
	name  string
	items []Item
	err   error
}

func (s static) Name() string                                  { return s.name }
func (s static) Items(context.Context, Person) ([]Item, error) { return s.items, s.err }

func keys(items []Item) []string {
	out := []string{}
	for _, it := range items {
		out = append(out, it.Key)
	}
	return out
}

func TestBuild(t *testing.T) {
	a := Project{ID: 1, Name: "a", Role: RoleContributor}
	b := Project{ID: 2, Name: "b", Role: RoleOwner}
	items := []Item{
		{Key: "vulnerability:LOW", Fingerprint: "f1", Kind: KindVulnerability, Severity: "low", Projects: []Project{a}},
		{Key: "vulnerability:CRIT", Fingerprint: "f2", Kind: KindVulnerability, Severity: "CRITICAL", Projects: []Project{a}},
		{Key: "license:x", Fingerprint: "f3", Kind: KindLicense, Severity: "high", Projects: []Project{a}},
		{Key: "license:owned", Fingerprint: "f4", Kind: KindLicense, Severity: "high", Projects: []Project{b}},
		{Key: "scorecard:old", Fingerprint: "f5", Kind: KindScorecard, Severity: "high", Projects: []Project{a}, Since: now.AddDate(0, 0, -70)},
		{Key: "snoozed", Fingerprint: "f6", Kind: KindScorecard, Severity: "high"},
		{Key: "snooze-over", Fingerprint: "f7", Kind: KindScorecard, Severity: "low"},
		{Key: "done", Fingerprint: "f8", Kind: KindScorecard, Severity: "high"},
		{Key: "done-changed", Fingerprint: "new", Kind: KindScorecard, Severity: "low"},
	}
	recs := static{name: "recommendations"}
	for _, k := range []string{"r1", "r2", "r3", "r4", "r5"} {
		recs.items = append(recs.items, Item{Key: k, Fingerprint: k, Kind: KindRecommendation, Severity: "critical"})
	}
	states := []catalog.InboxState{
		{Item: "snoozed", State: catalog.InboxSnoozed, Fingerprint: "f6", Until: now.Add(time.Hour)},
		{Item: "snooze-over", State: catalog.InboxSnoozed, Fingerprint: "f7", Until: now.Add(-time.Hour)},
		{Item: "done", State: catalog.InboxDone, Fingerprint: "f8"},
		{Item: "done-changed", State: catalog.InboxDone, Fingerprint: "old"},
	}
	// The second provider repeats one vulnerability in another project:
	// one item with both projects.
	dup := static{name: "dup", items: []Item{{Key: "vulnerability:LOW", Fingerprint: "g1", Kind: KindVulnerability, Severity: "high", Projects: []Project{b}}}}
	failing := static{name: "broken", err: errors.New("boom")}
	in := Build(context.Background(), Person{Email: "jane@example.com"}, []Provider{static{name: "cat", items: items}, dup, failing, recs}, states, Options{Now: now, Hidden: true})

	want := []string{
		"vulnerability:CRIT", // critical 400
		"license:owned",      // high 300 + owner 50
		"vulnerability:LOW",  // merged: high 300 + owner 50, after license:owned by key
		"scorecard:old",      // high 300 + 10 weeks
		"license:x",          // high 300
		"done-changed",       // low, fact changed
		"snooze-over",        // low, snooze ended
		"r1", "r2", "r3",     // recommendations last, three at most
	}
	if diff := cmp.Diff(want, keys(in.Items)); diff != "" {
		t.Errorf("items (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"snoozed"}, keys(in.Snoozed)); diff != "" || in.SnoozedCount != 1 {
		t.Errorf("snoozed (-want +got):\n%s (count %d)", diff, in.SnoozedCount)
	}
	if diff := cmp.Diff([]string{"done"}, keys(in.Done)); diff != "" || in.DoneCount != 1 {
		t.Errorf("done (-want +got):\n%s (count %d)", diff, in.DoneCount)
	}
	if len(in.Failed) != 1 || in.Failed[0] != "broken: boom" {
		t.Errorf("Failed = %v, want the broken provider", in.Failed)
	}
	merged := in.Items[2]
	if len(merged.Projects) != 2 || merged.Projects[0].ID != 2 || merged.Severity != "high" || merged.Role != RoleOwner ||
		merged.Fingerprint == "f1" || merged.Fingerprint == "g1" {
		t.Errorf("merged item = %+v, want both projects (owned first), the worse severity, a combined fingerprint", merged)
	}
	if in.Items[0].Severity != "critical" {
		t.Errorf("severity %q not normalised", in.Items[0].Severity)
	}
}

func TestBuildNoRecommendations(t *testing.T) {
	recs := static{name: "r", items: []Item{{Key: "r1", Kind: KindRecommendation}}}
	in := Build(context.Background(), Person{}, []Provider{recs}, nil, Options{Now: now, MaxRecommendations: -1})
	if len(in.Items) != 0 {
		t.Errorf("items = %v, want none", keys(in.Items))
	}
}

func TestUpgradeSize(t *testing.T) {
	for _, tt := range []struct{ from, to, want string }{
		{"1.2.3", "1.2.4", UpgradePatch},
		{"1.2.3", "1.3.0", UpgradeMinor},
		{"1.2.3", "2.0.0", UpgradeMajor},
		{"v0.9.1", "v0.10.0", UpgradeMinor},
		{"2.14.1", "2.17.1", UpgradeMinor},
		{"1.2", "1.2.1", UpgradePatch},
		{"1.2.3-rc1", "1.2.3", UpgradePatch},
		{"4.17.20", "4.17.21", UpgradePatch},
		{"1.2.3", "", ""},
		{"", "1.0.0", ""},
		{"2.0.0", "1.9.9", ""},
		{"1.2.3", "1.2.3", ""},
		{"abc", "1.0", ""},
		{"0:1.2-3", "0:1.3", ""}, // an epoch is not understood: unknown, not wrong
	} {
		if got := UpgradeSize(tt.from, tt.to); got != tt.want {
			t.Errorf("UpgradeSize(%q, %q) = %q, want %q", tt.from, tt.to, got, tt.want)
		}
	}
}

func TestFingerprint(t *testing.T) {
	if Fingerprint("ab", "c") == Fingerprint("a", "bc") {
		t.Error("fingerprints of differently split parts are equal")
	}
	if a, b := Fingerprint("a", "b"), Fingerprint("a", "b"); a != b || len(a) != 24 {
		t.Errorf("fingerprints %q and %q of the same parts, want equal, 24 hex digits", a, b)
	}
}
