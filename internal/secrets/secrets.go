// Package secrets finds secrets and other data that must not leave the firm
// (internal host names, internal e-mail addresses, blocked literals) in text
// and in the diffs of git commits.
//
// Detection is gitleaks' own (github.com/zricethezav/gitleaks/v8, its
// detect package and its default embedded rules), so a rule written for the
// gitleaks CLI works here unchanged and recall on a commit is the CLI's.
// What this package adds: a firm's rules in gitleaks' TOML format on top of
// the defaults, rules built from lists of internal host names, e-mail
// domains and literals, per-commit scanning of exactly the commits asked for
// (each commit's own diff, never the combined diff of a range, so a secret
// added in one commit and removed in the next is found), git run through
// gitcmd's safe settings, and findings that never carry the secret: only a
// redacted form and a hash.
//
// Rules run on windows of a diff's lines where they cannot span more than a
// few lines (see window.go): the findings are those of running every rule
// on the whole diff, an order of magnitude faster on large diffs.
//
// Like the gitleaks CLI's defaults, binary files and archives in a diff are
// not looked into, and deleted lines are not scanned (a deletion removes
// nothing from history; the commit that added the line is where it is
// found).
package secrets

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"regexp"
	"runtime"
	"sort"
	"strings"
	"sync"

	"github.com/gitleaks/go-gitdiff/gitdiff"
	"github.com/rs/zerolog"
	"github.com/zricethezav/gitleaks/v8/config"
	"github.com/zricethezav/gitleaks/v8/detect"
	"github.com/zricethezav/gitleaks/v8/logging"
	glregexp "github.com/zricethezav/gitleaks/v8/regexp"
	"github.com/zricethezav/gitleaks/v8/report"
	"github.com/zricethezav/gitleaks/v8/sources"

	"github.com/ospo-project/ospo/internal/gitcmd"
	"github.com/ospo-project/ospo/internal/lazyre"
)

// Rule ids of the rules built from Config lists rather than gitleaks TOML.
const (
	RuleInternalHost   = "ospo-internal-host"
	RuleInternalEmail  = "ospo-internal-email"
	RuleBlockedLiteral = "ospo-blocked-literal"
)

// Config says which rules a Scanner applies. The zero value applies
// gitleaks' default rules only.
type Config struct {
	// Rules is a gitleaks configuration file's content (TOML: [[rules]],
	// [[allowlists]], [extend] disabledRules). Its rules are added to
	// gitleaks' default rules; a rule with a default rule's id replaces it;
	// ids listed in [extend] disabledRules are dropped from the defaults.
	// [extend] path and useDefault are not followed.
	Rules string
	// NoDefaultRules leaves gitleaks' default rules out.
	NoDefaultRules bool
	// InternalHosts are host or domain names (corp.example.com) that must
	// not appear; a name matches itself and its subdomains.
	InternalHosts []string
	// EmailDomains are domains whose e-mail addresses must not appear
	// (user@corp.example.com, user@eu.corp.example.com).
	EmailDomains []string
	// BlockedLiterals are strings that must not appear (project code
	// names, customer names), matched case-insensitively.
	BlockedLiterals []string
}

// Finding is one match of one rule. It never holds the matched text: only
// Redacted (enough of it for a person to find the line) and Hash.
type Finding struct {
	// Commit is the commit whose diff added the line; empty for ScanText.
	Commit string `json:"commit,omitempty"`
	// Path is the file's path in that commit (slash-separated).
	Path string `json:"path"`
	// Line is the 1-based line number in the file as of Commit.
	Line int `json:"line"`
	// RuleID is the gitleaks rule id (aws-access-token, generic-api-key…)
	// or one of the Rule* constants.
	RuleID string `json:"rule_id"`
	// Description is the rule's description.
	Description string `json:"description"`
	// Redacted is the secret with all but a short prefix masked.
	Redacted string `json:"redacted"`
	// Hash is the hex SHA-256 of the secret, to tell findings of the same
	// secret apart from others without keeping it.
	Hash string `json:"hash"`
}

