package gitcmd_test

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/ospo-project/ospo/internal/gitcmd"
)

// plainGit runs git as a user would, without gitcmd's protections (only the
// machine's own config kept out), and returns its combined output.
func plainGit(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1",
		"GIT_AUTHOR_NAME=A", "GIT_AUTHOR_EMAIL=a@example.com",
		"GIT_COMMITTER_NAME=A", "GIT_COMMITTER_EMAIL=a@example.com",
		"GIT_AUTHOR_DATE=2024-01-02T03:04:05Z", "GIT_COMMITTER_DATE=2024-01-02T03:04:05Z")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %v in %s: %v\n%s", args, dir, err, out)
	}
	return strings.TrimSpace(string(out))
}

func writeFile(t *testing.T, path, content string, mode os.FileMode) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), mode); err != nil {
		t.Fatal(err)
	}
}

// newRepo makes a repository with two commits of a.txt.
func newRepo(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "repo")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	plainGit(t, dir, "init", "-q", "-b", "main")
	writeFile(t, filepath.Join(dir, "a.txt"), "first line\n", 0o644)
	plainGit(t, dir, "add", "-A")
	plainGit(t, dir, "commit", "-q", "-m", "one")
	writeFile(t, filepath.Join(dir, "a.txt"), "first line\nsecond line\n", 0o644)
	plainGit(t, dir, "commit", "-q", "-a", "-m", "two")
	return dir
}

// hostileRepo returns a repository whose config, .gitattributes and hooks
// each name a program that, when run, creates a file named after the
// mechanism in the returned markers directory.
func hostileRepo(t *testing.T) (repo, markers string) {
	t.Helper()
	repo = newRepo(t)
	markers = t.TempDir()
	bin := t.TempDir()
	script := func(name, rest string) string {
		p := filepath.Join(bin, name)
		writeFile(t, p, "#!/bin/sh\ntouch '"+filepath.Join(markers, name)+"'\n"+rest, 0o755)
		return p
	}
	// .gitattributes is committed so that both the work tree and HEAD carry it.
	writeFile(t, filepath.Join(repo, ".gitattributes"), "*.txt diff=hostile\n", 0o644)
	writeFile(t, filepath.Join(repo, "a.txt"), "first line\nsecond line\nthird line\n", 0o644)
	plainGit(t, repo, "add", "-A")
	plainGit(t, repo, "commit", "-q", "-m", "three")

	for _, kv := range [][2]string{
		{"core.fsmonitor", script("fsmonitor", "")},
		{"diff.external", script("diff-external", "")},
		{"diff.hostile.textconv", script("textconv", "cat \"$1\"\n")},
		{"core.pager", script("pager", "cat\n")},
		{"gpg.program", script("gpg", "")},
		{"log.showSignature", "true"},
	} {
		plainGit(t, repo, "config", kv[0], kv[1])
	}
	writeFile(t, filepath.Join(repo, ".git", "hooks", "post-checkout"),
		"#!/bin/sh\ntouch '"+filepath.Join(markers, "post-checkout")+"'\n", 0o755)

	// A commit carrying a signature: log with log.showSignature runs the
	// gpg.program to verify it.
	tree := plainGit(t, repo, "rev-parse", "HEAD^{tree}")
	parent := plainGit(t, repo, "rev-parse", "HEAD")
	raw := "tree " + tree + "\nparent " + parent + "\n" +
		"author A <a@example.com> 1704164645 +0000\ncommitter A <a@example.com> 1704164645 +0000\n" +
		"gpgsig -----BEGIN PGP SIGNATURE-----\n \n iQEzBAABCAAdFiEE\n -----END PGP SIGNATURE-----\n\nsigned\n"
	rawFile := filepath.Join(t.TempDir(), "commit")
	writeFile(t, rawFile, raw, 0o644)
	signed := plainGit(t, repo, "hash-object", "-t", "commit", "-w", rawFile)
	plainGit(t, repo, "update-ref", "refs/heads/main", signed)
	// An uncommitted change, for commands that compare with the work tree.
	writeFile(t, filepath.Join(repo, "a.txt"), "first line\nsecond line\nthird line\nfourth line\n", 0o644)
	return repo, markers
}

