package config

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestSourceValidate(t *testing.T) {
	for _, tc := range []struct {
		src  Source
		want string // substring of the error; empty for valid
	}{
		{Source{Name: "gh", Kind: KindGitHub, Org: "acme"}, ""},
		{Source{Name: "ghe.prod_1", Kind: KindGitHub, Org: "acme", APIURL: "https://ghe.example.com/api/v3/", TokenFile: "/run/t"}, ""},
		{Source{Name: "bs", Kind: KindBackstage, URL: "http://localhost:7007"}, ""},
		{Source{Name: "gl", Kind: KindGitLab, Group: "acme/platform", WebhookSecretEnv: "GL_HOOK"}, ""},
		{Source{Name: "gl", Kind: KindGitLab, Group: "42", APIURL: "https://gitlab.example.com/api/v4/"}, ""},
		{Source{Name: "gl", Kind: KindGitLab}, "needs group"},
		{Source{Name: "app", Kind: KindGitHub, Org: "acme", AppID: 1, InstallationID: 2, PrivateKeyFile: "/run/key.pem"}, ""},
		{Source{Name: "app", Kind: KindGitHub, Org: "acme", AppID: 1, PrivateKeyFile: "/run/key.pem"}, "app_id and installation_id"},
		{Source{Name: "app", Kind: KindGitHub, Org: "acme", AppID: 1, InstallationID: 2}, "private_key_env or private_key_file"},
		{Source{Name: "app", Kind: KindGitHub, Org: "acme", AppID: 1, InstallationID: 2, PrivateKeyEnv: "K", TokenEnv: "T"}, "not both"},
		{Source{Name: "app", Kind: KindGitLab, Group: "g", AppID: 1, InstallationID: 2, PrivateKeyEnv: "K"}, "for github sources"},
		{Source{Name: "gl", Kind: KindGitLab, Group: "g", APIURL: "gitlab.example.com"}, "not an http(s) URL"},
		{Source{Name: "bs", Kind: KindBackstage, URL: "http://localhost:7007", WebhookSecretEnv: "X"}, "webhooks are for"},
		{Source{Name: "", Kind: KindGitHub, Org: "acme"}, "source name"},
		{Source{Name: "a/b", Kind: KindGitHub, Org: "acme"}, "source name"},
		{Source{Name: "gh", Kind: KindGitHub}, "needs org"},
		{Source{Name: "gh", Kind: KindGitHub, Org: "acme", APIURL: "ghe.example.com"}, "not an http(s) URL"},
		{Source{Name: "bs", Kind: KindBackstage}, "needs url"},
		{Source{Name: "bs", Kind: KindBackstage, URL: "https://u:p@example.com"}, "credentials in the URL"},
		{Source{Name: "x", Kind: "svn"}, "unknown kind"},
		{Source{Name: "j", Kind: KindJIRA, URL: "https://acme.atlassian.net", User: "bot@acme.com", Projects: map[string][]string{"PAY": {"github.com/acme/pay"}}}, ""},
		{Source{Name: "j", Kind: KindJIRA, URL: "https://acme.atlassian.net"}, ""}, // projects from annotations
		{Source{Name: "j", Kind: KindJIRA}, "needs url"},
		{Source{Name: "ci", Kind: KindJenkins, URL: "https://ci.acme.com/jenkins", User: "ospo", TokenEnv: "T", Jobs: map[string]string{"pay/main": "github.com/acme/pay"}}, ""},
		{Source{Name: "ci", Kind: KindJenkins}, "needs url"},
		{Source{Name: "rt", Kind: KindArtifactory, URL: "https://acme.jfrog.io/artifactory", TokenEnv: "RT", Repos: []string{"maven-remote"}, Builds: map[string]string{"pay": "github.com/acme/pay"}}, ""},
		{Source{Name: "rt", Kind: KindArtifactory}, "needs url"},
		{Source{Name: "rt", Kind: KindArtifactory, URL: "ftp://rt.acme.com"}, "url"},
		{Source{Name: "j", Kind: KindJIRA, URL: "https://jira.acme.com", Flavor: "dc", Projects: map[string][]string{"PAY": nil}}, "want cloud or server"},
		{Source{Name: "gh", Kind: KindGitHub, Org: "acme", TokenEnv: "A", TokenFile: "b"}, "not both"},
		{Source{Name: "gh", Kind: KindGitHub, Org: "acme", Interval: Duration(-time.Second)}, "negative"},
	} {
		err := tc.src.Validate()
		if tc.want == "" && err != nil {
			t.Errorf("%+v: %v", tc.src, err)
		}
		if tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)) {
			t.Errorf("%+v: error %v, want one containing %q", tc.src, err, tc.want)
		}
	}
}

