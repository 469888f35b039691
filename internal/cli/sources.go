package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/config"
	"github.com/ospo-project/ospo/internal/mirror"
	"github.com/ospo-project/ospo/internal/progress"
	"github.com/ospo-project/ospo/internal/report"
	"github.com/ospo-project/ospo/internal/source/artifactory"
	"github.com/ospo-project/ospo/internal/source/backstage"
	"github.com/ospo-project/ospo/internal/source/github"
	"github.com/ospo-project/ospo/internal/source/gitlab"
	"github.com/ospo-project/ospo/internal/source/jenkins"
	"github.com/ospo-project/ospo/internal/source/jira"
	"github.com/ospo-project/ospo/internal/sourcesync"
	"github.com/ospo-project/ospo/internal/store"
)

func (a *app) sourcesCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "sources",
		Short: "Configure the services the catalogue is fed from (GitHub, Backstage) and sync them",
		Long: `sources lists, adds, removes and syncs the sources named under "sources:" in
ospo.yaml. A source only adds facts beside what scans find: a GitHub
organisation's repositories (mirrored and scanned like any checkout), their
pull requests, issues and releases; a Backstage instance's entities.

Secrets are never written anywhere: a source names the environment variable
(--token-env) or the file (--token-file) its token is read from at sync time.
See docs/sources.md.`,
	}
	cmd.AddCommand(a.sourcesListCmd(), a.sourcesAddCmd(), a.sourcesRemoveCmd(), a.sourcesSyncCmd())
	return cmd
}

// sourceRow is one line of `sources list`.
type sourceRow struct {
	config.Source
	State *catalog.SourceState `json:"state,omitempty"`
}

func (a *app) sourcesListCmd() *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "list",
		Short: "Configured sources with their last sync, status and API budget",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := report.CheckFormat(format, report.FormatTable, report.FormatJSON); err != nil {
				return usageErr("%v", err)
			}
			cfg, err := config.Load(a.configPath())
			if err != nil {
				return usageErr("%v", err)
			}
			ctx := cmd.Context()
			st, err := a.store(ctx)
			if err != nil {
				return err
			}
			rows := make([]sourceRow, 0, len(cfg.Sources))
			for _, s := range cfg.Sources {
				row := sourceRow{Source: s}
				state, err := st.SourceState(ctx, s.Name)
				if err != nil && !errors.Is(err, store.ErrNotFound) {
					return internalErr(err)
				}
				row.State = state
				rows = append(rows, row)
			}
			if format == report.FormatJSON {
				return report.JSON(a.stdout, rows)
			}
			if len(rows) == 0 {
				fmt.Fprintln(a.stdout, "No sources configured; add one with `ospo sources add`.")
				return nil
			}
			t := report.NewTable(a.stdout, "NAME", "KIND", "WHAT", "LAST SYNC", "STATUS", "BUDGET", "ERROR")
			for _, r := range rows {
				what := r.Org
				switch r.Kind {
				case config.KindBackstage:
					what = r.URL
				case config.KindGitLab:
					what = r.Group
				case config.KindJenkins, config.KindArtifactory:
					what = r.URL
				case config.KindJIRA:
					keys := make([]string, 0, len(r.Projects))
					for k := range r.Projects {
						keys = append(keys, k)
					}
					slices.Sort(keys)
					what = r.URL + " " + strings.Join(keys, ",")
				}
				last, status, budget, errText := "never", "", "", ""
				if s := r.State; s != nil {
					if !s.LastAttempt.IsZero() {
						last = s.LastAttempt.Format(time.RFC3339)
					}
					status, errText = s.Status, s.LastError
					if s.Rate.Limit > 0 {
						budget = fmt.Sprintf("%d/%d", s.Rate.Remaining, s.Rate.Limit)
					}
				}
				t.Row(r.Name, r.Kind, what, last, status, budget, errText)
			}
			return t.Flush()
		},
	}
	addFormat(cmd, &format, report.FormatTable, report.FormatJSON)
	return cmd
}

