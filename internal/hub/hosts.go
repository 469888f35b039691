package hub

import (
	"net"
	"net/http"
	"strings"
)

// HostCheck returns a handler that answers only requests whose Host header
// names the hub, the defence against DNS rebinding: a web page on any site
// can point a name it controls at 127.0.0.1 and then read, from the
// visitor's browser, whatever a hub on the visitor's machine serves, unless
// the hub refuses requests addressed to that name.
//
// The check applies when loopback is true (the hub listens on a loopback
// address, as it does by default) or when allowed is not empty. Then the
// Host (port ignored, case folded) must be a loopback name — localhost, a
// name under .localhost, or a loopback IP address such as 127.0.0.1 or
// [::1] — or one of allowed. Other requests get 421 Misdirected Request. A
// request without a Host header (HTTP/1.0) is not one a browser sends and
// passes. With loopback false and allowed empty, next is returned as is: a
// hub listening on every interface is reached by names the operator
// chooses, and sign-in protects it.
func HostCheck(next http.Handler, loopback bool, allowed []string) http.Handler {
	if !loopback && len(allowed) == 0 {
		return next
	}
	names := make(map[string]bool, len(allowed))
	for _, h := range allowed {
		names[canonicalHost(h)] = true
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Host != "" {
			h := canonicalHost(hostOnly(r.Host))
			if !names[h] && !loopbackName(h) {
				w.Header().Set("Content-Type", "text/plain; charset=utf-8")
				w.Header().Set("X-Content-Type-Options", "nosniff")
				w.WriteHeader(http.StatusMisdirectedRequest)
				w.Write([]byte("this hub does not answer to that host name; use localhost, " +
					"or list the name in hub.allowed_hosts of ospo.yaml\n"))
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// hostOnly drops the port of a Host header value.
func hostOnly(hostport string) string {
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		return h
	}
	return strings.TrimSuffix(strings.TrimPrefix(hostport, "["), "]")
}

func canonicalHost(h string) string {
	return strings.TrimSuffix(strings.ToLower(strings.TrimSpace(h)), ".")
}

// loopbackName reports whether h (no port, lower case) always reaches the
// local machine: localhost, a name under .localhost (RFC 6761; browsers
// resolve them to loopback themselves) or a loopback IP address.
func loopbackName(h string) bool {
	if h == "localhost" || strings.HasSuffix(h, ".localhost") {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}

// IsLoopback reports whether addr is a loopback address, as a hub listening
// there is reached from this machine only.
func IsLoopback(addr net.Addr) bool {
	if t, ok := addr.(*net.TCPAddr); ok {
		return t.IP.IsLoopback()
	}
	h, _, err := net.SplitHostPort(addr.String())
	if err != nil {
		return false
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}
