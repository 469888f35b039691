// Package cli is ospo's command line and the composition root: the only
// place where sources, scanners, analyses, stores and the hub are wired
// together. Each command lives in its own file.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime/pprof"
	"strings"

	"github.com/spf13/cobra"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/config"
	"github.com/ospo-project/ospo/internal/report"
	"github.com/ospo-project/ospo/internal/store"
	"github.com/ospo-project/ospo/internal/store/backend"
	"github.com/ospo-project/ospo/internal/store/postgres"
)

// Exit codes, documented in the README.
const (
	ExitOK        = 0
	ExitViolation = 1 // a policy gate failed
	ExitUsage     = 2 // bad arguments or unreadable input
	ExitInternal  = 3 // the store or the machine failed
)

// exitError carries an exit code with the message shown to the user.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

func usageErr(format string, args ...any) error {
	return &exitError{code: ExitUsage, err: fmt.Errorf(format, args...)}
}

func internalErr(err error) error { return &exitError{code: ExitInternal, err: err} }

// app holds what every command shares: the output streams, global flags and
// the store, opened on first use.
type app struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	as             string
	dbFlag         string
	configFlag     string
	logLevel       string
	quiet          bool
	cpuProfile     string
	stopProfile    func()
	log            *slog.Logger
	st             store.Store
	// storeMode is how the command opens the store, from storeModes.
	storeMode storeMode
	cfg       *config.Config // loaded once, by config
	// newDir is where the hub's form of ospo new creates repositories
	// (serve --new-dir); empty: no form.
	newDir string
	// resourcePages is the git repository of the hub's resource pages (serve
	// --resources); empty: hub.resources of the configuration.
	resourcePages string
}

// storeMode is how a command opens the catalogue.
type storeMode int

const (
	// storeWrite opens (creating it if needed) the store for writing.
	storeWrite storeMode = iota
	// storeRead opens an existing store read-only, so that the command
	// works on read-only media and cannot change the catalogue.
	storeRead
	// storeExisting opens an existing store, for writing where it can be
	// written and read-only elsewhere (the hub, which records sign-ins).
	storeExisting
)

// storeModes says how each command that does not write the catalogue opens
// it. Such commands never create a store: a mistyped --db is an error, not
// an empty catalogue. A command missing here opens the store for writing.
var storeModes = map[string]storeMode{
	"projects": storeRead, "project": storeRead, "people": storeRead, "person": storeRead,
	"deps": storeRead, "who-uses": storeRead, "technologies": storeRead, "technology": storeRead,
	"sbom": storeRead, "licenses": storeRead, "notice": storeRead, "vulns": storeRead, "vuln": storeRead,
	"score": storeRead, "scores": storeRead, "badge": storeRead, "inbox": storeRead, "fix": storeRead,
	"advisories status": storeRead, "audit list": storeRead, "audit verify": storeRead, "audit export": storeRead,
	"users list": storeRead, "tokens list": storeRead, "teams list": storeRead, "pushes": storeRead,
	"request show": storeRead,
	"recommend":    storeRead, "similar": storeRead, "eval recommend": storeRead,
	"serve": storeExisting, "inbox snooze": storeExisting, "inbox done": storeExisting, "inbox reopen": storeExisting, "inbox digest": storeExisting,
}

// Run executes the command line args (args[0] is the program name) with
// the process's standard input and returns the process exit code.
func Run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	return RunIO(ctx, args, os.Stdin, stdout, stderr)
}

// RunIO is Run reading standard input (a password given with
// --password-stdin) from stdin.
func RunIO(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	a := &app{stdin: stdin, stdout: stdout, stderr: stderr}
	root := a.rootCmd()
	root.SetArgs(args[1:])
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.ExecuteContext(ctx)
	if a.stopProfile != nil {
		a.stopProfile()
	}
	if a.st != nil {
		if cerr := a.st.Close(); cerr != nil && err == nil {
			err = internalErr(fmt.Errorf("close store: %w", cerr))
		}
	}
	if err == nil {
		return ExitOK
	}
	fmt.Fprintf(stderr, "ospo: %s\n", report.CleanText(err.Error()))
	// An interrupt is reported as one even when it surfaced as another
	// error, e.g. while the store was being opened.
	if ctx.Err() != nil && errors.Is(err, context.Canceled) {
		return 130
	}
	var ee *exitError
	if errors.As(err, &ee) {
		return ee.code
	}
	if errors.Is(err, context.Canceled) {
		return 130
	}
	// Errors cobra raises itself (unknown command or flag) are usage errors.
	return ExitUsage
}

