package cli_test

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"

	"github.com/ospo-project/ospo/internal/source/jira/jiratest"
)

// TestJIRASync adds a JIRA Cloud source with `ospo sources add jira` and
// syncs it: the issue of Atlassian's example is read and linked, and the
// token shows up nowhere.
func TestJIRASync(t *testing.T) {
	srv := jiratest.New(t)
	const secret = "ATATT3xCLIsecret0123456789"
	srv.Auth = jiratest.Basic("bot@acme.example", secret)
	db := isolate(t)
	t.Setenv("JIRA_TOKEN", secret)
	var all bytes.Buffer
	for _, args := range [][]string{
		{"sources", "add", "jira", "jira", "--url", srv.URL, "--flavor", "cloud", "--user", "bot@acme.example",
			"--token-env", "JIRA_TOKEN", "--project", "EX=github.com/acme/example"},
		{"sources", "list"},
		{"sync"},
	} {
		r := run(t, context.Background(), args...)
		all.WriteString(r.stdout + r.stderr)
		if r.code != 0 {
			t.Fatalf("ospo %s: exit %d\n%s%s", strings.Join(args, " "), r.code, r.stdout, r.stderr)
		}
	}
	for _, want := range []string{srv.URL + " EX", "jira (jira): ok, 1 requests (0 not modified), 1 issues updated in 1 projects"} {
		if !strings.Contains(all.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, all.String())
		}
	}
	cfg, _ := os.ReadFile("ospo.yaml")
	if !strings.Contains(string(cfg), "EX:") || !strings.Contains(string(cfg), "github.com/acme/example") {
		t.Errorf("ospo.yaml:\n%s", cfg)
	}
	places := map[string][]byte{"outputs": all.Bytes(), "ospo.yaml": cfg}
	for _, suffix := range []string{"", "-wal"} {
		b, _ := os.ReadFile(db + suffix)
		places["store"+suffix] = b
	}
	for where, b := range places {
		if bytes.Contains(b, []byte(secret)) {
			t.Errorf("the token is in the %s", where)
		}
	}
}
