package estate

import (
	"path/filepath"
	"strings"

	"github.com/ospo-project/ospo/internal/catalog"
)

// SetShowPaths says whether the hub shows where checkouts are on the
// server's disk: each project's absolute path, paths in its problems, the
// roots of the last scan. Off (the default), they are left out of every page
// and API answer, and search does not match them: a path tells a reader
// about the server's file system and user names, and nothing about a
// project that its name and origin URL do not. Call it before serving.
func (c *Catalog) SetShowPaths(show bool) { c.showPaths = show }

// redactPaths removes from p (which the caller owns) what says where it is
// on disk, unless paths are shown. A project without an origin URL keeps a
// key of the form "path:…/name".
func (c *Catalog) redactPaths(p *catalog.Project) {
	if c.showPaths || p == nil {
		return
	}
	paths := []string{p.Path}
	if real, ok := strings.CutPrefix(p.Key, "path:"); ok {
		paths = append(paths, real)
		p.Key = "path:…/" + filepath.Base(real)
	}
	for i := range p.Problems {
		pr := &p.Problems[i]
		if filepath.IsAbs(pr.Path) {
			pr.Message = strings.ReplaceAll(pr.Message, pr.Path, "another checkout")
			pr.Path = ""
		}
		for _, q := range paths {
			if q != "" && q != "/" {
				pr.Message = strings.ReplaceAll(pr.Message, q, "the checkout")
			}
		}
	}
	p.Path = ""
}

// redactScan removes the roots a scan was given, unless paths are shown.
func (c *Catalog) redactScan(run *catalog.ScanRun) {
	if c.showPaths || run == nil {
		return
	}
	run.Roots = nil
}
