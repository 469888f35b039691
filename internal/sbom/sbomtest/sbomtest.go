// Package sbomtest holds what the SBOM writers' tests share: the sample
// projects in internal/sbom/testdata/projects, golden-file comparison with
// an -update flag, and validation against the official JSON schemas kept in
// internal/sbom/testdata/schema (loaded from disk, never from the network).
//
// Only tests import it. Regenerate the golden files with
//
//	go test ./internal/sbom/cyclonedx ./internal/sbom/spdx -update
//
// Documents are byte-stable without redaction: the tests fix Options.Now,
// and the writers derive their document identifiers from the content.
package sbomtest

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/sbom"
)

var update = flag.Bool("update", false, "rewrite the golden files with the current output")

// Options are the fixed options golden files are written with.
var Options = sbom.Options{
	ToolVersion: "v0.0.0-test",
	Now:         time.Date(2024, 5, 3, 10, 0, 0, 0, time.UTC),
}

// testdata is internal/sbom/testdata, found from this file so that tests in
// any package below internal/sbom can use it.
func testdata() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "testdata")
}

// ProjectNames returns the names of the sample projects, sorted.
func ProjectNames(t testing.TB) []string {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join(testdata(), "projects", "*.json"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no sample projects: %v", err)
	}
	var names []string
	for _, p := range paths {
		names = append(names, strings.TrimSuffix(filepath.Base(p), ".json"))
	}
	slices.Sort(names)
	return names
}

// Project reads the sample project testdata/projects/<name>.json.
func Project(t testing.TB, name string) *catalog.Project {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(testdata(), "projects", name+".json"))
	if err != nil {
		t.Fatal(err)
	}
	var p catalog.Project
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil {
		t.Fatalf("project %s: %v", name, err)
	}
	return &p
}

// Golden compares got with the file at path, or writes got there when the
// test runs with -update.
func Golden(t testing.TB, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s differs (-want +got); run go test -update if the change is intended:\n%s", path, diff)
	}
}

// Schema $ids of the official schemas, and the files holding them.
const (
	CycloneDXSchema = "http://cyclonedx.org/schema/bom-1.6.schema.json"
	SPDXSchema      = "http://spdx.org/rdf/terms/2.3"
)

var schemaFiles = map[string]string{
	CycloneDXSchema: "bom-1.6.schema.json",
	"http://cyclonedx.org/schema/spdx.schema.json":     "spdx.schema.json",
	"http://cyclonedx.org/schema/jsf-0.82.schema.json": "jsf-0.82.schema.json",
	SPDXSchema: "spdx-schema.json",
}

var (
	schemasOnce sync.Once
	schemas     map[string]*jsonschema.Schema
	schemasErr  error
)

// noNetwork refuses every URL: all schemas are added as resources first.
type noNetwork struct{}

func (noNetwork) Load(url string) (any, error) {
	return nil, fmt.Errorf("schema %s is not kept in testdata/schema (no network access in tests)", url)
}

func compileSchemas() {
	c := jsonschema.NewCompiler()
	c.UseLoader(noNetwork{})
	c.AssertFormat()
	for id, file := range schemaFiles {
		f, err := os.Open(filepath.Join(testdata(), "schema", file))
		if err != nil {
			schemasErr = err
			return
		}
		doc, err := jsonschema.UnmarshalJSON(f)
		f.Close()
		if err != nil {
			schemasErr = fmt.Errorf("%s: %w", file, err)
			return
		}
		if err := c.AddResource(id, doc); err != nil {
			schemasErr = fmt.Errorf("%s: %w", file, err)
			return
		}
	}
	schemas = map[string]*jsonschema.Schema{}
	for _, id := range []string{CycloneDXSchema, SPDXSchema} {
		s, err := c.Compile(id)
		if err != nil {
			schemasErr = fmt.Errorf("compile %s: %w", id, err)
			return
		}
		schemas[id] = s
	}
}

// Validate reports an error unless data is valid against the schema with
// the given $id (CycloneDXSchema or SPDXSchema).
func Validate(t testing.TB, schemaID string, data []byte) {
	t.Helper()
	if err := Check(schemaID, data); err != nil {
		t.Error(err)
	}
}

// Check returns nil if data is valid against the schema with the given $id
// (CycloneDXSchema or SPDXSchema), else an error saying why.
func Check(schemaID string, data []byte) error {
	schemasOnce.Do(compileSchemas)
	if schemasErr != nil {
		return schemasErr
	}
	s, ok := schemas[schemaID]
	if !ok {
		return fmt.Errorf("no schema %s", schemaID)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		return fmt.Errorf("not JSON: %w", err)
	}
	if err := s.Validate(inst); err != nil {
		return fmt.Errorf("not valid against %s:\n%w", schemaID, err)
	}
	return nil
}
