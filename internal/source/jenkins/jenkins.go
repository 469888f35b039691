// Package jenkins reads the builds of a Jenkins controller's jobs (folders
// included): result, duration, start, the git revision built and the git
// remote, which links a job to the catalogue project of that repository.
//
// It is a small typed client over net/http and Jenkins' JSON API
// (/api/json?tree=…); gojenkins is not served by our module proxy and is
// poorly kept. Only GETs are sent, so no CSRF crumb is needed. The job list
// carries each job's last build number: a job whose last build has not
// moved since the previous sync costs nothing more, and of a job that
// moved only the builds newer than the last one read (at most MaxBuilds)
// are fetched.
package jenkins

import (
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
	// URL is the controller's base URL, e.g. https://ci.acme.com/jenkins.
	URL string
	// User and Token authenticate (HTTP basic, the user's API token);
	// empty means anonymous.
	User, Token string
	// Jobs links job full names ("folder/name") to catalogue project keys,
	// for jobs whose builds do not say which git remote they built.
	Jobs map[string]string
	// Client sends the requests; nil means a client with a 2-minute timeout.
	Client *http.Client
	// MaxBuilds is the most builds read of one job per sync; 0 means 20.
	MaxBuilds int
}

// Source is one Jenkins controller.
type Source struct {
	name     string
	base     *url.URL
	opts     Options
	requests int
}

var _ sourcesync.Source = (*Source)(nil)

// New returns the source named name.
func New(name string, opts Options) (*Source, error) {
	u, err := sourcesync.BaseURL("jenkins", opts.URL)
	if err != nil {
		return nil, err
	}
	opts.Client = sourcesync.Client(opts.Client)
	if opts.MaxBuilds <= 0 {
		opts.MaxBuilds = 20
	}
	return &Source{name: name, base: u, opts: opts}, nil
}

// job is a job (or folder) of a listing.
type job struct {
	Class     string `json:"_class"`
	Name      string `json:"name"`
	URL       string `json:"url"`
	Color     string `json:"color"`
	LastBuild *struct {
		Number int64 `json:"number"`
	} `json:"lastBuild"`
	Jobs []job `json:"jobs"`
}

// listTree asks for three levels of folders with each job's last build.
const listTree = "jobs[_class,name,url,color,lastBuild[number],jobs[_class,name,url,color,lastBuild[number],jobs[_class,name,url,color,lastBuild[number]]]]"

// Sync implements sourcesync.Source. The cursor keeps each job's last
// build number read ("job:FULLNAME").
func (s *Source) Sync(ctx context.Context, prev catalog.SourceState, sink sourcesync.Sink) (out sourcesync.Outcome, err error) {
	out.Cursor = map[string]string{}
	for k, v := range prev.Cursor {
		out.Cursor[k] = v
	}
	r0 := s.requests
	defer func() { out.Requests = s.requests - r0 }()
	var root struct {
		Jobs []job `json:"jobs"`
	}
	if err := s.get(ctx, s.base.String()+"/api/json?tree="+url.QueryEscape(listTree), &root); err != nil {
		return out, fmt.Errorf("list the jobs: %w", err)
	}
	type leaf struct {
		full string
		job  job
	}
	var jobs []leaf
	var walk func(prefix string, js []job)
	walk = func(prefix string, js []job) {
		for _, j := range js {
			full := prefix + j.Name
			if j.Color == "" && len(j.Jobs) > 0 || strings.Contains(j.Class, "Folder") {
				walk(full+"/", j.Jobs)
				continue
			}
			if j.Name != "" {
				jobs = append(jobs, leaf{full, j})
			}
		}
	}
	walk("", root.Jobs)
	slices.SortFunc(jobs, func(a, b leaf) int { return strings.Compare(a.full, b.full) })
	read, moved := 0, 0
	for _, l := range jobs {
		key := "job:" + l.full
		seen, _ := strconv.ParseInt(out.Cursor[key], 10, 64)
		if l.job.LastBuild != nil && l.job.LastBuild.Number <= seen {
			continue // nothing new
		}
		moved++
		n, last, err := s.syncJob(ctx, l.full, l.job, seen, sink)
		read += n
		if err != nil {
			return out, err
		}
		if last > seen {
			out.Cursor[key] = strconv.FormatInt(last, 10)
		}
	}
	out.Summary = fmt.Sprintf("%d jobs, %d with new builds, %d builds read", len(jobs), moved, read)
	return out, nil
}

