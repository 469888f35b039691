package cli

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"os"
	"strings"
	"time"

	"github.com/ospo-project/ospo/internal/auth"
	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/config"
	"github.com/ospo-project/ospo/internal/hub"
	"github.com/ospo-project/ospo/internal/hub/oidclogin"
	"github.com/ospo-project/ospo/internal/store"
)

// isLoopback reports whether the listen address addr (host:port) only
// accepts connections from this machine, by hub.IsLoopback's rule; the
// name localhost counts.
func isLoopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if host == "localhost" {
		return true
	}
	return hub.IsLoopback(&net.TCPAddr{IP: net.ParseIP(host)})
}

// checkOpenListen refuses early (before ospo up scans) a non-loopback
// listen address without --insecure-no-auth when no OIDC issuer is
// configured and no catalogue with accounts exists yet: the hub would serve
// without sign-in, which hubAuth refuses after the scan anyway.
func (a *app) checkOpenListen(listen string, insecure bool) error {
	cfg, err := config.Load(a.configPath())
	if err != nil {
		return usageErr("%v", err)
	}
	listen = firstNonZero(listen, cfg.Hub.Listen, defaultListen)
	if insecure || cfg.Auth.OIDC.Issuer != "" || isLoopback(listen) {
		return nil
	}
	if dsn := a.dsn(); !strings.Contains(dsn, "://") {
		if _, err := os.Stat(dsn); err != nil {
			return usageErr("refusing to serve on %s without sign-in: the catalogue has no accounts yet. "+
				"Create one (ospo users add EMAIL --role admin --password-stdin), configure auth.oidc, "+
				"listen on a loopback address, or pass --insecure-no-auth", listen)
		}
	}
	return nil
}

// hubAuth decides how the hub signs people in: sign-in is required once an
// account exists or an OIDC issuer is configured. Without it the hub serves
// read-only to anyone, which is refused on a non-loopback address unless
// insecure is set.
func (a *app) hubAuth(ctx context.Context, st store.Store, cfg config.Config, listen string, insecure bool) (hub.AuthOptions, error) {
	svc := auth.NewService(st)
	if d := time.Duration(cfg.Auth.SessionIdle); d > 0 {
		svc.SessionIdle = d
	}
	if d := time.Duration(cfg.Auth.SessionMax); d > 0 {
		svc.SessionMax = d
	}
	accs, err := st.ListAccounts(ctx)
	if err != nil {
		return hub.AuthOptions{}, internalErr(err)
	}
	o := hub.AuthOptions{
		Service:       svc,
		Required:      len(accs) > 0 || cfg.Auth.OIDC.Issuer != "",
		AnonymousRead: cfg.Auth.AnonymousRead,
		PublicMetrics: cfg.Auth.PublicMetrics,
		SecureCookies: cfg.Auth.SecureCookies,
	}
	if oc := cfg.Auth.OIDC; oc.Issuer != "" {
		secret := ""
		if oc.ClientSecretEnv != "" {
			secret = os.Getenv(oc.ClientSecretEnv)
			if secret == "" {
				return o, usageErr("auth.oidc.client_secret_env: $%s is empty", oc.ClientSecretEnv)
			}
		}
		roles := map[catalog.Role][]string{}
		for r, groups := range oc.RoleGroups {
			roles[catalog.Role(r)] = groups
		}
		dctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		p, err := oidclogin.New(dctx, oidclogin.Config{Issuer: oc.Issuer, ClientID: oc.ClientID, ClientSecret: secret,
			RedirectURL: oc.RedirectURL, Scopes: oc.Scopes, EmailClaim: oc.EmailClaim, GroupsClaim: oc.GroupsClaim,
			RoleGroups: roles, DefaultRole: catalog.Role(oc.DefaultRole), Name: oc.Name, TrustEmail: oc.TrustEmail,
			SecureCookies: cfg.Auth.SecureCookies}, svc, st, a.log)
		cancel()
		if err != nil {
			return o, usageErr("auth.oidc: %v", err)
		}
		o.OIDC = p
	}
	if !o.Required && !isLoopback(listen) {
		if !insecure {
			return o, usageErr("refusing to serve on %s without sign-in: anyone who can reach it could read the catalogue. "+
				"Create an account (ospo users add EMAIL --role admin --password-stdin) or configure auth.oidc in ospo.yaml, "+
				"listen on a loopback address (--listen 127.0.0.1:7474), or pass --insecure-no-auth to serve it to everyone", listen)
		}
		o.Notice = fmt.Sprintf("INSECURE: no sign-in is configured and this hub listens on %s (started with --insecure-no-auth): anyone who can reach it can read the catalogue.", listen)
	}
	return o, nil
}

// sweepEvery is how often the hub deletes expired sessions.
const sweepEvery = time.Hour

// sweepSessions deletes expired sessions now and every sweepEvery until ctx
// is done.
func sweepSessions(ctx context.Context, svc *auth.Service, log *slog.Logger) {
	t := time.NewTicker(sweepEvery)
	defer t.Stop()
	for {
		if n, err := svc.SweepSessions(ctx); err != nil && ctx.Err() == nil {
			log.Warn("delete expired sessions", "err", err)
		} else if n > 0 {
			log.Info("expired sessions deleted", "sessions", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
