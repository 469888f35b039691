package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/user"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/ospo-project/ospo/internal/config"
	"github.com/ospo-project/ospo/internal/govern"
	"github.com/ospo-project/ospo/internal/governance"
	"github.com/ospo-project/ospo/internal/namecheck"
	"github.com/ospo-project/ospo/internal/notify"
	"github.com/ospo-project/ospo/internal/report"
	"github.com/ospo-project/ospo/internal/secrets"
	"github.com/ospo-project/ospo/internal/store"
)

// governor returns the request workflow over the store, configured by
// ospo.yaml: the pipeline (with the store's advisories) answers the
// automatic items, the secrets scanner scans the history, and people are
// told by e-mail and webhooks when governance.notify says how.
func (a *app) governor(ctx context.Context) (*govern.Service, error) {
	st, err := a.store(ctx)
	if err != nil {
		return nil, err
	}
	cfg, err := a.config()
	if err != nil {
		return nil, err
	}
	an, err := a.analyzer(ctx, pipelineOptions{advisories: true})
	if err != nil {
		return nil, err
	}
	status, err := st.AdvisoryStatus(ctx)
	if err != nil {
		return nil, internalErr(err)
	}
	sc, err := secretsScanner(cfg.Governance.Secrets)
	if err != nil {
		return nil, err
	}
	g := cfg.Governance
	return govern.New(govern.Options{
		Store: st, Policies: g.Policies(), Analyzer: an, AdvisoriesKnown: status.Total > 0, Secrets: sc,
		Thresholds: govern.Thresholds{VulnSeverity: strings.ToUpper(g.Checks.VulnSeverity), MinScore: g.Checks.MinScore,
			HeadersRequired: g.Checks.HeadersRequired},
		Names:      nameChecker(g.Registries),
		StuckAfter: time.Duration(g.Schedule.StuckAfter),
		Notifier:   notifier(st, g.Notify), BaseURL: g.Notify.BaseURL, Log: a.log,
	}), nil
}

// nameChecker builds the registry client of governance.registries; nil
// (the item not checked) unless online.
func nameChecker(r config.Registries) *namecheck.Checker {
	if !r.Online {
		return nil
	}
	pub := namecheck.Public()
	pick := func(v, def string) string {
		switch v {
		case "":
			return def
		case "off":
			return ""
		}
		return v
	}
	return &namecheck.Checker{Endpoints: namecheck.Endpoints{NPM: pick(r.NPM, pub.NPM), PyPI: pick(r.PyPI, pub.PyPI),
		Crates: pick(r.Crates, pub.Crates), Maven: pick(r.Maven, pub.Maven), GoProxy: pick(r.GoProxy, pub.GoProxy)}}
}

// secretsScanner builds the scanner of governance.secrets.
func secretsScanner(c config.SecretsScan) (*secrets.Scanner, error) {
	sc := secrets.Config{InternalHosts: c.InternalHosts, EmailDomains: c.EmailDomains, BlockedLiterals: c.BlockedLiterals}
	if c.RulesFile != "" {
		b, err := os.ReadFile(c.RulesFile)
		if err != nil {
			return nil, usageErr("governance.secrets.rules_file: %v", err)
		}
		sc.Rules = string(b)
	}
	s, err := secrets.New(sc)
	if err != nil {
		return nil, usageErr("governance.secrets: %v", err)
	}
	return s, nil
}

// notifier builds the notifier of governance.notify: e-mail when SMTP is
// configured, and each person's webhook (signed when a key is configured).
func notifier(st store.Store, c config.Notify) *notify.Notifier {
	n := &notify.Notifier{Prefs: st, Hooks: &notify.Webhooks{}}
	if c.WebhookSecretEnv != "" {
		n.Hooks.Secret = []byte(os.Getenv(c.WebhookSecretEnv))
	}
	if c.SMTP.Addr != "" {
		m := &notify.SMTP{Addr: c.SMTP.Addr, From: c.SMTP.From, Username: c.SMTP.Username, Insecure: c.SMTP.Insecure}
		if c.SMTP.PasswordEnv != "" {
			m.Password = os.Getenv(c.SMTP.PasswordEnv)
		}
		n.Mail = m
	}
	return n
}