// String describes the finding in one line with no secret in it.
func (f Finding) String() string {
	loc := f.Path
	if f.Line > 0 {
		loc = fmt.Sprintf("%s:%d", f.Path, f.Line)
	}
	if f.Commit != "" {
		loc = shortSHA(f.Commit) + " " + loc
	}
	return fmt.Sprintf("%s: %s (%s) %s", loc, f.RuleID, f.Description, f.Redacted)
}

// Stats counts what a scan read.
type Stats struct {
	// Commits is the number of commits whose diffs added text.
	Commits int
	// Files is the number of file diffs scanned.
	Files int
	// Bytes is the number of added bytes scanned.
	Bytes int64
}

// Scanner applies a fixed set of rules. It is safe for concurrent use.
type Scanner struct {
	// local runs on windows of a text (see window.go), whole on the
	// whole text; wholeRule names the rules whole applies. full applies
	// every rule, to texts of one window or less (most diffs), where
	// splitting would only double the per-text cost.
	full, local, whole *detect.Detector
	wholeRule          map[string]bool
	rules              int
}

// quietOnce silences gitleaks' package logger, which would otherwise print
// to stderr (and, at trace level, parts of matches).
var quietOnce sync.Once

// translateMu serialises config.ViperConfig.Translate, which reads the
// global viper instance.
var translateMu sync.Mutex

// New builds a Scanner from c. A rule that does not compile, a TOML error
// or a rule without a regex or path is an error naming it.
func New(c Config) (*Scanner, error) { return build(c, true) }

// build is New; windowed false gives the one-detector scanner that scans
// each text whole, as the gitleaks CLI does (the reference in tests).
func build(c Config, windowed bool) (*Scanner, error) {
	quietOnce.Do(func() { logging.Logger = zerolog.Nop() })
	cfg := config.Config{Rules: map[string]config.Rule{}, Keywords: map[string]struct{}{}}
	if !c.NoDefaultRules {
		def, err := translate(config.DefaultConfig)
		if err != nil {
			return nil, fmt.Errorf("gitleaks default rules: %w", err)
		}
		cfg = def.cfg
	}
	if strings.TrimSpace(c.Rules) != "" {
		firm, err := translate(c.Rules)
		if err != nil {
			return nil, fmt.Errorf("secret rules: %w", err)
		}
		for _, id := range firm.disabled {
			delete(cfg.Rules, id)
		}
		for _, id := range firm.cfg.OrderedRules {
			addRule(&cfg, firm.cfg.Rules[id])
		}
		cfg.Allowlists = append(cfg.Allowlists, firm.cfg.Allowlists...)
	}
	extra, err := listRules(c)
	if err != nil {
		return nil, err
	}
	for _, r := range extra {
		addRule(&cfg, r)
	}
	// Keywords of dropped rules would only cost prefilter time; rebuild.
	cfg.Keywords = map[string]struct{}{}
	ordered := cfg.OrderedRules[:0]
	for _, id := range cfg.OrderedRules {
		r, ok := cfg.Rules[id]
		if !ok {
			continue
		}
		ordered = append(ordered, id)
		for _, k := range r.Keywords {
			cfg.Keywords[strings.ToLower(k)] = struct{}{}
		}
	}
	cfg.OrderedRules = ordered
	if len(cfg.Rules) == 0 {
		return nil, errors.New("secret rules: no rules (default rules disabled and none given)")
	}
	if !windowed {
		d := detect.NewDetector(cfg)
		d.MaxDecodeDepth = maxDecodeDepth
		return &Scanner{whole: d, rules: len(cfg.Rules)}, nil
	}
	return split(cfg), nil
}

// Rules returns how many rules the scanner applies.
func (s *Scanner) Rules() int { return s.rules }

type translated struct {
	cfg      config.Config
	disabled []string
}

