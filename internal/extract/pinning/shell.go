// Portions of this file are derived from OpenSSF Scorecard
// (checks/raw/shell_download_validate.go), Copyright 2021 OpenSSF Scorecard
// Authors, licensed under the Apache License, Version 2.0.

package pinning

import (
	"bytes"
	"errors"
	"fmt"
	"net/url"
	"path"
	"slices"
	"strings"

	"mvdan.cc/sh/v3/syntax"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/lazyre"
)

// Interpreters, as Scorecard lists them.
var (
	// supportedShells are the shells whose scripts are parsed.
	supportedShells = []string{"sh", "bash", "mksh"}
	// shellNames adds shells that are recognised but not parsed.
	shellNames         = []string{"sh", "bash", "mksh", "dash", "ksh"}
	pythonInterpreters = []string{"python", "python3", "python2.7"}
	shellInterpreters  = append([]string{"exec", "su"}, shellNames...)
	otherInterpreters  = []string{"perl", "ruby", "php", "node", "nodejs", "java"}
	interpreters       = slices.Concat([]string{"dotnet", "nuget"}, otherInterpreters, shellInterpreters, shellNames, pythonInterpreters)
)

// downloadUtils fetch files; aws is handled apart (aws s3api get-object).
var downloadUtils = []string{"curl", "wget", "gsutil"}

var (
	gitCommitHashRegex = lazyre.New(`^[a-fA-F0-9]{40}$`)
	goHashRegex        = lazyre.New(`^[A-Fa-f0-9]{40,}$`)
	goSemverRegex      = lazyre.New(`^v\d+\.\d+\.\d+(-[0-9A-Za-z-.]+)?(\+[0-9A-Za-z-.]+)?$`)
	goRemotePkgRegex   = lazyre.New(`\w+\.\w+/\w+`)
	pipRemoteSource    = lazyre.New(`^(git|svn|hg|bzr).+$`)
	pipPinnedGitSource = lazyre.New(`^git(\+(https?|ssh|git))?\:\/\/.*(.git)?@[a-fA-F0-9]{40}(#egg=.*)?$`)
	flagRegex          = lazyre.New(`^(\-\-?\w+)+$`)
)

// Bounds on one script, beyond which it is skipped or the rest ignored.
const (
	// maxNesting is the deepest bracket nesting parsed: the shell parser
	// recurses once per level (an arithmetic level costs ~2 KiB of stack),
	// and Go cannot recover from a stack overflow.
	maxNesting = 1000
	// maxInline is how many levels of `bash -c "…"` are followed.
	maxInline = 4
	// maxTainted is how many downloaded files are remembered per scope.
	maxTainted = 256
)

// errTooDeep reports a script nested beyond maxNesting.
var errTooDeep = fmt.Errorf("nested more than %d levels deep", maxNesting)

// nesting returns the deepest bracket nesting of s: (, { and [ open, ), }
// and ] close, with no regard to quoting. It over-estimates what the
// parser will meet, never under-estimates it.
func nesting(s []byte) int {
	d, deepest := 0, 0
	for _, c := range s {
		switch c {
		case '(', '{', '[':
			d++
			if d > deepest {
				deepest = d
			}
		case ')', '}', ']':
			if d > 0 {
				d--
			}
		}
	}
	return deepest
}

// shellScan is the analysis of one scope (a job's run steps, a Dockerfile,
// a shell script): the files it downloaded, shared between its scripts.
type shellScan struct {
	x       *extraction
	path    string
	tainted map[string]bool
	printer *syntax.Printer
}

func (x *extraction) newShellScan(p string) *shellScan {
	return &shellScan{x: x, path: p, tainted: map[string]bool{}, printer: syntax.NewPrinter()}
}

// script analyses one shell script whose first line is line first of the
// file. A script that does not parse, or is nested too deeply, is skipped
// with an error.
func (s *shellScan) script(content []byte, first int) error {
	return s.parse(content, func(n int) int { return first + n - 1 }, 0)
}