// who returns the account --as names, as the acting person; the operating
// system user acting for it is recorded as the audit entry's address.
func (a *app) who(ctx context.Context, g *govern.Service) (govern.Who, error) {
	if a.as == "" {
		return govern.Who{}, usageErr("--as EMAIL is required: the account this change is made as")
	}
	op := "unknown"
	if u, err := user.Current(); err == nil && u.Username != "" {
		op = u.Username
	} else if v := os.Getenv("USER"); v != "" {
		op = v
	}
	w, err := g.Who(ctx, a.as, "cli", "operator "+op)
	if err != nil {
		return w, classify(err)
	}
	return w, nil
}

func (a *app) requestCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "request",
		Short: "Open, review and export governance requests (open-sourcing, contributions, exceptions, lifecycle)",
		Args:  cobra.NoArgs,
		RunE:  func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	cmd.AddCommand(a.requestOpenCmd(governance.KindOpenSource), a.requestOpenCmd(governance.KindContribute),
		a.requestOpenCmd(governance.KindException), a.requestOpenCmd(governance.KindLifecycle),
		a.requestShowCmd(), a.requestExportCmd())
	for _, act := range governance.Actions {
		cmd.AddCommand(a.requestActCmd(act))
	}
	return cmd
}

var openUse = map[governance.Kind][2]string{
	governance.KindOpenSource: {"open-source PROJECT", "Ask to open-source a catalogue project; its checklist is answered at its HEAD commit"},
	governance.KindContribute: {"contribute URL", "Ask to contribute to an external project (once, or --scope standing for a project or organisation)"},
	governance.KindException:  {"exception PROJECT", "Ask for an exception to policy: a vulnerability accepted, a licence or dependency outside policy, until --expires"},
	governance.KindLifecycle:  {"lifecycle NAME", "Ask to change an external-estate project's lifecycle (--to deprecated, archived, transferred…)"},
}

func (a *app) requestOpenCmd(kind governance.Kind) *cobra.Command {
	var d governance.Draft
	var answers []string
	var expires, format string
	cmd := &cobra.Command{
		Use:   openUse[kind][0],
		Short: openUse[kind][1],
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			if err := report.CheckFormat(format, report.FormatTable, report.FormatJSON); err != nil {
				return usageErr("%v", err)
			}
			d.Kind, d.Subject = kind, args[0]
			d.Answers = map[string]string{}
			for _, kv := range answers {
				k, v, ok := strings.Cut(kv, "=")
				if !ok || k == "" {
					return usageErr("--answer %q: want ID=TEXT", kv)
				}
				d.Answers[k] = v
			}
			if expires != "" {
				t, err := time.Parse(time.DateOnly, expires)
				if err != nil {
					return usageErr("--expires %q: want YYYY-MM-DD", expires)
				}
				d.Expires = t
			}
			g, err := a.governor(ctx)
			if err != nil {
				return err
			}
			w, err := a.who(ctx, g)
			if err != nil {
				return err
			}
			r, err := g.Open(ctx, w, d)
			if err != nil {
				return classify(err)
			}
			return a.writeRequest(r, format)
		},
	}
	f := cmd.Flags()
	f.StringVar(&d.Title, "title", "", "a title (default: the kind and subject)")
	f.StringVar(&d.Details.Reason, "reason", "", "why")
	f.StringArrayVar(&answers, "answer", nil, "answer a question: ID=TEXT (repeatable; see ospo request show)")
	addFormat(cmd, &format, report.FormatTable, report.FormatJSON)
	switch kind {
	case governance.KindContribute:
		f.StringVar(&d.Details.Scope, "scope", governance.ScopeOneOff, "one-off, or standing (a project or organisation, until --expires)")
		f.StringVar(&d.Details.Agreement, "agreement", "", "the agreement signed: CLA, CCLA or DCO")
		f.StringVar(&expires, "expires", "", "end of a standing approval (YYYY-MM-DD)")
	case governance.KindException:
		f.StringVar(&d.Details.Advisory, "vulnerability", "", "accept this advisory (id or alias)")
		f.StringVar(&d.Details.License, "license", "", "accept this licence (SPDX id)")
		f.StringVar(&d.Details.Package, "package", "", "the package concerned (purl: pkg:npm/left-pad)")
		f.StringVar(&expires, "expires", "", "when the exception ends (YYYY-MM-DD; required)")
		f.BoolVar(&d.Details.EstateWide, "estate-wide", false, "the exception applies to every project (by default to PROJECT only)")
		cmd.PreRunE = func(*cobra.Command, []string) error {
			switch {
			case d.Details.Advisory != "":
				d.Details.Exception = governance.ExceptionVulnerability
			case d.Details.License != "":
				d.Details.Exception = governance.ExceptionLicense
			case d.Details.Package != "":
				d.Details.Exception = governance.ExceptionDependency
			default:
				return usageErr("name the exception: --vulnerability ID, --license SPDX or --package PURL")
			}
			return nil
		}
	case governance.KindLifecycle:
		f.StringVar(&d.Details.Lifecycle, "to", "", "the new lifecycle: "+lifecycles())
	}
	return cmd
}

