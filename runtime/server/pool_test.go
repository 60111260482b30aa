package server

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crudgen/crudgen/runtime"
	"github.com/crudgen/crudgen/runtime/pgtest"
	"github.com/crudgen/crudgen/runtime/postgres"
)

// TestAcquireTimeout: with every connection of the pool busy, a request
// waits ACQUIRE_TIMEOUT for one, then is a 503 that sent nothing (a write
// is known not to have been applied); once a connection is free, requests
// are served again.
func TestAcquireTimeout(t *testing.T) {
	t.Setenv("DATABASE_URL", pgtest.URL(t))
	cfg, err := FromEnv()
	require.NoError(t, err)
	assert.Equal(t, 5*time.Second, cfg.AcquireTimeout, "the default")
	t.Setenv("ACQUIRE_TIMEOUT", "100ms")
	cfg, err = FromEnv()
	require.NoError(t, err)
	require.Equal(t, 100*time.Millisecond, cfg.AcquireTimeout)
	t.Setenv("ACQUIRE_TIMEOUT", "soon")
	_, err = FromEnv()
	require.ErrorContains(t, err, "ACQUIRE_TIMEOUT")

	u, err := url.Parse(cfg.DatabaseURL)
	require.NoError(t, err)
	q := u.Query()
	q.Set("pool_max_conns", "1")
	u.RawQuery = q.Encode()
	pool, err := postgres.Pool(context.Background(), u.String(), cfg.Settings())
	require.NoError(t, err)
	defer pool.Close()
	api := &runtime.API{Logger: slog.New(slog.DiscardHandler)}
	write := func() *httptest.ResponseRecorder {
		rec := httptest.NewRecorder()
		req := httptest.NewRequest(http.MethodPost, "/things", nil)
		if _, err := pool.Exec(req.Context(), "SELECT 1"); err != nil {
			api.Error(rec, req, err, nil)
			return rec
		}
		rec.WriteHeader(http.StatusCreated)
		return rec
	}
	// The first connection may take longer than 100 ms to make on a busy
	// machine: the wait ends, the connection joins the pool all the same.
	require.Eventually(t, func() bool { return write().Code == http.StatusCreated }, 10*time.Second, time.Millisecond)

	held, err := pool.Acquire(context.Background())
	require.NoError(t, err)
	start := time.Now()
	rec := write()
	waited := time.Since(start)
	require.Equal(t, http.StatusServiceUnavailable, rec.Code, rec.Body.String())
	assert.Equal(t, "1", rec.Header().Get("Retry-After"))
	var p runtime.Problem
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &p))
	assert.Equal(t, "about:blank", p.Type, "nothing was sent: the write was not applied")
	assert.GreaterOrEqual(t, waited, 100*time.Millisecond)
	assert.Less(t, waited, 5*time.Second)

	held.Release()
	assert.Equal(t, http.StatusCreated, write().Code)
	assert.Equal(t, int32(1), pool.Stat().TotalConns(), "the connection made meanwhile is kept")
}

// TestAcquireTimeoutKeepsStatements: the bound applies to the wait for a
// connection only, not to the statement that follows.
func TestAcquireTimeoutKeepsStatements(t *testing.T) {
	cfg := Config{AcquireTimeout: 50 * time.Millisecond}
	pool, err := postgres.Pool(context.Background(), pgtest.URL(t), cfg.Settings())
	require.NoError(t, err)
	defer pool.Close()
	require.Eventually(t, func() bool { return pool.Ping(context.Background()) == nil }, 10*time.Second, time.Millisecond)
	_, err = pool.Exec(context.Background(), "SELECT pg_sleep(0.2)")
	require.NoError(t, err)
}
