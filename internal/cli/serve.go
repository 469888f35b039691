package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/ospo-project/ospo/internal/config"
	"github.com/ospo-project/ospo/internal/goldenpath"
	"github.com/ospo-project/ospo/internal/govern"
	"github.com/ospo-project/ospo/internal/hub"
	"github.com/ospo-project/ospo/internal/hub/web"
	"github.com/ospo-project/ospo/internal/jobs"
	"github.com/ospo-project/ospo/internal/report"
)

// defaultListen keeps the hub private to the machine unless asked otherwise.
const defaultListen = "127.0.0.1:7474"

func (a *app) serveCmd() *cobra.Command {
	var listen string
	var insecure bool
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Serve the hub: web pages over the catalogue",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.serve(cmd.Context(), listen, insecure)
		},
	}
	cmd.Flags().StringVar(&listen, "listen", "", "address to listen on (default "+defaultListen+", or hub.listen in ospo.yaml)")
	cmd.Flags().BoolVar(&insecure, "insecure-no-auth", false, "serve without sign-in on a non-loopback address: anyone who can reach it reads the catalogue")
	cmd.Flags().StringVar(&a.resourcePages, "resources", "", "serve the Markdown pages of this git repository under /resources (default hub.resources in ospo.yaml)")
	cmd.Flags().StringVar(&a.newDir, "new-dir", "", "serve the form of ospo new (/new): repositories are created, committed and scanned under this directory")
	return cmd
}

func (a *app) upCmd() *cobra.Command {
	var f scanFlags
	var listen string
	var insecure bool
	cmd := &cobra.Command{
		Use:     "up PATH...",
		Short:   "Scan the repositories under PATH, then serve the hub",
		Example: "  ospo up ~/src\n  ospo up --listen 0.0.0.0:8080 /srv/mirrors",
		Args:    cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			f.format = report.FormatTable
			if err := a.checkOpenListen(listen, insecure); err != nil {
				return err // before a long scan, not after
			}
			if _, err := a.scan(cmd.Context(), args, f); err != nil {
				return err
			}
			return a.serve(cmd.Context(), listen, insecure)
		},
	}
	a.scanFlags(cmd, &f)
	cmd.Flags().StringVar(&listen, "listen", "", "address to listen on (default "+defaultListen+")")
	cmd.Flags().BoolVar(&insecure, "insecure-no-auth", false, "serve without sign-in on a non-loopback address: anyone who can reach it reads the catalogue")
	return cmd
}

func (a *app) serve(ctx context.Context, listen string, insecure bool) error {
	cfg, err := a.config()
	if err != nil {
		return err
	}
	listen = firstNonZero(listen, cfg.Hub.Listen, defaultListen)
	st, err := a.store(ctx)
	if err != nil {
		return err
	}
	an, err := a.analyzer(ctx, pipelineOptions{})
	if err != nil {
		return err
	}
	authOpts, err := a.hubAuth(ctx, st, cfg, listen, insecure)
	if err != nil {
		return err
	}
	hooks, err := webhookSecrets(cfg, config.KindGitHub)
	if err != nil {
		return usageErr("%v", err)
	}
	labHooks, err := webhookSecrets(cfg, config.KindGitLab)
	if err != nil {
		return usageErr("%v", err)
	}
	// On PostgreSQL the hub shows the job queue the workers share.
	var q *jobs.Queue
	if a.onPostgres() {
		if q, err = a.queue(ctx); err != nil {
			return err
		}
		defer q.Close()
	}
	gov, err := a.governor(ctx)
	if err != nil {
		return err
	}
	gov = a.evaluateInBackground(ctx, gov, q)
	hubOpts := []hub.Option{}
	if pp, err := pushProxy(cfg, st); err != nil {
		a.log.Warn("push proxy pages not served", "err", err)
	} else {
		hubOpts = append(hubOpts, hub.WithPushProxy(pp))
	}
	if cfg.Badges.IssuerKeyFile != "" {
		iss, err := a.issuer("")
		if err != nil {
			return err
		}
		hubOpts = append(hubOpts, hub.WithBadgeIssuer(iss))
	}
	if a.newDir != "" {
		templates, err := goldenpath.Builtin()
		if err != nil {
			return internalErr(err)
		}
		hubOpts = append(hubOpts, hub.WithGoldenPaths(web.GoldenPaths{Templates: templates, Create: a.createFromForm, Forges: forgeSources(cfg)}))
	}
	h, err := hub.New(st, a.log, append(hubOpts, hub.WithVersion(Version), hub.WithVulnIgnores(an.Ignores()), hub.WithLicenseClassifier(an.Policy().Classifier),
		hub.WithShowPaths(cfg.Hub.ShowPaths), hub.WithAuth(authOpts), hub.WithGitHubWebhooks(hooks),
		hub.WithGitLabWebhooks(labHooks), hub.WithQueue(q), hub.WithGovernance(gov), hub.WithAffiliations(cfg.Health.Affiliations), hub.WithLogins(cfg.Events.Logins),
		hub.WithResources(firstNonZero(a.resourcePages, cfg.Hub.Resources)))...)
	if err != nil {
		return internalErr(err)
	}
	go sweepSessions(ctx, authOpts.Service, a.log)
	h.StartWarm(ctx, func(d time.Duration, err error) {
		if err != nil {
			a.log.Warn("estate snapshot not built; the first request will try again", "error", err)
			return
		}
		a.log.Info("estate snapshot built", "duration", d)
	})
	err = hub.Serve(ctx, listen, h, func(addr net.Addr) {
		fmt.Fprintf(a.stderr, "hub listening on http://%s/ (Ctrl-C to stop)\n", addr)
	}, hub.ServeOptions{
		AllowedHosts:            cfg.Hub.AllowedHosts,
		MaxConnections:          cfg.Hub.MaxConnections,
		MaxConnectionsPerClient: cfg.Hub.MaxConnectionsPerClient,
	})
	if err != nil {
		return internalErr(err)
	}
	return nil
}

