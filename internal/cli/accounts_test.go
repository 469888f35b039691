package cli_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ospo-project/ospo/internal/catalog"

	_ "modernc.org/sqlite"
)

const pw = "correct horse battery\n"

func TestUsersTokensAudit(t *testing.T) {
	db := isolate(t)
	runSteps(t, []step{
		{args: []string{"users", "add", "Ann@Example.com", "--role", "admin", "--password-stdin"}, stdin: pw,
			stdout: []string{"created ann@example.com (admin; signs in with a password)"}},
		{args: []string{"users", "add", "bob@example.com"}, stdout: []string{"created bob@example.com (developer; signs in through OIDC only)"}},
		{args: []string{"users", "add", "ann@example.com", "--password-stdin"}, stdin: pw, code: 2, stderr: []string{"already exists"}},
		{args: []string{"users", "add", "carl@example.com", "--password-stdin"}, stdin: "short\n", code: 2, stderr: []string{"password refused: shorter than 12"}},
		{args: []string{"users", "add", "carl@example.com", "--password-stdin"}, stdin: "", code: 2, stderr: []string{"--password-stdin: empty password"}},
		{args: []string{"users", "add", "carl@example.com", "--role", "root"}, code: 2, stderr: []string{`unknown role "root"`}},
		{args: []string{"users", "add", "not-an-email"}, code: 2, stderr: []string{"is not an e-mail address"}},
		{args: []string{"users", "add"}, code: 2, stderr: []string{"accepts 1 arg"}},
		{args: []string{"users", "list"}, stdout: []string{"ann@example.com", "admin", "password", "bob@example.com", "developer"}, notStdout: []string{"argon2"}},
		{args: []string{"users", "list", "--format", "json"}, notStdout: []string{"argon2", "password_hash"}, json: func(t *testing.T, out []byte) {
			if accs := decode[[]catalog.Account](t, out); len(accs) != 2 {
				t.Errorf("%d accounts, want 2", len(accs))
			}
		}},
		{args: []string{"users", "set-role", "bob@example.com", "ospo"}, stdout: []string{"bob@example.com is now ospo"}},
		{args: []string{"users", "set-role", "bob@example.com", "maintainer"}, code: 2, stderr: []string{"unknown role"}},
		{args: []string{"users", "set-role", "nobody@example.com", "viewer"}, code: 2, stderr: []string{"no account nobody@example.com"}},
		{args: []string{"users", "disable", "bob@example.com"}, stdout: []string{"disabled bob@example.com"}},
		{args: []string{"users", "list"}, stdout: []string{"disabled"}},
		{args: []string{"users", "enable", "bob@example.com"}, stdout: []string{"enabled bob@example.com"}},
		{args: []string{"tokens", "create", "--user", "ann@example.com", "--scope", "write", "--expires", "30d", "--name", "ci"},
			stdout: []string{"ospo_"}, stderr: []string{"token 1 for ann@example.com, scope write, expires", "shown this once"}},
		{args: []string{"tokens", "create", "--user", "bob@example.com", "--expires", "never"}, stderr: []string{"token 2", "scope read, never expires"}},
		{args: []string{"tokens", "create"}, code: 2, stderr: []string{"--user is required"}},
		{args: []string{"tokens", "create", "--user", "ann@example.com", "--expires", "soon"}, code: 2, stderr: []string{"--expires"}},
		{args: []string{"tokens", "create", "--user", "ann@example.com", "--scope", "root"}, code: 2, stderr: []string{`unknown scope "root"`}},
		{args: []string{"tokens", "create", "--user", "nobody@example.com"}, code: 2, stderr: []string{"no account"}},
		{args: []string{"tokens", "list"}, stdout: []string{"ann@example.com", "ci", "write", "active", "bob@example.com"}},
		{args: []string{"tokens", "list", "--user", "bob@example.com", "--format", "json"}, json: func(t *testing.T, out []byte) {
			ks := decode[[]catalog.APIToken](t, out)
			if len(ks) != 1 || ks[0].Email != "bob@example.com" || !strings.HasPrefix(ks[0].Prefix, "ospo_") {
				t.Errorf("tokens = %+v", ks)
			}
		}},
		{args: []string{"tokens", "revoke", "1"}, stdout: []string{"revoked token 1 of ann@example.com"}},
		{args: []string{"tokens", "revoke", "1"}, stdout: []string{"already revoked"}},
		{args: []string{"tokens", "revoke", "x"}, code: 2, stderr: []string{`"x" is not a token id`}},
		{args: []string{"tokens", "revoke", "99"}, code: 2, stderr: []string{"no token 99"}},
		{args: []string{"tokens", "list"}, notStdout: []string{"ann@example.com"}},
		{args: []string{"tokens", "list", "--all"}, stdout: []string{"revoked"}},
		{args: []string{"audit", "list"}, stdout: []string{"account.create", "account:ann@example.com", "token.revoke", "token:1", "cli"}},
		{args: []string{"audit", "list", "--action", "token.", "--format", "json"}, json: func(t *testing.T, out []byte) {
			es := decode[[]catalog.AuditEntry](t, out)
			if len(es) != 4 {
				t.Errorf("%d token entries, want 4 (2 created, 2 revocations)", len(es))
			}
			for _, e := range es {
				if strings.Contains(e.Before+e.After, `"hash"`) {
					t.Errorf("entry %d holds a token secret or hash: %s", e.Seq, e.After)
				}
			}
		}},
		{args: []string{"audit", "list", "--since", "garbage"}, code: 2, stderr: []string{"--since"}},
		{args: []string{"audit", "list", "--since", "1h", "--actor", "nobody"}, stderr: []string{"0 entries"}},
		{args: []string{"audit", "verify"}, stdout: []string{"audit log intact: 9 entries verified"}},
		{args: []string{"audit", "export"}, stderr: []string{"9 entries exported"}, stdout: []string{`"seq":1,`, `"action":"account.create"`}},
	})
	// Someone with access to the database rewrites history.
	raw, err := sql.Open("sqlite", db)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if _, err := raw.Exec(`UPDATE audit_log SET actor = 'mallory' WHERE seq = 4`); err != nil {
		t.Fatal(err)
	}
	runSteps(t, []step{
		{args: []string{"audit", "verify"}, code: 1, stderr: []string{"audit log broken at entry 4: its hash does not match its content"}},
	})
	if _, err := raw.Exec(`UPDATE audit_log SET actor = (SELECT actor FROM audit_log WHERE seq = 3) WHERE seq = 4`); err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(`DELETE FROM audit_log WHERE seq = 6`); err != nil {
		t.Fatal(err)
	}
	runSteps(t, []step{
		{args: []string{"audit", "verify"}, code: 1, stderr: []string{"audit log broken at entry 6: found entry 7 where entry 6 should be"}},
	})
}

