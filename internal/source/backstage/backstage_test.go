package backstage_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"go.yaml.in/yaml/v3"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/source/backstage"
	"github.com/ospo-project/ospo/internal/sourcesync"
	"github.com/ospo-project/ospo/internal/store/sqlite"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// schemas compiles Backstage's published entity schemas (testdata/schema)
// and returns them by kind.
func schemas(t *testing.T) map[string]*jsonschema.Schema {
	t.Helper()
	c := jsonschema.NewCompiler()
	const base = "https://backstage.io/schema/"
	files := map[string]string{
		"Entity":            "Entity.schema.json",
		"EntityMeta":        "EntityMeta.schema.json",
		"common":            "shared/common.schema.json",
		"ComponentV1alpha1": "kinds/Component.v1alpha1.schema.json",
		"SystemV1alpha1":    "kinds/System.v1alpha1.schema.json",
		"ApiV1alpha1":       "kinds/API.v1alpha1.schema.json",
		"GroupV1alpha1":     "kinds/Group.v1alpha1.schema.json",
		"UserV1alpha1":      "kinds/User.v1alpha1.schema.json",
	}
	for id, file := range files {
		f, err := os.Open(filepath.Join("testdata", "schema", file))
		if err != nil {
			t.Fatal(err)
		}
		doc, err := jsonschema.UnmarshalJSON(f)
		f.Close()
		if err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		if err := c.AddResource(base+id, doc); err != nil {
			t.Fatalf("%s: %v", file, err)
		}
	}
	out := map[string]*jsonschema.Schema{}
	for kind, id := range map[string]string{"Component": "ComponentV1alpha1", "System": "SystemV1alpha1",
		"API": "ApiV1alpha1", "Group": "GroupV1alpha1", "User": "UserV1alpha1"} {
		s, err := c.Compile(base + id)
		if err != nil {
			t.Fatalf("compile %s: %v", id, err)
		}
		out[kind] = s
	}
	return out
}

// validate checks one entity document (any JSON-able value) against its
// kind's schema.
func validate(t *testing.T, sch map[string]*jsonschema.Schema, v any) {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	kind, _ := inst.(map[string]any)["kind"].(string)
	s := sch[kind]
	if s == nil {
		t.Fatalf("no schema for kind %q: %s", kind, b)
	}
	if err := s.Validate(inst); err != nil {
		t.Errorf("%s does not validate: %v\n%s", kind, err, b)
	}
}

// examples returns the Backstage example entities of testdata/examples as
// JSON documents, as a Backstage instance serves them.
func examples(t *testing.T) []json.RawMessage {
	t.Helper()
	var out []json.RawMessage
	for _, f := range []string{"artist-engagement-portal-system.yaml", "artist-lookup-component.yaml", "hello-world-api.yaml", "team-a-group.yaml"} {
		data, err := os.ReadFile(filepath.Join("testdata", "examples", f))
		if err != nil {
			t.Fatal(err)
		}
		dec := yaml.NewDecoder(bytes.NewReader(data))
		for {
			var doc map[string]any
			if err := dec.Decode(&doc); errors.Is(err, io.EOF) {
				break
			} else if err != nil {
				t.Fatalf("%s: %v", f, err)
			}
			b, err := json.Marshal(doc)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, b)
		}
	}
	return out
}

// TestSchemasAcceptExamples makes sure the schema set is wired right: the
// published examples validate, and a broken entity does not.
func TestSchemasAcceptExamples(t *testing.T) {
	sch := schemas(t)
	for _, doc := range examples(t) {
		var v any
		json.Unmarshal(doc, &v)
		validate(t, sch, v)
	}
	broken := map[string]any{"apiVersion": "backstage.io/v1alpha1", "kind": "Component",
		"metadata": map[string]any{"name": "x"}, "spec": map[string]any{"type": "service"}}
	b, _ := json.Marshal(broken)
	inst, _ := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if err := sch["Component"].Validate(inst); err == nil {
		t.Error("a Component without owner and lifecycle validates")
	}
}

