package estate

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/docset"
	"github.com/ospo-project/ospo/internal/gitrepo"
	"github.com/ospo-project/ospo/internal/markup"
	"github.com/ospo-project/ospo/internal/store"
)

// Markdown pages: the OSPO's resources (a configured git repository,
// served under /resources) and each project's docs/ folder (served under
// /projects/{id}/docs), both read from git at a commit by internal/docset,
// never from a work tree.

// ErrNoResources is returned by ResourcePages when no resources repository
// is configured. It is a catalog.ErrNotFound.
var ErrNoResources = catalog.Kind("no resources repository is configured", catalog.ErrNotFound)

// ErrNotFound is wrapped when a page or an image of a set does not exist.
// It is a catalog.ErrNotFound.
var ErrNotFound = catalog.Kind("not found", catalog.ErrNotFound)

// ResourceURL returns the hub address of the resource page named name.
func ResourceURL(name string) string { return "/resources/" + pathEscape(name) }

// ResourceFileURL returns the hub address of an image of the resources.
func ResourceFileURL(name string) string { return "/resources/_files/" + pathEscape(name) }

// ProjectDocURL returns the hub address of a page of a project's docs.
func ProjectDocURL(id int64, name string) string {
	return "/projects/" + strconv.FormatInt(id, 10) + "/docs/" + pathEscape(name)
}

// ProjectDocFileURL returns the hub address of an image of a project's docs.
func ProjectDocFileURL(id int64, name string) string {
	return "/projects/" + strconv.FormatInt(id, 10) + "/docs/_files/" + pathEscape(name)
}

// pathEscape escapes each element of a slash-separated path.
func pathEscape(p string) string {
	parts := strings.Split(p, "/")
	for i, s := range parts {
		parts[i] = url.PathEscape(s)
	}
	return strings.Join(parts, "/")
}

// resourcePages holds the set of the resources repository, read again
// when its HEAD moves.
type resourcePages struct {
	dir string

	mu   sync.Mutex
	set  *docset.Set
	head string
}

// SetResourcePages serves the Markdown pages of the git repository at dir
// (hub.resources of ospo.yaml) as the OSPO's resources; "" serves none.
// Call it before serving.
func (c *Catalog) SetResourcePages(dir string) {
	if dir == "" {
		c.resPages = nil
		return
	}
	c.resPages = &resourcePages{dir: dir}
}

// HasResourcePages reports whether a resources repository is configured.
func (c *Catalog) HasResourcePages() bool { return c.resPages != nil }

// ResourcePages returns the pages of the resources repository at its HEAD,
// read again when HEAD has moved since the last call. The error wraps
// ErrNoResources when none is configured.
func (c *Catalog) ResourcePages(ctx context.Context) (*docset.Set, error) {
	r := c.resPages
	if r == nil {
		return nil, ErrNoResources
	}
	repo, err := gitrepo.Open(r.dir)
	if err != nil {
		return nil, fmt.Errorf("resources: %w", err)
	}
	head, _, err := repo.Head(ctx)
	if err != nil {
		return nil, fmt.Errorf("resources: %w", err)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.set != nil && r.head == head {
		return r.set, nil
	}
	// The set outlives the request: its tree serves the images.
	set, err := docset.Load(context.WithoutCancel(ctx), r.dir, docset.Options{
		Commit:  head,
		PageURL: ResourceURL, FileURL: ResourceFileURL,
		WebURL:       commitFilesURL(repo.RemoteURL(ctx), head),
		HeadingShift: 1, // the page's title is its h1
	})
	if err != nil {
		return nil, fmt.Errorf("resources: %w", err)
	}
	if r.set != nil {
		r.set.Close()
	}
	r.set, r.head = set, head
	return set, nil
}

// commitFilesURL returns the web address of a repository's files at
// commit on its forge, from its remote URL; "" when the forge is unknown.
func commitFilesURL(remote, commit string) string {
	u := markup.RepoFilesURL(remote)
	if u == "" {
		return ""
	}
	return strings.Replace(u, "/HEAD/", "/"+commit+"/", 1)
}

// docsDir is the folder of a project's documentation.
const docsDir = "docs"

// maxDocSets is how many projects' documentation sets are kept read.
const maxDocSets = 32

// docSets caches the documentation sets of projects by checkout and commit.
type docSets struct {
	mu   sync.Mutex
	sets map[string]*docSetEntry
}

type docSetEntry struct {
	set  *docset.Set
	used time.Time
}

// checkout is where a project was scanned, at which commit.
type checkout struct{ path, commit string }

// ProjectDocs returns the Markdown pages of the docs/ folder of the
// project with ID id, at the commit last scanned (read from git, not the
// checkout's work tree or current HEAD), as of the estate snapshot. The
// error wraps store.ErrNotFound for an unknown project, ErrNotFound when
// it has no scanned commit or its checkout cannot be read any more.
func (c *Catalog) ProjectDocs(ctx context.Context, id string) (*docset.Set, error) {
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil || n <= 0 {
		return nil, store.ErrNotFound
	}
	e, err := c.Snapshot(ctx)
	if err != nil {
		return nil, err
	}
	co, ok := e.checkouts[n]
	if !ok {
		return nil, store.ErrNotFound
	}
	if co.commit == "" || co.path == "" {
		return nil, fmt.Errorf("documentation: %w", ErrNotFound)
	}
	key := co.path + "\x00" + co.commit
	c.docs.mu.Lock()
	defer c.docs.mu.Unlock()
	if e := c.docs.sets[key]; e != nil {
		e.used = c.now()
		return e.set, nil
	}
	remote := ""
	if repo, err := gitrepo.Open(co.path); err == nil {
		remote = repo.RemoteURL(ctx)
	}
	set, err := docset.Load(context.WithoutCancel(ctx), co.path, docset.Options{
		Commit: co.commit, Dir: docsDir,
		PageURL:      func(name string) string { return ProjectDocURL(n, name) },
		FileURL:      func(name string) string { return ProjectDocFileURL(n, name) },
		WebURL:       commitFilesURL(remote, co.commit),
		HeadingShift: 1,
	})
	if err != nil {
		// A checkout gone or moved since the scan, or a commit no longer
		// there: the page says there is nothing to show, the log why (the
		// error names paths on the server, not for the page).
		return nil, &docsError{project: id, err: err}
	}
	if c.docs.sets == nil {
		c.docs.sets = map[string]*docSetEntry{}
	}
	if len(c.docs.sets) >= maxDocSets {
		var oldest string
		for k, e := range c.docs.sets {
			if oldest == "" || e.used.Before(c.docs.sets[oldest].used) {
				oldest = k
			}
		}
		c.docs.sets[oldest].set.Close()
		delete(c.docs.sets, oldest)
	}
	c.docs.sets[key] = &docSetEntry{set: set, used: c.now()}
	return set, nil
}

// docsError is a project's documentation that could not be read: a
// catalog.ErrNotFound whose message names the project only, wrapping the
// cause for the log.
type docsError struct {
	project string
	err     error
}

func (e *docsError) Error() string {
	return "documentation of project " + e.project + " not readable: " + e.err.Error()
}

// Is makes a docsError an ErrNotFound.
func (e *docsError) Is(target error) bool {
	return target == ErrNotFound || target == catalog.ErrNotFound
}

// Unwrap returns the cause.
func (e *docsError) Unwrap() error { return e.err }
