package repometa

import (
	"bufio"
	"bytes"
	"strconv"
	"strings"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/repofs"
)

// secretNames are base names (lower case) of files that usually hold secrets.
var secretNames = map[string]bool{
	"id_rsa": true, "id_dsa": true, "id_ecdsa": true, "id_ed25519": true,
	".env": true, "credentials.json": true, "service-account.json": true,
	".npmrc": false, ".pgpass": true, ".netrc": true, "secrets.yml": true, "secrets.yaml": true,
}

// secretExts are extensions of key and keystore files.
var secretExts = map[string]bool{".pem": true, ".key": true, ".p12": true, ".pfx": true, ".jks": true, ".keystore": true, ".ppk": true}

// isSecretLike reports whether a lower-cased base name looks like a secret.
// Examples (.env.example, .env.sample, .env.template) are not.
func isSecretLike(base, ext string) bool {
	if secretNames[base] || secretExts[ext] {
		return true
	}
	if strings.HasPrefix(base, ".env.") {
		switch strings.TrimPrefix(base, ".env.") {
		case "example", "sample", "template", "dist", "defaults":
			return false
		}
		return true
	}
	return false
}

// binaryExts are extensions of compiled artifacts, as OpenSSF Scorecard's
// Binary-Artifacts check lists them.
var binaryExts = map[string]bool{
	".exe": true, ".dll": true, ".so": true, ".dylib": true, ".a": true, ".o": true, ".obj": true,
	".jar": true, ".war": true, ".ear": true, ".class": true, ".pyc": true, ".pyo": true, ".pyd": true,
	".elf": true, ".lib": true, ".bin": true, ".com": true, ".msi": true, ".apk": true, ".deb": true, ".rpm": true,
	".whl": true, ".wasm": true, ".crx": true, ".dex": true, ".dey": true, ".iso": true, ".bundle": true,
	".drv": true, ".efi": true, ".ocx": true, ".par": true, ".macho": true,
}

// readmeFacts records the README's size and whether it has install and
// usage sections (a heading naming them).
func readmeFacts(b []byte) []catalog.FileFact {
	out := []catalog.FileFact{{Kind: catalog.FileReadmeSize, Path: strconv.Itoa(len(b))}}
	seen := map[string]bool{}
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	prev := ""
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		heading := ""
		switch {
		case strings.HasPrefix(line, "#"), strings.HasPrefix(line, "="): // Markdown, AsciiDoc
			heading = strings.TrimLeft(line, "#= ")
		case len(line) > 2 && strings.Trim(line, "=-~^") == "" && prev != "": // reStructuredText, setext
			heading = prev
		}
		prev = line
		h := strings.ToLower(heading)
		for _, w := range []struct{ word, sec string }{
			{"install", "install"}, {"getting started", "install"}, {"quick start", "install"}, {"quickstart", "install"},
			{"setup", "install"}, {"usage", "usage"}, {"example", "usage"}, {"how to use", "usage"}, {"documentation", "usage"},
		} {
			if h != "" && strings.Contains(h, w.word) && !seen[w.sec] {
				seen[w.sec] = true
				out = append(out, catalog.FileFact{Kind: catalog.FileReadmeSection, Path: w.sec})
			}
		}
	}
	return out
}

// Caps on the manifests read for health probes.
const (
	maxManifests    = 200
	maxManifestSize = 256 << 10
)

// manifestDirs are path segments (lower case) under which YAML files are
// read as deployment manifests.
var manifestDirs = map[string]bool{"deploy": true, "deployment": true, "deployments": true, "k8s": true, "kubernetes": true,
	"helm": true, "charts": true, "chart": true, "manifests": true, "kustomize": true, "overlays": true, "base": false}

// healthProbes records a FileHealthProbe fact for the first deployment
// manifest that declares a liveness, readiness or startup probe. At most
// maxManifests files of at most maxManifestSize bytes are read; larger ones
// are skipped silently (they are not facts we must have).
func healthProbes(t repofs.Tree, files []repofs.File) []catalog.FileFact {
	read := 0
	for _, f := range files {
		if f.Symlink || f.Submodule || f.Size > maxManifestSize {
			continue
		}
		lp := strings.ToLower(f.Path)
		if !strings.HasSuffix(lp, ".yaml") && !strings.HasSuffix(lp, ".yml") || thirdParty(lp) {
			continue
		}
		in := false
		for _, seg := range strings.Split(lp, "/") {
			if manifestDirs[seg] {
				in = true
			}
		}
		if !in {
			continue
		}
		if read++; read > maxManifests {
			break
		}
		b, err := t.ReadFile(f.Path, maxManifestSize)
		if err != nil {
			continue
		}
		if bytes.Contains(b, []byte("livenessProbe:")) || bytes.Contains(b, []byte("readinessProbe:")) || bytes.Contains(b, []byte("startupProbe:")) {
			return []catalog.FileFact{{Kind: catalog.FileHealthProbe, Path: f.Path}}
		}
	}
	return nil
}
