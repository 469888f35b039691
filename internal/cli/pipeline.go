package cli

import (
	"context"
	"os"
	"path/filepath"
	"time"

	"github.com/ospo-project/ospo/internal/analyze"
	"github.com/ospo-project/ospo/internal/config"
	"github.com/ospo-project/ospo/internal/govern"
)

// config returns ospo.yaml (--config, $OSPO_CONFIG, ./ospo.yaml), loaded
// once per command.
func (a *app) config() (config.Config, error) {
	if a.cfg != nil {
		return *a.cfg, nil
	}
	cfg, err := config.Load(a.configPath())
	if err != nil {
		return cfg, usageErr("%v", err)
	}
	a.cfg = &cfg
	return cfg, nil
}

// pipelineOptions are the command-line choices that tune the pipeline.
type pipelineOptions struct {
	// advisories opens the store for its advisories (vulnerabilities and
	// scorecard); without it no store is opened.
	advisories     bool
	strict, online bool
}

// analyzer returns the analysis pipeline configured by ospo.yaml and o.
func (a *app) analyzer(ctx context.Context, o pipelineOptions) (*analyze.Analyzer, error) {
	cfg, err := a.config()
	if err != nil {
		return nil, err
	}
	opts := analyze.Options{Config: cfg, Strict: o.strict, Online: o.online}
	if o.advisories {
		st, err := a.store(ctx)
		if err != nil {
			return nil, err
		}
		status, err := st.AdvisoryStatus(ctx)
		if err != nil {
			return nil, internalErr(err)
		}
		opts.Advisories, opts.AdvisoriesKnown = st, status.Total > 0
		// Approved exception requests are rules the gates read too.
		opts.Ignores, opts.LicenseExceptions, err = govern.Exceptions(ctx, st, time.Now().UTC())
		if err != nil {
			return nil, internalErr(err)
		}
	}
	an, err := analyze.New(opts)
	if err != nil {
		return nil, classify(err)
	}
	return an, nil
}

// target is what a command analyses: a directory on disk or a project of
// the catalogue.
type target struct {
	ref      string
	analyses analyze.Analyses
	// facts chooses the facts read from a directory (see analyze.Target).
	facts analyze.FactSet
	// kind and coverage: see analyze.Target.
	kind, coverage string
	// dirOnly refuses a catalogue project (check, notice).
	dirOnly bool
}

// isDir reports whether ref names a directory.
func isDir(ref string) bool {
	fi, err := os.Stat(ref)
	return err == nil && fi.IsDir()
}

// analyze runs the pipeline for t: over the work tree of a directory (as it
// is on disk, uncommitted changes included), or over a catalogue project.
func (a *app) analyze(ctx context.Context, an *analyze.Analyzer, t target) (*analyze.Result, error) {
	if isDir(t.ref) {
		abs, err := filepath.Abs(t.ref)
		if err != nil {
			return nil, usageErr("%v", err)
		}
		res, err := an.Analyze(ctx, analyze.Target{Dir: abs, Source: analyze.WorkTree, Analyses: t.analyses,
			Facts: t.facts, Kind: t.kind, CoverageFile: t.coverage})
		return res, classify(err)
	}
	if t.dirOnly {
		return nil, usageErr("%s is not a directory", t.ref)
	}
	st, err := a.store(ctx)
	if err != nil {
		return nil, err
	}
	p, err := st.Project(ctx, t.ref)
	if err != nil {
		return nil, notFound("project or directory", t.ref, err)
	}
	if t.kind != "" {
		p.Kind = t.kind
	}
	res, err := an.Stored(ctx, p, t.analyses, t.coverage)
	return res, classify(err)
}