func (a *app) sourcesAddCmd() *cobra.Command {
	var src config.Source
	var interval time.Duration
	var jiraProjects, jenkinsJobs, rtBuilds []string
	cmd := &cobra.Command{
		Use:   "add KIND NAME",
		Short: "Add a source to ospo.yaml (kinds: github, gitlab, jira, jenkins, artifactory, backstage)",
		Long: `add writes a source to the configuration file (--config, $OSPO_CONFIG, else
./ospo.yaml, created if missing), keeping the rest of the file. The token is
not asked for: name the environment variable or file that holds it.`,
		Example: `  ospo sources add github acme --org acme --token-env GITHUB_TOKEN
  ospo sources add github ghe --org platform --api-url https://ghe.example.com/api/v3/ --token-file /run/secrets/ghe
  ospo sources add github acme --org acme --app-id 12345 --installation-id 678 --private-key-file /run/secrets/app.pem
  ospo sources add gitlab platform --group acme/platform --token-env GITLAB_TOKEN
  ospo sources add gitlab onprem --group 42 --api-url https://gitlab.example.com/api/v4/ --token-file /run/secrets/gitlab
  ospo sources add jira jira --url https://acme.atlassian.net --user bot@acme.com --token-env JIRA_TOKEN --project PAY=github.com/acme/pay
  ospo sources add jira dc --url https://jira.acme.com --token-env JIRA_PAT --project WEB=github.com/acme/web,github.com/acme/web-ui
  ospo sources add jenkins ci --url https://ci.acme.com/jenkins --user ospo --token-env JENKINS_TOKEN --job pay/main=github.com/acme/pay
  ospo sources add artifactory rt --url https://acme.jfrog.io/artifactory --token-env RT_TOKEN --build pay=github.com/acme/pay
  ospo sources add backstage portal --url https://backstage.example.com --token-env BACKSTAGE_TOKEN`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			src.Kind, src.Name = args[0], args[1]
			src.Interval = config.Duration(interval)
			var err error
			if src.Jobs, err = projectLinks("--job", "JOB", jenkinsJobs); err != nil {
				return err
			}
			if src.Builds, err = projectLinks("--build", "BUILD", rtBuilds); err != nil {
				return err
			}
			for _, p := range jiraProjects {
				key, projects, _ := strings.Cut(p, "=")
				if src.Projects == nil {
					src.Projects = map[string][]string{}
				}
				var keys []string
				for _, k := range strings.Split(projects, ",") {
					if k = strings.TrimSpace(k); k != "" {
						keys = append(keys, k)
					}
				}
				src.Projects[strings.TrimSpace(key)] = append(src.Projects[strings.TrimSpace(key)], keys...)
			}
			path := a.configPath()
			if path == "" {
				path = "ospo.yaml"
			}
			if err := config.AddSource(path, src); err != nil {
				return usageErr("%v", err)
			}
			fmt.Fprint(a.stdout, report.Cleanf("Added %s source %s to %s; run `ospo sources sync %s`.\n", src.Kind, src.Name, path, src.Name))
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&src.Org, "org", "", "GitHub organisation (github)")
	f.StringVar(&src.Group, "group", "", "GitLab group, its ID or full path; subgroups are included (gitlab)")
	f.StringVar(&src.APIURL, "api-url", "", "API base URL, e.g. https://ghe.example.com/api/v3/ for GitHub Enterprise Server (github), https://gitlab.example.com/api/v4/ (gitlab)")
	f.StringVar(&src.URL, "url", "", "Backstage base URL (backstage), JIRA site URL (jira), Jenkins URL (jenkins), Artifactory URL, e.g. https://acme.jfrog.io/artifactory (artifactory)")
	f.StringVar(&src.User, "user", "", "e-mail address of the JIRA Cloud API token, omitted for a Server/Data Center personal access token (jira); the user of the API token (jenkins); the user of an API key, omitted for an access token (artifactory)")
	f.StringArrayVar(&jenkinsJobs, "job", nil, "JOB=PROJECT: link a Jenkins job (folder/name) to a catalogue project when its builds do not name their git remote; repeatable (jenkins)")
	f.StringArrayVar(&rtBuilds, "build", nil, "BUILD=PROJECT: link an Artifactory build to a catalogue project when its build-info records no VCS URL; repeatable (artifactory)")
	f.StringArrayVar(&src.Repos, "repo", nil, "repository key to read; repeatable; none means every local and remote repository (artifactory)")
	f.StringVar(&src.Flavor, "flavor", "", "cloud or server; guessed from the URL when empty (jira)")
	f.StringArrayVar(&jiraProjects, "project", nil, "JIRA project to read, KEY or KEY=PROJECT[,PROJECT…] to link its issues to catalogue projects; repeatable (jira)")
	f.StringVar(&src.TokenEnv, "token-env", "", "environment variable holding the token")
	f.StringVar(&src.TokenFile, "token-file", "", "file holding the token")
	f.Int64Var(&src.AppID, "app-id", 0, "GitHub App ID, to authenticate as the App's installation instead of with a token (github)")
	f.Int64Var(&src.InstallationID, "installation-id", 0, "the GitHub App's installation on the organisation (github)")
	f.StringVar(&src.PrivateKeyEnv, "private-key-env", "", "environment variable holding the GitHub App's private key, PEM (github)")
	f.StringVar(&src.PrivateKeyFile, "private-key-file", "", "file holding the GitHub App's private key, PEM (github)")
	f.DurationVar(&interval, "interval", 0, "how often `ospo sync` syncs it (default 1h)")
	f.BoolVar(&src.NoMirror, "no-mirror", false, "record what the API says only; do not clone and scan the repositories (github, gitlab)")
	return cmd
}