// parse analyses content; lineOf maps a line of content (from 1) to the
// line of the file.
func (s *shellScan) parse(content []byte, lineOf func(int) int, inline int) error {
	if nesting(content) > maxNesting {
		return errTooDeep
	}
	// The parser rejects invalid UTF-8; a stray Latin-1 byte in a comment
	// must not hide the script's commands.
	content = bytes.ToValidUTF8(content, []byte("\uFFFD"))
	f, err := syntax.NewParser().Parse(bytes.NewReader(content), s.path)
	if err != nil {
		var pe syntax.ParseError
		if errors.As(err, &pe) {
			return fmt.Errorf("line %d: %s", lineOf(int(pe.Pos.Line())), pe.Text)
		}
		return err
	}
	syntax.Walk(f, func(node syntax.Node) bool {
		if node == nil { // the end of a node's children
			return true
		}
		if s.x.full() {
			return false
		}
		line := lineOf(1)
		if node.Pos().IsValid() {
			line = lineOf(int(node.Pos().Line()))
		}
		// interpreter -c "CMD": analyse CMD too. A CMD that does not
		// parse is left alone: the script around it did.
		if inline < maxInline {
			if i, c, ok := interpreterAndCommand(node); ok && isShellInterpreterOrCommand([]string{i}) {
				_ = s.parse([]byte(c), func(int) int { return line }, inline+1)
			}
		}
		s.fetchPipeExecute(node, line)       // curl … | bash
		s.executeFiles(node, line)           // curl … > f; bash f
		s.fetchProcSubstExecute(node, line)  // bash <(curl …)
		s.packageManagerDownload(node, line) // pip, npm, go, choco, nuget
		if fn, ok := fetchedFile(node); ok && len(s.tainted) < maxTainted {
			s.tainted[fileKey(fn)] = true
		}
		return true
	})
	return nil
}

// add records a finding about node.
func (s *shellScan) add(typ string, pinned bool, node syntax.Node, line int) {
	var buf bytes.Buffer
	_ = s.printer.Print(&buf, node) // unsupported node types print nothing
	s.x.add(catalog.PinnedDependency{Type: typ, Pinned: pinned, Path: s.path, Line: line, Snippet: buf.String()})
}

func isBinaryName(expected, name string) bool {
	return strings.EqualFold(path.Base(name), expected)
}

func isAnyBinary(names []string, name string) bool {
	for _, n := range names {
		if isBinaryName(n, name) {
			return true
		}
	}
	return false
}

// isDownloadUtility reports curl, wget, gsutil and aws s3api get-object.
func isDownloadUtility(cmd []string) bool {
	if len(cmd) == 0 {
		return false
	}
	if isAnyBinary(downloadUtils, cmd[0]) {
		return true
	}
	return isBinaryName("aws", cmd[0]) && len(cmd) >= 3 &&
		strings.EqualFold("s3api", cmd[1]) && strings.EqualFold("get-object", cmd[2])
}

// outputFile returns the file a download utility writes: wget -O FILE or
// the URL's base name, gsutil's destination, aws's last argument.
func outputFile(cmd []string) (string, bool) {
	if len(cmd) == 0 {
		return "", false
	}
	switch {
	case isBinaryName("wget", cmd[0]):
		for i := 1; i < len(cmd)-1; i++ {
			if strings.EqualFold(cmd[i], "-O") {
				return cmd[i+1], true
			}
		}
		for _, a := range cmd[1:] {
			if strings.HasPrefix(a, "http") {
				u, err := url.Parse(a)
				if err != nil {
					return "", false
				}
				return path.Base(u.Path), true
			}
		}
	case isBinaryName("gsutil", cmd[0]):
		for i := 1; i < len(cmd)-1; i++ {
			if !strings.HasPrefix(cmd[i], "gs://") {
				continue
			}
			fn := cmd[i+1]
			if path.Clean(path.Dir(fn)) == path.Clean(fn) { // a directory
				u, err := url.Parse(cmd[i])
				if err != nil {
					return "", false
				}
				return path.Join(path.Dir(fn), path.Base(u.Path)), true
			}
			return fn, true
		}
	case isBinaryName("aws", cmd[0]):
		if len(cmd) < 3 || !strings.EqualFold("s3api", cmd[1]) || !strings.EqualFold("get-object", cmd[2]) {
			return "", false
		}
		in, out := cmd[len(cmd)-2], cmd[len(cmd)-1]
		if path.Clean(path.Dir(out)) == path.Clean(out) {
			u, err := url.Parse(in)
			if err != nil {
				return "", false
			}
			return path.Join(path.Dir(out), path.Base(u.Path)), true
		}
		return out, true
	}
	return "", false
}

