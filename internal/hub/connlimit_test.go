package hub_test

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/ospo-project/ospo/internal/hub"
)

// TestConnectionLimits opens many half-sent requests from one address to a
// real hub server (the attack that exhausted file descriptors) and checks
// that a normal request from another address is still answered, and that
// the attacking address gets no more connections than its share. The
// server's header timeout is set far beyond the test's deadline, so the
// half-sent connections stay open for the whole test: without the limits
// the normal request would wait behind them and miss the deadline.
func TestConnectionLimits(t *testing.T) {
	const total, perClient, attackers = 32, 8, 200
	addr := serveOK(t, "127.0.0.1:0", hub.ServeOptions{
		MaxConnections: total, MaxConnectionsPerClient: perClient, ReadHeaderTimeout: time.Hour,
	})
	attacker := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.IPv4(127, 0, 0, 2)}}
	var conns []net.Conn
	t.Cleanup(func() {
		for _, c := range conns {
			c.Close()
		}
	})
	for range attackers {
		c, err := attacker.Dial("tcp", addr)
		if err != nil {
			t.Skipf("cannot dial from 127.0.0.2: %v", err)
		}
		conns = append(conns, c)
		io.WriteString(c, "GET / HTTP/1.1\r\nHost: localhost\r\nX-Slow: ") // never finished
	}

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", "http://"+addr+"/", nil)
	resp, err := (&http.Client{Transport: &http.Transport{DisableKeepAlives: true}}).Do(req)
	if err != nil {
		t.Fatalf("a normal request while %d half-sent requests are open: %v", attackers, err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || string(body) != "ok" {
		t.Fatalf("normal request: %d %q", resp.StatusCode, body)
	}

	// All but perClient of the attacker's connections were closed by the
	// server. The kernel hands connections to Accept in the order they were
	// made, and the listener closes an excess one before it accepts the
	// next, so by the time the normal request was answered every excess
	// connection is already closed: reading it ends at once (EOF or reset).
	// A held one would block, so each read has a short deadline, which
	// tells the two apart without depending on how fast anything runs.
	closed := 0
	for _, c := range conns {
		if closed == attackers-perClient {
			break
		}
		c.SetReadDeadline(time.Now().Add(100 * time.Millisecond))
		_, err := c.Read(make([]byte, 1))
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() {
			continue // one of the held connections
		}
		closed++
	}
	if closed != attackers-perClient {
		t.Errorf("%d of the attacker's %d connections were closed, want %d", closed, attackers, attackers-perClient)
	}
}
