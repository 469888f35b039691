// Package gitcmd runs the git command on repositories that are not trusted.
//
// Every repository is hostile until proven otherwise: its config may name
// programs to run (core.fsmonitor, diff.external, textconv and filter
// drivers, core.sshCommand, hooks) and may point at remotes to fetch from.
// Command neutralises fsmonitor, external diff and textconv programs,
// hooks, pagers, editors, askpass, ssh and credential helpers, and every
// network protocol, so that git never touches the network.
//
// Filter drivers (clean/smudge/process, chosen by .gitattributes) are the
// exception: no setting turns them off without knowing each driver's name,
// and they run only when git converts between the work tree and objects
// (status, add, checkout, diff against the work tree). Callers must
// therefore keep to commands that read objects (log, ls-tree, cat-file,
// rev-parse, show of a commit); the scanner does, and a test holds it to it.
package gitcmd

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// safeConfig overrides, on the command line (which wins over a repository's
// own config), every setting through which a repository could make git run a
// program or reach the network.
var safeConfig = []string{
	"core.fsmonitor=false",
	"core.hooksPath=/dev/null",
	"core.pager=cat",
	"core.editor=true",
	"core.sshCommand=false",
	"core.askPass=",
	"core.quotePath=false",
	"diff.external=",
	"credential.helper=",
	"protocol.allow=never",
	"fetch.recurseSubmodules=false",
	"submodule.recurse=false",
	"gpg.program=false",
	"log.showSignature=false",
	"log.follow=false",
	"color.ui=false",
	// A repository must not make git read a mailmap from elsewhere on disk;
	// the .mailmap committed in the repository is still used.
	"mailmap.file=",
	// Scanning checkouts owned by other users is the point of the tool; the
	// settings above are what make that safe.
	"safe.directory=*",
}

// Args returns the arguments that precede a git subcommand to make it safe.
func Args() []string {
	args := make([]string, 0, 2*len(safeConfig)+2)
	for _, c := range safeConfig {
		args = append(args, "-c", c)
	}
	return append(args, "--no-pager", "--no-replace-objects")
}

// Env returns the environment git runs with: the caller's PATH and HOME-less
// basics, with system and global config (and system attributes) ignored, prompts disabled and lazy
// fetching of missing objects (partial clones) refused.
func Env() []string {
	env := []string{
		"GIT_CONFIG_NOSYSTEM=1",
		"GIT_CONFIG_GLOBAL=/dev/null",
		// Nor the machine's attributes file: a diff's line counts must
		// depend on the repository alone.
		"GIT_ATTR_NOSYSTEM=1",
		"GIT_TERMINAL_PROMPT=0",
		"GIT_ASKPASS=",
		"SSH_ASKPASS=",
		"GIT_NO_LAZY_FETCH=1",
		"GIT_ALLOW_PROTOCOL=",
		"GIT_OPTIONAL_LOCKS=0",
		"GIT_NO_REPLACE_OBJECTS=1",
		"LC_ALL=C",
		"HOME=/nonexistent",
	}
	if p, ok := os.LookupEnv("PATH"); ok {
		env = append(env, "PATH="+p)
	}
	return env
}

// noProgramOptions are the options, by subcommand, that stop git from
// running the textconv drivers and external diff programs a repository's
// config and .gitattributes name (diff.external, diff.<driver>.command,
// diff.<driver>.textconv). No configuration value turns these off: an empty
// diff.external makes git fail trying to run "", and driver names are the
// repository's choice, so only these options can.
var noProgramOptions = map[string][]string{
	"diff":         {"--no-ext-diff", "--no-textconv"},
	"diff-files":   {"--no-ext-diff", "--no-textconv"},
	"diff-index":   {"--no-ext-diff", "--no-textconv"},
	"diff-tree":    {"--no-ext-diff", "--no-textconv"},
	"format-patch": {"--no-ext-diff", "--no-textconv"},
	"log":          {"--no-ext-diff", "--no-textconv"},
	"range-diff":   {"--no-ext-diff", "--no-textconv"},
	"show":         {"--no-ext-diff", "--no-textconv"},
	"whatchanged":  {"--no-ext-diff", "--no-textconv"},
	"annotate":     {"--no-textconv"},
	"blame":        {"--no-textconv"},
	"grep":         {"--no-textconv"},
}

