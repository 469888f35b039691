// Package analyze is the one analysis pipeline: given a repository's tree
// (its committed HEAD, a given commit, or its work tree as it is on disk)
// and the configuration, it returns values: the project's facts, its
// dependency inventory, licence findings, vulnerability findings and
// scorecard. `ospo scan` (through package scan), every command that reads
// a path (check, score, licenses, vulns, sbom, notice) and the hub call
// it, so that one question gets one answer whichever front end asks.
//
// Configuration is loaded once by the caller and passed to New. What the
// analyses need from outside (the advisories for a project's packages) is
// passed as a narrow interface; the pipeline never opens a store.
package analyze

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/config"
	"github.com/ospo-project/ospo/internal/extract/gitlog"
	"github.com/ospo-project/ospo/internal/extract/licensefile"
	"github.com/ospo-project/ospo/internal/gitrepo"
	"github.com/ospo-project/ospo/internal/license"
	"github.com/ospo-project/ospo/internal/license/resolve"
	"github.com/ospo-project/ospo/internal/scorecard"
	"github.com/ospo-project/ospo/internal/vuln"
)

// Source says which files of a repository are analysed.
type Source int

const (
	// Head is the committed tree of HEAD: what `ospo scan` records.
	Head Source = iota
	// Commit is the committed tree of Target.Commit.
	Commit
	// WorkTree is the directory as it is on disk, uncommitted changes
	// included (what `ospo check` gates in CI). A directory that is not a
	// git repository can only be read this way.
	WorkTree
)

// Analyses are the analyses run besides the facts.
type Analyses uint8

const (
	// Licenses resolves the dependencies' licences and applies the
	// licence policy.
	Licenses Analyses = 1 << iota
	// Vulnerabilities matches the dependencies against the advisories.
	Vulnerabilities
	// Scorecard rates the project; it implies the two others and mines
	// the history of HEAD even for a work tree.
	Scorecard
	// All is every analysis.
	All = Licenses | Vulnerabilities | Scorecard
)

// FactSet chooses which facts of a repository are gathered.
type FactSet uint8

const (
	// AllFacts are every extractor's facts (extract.List) and, for a
	// committed tree, the history of HEAD: what the catalogue records.
	AllFacts FactSet = iota
	// InventoryFacts are the repository's identity (key, name, remote,
	// HEAD, branch), the project's description and its dependencies, with
	// the problems met reading them (extract.Inventory): what an SBOM
	// records. No history is mined and no other file is read. The
	// licence analysis and the scorecard need every fact: with either,
	// InventoryFacts counts as AllFacts.
	InventoryFacts
)

// Advisories is what the vulnerability analysis needs from a catalogue:
// the advisories that affect some packages. store.Store provides it.
type Advisories = vuln.Source

// Options configure an Analyzer. Config is the loaded ospo.yaml.
type Options struct {
	Config config.Config
	// Advisories provides advisories; nil means none were imported (the
	// vulnerability analysis finds nothing and the scorecard says its
	// vulnerability probe is not available).
	Advisories Advisories
	// AdvisoriesKnown reports that advisories were imported at all; when
	// false, Advisories is not asked.
	AdvisoriesKnown bool
	// Strict counts unknown licences as violations (besides licensing.strict).
	Strict bool
	// Online asks package registries for licences (besides licensing.online).
	Online bool
	// Now returns the time analyses are made at; nil means time.Now in UTC.
	Now func() time.Time
	// Ignores and LicenseExceptions are added to ospo.yaml's vulnerability
	// ignore rules and licence exceptions: approved exception requests
	// (internal/govern.Exceptions).
	Ignores           []vuln.Ignore
	LicenseExceptions []license.Exception
}

// Analyzer runs the pipeline with one configuration. It is safe for
// concurrent use: a scan analyses many repositories at once with one.
type Analyzer struct {
	opts     Options
	policy   license.Policy
	resolver *resolve.Resolver
	scorer   *scorecard.Scorer
	ignores  []vuln.Ignore
}

// New compiles the configuration: licence policy, scorecard (custom CEL
// checks) and vulnerability ignore rules. An error wraps catalog.ErrInvalid
// and says what in the configuration is wrong.
func New(opts Options) (*Analyzer, error) {
	if opts.Now == nil {
		opts.Now = func() time.Time { return time.Now().UTC() }
	}
	pol, err := LicensePolicy(opts.Config.Licensing, opts.Strict)
	if err != nil {
		return nil, err
	}
	sc, err := scorecard.New(opts.Config.Scorecard, opts.Config.Health.Affiliations)
	if err != nil {
		return nil, catalog.Mark(fmt.Errorf("config: %w", err), catalog.ErrInvalid)
	}
	if opts.Advisories == nil || !opts.AdvisoriesKnown {
		// No advisory imported: nothing to ask for each project.
		opts.Advisories, opts.AdvisoriesKnown = nil, false
	}
	pol.Exceptions = append(pol.Exceptions, opts.LicenseExceptions...)
	return &Analyzer{
		opts:     opts,
		policy:   pol,
		resolver: resolve.New(resolve.Options{Online: opts.Online || opts.Config.Licensing.Online, Known: opts.Config.Licensing.Licenses}),
		scorer:   sc,
		ignores:  append(VulnIgnores(opts.Config.Vulns), opts.Ignores...),
	}, nil
}