func lifecycles() string {
	s := make([]string, len(governance.Lifecycles))
	for i, l := range governance.Lifecycles {
		s[i] = string(l)
	}
	return strings.Join(s, ", ")
}

func parseID(s string) (int64, error) {
	id, err := strconv.ParseInt(strings.TrimPrefix(s, "#"), 10, 64)
	if err != nil || id <= 0 {
		return 0, usageErr("%q is not a request id (see ospo requests)", s)
	}
	return id, nil
}

var actShort = map[governance.Action]string{
	governance.ActApprove:  "Approve a request (never your own: four eyes); tick the kind's attestations with --attest",
	governance.ActReject:   "Reject a request, with a reason",
	governance.ActComment:  "Comment on a request",
	governance.ActReopen:   "Reopen a rejected or withdrawn request",
	governance.ActWithdraw: "Withdraw your own request",
}

func (a *app) requestActCmd(act governance.Action) *cobra.Command {
	var text, format string
	var attest []string
	use := string(act) + " ID"
	if act == governance.ActComment {
		use = "comment ID TEXT"
	}
	cmd := &cobra.Command{
		Use:   use,
		Short: actShort[act],
		Args:  cobra.RangeArgs(1, 2),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			if err := report.CheckFormat(format, report.FormatTable, report.FormatJSON); err != nil {
				return usageErr("%v", err)
			}
			id, err := parseID(args[0])
			if err != nil {
				return err
			}
			if len(args) == 2 {
				if text != "" {
					return usageErr("give the text once: as an argument or with --reason")
				}
				text = args[1]
			}
			g, err := a.governor(ctx)
			if err != nil {
				return err
			}
			w, err := a.who(ctx, g)
			if err != nil {
				return err
			}
			r, err := g.Act(ctx, w, id, governance.Step{Action: act, Text: text, Attestations: attest})
			if err != nil {
				return notFound("request", args[0], err)
			}
			return a.writeRequest(r, format)
		},
	}
	cmd.Flags().StringVar(&text, "reason", "", "the reason or comment")
	if act == governance.ActApprove {
		cmd.Flags().StringArrayVar(&attest, "attest", nil, "an attestation the kind requires (repeatable)")
	}
	addFormat(cmd, &format, report.FormatTable, report.FormatJSON)
	return cmd
}

func (a *app) requestShowCmd() *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "show ID",
		Short: "Show a request: its checklist with evidence, approvals and history",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := parseID(args[0])
			if err != nil {
				return err
			}
			st, err := a.storeFor(cmd.Context(), format)
			if err != nil {
				return err
			}
			r, err := st.Request(cmd.Context(), id)
			if err != nil {
				return notFound("request", args[0], err)
			}
			return a.writeRequest(r, format)
		},
	}
	addFormat(cmd, &format, report.FormatTable, report.FormatJSON)
	return cmd
}

