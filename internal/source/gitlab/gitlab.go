// Package gitlab reads a GitLab group (gitlab.com or a self-managed
// instance), its subgroups included: its projects (topics, visibility,
// archived, stars, forks, open issues, default branch, last activity), their
// merge requests with approvals, their issues (labels such as "good first
// issue" and "help wanted", the first response by someone other than the
// author) and their releases, as facts beside the scanned projects. It is
// the GitLab twin of the github source and writes the same facts.
//
// GitLab's REST API has no conditional requests for listings, so the source
// spends its budget differently: the group's project list is read in full
// (one request per 100 projects), and only the projects whose
// last_activity_at moved since the last sync (or that a webhook named) are
// read further, and then only what was updated since (updated_after). An
// unchanged group therefore costs one request per page of its project list
// and no git traffic. Rate limits are honoured: a 429's Retry-After, or an
// exhausted budget (RateLimit-Remaining: 0) whose RateLimit-Reset comes
// soon, is waited out; a longer one fails the sync with GitLab's reason and
// the next sync resumes (each project is saved as soon as it is read).
package gitlab

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/gitrepo"
	"github.com/ospo-project/ospo/internal/license"
	"github.com/ospo-project/ospo/internal/sourcesync"
)

// DefaultAPIURL is gitlab.com's API.
const DefaultAPIURL = "https://gitlab.com/api/v4/"

// Options tune a Source. The zero value is usable.
type Options struct {
	// APIURL is the API's base URL: DefaultAPIURL when empty;
	// https://HOST/api/v4/ for a self-managed instance.
	APIURL string
	// Token authenticates the requests (a personal, group or project
	// access token, sent as PRIVATE-TOKEN); empty means anonymous.
	Token string
	// Client sends the requests; nil means a client with a 2-minute timeout.
	Client *http.Client
	// MaxWait is the longest rate-limit wait made; 0 means 1 minute.
	MaxWait time.Duration
	// MaxPages bounds the pages read of one project's merge requests and
	// issues; 0 means 10 (1,000 of each, most recently updated first).
	MaxPages int
	// Now and Sleep replace the clock in tests.
	Now   func() time.Time
	Sleep func(context.Context, time.Duration) error
}

// Source is one GitLab group. It is not safe for concurrent syncs.
type Source struct {
	name, group string
	client      *apiClient
	tr          *transport
	maxPages    int
	now         func() time.Time
}

var _ sourcesync.Source = (*Source)(nil)

// New returns the source named name that reads the group (its ID or full
// path, e.g. "acme/platform") and its subgroups.
func New(name, group string, opts Options) (*Source, error) {
	if group == "" {
		return nil, errors.New("gitlab: a group is required")
	}
	hc := opts.Client
	if hc == nil {
		hc = &http.Client{Timeout: 2 * time.Minute}
	}
	base := hc.Transport
	if base == nil {
		base = http.DefaultTransport
	}
	tr := &transport{base: base, maxWait: opts.MaxWait, now: opts.Now, sleep: opts.Sleep}
	if tr.maxWait == 0 {
		tr.maxWait = time.Minute
	}
	if tr.now == nil {
		tr.now = time.Now
	}
	if tr.sleep == nil {
		tr.sleep = sourcesync.Sleep
	}
	api := opts.APIURL
	if api == "" {
		api = DefaultAPIURL
	}
	u, err := url.Parse(api)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return nil, fmt.Errorf("gitlab: api url %q is not an http(s) URL", api)
	}
	if !strings.HasSuffix(u.Path, "/") {
		u.Path += "/"
		if u.RawPath != "" {
			u.RawPath += "/"
		}
	}
	wrapped := *hc
	wrapped.Transport = tr
	client := &apiClient{hc: &wrapped, base: u, token: opts.Token}
	s := &Source{name: name, group: group, client: client, tr: tr, maxPages: opts.MaxPages, now: tr.now}
	if s.maxPages <= 0 {
		s.maxPages = 10
	}
	return s, nil
}