func markerNames(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

func clearMarkers(t *testing.T, dir string) {
	t.Helper()
	for _, n := range markerNames(t, dir) {
		os.Remove(filepath.Join(dir, n))
	}
}

// TestNothingRunsFromHostileRepository runs, in a repository that names a
// program through every setting it can, the commands a scanner would run,
// first through gitcmd (nothing may run) and then through plain git (the
// named program must run: otherwise the row proves nothing).
func TestNothingRunsFromHostileRepository(t *testing.T) {
	repo, markers := hostileRepo(t)
	ctx := context.Background()
	tests := []struct {
		name string
		args []string
		// tty runs the command with its standard output on a terminal,
		// where git starts a pager.
		tty bool
		// want is a substring of the output through gitcmd, showing the
		// command did its work rather than fail.
		want string
		// control is the marker plain git creates for the same command.
		control string
	}{
		{name: "log -p --numstat", args: []string{"log", "-p", "--numstat", "-2"}, want: "+third line", control: "textconv"},
		{name: "log shows signature", args: []string{"log", "-1", "--format=%s"}, want: "signed", control: "gpg"},
		{name: "diff HEAD~1", args: []string{"diff", "HEAD~1"}, want: "+fourth line", control: "diff-external"},
		{name: "diff between commits", args: []string{"diff", "HEAD~3", "HEAD~2"}, want: "+second line", control: "diff-external"},
		{name: "status", args: []string{"status", "--porcelain"}, control: "fsmonitor"},
		{name: "show", args: []string{"show", "HEAD~1"}, want: "+third line", control: "textconv"},
		{name: "show with global options first", args: []string{"-c", "color.ui=false", "--git-dir=.git", "show", "HEAD~1"}, want: "+third line", control: "textconv"},
		{name: "blame", args: []string{"blame", "a.txt"}, want: "third line", control: "textconv"},
		{name: "log on a terminal", args: []string{"log", "-1", "--format=%s"}, tty: true, control: "pager"},
		{name: "checkout", args: []string{"checkout", "-q", "-b", "BRANCH"}, control: "post-checkout"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			clearMarkers(t, markers)
			args := slices.Clone(tc.args)
			for i, a := range args {
				args[i] = strings.ReplaceAll(a, "BRANCH", "safe-"+strings.ReplaceAll(tc.name, " ", "-"))
			}
			var out string
			if tc.tty {
				cmd := gitcmd.Command(ctx, repo, args...)
				runOnTerminal(t, cmd)
			} else {
				var err error
				out, err = gitcmd.Output(ctx, repo, args...)
				if err != nil {
					t.Fatalf("gitcmd.Output(%v): %v", args, err)
				}
			}
			if !strings.Contains(out, tc.want) {
				t.Errorf("gitcmd.Output(%v) = %q, want it to contain %q", args, out, tc.want)
			}
			if got := markerNames(t, markers); len(got) > 0 {
				t.Errorf("gitcmd %v ran programs the repository names: %v", args, got)
			}

			// Control: plain git runs the program, so the fixture is hostile.
			for i, a := range tc.args {
				args[i] = strings.ReplaceAll(a, "BRANCH", "control-"+strings.ReplaceAll(tc.name, " ", "-"))
			}
			cmd := exec.Command("git", args...)
			cmd.Dir = repo
			cmd.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1")
			if tc.tty {
				runOnTerminal(t, cmd)
			} else {
				cmd.CombinedOutput() // it may fail: the external diff program prints nothing
			}
			if got := markerNames(t, markers); !slices.Contains(got, tc.control) {
				t.Errorf("control: plain git %v ran %v, want %q: the fixture does not exercise it", args, got, tc.control)
			}
		})
	}
}

func TestCommandAddsOptions(t *testing.T) {
	// The options that refuse textconv and external diffs go right after
	// the subcommand, whatever global options precede it.
	tests := []struct {
		args []string
		want []string // the arguments after gitcmd.Args()
	}{
		{[]string{"log", "-p"}, []string{"log", "--no-ext-diff", "--no-textconv", "-p"}},
		{[]string{"--git-dir=/r/.git", "diff", "HEAD"}, []string{"--git-dir=/r/.git", "diff", "--no-ext-diff", "--no-textconv", "HEAD"}},
		{[]string{"-c", "mailmap.file=", "log", "--numstat"}, []string{"-c", "mailmap.file=", "log", "--no-ext-diff", "--no-textconv", "--numstat"}},
		{[]string{"-C", "sub", "--git-dir", "x", "show"}, []string{"-C", "sub", "--git-dir", "x", "show", "--no-ext-diff", "--no-textconv"}},
		{[]string{"blame", "f"}, []string{"blame", "--no-textconv", "f"}},
		{[]string{"grep", "x"}, []string{"grep", "--no-textconv", "x"}},
		{[]string{"rev-parse", "HEAD"}, []string{"rev-parse", "HEAD"}},
		{[]string{"cat-file", "--batch"}, []string{"cat-file", "--batch"}},
		{[]string{"--version"}, []string{"--version"}},
		{nil, nil},
	}
	for _, tc := range tests {
		cmd := gitcmd.Command(context.Background(), ".", tc.args...)
		prefix := append([]string{"git"}, gitcmd.Args()...)
		if !slices.Equal(cmd.Args[:len(prefix)], prefix) {
			t.Errorf("Command(%q) does not start with the safe arguments: %q", tc.args, cmd.Args)
			continue
		}
		if diff := cmp.Diff(tc.want, cmd.Args[len(prefix):], cmpopts.EquateEmpty()); diff != "" {
			t.Errorf("Command(%q) arguments (-want +got):\n%s", tc.args, diff)
		}
	}
}

