// Package jira reads the issues of JIRA projects (JIRA Cloud, Server and
// Data Center) linked to catalogue projects: key, summary, type, status and
// its category, priority, assignee and reporter (with their e-mail where
// JIRA shows it, which links them to people), labels and dates.
//
// It is a small typed client over net/http: the Go JIRA libraries are not
// served by our module proxy and are poorly kept, and ospo needs one
// endpoint. JIRA Cloud is read with the enhanced search (POST
// /rest/api/3/search/jql, paged by nextPageToken); Server and Data Center
// with /rest/api/2/search (paged by startAt). Each sync asks only for the
// issues updated since the last one (JQL "updated >="), oldest first, and
// saves each page as it arrives, so an interrupted sync resumes where it
// stopped.
package jira

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/sourcesync"
)

// Flavours of JIRA.
const (
	Cloud  = "cloud"  // *.atlassian.net: REST v3, e-mail and API token
	Server = "server" // Server and Data Center: REST v2, personal access token
)

// Options tune a Source.
type Options struct {
	// URL is the JIRA site, e.g. https://acme.atlassian.net.
	URL string
	// Flavor is Cloud or Server; empty means Cloud for *.atlassian.net
	// and Server otherwise.
	Flavor string
	// User is the e-mail address the API token belongs to (Cloud: HTTP
	// basic authentication). Empty sends Token as a bearer token, as
	// Server and Data Center personal access tokens are sent.
	User  string
	Token string
	// Client sends the requests; nil means a client with a 2-minute timeout.
	Client *http.Client
	// PageSize is the issues asked for per page; 0 means 100.
	PageSize int
	// MaxPages bounds the pages read of one project per sync (the rest
	// come next sync); 0 means 100.
	MaxPages int
	// MaxWait is the longest rate-limit wait made; 0 means 1 minute.
	MaxWait time.Duration
	// Sleep replaces waiting in tests.
	Sleep func(context.Context, time.Duration) error
	// Annotated links JIRA project keys to catalogue projects as the
	// repositories' catalog-info.yaml name them (jira/project-key); they
	// are read besides the configured ones, and a key this JIRA does not
	// know is skipped rather than failing the sync.
	Annotated map[string][]string
}

// Source reads the issues of some JIRA projects.
type Source struct {
	name  string
	base  *url.URL
	opts  Options
	links map[string][]string // JIRA project key → catalogue project keys
	// annotatedOnly marks the keys only repositories' annotations name.
	annotatedOnly map[string]bool
	requests      int
}

var _ sourcesync.Source = (*Source)(nil)

var projectKey = func() func(string) bool {
	return func(k string) bool {
		if len(k) < 1 || len(k) > 255 || k[0] < 'A' || k[0] > 'Z' {
			return false
		}
		for _, r := range k {
			if (r < 'A' || r > 'Z') && (r < '0' || r > '9') && r != '_' {
				return false
			}
		}
		return true
	}
}()

// New returns the source named name that reads the JIRA projects that
// links names (JIRA project key → the catalogue project keys its issues
// belong to; an empty list reads the project without linking it).
func New(name string, links map[string][]string, opts Options) (*Source, error) {
	u, err := sourcesync.BaseURL("jira", opts.URL)
	if err != nil {
		return nil, err
	}
	if opts.Flavor == "" {
		opts.Flavor = Server
		if strings.HasSuffix(strings.ToLower(u.Hostname()), ".atlassian.net") {
			opts.Flavor = Cloud
		}
	}
	if opts.Flavor != Cloud && opts.Flavor != Server {
		return nil, fmt.Errorf("jira: flavor %q: want cloud or server", opts.Flavor)
	}
	for k := range links {
		if !projectKey(k) {
			return nil, fmt.Errorf("jira: %q is not a JIRA project key", k)
		}
	}
	merged := make(map[string][]string, len(links)+len(opts.Annotated))
	for k, ps := range links {
		merged[k] = slices.Clone(ps)
	}
	annotatedOnly := map[string]bool{}
	for k, ps := range opts.Annotated {
		if !projectKey(k) {
			continue
		}
		if _, configured := links[k]; !configured {
			annotatedOnly[k] = true
		}
		for _, p := range ps {
			if !slices.Contains(merged[k], p) {
				merged[k] = append(merged[k], p)
			}
		}
	}
	links = merged
	if len(links) == 0 {
		return nil, errors.New("jira: no projects to read")
	}
	opts.Client = sourcesync.Client(opts.Client)
	if opts.PageSize <= 0 {
		opts.PageSize = 100
	}
	if opts.MaxPages <= 0 {
		opts.MaxPages = 100
	}
	if opts.MaxWait == 0 {
		opts.MaxWait = time.Minute
	}
	if opts.Sleep == nil {
		opts.Sleep = sourcesync.Sleep
	}
	return &Source{name: name, base: u, opts: opts, links: links, annotatedOnly: annotatedOnly}, nil
}

