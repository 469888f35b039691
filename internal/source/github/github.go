// Package github reads a GitHub or GitHub Enterprise Server organisation:
// its repositories (topics, visibility, archived, stars, forks, watchers,
// default branch, the licence GitHub detected, pushed_at), their issues and
// pull requests (labels such as "good first issue" and "help wanted",
// reviews, the first response by someone other than the author) and their
// releases, as facts beside the scanned projects.
//
// It spends as little of the API budget as it can. Every listing is a
// conditional request (If-None-Match with the ETag of the last sync), so an
// unchanged organisation costs one request per page of its repository list,
// answered 304 Not Modified (which GitHub does not count against the
// budget). Only the repositories on a page that changed are looked at
// further, and a pull request's reviews are fetched again only when it was
// updated. Rate limits are honoured: a Retry-After or a budget reset that
// comes soon is waited out, a later one fails the sync with GitHub's reason
// and the next sync resumes where this one stopped (each repository is saved
// as soon as it is read).
package github

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

	gh "github.com/google/go-github/v75/github"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/gitrepo"
	"github.com/ospo-project/ospo/internal/sourcesync"
)

// DefaultAPIURL is GitHub's API.
const DefaultAPIURL = "https://api.github.com/"

// Options tune a Source. The zero value is usable.
type Options struct {
	// APIURL is the API's base URL: DefaultAPIURL when empty;
	// https://HOST/api/v3/ for GitHub Enterprise Server.
	APIURL string
	// Token authenticates the requests; empty means anonymous.
	Token string
	// Client sends the requests; nil means a client with a 2-minute timeout.
	Client *http.Client
	// MaxWait is the longest rate-limit wait made; 0 means 1 minute.
	MaxWait time.Duration
	// MaxPages bounds the pages read of one repository's issues; 0 means
	// 10 (1,000 issues and pull requests, most recently updated first).
	MaxPages int
	// Now and Sleep replace the clock in tests.
	Now   func() time.Time
	Sleep func(context.Context, time.Duration) error
}

// Source is one GitHub organisation. It is not safe for concurrent syncs.
type Source struct {
	name, org string
	client    *gh.Client
	tr        *transport
	maxPages  int
	now       func() time.Time
}

var _ sourcesync.Source = (*Source)(nil)

// New returns the source named name that reads the organisation org.
func New(name, org string, opts Options) (*Source, error) {
	if org == "" {
		return nil, errors.New("github: an organisation is required")
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
	wrapped := *hc
	wrapped.Transport = tr
	client := gh.NewClient(&wrapped)
	if opts.Token != "" {
		client = client.WithAuthToken(opts.Token)
	}
	api := opts.APIURL
	if api == "" {
		api = DefaultAPIURL
	}
	u, err := url.Parse(api)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return nil, fmt.Errorf("github: api url %q is not an http(s) URL", api)
	}
	if !strings.HasSuffix(u.Path, "/") {
		u.Path += "/"
	}
	client.BaseURL = u
	s := &Source{name: name, org: org, client: client, tr: tr, maxPages: opts.MaxPages, now: tr.now}
	if s.maxPages <= 0 {
		s.maxPages = 10
	}
	return s, nil
}

// notModified reports whether err is GitHub's 304 Not Modified answer.
func notModified(err error) bool {
	var er *gh.ErrorResponse
	return errors.As(err, &er) && er.Response != nil && er.Response.StatusCode == http.StatusNotModified
}

