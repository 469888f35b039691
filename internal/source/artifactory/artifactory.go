// Package artifactory reads what an Artifactory instance knows that no
// lockfile says: the package files the firm downloads through its remote
// (proxy) repositories and publishes to its local ones, with download
// counts and the last download, and the packages each recorded build run
// (build-info) depended on and published. These facts join the technology
// graph by package URL, so a package the firm downloads shows even when no
// scanned repository names it.
//
// It is a small typed client over net/http (jfrog-client-go is not served
// by our module proxy): GET /api/repositories, POST /api/search/aql, and
// GET /api/build[/{name}[/{number}]]. Syncs are incremental: AQL asks only
// for files updated or downloaded since the last sync, and only build runs
// started since the last one read are fetched.
package artifactory

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
	"github.com/ospo-project/ospo/internal/gitrepo"
	"github.com/ospo-project/ospo/internal/sourcesync"
)

// Options tune a Source.
type Options struct {
	// URL is the Artifactory base URL, e.g. https://acme.jfrog.io/artifactory.
	URL string
	// User and Token authenticate: HTTP basic with User, or the token as a
	// bearer access token when User is empty; both empty is anonymous.
	User, Token string
	// Repos restricts the sync to these repository keys; empty means every
	// local and remote repository.
	Repos []string
	// Builds links build names to catalogue project keys, for build-info
	// documents that record no VCS URL.
	Builds map[string]string
	// Client sends the requests; nil means a client with a 2-minute timeout.
	Client *http.Client
	// PageSize is how many files one AQL request asks for; 0 means 1,000.
	PageSize int
	// MaxRuns is the most runs of one build read per sync; 0 means 5.
	MaxRuns int
}

// Source is one Artifactory instance.
type Source struct {
	name     string
	base     *url.URL
	opts     Options
	requests int
}

var _ sourcesync.Source = (*Source)(nil)

// New returns the source named name.
func New(name string, opts Options) (*Source, error) {
	u, err := sourcesync.BaseURL("artifactory", opts.URL)
	if err != nil {
		return nil, err
	}
	opts.Client = sourcesync.Client(opts.Client)
	if opts.PageSize <= 0 {
		opts.PageSize = 1000
	}
	if opts.MaxRuns <= 0 {
		opts.MaxRuns = 5
	}
	return &Source{name: name, base: u, opts: opts}, nil
}

// repository is an entry of GET /api/repositories.
type repository struct {
	Key         string `json:"key"`
	Type        string `json:"type"`
	PackageType string `json:"packageType"`
}

// Sync implements sourcesync.Source. The cursor keeps, per repository,
// the newest update or download seen ("items:KEY") and, per build, the
// start of the newest run read ("build:NAME").
func (s *Source) Sync(ctx context.Context, prev catalog.SourceState, sink sourcesync.Sink) (out sourcesync.Outcome, err error) {
	out.Cursor = map[string]string{}
	for k, v := range prev.Cursor {
		out.Cursor[k] = v
	}
	r0 := s.requests
	defer func() { out.Requests = s.requests - r0 }()

	var repos []repository
	if err := s.do(ctx, http.MethodGet, "/api/repositories", nil, &repos); err != nil {
		return out, fmt.Errorf("list the repositories: %w", err)
	}
	files, pkgs, skipped := 0, 0, 0
	for _, r := range repos {
		typ := strings.ToUpper(r.Type)
		if typ != "LOCAL" && typ != "REMOTE" {
			continue // virtual repositories aggregate the others
		}
		if len(s.opts.Repos) > 0 && !slices.Contains(s.opts.Repos, r.Key) {
			continue
		}
		n, p, sk, newest, err := s.syncRepo(ctx, r, typ == "REMOTE", out.Cursor["items:"+r.Key], sink)
		files, pkgs, skipped = files+n, pkgs+p, skipped+sk
		if err != nil {
			return out, fmt.Errorf("repository %s: %w", r.Key, err)
		}
		if newest != "" {
			out.Cursor["items:"+r.Key] = newest
		}
	}
	runs, err := s.syncBuilds(ctx, out.Cursor, sink)
	if err != nil {
		return out, err
	}
	out.Summary = fmt.Sprintf("%d files read (%d package versions, %d not packages), %d build runs", files, pkgs, skipped, runs)
	return out, nil
}

// aqlItem is one row of an items.find answer. Size is a json.Number
// because Artifactory's own documentation shows it as a string.
type aqlItem struct {
	Repo    string      `json:"repo"`
	Path    string      `json:"path"`
	Name    string      `json:"name"`
	Type    string      `json:"type"`
	Size    json.Number `json:"size"`
	Created string      `json:"created"`
	Updated string      `json:"updated"`
	Stats   []struct {
		Downloaded   string `json:"downloaded"`
		DownloadedBy string `json:"downloaded_by"`
		Downloads    int64  `json:"downloads"`
	} `json:"stats"`
}

