package cli

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/config"
	"github.com/ospo-project/ospo/internal/pushproxy"
	"github.com/ospo-project/ospo/internal/report"
	"github.com/ospo-project/ospo/internal/secrets"
	"github.com/ospo-project/ospo/internal/store"
)

// defaultProxyListen keeps the proxy private to the machine unless asked.
const defaultProxyListen = "127.0.0.1:7475"

// configuredPushProxy opens the store and the push proxy ospo.yaml
// configures: the commands that act on held pushes (decide, expire).
func (a *app) configuredPushProxy(ctx context.Context) (*pushproxy.Proxy, error) {
	cfg, err := a.config()
	if err != nil {
		return nil, err
	}
	st, err := a.store(ctx)
	if err != nil {
		return nil, err
	}
	return pushProxy(cfg, st)
}

// pushProxy builds the push proxy from the proxy section of ospo.yaml.
func pushProxy(cfg config.Config, st store.Store) (*pushproxy.Proxy, error) {
	pc := cfg.Proxy
	dir := pc.MirrorDir
	if dir == "" {
		cache, err := os.UserCacheDir()
		if err != nil {
			return nil, usageErr("proxy.mirror_dir is not set and there is no cache directory: %v", err)
		}
		dir = filepath.Join(cache, "ospo", "proxy-mirrors")
	}
	sc := secrets.Config{InternalHosts: pc.InternalHosts, EmailDomains: pc.InternalEmailDomains, BlockedLiterals: pc.BlockedLiterals}
	if pc.SecretRules != "" {
		b, err := os.ReadFile(pc.SecretRules)
		if err != nil {
			return nil, usageErr("proxy.secret_rules: %v", err)
		}
		sc.Rules = string(b)
	}
	scanner, err := secrets.New(sc)
	if err != nil {
		return nil, usageErr("proxy: %v", err)
	}
	out := pushproxy.Config{
		MirrorDir: dir, EmailDomains: pc.EmailDomains, BlockedLocalParts: pc.BlockedLocalParts, OwnIdentity: pc.OwnIdentity,
		MessagePatterns: pc.MessagePatterns, Secrets: scanner, MaxPackSize: pc.MaxPackSize, MaxFileSize: pc.MaxFileSize,
		AllowBinaries: pc.AllowBinaries, Hook: pc.PreReceiveHook, HubURL: pc.HubURL, Attestations: pc.Attestations,
		LicenceMarkers: pc.LicenceMarkers, LicenceReject: pc.LicenceReject, LicenceHeaderLines: pc.LicenceHeaderLines,
		// Approved contribute requests allow their upstreams too.
		Contributions: pushproxy.ApprovedContributions(st),
	}
	if pc.LicenceMarkers == nil {
		out.LicenceMarkers = defaultLicenceMarkers
	}
	out.HoldFor = time.Duration(pc.HoldFor)
	if out.HoldFor == 0 {
		out.HoldFor = defaultHoldFor
	}
	// Reviewers and pushers are told as governance tells people.
	out.Notifier = notifier(st, cfg.Governance.Notify)
	if out.HubURL == "" {
		out.HubURL = cfg.Governance.Notify.BaseURL
	}
	for _, u := range pc.Upstreams {
		up := pushproxy.Upstream{Prefix: u.URL, Review: u.Review}
		if u.TokenEnv != "" {
			up.Token = os.Getenv(u.TokenEnv)
			if up.Token == "" {
				return nil, usageErr("proxy.upstreams: %s is not set (token_env of %s)", u.TokenEnv, u.URL)
			}
		}
		out.Upstreams = append(out.Upstreams, up)
	}
	p, err := pushproxy.New(out, st, nil)
	if err != nil {
		return nil, usageErr("%v", err)
	}
	return p, nil
}

// defaultHoldFor is how long a push waits for a review before it expires,
// when proxy.hold_for is unset.
const defaultHoldFor = 14 * 24 * time.Hour

// defaultLicenceMarkers are the proprietary licence markers checked when
// ospo.yaml's proxy.licence_markers is unset.
var defaultLicenceMarkers = []string{"Confidential", "Proprietary", "All rights reserved"}

