package cli_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/ospo-project/ospo/internal/inbox"
)

const oldLodash = `{"name": "web", "version": "1.0.0", "lockfileVersion": 3, "packages": {
  "": {"name": "web", "version": "1.0.0", "dependencies": {"lodash": "4.17.20"}},
  "node_modules/lodash": {"version": "4.17.20"}}}`

// TestInbox runs the inbox commands against a scanned repository with a
// vulnerable lodash: listed with its fix, snoozed, hidden, listed with
// --all, reopened; errors are usage errors.
func TestInbox(t *testing.T) {
	adv, err := filepath.Abs("../vuln/testdata/osv/GHSA-35jh-r3h4-6jhm.json")
	if err != nil {
		t.Fatal(err)
	}
	isolate(t)
	root := t.TempDir()
	web := filepath.Join(root, "web")
	os.MkdirAll(web, 0o755)
	git(t, web, nil, "init", "-q", "-b", "main")
	write(t, filepath.Join(web, "package-lock.json"), oldLodash)
	write(t, filepath.Join(web, ".github", "CODEOWNERS"), "* jane@example.com\n")
	commit(t, web, "Jane Doe", "jane@example.com", "2024-01-02T10:00:00Z")
	const item = "vulnerability:GHSA-35jh-r3h4-6jhm"
	runSteps(t, []step{
		{args: []string{"scan", root}, code: 0},
		{args: []string{"advisories", "import", adv}, code: 0},
		{args: []string{"inbox"}, code: 2, stderr: []string{"--as EMAIL"}},
		{args: []string{"inbox", "--as", "jane@example.com", "--format", "xml"}, code: 2},
		{args: []string{"inbox", "--as", "jane@example.com"}, code: 0,
			stdout: []string{"high", "GHSA-35jh-r3h4-6jhm in lodash", "web", "4.17.21 (patch)", item}},
		{args: []string{"inbox", "--as", "joe@example.com"}, code: 0, notStdout: []string{item}},
		{args: []string{"inbox", "--as", "jane@example.com", "--format", "json"}, code: 0, json: func(t *testing.T, out []byte) {
			in := decode[inbox.Inbox](t, out)
			if len(in.Items) != 1 || in.Items[0].Key != item || in.Items[0].Upgrade != "patch" || in.Items[0].Projects[0].Role != inbox.RoleOwner {
				t.Errorf("inbox = %+v, want the lodash item, a patch upgrade, as owner", in.Items)
			}
		}},
		{args: []string{"inbox", "snooze", item, "--for", "soon", "--as", "jane@example.com"}, code: 2},
		{args: []string{"inbox", "done", "vulnerability:NOPE", "--as", "jane@example.com"}, code: 2, stderr: []string{"no such inbox item"}},
		{args: []string{"inbox", "snooze", item, "--for", "3d", "--as", "jane@example.com"}, code: 0, stdout: []string{"snoozed until"}},
		{args: []string{"inbox", "--as", "jane@example.com"}, code: 0, notStdout: []string{item}, stderr: []string{"1 snoozed"}},
		{args: []string{"inbox", "--all", "--as", "jane@example.com"}, code: 0, stdout: []string{item, "snoozed until"}},
		{args: []string{"inbox", "reopen", item, "--as", "jane@example.com"}, code: 0},
		{args: []string{"audit", "list"}, code: 0, stdout: []string{"inbox.snooze", "inbox.reopen"}},
		{args: []string{"inbox", "--as", "jane@example.com"}, code: 0, stdout: []string{item}},
		// Digests: due for Jane (daily, never sent), not for Joe (none asked).
		{args: []string{"users", "add", "jane@example.com"}, code: 0},
		{args: []string{"users", "add", "joe@example.com"}, code: 0},
		{args: []string{"inbox", "digest", "--dry-run", "--base-url", "https://hub.example.com"}, code: 0, emptyStdout: true,
			stderr: []string{"0 digests sent"}},
		{args: []string{"notify", "set", "jane@example.com", "--digest", "daily", "--no-email"}, code: 0},
		{args: []string{"inbox", "digest", "--dry-run", "--base-url", "https://hub.example.com"}, code: 0,
			stdout:    []string{"To: jane@example.com", "Subject: ospo: 1 thing needs you (1 high)", "https://hub.example.com/projects/"},
			notStdout: []string{"joe@example.com"}, stderr: []string{"1 digests sent"}},
		// Sent (to no channel: no e-mail, no webhook), it is not due again today.
		{args: []string{"inbox", "digest"}, code: 0, stderr: []string{"1 digests sent"}},
		{args: []string{"inbox", "digest", "--dry-run"}, code: 0, emptyStdout: true, stderr: []string{"0 digests sent"}},
	})
}