func TestOutput(t *testing.T) {
	repo := newRepo(t)
	ctx := context.Background()

	head, err := gitcmd.Output(ctx, repo, "rev-parse", "HEAD")
	if err != nil {
		t.Fatal(err)
	}
	if len(head) != 40 || strings.TrimSpace(head) != head {
		t.Errorf("Output(rev-parse HEAD) = %q, want 40 hex digits, trimmed", head)
	}
	if want := plainGit(t, repo, "rev-parse", "HEAD"); head != want {
		t.Errorf("Output(rev-parse HEAD) = %q, plain git says %q", head, want)
	}

	tests := []struct {
		name       string
		args       []string
		wantStderr string
	}{
		{"unknown revision", []string{"rev-parse", "--verify", "no-such-branch"}, "Needed a single revision"},
		{"unknown subcommand", []string{"no-such-subcommand"}, "is not a git command"},
		{"bad object", []string{"cat-file", "-p", "deadbeef"}, "deadbeef"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, err := gitcmd.Output(ctx, repo, tc.args...)
			if err == nil {
				t.Fatalf("Output(%v) = %q, nil; want an error", tc.args, out)
			}
			if out != "" {
				t.Errorf("Output(%v) returned output %q with its error", tc.args, out)
			}
			var gerr *gitcmd.Error
			if !errors.As(err, &gerr) {
				t.Fatalf("Output(%v) error %T is not a *gitcmd.Error", tc.args, err)
			}
			if !slices.Equal(gerr.Args, tc.args) {
				t.Errorf("Error.Args = %q, want the caller's %q", gerr.Args, tc.args)
			}
			if !strings.Contains(gerr.Stderr, tc.wantStderr) {
				t.Errorf("Error.Stderr = %q, want it to contain %q", gerr.Stderr, tc.wantStderr)
			}
			if !strings.Contains(err.Error(), tc.wantStderr) || !strings.HasPrefix(err.Error(), "git "+tc.args[0]) {
				t.Errorf("Error() = %q, want it to start with the command and carry git's stderr", err)
			}
			var exit *exec.ExitError
			if !errors.As(err, &exit) || exit.ExitCode() == 0 {
				t.Errorf("Output(%v) error does not unwrap to a failed exit: %v", tc.args, err)
			}
		})
	}
}

func TestOutputStderrCapped(t *testing.T) {
	// A failure with a huge message keeps only the start of it.
	repo := newRepo(t)
	long := strings.Repeat("x", 20000)
	_, err := gitcmd.Output(context.Background(), repo, "rev-parse", "--verify", long)
	var gerr *gitcmd.Error
	if !errors.As(err, &gerr) {
		t.Fatalf("Output error = %v, want a *gitcmd.Error", err)
	}
	if len(gerr.Stderr) == 0 || len(gerr.Stderr) > 4096 {
		t.Errorf("Error.Stderr has %d bytes, want 1 to 4096", len(gerr.Stderr))
	}
}