// syncRepo reads the files of one repository updated or downloaded after
// since (an AQL timestamp; empty means all), page by page, saving each
// page. It returns the files read, how many named a package version, how
// many did not, and the newest timestamp seen.
func (s *Source) syncRepo(ctx context.Context, r repository, remote bool, since string, sink sourcesync.Sink) (files, pkgs, skipped int, newest string, err error) {
	aqlRepo := r.Key
	if remote {
		aqlRepo += "-cache" // AQL sees a remote repository's files in its cache
	}
	crit := map[string]any{"repo": aqlRepo, "type": "file"}
	if since != "" {
		crit["$or"] = []any{
			map[string]any{"updated": map[string]string{"$gt": since}},
			map[string]any{"stat.downloaded": map[string]string{"$gt": since}},
		}
	}
	critJSON, err := json.Marshal(crit)
	if err != nil {
		return 0, 0, 0, "", err
	}
	newestT := parseTime(since)
	for offset := 0; ; offset += s.opts.PageSize {
		q := fmt.Sprintf(`items.find(%s).include("repo","path","name","type","size","created","updated","stat.downloads","stat.downloaded","stat.downloaded_by").sort({"$asc":["path","name"]}).offset(%d).limit(%d)`,
			critJSON, offset, s.opts.PageSize)
		var page struct {
			Results []aqlItem `json:"results"`
		}
		if err := s.do(ctx, http.MethodPost, "/api/search/aql", []byte(q), &page); err != nil {
			return files, pkgs, skipped, newest, fmt.Errorf("search (offset %d): %w", offset, err)
		}
		var arts []catalog.Artifact
		for _, it := range page.Results {
			files++
			a, ok := s.artifact(r, remote, it)
			for _, t := range []time.Time{parseTime(it.Updated), a.LastDownloaded} {
				if t.After(newestT) {
					newestT = t
				}
			}
			if !ok {
				skipped++
				continue
			}
			pkgs++
			arts = append(arts, a)
		}
		if err := sink.UpsertArtifacts(ctx, s.name, arts); err != nil {
			return files, pkgs, skipped, newest, err
		}
		if len(page.Results) < s.opts.PageSize {
			break
		}
	}
	if !newestT.IsZero() {
		newest = newestT.UTC().Format("2006-01-02T15:04:05.000Z")
	}
	return files, pkgs, skipped, newest, nil
}

// artifact turns an AQL row into an Artifact; false when its path names
// no package version (metadata, checksums, files of unknown layouts).
func (s *Source) artifact(r repository, remote bool, it aqlItem) (catalog.Artifact, bool) {
	dir := strings.Trim(it.Path, "/")
	if dir == "." {
		dir = ""
	}
	ref, ok := PackageOf(r.PackageType, dir, it.Name)
	if !ok {
		return catalog.Artifact{}, false
	}
	full := it.Name
	if dir != "" {
		full = dir + "/" + it.Name
	}
	size, _ := it.Size.Int64()
	a := catalog.Artifact{Source: s.name, Repo: r.Key, Path: full, Remote: remote, Ecosystem: ref.Ecosystem,
		Package: ref.Name, Version: ref.Version, PURL: ref.PURL, Size: size, Created: parseTime(it.Created)}
	for _, st := range it.Stats {
		a.Downloads += st.Downloads
		if t := parseTime(st.Downloaded); t.After(a.LastDownloaded) {
			a.LastDownloaded, a.LastDownloadedBy = t, st.DownloadedBy
		}
	}
	return a, true
}

// syncBuilds reads the runs of every build started since the last sync
// (at most MaxRuns per build, the newest) and saves their package uses.
func (s *Source) syncBuilds(ctx context.Context, cursor map[string]string, sink sourcesync.Sink) (int, error) {
	var all struct {
		Builds []struct {
			URI         string `json:"uri"`
			LastStarted string `json:"lastStarted"`
		} `json:"builds"`
	}
	if err := s.do(ctx, http.MethodGet, "/api/build", nil, &all); err != nil {
		var he *httpError
		if errors.As(err, &he) && he.status == http.StatusNotFound {
			return 0, nil // no build was ever published
		}
		return 0, fmt.Errorf("list the builds: %w", err)
	}
	read := 0
	for _, b := range all.Builds {
		name, err := url.PathUnescape(strings.TrimPrefix(b.URI, "/"))
		if err != nil || name == "" {
			continue
		}
		key := "build:" + name
		seen := parseTime(cursor[key])
		if last := parseTime(b.LastStarted); !last.IsZero() && !seen.IsZero() && !last.After(seen) {
			continue // no run since the last sync
		}
		var runs struct {
			BuildsNumbers []struct {
				URI     string `json:"uri"`
				Started string `json:"started"`
			} `json:"buildsNumbers"`
		}
		if err := s.do(ctx, http.MethodGet, "/api/build/"+url.PathEscape(name), nil, &runs); err != nil {
			return read, fmt.Errorf("list the runs of build %s: %w", name, err)
		}
		type run struct {
			number  string
			started time.Time
		}
		var todo []run
		for _, n := range runs.BuildsNumbers {
			num, err := url.PathUnescape(strings.TrimPrefix(n.URI, "/"))
			started := parseTime(n.Started)
			if err != nil || num == "" || (!seen.IsZero() && !started.After(seen)) {
				continue
			}
			todo = append(todo, run{num, started})
		}
		slices.SortFunc(todo, func(a, b run) int { return a.started.Compare(b.started) })
		if len(todo) > s.opts.MaxRuns {
			todo = todo[len(todo)-s.opts.MaxRuns:]
		}
		newest := seen
		for _, r := range todo {
			br, err := s.buildRun(ctx, name, r.number)
			if err != nil {
				return read, fmt.Errorf("read build %s #%s: %w", name, r.number, err)
			}
			if err := sink.ReplaceBuildRun(ctx, s.name, br); err != nil {
				return read, err
			}
			read++
			if r.started.After(newest) {
				newest = r.started
			}
		}
		if newest.After(seen) {
			cursor[key] = newest.UTC().Format(time.RFC3339Nano)
		}
	}
	return read, nil
}