func TestToken(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "token")
	os.WriteFile(file, []byte("  file-secret\n"), 0o600)
	empty := filepath.Join(dir, "empty")
	os.WriteFile(empty, []byte("\n"), 0o600)
	t.Setenv("OSPO_TEST_TOKEN", "env-secret")
	for _, tc := range []struct {
		src     Source
		want    string
		wantErr string
	}{
		{Source{Name: "a"}, "", ""},
		{Source{Name: "a", TokenEnv: "OSPO_TEST_TOKEN"}, "env-secret", ""},
		{Source{Name: "a", TokenEnv: "OSPO_TEST_NO_SUCH"}, "", "OSPO_TEST_NO_SUCH is not set"},
		{Source{Name: "a", TokenFile: file}, "file-secret", ""},
		{Source{Name: "a", TokenFile: empty}, "", "is empty"},
		{Source{Name: "a", TokenFile: filepath.Join(dir, "missing")}, "", "token file"},
	} {
		got, err := tc.src.Token()
		if got != tc.want || (tc.wantErr == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), tc.wantErr)) {
			t.Errorf("%+v: %q, %v; want %q, error containing %q", tc.src, got, err, tc.want, tc.wantErr)
		}
		if err != nil && strings.Contains(err.Error(), "secret") {
			t.Errorf("the error shows the secret: %v", err)
		}
	}
}

// TestAddRemoveSource checks that sources are added to and removed from a
// file without losing its other settings and comments, and that the file
// still loads.
func TestAddRemoveSource(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ospo.yaml")
	orig := "# our settings\nscan:\n  workers: 3 # two cores\n"
	os.WriteFile(path, []byte(orig), 0o644)
	gh := Source{Name: "gh", Kind: KindGitHub, Org: "acme", TokenEnv: "GITHUB_TOKEN", Interval: Duration(30 * time.Minute)}
	if err := AddSource(path, gh); err != nil {
		t.Fatal(err)
	}
	bs := Source{Name: "bs", Kind: KindBackstage, URL: "https://backstage.example.com"}
	if err := AddSource(path, bs); err != nil {
		t.Fatal(err)
	}
	if err := AddSource(path, gh); err == nil || !strings.Contains(err.Error(), "exists") {
		t.Errorf("adding gh twice: %v", err)
	}
	if err := AddSource(path, Source{Name: "x", Kind: KindGitHub}); err == nil {
		t.Error("an invalid source was added")
	}
	c, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if c.Scan.Workers != 3 || len(c.Sources) != 2 || !reflect.DeepEqual(c.Sources[0], gh) || !reflect.DeepEqual(c.Sources[1], bs) {
		t.Errorf("loaded %+v", c)
	}
	data, _ := os.ReadFile(path)
	for _, want := range []string{"# our settings", "# two cores", "interval: 30m0s"} {
		if !strings.Contains(string(data), want) {
			t.Errorf("the file lost %q:\n%s", want, data)
		}
	}
	if err := RemoveSource(path, "gh"); err != nil {
		t.Fatal(err)
	}
	if err := RemoveSource(path, "gh"); err == nil {
		t.Error("removing gh twice succeeded")
	}
	if c, err = Load(path); err != nil || len(c.Sources) != 1 || c.Sources[0].Name != "bs" {
		t.Errorf("after remove: %+v, %v", c.Sources, err)
	}

	// A new file is created.
	fresh := filepath.Join(t.TempDir(), "new.yaml")
	if err := AddSource(fresh, bs); err != nil {
		t.Fatal(err)
	}
	if c, err := Load(fresh); err != nil || len(c.Sources) != 1 {
		t.Errorf("new file: %+v, %v", c, err)
	}

	// Two sources with one name are refused at load.
	dup := filepath.Join(t.TempDir(), "dup.yaml")
	os.WriteFile(dup, []byte("sources:\n  - {name: a, kind: github, org: x}\n  - {name: a, kind: github, org: y}\n"), 0o644)
	if _, err := Load(dup); err == nil || !strings.Contains(err.Error(), "two sources are named a") {
		t.Errorf("duplicate names: %v", err)
	}
}