// createFromForm makes the repository r names under --new-dir from its
// template and values, commits it, creates it on r.Forge and pushes it
// there when asked (createRemote), and scans it, and returns its project
// ID. A directory that exists already is refused; a failed render, commit
// or forge creation leaves nothing behind; a push that fails after the
// forge created the repository keeps the local one and says so.
func (a *app) createFromForm(ctx context.Context, r web.NewRepository) (int64, error) {
	t, name, vals := r.Template, r.Name, r.Values
	root, err := filepath.Abs(a.newDir)
	if err != nil {
		return 0, err
	}
	dir := filepath.Join(root, name) // name passed goldenpath.CheckName: one plain element
	if err := os.Mkdir(dir, 0o755); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return 0, fmt.Errorf("%w: a repository named %s exists already", goldenpath.ErrInvalid, name)
		}
		return 0, err
	}
	if _, err := t.Render(dir, vals); err != nil {
		os.RemoveAll(dir)
		return 0, err
	}
	if err := commit(ctx, dir, t.Name, name); err != nil {
		os.RemoveAll(dir)
		return 0, err
	}
	if r.Forge != "" {
		// Before the scan, so the project is keyed by its origin, as the
		// source's sync keys it.
		if _, err := a.createRemote(ctx, r.Forge, dir, name, vals["description"], r.Private); err != nil {
			var pushErr *errRemote
			if !errors.As(err, &pushErr) {
				os.RemoveAll(dir)
			}
			return 0, err
		}
	}
	// The scan's summary is not the server's to print.
	sub := &app{stdout: io.Discard, stderr: io.Discard, as: a.as, dbFlag: a.dbFlag, configFlag: a.configFlag,
		quiet: true, log: a.log, st: a.st, storeMode: a.storeMode, cfg: a.cfg}
	if _, err := sub.scan(ctx, []string{dir}, scanFlags{format: report.FormatJSON}); err != nil {
		return 0, fmt.Errorf("scan %s: %w", dir, err)
	}
	p, err := a.st.Project(ctx, dir)
	if err != nil {
		return 0, fmt.Errorf("read the new project %s: %w", dir, err)
	}
	return p.ID, nil
}

// evaluateInBackground returns gov filing open-source requests at once and
// evaluating them in the background, never inside a hub request: on
// PostgreSQL as a River job when a worker runs, otherwise (SQLite, or no
// worker) in this process, one at a time, up to 256 waiting. On SQLite the
// hub is the only evaluator, so the requests a previous run left
// evaluating are taken up as it starts.
func (a *app) evaluateInBackground(ctx context.Context, gov *govern.Service, q *jobs.Queue) *govern.Service {
	bg := govern.NewBackground(gov, 1, 256)
	if q == nil {
		if n, err := bg.TakeUp(ctx); err != nil {
			a.log.Warn("requests left evaluating not all taken up; ospo govern tick takes up the others", "err", err)
		} else if n > 0 {
			a.log.Info("requests left evaluating taken up", "count", n)
		}
	}
	go bg.Run(ctx)
	if q == nil {
		return gov.WithSchedule(bg.Schedule)
	}
	queue := queueEvaluation(q)
	return gov.WithSchedule(func(ctx context.Context, id int64) error {
		if alive, err := q.WorkersAlive(ctx); err == nil && alive {
			return queue(ctx, id)
		}
		return bg.Schedule(ctx, id)
	})
}