func (a *app) proxyCmd() *cobra.Command {
	var listen string
	var allow []string
	var retry time.Duration
	cmd := &cobra.Command{
		Use:   "proxy",
		Short: "Serve the git push proxy: checked, reviewed contributions to open-source upstreams",
		Long: `Proxy speaks git's smart HTTP protocol under /git/HOST/OWNER/REPO.git. Developers
add it as a remote and push with an ospo API token as the password:

  git remote add oss http://127.0.0.1:7475/git/github.com/acme/widget.git
  git push oss main          # user name: anything, password: ospo_… (ospo tokens create --scope write)

Fetches pass through to the upstream. Pushes are checked (pusher, upstream,
e-mails, commit messages, hidden commits, secrets and internal data in each
commit's diff, sizes, binaries, the optional pre-receive hook), then rejected
with every problem shown, forwarded, or held for a second person's review
(ospo push approve, or the hub's /pushes pages). Upstreams and checks come
from the proxy section of ospo.yaml; see docs/proxy.md.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			cfg, err := a.config()
			if err != nil {
				return err
			}
			for _, u := range allow {
				cfg.Proxy.Upstreams = append(cfg.Proxy.Upstreams, config.ProxyUpstream{URL: u})
			}
			if err := cfg.Validate(); err != nil {
				return usageErr("%v", err)
			}
			if len(cfg.Proxy.Upstreams) == 0 {
				return usageErr("no upstream is allowed: list them under proxy.upstreams in ospo.yaml or with --allow-upstream")
			}
			st, err := a.store(ctx)
			if err != nil {
				return err
			}
			p, err := pushProxy(cfg, st)
			if err != nil {
				return err
			}
			listen = firstNonZero(listen, cfg.Proxy.Listen, defaultProxyListen)
			mux := http.NewServeMux()
			mux.Handle("/git/", p)
			mux.HandleFunc("GET /metrics", func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "text/plain; version=0.0.4")
				p.Metrics().WriteTo(w)
			})
			ln, err := net.Listen("tcp", listen)
			if err != nil {
				return usageErr("listen: %v", err)
			}
			srv := &http.Server{Handler: mux, ReadHeaderTimeout: 30 * time.Second}
			go func() {
				<-ctx.Done()
				sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
				defer cancel()
				srv.Shutdown(sctx)
			}()
			go func() {
				// Approved pushes whose upstream was down are sent again;
				// pushes held past proxy.hold_for expire.
				tick := time.NewTicker(retry)
				defer tick.Stop()
				for {
					select {
					case <-ctx.Done():
						return
					case <-tick.C:
						if n, err := p.RetryApproved(ctx); err != nil {
							a.log.Warn("forward approved pushes", "forwarded", n, "err", err)
						}
						if expired, err := p.ExpireHeld(ctx); err != nil {
							a.log.Warn("expire held pushes", "err", err)
						} else if len(expired) > 0 {
							a.log.Info("held pushes expired", "count", len(expired))
						}
					}
				}
			}()
			fmt.Fprintf(a.stderr, "push proxy listening on http://%s/git/ (Ctrl-C to stop)\n", ln.Addr())
			if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
				return internalErr(err)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&listen, "listen", "", "address to listen on (default "+defaultProxyListen+", or proxy.listen in ospo.yaml)")
	cmd.Flags().StringArrayVar(&allow, "allow-upstream", nil, "an upstream URL prefix pushes may go to, besides proxy.upstreams (repeatable)")
	cmd.Flags().DurationVar(&retry, "retry", time.Minute, "how often approved pushes whose upstream was down are sent again, and held pushes past proxy.hold_for expire")
	return cmd
}

func (a *app) pushesCmd() *cobra.Command {
	var format string
	var held bool
	var limit int
	cmd := &cobra.Command{
		Use:   "pushes",
		Short: "List the pushes the push proxy received (held, forwarded, rejected)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			st, err := a.storeFor(cmd.Context(), format)
			if err != nil {
				return err
			}
			f := store.PushFilter{Limit: limit}
			if held {
				f.Status = catalog.PushHeld
			}
			list, err := st.ListPushes(cmd.Context(), f)
			if err != nil {
				return internalErr(err)
			}
			if format == report.FormatJSON {
				if list == nil {
					list = []catalog.Push{}
				}
				return report.JSON(a.stdout, list)
			}
			t := report.NewTable(a.stdout, "ID", "STATUS", "PUSHER", "UPSTREAM", "REFS", "COMMITS", "FINDINGS", "RECEIVED")
			for _, p := range list {
				var refs []string
				for _, r := range p.Refs {
					refs = append(refs, strings.TrimPrefix(strings.TrimPrefix(r.Ref, "refs/heads/"), "refs/"))
				}
				t.Row(strconv.FormatInt(p.ID, 10), string(p.Status), p.Pusher, p.Upstream, strings.Join(refs, ","),
					strconv.Itoa(len(p.Commits)), strconv.Itoa(len(p.Findings)), p.CreatedAt.Format("2006-01-02 15:04"))
			}
			if err := t.Flush(); err != nil {
				return err
			}
			fmt.Fprintf(a.stderr, "%d pushes\n", len(list))
			return nil
		},
	}
	addFormat(cmd, &format, report.FormatTable, report.FormatJSON)
	cmd.Flags().BoolVar(&held, "held", false, "only pushes waiting for a reviewer")
	cmd.Flags().IntVar(&limit, "limit", 100, "at most this many, newest first (0: all)")
	return cmd
}

func (a *app) pushCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "push",
		Short: "Review a push held by the push proxy",
		RunE:  func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	decide := func(approve bool) *cobra.Command {
		var reason string
		var attest []string
		var all bool
		verb := map[bool]string{true: "approve", false: "reject"}[approve]
		c := &cobra.Command{
			Use:   verb + " ID --as EMAIL",
			Short: map[bool]string{true: "Approve a held push (the proxy then forwards it to its upstream)", false: "Reject a held push (its pack is discarded)"}[approve],
			Args:  cobra.ExactArgs(1),
			RunE: func(cmd *cobra.Command, args []string) error {
				ctx := cmd.Context()
				id, err := strconv.ParseInt(args[0], 10, 64)
				if err != nil || id <= 0 {
					return usageErr("push id %q is not a number", args[0])
				}
				if a.as == "" {
					return usageErr("say who reviews with --as EMAIL (an account with the ospo or admin role, not the pusher)")
				}
				p, err := a.configuredPushProxy(ctx)
				if err != nil {
					return err
				}
				if all {
					attest = p.Attestations()
				}
				push, err := p.Decide(ctx, id, pushproxy.Decision{Approve: approve, Reviewer: a.actor(), Reason: reason, Attestations: attest})
				if err != nil {
					if push != nil {
						fmt.Fprint(a.stdout, report.Cleanf("push %d approved by %s; forwarding failed, the proxy tries again: %s\n", id, push.DecidedBy, push.Error))
						return nil
					}
					if errors.Is(err, store.ErrNotFound) {
						return notFound("push", args[0], err)
					}
					return classify(err)
				}
				switch push.Status {
				case catalog.PushForwarded:
					fmt.Fprint(a.stdout, report.Cleanf("push %d approved by %s and forwarded to %s\n", id, push.DecidedBy, push.Upstream))
				default:
					fmt.Fprint(a.stdout, report.Cleanf("push %d %s by %s\n", id, push.Status, push.DecidedBy))
				}
				return nil
			},
		}
		if approve {
			c.Flags().StringArrayVar(&attest, "attest", nil, "an attestation (as configured under proxy.attestations) the reviewer makes (repeatable)")
			c.Flags().BoolVar(&all, "attest-all", false, "make every configured attestation")
			c.Flags().StringVar(&reason, "reason", "", "a note for the pusher")
		} else {
			c.Flags().StringVar(&reason, "reason", "", "why (required)")
		}
		return c
	}
	expire := &cobra.Command{
		Use:   "expire",
		Short: "Discard the pushes held for review longer than proxy.hold_for (for cron on SQLite; workers do it on PostgreSQL)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			p, err := a.configuredPushProxy(ctx)
			if err != nil {
				return err
			}
			expired, err := p.ExpireHeld(ctx)
			if err != nil {
				return internalErr(err)
			}
			for _, push := range expired {
				fmt.Fprint(a.stdout, report.Cleanf("push %d (%s to %s) expired\n", push.ID, push.Pusher, push.Upstream))
			}
			fmt.Fprintf(a.stderr, "%d held push(es) expired\n", len(expired))
			return nil
		},
	}
	cmd.AddCommand(decide(true), decide(false), expire)
	return cmd
}
