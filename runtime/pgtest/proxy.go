package pgtest

import (
	"errors"
	"io"
	"net"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

// dialTimeout bounds the proxy's connection attempt to its target.
const dialTimeout = 5 * time.Second

// TCPProxy forwards TCP connections to a target address and can cut them, so
// that tests can take the database away from a pool and give it back:
//
//	proxy := pgtest.Proxy(t, "127.0.0.1:5432")
//	pool, err := pgxpool.New(ctx, proxy.URL(pgtest.URL(t)))
//	// ...
//	proxy.Cut()     // open connections drop; new ones are closed at once
//	proxy.Restore() // new connections reach the database again
//
// A cut proxy keeps listening: it accepts connections and closes them
// immediately, which a client sees as the server closing the connection
// during the handshake. The proxy is closed at the test's Cleanup.
type TCPProxy struct {
	tb     testing.TB
	target string
	ln     net.Listener
	wg     sync.WaitGroup // the accept loop and the pipes

	mu     sync.Mutex
	cut    bool
	closed bool
	conns  map[net.Conn]struct{} // both ends of every open pipe
}

// Proxy starts a proxy listening on 127.0.0.1 (a free port) that forwards
// every connection to target (host:port). It is closed at tb.Cleanup.
func Proxy(tb testing.TB, target string) *TCPProxy {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatalf("pgtest: proxy: %v", err)
	}
	p := &TCPProxy{tb: tb, target: target, ln: ln, conns: make(map[net.Conn]struct{})}
	p.wg.Add(1)
	go p.accept()
	tb.Cleanup(p.close)
	return p
}

// Addr returns the host:port the proxy listens on.
func (p *TCPProxy) Addr() string { return p.ln.Addr().String() }

// URL returns dbURL (a postgres:// URL or a keyword/value connection string)
// with its host and port replaced by the proxy's.
func (p *TCPProxy) URL(dbURL string) string {
	host, port, _ := net.SplitHostPort(p.Addr())
	if !strings.HasPrefix(dbURL, "postgres://") && !strings.HasPrefix(dbURL, "postgresql://") {
		// keyword/value form: a later keyword wins.
		return dbURL + " host=" + host + " port=" + port
	}
	u, err := url.Parse(dbURL)
	if err != nil {
		p.tb.Fatalf("pgtest: proxy: %v", err)
	}
	u.Host = p.Addr()
	if q := u.Query(); q.Has("host") || q.Has("port") {
		q.Del("host")
		q.Del("port")
		u.RawQuery = q.Encode()
	}
	return u.String()
}

// Cut closes every connection going through the proxy and makes it close new
// ones at once, until Restore.
func (p *TCPProxy) Cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.cut = true
	p.closeConnsLocked()
}

// Restore lets new connections through again after Cut.
func (p *TCPProxy) Restore() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.cut = false
}

func (p *TCPProxy) close() {
	p.mu.Lock()
	p.closed = true
	p.closeConnsLocked()
	p.mu.Unlock()
	_ = p.ln.Close()
	p.wg.Wait()
}

func (p *TCPProxy) closeConnsLocked() {
	for c := range p.conns {
		_ = c.Close()
		delete(p.conns, c)
	}
}

func (p *TCPProxy) accept() {
	defer p.wg.Done()
	for {
		client, err := p.ln.Accept()
		if errors.Is(err, net.ErrClosed) {
			return
		}
		if err != nil {
			p.tb.Logf("pgtest: proxy: accept: %v", err)
			return
		}
		if p.refuse() {
			_ = client.Close()
			continue
		}
		p.wg.Add(1)
		go p.serve(client)
	}
}

func (p *TCPProxy) refuse() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.cut || p.closed
}

// serve dials the target for client and pipes bytes both ways until either
// side closes or the proxy cuts them.
func (p *TCPProxy) serve(client net.Conn) {
	defer p.wg.Done()
	server, err := net.DialTimeout("tcp", p.target, dialTimeout)
	if err != nil {
		_ = client.Close()
		return
	}
	if !p.track(client, server) {
		_ = client.Close()
		_ = server.Close()
		return
	}
	done := make(chan struct{}, 2)
	go pipe(server, client, done)
	go pipe(client, server, done)
	<-done // one direction ended: end both
	p.untrack(client, server)
	<-done
}

// track registers a pipe's ends unless the proxy was cut or closed meanwhile.
func (p *TCPProxy) track(conns ...net.Conn) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.cut || p.closed {
		return false
	}
	for _, c := range conns {
		p.conns[c] = struct{}{}
	}
	return true
}

func (p *TCPProxy) untrack(conns ...net.Conn) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range conns {
		_ = c.Close()
		delete(p.conns, c)
	}
}

func pipe(dst, src net.Conn, done chan<- struct{}) {
	_, _ = io.Copy(dst, src)
	done <- struct{}{}
}