// TestChangesAreAudited runs every command that changes state and checks
// that each appends exactly one audit entry, made by --as from the CLI, and
// that commands that only read append none.
func TestChangesAreAudited(t *testing.T) {
	teamsFile, orgFile := abs(t, "../teams/testdata/teams.yaml"), abs(t, "../teams/testdata/org.yaml")
	isolate(t)
	if r := run(t, context.Background(), "migrate"); r.code != 0 { // read-only commands never create it
		t.Fatalf("migrate: %d %s", r.code, r.stderr)
	}
	count := func(t *testing.T) []catalog.AuditEntry {
		t.Helper()
		r := run(t, context.Background(), "audit", "list", "--format", "json")
		var es []catalog.AuditEntry
		if err := json.Unmarshal([]byte(r.stdout), &es); err != nil {
			t.Fatalf("audit list: %v\n%s", err, r.stderr)
		}
		return es
	}
	for _, tc := range []struct {
		args    []string
		stdin   string
		changes bool
	}{
		{[]string{"users", "add", "ann@example.com", "--password-stdin"}, pw, true},
		{[]string{"users", "add", "bob@example.com", "--role", "viewer"}, "", true},
		{[]string{"users", "set-role", "bob@example.com", "admin"}, "", true},
		{[]string{"users", "disable", "bob@example.com"}, "", true},
		{[]string{"users", "enable", "bob@example.com"}, "", true},
		{[]string{"tokens", "create", "--user", "bob@example.com"}, "", true},
		{[]string{"tokens", "revoke", "1"}, "", true},
		{[]string{"teams", "import", teamsFile}, "", true},
		{[]string{"teams", "import", "--source", "backstage", orgFile}, "", true},
		{[]string{"users", "list"}, "", false},
		{[]string{"teams", "list"}, "", false},
		{[]string{"tokens", "list"}, "", false},
		{[]string{"audit", "list"}, "", false},
		{[]string{"audit", "verify"}, "", false},
		{[]string{"audit", "export"}, "", false},
		{[]string{"users", "add", "ann@example.com"}, "", false}, // refused: nothing changes, nothing is recorded
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			before := count(t)
			r := runIn(t, context.Background(), tc.stdin, append([]string{"--as", "tester"}, tc.args...)...)
			if tc.changes && r.code != 0 {
				t.Fatalf("exit %d: %s", r.code, r.stderr)
			}
			after := count(t)
			want := 0
			if tc.changes {
				want = 1
			}
			if got := len(after) - len(before); got != want {
				t.Fatalf("%d audit entries appended, want %d", got, want)
			}
			if want == 1 {
				if e := after[len(after)-1]; e.Actor != "tester" || e.Source != "cli" {
					t.Errorf("entry by %q from %q, want tester from cli", e.Actor, e.Source)
				}
			}
		})
	}
}