// writeRequest prints one request as JSON or as text for a person.
func (a *app) writeRequest(r *governance.Request, format string) error {
	if format == report.FormatJSON {
		return report.JSON(a.stdout, r)
	}
	w := a.stdout
	fmt.Fprintf(w, "Request #%d: %s\n", r.ID, oneLine(r.Title))
	fmt.Fprint(w, report.Cleanf("  kind %s, subject %s, requester %s\n", r.Kind, oneLine(r.Subject), r.Requester))
	fmt.Fprintf(w, "  state %s (version %d), opened %s", r.State, r.Version, r.CreatedAt.Format(time.DateTime))
	if !r.DecidedAt.IsZero() {
		fmt.Fprintf(w, ", decided %s", r.DecidedAt.Format(time.DateTime))
	}
	if !r.Expires.IsZero() {
		fmt.Fprintf(w, ", expires %s", r.Expires.Format(time.DateOnly))
	}
	fmt.Fprintln(w)
	if r.Commit != "" {
		fmt.Fprintf(w, "  evidence pinned to commit %s\n", r.Commit)
	}
	if r.Evaluating() {
		fmt.Fprintln(w, "  automatic items being evaluated: reviewers are told, and it can be approved, once they are")
	}
	if len(r.Checklist) > 0 {
		fmt.Fprintln(w, "\nChecklist:")
		t := report.NewTable(w, "ITEM", "STATUS", "ANSWER")
		for _, it := range r.Checklist {
			t.Row(it.ID, string(it.Status), oneLine(it.Value))
		}
		if err := t.Flush(); err != nil {
			return err
		}
	}
	if len(r.Approvals) > 0 {
		fmt.Fprintln(w, "\nApprovals:")
		for _, ap := range r.Approvals {
			bypass := ""
			if ap.Bypass {
				bypass = " (admin bypass)"
			}
			fmt.Fprint(w, report.Cleanf("  %s at %s%s\n", ap.By, ap.At.Format(time.DateTime), bypass))
		}
	}
	fmt.Fprintln(w, "\nHistory:")
	for _, e := range r.Events {
		fmt.Fprint(w, report.Cleanf("  %s %s %s (%s→%s)", e.At.Format(time.DateTime), e.By, e.Action, e.From, e.To))
		if e.Text != "" {
			fmt.Fprintf(w, ": %s", oneLine(e.Text))
		}
		fmt.Fprintln(w)
	}
	return nil
}

// oneLine keeps a terminal line one line and harmless (report.Clean):
// control characters (escape sequences, newlines) become spaces.
func oneLine(s string) string {
	return report.Clean(s)
}

func (a *app) requestsCmd() *cobra.Command {
	var format, state, kind string
	var mine, toReview bool
	cmd := &cobra.Command{
		Use:   "requests",
		Short: "List governance requests (--mine, --to-review as --as EMAIL)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			if err := report.CheckFormat(format, report.FormatTable, report.FormatJSON); err != nil {
				return usageErr("%v", err)
			}
			if mine && toReview {
				return usageErr("--mine and --to-review exclude each other")
			}
			g, err := a.governor(ctx)
			if err != nil {
				return err
			}
			var rs []governance.Request
			if toReview {
				w, err := a.who(ctx, g)
				if err != nil {
					return err
				}
				rs, err = g.ToReview(ctx, w)
				if err != nil {
					return internalErr(err)
				}
			} else {
				f := governance.RequestFilter{State: governance.State(state), Kind: governance.Kind(kind)}
				if mine {
					if a.as == "" {
						return usageErr("--mine needs --as EMAIL")
					}
					f.Requester = a.as
				}
				st, _ := a.store(ctx)
				rs, err = st.ListRequests(ctx, f)
				if err != nil {
					return internalErr(err)
				}
			}
			if format == report.FormatJSON {
				if rs == nil {
					rs = []governance.Request{}
				}
				return report.JSON(a.stdout, rs)
			}
			t := report.NewTable(a.stdout, "ID", "KIND", "STATE", "SUBJECT", "REQUESTER", "APPROVALS", "UPDATED", "TITLE")
			for _, r := range rs {
				t.Row("#"+strconv.FormatInt(r.ID, 10), string(r.Kind), string(r.State), oneLine(r.Subject), r.Requester,
					fmt.Sprintf("%d/%d", len(r.Approvals), g.Policy(r.Kind).Approvals), r.UpdatedAt.Format(time.DateOnly), oneLine(r.Title))
			}
			if err := t.Flush(); err != nil {
				return err
			}
			fmt.Fprintf(a.stderr, "%d requests\n", len(rs))
			return nil
		},
	}
	cmd.Flags().BoolVar(&mine, "mine", false, "only requests opened by --as EMAIL")
	cmd.Flags().BoolVar(&toReview, "to-review", false, "only requests --as EMAIL may approve now")
	cmd.Flags().StringVar(&state, "state", "", "only this state: review, approved, rejected, withdrawn")
	cmd.Flags().StringVar(&kind, "kind", "", "only this kind: open-source, contribute, exception, lifecycle")
	addFormat(cmd, &format, report.FormatTable, report.FormatJSON)
	cmd.AddCommand(a.requestsRevalidateCmd())
	return cmd
}

