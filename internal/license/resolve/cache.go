package resolve

import (
	"bufio"
	"bytes"
	"os"
	"path"
	"path/filepath"
	"strings"

	"golang.org/x/mod/module"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/extract/licensefile"
	"github.com/ospo-project/ospo/internal/license"
)

// maxCacheFile caps every file read from a package cache.
const maxCacheFile = 1 << 20

// localCache looks the dependency up in the package caches on this machine.
func (r *Resolver) localCache(d catalog.Dependency) string {
	if d.Version == "" || d.Constraint {
		return ""
	}
	switch d.Ecosystem {
	case "Go":
		return r.goModCache(d.Name, d.Version)
	case "npm":
		return r.nodeModules(d)
	case "PyPI":
		return r.sitePackages(d.Name, d.Version)
	case "Maven":
		group, artifact, ok := strings.Cut(d.Name, ":")
		if !ok || r.opts.M2 == "" {
			return ""
		}
		pom := filepath.Join(r.opts.M2, filepath.FromSlash(strings.ReplaceAll(group, ".", "/")), artifact, d.Version, artifact+"-"+d.Version+".pom")
		return metadataFile(pom)
	case "crates.io":
		if r.opts.Cargo == "" {
			return ""
		}
		dirs, _ := filepath.Glob(filepath.Join(r.opts.Cargo, "src", "*", d.Name+"-"+d.Version, "Cargo.toml"))
		for _, f := range dirs {
			if x := metadataFile(f); x != "" {
				return x
			}
		}
	}
	return ""
}

// readCapped reads a regular file of at most maxCacheFile bytes.
func readCapped(p string) ([]byte, bool) {
	fi, err := os.Lstat(p)
	if err != nil || !fi.Mode().IsRegular() || fi.Size() > maxCacheFile {
		return nil, false
	}
	b, err := os.ReadFile(p)
	return b, err == nil
}

func metadataFile(p string) string {
	b, ok := readCapped(p)
	if !ok {
		return ""
	}
	x, _ := licensefile.Metadata(filepath.Base(p), b)
	return x
}

// goModCache reads the licence files at the root of the module's
// extracted directory in the module cache. A module version's directory
// never changes once extracted, so the answer is kept for the run: an
// estate's projects share most of their modules.
func (r *Resolver) goModCache(mod, version string) string {
	if r.opts.GoModCache == "" {
		return ""
	}
	ep, err1 := module.EscapePath(mod)
	ev, err2 := module.EscapeVersion(version)
	if err1 != nil || err2 != nil {
		return ""
	}
	dir := filepath.Join(r.opts.GoModCache, filepath.FromSlash(ep)+"@"+ev)
	r.mu.Lock()
	x, ok := r.goMods[dir]
	r.mu.Unlock()
	if ok {
		return x
	}
	x = licenseDir(dir)
	r.mu.Lock()
	r.goMods[dir] = x
	r.mu.Unlock()
	return x
}

// licenseDir classifies the licence files at the root of dir.
func licenseDir(dir string) string {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return ""
	}
	var exprs []string
	for _, e := range entries {
		if e.IsDir() || !licensefile.IsLicenseFile(e.Name()) {
			continue
		}
		b, ok := readCapped(filepath.Join(dir, e.Name()))
		if !ok {
			continue
		}
		ev, ok := licensefile.Classify(b)
		if !ok {
			return "" // a licence file we cannot read fully: unknown, not half an answer
		}
		exprs = append(exprs, ev.License)
	}
	return license.And(exprs...)
}

// nodeModules reads node_modules/NAME/package.json next to the manifest, if
// its version is the one the lockfile resolved.
func (r *Resolver) nodeModules(d catalog.Dependency) string {
	if r.opts.ProjectDir == "" {
		return ""
	}
	dir := filepath.Join(r.opts.ProjectDir, filepath.FromSlash(path.Dir(d.Manifest)), "node_modules", filepath.FromSlash(d.Name))
	b, ok := readCapped(filepath.Join(dir, "package.json"))
	if !ok || !bytes.Contains(b, []byte(`"`+d.Version+`"`)) {
		return ""
	}
	x, _ := licensefile.Metadata("package.json", b)
	if x == "" {
		x = licenseDir(dir)
	}
	return x
}

