package cli_test

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"

	"github.com/ospo-project/ospo/internal/source/jenkins/jenkinstest"
)

// TestJenkinsSync adds a Jenkins source with `ospo sources add jenkins` and
// syncs it; the token shows up nowhere.
func TestJenkinsSync(t *testing.T) {
	srv := jenkinstest.New(t)
	const secret = "11a0b1c2d3e4f5CLIsecret"
	srv.User, srv.Token = "ospo", secret
	db := isolate(t)
	t.Setenv("JENKINS_TOKEN", secret)
	var all bytes.Buffer
	for _, args := range [][]string{
		{"sources", "add", "jenkins", "ci", "--url", srv.URLBase(), "--user", "ospo", "--token-env", "JENKINS_TOKEN",
			"--job", "DTS=github.com/acme/dts"},
		{"sync"},
	} {
		r := run(t, context.Background(), args...)
		all.WriteString(r.stdout + r.stderr)
		if r.code != 0 {
			t.Fatalf("ospo %s: exit %d\n%s%s", strings.Join(args, " "), r.code, r.stdout, r.stderr)
		}
	}
	if want := "ci (jenkins): ok, 65 requests (0 not modified), 8 jobs, 8 with new builds, 56 builds read"; !strings.Contains(all.String(), want) {
		t.Errorf("output lacks %q:\n%s", want, all.String())
	}
	r := run(t, context.Background(), "sources", "add", "jenkins", "x", "--url", srv.URLBase(), "--job", "nojob")
	if r.code != 2 || !strings.Contains(r.stderr, "want JOB=PROJECT") {
		t.Errorf("a bad --job: exit %d\n%s", r.code, r.stderr)
	}
	cfg, _ := os.ReadFile("ospo.yaml")
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