func (a *app) sourcesRemoveCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "remove NAME",
		Short: "Remove a source from ospo.yaml and the facts it brought from the catalogue",
		Long: `remove deletes the source from the configuration file and its sync state,
forge facts and imported entities from the store. Projects scanned from its
mirrors stay until deleted; the mirrors themselves are left on disk.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			path := a.configPath()
			if path == "" {
				path = "ospo.yaml"
			}
			if err := config.RemoveSource(path, args[0]); err != nil {
				return usageErr("%v", err)
			}
			st, err := a.store(cmd.Context())
			if err != nil {
				return err
			}
			if err := st.DeleteSource(cmd.Context(), args[0]); err != nil {
				return internalErr(err)
			}
			fmt.Fprint(a.stdout, report.Cleanf("Removed source %s.\n", args[0]))
			return nil
		},
	}
}

// syncFlags tune `sync` and `sources sync`.
type syncFlags struct {
	mirrors string
	noScan  bool
	format  string
	scan    scanFlags
}

func (a *app) sourcesSyncCmd() *cobra.Command {
	var f syncFlags
	cmd := &cobra.Command{
		Use:   "sync [NAME...]",
		Short: "Sync the named sources now (all of them without a name), due or not",
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.runSync(cmd.Context(), args, true, f)
		},
	}
	a.syncFlagSet(cmd, &f)
	return cmd
}

func (a *app) syncCmd() *cobra.Command {
	var f syncFlags
	cmd := &cobra.Command{
		Use:   "sync",
		Short: "Sync every source that is due, mirror and scan what changed",
		Long: `sync runs every configured source whose interval has passed since its last
attempt: it reads what changed (conditional requests: an unchanged source
costs one request per listing page), saves it, fetches the mirrors of the
repositories that moved into the managed directory (--mirrors) and scans
them like any checkout. A source that fails is marked failed with the
reason, keeps the facts of its last good sync, and the others go on; the
exit code is then 3.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.runSync(cmd.Context(), nil, false, f)
		},
	}
	a.syncFlagSet(cmd, &f)
	return cmd
}