func (a *app) requestsRevalidateCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "revalidate",
		Short: "Re-evaluate open-source requests whose project's HEAD moved; a changed result returns the request to review",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			g, err := a.governor(cmd.Context())
			if err != nil {
				return err
			}
			back, err := g.RevalidateAll(cmd.Context())
			if err != nil {
				return internalErr(err)
			}
			for _, id := range back {
				fmt.Fprintf(a.stdout, "request #%d returned to review: its evidence changed\n", id)
			}
			fmt.Fprintf(a.stderr, "%d requests returned to review\n", len(back))
			return nil
		},
	}
}

func (a *app) requestExportCmd() *cobra.Command {
	var format, output string
	cmd := &cobra.Command{
		Use:   "export ID",
		Short: "Export a request's evidence pack (JSON, or one self-contained HTML page)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if format != report.FormatJSON && format != "html" {
				return usageErr("--format %q: json or html", format)
			}
			id, err := parseID(args[0])
			if err != nil {
				return err
			}
			g, err := a.governor(cmd.Context())
			if err != nil {
				return err
			}
			pk, err := g.Export(cmd.Context(), id, Version)
			if err != nil {
				return notFound("request", args[0], err)
			}
			var w io.Writer = a.stdout
			if output != "" && output != "-" {
				f, err := os.Create(output)
				if err != nil {
					return usageErr("%v", err)
				}
				defer f.Close()
				w = f
			}
			if format == "html" {
				err = govern.WriteHTML(w, pk)
			} else {
				err = report.JSON(w, pk)
			}
			if err != nil {
				return internalErr(err)
			}
			if output != "" && output != "-" {
				fmt.Fprint(a.stderr, report.Cleanf("wrote the evidence pack of request #%d to %s\n", id, output))
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&format, "format", report.FormatJSON, "json or html")
	cmd.Flags().StringVarP(&output, "output", "o", "", "write to this file (default standard output)")
	return cmd
}

// governCmd is `ospo govern`: the workflow's periodic work.
func (a *app) governCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "govern",
		Short: "The governance workflow's periodic work",
	}
	cmd.AddCommand(a.governTickCmd())
	return cmd
}

func (a *app) governTickCmd() *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "tick",
		Short: "Evaluate requests left evaluating, revalidate requests whose project's HEAD moved and remind estate owners of due reviews and alerts (for cron; ospo worker does it on PostgreSQL)",
		Long: `Evaluates the open-source requests left evaluating for more than governance.schedule.stuck_after (default
30m: the process that filed them stopped before it finished), revalidates the open-source requests whose project's HEAD moved since their evidence was pinned (a changed
result returns the request to review) and tells the owners of external-estate projects about their alerts
(review date due, owners gone, no commits for a year, licence or security policy changed), at most once per
alert every governance.schedule.remind_every (default a week), however often it runs. On PostgreSQL
'ospo worker' runs it every governance.schedule.every (default 1h); on SQLite run it from cron, e.g.
'0 * * * * ospo govern tick'.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := report.CheckFormat(format, report.FormatTable, report.FormatJSON); err != nil {
				return usageErr("%v", err)
			}
			rep, err := a.governTick(cmd.Context(), nil)
			if err != nil {
				return err
			}
			if format == report.FormatJSON {
				return report.JSON(a.stdout, rep)
			}
			for _, id := range rep.Evaluated {
				fmt.Fprintf(a.stdout, "request #%d evaluated: it was left evaluating\n", id)
			}
			for _, id := range rep.Returned {
				fmt.Fprintf(a.stdout, "request #%d returned to review: its evidence changed\n", id)
			}
			fmt.Fprintf(a.stdout, "%d requests returned to review, %d reminders sent, %d alerts already reminded recently\n",
				len(rep.Returned), rep.Reminded, rep.Held)
			return nil
		},
	}
	addFormat(cmd, &format, report.FormatTable, report.FormatJSON)
	return cmd
}

// governTick runs one round of the workflow's periodic work with the
// configured reminder interval. The requests left evaluating are queued
// with schedule, or evaluated here when it is nil.
func (a *app) governTick(ctx context.Context, schedule func(context.Context, int64) error) (govern.TickReport, error) {
	g, err := a.governor(ctx)
	if err != nil {
		return govern.TickReport{}, err
	}
	if schedule != nil {
		g = g.WithSchedule(schedule)
	}
	cfg, err := a.config()
	if err != nil {
		return govern.TickReport{}, err
	}
	rep, err := g.Tick(ctx, time.Duration(cfg.Governance.Schedule.RemindEvery))
	if err != nil {
		return rep, internalErr(err)
	}
	return rep, nil
}