// Sync implements sourcesync.Source. The cursor keeps, per project, when
// its items were last read ("items:ID"), so the next sync asks only for
// what was updated after.
func (s *Source) Sync(ctx context.Context, prev catalog.SourceState, sink sourcesync.Sink) (out sourcesync.Outcome, err error) {
	out.Cursor = map[string]string{}
	r0, _ := s.tr.counts()
	defer func() {
		r, rate := s.tr.counts()
		out.Requests, out.Rate = r-r0, rate
	}()
	stored, err := sink.ForgeRepos(ctx, s.name)
	if err != nil {
		return out, err
	}
	started := s.now()
	pending, err := sink.PendingRefreshes(ctx, s.name)
	if err != nil {
		return out, err
	}
	byID := make(map[int64]catalog.ForgeRepo, len(stored))
	for _, r := range stored {
		byID[r.ID] = r
	}
	asked := map[int64]catalog.Refresh{}
	for _, r := range pending {
		asked[r.ID] = r
	}

	changed := 0
	for page := 1; ; {
		var projects []*project
		next, err := s.client.get(ctx, "groups/"+url.PathEscape(s.group)+"/projects",
			pageQuery(page, "include_subgroups", "true", "order_by", "id", "sort", "asc"), &projects)
		if err != nil {
			return out, fmt.Errorf("list the projects of %s (page %d): %w", s.group, page, err)
		}
		for _, p := range projects {
			fr := s.forgeRepo(p)
			old, known := byID[fr.ID]
			req, refresh := asked[fr.ID]
			moved := !known || !old.PushedAt.Equal(fr.PushedAt) || old.CloneURL != fr.CloneURL
			pushed := moved || (refresh && req.Event == "push")
			if pushed {
				changed++
			}
			key := "items:" + strconv.FormatInt(fr.ID, 10)
			if !moved && !refresh && prev.Cursor[key] != "" {
				// Nothing happened: keep its items and their cursor.
				out.Cursor[key] = prev.Cursor[key]
				out.Repos = append(out.Repos, sourcesync.Repo{FullName: fr.FullName, CloneURL: fr.CloneURL})
				continue
			}
			var since time.Time
			if known {
				since, _ = time.Parse(time.RFC3339Nano, prev.Cursor[key])
			}
			readAt := s.now().UTC()
			kinds, items, err := s.readItems(ctx, sink, fr, old, known, since)
			if err != nil {
				return out, err
			}
			if err := sink.ReplaceForgeRepo(ctx, fr, kinds, items); err != nil {
				return out, err
			}
			// The next sync asks for what was updated after this read
			// began, less a minute for clocks that disagree.
			out.Cursor[key] = readAt.Add(-time.Minute).Format(time.RFC3339Nano)
			byID[fr.ID] = fr
			repo := sourcesync.Repo{FullName: fr.FullName, CloneURL: fr.CloneURL, Changed: pushed}
			if known && old.FullName != fr.FullName {
				repo.Previous, repo.PreviousCloneURL = old.FullName, old.CloneURL
				repo.ProjectKey, repo.PreviousProjectKey = fr.ProjectKey, old.ProjectKey
			}
			out.Repos = append(out.Repos, repo)
		}
		if next == 0 {
			break
		}
		page = next
	}
	if err := sink.DoneRefreshes(ctx, s.name, started); err != nil {
		return out, err
	}
	slices.SortFunc(out.Repos, func(a, b sourcesync.Repo) int { return strings.Compare(a.FullName, b.FullName) })
	out.Summary = fmt.Sprintf("%d projects, %d with activity since the last sync", len(out.Repos), changed)
	return out, nil
}

// forgeRepo turns GitLab's project into a catalogue fact. GitLab has no
// pushed_at; last_activity_at (moved by pushes, merge requests, issues and
// comments) stands in for it, so a project with any activity is fetched.
func (s *Source) forgeRepo(p *project) catalog.ForgeRepo {
	fr := catalog.ForgeRepo{
		Source: s.name, ID: p.ID, FullName: p.PathWithNamespace, URL: p.WebURL, CloneURL: p.HTTPURLToRepo,
		Description: p.Description, Topics: p.Topics, Visibility: p.Visibility, Archived: p.Archived,
		Fork: p.ForkedFromProject != nil, Stars: int(p.StarCount), Forks: int(p.ForksCount),
		OpenIssues: int(p.OpenIssuesCount), DefaultBranch: p.DefaultBranch, SyncedAt: s.now().UTC(),
	}
	if len(fr.Topics) == 0 {
		fr.Topics = p.TagList // older instances (before GitLab 14.0) send tag_list only
	}
	if p.LastActivityAt != nil {
		fr.PushedAt = p.LastActivityAt.UTC()
	}
	if p.UpdatedAt != nil {
		fr.UpdatedAt = p.UpdatedAt.UTC()
	} else {
		fr.UpdatedAt = fr.PushedAt
	}
	if p.License != nil && p.License.Key != "" {
		// GitLab names licences by licensee's keys ("mit", "apache-2.0").
		fr.License = license.Normalize(p.License.Key)
		if fr.License == "" {
			fr.License = "NOASSERTION"
		}
	}
	fr.ProjectKey = gitrepo.NormaliseRemote(fr.CloneURL)
	return fr
}