// translate parses gitleaks TOML without following [extend] (gitleaks'
// extension keeps global state that breaks a second load in one process).
func translate(toml string) (t translated, err error) {
	// config.DecodeTOML decodes as viper did (TestDecodeTOMLAsViper).
	var vc config.ViperConfig
	if err := config.DecodeTOML(toml, &vc); err != nil {
		if strings.HasPrefix(err.Error(), "While parsing config: ") {
			return t, fmt.Errorf("parse TOML: %w", err)
		}
		return t, fmt.Errorf("read rules: %w", err)
	}
	t.disabled = vc.Extend.DisabledRules
	vc.Extend = config.Extend{}
	for _, r := range vc.Rules {
		if r.Regex != "" {
			if _, err := regexp.Compile(r.Regex); err != nil {
				return t, fmt.Errorf("rule %q: regex: %w", r.ID, err)
			}
		}
		if r.Path != "" {
			if _, err := regexp.Compile(r.Path); err != nil {
				return t, fmt.Errorf("rule %q: path: %w", r.ID, err)
			}
		}
	}
	translateMu.Lock()
	defer translateMu.Unlock()
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("rules: %v", p)
		}
	}()
	t.cfg, err = vc.Translate()
	return t, err
}

func addRule(cfg *config.Config, r config.Rule) {
	if _, ok := cfg.Rules[r.RuleID]; !ok {
		cfg.OrderedRules = append(cfg.OrderedRules, r.RuleID)
	}
	cfg.Rules[r.RuleID] = r
}

var hostName = lazyre.New(`^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*$`)

// listRules builds the rules for c's host, domain and literal lists.
func listRules(c Config) ([]config.Rule, error) {
	var rules []config.Rule
	alt := func(names []string, what string) (string, []string, error) {
		var quoted, keys []string
		for _, n := range names {
			n = strings.TrimSpace(n)
			if n == "" {
				continue
			}
			if what != "" && !hostName.MatchString(n) {
				return "", nil, fmt.Errorf("%s %q is not a domain name", what, n)
			}
			quoted = append(quoted, regexp.QuoteMeta(strings.ToLower(n)))
			keys = append(keys, strings.ToLower(n))
		}
		return strings.Join(quoted, "|"), keys, nil
	}
	hosts, keys, err := alt(c.InternalHosts, "internal host")
	if err != nil {
		return nil, err
	}
	if hosts != "" {
		rules = append(rules, config.Rule{
			RuleID:      RuleInternalHost,
			Description: "Internal host name",
			Regex:       glregexp.MustCompile(`(?i)(?:^|[^A-Za-z0-9.-])((?:[a-z0-9-]+\.)*(?:` + hosts + `))(?:[^A-Za-z0-9-]|$)`),
			SecretGroup: 1,
			Keywords:    keys,
			Tags:        []string{"dlp"},
		})
	}
	domains, keys, err := alt(c.EmailDomains, "e-mail domain")
	if err != nil {
		return nil, err
	}
	if domains != "" {
		rules = append(rules, config.Rule{
			RuleID:      RuleInternalEmail,
			Description: "Internal e-mail address",
			Regex:       glregexp.MustCompile(`(?i)([a-z0-9._%+-]+@(?:[a-z0-9-]+\.)*(?:` + domains + `))(?:[^A-Za-z0-9-]|$)`),
			SecretGroup: 1,
			Keywords:    keys,
			Tags:        []string{"dlp"},
		})
	}
	lits, keys, err := alt(c.BlockedLiterals, "")
	if err != nil {
		return nil, err
	}
	if lits != "" {
		rules = append(rules, config.Rule{
			RuleID:      RuleBlockedLiteral,
			Description: "Blocked literal",
			Regex:       glregexp.MustCompile(`(?i)(` + lits + `)`),
			SecretGroup: 1,
			Keywords:    keys,
			Tags:        []string{"dlp"},
		})
	}
	return rules, nil
}