func isInterpreter(cmd []string) bool {
	return len(cmd) > 0 && isAnyBinary(interpreters, cmd[0])
}

func isShellInterpreterOrCommand(cmd []string) bool {
	if len(cmd) == 0 || isPythonCommand(cmd) {
		return false
	}
	return !isAnyBinary(otherInterpreters, cmd[0])
}

// command returns a call's words that are one literal or one quoted
// literal (quotes kept), without "sudo"; words built from expansions are
// left out.
func command(node syntax.Node) ([]string, bool) {
	c, ok := node.(*syntax.CallExpr)
	if !ok {
		return nil, false
	}
	var ret []string
	for _, w := range c.Args {
		if len(w.Parts) != 1 {
			continue
		}
		switch v := w.Parts[0].(type) {
		case *syntax.SglQuoted:
			ret = append(ret, "'"+v.Value+"'")
		case *syntax.DblQuoted:
			if len(v.Parts) == 1 {
				if lit, ok := v.Parts[0].(*syntax.Lit); ok {
					ret = append(ret, "\""+lit.Value+"\"")
				}
			}
		case *syntax.Lit:
			if !strings.EqualFold(v.Value, "sudo") {
				ret = append(ret, v.Value)
			}
		}
	}
	return ret, true
}

// hasUnpinnedURLs reports whether a download's URLs are not all
// raw.githubusercontent.com URLs at a commit (a download without a URL it
// can read counts as unpinned).
func hasUnpinnedURLs(cmd []string) bool {
	var urls, pinned int
	for _, s := range cmd {
		if len(s) >= 2 && (s[0] == '\'' || s[0] == '"') && s[len(s)-1] == s[0] {
			s = s[1 : len(s)-1]
		}
		u, err := url.ParseRequestURI(s)
		if err != nil {
			continue
		}
		urls++
		if u.Scheme == "https" && u.Host == "raw.githubusercontent.com" {
			if seg := strings.Split(u.Path, "/"); len(seg) > 4 && gitCommitHashRegex.MatchString(seg[3]) {
				pinned++
			}
		}
	}
	return pinned == 0 || urls != pinned
}

// fetchPipeExecute: download | interpreter.
func (s *shellScan) fetchPipeExecute(node syntax.Node, line int) {
	bc, ok := node.(*syntax.BinaryCmd)
	if !ok || bc.Op != syntax.Pipe || bc.X == nil || bc.Y == nil {
		return
	}
	left, ok := command(bc.X.Cmd)
	if !ok {
		return
	}
	right, ok := command(bc.Y.Cmd)
	if !ok {
		return
	}
	if isDownloadUtility(left) && isInterpreter(right) && hasUnpinnedURLs(left) {
		s.add(catalog.PinDownloadThenRun, false, node, line)
	}
}

// executeFiles: running a file downloaded earlier in the scope, as the
// command or as an interpreter's argument (one finding per such file).
func (s *shellScan) executeFiles(node syntax.Node, line int) {
	if len(s.tainted) == 0 {
		return
	}
	c, ok := command(node)
	if !ok || len(c) == 0 {
		return
	}
	matched := map[string]bool{}
	if s.tainted[fileKey(c[0])] {
		matched[fileKey(c[0])] = true
	}
	if isInterpreter(c) {
		for _, a := range c[1:] {
			if k := fileKey(a); s.tainted[k] {
				matched[k] = true
			}
		}
	}
	for range matched {
		s.add(catalog.PinDownloadThenRun, false, node, line)
	}
}

// fileKey is how a downloaded file is remembered and looked up: its path
// cleaned, compared case-insensitively (as Scorecard compares them).
func fileKey(p string) string { return strings.ToLower(path.Clean(p)) }

