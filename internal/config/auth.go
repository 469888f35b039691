package config

// Auth configures sign-in to the hub (the auth section of ospo.yaml). With
// no accounts in the store and no OIDC issuer, the hub serves without
// sign-in, and only on a loopback address.
type Auth struct {
	// AnonymousRead lets people who are not signed in read the catalogue
	// (pages and API); changes still need an account.
	AnonymousRead bool `yaml:"anonymous_read" json:"anonymous_read,omitempty"`
	// PublicMetrics serves /metrics to anyone; by default, once sign-in is
	// configured, it needs an ospo or admin account's token or session.
	PublicMetrics bool `yaml:"public_metrics" json:"public_metrics,omitempty"`
	// SessionIdle and SessionMax are the idle and absolute lifetimes of a
	// hub session; empty means 12h and 168h (7 days).
	SessionIdle Duration `yaml:"session_idle" json:"session_idle,omitempty"`
	SessionMax  Duration `yaml:"session_max" json:"session_max,omitempty"`
	// SecureCookies marks session cookies Secure even when the hub itself
	// serves plain HTTP behind a TLS-terminating proxy. The hub sets it by
	// itself for requests that arrive over TLS.
	SecureCookies bool `yaml:"secure_cookies" json:"secure_cookies,omitempty"`
	// OIDC configures sign-in through the firm's OpenID provider.
	OIDC OIDC `yaml:"oidc" json:"oidc,omitzero"`
}

// OIDC configures sign-in with an OpenID Connect provider (Entra ID, Okta,
// Keycloak, Dex…): the authorization code flow with PKCE.
type OIDC struct {
	// Issuer is the provider's issuer URL; empty turns OIDC off.
	Issuer   string `yaml:"issuer" json:"issuer,omitempty"`
	ClientID string `yaml:"client_id" json:"client_id,omitempty"`
	// ClientSecretEnv names the environment variable holding the client
	// secret, so that the secret stays out of the file.
	ClientSecretEnv string `yaml:"client_secret_env" json:"client_secret_env,omitempty"`
	// RedirectURL is the hub's callback as registered with the provider:
	// https://hub.example.com/auth/oidc/callback.
	RedirectURL string `yaml:"redirect_url" json:"redirect_url,omitempty"`
	// Scopes requested besides openid; empty means email, profile, groups.
	Scopes []string `yaml:"scopes" json:"scopes,omitempty"`
	// EmailClaim and GroupsClaim name the ID token claims holding the
	// e-mail and the groups; empty means "email" and "groups".
	EmailClaim  string `yaml:"email_claim" json:"email_claim,omitempty"`
	GroupsClaim string `yaml:"groups_claim" json:"groups_claim,omitempty"`
	// RoleGroups maps a role (viewer, developer, ospo, admin) to the groups
	// that grant it; a person in several gets the highest.
	RoleGroups map[string][]string `yaml:"role_groups" json:"role_groups,omitempty"`
	// DefaultRole is the role of a person in none of RoleGroups; empty
	// means developer.
	DefaultRole string `yaml:"default_role" json:"default_role,omitempty"`
	// TrustEmail takes the e-mail claim as verified when the provider
	// sends no email_verified claim (Entra ID does not); otherwise only a
	// verified e-mail creates an account or links an existing one.
	TrustEmail bool `yaml:"trust_email" json:"trust_email,omitempty"`
	// Name is shown on the sign-in button; empty means the issuer's host.
	Name string `yaml:"name" json:"name,omitempty"`
}