// ScanText scans text as the content of the file at path (path may be
// empty). Line numbers count from 1 at the start of text.
func (s *Scanner) ScanText(ctx context.Context, path, text string) []Finding {
	return s.scan(ctx, sources.Fragment{Raw: text, FilePath: path, StartLine: 1})
}

// scan runs the detectors on one fragment. A finding's line is the
// fragment's StartLine plus the 0-based line of the match within Raw.
func (s *Scanner) scan(ctx context.Context, f sources.Fragment) []Finding {
	var raw []report.Finding
	switch {
	case s.full != nil && strings.Count(f.Raw, "\n") < windowLines+overlapLines:
		//lint:ignore SA1019 DetectContext takes only the deprecated alias in v8.
		raw = s.full.DetectContext(ctx, detect.Fragment(f))
	default:
		if s.whole != nil {
			//lint:ignore SA1019 DetectContext takes only the deprecated alias in v8.
			raw = s.whole.DetectContext(ctx, detect.Fragment(f))
		}
		if s.local != nil {
			raw = append(raw, s.scanWindows(ctx, f)...)
		}
	}
	raw = preferSpecific(raw)
	out := make([]Finding, 0, len(raw))
	for _, r := range raw {
		out = append(out, Finding{
			Commit:      f.CommitSHA,
			Path:        f.FilePath,
			Line:        r.StartLine,
			RuleID:      r.RuleID,
			Description: r.Description,
			Redacted:    Redact(r.Secret),
			Hash:        Hash(r.Secret),
		})
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Line != out[j].Line {
			return out[i].Line < out[j].Line
		}
		return out[i].RuleID < out[j].RuleID
	})
	return out
}

// Redact masks secret, keeping at most a quarter of it (up to 4
// characters) so a person can tell which value a finding is about.
func Redact(secret string) string {
	r := []rune(strings.TrimSpace(secret))
	keep := min(len(r)/4, 4)
	return string(r[:keep]) + strings.Repeat("*", min(len(r)-keep, 12))
}

// Hash returns the hex SHA-256 of secret.
func Hash(secret string) string {
	h := sha256.Sum256([]byte(strings.TrimSpace(secret)))
	return hex.EncodeToString(h[:])
}

// ScanCommit scans the diff commit sha introduced (against its first
// parent; a root commit's whole tree) in the repository at repoDir.
func (s *Scanner) ScanCommit(ctx context.Context, repoDir, sha string) ([]Finding, error) {
	f, _, err := s.ScanCommits(ctx, repoDir, []string{sha})
	return f, err
}

// ScanCommits scans each of shas' own diffs (never their combined diff).
// Merge commits show no diff, as in git log -p and the gitleaks CLI: the
// commits they merge are scanned when listed.
func (s *Scanner) ScanCommits(ctx context.Context, repoDir string, shas []string) ([]Finding, Stats, error) {
	if len(shas) == 0 {
		return nil, Stats{}, nil
	}
	for _, sha := range shas {
		if !isObjectName(sha) {
			return nil, Stats{}, fmt.Errorf("scan commits: %q is not a commit id", sha)
		}
	}
	return s.log(ctx, repoDir, []string{"--no-walk=unsorted", "--stdin"}, strings.Join(shas, "\n")+"\n")
}

// ScanHistory scans every commit reachable from revs (all refs when revs is
// empty) in the repository at repoDir, each commit's own diff, streaming
// git log -p as the gitleaks CLI does. Findings are ordered as git log
// lists the commits (newest first), then by path and line.
func (s *Scanner) ScanHistory(ctx context.Context, repoDir string, revs []string) ([]Finding, Stats, error) {
	for _, r := range revs {
		if strings.HasPrefix(r, "-") && r != "--all" && r != "--branches" && r != "--tags" {
			return nil, Stats{}, fmt.Errorf("scan history: revision %q is an option", r)
		}
	}
	if len(revs) == 0 {
		revs = []string{"--all"}
	}
	return s.log(ctx, repoDir, append([]string{"--full-history"}, revs...), "")
}

