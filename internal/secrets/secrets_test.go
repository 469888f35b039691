package secrets_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ospo-project/ospo/internal/secrets"
)

// Planted secrets are assembled at run time so that this file itself holds
// none a scanner would flag.
var (
	awsKey   = "AKIA" + "Z7Q3LMNP4RT2XW5Y"
	ghToken  = "ghp_" + "x7Kd92LmQp4RtZ8vWn3BcYh6JsFa1GeUo5Ti"
	slackBot = "xoxb-" + "1234567890123-1234567890123-" + "aZ8kQ2pL9xWm4Rt7"
)

func newScanner(t *testing.T, c secrets.Config) *secrets.Scanner {
	t.Helper()
	s, err := secrets.New(c)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

type hit struct {
	Line int
	Rule string
}

func hits(fs []secrets.Finding) []hit {
	var out []hit
	for _, f := range fs {
		out = append(out, hit{f.Line, f.RuleID})
	}
	return out
}

func TestScanText(t *testing.T) {
	s := newScanner(t, secrets.Config{
		InternalHosts:   []string{"corp.example.com"},
		EmailDomains:    []string{"bank.example"},
		BlockedLiterals: []string{"Project Falcon"},
	})
	tests := []struct {
		name string
		text string
		want []hit
	}{
		{"clean", "package main\n\nfunc main() {}\n", nil},
		{"aws key", "x := 1\naws_key = \"" + awsKey + "\"\n", []hit{{2, "aws-access-token"}}},
		{"github token", "token: " + ghToken + "\n", []hit{{1, "github-pat"}}},
		{"slack bot token", "a\nb\nSLACK=" + slackBot + "\n", []hit{{3, "slack-bot-token"}}},
		{"internal host", "url = \"https://build.eu.corp.example.com/job\"\n", []hit{{1, secrets.RuleInternalHost}}},
		{"host as a suffix of another name", "see notcorp.example.com.evil\n", nil},
		{"internal e-mail", "// ask jane.doe@bank.example\n", []hit{{1, secrets.RuleInternalEmail}}},
		{"other e-mail domain", "// ask jane.doe@example.org\n", nil},
		{"blocked literal, any case", "\n\nthe PROJECT FALCON launch\n", []hit{{3, secrets.RuleBlockedLiteral}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := s.ScanText(context.Background(), "f.txt", tt.text)
			if diff := cmp.Diff(tt.want, hits(got)); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
			}
			for _, f := range got {
				for _, secret := range []string{awsKey, ghToken, slackBot, "jane.doe@bank.example"} {
					if strings.Contains(f.Redacted, secret) || strings.Contains(f.String(), secret) {
						t.Errorf("finding %+v shows the secret", f)
					}
				}
				if len(f.Hash) != 64 {
					t.Errorf("hash %q is not a SHA-256", f.Hash)
				}
			}
		})
	}
}

func TestFirmRules(t *testing.T) {
	firm := `
[extend]
disabledRules = ["github-pat"]

[[rules]]
id = "acme-internal-token"
description = "ACME internal service token"
regex = '''acme_[a-z0-9]{24}'''
keywords = ["acme_"]
`
	s := newScanner(t, secrets.Config{Rules: firm})
	text := "t1 = acme_0123456789abcdefghijklmn\nt2 = " + ghToken + "\nt3 = " + awsKey + "\n"
	got := hits(s.ScanText(context.Background(), "x.cfg", text))
	want := []hit{{1, "acme-internal-token"}, {3, "aws-access-token"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}

	only := newScanner(t, secrets.Config{Rules: firm, NoDefaultRules: true})
	if n := only.Rules(); n != 1 {
		t.Errorf("rules without the defaults = %d, want 1", n)
	}
	if def := newScanner(t, secrets.Config{}); def.Rules() < 100 {
		t.Errorf("default rules = %d, want gitleaks' ~200", def.Rules())
	}
}

func TestNewErrors(t *testing.T) {
	tests := []struct {
		name string
		c    secrets.Config
		want string
	}{
		{"bad toml", secrets.Config{Rules: "[[rules]\nid="}, "parse TOML"},
		{"bad regex", secrets.Config{Rules: "[[rules]]\nid = \"x\"\nregex = '''a(b'''\n"}, `rule "x": regex`},
		{"rule without regex or path", secrets.Config{Rules: "[[rules]]\nid = \"x\"\n"}, "x"},
		{"bad host", secrets.Config{InternalHosts: []string{"corp example"}}, `internal host "corp example"`},
		{"bad domain", secrets.Config{EmailDomains: []string{"@bank"}}, `e-mail domain "@bank"`},
		{"no rules at all", secrets.Config{NoDefaultRules: true}, "no rules"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := secrets.New(tt.c)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("New error = %v, want one containing %q", err, tt.want)
			}
		})
	}
}

