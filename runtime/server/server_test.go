package server

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crudgen/crudgen/runtime/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

func TestFromEnv(t *testing.T) {
	t.Setenv("DATABASE_URL", "")
	_, err := FromEnv()
	require.ErrorContains(t, err, "DATABASE_URL is not set")

	t.Setenv("DATABASE_URL", "postgres://x@localhost/db")
	t.Setenv("ADDR", "")
	cfg, err := FromEnv()
	require.NoError(t, err)
	assert.Equal(t, ":8080", cfg.Addr)
	assert.Equal(t, 10*time.Second, cfg.ShutdownTimeout)

	t.Setenv("SHUTDOWN_TIMEOUT", "soon")
	_, err = FromEnv()
	require.ErrorContains(t, err, "SHUTDOWN_TIMEOUT")
	t.Setenv("SHUTDOWN_TIMEOUT", "")
	t.Setenv("LOG_LEVEL", "loud")
	_, err = FromEnv()
	require.ErrorContains(t, err, "LOG_LEVEL")
}

// TestRun serves a handler over the database until the context ends, and
// lets a request in flight finish.
func TestRun(t *testing.T) {
	dbURL := pgtest.URL(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())

	ctx, cancel := context.WithCancel(context.Background())
	started := make(chan struct{})
	build := func(db *pgxpool.Pool, _ *slog.Logger) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/slow" {
				close(started)
				time.Sleep(300 * time.Millisecond)
			}
			var n int
			if err := db.QueryRow(r.Context(), "SELECT 41 + 1").Scan(&n); err != nil {
				http.Error(w, err.Error(), 500)
				return
			}
			_, _ = io.WriteString(w, "ok")
		})
	}
	done := make(chan error, 1)
	go func() {
		done <- Run(ctx, Config{DatabaseURL: dbURL, Addr: addr, ShutdownTimeout: 5 * time.Second, Logger: slog.New(slog.DiscardHandler)}, build)
	}()
	var res *http.Response
	require.Eventually(t, func() bool {
		res, err = http.Get("http://" + addr + "/")
		return err == nil
	}, 5*time.Second, 20*time.Millisecond)
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	assert.Equal(t, "ok", string(body))

	slow := make(chan string, 1)
	go func() {
		res, err := http.Get("http://" + addr + "/slow")
		if err != nil {
			slow <- err.Error()
			return
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		slow <- string(b)
	}()
	<-started
	cancel()
	assert.Equal(t, "ok", <-slow, "the request in flight finished")
	require.NoError(t, <-done)
	_, err = http.Get("http://" + addr + "/")
	assert.Error(t, err, "no longer listening")
}

func TestRunFailsWithoutDatabase(t *testing.T) {
	err := Run(context.Background(), Config{DatabaseURL: "postgres://nobody@127.0.0.1:1/none?connect_timeout=1", Addr: "127.0.0.1:0"}, nil)
	require.ErrorContains(t, err, "connecting to the database")
	err = Run(context.Background(), Config{DatabaseURL: "::nonsense", Addr: "127.0.0.1:0"}, nil)
	require.ErrorContains(t, err, "DATABASE_URL")
}
