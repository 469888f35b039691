package hub_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"

	"github.com/ospo-project/ospo/internal/auth"
	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/hub"
)

// TestHostileRequests sends what an attacker would to a hub served by
// hub.Serve: oversized headers and bodies, malformed tokens and cookies.
// Each gets a clear 4xx, and no secret reaches the log.
func TestHostileRequests(t *testing.T) {
	a := newAuthHub(t, openSQLite, hub.AuthOptions{Required: true})
	ctx, cancel := context.WithCancel(context.Background())
	addr := make(chan net.Addr, 1)
	done := make(chan error, 1)
	go func() { done <- hub.Serve(ctx, "127.0.0.1:0", a.h, func(ad net.Addr) { addr <- ad }) }()
	base := "http://" + (<-addr).String()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Serve: %v", err)
		}
	})
	secret, _, err := a.svc.CreateToken(context.Background(), auth.Actor{Name: "test", Source: "cli"}, email(catalog.RoleAdmin), "", catalog.ScopeAdmin, 0)
	if err != nil {
		t.Fatal(err)
	}
	session := a.session(t, catalog.RoleAdmin)
	pre, _ := auth.NewSessionID()
	for _, tc := range []struct {
		name   string
		req    func() *http.Request
		status int
	}{
		{"oversized header", func() *http.Request {
			r, _ := http.NewRequest("GET", base+"/projects", nil)
			r.Header.Set("X-Filler", strings.Repeat("a", 100<<10))
			return r
		}, http.StatusRequestHeaderFieldsTooLarge},
		{"oversized bearer token", func() *http.Request {
			r, _ := http.NewRequest("GET", base+"/api/v1/projects", nil)
			r.Header.Set("Authorization", "Bearer "+strings.Repeat("b", 32<<10))
			return r
		}, http.StatusUnauthorized},
		{"token with a bad character", func() *http.Request {
			r, _ := http.NewRequest("GET", base+"/api/v1/projects", nil)
			r.Header.Set("Authorization", "Bearer "+secret[:len(secret)-1]+"*")
			return r
		}, http.StatusUnauthorized},
		{"token as a cookie", func() *http.Request {
			r, _ := http.NewRequest("GET", base+"/api/v1/projects", nil)
			r.AddCookie(&http.Cookie{Name: auth.SessionCookie, Value: secret})
			return r
		}, http.StatusUnauthorized},
		{"session id as a token", func() *http.Request {
			r, _ := http.NewRequest("GET", base+"/api/v1/projects", nil)
			r.Header.Set("Authorization", "Bearer "+session)
			return r
		}, http.StatusUnauthorized},
		{"garbage session cookie", func() *http.Request {
			r, _ := http.NewRequest("GET", base+"/me", nil)
			r.AddCookie(&http.Cookie{Name: auth.SessionCookie, Value: strings.Repeat("%00", 100)})
			return r
		}, http.StatusSeeOther},
		{"oversized sign-in body", func() *http.Request {
			body := "email=" + email(catalog.RoleAdmin) + "&" + auth.CSRFField + "=" + pre + "&password=" + strings.Repeat("p", 2<<20)
			r, _ := http.NewRequest("POST", base+"/signin", strings.NewReader(body))
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			r.AddCookie(&http.Cookie{Name: auth.PreCSRFCookie, Value: pre})
			return r
		}, http.StatusRequestEntityTooLarge},
		{"long password", func() *http.Request {
			body := "email=" + email(catalog.RoleAdmin) + "&" + auth.CSRFField + "=" + pre + "&password=" + strings.Repeat("p", 100<<10)
			r, _ := http.NewRequest("POST", base+"/signin", strings.NewReader(body))
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			r.AddCookie(&http.Cookie{Name: auth.PreCSRFCookie, Value: pre})
			return r
		}, http.StatusUnauthorized},
	} {
		t.Run(tc.name, func(t *testing.T) {
			client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
			resp, err := client.Do(tc.req())
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != tc.status {
				t.Errorf("%d %.200s, want %d", resp.StatusCode, body, tc.status)
			}
		})
	}
	// A request line the server cannot parse.
	conn, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(conn, "GET /me HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: %s=%s\r\nAuthorization: Bearer\x00%s\r\n\r\n", auth.SessionCookie, session, secret)
	line, _ := bufio.NewReader(conn).ReadString('\n')
	conn.Close()
	if !strings.Contains(line, " 400 ") {
		t.Errorf("a header with a NUL byte: %q, want 400", line)
	}
	logs := a.logs.String()
	for _, s := range []string{secret, session, password} {
		if strings.Contains(logs, s) {
			t.Errorf("the log holds a secret %.10s…", s)
		}
	}
	if !strings.Contains(logs, "request") {
		t.Error("nothing was logged: the test would not see a leak")
	}
}