// fields are the issue fields asked for.
var fields = []string{"summary", "issuetype", "status", "priority", "assignee", "reporter", "labels",
	"created", "updated", "resolutiondate", "project"}

// Sync implements sourcesync.Source. The cursor keeps, per JIRA project,
// the latest update time read ("updated:KEY").
func (s *Source) Sync(ctx context.Context, prev catalog.SourceState, sink sourcesync.Sink) (out sourcesync.Outcome, err error) {
	out.Cursor = map[string]string{}
	r0 := s.requests
	defer func() { out.Requests = s.requests - r0 }()
	keys := make([]string, 0, len(s.links))
	var links []catalog.TrackerLink
	for k, projects := range s.links {
		keys = append(keys, k)
		for _, p := range projects {
			links = append(links, catalog.TrackerLink{Source: s.name, Project: k, ProjectKey: p})
		}
	}
	slices.Sort(keys)
	if err := sink.ReplaceTrackerLinks(ctx, s.name, links); err != nil {
		return out, err
	}
	// Keep the cursors of every project, so a failure half-way resumes.
	for k, v := range prev.Cursor {
		out.Cursor[k] = v
	}
	total, unknown := 0, 0
	for _, key := range keys {
		n, err := s.syncProject(ctx, key, out.Cursor, sink)
		total += n
		var se *statusError
		if err != nil && s.annotatedOnly[key] && errors.As(err, &se) && se.status == http.StatusBadRequest {
			// A key only a repository's annotation names, which this JIRA
			// does not know (JQL answers 400 for an unknown project):
			// another JIRA's, or a typo; not this source's failure.
			unknown++
			continue
		}
		if err != nil {
			return out, err
		}
	}
	out.Summary = fmt.Sprintf("%d issues updated in %d projects", total, len(keys)-unknown)
	if unknown > 0 {
		out.Summary += fmt.Sprintf(" (%d annotated projects unknown to this JIRA)", unknown)
	}
	return out, nil
}

// syncProject reads one project's issues updated since its cursor, oldest
// first, saving each page and moving the cursor after it.
func (s *Source) syncProject(ctx context.Context, key string, cursor map[string]string, sink sourcesync.Sink) (int, error) {
	ck := "updated:" + key
	jql := fmt.Sprintf("project = %q", key)
	if since, err := time.Parse(time.RFC3339, cursor[ck]); err == nil {
		// JQL compares dates in the JIRA user's time zone, to the
		// minute: a day's margin makes the window safe whatever the
		// zone, and re-reading a few issues costs nothing (upserts).
		jql += fmt.Sprintf(" AND updated >= %q", since.Add(-24*time.Hour).UTC().Format("2006/01/02 15:04"))
	}
	jql += " ORDER BY updated ASC, key ASC"
	n := 0
	page := pageState{}
	for i := 0; i < s.opts.MaxPages; i++ {
		res, err := s.search(ctx, jql, page)
		if err != nil {
			return n, fmt.Errorf("search the issues of %s: %w", key, err)
		}
		issues := make([]catalog.TrackerIssue, 0, len(res.Issues))
		latest, _ := time.Parse(time.RFC3339, cursor[ck])
		for _, ri := range res.Issues {
			is := s.issue(ri, key)
			issues = append(issues, is)
			if is.Updated.After(latest) {
				latest = is.Updated
			}
		}
		if err := sink.UpsertTrackerIssues(ctx, s.name, issues); err != nil {
			return n, err
		}
		n += len(issues)
		if !latest.IsZero() {
			cursor[ck] = latest.UTC().Format(time.RFC3339)
		}
		next, more := res.next(page, len(res.Issues))
		if !more {
			break
		}
		page = next
	}
	return n, nil
}

