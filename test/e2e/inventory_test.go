package e2e

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ospo-project/ospo/internal/sbom/sbomtest"
)

const pomTmpl = `<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>com.acme</groupId>
  <artifactId>%s</artifactId>
  <version>1.0.0</version>
  <properties>
    <log4j.version>%s</log4j.version>
  </properties>
  <dependencies>
    <dependency>
      <groupId>org.apache.logging.log4j</groupId>
      <artifactId>log4j-core</artifactId>
      <version>${log4j.version}</version>
    </dependency>
    <dependency>
      <groupId>junit</groupId>
      <artifactId>junit</artifactId>
      <version>4.13.2</version>
      <scope>test</scope>
    </dependency>
  </dependencies>
</project>
`

const packageJSON = `{"name":"web","version":"1.0.0","dependencies":{"lodash":"^4.17.20"},"devDependencies":{"left-pad":"1.3.0"}}`

const packageLock = `{
  "name": "web",
  "version": "1.0.0",
  "lockfileVersion": 3,
  "requires": true,
  "packages": {
    "": {"name": "web", "version": "1.0.0", "dependencies": {"lodash": "^4.17.20"}, "devDependencies": {"left-pad": "1.3.0"}},
    "node_modules/lodash": {"version": "4.17.20", "resolved": "https://registry.npmjs.org/lodash/-/lodash-4.17.20.tgz", "integrity": "sha512-PlhdFcillOINfeV7Ni6oF1TAEayyZBoZ8bcshTHqOYJYlrqzRK5hagpagky5o4HfCzzd1TRkXPMFq6cKk9rGmA==", "license": "MIT"},
    "node_modules/left-pad": {"version": "1.3.0", "resolved": "https://registry.npmjs.org/left-pad/-/left-pad-1.3.0.tgz", "integrity": "sha512-XI5MPzVNApjAyhQzphX8BkmKsKUxD4LdyK24iZeQEjHhGNOuLfNx1Xh3ENBHK0ggf4A3J1UNxs/mTs4RmUsJBg==", "dev": true, "license": "WTFPL"}
  }
}
`

// TestInventory scans repositories with manifests and lockfiles, then
// searches the estate for a package by version range, views a technology
// and writes SBOMs that validate against the official schemas.
func TestInventory(t *testing.T) {
	root := t.TempDir()
	for i, v := range []string{"2.14.1", "2.17.1"} {
		dir := filepath.Join(root, fmt.Sprintf("svc-%d", i))
		initRepo(t, dir)
		write(t, filepath.Join(dir, "pom.xml"), fmt.Sprintf(pomTmpl, fmt.Sprintf("svc-%d", i), v))
		write(t, filepath.Join(dir, "src", "main", "java", "App.java"), "class App { public static void main(String[] a) {} }\n")
		if i == 0 {
			write(t, filepath.Join(dir, "web", "package.json"), packageJSON)
			write(t, filepath.Join(dir, "web", "package-lock.json"), packageLock)
		}
		commit(t, dir, "Ann Lee", fmt.Sprintf("ann%d@acme.example", i), "2024-05-01T10:00:00Z", "init")
	}
	for name, dsn := range stores(t) {
		t.Run(name, func(t *testing.T) {
			if name == "postgres" {
				dsn = freshPostgres(t, dsn)
			}
			env := []string{"OSPO_DB=" + dsn}
			if r := run(t, env, "scan", root); r.code != 0 {
				t.Fatalf("scan: %d %s %s", r.code, r.stdout, r.stderr)
			}

			r := run(t, env, "who-uses", "pkg:maven/org.apache.logging.log4j/log4j-core", "--version", "<2.17.1", "--format", "json")
			var rep struct {
				Uses []struct {
					Project, Version, Match, Scope string
					Direct                         bool
				}
				People []struct{ Name string }
			}
			if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
				t.Fatalf("who-uses json: %v\n%s%s", err, r.stdout, r.stderr)
			}
			if len(rep.Uses) != 1 || rep.Uses[0].Project != "svc-0" || rep.Uses[0].Version != "2.14.1" || !rep.Uses[0].Direct {
				t.Errorf("who-uses log4j-core <2.17.1 = %+v, want only svc-0 at 2.14.1", rep.Uses)
			}
			if len(rep.People) != 1 || rep.People[0].Name != "Ann Lee" {
				t.Errorf("people on those projects = %+v", rep.People)
			}
			r = run(t, env, "who-uses", "log4j-core")
			if !strings.Contains(r.stdout, "svc-0") || !strings.Contains(r.stdout, "svc-1") {
				t.Errorf("who-uses by bare artifact name:\n%s", r.stdout)
			}
			r = run(t, env, "who-uses", "lodash", "--ecosystem", "npm", "--format", "json")
			if !strings.Contains(r.stdout, `"4.17.20"`) {
				t.Errorf("who-uses lodash:\n%s%s", r.stdout, r.stderr)
			}
			r = run(t, env, "technologies", "--format", "json")
			if !strings.Contains(r.stdout, "pkg:maven/org.apache.logging.log4j/log4j-core") || !strings.Contains(r.stdout, `"language"`) {
				t.Errorf("technologies:\n%s", r.stdout)
			}
			r = run(t, env, "technology", "pkg:maven/org.apache.logging.log4j/log4j-core")
			if r.code != 0 || !strings.Contains(r.stdout, "2.14.1") || !strings.Contains(r.stdout, "2.17.1") || !strings.Contains(r.stdout, "Ann Lee") {
				t.Errorf("technology: %d\n%s%s", r.code, r.stdout, r.stderr)
			}
			for format, schema := range map[string]string{"cyclonedx-json": sbomtest.CycloneDXSchema, "spdx-json": sbomtest.SPDXSchema} {
				r = run(t, env, "sbom", "svc-0", "--format", format)
				if r.code != 0 {
					t.Fatalf("sbom %s: %d %s", format, r.code, r.stderr)
				}
				sbomtest.Validate(t, schema, []byte(r.stdout))
				for _, want := range []string{"log4j-core", "lodash", "junit"} {
					if !strings.Contains(r.stdout, want) {
						t.Errorf("sbom %s lacks %s", format, want)
					}
				}
			}
		})
	}
	// A path not in any catalogue is scanned on the fly, without a store.
	r := run(t, []string{"OSPO_DB=/proc/no/store.db"}, "sbom", filepath.Join(root, "svc-0"), "--format", "cyclonedx-json")
	if r.code != 0 {
		t.Fatalf("sbom PATH: %d %s", r.code, r.stderr)
	}
	sbomtest.Validate(t, sbomtest.CycloneDXSchema, []byte(r.stdout))
	if !strings.Contains(r.stdout, "pkg:npm/lodash@4.17.20") {
		t.Errorf("sbom PATH lacks lodash:\n%s", r.stdout)
	}
	if _, err := os.Stat("/proc/no"); err == nil {
		t.Fatal("unexpected /proc/no")
	}
}