// fetchProcSubstExecute: interpreter <(download).
func (s *shellScan) fetchProcSubstExecute(node syntax.Node, line int) {
	ce, ok := node.(*syntax.CallExpr)
	if !ok {
		return
	}
	c, _ := command(ce)
	if !isInterpreter(c) || len(ce.Args) < 2 || len(ce.Args[1].Parts) != 1 {
		return
	}
	p, ok := ce.Args[1].Parts[0].(*syntax.ProcSubst)
	if !ok || p.Op != syntax.CmdIn || len(p.Stmts) == 0 {
		return
	}
	if c, ok := command(p.Stmts[0].Cmd); ok && isDownloadUtility(c) {
		s.add(catalog.PinDownloadThenRun, false, node, line)
	}
}

// fetchedFile returns the file a download statement writes, by redirection
// (> FILE) or by the utility's own options; pinned downloads are not
// recorded.
func fetchedFile(node syntax.Node) (string, bool) {
	st, ok := node.(*syntax.Stmt)
	if !ok {
		return "", false
	}
	cmd, ok := command(st.Cmd)
	if !ok || !isDownloadUtility(cmd) || !hasUnpinnedURLs(cmd) {
		return "", false
	}
	for _, r := range st.Redirs {
		if r.Op != syntax.RdrOut || r.Word == nil || len(r.Word.Parts) != 1 {
			continue
		}
		if lit, ok := r.Word.Parts[0].(*syntax.Lit); ok {
			return lit.Value, true
		}
	}
	return outputFile(cmd)
}

// isCommand reports whether cmd runs interpreter b with a -c option.
func isCommand(cmd []string, b string) bool {
	isBin := false
	for _, c := range cmd {
		if isBinaryName(b, c) {
			isBin = true
		} else if isBin && strings.HasPrefix(c, "-") && strings.Contains(c, "c") {
			return true
		}
	}
	return false
}

// interpreterAndCommand returns the interpreter and the command string of
// `interpreter -c "CMD"`: the first argument that is one quoted literal.
func interpreterAndCommand(node syntax.Node) (interp, cmd string, ok bool) {
	ce, ok := node.(*syntax.CallExpr)
	if !ok {
		return "", "", false
	}
	c, _ := command(ce)
	for _, b := range interpreters {
		if isCommand(c, b) {
			interp = b
			break
		}
	}
	if interp == "" {
		return "", "", false
	}
	for _, a := range ce.Args {
		if len(a.Parts) != 1 {
			continue
		}
		switch v := a.Parts[0].(type) {
		case *syntax.DblQuoted:
			if len(v.Parts) != 1 {
				continue
			}
			if lit, ok := v.Parts[0].(*syntax.Lit); ok {
				return interp, lit.Value, true
			}
		case *syntax.SglQuoted:
			return interp, v.Value, true
		}
	}
	return "", "", false
}

// packageManagerDownload records go, pip, npm, choco and nuget installs.
func (s *shellScan) packageManagerDownload(node syntax.Node, line int) {
	c, ok := command(node)
	if !ok || len(c) == 0 {
		return
	}
	switch {
	case isGoDownload(c):
		s.add(catalog.PinGoCommand, !isGoUnpinnedDownload(c), node, line)
	case isPipDownload(c):
		s.add(catalog.PinPipCommand, !isPipUnpinnedDownload(c), node, line)
	case isNpmDownload(c):
		s.add(catalog.PinNpmCommand, !isNpmUnpinnedDownload(c), node, line)
	case isChocoDownload(c):
		s.add(catalog.PinChocoCommand, !isChocoUnpinnedDownload(c), node, line)
	case isNuget(c):
		s.add(catalog.PinNugetCommand, !isNugetUnpinned(c), node, line)
	}
}

// isNpmDownload: npm install, i, install-test, update or ci.
func isNpmDownload(cmd []string) bool {
	if !isBinaryName("npm", cmd[0]) {
		return false
	}
	for _, a := range cmd[1:] {
		switch strings.ToLower(a) {
		case "install", "i", "install-test", "update", "ci":
			return true
		}
	}
	return false
}