// Target is one repository to analyse.
type Target struct {
	// Dir is the repository: a work tree, a bare repository, or for
	// Source WorkTree any directory.
	Dir string
	// Source chooses the tree; Commit is the commit for Source Commit.
	Source Source
	Commit string
	// Ident is what the caller already knows of the repository (a scan's
	// cheap first pass); nil means New works it out from Dir.
	Ident *Ident
	// Analyses are the analyses run besides the facts.
	Analyses Analyses
	// Facts chooses the facts gathered; the zero value is AllFacts.
	Facts FactSet
	// Kind, when set, is the project's kind for the licence policy and
	// the scorecard, over what the repository says (innersource.json).
	Kind string
	// CoverageFile is a coverage report to read; "" looks for one in the
	// work tree (scorecard.CoverageFiles).
	CoverageFile string
	// Timeout bounds the reading of the repository; 0 means none. A
	// repository that runs out of time keeps what was gathered and a
	// timeout problem.
	Timeout time.Duration
	// ConfigHash is recorded on the project (see config.FactsHash).
	ConfigHash string
	// KeepLog asks for the commits the history's walk reads, as the event
	// derivation reads them (Result.Log): a scan that derives events after
	// saving reads the history once instead of twice.
	KeepLog bool
}

// Ident is a repository opened far enough to know its identity.
type Ident struct {
	Key, Name, Remote, Head, Branch string
	Bare                            bool
	// Repo is the opened repository; nil when Err is set or Dir is not a
	// git repository.
	Repo *gitrepo.Repo
	// Err is why the repository could not be opened.
	Err error
	// TimedOut reports that identifying the repository ran out of the
	// per-repository time; what was read is kept, nothing more is read.
	TimedOut bool
	// Duplicates are other checkouts of the same repository.
	Duplicates []string
}

// Log is the commits of a history's walk, as the event derivation reads
// them (see Result.Log and gitlog.Log).
type Log = gitlog.Log

// Result is what the pipeline found about one repository. Project carries
// the facts and, as the store records them, the dependency licences and
// licence findings; the other fields are the analyses' values.
type Result struct {
	Project *catalog.Project
	// Licenses is the licence policy's result; zero without Licenses.
	Licenses license.Result
	// Vulnerabilities are the findings against the advisories (ignore
	// rules applied as suppressions), nil without Vulnerabilities.
	Vulnerabilities []catalog.VulnFinding
	// Scorecard is nil without Scorecard.
	Scorecard *catalog.Scorecard
	// Log is the newest events.MaxCommits+1 commits of the history's walk
	// with Target.KeepLog (see gitlog.Log.Range); nil otherwise or when
	// the history could not be read in one clean walk.
	Log *gitlog.Log
}

// Analyze runs the pipeline over t. The facts never fail (what cannot be
// read is a problem on the project); an error is an analysis that could
// not run: the advisories could not be read, or t.CoverageFile cannot be
// parsed (wrapping catalog.ErrInvalid).
func (a *Analyzer) Analyze(ctx context.Context, t Target) (*Result, error) {
	if t.Analyses&Scorecard != 0 {
		t.Analyses |= Licenses | Vulnerabilities
	}
	if t.Analyses&Licenses != 0 {
		t.Facts = AllFacts
	}
	if t.Ident == nil {
		t.Ident = Identify(ctx, t.Dir, "")
	}
	p, log := a.facts(ctx, t)
	res := &Result{Project: p, Log: log}
	now := a.opts.Now()
	if t.Analyses&Licenses != 0 {
		res.Licenses = a.licenses(ctx, p, now)
	}
	if t.Analyses&Vulnerabilities != 0 {
		fs, err := a.Vulnerabilities(ctx, p.Key, p.Dependencies)
		if err != nil {
			return res, fmt.Errorf("vulnerabilities of %s: %w", p.Name, err)
		}
		res.Vulnerabilities = fs
	}
	if t.Analyses&Scorecard != 0 {
		cov, err := readCoverage(t.CoverageFile, workTree(p))
		if err != nil {
			return res, err
		}
		card := a.scorer.Score(scorecard.NewFacts(p, res.Vulnerabilities, a.opts.AdvisoriesKnown, cov, now))
		res.Scorecard = &card
	}
	return res, nil
}

