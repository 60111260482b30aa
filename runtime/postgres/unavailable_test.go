package postgres

import (
	"context"
	"github.com/crudgen/crudgen/runtime"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"github.com/crudgen/crudgen/runtime/pgtest"
	"github.com/go-chi/chi/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"
)

// TestUnavailable runs its parts on one database: creating and dropping one
// is slow on a busy server.
func TestUnavailable(t *testing.T) {
	u := pgtest.Fresh(t)
	t.Run("while the database is cut", func(t *testing.T) { testWhileCut(t, u) })
	t.Run("when the database is down from the start", func(t *testing.T) { testDownFromTheStart(t, u) })
	t.Run("when the pool is exhausted", func(t *testing.T) { testPoolExhausted(t, u) })
}

// proxiedPool returns a pool reaching database u through a proxy the test
// can cut; opts adjust its configuration.
func proxiedPool(t *testing.T, u string, maxConns int32, opts ...func(*pgxpool.Config)) (*pgxpool.Pool, *pgtest.TCPProxy) {
	t.Helper()
	direct, err := pgxpool.ParseConfig(u)
	require.NoError(t, err)
	proxy := pgtest.Proxy(t, net.JoinHostPort(direct.ConnConfig.Host, strconv.Itoa(int(direct.ConnConfig.Port))))
	cfg, err := pgxpool.ParseConfig(proxy.URL(u))
	require.NoError(t, err)
	cfg.ConnConfig.ConnectTimeout = 2 * time.Second
	cfg.MaxConns = maxConns
	for _, o := range opts {
		o(cfg)
	}
	pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
	require.NoError(t, err)
	t.Cleanup(pool.Close)
	return pool, proxy
}

// countHandler serves GET /count with one query, as a generated list does;
// the query gets timeout on top of the request's context.
func countHandler(api *runtime.API, pool *pgxpool.Pool, timeout time.Duration) http.Handler {
	r := chi.NewRouter()
	r.Use(api.Recover)
	r.Get("/count", func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), timeout)
		defer cancel()
		var n int
		if err := pool.QueryRow(ctx, `SELECT count(*) FROM pg_class`).Scan(&n); err != nil {
			api.Error(w, r, err, nil)
			return
		}
		w.WriteHeader(http.StatusOK)
	})
	return r
}

// require503 checks an answer of a database outage.
func require503(t *testing.T, rec *httptest.ResponseRecorder) {
	t.Helper()
	require.Equal(t, http.StatusServiceUnavailable, rec.Code, rec.Body.String())
	require.Equal(t, "1", rec.Header().Get("Retry-After"))
	body := problemBody(t, rec)
	require.Equal(t, "The service is temporarily unavailable; retry later.", body["detail"])
	for _, internal := range []string{"EOF", "dial", "connect", "127.0.0.1", "closed", "timeout", "deadline", "pool"} {
		require.NotContains(t, rec.Body.String(), internal)
	}
}

func testWhileCut(t *testing.T, u string) {
	pool, proxy := proxiedPool(t, u, 4)
	api, logs := testAPI()
	h := countHandler(api, pool, 5*time.Second)

	require.Equal(t, http.StatusOK, serve(h, http.MethodGet, "/count").Code)

	proxy.Cut()
	for range 3 { // the open connection drops, then new ones fail
		require503(t, serve(h, http.MethodGet, "/count"))
	}
	require.Contains(t, logs.String(), `"level":"WARN"`)
	require.NotContains(t, logs.String(), `"level":"ERROR"`)

	proxy.Restore()
	require.Eventually(t, func() bool {
		return serve(h, http.MethodGet, "/count").Code == http.StatusOK
	}, 10*time.Second, 20*time.Millisecond, "works again once the database is back")
}

func testDownFromTheStart(t *testing.T, u string) {
	pool, proxy := proxiedPool(t, u, 4)
	proxy.Cut()
	api, _ := testAPI()
	h := countHandler(api, pool, 5*time.Second)
	require503(t, serve(h, http.MethodGet, "/count"))

	proxy.Restore()
	require.Equal(t, http.StatusOK, serve(h, http.MethodGet, "/count").Code)
}

func testPoolExhausted(t *testing.T, u string) {
	pool, _ := proxiedPool(t, u, 1)
	api, _ := testAPI()
	h := countHandler(api, pool, 100*time.Millisecond)

	held, err := pool.Acquire(context.Background())
	require.NoError(t, err)
	start := time.Now()
	require503(t, serve(h, http.MethodGet, "/count"))
	require.Less(t, time.Since(start), 5*time.Second)

	held.Release()
	patient := countHandler(api, pool, 10*time.Second) // under load, 100 ms can be short
	require.Equal(t, http.StatusOK, serve(patient, http.MethodGet, "/count").Code)
}