func (a *app) rootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:   "ospo",
		Short: "The open source program office's catalogue of projects, technologies and people",
		Long: `ospo scans an organisation's git repositories into one catalogue of projects,
the languages and packages they use, and the people who work on them, and
serves it as a hub.

The catalogue is stored in SQLite by default (` + defaultDB() + `);
use --db or OSPO_DB for another file or a postgres:// URL.`,
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error {
			if err := checkNumericFlags(cmd); err != nil {
				return err
			}
			a.storeMode = storeModes[strings.TrimPrefix(cmd.CommandPath(), cmd.Root().Name()+" ")]
			return a.setup()
		},
	}
	f := root.PersistentFlags()
	f.StringVar(&a.dbFlag, "db", "", "catalogue store: a SQLite file path or a postgres:// URL (default $OSPO_DB, else "+defaultDB()+")")
	f.StringVar(&a.configFlag, "config", "", "configuration file (default $OSPO_CONFIG, else ./ospo.yaml when present)")
	f.StringVar(&a.logLevel, "log-level", "warn", "log level: debug, info, warn, error")
	f.BoolVarP(&a.quiet, "quiet", "q", false, "no progress output")
	f.StringVar(&a.as, "as", "", "who the audit log records as making a change (default: the operating system user)")
	f.StringVar(&a.cpuProfile, "cpuprofile", "", "write a CPU profile of the command to this file")
	f.MarkHidden("cpuprofile")
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageErr("%v", err) })

	root.AddCommand(
		a.scanCmd(),
		a.upCmd(),
		a.serveCmd(),
		a.projectsCmd(),
		a.projectCmd(),
		a.peopleCmd(),
		a.personCmd(),
		a.depsCmd(),
		a.whoUsesCmd(),
		a.technologiesCmd(),
		a.technologyCmd(),
		a.expertsCmd(),
		a.truckFactorCmd(),
		a.recommendCmd(),
		a.similarCmd(),
		a.evalCmd(),
		a.sbomCmd(),
		a.checkCmd(),
		a.licensesCmd(),
		a.noticeCmd(),
		a.advisoriesCmd(),
		a.vulnsCmd(),
		a.vulnCmd(),
		a.scoreCmd(),
		a.newCmd(),
		a.fixCmd(),
		a.scoresCmd(),
		a.badgeCmd(),
		a.migrateCmd(),
		a.usersCmd(),
		a.tokensCmd(),
		a.auditCmd(),
		a.teamsCmd(),
		a.innersourceCmd(),
		a.eventsCmd(),
		a.badgesCmd(),
		a.healthCmd(),
		a.inboxCmd(),
		a.versionCmd(),
		a.sourcesCmd(),
		a.syncCmd(),
		a.exportCmd(),
		a.benchCmd(),
		a.requestCmd(),
		a.requestsCmd(),
		a.externalCmd(),
		a.governCmd(),
		a.notifyCmd(),
		a.workerCmd(),
		a.jobsCmd(),
		a.proxyCmd(),
		a.pushesCmd(),
		a.pushCmd(),
	)
	return root
}

func (a *app) setup() error {
	var level slog.Level
	if err := level.UnmarshalText([]byte(a.logLevel)); err != nil {
		return usageErr("--log-level: %v", err)
	}
	a.log = slog.New(slog.NewTextHandler(a.stderr, &slog.HandlerOptions{Level: level}))
	if a.cpuProfile != "" {
		f, err := os.Create(a.cpuProfile)
		if err != nil {
			return usageErr("--cpuprofile: %v", err)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			f.Close()
			return usageErr("--cpuprofile: %v", err)
		}
		a.stopProfile = func() { pprof.StopCPUProfile(); f.Close() }
	}
	return nil
}

// dsn returns the store location from --db, OSPO_DB or the default.
func (a *app) dsn() string {
	if a.dbFlag != "" {
		return a.dbFlag
	}
	if v := os.Getenv("OSPO_DB"); v != "" {
		return v
	}
	return defaultDB()
}

// defaultDB is the SQLite file used when no store is named: under the
// user's data directory, or ./ospo.db when there is no home directory.
func defaultDB() string {
	p, err := backend.DefaultPath()
	if err != nil {
		return "ospo.db"
	}
	return p
}

// redactDSN hides any password in a store location before it is shown.
func redactDSN(dsn string) string { return postgres.Redact(dsn) }

// store opens the catalogue store on first use.
func (a *app) store(ctx context.Context) (store.Store, error) {
	if a.st != nil {
		return a.st, nil
	}
	var open func(context.Context, string) (store.Store, error)
	switch a.storeMode {
	case storeWrite:
		open = backend.Open
	case storeRead:
		open = backend.OpenReadOnly
	case storeExisting:
		open = backend.OpenExisting
	}
	st, err := open(ctx, a.dsn())
	switch {
	case errors.Is(err, store.ErrNoCatalogue):
		return nil, usageErr("%v; `ospo scan PATH` creates it, --db or OSPO_DB names another", err)
	case err != nil:
		return nil, internalErr(err)
	}
	a.st = st
	return st, nil
}

// storeFor checks a listing's --format (table or json) before opening the
// store, so a usage error is reported without touching the store.
func (a *app) storeFor(ctx context.Context, format string) (store.Store, error) {
	if err := report.CheckFormat(format, report.FormatTable, report.FormatJSON); err != nil {
		return nil, usageErr("%v", err)
	}
	return a.store(ctx)
}

// notFound turns a lookup error into a user-facing one: "no project
// \"x\" in the catalogue" for a thing that is not there, else as classify.
func notFound(what, ref string, err error) error {
	if errors.Is(err, catalog.ErrNotFound) {
		return &exitError{code: catalog.FaultOf(err).Exit, err: fmt.Errorf("no %s %q in the catalogue", what, ref)}
	}
	return classify(err)
}

// classify gives err the exit code of its kind (catalog.FaultOf): 2 when
// the input was at fault, 3 otherwise. It keeps the whole message: a
// command line user sees the context too.
func classify(err error) error {
	if err == nil {
		return nil
	}
	return &exitError{code: catalog.FaultOf(err).Exit, err: err}
}

// addFormat registers --format on cmd with the allowed values.
func addFormat(cmd *cobra.Command, target *string, allowed ...string) {
	cmd.Flags().StringVar(target, "format", allowed[0], "output format: "+strings.Join(allowed, ", "))
}