var objectName = lazyre.New(`^[0-9a-f]{40}([0-9a-f]{24})?$`)

func isObjectName(s string) bool { return objectName.MatchString(s) }

func shortSHA(s string) string {
	if len(s) > 12 {
		return s[:12]
	}
	return s
}

// log runs git log -p with args, parses the patch stream with gitleaks'
// parser and scans every added text fragment on GOMAXPROCS workers.
func (s *Scanner) log(ctx context.Context, dir string, args []string, stdin string) ([]Finding, Stats, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	full := append([]string{"log", "-p", "-U0", "--no-color", "--no-decorate", "--pretty=medium",
		"--diff-filter=tuxdb"}, args...)
	full = append(full, "--")
	cmd := gitcmd.Command(ctx, dir, full...)
	if stdin != "" {
		cmd.Stdin = strings.NewReader(stdin)
	}
	var stderr strings.Builder
	cmd.Stderr = &limited{w: &stderr, n: 4096}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, Stats{}, err
	}
	if err := cmd.Start(); err != nil {
		return nil, Stats{}, fmt.Errorf("git log: %w", err)
	}
	br := bufio.NewReaderSize(stdout, 1<<16)
	files, err := gitdiff.Parse(br)
	if err != nil {
		cmd.Wait()
		return nil, Stats{}, fmt.Errorf("parse git log: %w", err)
	}

	type job struct {
		seq  int
		frag sources.Fragment
	}
	type result struct {
		seq      int
		findings []Finding
	}
	jobs := make(chan job, 64)
	var (
		mu      sync.Mutex
		results []result
		wg      sync.WaitGroup
	)
	for range max(runtime.GOMAXPROCS(0), 1) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				if f := s.scan(ctx, j.frag); len(f) > 0 {
					mu.Lock()
					results = append(results, result{j.seq, f})
					mu.Unlock()
				}
			}
		}()
	}
	var st Stats
	seq, last := 0, ""
	for file := range files {
		if file.IsDelete || file.IsBinary {
			continue
		}
		sha := ""
		if file.PatchHeader != nil {
			sha = file.PatchHeader.SHA
		}
		st.Files++
		for _, tf := range file.TextFragments {
			if tf == nil {
				continue
			}
			raw := tf.Raw(gitdiff.OpAdd)
			if raw == "" {
				continue
			}
			if sha != last {
				st.Commits++
				last = sha
			}
			st.Bytes += int64(len(raw))
			seq++
			jobs <- job{seq, sources.Fragment{CommitSHA: sha, FilePath: file.NewName, Raw: raw, StartLine: int(tf.NewPosition)}}
		}
	}
	close(jobs)
	wg.Wait()
	// gitleaks' parser stops quietly at a fragment it cannot parse; whatever
	// git still writes would then go unscanned, so that is an error.
	rest, _ := io.Copy(io.Discard, br)
	werr := cmd.Wait()
	if ctx.Err() != nil {
		return nil, st, ctx.Err()
	}
	if werr != nil {
		return nil, st, fmt.Errorf("git log: %w: %s", werr, strings.TrimSpace(stderr.String()))
	}
	if rest > 0 {
		return nil, st, fmt.Errorf("git log: diff parsing stopped with %d bytes unread", rest)
	}
	sort.Slice(results, func(i, j int) bool { return results[i].seq < results[j].seq })
	var out []Finding
	for _, r := range results {
		out = append(out, r.findings...)
	}
	return out, st, nil
}

// limited keeps at most n bytes.
type limited struct {
	w *strings.Builder
	n int
}

func (l *limited) Write(p []byte) (int, error) {
	if l.n > 0 {
		k := min(len(p), l.n)
		l.w.Write(p[:k])
		l.n -= k
	}
	return len(p), nil
}
