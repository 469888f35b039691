package gitlab

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/ospo-project/ospo/internal/catalog"
)

// The source talks to GitLab's REST API (v4) directly: it reads six
// listings, and a client library registering GitLab's ~700 routes at
// start-up cost every ospo command about a millisecond and 0.25 MB.
// The types below hold the fields the source reads, named as in GitLab's
// API documentation (doc/api/*.md); the response examples GitLab publishes
// are the tests' fixtures (testdata/api, see SOURCE.md there).

// apiClient sends authenticated GETs to one GitLab API and decodes the
// answers.
type apiClient struct {
	hc    *http.Client
	base  *url.URL // ends with a slash
	token string
}

// get reads the JSON document at path (relative to the API's base, already
// escaped) with the query into out and returns the next page's number
// (0 on the last page). Pages are GitLab's X-Next-Page header, or the page
// of the Link header's rel="next" URL when X-Next-Page is absent
// (instances that omit it past 10,000 records). A failed request is an
// error naming the method, path and status, of catalog's kind for 401
// (ErrUnauthenticated), 403 (ErrForbidden), 404 (ErrNotFound) and 429
// (ErrRateLimited).
func (c *apiClient) get(ctx context.Context, path string, q url.Values, out any) (next int, err error) {
	u, err := url.Parse(c.base.String() + path)
	if err != nil {
		return 0, err
	}
	u.RawQuery = q.Encode()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return 0, err
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "ospo")
	if c.token != "" {
		req.Header.Set("PRIVATE-TOKEN", c.token)
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return 0, responseError(req, resp)
	}
	if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
		return 0, fmt.Errorf("GET %s: %w", req.URL.Path, err)
	}
	return nextPage(resp.Header), nil
}

// nextPage reads the next page's number from GitLab's pagination headers.
func nextPage(h http.Header) int {
	if v, ok := h["X-Next-Page"]; ok && len(v) > 0 {
		// Present and empty on the last page.
		if n, err := strconv.Atoi(strings.TrimSpace(v[0])); err == nil && n > 0 {
			return n
		}
		return 0
	}
	for _, link := range h.Values("Link") {
		for _, part := range strings.Split(link, ",") {
			target, params, ok := strings.Cut(part, ";")
			if !ok || !strings.Contains(strings.ReplaceAll(params, " ", ""), `rel="next"`) {
				continue
			}
			target = strings.Trim(strings.TrimSpace(target), "<>")
			if u, err := url.Parse(target); err == nil {
				if n, err := strconv.Atoi(u.Query().Get("page")); err == nil && n > 0 {
					return n
				}
			}
		}
	}
	return 0
}

// responseError describes a failed answer: "GET /api/v4/...: 404 Not Found:
// 404 Project Not Found", GitLab's message (its "message" or "error"
// member) last.
func responseError(req *http.Request, resp *http.Response) error {
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	msg := errorMessage(body)
	text := fmt.Sprintf("GET %s: %d %s", req.URL.Path, resp.StatusCode, http.StatusText(resp.StatusCode))
	if msg != "" {
		text += ": " + msg
	}
	var kind error
	switch resp.StatusCode {
	case http.StatusUnauthorized:
		kind = catalog.ErrUnauthenticated
	case http.StatusForbidden:
		kind = catalog.ErrForbidden
	case http.StatusNotFound:
		kind = catalog.ErrNotFound
	case http.StatusTooManyRequests:
		kind = catalog.ErrRateLimited
	}
	if kind == nil {
		return fmt.Errorf("%s", text)
	}
	return catalog.Kind(text, kind)
}

// errorMessage reads GitLab's error document ({"message": ...} or
// {"error": ...}; a message may be a string, a list or an object of
// field errors); a body that is not JSON is shown as it is, shortened.
func errorMessage(body []byte) string {
	s := strings.TrimSpace(string(body))
	if s == "" {
		return ""
	}
	var doc map[string]any
	if err := json.Unmarshal(body, &doc); err != nil {
		if len(s) > 200 {
			s = s[:200] + "..."
		}
		return s
	}
	for _, k := range []string{"message", "error"} {
		if v, ok := doc[k]; ok {
			return flatten(v)
		}
	}
	return flatten(doc)
}

func flatten(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case []any:
		parts := make([]string, len(v))
		for i, e := range v {
			parts[i] = flatten(e)
		}
		return strings.Join(parts, ", ")
	case map[string]any:
		parts := make([]string, 0, len(v))
		for k, e := range v {
			parts = append(parts, k+": "+flatten(e))
		}
		sort.Strings(parts)
		return strings.Join(parts, "; ")
	}
	return fmt.Sprint(v)
}