func (a *app) syncFlagSet(cmd *cobra.Command, f *syncFlags) {
	cmd.Flags().StringVar(&f.mirrors, "mirrors", "", "directory of the managed mirrors (default: mirrors/ beside the SQLite store, else under the data directory)")
	cmd.Flags().BoolVar(&f.noScan, "no-scan", false, "sync and mirror, but do not scan")
	a.scanFlags(cmd, &f.scan)
	a.queueFlags(cmd, &f.scan)
	addFormat(cmd, &f.format, report.FormatTable, report.FormatJSON)
}

// mirrorsDir returns where mirrors live when --mirrors is not given.
func (a *app) mirrorsDir() string {
	dsn := a.dsn()
	if !strings.Contains(dsn, "://") {
		return filepath.Join(filepath.Dir(dsn), "mirrors")
	}
	return filepath.Join(filepath.Dir(defaultDB()), "mirrors")
}

// syncReport is what `sync --format json` prints.
type syncReport struct {
	Sources  []sourceResult `json:"sources"`
	Mirrored int            `json:"mirrored"`
	Mirror   []string       `json:"mirror_errors,omitempty"`
	Scan     *scanReport    `json:"scan,omitempty"`
	// Events counts the new review and upstream-contribution events the
	// forge sources' pull requests gave.
	Events int `json:"events"`
}

type sourceResult struct {
	Name    string              `json:"name"`
	Kind    string              `json:"kind"`
	Status  string              `json:"status"`
	Error   string              `json:"error,omitempty"`
	Summary string              `json:"summary,omitempty"`
	State   catalog.SourceState `json:"state"`
}

