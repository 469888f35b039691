package hub_test

import (
	"context"
	"io"
	"net"
	"net/http"
	"testing"

	"github.com/ospo-project/ospo/internal/hub"
)

// serveOK starts hub.Serve on addr with a handler that answers "ok" and
// returns the bound address; the server stops with the test.
func serveOK(t *testing.T, addr string, opts hub.ServeOptions) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	addrc := make(chan string, 1)
	errc := make(chan error, 1)
	h := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { io.WriteString(w, "ok") })
	go func() { errc <- hub.Serve(ctx, addr, h, func(a net.Addr) { addrc <- a.String() }, opts) }()
	t.Cleanup(func() {
		cancel()
		if err := <-errc; err != nil {
			t.Errorf("Serve: %v", err)
		}
	})
	select {
	case a := <-addrc:
		return a
	case err := <-errc:
		t.Fatalf("Serve: %v", err)
		return ""
	}
}

// get sends a GET to the server at addr with the given Host header.
func getHost(t *testing.T, addr, host string) int {
	t.Helper()
	req, err := http.NewRequest("GET", "http://"+addr+"/", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Host = host
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("GET with Host %q: %v", host, err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

// TestHostCheck sends the requests a DNS-rebinding page makes (Host: a name
// the attacker controls, resolved to 127.0.0.1) to a real hub on a loopback
// address: they are refused, while loopback names and configured names are
// served.
func TestHostCheck(t *testing.T) {
	addr := serveOK(t, "127.0.0.1:0", hub.ServeOptions{AllowedHosts: []string{"ospo.internal"}})
	_, port, _ := net.SplitHostPort(addr)
	tests := []struct {
		host string
		want int
	}{
		{addr, http.StatusOK},
		{"localhost:" + port, http.StatusOK},
		{"LOCALHOST", http.StatusOK},
		{"hub.localhost:" + port, http.StatusOK},
		{"127.0.0.1", http.StatusOK},
		{"127.1.2.3:" + port, http.StatusOK},
		{"[::1]:" + port, http.StatusOK},
		{"ospo.internal:" + port, http.StatusOK},
		{"OSPO.internal.", http.StatusOK},
		{"attacker.example", http.StatusMisdirectedRequest},
		{"attacker.example:" + port, http.StatusMisdirectedRequest},
		{"localhost.attacker.example", http.StatusMisdirectedRequest},
		{"127.0.0.1.nip.io:" + port, http.StatusMisdirectedRequest},
		{"10.0.0.1:" + port, http.StatusMisdirectedRequest},
	}
	for _, tt := range tests {
		if got := getHost(t, addr, tt.host); got != tt.want {
			t.Errorf("Host %q: status %d, want %d", tt.host, got, tt.want)
		}
	}
}

// TestHostCheckOpen checks that a hub listening beyond loopback, with no
// allowed hosts configured, answers any name, and that configuring names
// restricts it to them.
func TestHostCheckOpen(t *testing.T) {
	h := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {})
	for _, tt := range []struct {
		loopback bool
		allowed  []string
		host     string
		want     int
	}{
		{false, nil, "hub.example.com", http.StatusOK},
		{false, []string{"hub.example.com"}, "hub.example.com:443", http.StatusOK},
		{false, []string{"hub.example.com"}, "attacker.example", http.StatusMisdirectedRequest},
		{true, nil, "", http.StatusOK}, // HTTP/1.0 without Host: not a browser
	} {
		rec := &statusRecorder{header: http.Header{}, code: http.StatusOK}
		req, _ := http.NewRequest("GET", "/", nil)
		req.Host = tt.host
		hub.HostCheck(h, tt.loopback, tt.allowed).ServeHTTP(rec, req)
		if rec.code != tt.want {
			t.Errorf("loopback=%v allowed=%v Host %q: %d, want %d", tt.loopback, tt.allowed, tt.host, rec.code, tt.want)
		}
	}
}

type statusRecorder struct {
	header http.Header
	code   int
}

func (r *statusRecorder) Header() http.Header         { return r.header }
func (r *statusRecorder) Write(b []byte) (int, error) { return len(b), nil }
func (r *statusRecorder) WriteHeader(code int)        { r.code = code }