func TestOutputCancelled(t *testing.T) {
	repo := newRepo(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if out, err := gitcmd.Output(ctx, repo, "rev-parse", "HEAD"); err == nil {
		t.Errorf("Output with a cancelled context = %q, nil; want an error", out)
	}
}

func TestEnv(t *testing.T) {
	// Nothing of the caller's environment but PATH reaches git: not its
	// home (global config, credentials), not GIT_* variables that would
	// redirect git to another repository or config.
	t.Setenv("HOME", "/home/caller")
	t.Setenv("XDG_CONFIG_HOME", "/home/caller/.config")
	t.Setenv("GIT_DIR", "/elsewhere/.git")
	t.Setenv("GIT_CONFIG_PARAMETERS", "'core.fsmonitor'='/bin/evil'")
	t.Setenv("GIT_EXTERNAL_DIFF", "/bin/evil")
	t.Setenv("GIT_PAGER", "/bin/evil")
	t.Setenv("OSPO_TEST_SECRET", "hunter2")
	t.Setenv("PATH", "/usr/bin:/bin")

	env := gitcmd.Env()
	seen := map[string]string{}
	for _, kv := range env {
		k, v, ok := strings.Cut(kv, "=")
		if !ok {
			t.Errorf("Env entry %q is not KEY=VALUE", kv)
			continue
		}
		if _, dup := seen[k]; dup {
			t.Errorf("Env sets %s twice", k)
		}
		seen[k] = v
	}
	want := map[string]string{
		"HOME":                "/nonexistent",
		"PATH":                "/usr/bin:/bin",
		"GIT_CONFIG_NOSYSTEM": "1",
		"GIT_CONFIG_GLOBAL":   "/dev/null",
		"GIT_TERMINAL_PROMPT": "0",
		"GIT_NO_LAZY_FETCH":   "1",
		"GIT_ALLOW_PROTOCOL":  "",
	}
	for k, v := range want {
		if got, ok := seen[k]; !ok || got != v {
			t.Errorf("Env %s = %q (set: %v), want %q", k, got, ok, v)
		}
	}
	for _, k := range []string{"XDG_CONFIG_HOME", "GIT_DIR", "GIT_CONFIG_PARAMETERS", "GIT_EXTERNAL_DIFF", "GIT_PAGER", "OSPO_TEST_SECRET"} {
		if v, ok := seen[k]; ok {
			t.Errorf("Env passes the caller's %s=%q", k, v)
		}
	}
	for _, kv := range env {
		if strings.Contains(kv, "hunter2") || strings.Contains(kv, "/home/caller") || strings.Contains(kv, "evil") {
			t.Errorf("Env leaks %q", kv)
		}
	}
}

func TestCallerConfigIgnored(t *testing.T) {
	// A global config in the caller's home and XDG directory, and GIT_DIR
	// pointing at another repository: git run through gitcmd sees none of them.
	repo := newRepo(t)
	other := newRepo(t)
	home := t.TempDir()
	writeFile(t, filepath.Join(home, ".gitconfig"), "[ospotest]\n\tleak = home\n", 0o644)
	writeFile(t, filepath.Join(home, "xdg", "git", "config"), "[ospotest]\n\tleak = xdg\n", 0o644)
	t.Setenv("HOME", home)
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(home, "xdg"))
	t.Setenv("GIT_CONFIG_GLOBAL", filepath.Join(home, ".gitconfig"))
	t.Setenv("GIT_DIR", filepath.Join(other, ".git"))
	ctx := context.Background()

	// Control: git run with the caller's environment reads them.
	cmd := exec.Command("git", "config", "--get", "ospotest.leak")
	cmd.Dir = repo
	if out, err := cmd.Output(); err != nil || strings.TrimSpace(string(out)) != "home" {
		t.Fatalf("control: plain git config --get ospotest.leak = %q, %v; want home", out, err)
	}

	if out, err := gitcmd.Output(ctx, repo, "config", "--get", "ospotest.leak"); err == nil {
		t.Errorf("gitcmd read the caller's global config: ospotest.leak = %q", out)
	}
	gitDir, err := gitcmd.Output(ctx, repo, "rev-parse", "--absolute-git-dir")
	if err != nil {
		t.Fatal(err)
	}
	if want, _ := filepath.EvalSymlinks(filepath.Join(repo, ".git")); gitDir != want {
		t.Errorf("gitcmd in %s used git dir %s, want %s (the caller's GIT_DIR leaked)", repo, gitDir, want)
	}
}