// runSync syncs the sources named (every configured one when none is; only
// the due ones unless force), then mirrors and scans.
func (a *app) runSync(ctx context.Context, names []string, force bool, f syncFlags) error {
	if err := report.CheckFormat(f.format, report.FormatTable, report.FormatJSON); err != nil {
		return usageErr("%v", err)
	}
	cfg, err := config.Load(a.configPath())
	if err != nil {
		return usageErr("%v", err)
	}
	var chosen []config.Source
	for _, n := range names {
		s, ok := cfg.FindSource(n)
		if !ok {
			return usageErr("no source named %s in the configuration", n)
		}
		chosen = append(chosen, s)
	}
	if len(names) == 0 {
		chosen = cfg.Sources
	}
	if len(chosen) == 0 {
		return usageErr("no sources configured; add one with `ospo sources add`")
	}
	st, err := a.store(ctx)
	if err != nil {
		return err
	}
	now := time.Now()
	var jobs []sourcesync.Job
	var secrets []string
	gitTokens := map[string]string{} // source → the token git sends to its host
	for _, s := range chosen {
		if !force {
			prev, err := st.SourceState(ctx, s.Name)
			if err == nil && !sourcesync.Due(prev.LastAttempt, s.EveryInterval(), now) {
				continue
			}
		}
		j, gitToken := a.sourceJob(ctx, s)
		secrets = append(secrets, j.Secrets...)
		jobs = append(jobs, j)
		gitTokens[s.Name] = gitToken
	}
	// On PostgreSQL with workers running (or --queue), the workers sync.
	if f.scan.queue && f.scan.inProcess {
		return usageErr("--queue and --in-process exclude each other")
	}
	q, err := a.useQueue(ctx, f.scan.queue, f.scan.inProcess)
	if err != nil {
		return err
	}
	if q != nil {
		defer q.Close()
		return a.queueSync(ctx, q, jobs, f)
	}
	rep := &syncReport{}
	bar := progress.New(a.stderr, "sync", a.quiet)
	for i := range jobs {
		if jobs[i].Source != nil {
			jobs[i].Source = &reporting{Source: jobs[i].Source, bar: bar, name: jobs[i].Name, done: i, total: len(jobs)}
		}
	}
	results, runErr := sourcesync.Run(ctx, st, jobs, nil)
	bar.Done()
	failed := 0
	mirrors := f.mirrors
	if mirrors == "" {
		mirrors = a.mirrorsDir()
	}
	var roots []string
	for _, r := range results {
		sr := sourceResult{Name: r.Name, Kind: r.State.Kind, Status: r.State.Status, Summary: r.Outcome.Summary, State: r.State}
		if r.Err != nil {
			failed++
			sr.Error = r.Err.Error()
			a.log.Warn("source failed", "source", r.Name, "error", sr.Error)
		}
		rep.Sources = append(rep.Sources, sr)
		s, _ := cfg.FindSource(r.Name)
		if r.Err != nil || s.NoMirror || len(r.Outcome.Repos) == 0 {
			continue
		}
		dir := filepath.Join(mirrors, s.Name)
		n, errs := a.mirrorAll(ctx, st, dir, s, gitTokens[s.Name], r.Outcome.Repos)
		rep.Mirrored += n
		for _, e := range errs {
			msg := sourcesync.RedactString(e.Error(), secrets)
			rep.Mirror = append(rep.Mirror, msg)
			a.log.Warn("mirror failed", "source", r.Name, "error", msg)
		}
		if n > 0 || len(errs) > 0 {
			roots = append(roots, dir)
		} else if _, err := os.Stat(dir); err == nil && f.scan.force {
			roots = append(roots, dir)
		}
	}
	if runErr != nil {
		return runErr
	}
	if len(roots) > 0 && !f.noScan {
		sf := f.scan
		sf.format = f.format
		// With --format json the scan's report goes into ours rather
		// than being printed on its own.
		out := a.stdout
		if f.format == report.FormatJSON {
			a.stdout = io.Discard
		}
		scanRep, err := a.scan(ctx, roots, sf)
		a.stdout = out
		if err != nil {
			return err
		}
		rep.Scan = scanRep
	}
	if rep.Events, err = a.deriveForgeEvents(ctx, st); err != nil {
		return err
	}
	if f.format == report.FormatJSON {
		if err := report.JSON(a.stdout, rep); err != nil {
			return err
		}
	} else {
		a.printSync(rep, len(chosen)-len(jobs))
	}
	if failed > 0 {
		return &exitError{code: ExitInternal, err: fmt.Errorf("%d of %d sources failed; their last good data is kept", failed, len(results))}
	}
	return nil
}

func (a *app) printSync(rep *syncReport, skipped int) {
	w := a.stdout
	for _, s := range rep.Sources {
		line := fmt.Sprintf("%s (%s): %s", s.Name, s.Kind, s.Status)
		if s.Error != "" {
			line += ": " + s.Error
		} else {
			line += fmt.Sprintf(", %d requests (%d not modified)", s.State.Requests, s.State.NotModified)
			if s.Summary != "" {
				line += ", " + s.Summary
			}
			if s.State.Rate.Limit > 0 {
				line += fmt.Sprintf("; API budget %d/%d", s.State.Rate.Remaining, s.State.Rate.Limit)
			}
		}
		fmt.Fprintln(w, report.Clean(line))
	}
	if skipped > 0 {
		fmt.Fprintf(w, "%d sources not due yet.\n", skipped)
	}
	if rep.Events > 0 {
		fmt.Fprintf(w, "%d new events from forge pull requests.\n", rep.Events)
	}
	if rep.Mirrored > 0 || len(rep.Mirror) > 0 {
		fmt.Fprintf(w, "Mirrored %d repositories", rep.Mirrored)
		if len(rep.Mirror) > 0 {
			fmt.Fprintf(w, "; %d could not be fetched:", len(rep.Mirror))
		}
		fmt.Fprintln(w)
		for _, m := range rep.Mirror {
			fmt.Fprintf(w, "  %s\n", report.Clean(m))
		}
	}
}