// isNpmUnpinnedDownload: anything but `npm ci` (which installs exactly the
// lockfile, hashes checked) or a git package at a commit.
func isNpmUnpinnedDownload(cmd []string) bool {
	for _, a := range cmd[1:] {
		if strings.EqualFold(a, "ci") {
			return false
		}
		if strings.HasPrefix(a, "github:") || strings.HasPrefix(a, "git://") ||
			strings.HasPrefix(a, "git+http://") || strings.HasPrefix(a, "git+https://") {
			s := strings.SplitN(a, "#", 5)
			if len(s) != 2 {
				return true
			}
			if gitCommitHashRegex.MatchString(s[1]) {
				return false
			}
		}
	}
	return true
}

// isGoDownload: go get or go install with an argument (a bare `go install`
// builds the module, whose go.sum pins everything).
func isGoDownload(cmd []string) bool {
	return len(cmd) > 2 && isBinaryName("go", cmd[0]) && (cmd[1] == "get" || cmd[1] == "install")
}

// isGoUnpinnedDownload follows Scorecard exactly: flags among -d -f -t -u
// -v -fix -insecure are skipped; an argument that does not look like a
// remote package (host.tld/path) is local, hence pinned; a package at a
// commit hash, at "none" or (without -insecure) at a full semantic version
// is pinned.
func isGoUnpinnedDownload(cmd []string) bool {
	insecure := false
	for i := 1; i < len(cmd)-1; i++ {
		for i < len(cmd)-1 && slices.Contains([]string{"-d", "-f", "-t", "-u", "-v", "-fix", "-insecure"}, cmd[i+1]) {
			if cmd[i+1] == "-insecure" {
				insecure = true
			}
			i++
		}
		if i+1 >= len(cmd) {
			return false // go get -d -v
		}
		pkg := cmd[i+1]
		if !goRemotePkgRegex.MatchString(pkg) {
			return false
		}
		parts := strings.Split(pkg, "@")
		if len(parts) != 2 {
			continue
		}
		v := parts[1]
		if v == "none" || goHashRegex.MatchString(v) || (!insecure && goSemverRegex.MatchString(v)) {
			return false
		}
	}
	return true
}

func isPipInstall(cmd []string) bool {
	return len(cmd) >= 2 && (isBinaryName("pip", cmd[0]) || isBinaryName("pip3", cmd[0])) && strings.EqualFold(cmd[1], "install")
}

// isPinnedEditableSource: a local source, or a git source at a commit.
func isPinnedEditableSource(src string) bool {
	if !pipRemoteSource.MatchString(src) {
		return true
	}
	return pipPinnedGitSource.MatchString(src)
}

// isUnpinnedPipInstall: pinned with --require-hashes; an editable install
// (-e) with --no-deps from a local or commit-pinned source; or wheel files
// only. Anything else (pip install pkg, -r requirements.txt, .) is not.
func isUnpinnedPipInstall(cmd []string) bool {
	hasNoDeps, editable, pinnedEditable := false, false, true
	requireHashes, additional, wheel := false, false, false
	for i := 2; i < len(cmd); i++ {
		a := cmd[i]
		if strings.EqualFold(a, "--no-deps") {
			hasNoDeps = true
			continue
		}
		if a == "-e" || a == "--editable" {
			editable = true
			continue
		}
		if strings.EqualFold(a, "--require-hashes") {
			requireHashes = true
			break
		}
		if flagRegex.MatchString(a) {
			continue
		}
		if strings.HasSuffix(a, ".whl") {
			wheel = true
			continue
		}
		if editable {
			if !isPinnedEditableSource(a) {
				pinnedEditable = false
			}
			continue
		}
		additional = true
	}
	switch {
	case editable:
		return !hasNoDeps || !pinnedEditable
	case requireHashes:
		return false
	case additional:
		return true
	case wheel:
		return false
	}
	return true
}

func isPythonCommand(cmd []string) bool {
	return len(cmd) > 0 && isAnyBinary(pythonInterpreters, cmd[0])
}

// pipCommand returns the words from "pip" on of `python -m pip …`.
func pipCommand(cmd []string) ([]string, bool) {
	for i := 1; i < len(cmd)-1; i++ {
		if strings.EqualFold(cmd[i], "-m") && strings.EqualFold(cmd[i+1], "pip") {
			return cmd[i+1:], true
		}
	}
	return nil, false
}

func isPythonPipInstall(cmd []string) bool {
	if !isPythonCommand(cmd) {
		return false
	}
	p, ok := pipCommand(cmd)
	return ok && isPipInstall(p)
}

