package hub

import (
	"net"
	"sync"
)

// Connection limits applied by Serve unless configured otherwise.
const (
	DefaultMaxConnections          = 1024
	DefaultMaxConnectionsPerClient = 64
)

// LimitListener returns a listener that holds at most total connections
// open at once, and at most perClient from one remote IP address. When total
// connections are open, Accept waits for one to close (new connections wait
// in the kernel's queue, no file descriptor is spent on them); a connection
// from an address that already holds perClient is closed as soon as it is
// accepted. So one client that opens thousands of connections and sends
// nothing (each held until the server's header timeout) cannot exhaust the
// server's file descriptors, nor keep other clients out.
//
// A hub behind a reverse proxy sees every request come from the proxy's
// address: raise perClient (hub.max_connections_per_client) to the proxy's
// connection pool.
func LimitListener(l net.Listener, total, perClient int) net.Listener {
	return &limitListener{
		Listener:  l,
		sem:       make(chan struct{}, total),
		perClient: perClient,
		open:      map[string]int{},
		done:      make(chan struct{}),
	}
}

type limitListener struct {
	net.Listener
	sem       chan struct{}
	perClient int

	mu   sync.Mutex
	open map[string]int // remote IP → connections open

	closeOnce sync.Once
	done      chan struct{}
}

// Accept implements net.Listener.
func (l *limitListener) Accept() (net.Conn, error) {
	for {
		select {
		case l.sem <- struct{}{}:
		case <-l.done:
			return nil, net.ErrClosed
		}
		c, err := l.Listener.Accept()
		if err != nil {
			<-l.sem
			return nil, err
		}
		ip := remoteIP(c)
		l.mu.Lock()
		if l.open[ip] >= l.perClient {
			l.mu.Unlock()
			c.Close()
			<-l.sem
			continue
		}
		l.open[ip]++
		l.mu.Unlock()
		return &limitConn{Conn: c, l: l, ip: ip}, nil
	}
}

// Close implements net.Listener; it also ends an Accept waiting for a slot.
func (l *limitListener) Close() error {
	l.closeOnce.Do(func() { close(l.done) })
	return l.Listener.Close()
}

func (l *limitListener) release(ip string) {
	l.mu.Lock()
	if l.open[ip]--; l.open[ip] <= 0 {
		delete(l.open, ip)
	}
	l.mu.Unlock()
	<-l.sem
}

func remoteIP(c net.Conn) string {
	if t, ok := c.RemoteAddr().(*net.TCPAddr); ok {
		return t.IP.String()
	}
	h, _, err := net.SplitHostPort(c.RemoteAddr().String())
	if err != nil {
		return c.RemoteAddr().String()
	}
	return h
}

type limitConn struct {
	net.Conn
	l    *limitListener
	ip   string
	once sync.Once
}

// Close implements net.Conn; the connection's slots are freed once.
func (c *limitConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(func() { c.l.release(c.ip) })
	return err
}