// pageState is where the next page starts: a token (Cloud) or an offset.
type pageState struct {
	token string
	start int
}

// searchResult is a page of either search API.
type searchResult struct {
	Issues []rawIssue `json:"issues"`
	// Cloud's enhanced search.
	NextPageToken string `json:"nextPageToken"`
	IsLast        *bool  `json:"isLast"`
	// Server's offset search.
	StartAt    int `json:"startAt"`
	MaxResults int `json:"maxResults"`
	Total      int `json:"total"`
}

// next says where the page after p starts, and whether there is one.
func (r searchResult) next(p pageState, got int) (pageState, bool) {
	if r.IsLast != nil || r.NextPageToken != "" { // the enhanced search
		if r.NextPageToken == "" || (r.IsLast != nil && *r.IsLast) {
			return p, false
		}
		return pageState{token: r.NextPageToken}, true
	}
	if got == 0 || r.StartAt+got >= r.Total {
		return p, false
	}
	return pageState{start: r.StartAt + got}, true
}

// search asks for one page of issues.
func (s *Source) search(ctx context.Context, jql string, p pageState) (searchResult, error) {
	var req *http.Request
	var err error
	if s.opts.Flavor == Cloud {
		body := map[string]any{"jql": jql, "fields": fields, "maxResults": s.opts.PageSize}
		if p.token != "" {
			body["nextPageToken"] = p.token
		}
		b, _ := json.Marshal(body)
		req, err = http.NewRequestWithContext(ctx, http.MethodPost, s.endpoint("/rest/api/3/search/jql"), bytes.NewReader(b))
		if err == nil {
			req.Header.Set("Content-Type", "application/json")
		}
	} else {
		q := url.Values{"jql": {jql}, "fields": {strings.Join(fields, ",")},
			"startAt": {strconv.Itoa(p.start)}, "maxResults": {strconv.Itoa(s.opts.PageSize)}}
		req, err = http.NewRequestWithContext(ctx, http.MethodGet, s.endpoint("/rest/api/2/search")+"?"+q.Encode(), nil)
	}
	if err != nil {
		return searchResult{}, err
	}
	var res searchResult
	if err := s.do(req, &res); err != nil {
		return res, err
	}
	return res, nil
}

func (s *Source) endpoint(path string) string {
	u := *s.base
	u.Path += path
	return u.String()
}

// do sends req (again after a short rate-limit wait) and decodes the JSON
// answer into v. Errors carry JIRA's messages, never the credentials.
func (s *Source) do(req *http.Request, v any) error {
	req.Header.Set("Accept", "application/json")
	switch {
	case s.opts.Token != "" && s.opts.User != "":
		req.SetBasicAuth(s.opts.User, s.opts.Token)
	case s.opts.Token != "":
		req.Header.Set("Authorization", "Bearer "+s.opts.Token)
	}
	var body []byte
	if req.GetBody != nil {
		rc, _ := req.GetBody()
		body, _ = io.ReadAll(rc)
	}
	for attempt := 1; ; attempt++ {
		if body != nil {
			req.Body = io.NopCloser(bytes.NewReader(body))
		}
		s.requests++
		resp, err := s.opts.Client.Do(req)
		if err != nil {
			return err
		}
		data, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
		resp.Body.Close()
		if err != nil {
			return fmt.Errorf("read the answer: %w", err)
		}
		if resp.StatusCode == http.StatusTooManyRequests && attempt < 3 {
			wait := time.Minute
			if n, err := strconv.Atoi(resp.Header.Get("Retry-After")); err == nil && n >= 0 {
				wait = time.Duration(n) * time.Second
			}
			if wait <= s.opts.MaxWait {
				if err := s.opts.Sleep(req.Context(), wait); err != nil {
					return err
				}
				continue
			}
		}
		if resp.StatusCode/100 != 2 {
			return &statusError{resp.StatusCode, fmt.Sprintf("%s: %s", resp.Status, messages(data))}
		}
		if err := json.Unmarshal(data, v); err != nil {
			return fmt.Errorf("the answer is not the JSON expected: %w", err)
		}
		return nil
	}
}