// syncJob reads the builds of one job newer than seen (the newest
// MaxBuilds of them) and saves them; it returns how many it read and the
// highest number among them.
func (s *Source) syncJob(ctx context.Context, full string, j job, seen int64, sink sourcesync.Sink) (int, int64, error) {
	jobURL := s.jobURL(full, j.URL)
	var info struct {
		Builds []struct {
			Number int64  `json:"number"`
			URL    string `json:"url"`
		} `json:"builds"`
	}
	if err := s.get(ctx, jobURL+"api/json?tree="+url.QueryEscape("builds[number,url]"), &info); err != nil {
		return 0, 0, fmt.Errorf("read job %s: %w", full, err)
	}
	var todo []int64
	for _, b := range info.Builds {
		if b.Number > seen {
			todo = append(todo, b.Number)
		}
	}
	slices.Sort(todo)
	if len(todo) > s.opts.MaxBuilds {
		todo = todo[len(todo)-s.opts.MaxBuilds:]
	}
	var builds []catalog.Build
	var last int64
	for _, n := range todo {
		b, err := s.build(ctx, full, jobURL, n)
		if err != nil {
			return 0, 0, fmt.Errorf("read build %s #%d: %w", full, n, err)
		}
		if b.Building {
			// Not finished: read it again next sync.
			builds = append(builds, b)
			break
		}
		builds = append(builds, b)
		last = n
	}
	if err := sink.UpsertBuilds(ctx, s.name, builds); err != nil {
		return 0, 0, err
	}
	return len(builds), last, nil
}

// buildTree is what is read of a build: its outcome, the git plugin's
// BuildData (remote URLs and the revision built) and the change sets.
const buildTree = "number,result,building,duration,timestamp,url," +
	"actions[remoteUrls,lastBuiltRevision[SHA1]],changeSets[items[commitId]]"

// build reads one build.
func (s *Source) build(ctx context.Context, full, jobURL string, n int64) (catalog.Build, error) {
	var raw struct {
		Result    string `json:"result"`
		Building  bool   `json:"building"`
		Duration  int64  `json:"duration"`
		Timestamp int64  `json:"timestamp"`
		URL       string `json:"url"`
		Actions   []struct {
			RemoteURLs        []string `json:"remoteUrls"`
			LastBuiltRevision *struct {
				SHA1 string `json:"SHA1"`
			} `json:"lastBuiltRevision"`
		} `json:"actions"`
		ChangeSets []struct {
			Items []struct {
				CommitID string `json:"commitId"`
			} `json:"items"`
		} `json:"changeSets"`
	}
	buildURL := jobURL + strconv.FormatInt(n, 10) + "/"
	if err := s.get(ctx, buildURL+"api/json?tree="+url.QueryEscape(buildTree), &raw); err != nil {
		return catalog.Build{}, err
	}
	b := catalog.Build{Source: s.name, Job: full, Number: n, Result: raw.Result, Building: raw.Building,
		Duration: time.Duration(raw.Duration) * time.Millisecond, URL: buildURL}
	if raw.Timestamp > 0 {
		b.Started = time.UnixMilli(raw.Timestamp).UTC()
	}
	for _, a := range raw.Actions {
		if a.LastBuiltRevision != nil && b.Revision == "" {
			b.Revision = a.LastBuiltRevision.SHA1
		}
		for _, r := range a.RemoteURLs {
			if k := gitrepo.NormaliseRemote(r); k != "" && b.ProjectKey == "" {
				b.ProjectKey = k
			}
		}
	}
	if b.Revision == "" {
		// Without BuildData the last change set's commit is the revision.
		for _, cs := range raw.ChangeSets {
			if len(cs.Items) > 0 {
				b.Revision = cs.Items[len(cs.Items)-1].CommitID
			}
		}
	}
	if b.ProjectKey == "" {
		b.ProjectKey = s.opts.Jobs[full]
	}
	return b, nil
}

// jobURL returns the URL of a job: the one Jenkins gave when it is under
// the configured base (same scheme and host), else one built from the full
// name, so a listing cannot send ospo's credentials elsewhere.
func (s *Source) jobURL(full, given string) string {
	if u, err := url.Parse(given); err == nil && u.Scheme == s.base.Scheme && u.Host == s.base.Host &&
		strings.HasPrefix(u.Path, s.base.Path+"/") {
		if !strings.HasSuffix(given, "/") {
			given += "/"
		}
		return given
	}
	var b strings.Builder
	b.WriteString(s.base.String())
	for _, part := range strings.Split(full, "/") {
		b.WriteString("/job/" + url.PathEscape(part))
	}
	return b.String() + "/"
}

// get sends an authenticated GET and decodes the JSON answer into v.
func (s *Source) get(ctx context.Context, u string, v any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Accept", "application/json")
	if s.opts.Token != "" {
		req.SetBasicAuth(s.opts.User, s.opts.Token)
	}
	s.requests++
	resp, err := s.opts.Client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return fmt.Errorf("read the answer: %w", err)
	}
	if resp.StatusCode/100 != 2 {
		msg := strings.TrimSpace(string(data))
		if len(msg) > 200 || strings.HasPrefix(msg, "<") {
			msg = "" // Jenkins' HTML error pages say nothing the status does not
		}
		return errors.New(strings.TrimSpace(resp.Status + " " + msg))
	}
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("the answer is not the JSON expected: %w", err)
	}
	return nil
}
