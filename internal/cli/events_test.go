package cli_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/cli"
)

// TestEventsAndBadges scans an InnerSource project owned by team payments
// with a contribution from team search, derives events, checks that a
// rescan and a replay award nothing twice, and runs a manual badge
// through the four-eyes approval.
func TestEventsAndBadges(t *testing.T) {
	isolate(t)
	root := t.TempDir()
	at := time.Date(2025, 5, 5, 10, 0, 0, 0, time.UTC)
	market := filepath.Join(root, "market")
	os.MkdirAll(filepath.Join(market, ".github"), 0o755)
	git(t, market, nil, "init", "-q", "-b", "main")
	write(t, filepath.Join(market, "innersource.json"), `{"title": "Market"}`)
	write(t, filepath.Join(market, ".github", "CODEOWNERS"), "* @acme/payments\n")
	write(t, filepath.Join(market, "main.go"), "package main\n\nfunc main() {}\n")
	write(t, filepath.Join(market, "LICENSE"), "MIT\n")
	commit(t, market, "Ann", "ann@acme.example", at.Format(time.RFC3339))
	write(t, filepath.Join(market, "pay.go"), "package main\n\nfunc pay() int { return 1 }\n")
	commit(t, market, "Bob", "bob@acme.example", at.Add(24*time.Hour).Format(time.RFC3339))
	write(t, filepath.Join(market, "pay.go"), "package main\n\nfunc pay() int { return 2 }\n")
	commit(t, market, "Bob", "bob@acme.example", at.Add(25*time.Hour).Format(time.RFC3339))

	keyFile, credFile := filepath.Join(root, "issuer.pem"), filepath.Join(root, "first-steps.json")
	teamsFile := filepath.Join(root, "teams.yaml")
	write(t, teamsFile, "teams:\n  payments:\n    members: [ann@acme.example]\n  search:\n    members: [bob@acme.example]\n")
	kinds := func(want ...string) func(t *testing.T, out []byte) {
		return func(t *testing.T, out []byte) {
			evs := decode[[]catalog.Event](t, out)
			var got []string
			for _, e := range evs {
				got = append(got, e.Kind+" "+e.Email)
			}
			if len(got) != len(want) {
				t.Fatalf("events = %v, want %v", got, want)
			}
			for i := range want {
				if got[i] != want[i] {
					t.Errorf("event %d = %s, want %s", i, got[i], want[i])
				}
			}
		}
	}
	all := []string{"first_contribution ann@acme.example", "license_added ann@acme.example",
		"cross_team_contribution bob@acme.example", "first_contribution bob@acme.example"} // same time: by ID
	runSteps(t, []step{
		{args: []string{"teams", "import", teamsFile}},
		{args: []string{"scan", "-q", "--format", "json", root}, stdout: []string{`"events": 4`}},
		{args: []string{"events", "--format", "json"}, json: kinds(all...)},
		{args: []string{"scan", "-q", "--force", "--format", "json", root}, stdout: []string{`"events": 0`}},
		{args: []string{"events", "derive"}, stdout: []string{"0 new events from 1 projects"}},
		{args: []string{"events", "--person", "bob@acme.example", "--format", "json"}, json: kinds(all[2:]...)},
		{args: []string{"events", "--project", "market"}, stdout: []string{"cross_team_contribution", "license_added"}},
		{args: []string{"badges", "bob@acme.example"}, stdout: []string{"15 points", "First Steps"}, notStdout: []string{"Community Hero"}},
		{args: []string{"badges"}, stdout: []string{"bridge-builder", "At least 3 cross_team_contribution"}},
		// Manual badge: claimed by one account, refused to the claimant, approved by the OSPO.
		{args: []string{"users", "add", "lead@acme.example", "--role", "ospo"}},
		{args: []string{"users", "add", "ospo@acme.example", "--role", "ospo"}},
		{args: []string{"users", "add", "dev@acme.example", "--role", "developer"}},
		{args: []string{"badges", "issue", "bob@acme.example", "community-hero"}, code: cli.ExitUsage, stderr: []string{"--as"}},
		{args: []string{"badges", "issue", "bob@acme.example", "nope", "--evidence", "https://x", "--as", "lead@acme.example"}, code: cli.ExitUsage, stderr: []string{"no badge"}},
		{args: []string{"badges", "issue", "bob@acme.example", "community-hero", "--evidence", "https://wiki.example/kudos", "--as", "lead@acme.example"},
			stdout: []string{"claim 1 recorded"}},
		{args: []string{"events", "approve", "1", "--as", "lead@acme.example"}, code: cli.ExitUsage, stderr: []string{"four eyes"}},
		{args: []string{"events", "approve", "1", "--as", "dev@acme.example"}, code: cli.ExitUsage, stderr: []string{"may not decide"}},
		{args: []string{"badges", "bob@acme.example"}, notStdout: []string{"Community Hero"}},
		{args: []string{"events", "approve", "1", "--as", "ospo@acme.example"}, stdout: []string{"claim 1 approved by ospo@acme.example"}},
		{args: []string{"events", "approve", "1", "--as", "ospo@acme.example"}, code: cli.ExitUsage, stderr: []string{"already decided"}},
		{args: []string{"badges", "bob@acme.example"}, stdout: []string{"Community Hero", "https://wiki.example/kudos"}},
		{args: []string{"audit", "list"}, stdout: []string{"claim.add", "claim.approve"}},
		// Leaderboards: teams by default, people by consent.
		{args: []string{"events", "leaderboard"}, stdout: []string{"search", "payments"}, notStdout: []string{"Bob"}},
		{args: []string{"events", "consent", "on", "--as", "bob@acme.example"}},
		{args: []string{"events", "leaderboard"}, stdout: []string{"PERSON", "Bob"}, notStdout: []string{"Ann "}},
		// Open Badges 3.0: a key, a signed credential, its verification, tampering detected.
		{args: []string{"badges", "credential", "bob@acme.example", "first-steps"}, code: cli.ExitUsage, stderr: []string{"no issuer key"}},
		{args: []string{"badges", "keygen", keyFile}, stdout: []string{"issuer did:key:z6Mk"}},
		{args: []string{"badges", "keygen", keyFile}, code: cli.ExitUsage, stderr: []string{"never overwrites"}},
		{args: []string{"badges", "credential", "bob@acme.example", "guardian", "--key", keyFile}, code: cli.ExitUsage, stderr: []string{"has not earned guardian"}},
		{args: []string{"badges", "credential", "bob@acme.example", "first-steps", "--key", keyFile, "-o", credFile}, stderr: []string{"wrote"}},
		{args: []string{"badges", "verify", credFile}, stdout: []string{`valid: "First Steps" issued by did:key:z6Mk`, "1 evidence"}},
		{args: []string{"badges", "verify", credFile, "--issuer", "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"}, code: cli.ExitViolation, stderr: []string{"not valid", "issued by"}},
	})
	tamper(t, credFile, "First Steps", "Grand Master")
	runSteps(t, []step{
		{args: []string{"badges", "verify", credFile}, code: cli.ExitViolation, stderr: []string{"not valid", "signature does not match"}},
		{args: []string{"badges", "verify", filepath.Join(root, "none.json")}, code: cli.ExitUsage},
	})
}

// tamper replaces from with to in the file at path.
func tamper(t *testing.T, path, from, to string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	changed := strings.Replace(string(b), from, to, 1)
	if changed == string(b) {
		t.Fatalf("%q not in %s", from, path)
	}
	if err := os.WriteFile(path, []byte(changed), 0o644); err != nil {
		t.Fatal(err)
	}
}