// subcommand returns the index in args of git's subcommand, past the global
// options before it, or -1 if there is none.
func subcommand(args []string) int {
	for i := 0; i < len(args); i++ {
		switch a := args[i]; {
		case a == "-c" || a == "-C" || a == "--git-dir" || a == "--work-tree" ||
			a == "--namespace" || a == "--config-env":
			i++ // the option's value
		case strings.HasPrefix(a, "-"):
		default:
			return i
		}
	}
	return -1
}

// Command returns a git command that runs in dir with args after the safe
// configuration. For subcommands that show diffs, options that refuse
// textconv drivers and external diff programs are added after the
// subcommand. The caller owns the returned command.
func Command(ctx context.Context, dir string, args ...string) *exec.Cmd {
	full := Args()
	if i := subcommand(args); i >= 0 {
		full = append(full, args[:i+1]...)
		full = append(full, noProgramOptions[args[i]]...)
		full = append(full, args[i+1:]...)
	} else {
		full = append(full, args...)
	}
	cmd := exec.CommandContext(ctx, gitPath(), full...)
	cmd.Args[0] = "git" // as if found on PATH by name
	cmd.Dir = dir
	cmd.Env = Env()
	// Once ctx is done git is killed; a process it started that still holds
	// the output pipes must not keep the caller waiting past the deadline.
	cmd.WaitDelay = WaitDelay
	return cmd
}

// lookedUp is the git executable found on PATH, and the PATH it was found
// on: a scan starts hundreds of git processes, and looking git up in every
// directory of PATH each time was a few percent of the scanning process's
// CPU.
var lookedUp struct {
	sync.Mutex
	path, git string
}

// gitPath returns the path of the git executable on PATH, looked up again
// when PATH changes, or "git" when there is none (exec then reports it).
func gitPath() string {
	path := os.Getenv("PATH")
	lookedUp.Lock()
	defer lookedUp.Unlock()
	if lookedUp.git != "" && lookedUp.path == path {
		return lookedUp.git
	}
	git, err := exec.LookPath("git")
	if err != nil || !filepath.IsAbs(git) {
		return "git"
	}
	lookedUp.path, lookedUp.git = path, git
	return git
}

// WaitDelay bounds how long a command's I/O is waited for after its context
// is done or git has exited (see exec.Cmd.WaitDelay).
const WaitDelay = 5 * time.Second

// Output runs git and returns its standard output with surrounding
// whitespace trimmed. On failure the error carries git's standard error.
func Output(ctx context.Context, dir string, args ...string) (string, error) {
	cmd := Command(ctx, dir, args...)
	var stderr strings.Builder
	cmd.Stderr = &limitedWriter{w: &stderr, n: 4096}
	out, err := cmd.Output()
	if err != nil {
		return "", &Error{Args: args, Stderr: strings.TrimSpace(stderr.String()), Err: err}
	}
	return strings.TrimSpace(string(out)), nil
}

// Error is a failed git command.
type Error struct {
	Args   []string
	Stderr string
	Err    error
}

func (e *Error) Error() string {
	msg := "git " + strings.Join(e.Args, " ") + ": " + e.Err.Error()
	if e.Stderr != "" {
		msg += ": " + e.Stderr
	}
	return msg
}

func (e *Error) Unwrap() error { return e.Err }

// limitedWriter keeps at most n bytes, so a chatty failure cannot fill memory.
type limitedWriter struct {
	w interface{ Write([]byte) (int, error) }
	n int
}

func (l *limitedWriter) Write(p []byte) (int, error) {
	if l.n > 0 {
		k := min(len(p), l.n)
		l.w.Write(p[:k])
		l.n -= k
	}
	return len(p), nil
}
