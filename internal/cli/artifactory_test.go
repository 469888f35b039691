package cli_test

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"

	"github.com/ospo-project/ospo/internal/source/artifactory/artifactorytest"
)

// TestArtifactorySync adds an Artifactory source from the command line,
// syncs it, lists it, and checks the token is in no output, the
// configuration or the store.
func TestArtifactorySync(t *testing.T) {
	srv := artifactorytest.New(t)
	const secret = "cmVmdGtuOjAxOkNMSXNlY3JldA"
	srv.Token = secret
	db := isolate(t)
	t.Setenv("RT_TOKEN", secret)
	var all bytes.Buffer
	for _, args := range [][]string{
		{"sources", "add", "artifactory", "rt", "--url", srv.URLBase(), "--token-env", "RT_TOKEN",
			"--build", "go-build=github.com/jfrog/build-info-go"},
		{"sync"},
		{"sources", "list"},
	} {
		r := run(t, context.Background(), args...)
		all.WriteString(r.stdout + r.stderr)
		if r.code != 0 {
			t.Fatalf("ospo %s: exit %d\n%s%s", strings.Join(args, " "), r.code, r.stdout, r.stderr)
		}
	}
	if want := "rt (artifactory): ok, 8 requests (0 not modified), 3 files read (2 package versions, 1 not packages), 2 build runs"; !strings.Contains(all.String(), want) {
		t.Errorf("output lacks %q:\n%s", want, all.String())
	}
	if !strings.Contains(all.String(), srv.URLBase()) {
		t.Errorf("sources list does not show the URL:\n%s", all.String())
	}
	r := run(t, context.Background(), "sources", "add", "artifactory", "x", "--url", srv.URLBase(), "--build", "nobuild")
	if r.code != 2 || !strings.Contains(r.stderr, "want BUILD=PROJECT") {
		t.Errorf("a bad --build: exit %d\n%s", r.code, r.stderr)
	}
	cfg, _ := os.ReadFile("ospo.yaml")
	if !strings.Contains(string(cfg), "go-build: github.com/jfrog/build-info-go") {
		t.Errorf("ospo.yaml lacks the build link:\n%s", cfg)
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