// sitePackages reads NAME-VERSION.dist-info/METADATA in the project's
// virtual environments (.venv, venv).
func (r *Resolver) sitePackages(name, version string) string {
	if r.opts.ProjectDir == "" {
		return ""
	}
	if r.venvs == nil {
		// The environments are listed once per project, not once per
		// dependency: by lower-cased directory name, in the order looked.
		r.venvs = map[string][]string{}
		for _, venv := range []string{".venv", "venv"} {
			matches, _ := filepath.Glob(filepath.Join(r.opts.ProjectDir, venv, "lib", "python*", "site-packages", "*.dist-info", "METADATA"))
			for _, m := range matches {
				base := strings.ToLower(filepath.Base(filepath.Dir(m)))
				r.venvs[base] = append(r.venvs[base], m)
			}
		}
	}
	norm := strings.NewReplacer("-", "_", ".", "_").Replace(strings.ToLower(name))
	for _, m := range r.venvs[norm+"-"+strings.ToLower(version)+".dist-info"] {
		if b, ok := readCapped(m); ok {
			return PythonMetadata(b)
		}
	}
	return ""
}

// PythonMetadata reads a wheel's METADATA (core metadata): the PEP 639
// License-Expression, else a License: field that is an SPDX expression,
// else a single "License :: OSI Approved :: …" classifier it recognises.
func PythonMetadata(b []byte) string {
	var lic string
	var classifiers []string
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(make([]byte, 64<<10), maxCacheFile)
	for sc.Scan() {
		line := sc.Text()
		if line == "" {
			break // the body (description) starts
		}
		k, v, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		v = strings.TrimSpace(v)
		switch strings.ToLower(k) {
		case "license-expression":
			if x := license.Normalize(v); x != "" {
				return x
			}
		case "license":
			lic = v
		case "classifier":
			if strings.HasPrefix(v, "License :: ") {
				classifiers = append(classifiers, v)
			}
		}
	}
	if x := license.Normalize(lic); x != "" {
		return x
	}
	return fromClassifiers(classifiers)
}

var classifierIDs = map[string]string{
	"License :: OSI Approved :: MIT License":                                     "MIT",
	"License :: OSI Approved :: Apache Software License":                         "Apache-2.0",
	"License :: OSI Approved :: BSD License":                                     "", // which BSD is not said
	"License :: OSI Approved :: ISC License (ISCL)":                              "ISC",
	"License :: OSI Approved :: Mozilla Public License 2.0 (MPL 2.0)":            "MPL-2.0",
	"License :: OSI Approved :: GNU General Public License v3 (GPLv3)":           "GPL-3.0-only",
	"License :: OSI Approved :: GNU General Public License v3 or later (GPLv3+)": "GPL-3.0-or-later",
	"License :: OSI Approved :: GNU General Public License v2 (GPLv2)":           "GPL-2.0-only",
	"License :: OSI Approved :: GNU Lesser General Public License v3 (LGPLv3)":   "LGPL-3.0-only",
	"License :: OSI Approved :: Python Software Foundation License":              "PSF-2.0",
	"License :: OSI Approved :: The Unlicense (Unlicense)":                       "Unlicense",
	"License :: CC0 1.0 Universal (CC0 1.0) Public Domain Dedication":            "CC0-1.0",
}

func fromClassifiers(cs []string) string {
	var ids []string
	for _, c := range cs {
		id, ok := classifierIDs[c]
		if !ok || id == "" {
			return ""
		}
		ids = append(ids, id)
	}
	return license.Or(ids...)
}