// git runs git in dir with a fixed identity.
func git(t testing.TB, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=/dev/null",
		"GIT_AUTHOR_NAME=Dev", "GIT_AUTHOR_EMAIL=dev@example.org",
		"GIT_COMMITTER_NAME=Dev", "GIT_COMMITTER_EMAIL=dev@example.org",
		"GIT_AUTHOR_DATE=2026-01-01T00:00:00Z", "GIT_COMMITTER_DATE=2026-01-01T00:00:00Z")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %v: %v\n%s", args, err, out)
	}
	return strings.TrimSpace(string(out))
}

func commit(t testing.TB, dir, name, content, msg string) string {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	git(t, dir, "add", "-A")
	git(t, dir, "commit", "-q", "-m", msg)
	return git(t, dir, "rev-parse", "HEAD")
}

// A secret committed and deleted in the next commit is in no tree and in no
// combined diff, but it is in history: each commit's own diff finds it.
func TestSecretCommittedThenDeleted(t *testing.T) {
	dir := t.TempDir()
	git(t, dir, "init", "-q", "-b", "main")
	c1 := commit(t, dir, "config.py", "DEBUG = True\n", "first")
	c2 := commit(t, dir, "config.py", "DEBUG = True\nAWS_KEY = '"+awsKey+"'\n", "add key")
	c3 := commit(t, dir, "config.py", "DEBUG = True\n", "remove key")
	s := newScanner(t, secrets.Config{})
	ctx := context.Background()

	got, st, err := s.ScanHistory(ctx, dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := []secrets.Finding{{
		Commit: c2, Path: "config.py", Line: 2, RuleID: "aws-access-token",
		Redacted: secrets.Redact(awsKey), Hash: secrets.Hash(awsKey),
	}}
	if diff := cmp.Diff(want, got, cmpIgnoreDescription); diff != "" {
		t.Errorf("ScanHistory (-want +got):\n%s", diff)
	}
	if st.Commits != 2 { // c3 only deletes a line: nothing added to scan
		t.Errorf("commits with added text = %d, want 2", st.Commits)
	}

	got, _, err = s.ScanCommits(ctx, dir, []string{c1, c3, c2})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got, cmpIgnoreDescription); diff != "" {
		t.Errorf("ScanCommits (-want +got):\n%s", diff)
	}
	for _, c := range []string{c1, c3} {
		if got, err := s.ScanCommit(ctx, dir, c); err != nil || len(got) != 0 {
			t.Errorf("ScanCommit(%s) = %v, %v; want nothing", c, got, err)
		}
	}

	// The range's combined diff (what a scanner of the range's net change
	// sees) has no secret at all.
	diff := git(t, dir, "diff", c1, c3)
	if f := s.ScanText(ctx, "", diff); len(f) != 0 {
		t.Errorf("combined diff findings = %v, want none (test premise)", f)
	}
}

var cmpIgnoreDescription = cmp.Transformer("nodesc", func(f secrets.Finding) secrets.Finding {
	f.Description = ""
	return f
})

func TestScanErrors(t *testing.T) {
	dir := t.TempDir()
	git(t, dir, "init", "-q", "-b", "main")
	commit(t, dir, "a", "a\n", "a")
	s := newScanner(t, secrets.Config{})
	ctx := context.Background()
	if _, _, err := s.ScanCommits(ctx, dir, []string{"HEAD"}); err == nil {
		t.Error("ScanCommits(HEAD) accepted a name that is not a commit id")
	}
	if _, _, err := s.ScanCommits(ctx, dir, []string{strings.Repeat("0", 40)}); err == nil {
		t.Error("ScanCommits of a missing commit succeeded")
	}
	if _, _, err := s.ScanHistory(ctx, dir, []string{"--output=/tmp/x"}); err == nil {
		t.Error("ScanHistory accepted an option as a revision")
	}
	if _, _, err := s.ScanHistory(ctx, t.TempDir(), nil); err == nil {
		t.Error("ScanHistory of a directory that is no repository succeeded")
	}
}