// pageQuery is the query of a listing's page: per_page=100 and the page.
func pageQuery(page int, kv ...string) url.Values {
	q := url.Values{"per_page": {"100"}, "page": {strconv.Itoa(page)}}
	for i := 0; i+1 < len(kv); i += 2 {
		q.Set(kv[i], kv[i+1])
	}
	return q
}

// user is GitLab's user summary (author, reviewer, approver).
type user struct {
	Username string `json:"username"`
}

// project is an element of GET /groups/:id/projects.
type project struct {
	ID                int64      `json:"id"`
	Description       string     `json:"description"`
	DefaultBranch     string     `json:"default_branch"`
	Visibility        string     `json:"visibility"`
	WebURL            string     `json:"web_url"`
	HTTPURLToRepo     string     `json:"http_url_to_repo"`
	PathWithNamespace string     `json:"path_with_namespace"`
	Topics            []string   `json:"topics"`
	TagList           []string   `json:"tag_list"` // before GitLab 14.0
	Archived          bool       `json:"archived"`
	ForkedFromProject *struct{}  `json:"forked_from_project"`
	StarCount         int64      `json:"star_count"`
	ForksCount        int64      `json:"forks_count"`
	OpenIssuesCount   int64      `json:"open_issues_count"`
	LastActivityAt    *time.Time `json:"last_activity_at"`
	UpdatedAt         *time.Time `json:"updated_at"`
	License           *struct {
		Key string `json:"key"`
	} `json:"license"`
}

// labels are an item's label names; GitLab sends names, or label objects
// when asked with_labels_details.
type labels []string

// UnmarshalJSON implements json.Unmarshaler.
func (l *labels) UnmarshalJSON(b []byte) error {
	var raw []json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	if raw == nil {
		*l = nil
		return nil
	}
	out := make(labels, 0, len(raw))
	for _, r := range raw {
		var name string
		if err := json.Unmarshal(r, &name); err != nil {
			var obj struct {
				Name string `json:"name"`
			}
			if err := json.Unmarshal(r, &obj); err != nil {
				return err
			}
			name = obj.Name
		}
		out = append(out, name)
	}
	*l = out
	return nil
}

// mergeRequest is an element of GET /projects/:id/merge_requests.
type mergeRequest struct {
	IID            int64      `json:"iid"`
	Title          string     `json:"title"`
	State          string     `json:"state"`
	WebURL         string     `json:"web_url"`
	Labels         labels     `json:"labels"`
	UserNotesCount int64      `json:"user_notes_count"`
	Author         *user      `json:"author"`
	Reviewers      []*user    `json:"reviewers"`
	CreatedAt      *time.Time `json:"created_at"`
	UpdatedAt      *time.Time `json:"updated_at"`
	ClosedAt       *time.Time `json:"closed_at"`
	MergedAt       *time.Time `json:"merged_at"`
}

// issue is an element of GET /projects/:id/issues.
type issue struct {
	IID            int64      `json:"iid"`
	Title          string     `json:"title"`
	State          string     `json:"state"`
	WebURL         string     `json:"web_url"`
	Labels         labels     `json:"labels"`
	UserNotesCount int64      `json:"user_notes_count"`
	Author         *user      `json:"author"`
	CreatedAt      *time.Time `json:"created_at"`
	UpdatedAt      *time.Time `json:"updated_at"`
	ClosedAt       *time.Time `json:"closed_at"`
}

// release is an element of GET /projects/:id/releases.
type release struct {
	Name            string     `json:"name"`
	TagName         string     `json:"tag_name"`
	UpcomingRelease bool       `json:"upcoming_release"`
	Author          user       `json:"author"`
	CreatedAt       *time.Time `json:"created_at"`
	ReleasedAt      *time.Time `json:"released_at"`
}

// note is an element of GET /projects/:id/{issues,merge_requests}/:iid/notes.
type note struct {
	System    bool       `json:"system"`
	Author    user       `json:"author"`
	CreatedAt *time.Time `json:"created_at"`
}

// approvals is GET /projects/:id/merge_requests/:iid/approvals.
type approvals struct {
	ApprovedBy []*struct {
		User       *user      `json:"user"`
		ApprovedAt *time.Time `json:"approved_at"`
	} `json:"approved_by"`
}