func testCatalogue(t *testing.T) backstage.Catalogue {
	var imported []catalog.Entity
	for _, doc := range examples(t) {
		e, err := backstage.FromDocument(doc, "bs")
		if err != nil {
			t.Fatal(err)
		}
		imported = append(imported, e)
	}
	// The example Component names no repository; link it to ours.
	for i := range imported {
		if imported[i].Name == "artist-lookup" {
			imported[i].ProjectKey = "github.com/acme/artist-lookup"
		}
	}
	return backstage.Catalogue{
		Projects: []catalog.Project{
			{ID: 1, Key: "github.com/acme/payments", Name: "payments", Description: "Takes the money",
				Topics: []string{"Go", "payments", "not a tag!"}, System: "billing",
				Owners: []catalog.Owner{{Owner: "@acme/payments-team", Source: catalog.OwnerCodeowners, Pattern: "*"}}},
			{ID: 2, Key: "github.com/acme/ledger", Name: "ledger", Lifecycle: "experimental", System: "billing",
				Owners: []catalog.Owner{{Owner: "group:finance", Source: catalog.OwnerCatalogInfo}}},
			{ID: 3, Key: "gitlab.example.com/other/ledger", Name: "ledger",
				Owners: []catalog.Owner{{Owner: "jane.doe@example.com", Source: catalog.OwnerCodeowners, Pattern: "/docs/"}}},
			{ID: 4, Key: "path:/src/scratch", Name: "scratch pad"},
			{ID: 5, Key: "github.com/acme/artist-lookup", Name: "artist-lookup"},
		},
		Dependencies: map[int64][]catalog.Dependency{
			1: {{Ecosystem: "Go", Name: "github.com/acme/ledger/client", Direct: true},
				{Ecosystem: "Go", Name: "github.com/acme/payments/internal", Direct: true},
				{Ecosystem: "npm", Name: "left-pad", Direct: true}},
		},
		People: []catalog.Person{
			{ID: "p1", Name: "Janelle Dawe", Email: "janelle-dawe@example.com"},
			{ID: "p2", Name: "Jane Doe", Email: "jane.doe@example.com"},
			{ID: "p3", Name: "dependabot[bot]", Email: "bot@example.com", Bot: true},
		},
		Repos:    []catalog.ForgeRepo{{Source: "gh", ID: 9, ProjectKey: "github.com/acme/ledger", FullName: "acme/ledger", Archived: true}},
		Imported: imported,
	}
}

// TestExport validates every exported entity against Backstage's schemas
// and compares the YAML with a golden file.
func TestExport(t *testing.T) {
	sch := schemas(t)
	ents := backstage.Export(testCatalogue(t))
	kinds := map[string]int{}
	for _, e := range ents {
		kinds[e.Kind]++
		validate(t, sch, e)
	}
	if diff := cmp.Diff(map[string]int{"Component": 5, "System": 2, "API": 1, "Group": 5, "User": 2}, kinds); diff != "" {
		t.Errorf("entities by kind (-want +got):\n%s", diff)
	}
	var buf bytes.Buffer
	if err := backstage.WriteYAML(&buf, ents); err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "export.golden.yaml")
	if *update {
		if err := os.WriteFile(golden, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run with -update)", err)
	}
	if diff := cmp.Diff(string(want), buf.String()); diff != "" {
		t.Errorf("export (-want +got):\n%s", diff)
	}
	// Every document of the YAML is an entity that validates.
	dec := yaml.NewDecoder(&buf)
	n := 0
	for {
		var doc map[string]any
		if err := dec.Decode(&doc); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		validate(t, sch, doc)
		n++
	}
	if n != len(ents) {
		t.Errorf("the YAML holds %d documents, want %d", n, len(ents))
	}
}

func TestName(t *testing.T) {
	for in, want := range map[string]string{
		"payments":                    "payments",
		"My Service!":                 "My-Service",
		"--a..b__c--":                 "a.b_c",
		"":                            "unnamed",
		"日本語":                         "unnamed",
		strings.Repeat("ab-", 40):     strings.TrimSuffix(strings.Repeat("ab-", 21), "-"),
		"x" + strings.Repeat("y", 70): "x" + strings.Repeat("y", 62),
	} {
		if got := backstage.Name(in); got != want {
			t.Errorf("Name(%q) = %q, want %q", in, got, want)
		}
		if got := backstage.Name(in); len(got) > 63 {
			t.Errorf("Name(%q) is %d long", in, len(got))
		}
	}
}

// catalogueServer serves docs at /api/catalog/entities with an ETag, as a
// Backstage instance does; fail makes it answer with that body and status.
type catalogueServer struct {
	*httptest.Server
	requests   atomic.Int64
	failStatus atomic.Int64
	failBody   atomic.Value
}

func serveCatalogue(t *testing.T, docs []json.RawMessage, token string) *catalogueServer {
	body, _ := json.Marshal(docs)
	s := &catalogueServer{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.requests.Add(1)
		if r.URL.Path != "/api/catalog/entities" {
			http.NotFound(w, r)
			return
		}
		if r.Header.Get("Authorization") != "Bearer "+token {
			http.Error(w, `{"error":{"name":"AuthenticationError"}}`, http.StatusUnauthorized)
			return
		}
		if st := s.failStatus.Load(); st != 0 {
			w.WriteHeader(int(st))
			io.WriteString(w, s.failBody.Load().(string))
			return
		}
		w.Header().Set("ETag", `W/"v1"`)
		if r.Header.Get("If-None-Match") == `W/"v1"` {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write(body)
	}))
	t.Cleanup(s.Close)
	return s
}