// buildRun reads one run's build-info.
func (s *Source) buildRun(ctx context.Context, name, number string) (catalog.BuildRun, error) {
	var doc struct {
		BuildInfo BuildInfo `json:"buildInfo"`
	}
	if err := s.do(ctx, http.MethodGet, "/api/build/"+url.PathEscape(name)+"/"+url.PathEscape(number), nil, &doc); err != nil {
		return catalog.BuildRun{}, err
	}
	br := doc.BuildInfo.Run(s.name, name, number)
	if br.ProjectKey == "" {
		br.ProjectKey = s.opts.Builds[name]
	}
	return br, nil
}

// httpError is an answer other than 2xx.
type httpError struct {
	status int
	msg    string
}

func (e *httpError) Error() string { return e.msg }

// do sends an authenticated request to the API path p and decodes the
// JSON answer into v. A 429 or 503 with Retry-After is waited for once
// (at most a minute).
func (s *Source) do(ctx context.Context, method, p string, body []byte, v any) error {
	for attempt := 0; ; attempt++ {
		var rd io.Reader
		if body != nil {
			rd = bytes.NewReader(body)
		}
		req, err := http.NewRequestWithContext(ctx, method, s.base.String()+p, rd)
		if err != nil {
			return err
		}
		req.Header.Set("Accept", "application/json")
		if body != nil {
			req.Header.Set("Content-Type", "text/plain")
		}
		switch {
		case s.opts.User != "":
			req.SetBasicAuth(s.opts.User, s.opts.Token)
		case s.opts.Token != "":
			req.Header.Set("Authorization", "Bearer "+s.opts.Token)
		}
		s.requests++
		resp, err := s.opts.Client.Do(req)
		if err != nil {
			return err
		}
		data, err := io.ReadAll(io.LimitReader(resp.Body, 256<<20))
		resp.Body.Close()
		if err != nil {
			return fmt.Errorf("read the answer: %w", err)
		}
		if (resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable) && attempt == 0 {
			if secs, err := strconv.Atoi(resp.Header.Get("Retry-After")); err == nil && secs >= 0 && secs <= 60 {
				if err := sourcesync.Sleep(ctx, time.Duration(secs)*time.Second); err != nil {
					return err
				}
				continue
			}
		}
		if resp.StatusCode/100 != 2 {
			return &httpError{resp.StatusCode, strings.TrimSpace(resp.Status + " " + errorMessage(data))}
		}
		if err := json.Unmarshal(data, v); err != nil {
			return fmt.Errorf("the answer is not the JSON expected: %w", err)
		}
		return nil
	}
}

// errorMessage returns the message of Artifactory's error document
// ({"errors":[{"status":…,"message":…}]}), or "".
func errorMessage(data []byte) string {
	var doc struct {
		Errors []struct {
			Message string `json:"message"`
		} `json:"errors"`
	}
	if json.Unmarshal(data, &doc) != nil || len(doc.Errors) == 0 {
		return ""
	}
	msg := doc.Errors[0].Message
	if len(msg) > 200 {
		msg = msg[:200]
	}
	return msg
}

// parseTime reads the timestamps Artifactory writes (ISO 8601 with
// milliseconds, a zone as Z or ±hhmm); the zero time for anything else.
func parseTime(s string) time.Time {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.000-0700", "2006-01-02T15:04:05-0700"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC()
		}
	}
	return time.Time{}
}

// projectKeyOf returns the catalogue key of a VCS URL; "" if it is none.
func projectKeyOf(vcsURL string) string { return gitrepo.NormaliseRemote(vcsURL) }