// statusError is an answer other than 2xx.
type statusError struct {
	status int
	msg    string
}

func (e *statusError) Error() string { return e.msg }

// messages returns JIRA's error messages from an error answer, or the
// start of the body when it is not JIRA's error document.
func messages(data []byte) string {
	var e struct {
		ErrorMessages []string          `json:"errorMessages"`
		Errors        map[string]string `json:"errors"`
	}
	if json.Unmarshal(data, &e) == nil && (len(e.ErrorMessages) > 0 || len(e.Errors) > 0) {
		msgs := e.ErrorMessages
		for k, v := range e.Errors {
			msgs = append(msgs, k+": "+v)
		}
		slices.Sort(msgs[len(e.ErrorMessages):])
		return strings.Join(msgs, "; ")
	}
	s := strings.TrimSpace(string(data))
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return s
}

// rawIssue is an issue as either search API returns it.
type rawIssue struct {
	ID     string `json:"id"`
	Key    string `json:"key"`
	Fields struct {
		Summary   string `json:"summary"`
		IssueType *named `json:"issuetype"`
		Status    *struct {
			Name           string `json:"name"`
			StatusCategory *struct {
				Key string `json:"key"`
			} `json:"statusCategory"`
		} `json:"status"`
		Priority       *named                `json:"priority"`
		Assignee       *user                 `json:"assignee"`
		Reporter       *user                 `json:"reporter"`
		Labels         []string              `json:"labels"`
		Created        jiraTime              `json:"created"`
		Updated        jiraTime              `json:"updated"`
		ResolutionDate jiraTime              `json:"resolutiondate"`
		Project        *struct{ Key string } `json:"project"`
	} `json:"fields"`
}

type named struct {
	Name string `json:"name"`
}

type user struct {
	DisplayName  string `json:"displayName"`
	EmailAddress string `json:"emailAddress"`
	Name         string `json:"name"`
}

func (u *user) display() (string, string) {
	if u == nil {
		return "", ""
	}
	name := u.DisplayName
	if name == "" {
		name = u.Name
	}
	return name, u.EmailAddress
}

// issue turns a search result into a catalogue fact; key is the project
// asked for (an issue moved to another project keeps its new key's prefix).
func (s *Source) issue(r rawIssue, key string) catalog.TrackerIssue {
	f := r.Fields
	is := catalog.TrackerIssue{Source: s.name, Key: r.Key, ID: r.ID, Project: key, Summary: f.Summary,
		Labels: f.Labels, Created: f.Created.Time, Updated: f.Updated.Time, Resolved: f.ResolutionDate.Time}
	if f.Project != nil && f.Project.Key != "" {
		is.Project = f.Project.Key
	}
	if f.IssueType != nil {
		is.Type = f.IssueType.Name
	}
	if f.Status != nil {
		is.Status = f.Status.Name
		if f.Status.StatusCategory != nil {
			is.StatusCategory = f.Status.StatusCategory.Key
		}
	}
	if f.Priority != nil {
		is.Priority = f.Priority.Name
	}
	is.Assignee, is.AssigneeEmail = f.Assignee.display()
	is.Reporter, is.ReporterEmail = f.Reporter.display()
	if r.Key != "" {
		is.URL = s.endpoint("/browse/" + url.PathEscape(r.Key))
	}
	return is
}

// jiraTime reads JIRA's timestamps ("2024-01-02T10:00:00.000+0000"), RFC
// 3339, a date alone, or milliseconds since the epoch as a number (which
// Atlassian's own examples show); anything else is left zero rather than
// failing the page.
type jiraTime struct{ time.Time }

func (t *jiraTime) UnmarshalJSON(b []byte) error {
	s := strings.Trim(string(b), `"`)
	if s == "" || s == "null" {
		return nil
	}
	for _, layout := range []string{"2006-01-02T15:04:05.000-0700", "2006-01-02T15:04:05-0700", time.RFC3339Nano, "2006-01-02"} {
		if v, err := time.Parse(layout, s); err == nil {
			t.Time = v.UTC()
			return nil
		}
	}
	if ms, err := strconv.ParseInt(s, 10, 64); err == nil && b[0] != '"' && ms > 0 {
		t.Time = time.UnixMilli(ms).UTC()
	}
	return nil
}
