package cli_test

import (
	"testing"

	"github.com/ospo-project/ospo/internal/governance"
)

// TestRequests drives the request commands from creation to decision and
// export, with their refusals and exit codes.
func TestRequests(t *testing.T) {
	isolate(t)
	hostile := "\x1b[31mred\x1b[0m\nsecond line <b>"
	runSteps(t, []step{
		{args: []string{"users", "add", "ann@example.com"}},
		{args: []string{"users", "add", "olga@example.com", "--role", "ospo"}},
		{args: []string{"request", "contribute", "https://github.com/acme/lib"}, code: 2, stderr: []string{"--as EMAIL is required"}},
		{args: []string{"request", "contribute", "https://github.com/acme/lib", "--as", "nobody@example.com"}, code: 2, stderr: []string{"no active account"}},
		{args: []string{"request", "contribute", "https://", "--as", "ann@example.com"}, code: 2, stderr: []string{"is not a repository URL"}},
		{args: []string{"request", "contribute", "https://github.com/acme/lib", "--as", "ann@example.com", "--scope", "forever"}, code: 2, stderr: []string{"one-off or standing"}},
		{args: []string{"request", "contribute", "https://github.com/acme/lib", "--as", "ann@example.com", "--title", hostile, "--answer", "purpose=fix a bug", "--agreement", "dco"},
			stdout: []string{"Request #1: \x20[31mred\x20[0m second line <b>", "state review", "q:purpose", "answered"}, notStdout: []string{"\x1b"}},
		{args: []string{"request", "contribute", "x", "--as", "ann@example.com", "--answer", "novalue"}, code: 2, stderr: []string{"want ID=TEXT"}},
		{args: []string{"requests", "--to-review", "--as", "olga@example.com"}, stdout: []string{"#1", "contribute", "review", "0/1"}},
		{args: []string{"requests", "--to-review", "--as", "ann@example.com"}, notStdout: []string{"#1"}},
		{args: []string{"requests", "--mine", "--as", "ann@example.com", "--format", "json"}, json: func(t *testing.T, out []byte) {
			if rs := decode[[]governance.Request](t, out); len(rs) != 1 || rs[0].Details.Agreement != "DCO" {
				t.Errorf("mine = %+v", rs)
			}
		}},
		{args: []string{"requests", "--mine", "--to-review", "--as", "ann@example.com"}, code: 2, stderr: []string{"exclude each other"}},
		{args: []string{"request", "approve", "1", "--as", "ann@example.com"}, code: 2, stderr: []string{"not a reviewer"}},
		{args: []string{"request", "reject", "1", "--as", "olga@example.com"}, code: 2, stderr: []string{"a rejection needs a reason"}},
		{args: []string{"request", "comment", "1", "please add tests", "--as", "olga@example.com"}, stdout: []string{"olga@example.com comment (review→review): please add tests"}},
		{args: []string{"request", "approve", "1", "--as", "olga@example.com"}, stdout: []string{"state approved", "olga@example.com at"}},
		{args: []string{"request", "approve", "1", "--as", "olga@example.com"}, code: 2, stderr: []string{"not possible in this state"}},
		{args: []string{"request", "approve", "x", "--as", "olga@example.com"}, code: 2, stderr: []string{`"x" is not a request id`}},
		{args: []string{"request", "approve", "99", "--as", "olga@example.com"}, code: 2, stderr: []string{`no request "99"`}},
		{args: []string{"request", "show", "1", "--format", "json"}, json: func(t *testing.T, out []byte) {
			r := decode[governance.Request](t, out)
			if r.State != governance.StateApproved || len(r.Events) != 3 || r.Title != hostile {
				t.Errorf("show = %+v", r)
			}
		}},
		{args: []string{"request", "export", "1", "--format", "html"}, stdout: []string{"<!DOCTYPE html>", "Evidence pack: request #1", "&lt;b&gt;", "request.approve"}, notStdout: []string{"second line <b>"}},
		{args: []string{"request", "export", "1"}, stdout: []string{`"format": "ospo-evidence-pack/1"`, `"action": "request.open"`}},
		{args: []string{"request", "export", "1", "--format", "pdf"}, code: 2, stderr: []string{"json or html"}},
		{args: []string{"request", "exception", "nope", "--as", "ann@example.com", "--vulnerability", "GHSA-1", "--expires", "2099-01-01"}, code: 2, stderr: []string{`no project "nope"`}},
		{args: []string{"request", "exception", "nope", "--as", "ann@example.com"}, code: 2, stderr: []string{"name the exception"}},
		{args: []string{"external", "add", "old-lib", "--as", "olga@example.com", "--owners", "olga@example.com", "--relation", "contributed"}, stdout: []string{"registered old-lib (contributed, active)"}},
		{args: []string{"external", "add", "old-lib", "--as", "olga@example.com"}, code: 2, stderr: []string{"already exists"}},
		{args: []string{"external", "list"}, stdout: []string{"github.com/acme/lib", "approved", "ann@example.com", "old-lib", "active"}},
		{args: []string{"request", "lifecycle", "old-lib", "--to", "deprecated", "--as", "ann@example.com"}, stdout: []string{"Request #2", "state review"}},
		{args: []string{"request", "lifecycle", "old-lib", "--to", "gone", "--as", "ann@example.com"}, code: 2, stderr: []string{`lifecycle "gone"`}},
		{args: []string{"request", "approve", "2", "--as", "olga@example.com"}, stdout: []string{"state approved"}},
		{args: []string{"external", "list", "--format", "json"}, stdout: []string{`"lifecycle": "deprecated"`}},
		{args: []string{"external", "attest", "old-lib", "--as", "ann@example.com"}, code: 2, stderr: []string{"only an owner"}},
		{args: []string{"external", "attest", "old-lib", "--as", "olga@example.com"}, stdout: []string{"old-lib attested"}},
		{args: []string{"notify", "set", "ann@example.com", "--webhook", "https://hooks.example.com/x", "--format", "slack", "--mute", "digest"}, stdout: []string{"preferences of ann@example.com set"}},
		{args: []string{"notify", "set", "ann@example.com", "--format", "xml"}, code: 2, stderr: []string{"json, slack or teams"}},
		{args: []string{"audit", "list", "--action", "request."}, stdout: []string{"request.open", "request.comment", "request.approve", "olga@example.com"}},
		{args: []string{"audit", "verify"}, stdout: []string{"audit log intact"}},
	})
}

// TestGovernTick: the cron command reminds an estate project's owners of a
// passed review date once, and holds the reminder on the next runs.
func TestGovernTick(t *testing.T) {
	isolate(t)
	runSteps(t, []step{
		{args: []string{"users", "add", "olga@example.com", "--role", "ospo"}},
		{args: []string{"external", "add", "old-lib", "--as", "olga@example.com", "--owners", "olga@example.com", "--review-due", "2020-01-01"},
			stdout: []string{"registered old-lib"}},
		{args: []string{"govern", "tick"}, stdout: []string{"0 requests returned to review", "0 alerts already reminded recently"}},
		{args: []string{"govern", "tick", "--format", "json"}, stdout: []string{`"reminded": 0`, `"held": 1`}},
		{args: []string{"govern", "tick", "--format", "xml"}, code: 2, stderr: []string{"xml"}},
		{args: []string{"audit", "list", "--action", "estate.remind"}, stdout: []string{"estate.remind", "external:old-lib"}},
		// By hand: the same de-duplicated reminders as the tick.
		{args: []string{"external", "remind"}, stdout: []string{"0 messages sent, 1 alerts already reminded recently"}},
	})
}