// sourceJob sets up the source s for sourcesync.Run, and returns the token
// git may send to the source's host when mirroring; a source that cannot be
// set up (its token is missing, its GitHub App refused) becomes a job that
// fails with the reason.
func (a *app) sourceJob(ctx context.Context, s config.Source) (sourcesync.Job, string) {
	j := sourcesync.Job{Name: s.Name, Kind: s.Kind}
	token, err := s.Token()
	if err != nil {
		j.Err = err
		return j, ""
	}
	if token != "" {
		j.Secrets = []string{token}
	}
	client := &http.Client{Timeout: 2 * time.Minute}
	if s.AppID != 0 {
		// A GitHub App: its installation token authenticates the API
		// (renewed as it nears expiry) and git.
		key, err := s.PrivateKey()
		if err != nil {
			j.Err = err
			return j, ""
		}
		j.Secrets = append(j.Secrets, key)
		auth, err := github.NewAppAuth(s.AppID, s.InstallationID, []byte(key), s.APIURL, nil, nil)
		if err == nil {
			token, err = auth.Token(ctx)
		}
		if err != nil {
			j.Err = fmt.Errorf("source %s: %w", s.Name, err)
			return j, ""
		}
		j.Secrets = append(j.Secrets, token)
		client.Transport = auth.Transport(nil)
		j.Source, j.Err = github.New(s.Name, s.Org, github.Options{APIURL: s.APIURL, Client: client})
		return j, token
	}
	switch s.Kind {
	case config.KindBackstage:
		j.Source = &backstage.Source{Name: s.Name, BaseURL: s.URL, Token: token, Client: client}
	case config.KindGitHub:
		j.Source, j.Err = newGitHubSource(s, token, client)
	case config.KindGitLab:
		j.Source, j.Err = newGitLabSource(s, token, client)
	case config.KindJenkins:
		j.Source, j.Err = jenkins.New(s.Name, jenkins.Options{URL: s.URL, User: s.User, Token: token, Jobs: s.Jobs, Client: client})
	case config.KindArtifactory:
		j.Source, j.Err = artifactory.New(s.Name, artifactory.Options{URL: s.URL, User: s.User, Token: token, Repos: s.Repos,
			Builds: s.Builds, Client: client})
	case config.KindJIRA:
		// Repositories link themselves with catalog-info's
		// jira/project-key annotation, besides the configuration.
		var annotated map[string][]string
		if st, err := a.store(ctx); err == nil {
			if annotated, err = st.AnnotatedTrackerProjects(ctx); err != nil {
				j.Err = fmt.Errorf("source %s: %w", s.Name, err)
				return j, token
			}
		}
		j.Source, j.Err = jira.New(s.Name, s.Projects, jira.Options{URL: s.URL, Flavor: s.Flavor, User: s.User,
			Token: token, Client: client, Annotated: annotated})
	default:
		j.Err = fmt.Errorf("unknown kind %q", s.Kind)
	}
	return j, token
}

// mirrorAll clones or fetches the repositories that changed (and those
// without a mirror yet), four at a time, and returns how many it mirrored
// and what failed. Repositories renamed or transferred since the last sync
// first have their mirrors moved and their projects re-keyed.
func (a *app) mirrorAll(ctx context.Context, st store.Store, dir string, s config.Source, token string, repos []sourcesync.Repo) (int, []error) {
	renameErrs := followRenames(ctx, st, dir, repos)
	n, errs := a.mirrorEach(ctx, dir, s, token, repos)
	return n, append(renameErrs, errs...)
}

