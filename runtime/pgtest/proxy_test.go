package pgtest

import (
	"context"
	"net"
	"strconv"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"
)

// serverAddr returns the host:port of the package database.
func serverAddr(t *testing.T) string {
	t.Helper()
	cfg, err := pgx.ParseConfig(URL(t))
	require.NoError(t, err)
	return net.JoinHostPort(cfg.Host, strconv.Itoa(int(cfg.Port)))
}

func TestProxyURL(t *testing.T) {
	p := Proxy(t, "127.0.0.1:1")
	host, port, err := net.SplitHostPort(p.Addr())
	require.NoError(t, err)
	require.Equal(t, "127.0.0.1", host)

	require.Equal(t, "postgres://u:pw@"+p.Addr()+"/db?sslmode=disable",
		p.URL("postgres://u:pw@db.example:6543/db?sslmode=disable"))
	require.Equal(t, "postgresql://"+p.Addr()+"/db?sslmode=disable",
		p.URL("postgresql://localhost/db?host=other&port=1&sslmode=disable"))
	require.Equal(t, "host=db.example dbname=x host=127.0.0.1 port="+port,
		p.URL("host=db.example dbname=x"))

	cfg, err := pgx.ParseConfig(p.URL("host=db.example port=6543 dbname=x"))
	require.NoError(t, err)
	require.Equal(t, "127.0.0.1", cfg.Host)
	require.Equal(t, port, strconv.Itoa(int(cfg.Port)))
}

func TestProxyCutAndRestore(t *testing.T) {
	ctx := context.Background()
	p := Proxy(t, serverAddr(t))
	u := p.URL(URL(t))

	conn := connect(t, u)
	defer conn.Close(ctx)
	require.NoError(t, conn.Ping(ctx))

	p.Cut()
	require.Error(t, conn.Ping(ctx), "an open connection drops")
	_, err := pgx.Connect(ctx, u)
	require.Error(t, err, "a new connection is refused while cut")

	p.Restore()
	again := connect(t, u)
	defer again.Close(ctx)
	require.NoError(t, again.Ping(ctx))
}

func TestProxyUnreachableTarget(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	target := ln.Addr().String()
	require.NoError(t, ln.Close()) // nothing listens there now

	p := Proxy(t, target)
	c, err := net.DialTimeout("tcp", p.Addr(), time.Second)
	require.NoError(t, err)
	defer c.Close()
	require.NoError(t, c.SetReadDeadline(time.Now().Add(5*time.Second)))
	_, err = c.Read(make([]byte, 1))
	require.Error(t, err, "the proxy closes the client when it cannot reach the target")
}