func TestNoNetwork(t *testing.T) {
	// Fetching from another repository on the same disk is the file
	// protocol: refused, also when the repository's config allows it.
	src := newRepo(t)
	tests := []struct {
		name   string
		url    string
		config [][2]string
	}{
		{"file URL", "file://" + src, nil},
		{"local path", src, nil},
		{"repository allows file", "file://" + src, [][2]string{{"protocol.file.allow", "always"}}},
		{"repository allows all", "file://" + src, [][2]string{{"protocol.allow", "always"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dst := filepath.Join(t.TempDir(), "dst")
			os.Mkdir(dst, 0o755)
			plainGit(t, dst, "init", "-q", "-b", "main")
			plainGit(t, dst, "remote", "add", "origin", tc.url)
			for _, kv := range tc.config {
				plainGit(t, dst, "config", kv[0], kv[1])
			}
			ctx := context.Background()
			for _, args := range [][]string{{"fetch", "-q", "origin"}, {"ls-remote", "origin"}} {
				out, err := gitcmd.Output(ctx, dst, args...)
				if err == nil {
					t.Errorf("gitcmd %v from %s succeeded: %q", args, tc.url, out)
					continue
				}
				var gerr *gitcmd.Error
				if !errors.As(err, &gerr) {
					t.Errorf("gitcmd %v error %T is not a *gitcmd.Error", args, err)
				} else if !strings.Contains(gerr.Stderr, "not allowed") {
					t.Errorf("gitcmd %v failed for another reason than the protocol: %v", args, err)
				}
			}
			if refs, _ := gitcmd.Output(ctx, dst, "for-each-ref"); refs != "" {
				t.Errorf("refs were fetched: %s", refs)
			}
			// Control: plain git fetches.
			plainGit(t, dst, "fetch", "-q", "origin")
			if refs := plainGit(t, dst, "for-each-ref"); !strings.Contains(refs, "refs/remotes/origin/main") {
				t.Errorf("control: plain git fetch got refs %q", refs)
			}
		})
	}
}

// TestFilterDriversObjectCommands covers filter drivers (clean, smudge,
// process), which git runs when it reads or writes work-tree files. No
// setting can refuse them without knowing the driver's name, so gitcmd
// relies on its callers running only commands that read objects; this
// checks that those commands run none.
func TestFilterDriversObjectCommands(t *testing.T) {
	repo := newRepo(t)
	markers := t.TempDir()
	bin := t.TempDir()
	for _, name := range []string{"clean", "smudge"} {
		p := filepath.Join(bin, name)
		writeFile(t, p, "#!/bin/sh\ntouch '"+filepath.Join(markers, name)+"'\ncat\n", 0o755)
		plainGit(t, repo, "config", "filter.hostile."+name, p)
	}
	writeFile(t, filepath.Join(repo, ".gitattributes"), "*.txt filter=hostile\n", 0o644)
	plainGit(t, repo, "add", ".gitattributes")
	plainGit(t, repo, "commit", "-q", "-m", "attributes")
	clearMarkers(t, markers)
	ctx := context.Background()

	for _, args := range [][]string{
		{"log", "-p", "--numstat"},
		{"log", "--numstat", "--format=%H"},
		{"show", "HEAD~1"},
		{"show", "HEAD:a.txt"},
		{"ls-tree", "-r", "-l", "HEAD"},
		{"rev-list", "--objects", "HEAD"},
		{"--git-dir=.git", "cat-file", "-p", "HEAD:a.txt"},
	} {
		if _, err := gitcmd.Output(ctx, repo, args...); err != nil {
			t.Errorf("gitcmd %v: %v", args, err)
		}
		if got := markerNames(t, markers); len(got) > 0 {
			t.Errorf("gitcmd %v ran filter drivers: %v", args, got)
			clearMarkers(t, markers)
		}
	}
	// Control: writing the work tree runs the smudge filter.
	os.Remove(filepath.Join(repo, "a.txt"))
	plainGit(t, repo, "checkout", "--", "a.txt")
	if got := markerNames(t, markers); !slices.Contains(got, "smudge") {
		t.Errorf("control: plain git checkout ran %v, want smudge", got)
	}
}

// TestGitFoundOnPath: the git run is the one PATH names now, though the
// lookup is kept between commands.
func TestGitFoundOnPath(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("shell scripts as git")
	}
	var dirs []string
	for _, say := range []string{"first", "second"} {
		dir := t.TempDir()
		writeFile(t, filepath.Join(dir, "git"), "#!/bin/sh\necho "+say+"\n", 0o755)
		dirs = append(dirs, dir)
	}
	ctx := context.Background()
	for _, tt := range []struct {
		path, want string
	}{
		{dirs[0], "first"},
		{dirs[0], "first"},
		{dirs[1], "second"},
		{dirs[0] + string(os.PathListSeparator) + dirs[1], "first"},
	} {
		t.Setenv("PATH", tt.path)
		if out, err := gitcmd.Output(ctx, t.TempDir(), "version"); err != nil || out != tt.want {
			t.Errorf("PATH=%s: %q, %v; want %q", tt.path, out, err, tt.want)
		}
	}
	t.Setenv("PATH", t.TempDir())
	if _, err := gitcmd.Output(ctx, t.TempDir(), "version"); !errors.Is(err, exec.ErrNotFound) {
		t.Errorf("no git on PATH: %v, want exec.ErrNotFound", err)
	}
}
