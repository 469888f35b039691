package hub_test

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/ospo-project/ospo/internal/auth"
	"github.com/ospo-project/ospo/internal/hub"
	"github.com/ospo-project/ospo/internal/hub/api"
)

// field returns the value at a dotted path ("items.0.name") of decoded JSON.
func field(v any, path string) (any, bool) {
	for _, k := range strings.Split(path, ".") {
		switch x := v.(type) {
		case map[string]any:
			var ok bool
			if v, ok = x[k]; !ok {
				return nil, false
			}
		case []any:
			i, err := strconv.Atoi(k)
			if err != nil || i < 0 || i >= len(x) {
				return nil, false
			}
			v = x[i]
		default:
			return nil, false
		}
	}
	return v, true
}

func TestAPI(t *testing.T) { eachStore(t, testAPI) }

func testAPI(t *testing.T, open opener) {
	f := newFixture(t, open)
	srv := newServer(t, f.st)
	alpha, evil := strconv.FormatInt(f.alphaID, 10), strconv.FormatInt(f.evilID, 10)
	cobra := "pkg:golang%2Fgithub.com%2Fspf13%2Fcobra"

	tests := []struct {
		name   string
		path   string
		status int
		// want maps dotted paths to their expected value, formatted with %v
		// ("<len>" after a path checks an array's length instead).
		want map[string]string
	}{
		{"estate", "/api/v1/estate", 200, map[string]string{
			"projects": "2", "people": "3", "packages": "2", "problems_total": "1",
			"languages.0.name": "Go", "languages.0.projects": "2", "teams.0.owner": "@acme/payments",
			"activity.0.count": "2", "recent<len>": "2", "with_problems.0.name": "alpha", "last_scan.found": "2"}},
		{"projects", "/api/v1/projects", 200, map[string]string{
			"items<len>": "2", "items.0.name": evilName, "items.1.name": "alpha", "total": "2", "more": "false", "limit": "50", "offset": "0"}},
		{"projects paged", "/api/v1/projects?limit=1&offset=1", 200, map[string]string{
			"items<len>": "1", "items.0.name": "alpha", "total": "2", "more": "false", "offset": "1"}},
		{"projects limit clamped", "/api/v1/projects?limit=100000", 200, map[string]string{"limit": "500"}},
		{"projects sorted by commits", "/api/v1/projects?sort=commits&limit=1", 200, map[string]string{
			"items.0.name": "alpha", "more": "true"}},
		{"projects filtered by language", "/api/v1/projects?language=Shell", 200, map[string]string{
			"items<len>": "1", "items.0.name": "alpha", "items.0.owners.0.owner": "@acme/payments"}},
		{"projects filtered by owner, paged", "/api/v1/projects?owner=@acme/payments&limit=1", 200, map[string]string{
			"items<len>": "1", "items.0.name": "alpha", "total": "1", "more": "false"}},
		{"projects searched", "/api/v1/projects?q=ledgers", 200, map[string]string{"items<len>": "1", "items.0.id": alpha}},
		{"projects searched, nothing", "/api/v1/projects?q=zzz", 200, map[string]string{"items<len>": "0", "total": "0"}},
		{"projects bad sort", "/api/v1/projects?sort=drop", 400, map[string]string{"error": `unknown sort "drop" (want one of name, updated, commits)`}},
		{"projects bad limit", "/api/v1/projects?limit=ten", 400, map[string]string{"error": "limit is not a number"}},
		{"projects negative offset", "/api/v1/projects?offset=-5", 400, map[string]string{"error": "limit and offset must not be negative"}},
		{"project", "/api/v1/projects/" + alpha, 200, map[string]string{
			"name": "alpha", "key": "github.com/acme/alpha", "languages<len>": "2", "dependencies<len>": "2",
			"contributors.0.weeks<len>": "2", "description": scriptDescription}},
		{"project unknown", "/api/v1/projects/999", 404, map[string]string{"error": "not found"}},
		{"project by name is not an id", "/api/v1/projects/alpha", 404, map[string]string{"error": "not found"}},
		{"dependencies", "/api/v1/projects/" + alpha + "/dependencies", 200, map[string]string{
			"items<len>": "2", "items.0.direct": "true", "items.1.direct": "false", "total": "2"}},
		{"dependencies direct", "/api/v1/projects/" + alpha + "/dependencies?direct=true", 200, map[string]string{
			"items<len>": "1", "items.0.name": "github.com/spf13/cobra"}},
		{"sbom cyclonedx", "/api/v1/projects/" + alpha + "/sbom/cyclonedx", 200, map[string]string{"bomFormat": "CycloneDX", "specVersion": "1.6"}},
		{"sbom spdx", "/api/v1/projects/" + alpha + "/sbom/spdx", 200, map[string]string{"spdxVersion": "SPDX-2.3"}},
		{"sbom unknown format", "/api/v1/projects/" + alpha + "/sbom/swid", 404, nil},
		{"sbom unknown project", "/api/v1/projects/999/sbom/spdx", 404, nil},
		{"technologies", "/api/v1/technologies", 200, map[string]string{"items<len>": "4", "more": "false"}},
		{"technologies packages of Go", "/api/v1/technologies?kind=package&ecosystem=go", 200, map[string]string{
			"items<len>": "2", "items.0.id": "pkg:golang/github.com/spf13/cobra", "items.0.projects": "2", "items.0.versions": "2"}},
		{"technologies searched", "/api/v1/technologies?q=pflag", 200, map[string]string{"items<len>": "1"}},
		{"technologies bad kind", "/api/v1/technologies?kind=framework", 400, nil},
		{"technology package", "/api/v1/technologies/" + cobra, 200, map[string]string{
			"kind": "package", "name": "github.com/spf13/cobra", "projects": "2", "versions": "2",
			"projects_using<len>": "2", "versions_in_use<len>": "2", "experts.0.id": "jane", "experts<len>": "3"}},
		{"technology language", "/api/v1/technologies/Shell", 200, map[string]string{
			"kind": "language", "projects": "1", "projects_using.0.id": alpha, "experts<len>": "2"}},
		{"technology unknown", "/api/v1/technologies/pkg:npm%2Fleft-pad", 404, nil},
		{"technology bad purl", "/api/v1/technologies/pkg:", 400, nil},
		{"people", "/api/v1/people", 200, map[string]string{"items<len>": "3", "items.0.id": "jane", "total": "3"}},
		{"people paged", "/api/v1/people?limit=1", 200, map[string]string{"items<len>": "1", "more": "true", "total": "3"}},
		{"people searched", "/api/v1/people?q=bob", 200, map[string]string{"items<len>": "1", "items.0.name": "Bob Stone"}},
		{"person", "/api/v1/people/jane", 200, map[string]string{
			"name": "Jane Doe", "commits": "7", "projects.0.project_id": alpha, "teams.0.owner": "@acme/payments",
			"technologies<len>": "3", "technologies.0.commits": "7", "activity<len>": "2", "activity.1.commits": "1"}},
		{"person by email", "/api/v1/people/mallory@example.com", 200, map[string]string{"projects.0.project_id": evil}},
		{"person unknown", "/api/v1/people/nobody", 404, map[string]string{"error": "not found"}},
		{"teams", "/api/v1/teams", 200, map[string]string{"items<len>": "1", "items.0.owner": "@acme/payments", "items.0.projects": "1"}},
		{"teams searched", "/api/v1/teams?q=nothing", 200, map[string]string{"items<len>": "0"}},
		{"team", "/api/v1/teams/@acme%2Fpayments", 200, map[string]string{
			"owner": "@acme/payments", "projects<len>": "1", "members<len>": "2", "members.0.id": "jane"}},
		{"team unknown", "/api/v1/teams/nobody", 404, nil},
		{"search", "/api/v1/search?q=cobra", 200, map[string]string{"query": "cobra", "packages<len>": "1", "projects<len>": "0"}},
		{"search everything", "/api/v1/search?q=s", 200, map[string]string{"projects<len>": "2", "people<len>": "2", "teams<len>": "1", "languages.0.name": "Shell", "packages<len>": "2",
			"totals.projects": "2", "totals.people": "2", "totals.packages": "2", "totals.teams": "1"}},
		{"search empty", "/api/v1/search", 200, map[string]string{"projects<len>": "0", "people<len>": "0"}},
		{"openapi", "/api/v1/openapi.json", 200, map[string]string{"openapi": "3.1.0"}},
		{"unknown route", "/api/v1/nothing", 404, map[string]string{"error": "no such API route"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := do(t, srv, "GET", tc.path)
			if r.status != tc.status {
				t.Fatalf("GET %s = %d, want %d\n%s", tc.path, r.status, tc.status, r.body)
			}
			if ct := r.header.Get("Content-Type"); ct != "application/json" {
				t.Errorf("Content-Type = %q", ct)
			}
			if r.header.Get("X-Content-Type-Options") != "nosniff" {
				t.Error("no X-Content-Type-Options")
			}
			checkJSON(t, tc.path, r.body, tc.want)
		})
	}
}