// TestImport syncs the published example entities from a local Backstage
// catalogue API into a store, then resyncs (one conditional request, 304),
// then meets a failing and a garbled catalogue: the sync fails with the
// reason and the entities of the last good sync stay.
func TestImport(t *testing.T) {
	ctx := context.Background()
	const token = "bs-T0KEN-very-secret"
	srv := serveCatalogue(t, examples(t), token)
	dbPath := filepath.Join(t.TempDir(), "ospo.db")
	st, err := sqlite.Open(ctx, dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	job := sourcesync.Job{Name: "bs", Kind: catalog.SourceBackstage, Secrets: []string{token},
		Source: &backstage.Source{Name: "bs", BaseURL: srv.URL, Token: token}}
	now := func() time.Time { return time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC) }

	res, err := sourcesync.Run(ctx, st, []sourcesync.Job{job}, now)
	if err != nil || res[0].Err != nil {
		t.Fatalf("first sync: %v, %v", err, res[0].Err)
	}
	ents, err := st.Entities(ctx, "bs")
	if err != nil {
		t.Fatal(err)
	}
	var refs []string
	for _, e := range ents {
		refs = append(refs, e.Ref())
	}
	wantRefs := []string{"api:default/hello-world", "component:default/artist-lookup", "group:default/team-a", "system:default/artist-engagement-portal",
		"user:default/breanna.davison", "user:default/guest", "user:default/janelle.dawe", "user:default/nigel.manning",
		"user:development/guest"}
	if diff := cmp.Diff(wantRefs, refs); diff != "" {
		t.Errorf("imported entities (-want +got):\n%s", diff)
	}
	for _, e := range ents {
		if e.Ref() == "user:default/janelle.dawe" {
			if e.Email != "janelle-dawe@example.com" || !cmp.Equal(e.MemberOf, []string{"team-a"}) {
				t.Errorf("janelle.dawe = %+v", e)
			}
		}
		if e.Ref() == "component:default/artist-lookup" && (e.Owner != "team-a" || e.System != "artist-engagement-portal" || e.Lifecycle != "experimental") {
			t.Errorf("artist-lookup = %+v", e)
		}
	}

	// Unchanged: one conditional request answered 304, nothing rewritten.
	before := srv.requests.Load()
	res, err = sourcesync.Run(ctx, st, []sourcesync.Job{job}, now)
	if err != nil || res[0].Err != nil {
		t.Fatalf("resync: %v, %v", err, res[0].Err)
	}
	if got := srv.requests.Load() - before; got != 1 || res[0].State.NotModified != 1 {
		t.Errorf("resync sent %d requests (%d not modified), want 1 answered 304", got, res[0].State.NotModified)
	}

	for name, fail := range map[string]struct {
		status int
		body   string
		want   string
	}{
		"server error": {http.StatusInternalServerError, "boom", "500"},
		"malformed":    {http.StatusOK, `[{"kind":"Component","metadata":{"name":"x"}},`, "decode entities"},
		"no name":      {http.StatusOK, `[{"kind":"Component","metadata":{}}]`, "without kind"},
	} {
		t.Run(name, func(t *testing.T) {
			srv.failStatus.Store(int64(fail.status))
			srv.failBody.Store(fail.body)
			defer srv.failStatus.Store(0)
			// Forget the ETag so the server answers.
			state, _ := st.SourceState(ctx, "bs")
			state.Cursor = nil
			st.SaveSourceState(ctx, *state)
			res, err := sourcesync.Run(ctx, st, []sourcesync.Job{job}, now)
			if err != nil {
				t.Fatal(err)
			}
			if res[0].Err == nil || !strings.Contains(res[0].Err.Error(), fail.want) {
				t.Errorf("error = %v, want one mentioning %q", res[0].Err, fail.want)
			}
			got, _ := st.SourceState(ctx, "bs")
			if got.Status != catalog.SyncFailed || got.LastError == "" || got.LastSuccess.IsZero() {
				t.Errorf("state = %+v, want failed with a reason and the last success kept", got)
			}
			if kept, _ := st.Entities(ctx, "bs"); len(kept) != len(wantRefs) {
				t.Errorf("after a failed sync %d entities, want the %d of the last good one", len(kept), len(wantRefs))
			}
		})
	}

	// A wrong token fails without showing it.
	bad := job
	bad.Source = &backstage.Source{Name: "bs", BaseURL: srv.URL, Token: "wrong-token-123"}
	bad.Secrets = []string{"wrong-token-123"}
	res, _ = sourcesync.Run(ctx, st, []sourcesync.Job{bad}, now)
	if res[0].Err == nil || !strings.Contains(res[0].Err.Error(), "401") {
		t.Errorf("wrong token: %v, want a 401", res[0].Err)
	}
	st.Close()
	db, _ := os.ReadFile(dbPath)
	wal, _ := os.ReadFile(dbPath + "-wal")
	for _, secret := range []string{token, "wrong-token-123"} {
		if bytes.Contains(db, []byte(secret)) || bytes.Contains(wal, []byte(secret)) {
			t.Errorf("the store holds the secret %q", secret)
		}
	}
}
