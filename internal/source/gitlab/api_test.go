package gitlab

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/ospo-project/ospo/internal/catalog"
)

// TestNextPage reads the next page from GitLab's pagination headers: the
// Link header is the example of GitLab's REST API documentation
// (doc/api/rest/index.md, "Pagination Link header"), on page 2 of 3.
func TestNextPage(t *testing.T) {
	const link = `<https://gitlab.example.com/api/v4/projects/8/issues/8/notes?page=1&per_page=3>; rel="prev", ` +
		`<https://gitlab.example.com/api/v4/projects/8/issues/8/notes?page=3&per_page=3>; rel="next", ` +
		`<https://gitlab.example.com/api/v4/projects/8/issues/8/notes?page=1&per_page=3>; rel="first", ` +
		`<https://gitlab.example.com/api/v4/projects/8/issues/8/notes?page=3&per_page=3>; rel="last"`
	const lastLink = `<https://gitlab.example.com/api/v4/projects/8/issues/8/notes?page=2&per_page=3>; rel="prev", ` +
		`<https://gitlab.example.com/api/v4/projects/8/issues/8/notes?page=1&per_page=3>; rel="first", ` +
		`<https://gitlab.example.com/api/v4/projects/8/issues/8/notes?page=3&per_page=3>; rel="last"`
	for _, tc := range []struct {
		name   string
		header http.Header
		want   int
	}{
		{"X-Next-Page", http.Header{"X-Next-Page": {"3"}, "Link": {link}}, 3},
		{"last page: X-Next-Page empty", http.Header{"X-Next-Page": {""}, "Link": {link}}, 0},
		{"Link only", http.Header{"Link": {link}}, 3},
		{"Link only, last page", http.Header{"Link": {lastLink}}, 0},
		{"no headers", http.Header{}, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := http.Header{}
			for k, v := range tc.header {
				h[http.CanonicalHeaderKey(k)] = v
			}
			if got := nextPage(h); got != tc.want {
				t.Errorf("nextPage = %d, want %d", got, tc.want)
			}
		})
	}
}

// TestGet checks the request (the group's full path as one escaped
// segment, the token as PRIVATE-TOKEN) and that failures are errors of
// catalog's kinds with GitLab's message (documents as GitLab answers them:
// doc/api/rest/troubleshooting.md).
func TestGet(t *testing.T) {
	var gotPath, gotToken, gotQuery string
	status, body := http.StatusOK, `[]`
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gotPath, gotToken, gotQuery = r.URL.EscapedPath(), r.Header.Get("PRIVATE-TOKEN"), r.URL.RawQuery
		w.WriteHeader(status)
		w.Write([]byte(body))
	}))
	defer srv.Close()
	base, _ := url.Parse(srv.URL + "/api/v4/")
	c := &apiClient{hc: srv.Client(), base: base, token: "glpat-x"}
	var out []project
	if _, err := c.get(context.Background(), "groups/"+url.PathEscape("acme/platform")+"/projects", pageQuery(2), &out); err != nil {
		t.Fatal(err)
	}
	if gotPath != "/api/v4/groups/acme%2Fplatform/projects" || gotToken != "glpat-x" || gotQuery != "page=2&per_page=100" {
		t.Errorf("request %s?%s with token %q", gotPath, gotQuery, gotToken)
	}

	for _, tc := range []struct {
		status int
		body   string
		kind   error
		want   string
	}{
		{401, `{"message":"401 Unauthorized"}`, catalog.ErrUnauthenticated, "401 Unauthorized: 401 Unauthorized"},
		{403, `{"message":"403 Forbidden"}`, catalog.ErrForbidden, "403 Forbidden"},
		{404, `{"message":"404 Group Not Found"}`, catalog.ErrNotFound, "404 Not Found: 404 Group Not Found"},
		{429, "Retry later\n", catalog.ErrRateLimited, "429 Too Many Requests: Retry later"},
		{400, `{"message":{"name":["has already been taken"]}}`, nil, "400 Bad Request: name: has already been taken"},
		{400, `{"error":"scope does not have a valid value"}`, nil, "scope does not have a valid value"},
		{500, `{"message":"500 Internal Server Error"}`, nil, "GET /api/v4/groups/acme/platform/projects: 500"},
	} {
		status, body = tc.status, tc.body
		_, err := c.get(context.Background(), "groups/"+url.PathEscape("acme/platform")+"/projects", nil, &out)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%d: error %v, want one containing %q", tc.status, err, tc.want)
			continue
		}
		if tc.kind != nil && !errors.Is(err, tc.kind) {
			t.Errorf("%d: error %v is not %v", tc.status, err, tc.kind)
		}
		if tc.kind == nil && catalog.FaultOf(err) != catalog.Internal {
			t.Errorf("%d: error %v has a kind", tc.status, err)
		}
		if strings.Contains(err.Error(), "glpat-x") {
			t.Errorf("%d: error shows the token: %v", tc.status, err)
		}
	}
}