// TestServeRefusesOpenNonLoopback: without accounts or OIDC the hub serves
// without sign-in, which is refused on an address other machines reach.
func TestServeRefusesOpenNonLoopback(t *testing.T) {
	isolate(t)
	if r := run(t, context.Background(), "migrate"); r.code != 0 { // serve never creates the catalogue
		t.Fatalf("migrate: %d %s", r.code, r.stderr)
	}
	runSteps(t, []step{
		{args: []string{"serve", "--listen", "0.0.0.0:0"}, code: 2, stderr: []string{"refusing to serve on 0.0.0.0:0 without sign-in", "--insecure-no-auth"}},
		{args: []string{"serve", "--listen", ":0"}, code: 2, stderr: []string{"refusing to serve"}},
		{args: []string{"serve", "--listen", "[::]:0"}, code: 2, stderr: []string{"refusing to serve"}},
	})
}

// abs returns the absolute path of a file relative to this package (tests
// change directory).
func abs(t *testing.T, rel string) string {
	t.Helper()
	p, err := filepath.Abs(rel)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestTeamsImport(t *testing.T) {
	teamsFile, orgFile := abs(t, "../teams/testdata/teams.yaml"), abs(t, "../teams/testdata/org.yaml")
	bad := abs(t, "../teams/testdata/bad-teams.yaml")
	isolate(t)
	runSteps(t, []step{
		{args: []string{"teams", "import", teamsFile}, stdout: []string{"3 memberships from file"}},
		{args: []string{"teams", "import", "--source", "backstage", orgFile}, stdout: []string{"3 memberships from backstage"},
			stderr: []string{"user default/nomail has no spec.profile.email"}},
		{args: []string{"teams", "list"}, stdout: []string{"payments", "ann@example.com", "file", "backstage", "search", "carl@example.com"}},
		{args: []string{"teams", "list", "--email", "bob@example.com", "--format", "json"}, json: func(t *testing.T, out []byte) {
			if ms := decode[[]catalog.Membership](t, out); len(ms) != 3 {
				t.Errorf("bob's memberships = %+v, want 3", ms)
			}
		}},
		{args: []string{"teams", "import", bad}, code: 2, stderr: []string{"is not an e-mail address"}},
		{args: []string{"teams", "import", "--source", "ldap", teamsFile}, code: 2, stderr: []string{"not file or backstage"}},
		{args: []string{"teams", "import", "/no/such/file"}, code: 2, stderr: []string{"no such file"}},
		// Importing a source again replaces it whole.
		{args: []string{"teams", "import", "--source", "backstage", teamsFile}, stdout: []string{"0 memberships from backstage"}},
		{args: []string{"teams", "list"}, notStdout: []string{"backstage"}},
	})
}

// TestUpRefusesBeforeScanning: ospo up on a non-loopback address without
// accounts refuses before it scans.
func TestUpRefusesBeforeScanning(t *testing.T) {
	db := isolate(t)
	runSteps(t, []step{
		{args: []string{"up", "--listen", "0.0.0.0:0", t.TempDir()}, code: 2, stderr: []string{"refusing to serve on 0.0.0.0:0 without sign-in"}},
	})
	if _, err := os.Stat(db); err == nil {
		t.Error("up scanned (created the catalogue) before refusing")
	}
}
