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

// TestShutdownDeadlineWithStatement: a request whose statement outlasts
// SHUTDOWN_TIMEOUT does not hold Run up either: at the deadline its
// connection is closed, which cancels its statement, and the pool closes.
func TestShutdownDeadlineWithStatement(t *testing.T) {
	dbURL := pgtest.URL(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	started := make(chan struct{})
	ended := make(chan error, 1)
	build := func(db, _ *pgxpool.Pool, _ *slog.Logger) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path != "/slow" {
				return
			}
			close(started)
			_, err := db.Exec(r.Context(), "SELECT pg_sleep(10)")
			ended <- err
		})
	}
	done := make(chan error, 1)
	go func() {
		cfg := Defaults()
		cfg.DatabaseURL, cfg.Addr, cfg.ShutdownTimeout = dbURL, addr, 200*time.Millisecond
		cfg.Logger = slog.New(slog.DiscardHandler)
		done <- Run(ctx, cfg, build)
	}()
	require.Eventually(t, func() bool {
		res, err := http.Get("http://" + addr + "/")
		if err == nil {
			res.Body.Close()
		}
		return err == nil
	}, 10*time.Second, 10*time.Millisecond)
	go func() {
		if res, err := http.Get("http://" + addr + "/slow"); err == nil {
			_, _ = io.Copy(io.Discard, res.Body)
			res.Body.Close()
		}
	}()
	<-started
	stopping := time.Now()
	cancel()
	select {
	case err := <-done:
		assert.ErrorIs(t, err, context.DeadlineExceeded, "Run says the deadline passed")
		assert.Less(t, time.Since(stopping), 5*time.Second)
	case <-time.After(8 * time.Second):
		t.Fatal("Run waits for the statement")
	}
	select {
	case err := <-ended:
		assert.Error(t, err, "the statement was canceled")
	case <-time.After(5 * time.Second):
		t.Fatal("the handler still runs its statement")
	}
}