// Sync implements sourcesync.Source.
func (s *Source) Sync(ctx context.Context, prev catalog.SourceState, sink sourcesync.Sink) (out sourcesync.Outcome, err error) {
	out.Cursor = map[string]string{}
	r0, nm0, _ := s.tr.counts()
	defer func() {
		r, nm, rate := s.tr.counts()
		out.Requests, out.NotModified, out.Rate = r-r0, nm-nm0, rate
	}()
	var stored []catalog.ForgeRepo
	stored, err = sink.ForgeRepos(ctx, s.name)
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

	listed := map[int64]bool{}
	changed := 0
	for page := 1; ; page++ {
		key := "repos:" + strconv.Itoa(page)
		repos, resp, err := s.client.Repositories.ListByOrg(withETag(ctx, prev.Cursor[key]), s.org,
			&gh.RepositoryListByOrgOptions{Type: "all", Sort: "full_name", ListOptions: gh.ListOptions{PerPage: 100, Page: page}})
		if notModified(err) {
			out.Cursor[key] = prev.Cursor[key]
			if prev.Cursor[key+":last"] != "" {
				out.Cursor[key+":last"] = "1"
				break
			}
			continue
		}
		if err != nil {
			return out, fmt.Errorf("list the repositories of %s (page %d): %w", s.org, page, err)
		}
		for _, r := range repos {
			fr := s.forgeRepo(r)
			listed[fr.ID] = true
			old, known := byID[fr.ID]
			pushed := !known || !old.PushedAt.Equal(fr.PushedAt) || old.CloneURL != fr.CloneURL
			if pushed {
				changed++
			}
			kinds, items, err := s.readItems(ctx, sink, prev.Cursor, out.Cursor, fr, old, known)
			if err != nil {
				return out, err
			}
			if err := sink.ReplaceForgeRepo(ctx, fr, kinds, items); err != nil {
				return out, err
			}
			byID[fr.ID] = fr
			repo := sourcesync.Repo{FullName: fr.FullName, CloneURL: fr.CloneURL, Changed: pushed}
			if known && old.FullName != fr.FullName {
				repo.Previous, repo.PreviousCloneURL = old.FullName, old.CloneURL
				repo.ProjectKey, repo.PreviousProjectKey = fr.ProjectKey, old.ProjectKey
			}
			out.Repos = append(out.Repos, repo)
		}
		if et := resp.Header.Get("ETag"); et != "" {
			out.Cursor[key] = et
		}
		if resp.NextPage == 0 {
			out.Cursor[key+":last"] = "1"
			break
		}
	}
	// Repositories on unchanged pages are as they were: still listed, for
	// their mirrors, and their items' cursors are kept, unless a webhook
	// asked for one to be read again.
	asked := map[int64]catalog.Refresh{}
	for _, r := range pending {
		asked[r.ID] = r
	}
	for _, r := range stored {
		if listed[r.ID] {
			continue
		}
		if req, ok := asked[r.ID]; ok {
			kinds, items, err := s.readItems(ctx, sink, prev.Cursor, out.Cursor, r, r, true)
			if err != nil {
				return out, err
			}
			r.SyncedAt = s.now().UTC()
			if err := sink.ReplaceForgeRepo(ctx, r, kinds, items); err != nil {
				return out, err
			}
			pushed := req.Event == "push"
			if pushed {
				changed++
			}
			out.Repos = append(out.Repos, sourcesync.Repo{FullName: r.FullName, CloneURL: r.CloneURL, Changed: pushed})
			continue
		}
		out.Repos = append(out.Repos, sourcesync.Repo{FullName: r.FullName, CloneURL: r.CloneURL})
		for _, k := range []string{"issues:", "releases:"} {
			if v := prev.Cursor[k+strconv.FormatInt(r.ID, 10)]; v != "" {
				out.Cursor[k+strconv.FormatInt(r.ID, 10)] = v
			}
		}
	}
	if err := sink.DoneRefreshes(ctx, s.name, started); err != nil {
		return out, err
	}
	slices.SortFunc(out.Repos, func(a, b sourcesync.Repo) int { return strings.Compare(a.FullName, b.FullName) })
	out.Summary = fmt.Sprintf("%d repositories, %d pushed since the last sync", len(out.Repos), changed)
	return out, nil
}

// forgeRepo turns GitHub's repository into a catalogue fact.
func (s *Source) forgeRepo(r *gh.Repository) catalog.ForgeRepo {
	fr := catalog.ForgeRepo{
		Source: s.name, ID: r.GetID(), FullName: r.GetFullName(), URL: r.GetHTMLURL(), CloneURL: r.GetCloneURL(),
		Description: r.GetDescription(), Topics: r.Topics, Visibility: r.GetVisibility(), Archived: r.GetArchived(),
		Fork: r.GetFork(), Stars: r.GetStargazersCount(), Forks: r.GetForksCount(),
		Watchers: r.GetWatchersCount(), OpenIssues: r.GetOpenIssuesCount(), DefaultBranch: r.GetDefaultBranch(),
		PushedAt: r.GetPushedAt().Time.UTC(), UpdatedAt: r.GetUpdatedAt().Time.UTC(), SyncedAt: s.now().UTC(),
	}
	if fr.Visibility == "" {
		fr.Visibility = "public"
		if r.GetPrivate() {
			fr.Visibility = "private"
		}
	}
	if l := r.GetLicense(); l != nil {
		fr.License = l.GetSPDXID()
	}
	fr.ProjectKey = gitrepo.NormaliseRemote(fr.CloneURL)
	return fr
}
