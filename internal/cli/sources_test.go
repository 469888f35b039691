package cli_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// backstageExamples returns Backstage's published example entities
// (internal/source/backstage/testdata/examples) as JSON documents.
func backstageExamples(t *testing.T) []byte {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("..", "source", "backstage", "testdata", "examples", "*.yaml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no examples: %v", err)
	}
	var docs []any
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		dec := yaml.NewDecoder(bytes.NewReader(data))
		for {
			var doc map[string]any
			if err := dec.Decode(&doc); errors.Is(err, io.EOF) {
				break
			} else if err != nil {
				t.Fatal(err)
			}
			docs = append(docs, doc)
		}
	}
	b, err := json.Marshal(docs)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestSources drives the sources commands end to end with a Backstage
// catalogue served locally and one that is down, and checks that the token
// shows up nowhere: not in the configuration, the outputs, the logs or the
// store.
func TestSources(t *testing.T) {
	body := backstageExamples(t) // before isolate changes directory
	db := isolate(t)
	const secret = "bs_0123456789SECRETtoken"
	t.Setenv("BS_TOKEN", secret)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer "+secret {
			http.Error(w, "no", http.StatusUnauthorized)
			return
		}
		w.Header().Set("ETag", `"c1"`)
		if r.Header.Get("If-None-Match") == `"c1"` {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Write(body)
	}))
	defer srv.Close()
	down := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "the catalogue is on fire (token "+r.Header.Get("Authorization")+")", http.StatusBadGateway)
	}))
	defer down.Close()

	var all bytes.Buffer // every output, to look for the secret in
	steps := []step{
		{args: []string{"sources", "list"}, stdout: []string{"No sources configured"}},
		{args: []string{"sync"}, code: 2, stderr: []string{"no sources configured"}},
		{args: []string{"sources", "add", "backstage", "portal", "--url", srv.URL, "--token-env", "BS_TOKEN"},
			stdout: []string{"Added backstage source portal"}},
		{args: []string{"sources", "add", "backstage", "portal", "--url", srv.URL}, code: 2, stderr: []string{"a source named portal exists"}},
		{args: []string{"sources", "add", "backstage", "bad", "--url", "ftp://example.com"}, code: 2, stderr: []string{"not an http(s) URL"}},
		{args: []string{"sources", "add", "backstage", "creds", "--url", "https://u:" + secret + "@example.com"}, code: 2, stderr: []string{"credentials in the URL"}},
		{args: []string{"sources", "add", "svn", "old"}, code: 2, stderr: []string{`unknown kind "svn"`}},
		{args: []string{"sources", "add", "gitlab", "gl"}, code: 2, stderr: []string{"a gitlab source needs group"}},
		{args: []string{"sources", "add", "backstage", "../x", "--url", srv.URL}, code: 2, stderr: []string{"source name"}},
		{args: []string{"sources", "list"}, stdout: []string{"portal", "backstage", "never"}},
		{args: []string{"sync"}, stdout: []string{"portal (backstage): ok, 1 requests (0 not modified), 9 entities"}},
		{args: []string{"sync"}, stdout: []string{"1 sources not due yet"}, notStdout: []string{"portal (backstage)"}},
		{args: []string{"sources", "sync", "portal"}, stdout: []string{"portal (backstage): ok, 1 requests (1 not modified), catalogue unchanged"}},
		{args: []string{"sources", "sync", "nope"}, code: 2, stderr: []string{"no source named nope"}},
		{args: []string{"export", "backstage"}, stdout: []string{"kind: API", "name: hello-world", "kind: Group", "name: team-c"}},
		{args: []string{"sources", "add", "backstage", "broken", "--url", down.URL, "--token-env", "BS_TOKEN"}},
		{args: []string{"sources", "add", "backstage", "unset", "--url", srv.URL, "--token-env", "NO_SUCH_VAR_FOR_OSPO"}},
		{args: []string{"sources", "sync"}, code: 3,
			stdout: []string{"portal (backstage): ok", "broken (backstage): failed: GET " + down.URL, "502", "[redacted]",
				"unset (backstage): failed: source unset: environment variable NO_SUCH_VAR_FOR_OSPO is not set"},
			stderr: []string{"2 of 3 sources failed"}},
		{args: []string{"sources", "list", "--format", "json"}, json: func(t *testing.T, out []byte) {
			var rows []struct {
				Name  string `json:"name"`
				State struct {
					Status    string `json:"status"`
					LastError string `json:"last_error"`
				} `json:"state"`
			}
			if err := json.Unmarshal(out, &rows); err != nil {
				t.Fatal(err)
			}
			got := map[string]string{}
			for _, r := range rows {
				got[r.Name] = r.State.Status
			}
			if got["portal"] != "ok" || got["broken"] != "failed" || got["unset"] != "failed" {
				t.Errorf("statuses = %v", got)
			}
		}},
		// The failed source's facts and the others' are kept.
		{args: []string{"export", "backstage"}, stdout: []string{"name: hello-world"}},
		{args: []string{"sources", "remove", "portal"}, stdout: []string{"Removed source portal"}},
		{args: []string{"sources", "remove", "portal"}, code: 2, stderr: []string{"no source named portal"}},
		{args: []string{"export", "backstage"}, notStdout: []string{"hello-world"}},
	}
	for _, s := range steps {
		t.Run(s.name(), func(t *testing.T) {
			r := run(t, context.Background(), append([]string{"--log-level", "debug"}, s.args...)...)
			all.WriteString(r.stdout + r.stderr)
			if r.code != s.code {
				t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", r.code, s.code, r.stdout, r.stderr)
			}
			for _, want := range s.stdout {
				if !strings.Contains(r.stdout, want) {
					t.Errorf("stdout does not contain %q:\n%s", want, r.stdout)
				}
			}
			for _, no := range s.notStdout {
				if strings.Contains(r.stdout, no) {
					t.Errorf("stdout contains %q:\n%s", no, r.stdout)
				}
			}
			for _, want := range s.stderr {
				if !strings.Contains(r.stderr, want) {
					t.Errorf("stderr does not contain %q:\n%s", want, r.stderr)
				}
			}
			if s.json != nil {
				s.json(t, []byte(r.stdout))
			}
		})
	}

	cfg, err := os.ReadFile("ospo.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(cfg), "token_env: BS_TOKEN") {
		t.Errorf("ospo.yaml does not name the variable:\n%s", cfg)
	}
	places := map[string][]byte{"ospo.yaml": cfg, "outputs and logs": all.Bytes()}
	for _, suffix := range []string{"", "-wal", "-shm"} {
		b, _ := os.ReadFile(db + suffix)
		places["store"+suffix] = b
	}
	for where, b := range places {
		if bytes.Contains(b, []byte(secret)) {
			t.Errorf("the secret is in the %s", where)
		}
	}
}
