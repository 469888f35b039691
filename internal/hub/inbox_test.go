package hub_test

import (
	"context"
	"encoding/xml"
	"net/http"
	"strings"
	"testing"

	"github.com/ospo-project/ospo/internal/auth"
	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/hub"
)

// TestInboxFeed reads a developer's inbox as Atom with a token in the
// query or a bearer header, and refuses it without a valid token.
func TestInboxFeed(t *testing.T) { eachStore(t, testInboxFeed) }

func testInboxFeed(t *testing.T, open opener) {
	a := newAuthHub(t, open, hub.AuthOptions{Required: true})
	ctx := context.Background()
	dev := email(catalog.RoleDeveloper)
	if _, err := a.st.ReplaceProject(ctx, &catalog.Project{Key: "owned", Name: "owned", Path: "/src/owned", ScannerVersion: catalog.ScannerVersion,
		Owners:          []catalog.Owner{{Owner: dev, Source: catalog.OwnerCodeowners, Path: "CODEOWNERS", Pattern: "*"}},
		LicenseFindings: []catalog.LicenseFinding{{Severity: catalog.SeverityViolation, Rule: "license/strong-copyleft", PURL: "pkg:npm/gpl@1.0.0", License: "GPL-3.0-only", Message: "<b>no</b>"}},
	}); err != nil {
		t.Fatal(err)
	}
	secret, k, err := a.svc.CreateToken(ctx, auth.Actor{Name: "test", Source: "cli"}, dev, "feed", catalog.ScopeRead, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name   string
		call   call
		status int
	}{
		{"token in the query", call{method: http.MethodGet, path: "/feeds/inbox.atom?token=" + secret}, 200},
		{"bearer", call{method: http.MethodGet, path: "/feeds/inbox.atom", bearer: secret}, 200},
		{"no token", call{method: http.MethodGet, path: "/feeds/inbox.atom"}, 401},
		{"bad token", call{method: http.MethodGet, path: "/feeds/inbox.atom?token=ospo_nope"}, 401},
		{"a session is not enough", call{method: http.MethodGet, path: "/feeds/inbox.atom", session: a.session(t, catalog.RoleDeveloper)}, 401},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := a.do(t, c.call)
			if r.status != c.status {
				t.Fatalf("status %d, want %d: %s", r.status, c.status, r.body)
			}
			if c.status != 200 {
				return
			}
			if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/atom+xml") || r.header.Get("Cache-Control") != "private, no-store" {
				t.Errorf("headers %v", r.header)
			}
			var feed struct {
				Title   string `xml:"title"`
				Entries []struct {
					ID    string `xml:"id"`
					Title string `xml:"title"`
					Link  struct {
						Href string `xml:"href,attr"`
					} `xml:"link"`
				} `xml:"entry"`
			}
			if err := xml.Unmarshal([]byte(r.body), &feed); err != nil {
				t.Fatalf("feed: %v\n%s", err, r.body)
			}
			if len(feed.Entries) != 1 || !strings.Contains(feed.Entries[0].ID, "license:license/strong-copyleft:pkg:npm/gpl") ||
				!strings.HasPrefix(feed.Entries[0].Link.Href, "/projects/") {
				t.Errorf("feed = %+v, want the licence item", feed)
			}
			if strings.Contains(r.body, secret) {
				t.Error("the feed repeats the token")
			}
		})
	}
	if _, err := a.svc.RevokeToken(ctx, auth.Actor{Name: "test", Source: "cli"}, k.ID); err != nil {
		t.Fatal(err)
	}
	if r := a.do(t, call{method: http.MethodGet, path: "/feeds/inbox.atom?token=" + secret}); r.status != 401 {
		t.Errorf("revoked token: %d, want 401", r.status)
	}
}