// followRenames moves the mirror of each repository renamed or transferred
// since the last sync (same forge id, new full name) to its new name and
// re-keys its scanned project to the new clone URL's key, so that it stays
// one project, with its history, rather than becoming a second one; it
// returns what failed.
func followRenames(ctx context.Context, st store.Store, dir string, repos []sourcesync.Repo) []error {
	var errs []error
	for _, r := range repos {
		if r.Previous == "" {
			continue
		}
		if _, err := mirror.Move(ctx, dir, r.Previous, mirror.Repo{FullName: r.FullName, CloneURL: r.CloneURL}); err != nil {
			errs = append(errs, err)
			continue
		}
		from, to := r.PreviousProjectKey, r.ProjectKey
		if from == "" || to == "" || from == to {
			continue
		}
		if err := st.RekeyProject(ctx, from, to); err != nil && !errors.Is(err, store.ErrNotFound) {
			errs = append(errs, fmt.Errorf("keep %s one project after its move to %s: %w", r.Previous, r.FullName, err))
		}
	}
	return errs
}

// mirrorEach clones or fetches the repositories that changed (and those
// without a mirror yet), four at a time.
func (a *app) mirrorEach(ctx context.Context, dir string, s config.Source, token string, repos []sourcesync.Repo) (int, []error) {
	var todo []sourcesync.Repo
	for _, r := range repos {
		path, err := mirror.Path(dir, r.FullName)
		if err != nil {
			continue
		}
		if _, err := os.Stat(path); r.Changed || err != nil {
			todo = append(todo, r)
		}
	}
	if len(todo) == 0 {
		return 0, nil
	}
	bar := progress.New(a.stderr, "mirror "+s.Name, a.quiet)
	defer bar.Done()
	var mu sync.Mutex
	var errs []error
	done, ok := 0, 0
	sem := make(chan struct{}, 4)
	var wg sync.WaitGroup
	for _, r := range todo {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			tok := ""
			if sameHost(r.CloneURL, s) {
				tok = token
			}
			_, err := mirror.Sync(ctx, dir, mirror.Repo{FullName: r.FullName, CloneURL: r.CloneURL, Token: tok})
			mu.Lock()
			defer mu.Unlock()
			done++
			if err != nil {
				errs = append(errs, err)
			} else {
				ok++
			}
			bar.Update(done, len(todo), r.FullName)
		}()
	}
	wg.Wait()
	return ok, errs
}

// sameHost reports whether cloneURL is on the forge that s's API belongs to,
// the only host its token may be sent to: github.com for api.github.com,
// gitlab.com when a gitlab source names no API, else the API URL's host.
func sameHost(cloneURL string, s config.Source) bool {
	c, err := url.Parse(cloneURL)
	if err != nil {
		return false
	}
	api := s.APIURL
	if api == "" {
		api = "https://api.github.com/"
		if s.Kind == config.KindGitLab {
			api = gitlab.DefaultAPIURL
		}
	}
	u, err := url.Parse(api)
	if err != nil {
		return false
	}
	host := u.Hostname()
	if host == "api.github.com" {
		host = "github.com"
	}
	return strings.EqualFold(c.Hostname(), host)
}

// projectLinks reads repeated NAME=PROJECT flag values into a map; nil
// when there are none.
func projectLinks(flag, what string, values []string) (map[string]string, error) {
	var out map[string]string
	for _, v := range values {
		name, project, ok := strings.Cut(v, "=")
		name, project = strings.TrimSpace(name), strings.TrimSpace(project)
		if !ok || name == "" || project == "" {
			return nil, usageErr("%s %q: want %s=PROJECT", flag, v, what)
		}
		if out == nil {
			out = map[string]string{}
		}
		out[name] = project
	}
	return out, nil
}

// reporting is a source that shows on a progress bar which source is
// syncing and how many are done.
type reporting struct {
	sourcesync.Source
	bar         *progress.Bar
	name        string
	done, total int
}

// Sync implements sourcesync.Source.
func (r *reporting) Sync(ctx context.Context, prev catalog.SourceState, sink sourcesync.Sink) (sourcesync.Outcome, error) {
	r.bar.Update(r.done, r.total, r.name)
	out, err := r.Source.Sync(ctx, prev, sink)
	r.bar.Update(r.done+1, r.total, r.name)
	return out, err
}