func TestAPIStoreFailure(t *testing.T) { eachStore(t, testAPIStoreFailure) }

func testAPIStoreFailure(t *testing.T, open opener) {
	f := newFixture(t, open)
	srv := newServer(t, f.st)
	f.st.Close()
	for _, path := range []string{"/api/v1/projects?q=a", "/api/v1/projects/1", "/api/v1/people", "/api/v1/technologies/Go"} {
		r := do(t, srv, "GET", path)
		if r.status != 500 || r.body != "{\"error\":\"internal error\"}\n" {
			t.Errorf("GET %s with the store closed = %d %q", path, r.status, r.body)
		}
	}
}

// TestOpenAPI checks that every registered API route is described by the
// OpenAPI document with its path parameters, and that it describes nothing else.
func TestOpenAPI(t *testing.T) {
	f := newFixture(t, openSQLite)
	h, err := hub.New(f.st, slog.New(slog.DiscardHandler), hub.WithAuth(hub.AuthOptions{Service: auth.NewService(f.st)}))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		OpenAPI string `json:"openapi"`
		Paths   map[string]map[string]struct {
			OperationID string `json:"operationId"`
			Parameters  []struct {
				Name     string `json:"name"`
				In       string `json:"in"`
				Required bool   `json:"required"`
			} `json:"parameters"`
			Responses map[string]any `json:"responses"`
		} `json:"paths"`
	}
	if err := json.Unmarshal(api.OpenAPI(), &doc); err != nil {
		t.Fatalf("openapi.json: %v", err)
	}
	if doc.OpenAPI != "3.1.0" {
		t.Errorf("openapi = %q", doc.OpenAPI)
	}
	wildcard := regexp.MustCompile(`\{([a-z]+)(\.\.\.)?\}`)
	registered := map[string]bool{}
	for _, route := range h.APIRoutes() {
		method, path, _ := strings.Cut(route, " ")
		registered[path] = true
		item, ok := doc.Paths[path]
		if !ok {
			t.Errorf("route %s is not in openapi.json", route)
			continue
		}
		op, ok := item[strings.ToLower(method)]
		if !ok {
			t.Errorf("route %s: openapi.json has no %s operation", route, method)
			continue
		}
		if op.OperationID == "" || (op.Responses["200"] == nil && op.Responses["201"] == nil) {
			t.Errorf("route %s: operation lacks an operationId or a 200 (201) response", route)
		}
		for _, m := range wildcard.FindAllStringSubmatch(path, -1) {
			found := false
			for _, p := range op.Parameters {
				found = found || p.Name == m[1] && p.In == "path" && p.Required
			}
			if !found {
				t.Errorf("route %s: path parameter %s not described", route, m[1])
			}
		}
	}
	for path := range doc.Paths {
		if !registered[path] {
			t.Errorf("openapi.json describes %s, which is not a route", path)
		}
	}
}