// licenses resolves p's dependency licences and applies the policy,
// recording both on p (the store keeps them with the project).
func (a *Analyzer) licenses(ctx context.Context, p *catalog.Project, now time.Time) license.Result {
	dls, probs := a.resolver.For(workTree(p)).Resolve(ctx, p.Dependencies)
	p.DependencyLicenses = dls
	p.Problems = append(p.Problems, probs...)
	res := license.Evaluate(p, a.policy, now)
	p.DependencyLicenses = res.Licenses
	p.LicenseFindings = res.Findings
	return res
}

// Vulnerabilities matches deps of the project with key against the
// advisories for their packages and marks the findings the ignore rules
// (those for every project and those for this one) accept as suppressed.
// This is the one place one project's dependencies meet advisories.
func (a *Analyzer) Vulnerabilities(ctx context.Context, key string, deps []catalog.Dependency) ([]catalog.VulnFinding, error) {
	if a.opts.Advisories == nil || len(deps) == 0 {
		return nil, nil
	}
	return vuln.MatchProject(ctx, a.opts.Advisories, key, deps, a.ignores, a.opts.Now())
}

// Policy returns the licence policy the analyzer applies.
func (a *Analyzer) Policy() license.Policy { return a.policy }

// Ignores returns the vulnerability ignore rules the analyzer applies.
func (a *Analyzer) Ignores() []vuln.Ignore { return a.ignores }

// Score rates a project already analysed (one read from the catalogue)
// with vulnerability findings vulns, at the analyzer's time.
func (a *Analyzer) Score(p *catalog.Project, vulns []catalog.VulnFinding, coverageFile string) (catalog.Scorecard, error) {
	cov, err := readCoverage(coverageFile, workTree(p))
	if err != nil {
		return catalog.Scorecard{}, err
	}
	return a.scorer.Score(scorecard.NewFacts(p, vulns, a.opts.AdvisoriesKnown, cov, a.opts.Now())), nil
}

// workTree returns the project's work tree, where node_modules, virtual
// environments and coverage reports may be, or "" for a bare repository.
func workTree(p *catalog.Project) string {
	if p.Bare {
		return ""
	}
	return p.Path
}

// nameFromPath returns the last element of a path or URL key, without .git.
func nameFromPath(p string) string {
	p = strings.TrimRight(filepath.ToSlash(p), "/")
	if i := strings.LastIndex(p, "/"); i >= 0 {
		p = p[i+1:]
	}
	return strings.TrimSuffix(p, ".git")
}

// Stored runs the analyses over a project read from the catalogue (its
// facts as scanned): the licences recorded with it (resolved again from
// lockfiles and caches when it was scanned before licences were
// recorded), its vulnerability findings against today's advisories, and
// its scorecard.
func (a *Analyzer) Stored(ctx context.Context, p *catalog.Project, what Analyses, coverageFile string) (*Result, error) {
	if what&Scorecard != 0 {
		what |= Licenses | Vulnerabilities
	}
	res := &Result{Project: p}
	if what&Licenses != 0 {
		if len(p.DependencyLicenses) == 0 && len(p.Dependencies) > 0 {
			res.Licenses = a.licenses(ctx, p, a.opts.Now())
		} else {
			res.Licenses = license.Result{Licenses: p.DependencyLicenses, Findings: p.LicenseFindings}
		}
	}
	if what&Vulnerabilities != 0 {
		fs, err := a.Vulnerabilities(ctx, p.Key, p.Dependencies)
		if err != nil {
			return res, fmt.Errorf("vulnerabilities of %s: %w", p.Name, err)
		}
		res.Vulnerabilities = fs
	}
	if what&Scorecard != 0 {
		card, err := a.Score(p, res.Vulnerabilities, coverageFile)
		if err != nil {
			return res, err
		}
		res.Scorecard = &card
	}
	return res, nil
}

// Warm prepares what the first analysis would otherwise wait for (the
// licence text matcher takes most of a second to compile); a command calls
// it in the background while it starts.
func Warm() { licensefile.Warm() }

// AdvisoriesKnown reports whether advisories were imported, so that
// vulnerability analyses can find anything.
func (a *Analyzer) AdvisoriesKnown() bool { return a.opts.AdvisoriesKnown }

// CommitVulns analyses the committed tree of commit in the repository at
// dir: its dependencies and their vulnerability findings (the event
// derivation compares a commit with its parent this way).
func (a *Analyzer) CommitVulns(ctx context.Context, dir, commit string) ([]catalog.Dependency, []catalog.VulnFinding, error) {
	res, err := a.Analyze(ctx, Target{Dir: dir, Source: Commit, Commit: commit, Analyses: Vulnerabilities})
	if err != nil {
		return nil, nil, err
	}
	return res.Project.Dependencies, res.Vulnerabilities, nil
}

// Releases returns the dates of the repository's tags at dir, oldest
// first: the releases community health counts (see gitlog.Tags).
func Releases(ctx context.Context, dir string) ([]time.Time, error) { return gitlog.Tags(ctx, dir) }