func isPipDownload(cmd []string) bool { return isPipInstall(cmd) || isPythonPipInstall(cmd) }

func isPipUnpinnedDownload(cmd []string) bool {
	if isPipInstall(cmd) && isUnpinnedPipInstall(cmd) {
		return true
	}
	if isPythonPipInstall(cmd) {
		p, _ := pipCommand(cmd)
		return isUnpinnedPipInstall(p)
	}
	return false
}

func isChocoDownload(cmd []string) bool {
	return len(cmd) >= 2 && (isBinaryName("choco", cmd[0]) || isBinaryName("choco.exe", cmd[0])) && strings.EqualFold(cmd[1], "install")
}

// isChocoUnpinnedDownload: choco install without --requirechecksum(s).
func isChocoUnpinnedDownload(cmd []string) bool {
	for _, a := range cmd[2:] {
		k, _, _ := strings.Cut(a, "=")
		if strings.EqualFold(k, "--requirechecksum") || strings.EqualFold(k, "--requirechecksums") || strings.EqualFold(k, "--require-checksums") {
			return false
		}
	}
	return true
}

func isNugetBinary(name string) bool {
	return isBinaryName("nuget", name) || isBinaryName("nuget.exe", name)
}
func isDotnetBinary(name string) bool {
	return isBinaryName("dotnet", name) || isBinaryName("dotnet.exe", name)
}

func isNugetCliInstall(cmd []string) bool {
	return len(cmd) >= 2 && isNugetBinary(cmd[0]) && strings.EqualFold(cmd[1], "install")
}

// isUnpinnedNugetCliInstall: nuget install PACKAGE without -Version (a bare
// install, or one from packages.config, is pinned).
func isUnpinnedNugetCliInstall(cmd []string) bool {
	if len(cmd) == 2 || strings.HasSuffix(cmd[2], "packages.config") {
		return false
	}
	return !hasFold(cmd[2:], "-Version")
}

func isDotNetCliAdd(cmd []string) bool {
	return len(cmd) >= 4 && isDotnetBinary(cmd[0]) && strings.EqualFold(cmd[1], "add") &&
		(strings.EqualFold(cmd[2], "package") || strings.EqualFold(cmd[3], "package"))
}

func isUnpinnedDotNetCliAdd(cmd []string) bool {
	return !hasFold(cmd[3:], "-v") && !hasFold(cmd[3:], "--version")
}

func isNugetCliRestore(cmd []string) bool {
	return len(cmd) >= 2 && isNugetBinary(cmd[0]) && strings.EqualFold(cmd[1], "restore")
}

func isDotNetCliRestore(cmd []string) bool {
	return len(cmd) >= 2 && isDotnetBinary(cmd[0]) && strings.EqualFold(cmd[1], "restore")
}

func isMsBuildRestore(cmd []string) bool {
	return len(cmd) >= 2 && (isBinaryName("msbuild", cmd[0]) || isBinaryName("msbuild.exe", cmd[0])) && hasFold(cmd[1:], "/t:restore")
}

func hasFold(words []string, w string) bool {
	for _, x := range words {
		if strings.EqualFold(x, w) {
			return true
		}
	}
	return false
}

func isNuget(cmd []string) bool {
	return isDotNetCliAdd(cmd) || isNugetCliInstall(cmd) || isDotNetCliRestore(cmd) || isNugetCliRestore(cmd) || isMsBuildRestore(cmd)
}

// isNugetUnpinned: restores without locked mode, adds and installs without
// a version.
func isNugetUnpinned(cmd []string) bool {
	switch {
	case isDotNetCliAdd(cmd) && isUnpinnedDotNetCliAdd(cmd):
		return true
	case isNugetCliInstall(cmd) && isUnpinnedNugetCliInstall(cmd):
		return true
	case isDotNetCliRestore(cmd) && !hasFold(cmd[2:], "--locked-mode"):
		return true
	case isNugetCliRestore(cmd) && !hasFold(cmd[2:], "-LockedMode"):
		return true
	case isMsBuildRestore(cmd) && !hasFold(cmd[2:], "/p:RestoreLockedMode=true"):
		return true
	}
	return false
}