func TestMetrics(t *testing.T) {
	f := newFixture(t, openSQLite)
	srv := newServer(t, f.st)
	do(t, srv, "GET", "/")
	do(t, srv, "GET", "/projects/"+strconv.FormatInt(f.alphaID, 10))
	do(t, srv, "GET", "/projects/999")
	do(t, srv, "GET", "/nowhere")
	r := do(t, srv, "GET", "/metrics")
	if r.status != 200 || !strings.HasPrefix(r.header.Get("Content-Type"), "text/plain; version=0.0.4") {
		t.Fatalf("GET /metrics = %d %s", r.status, r.header.Get("Content-Type"))
	}
	for _, want := range []string{
		"# TYPE ospo_http_requests_total counter\n",
		`ospo_http_requests_total{route="GET /{$}",code="200"} 1` + "\n",
		`ospo_http_requests_total{route="GET /projects/{id}",code="200"} 1` + "\n",
		`ospo_http_requests_total{route="GET /projects/{id}",code="404"} 1` + "\n",
		`ospo_http_requests_total{route="unmatched",code="404"} 1` + "\n",
		"# TYPE ospo_http_request_duration_seconds histogram\n",
		`ospo_http_request_duration_seconds_bucket{route="GET /projects/{id}",le="+Inf"} 2` + "\n",
		`ospo_http_request_duration_seconds_count{route="GET /{$}"} 1` + "\n",
	} {
		if !strings.Contains(r.body, want) {
			t.Errorf("/metrics lacks %q\n%s", want, r.body)
		}
	}
	// The raw path never becomes a label: no unbounded cardinality. (Not
	// a bare "999": a duration sum such as 0.000999 may contain it.)
	if strings.Contains(r.body, "nowhere") || strings.Contains(r.body, "/999") {
		t.Errorf("/metrics has a raw path as a label\n%s", r.body)
	}
}

// checkJSON fails the test unless body is JSON whose fields (dotted paths,
// as field reads them; a "<len>" suffix compares an array's length) print
// as want says.
func checkJSON(t *testing.T, path, body string, want map[string]string) {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(body), &v); err != nil {
		t.Fatalf("GET %s: not JSON: %v\n%s", path, err, body)
	}
	for name, w := range want {
		p, length := strings.CutSuffix(name, "<len>")
		got, ok := field(v, p)
		if !ok {
			t.Errorf("GET %s: no %s in\n%s", path, p, body)
			continue
		}
		s := fmt.Sprint(got)
		if length {
			a, _ := got.([]any)
			s = strconv.Itoa(len(a))
		}
		if s != w {
			t.Errorf("GET %s: %s = %s, want %s", path, name, s, w)
		}
	}
}
