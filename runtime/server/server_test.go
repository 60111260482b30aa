package server

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crudgen/crudgen/runtime"
	"github.com/crudgen/crudgen/runtime/pgtest"
	"github.com/crudgen/crudgen/runtime/postgres"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// wrap is Wrap for settings that cannot fail.
func wrap(t *testing.T, api http.Handler, pool *pgxpool.Pool, cfg Config) http.Handler {
	t.Helper()
	h, err := Wrap(api, pool, cfg)
	require.NoError(t, err)
	return h
}

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

// TestRun serves a handler over the database until the context ends:
// every request in flight at that moment finishes, its write included
// (none lost, none cut), then the server stops listening.
func TestRun(t *testing.T) {
	dbURL := pgtest.URL(t)
	conn, err := pgx.Connect(context.Background(), dbURL)
	require.NoError(t, err)
	_, err = conn.Exec(context.Background(), "CREATE TABLE inflight (n int PRIMARY KEY)")
	require.NoError(t, err)
	t.Cleanup(func() { conn.Close(context.Background()) })
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())

	const inFlight = 20
	ctx, cancel := context.WithCancel(context.Background())
	var started sync.WaitGroup
	started.Add(inFlight)
	build := func(db, _ *pgxpool.Pool, _ *slog.Logger) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if n := r.URL.Query().Get("n"); n != "" {
				started.Done()
				time.Sleep(300 * time.Millisecond) // shutdown begins meanwhile
				if _, err := db.Exec(r.Context(), "INSERT INTO inflight VALUES ($1)", n); err != nil {
					http.Error(w, err.Error(), 500)
					return
				}
				_, _ = io.WriteString(w, "stored "+n)
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

	answers := make(chan string, inFlight)
	for n := range inFlight {
		go func() {
			res, err := http.Get(fmt.Sprintf("http://%s/?n=%d", addr, n))
			if err != nil {
				answers <- err.Error()
				return
			}
			b, _ := io.ReadAll(res.Body)
			res.Body.Close()
			answers <- fmt.Sprintf("%d %s", res.StatusCode, b)
		}()
	}
	started.Wait()
	cancel()
	var got []string
	for range inFlight {
		got = append(got, <-answers)
	}
	require.NoError(t, <-done)
	for n := range inFlight {
		assert.Contains(t, got, fmt.Sprintf("200 stored %d", n))
	}
	var stored int
	require.NoError(t, conn.QueryRow(context.Background(), "SELECT count(*) FROM inflight").Scan(&stored))
	assert.Equal(t, inFlight, stored, "every write in flight was committed")
	_, err = http.Get("http://" + addr + "/")
	assert.Error(t, err, "no longer listening")
}

// TestShutdownDeadline: a request that outlasts SHUTDOWN_TIMEOUT does not
// hold the server up: Run returns, saying so.
func TestShutdownDeadline(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())
	ctx, cancel := context.WithCancel(context.Background())
	started, release := make(chan struct{}), make(chan struct{})
	defer close(release)
	build := func(_, _ *pgxpool.Pool, _ *slog.Logger) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/stuck" {
				close(started)
				<-release
			}
		})
	}
	done := make(chan error, 1)
	go func() {
		done <- Run(ctx, Config{DatabaseURL: pgtest.URL(t), Addr: addr, ShutdownTimeout: 200 * time.Millisecond, Logger: slog.New(slog.DiscardHandler)}, build)
	}()
	require.Eventually(t, func() bool {
		res, err := http.Get("http://" + addr + "/")
		if err == nil {
			res.Body.Close()
		}
		return err == nil
	}, 5*time.Second, 20*time.Millisecond)
	go func() {
		if res, err := http.Get("http://" + addr + "/stuck"); err == nil {
			res.Body.Close()
		}
	}()
	<-started
	cancel()
	select {
	case err := <-done:
		assert.ErrorIs(t, err, context.DeadlineExceeded)
	case <-time.After(5 * time.Second):
		t.Fatal("Run still waits for the stuck request")
	}
}

// queryHandler answers with the result of a query, or the problem of its
// error, as a generated API would.
func queryHandler(db, _ *pgxpool.Pool, logger *slog.Logger) http.Handler {
	api := &runtime.API{Logger: logger}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var n int
		if err := db.QueryRow(r.Context(), "SELECT 42").Scan(&n); err != nil {
			api.Error(w, r, err, nil)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"n":42}`)
	})
}

// start runs the server on a free port until the test ends.
func start(t *testing.T, dbURL string, logger *slog.Logger) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		cfg := Defaults()
		cfg.DatabaseURL, cfg.Addr, cfg.ShutdownTimeout, cfg.Logger = dbURL, addr, 5*time.Second, logger
		done <- Run(ctx, cfg, queryHandler)
	}()
	t.Cleanup(func() {
		cancel()
		require.NoError(t, <-done)
	})
	base := "http://" + addr
	require.Eventually(t, func() bool {
		res, err := http.Get(base + "/healthz")
		if err == nil {
			res.Body.Close()
		}
		return err == nil
	}, 5*time.Second, 20*time.Millisecond)
	return base
}

func get(t *testing.T, url string, header ...string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	require.NoError(t, err)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	return res, string(b)
}

// TestStartsWithoutDatabase: with the database unreachable the server
// starts, is alive but not ready, answers 503; when the database comes
// back it recovers by itself.
func TestStartsWithoutDatabase(t *testing.T) {
	dbURL := pgtest.URL(t)
	u, err := url.Parse(dbURL)
	require.NoError(t, err)
	proxy := pgtest.Proxy(t, u.Host)
	proxy.Cut()
	base := start(t, proxy.URL(dbURL), slog.New(slog.DiscardHandler))

	res, body := get(t, base+"/healthz")
	assert.Equal(t, http.StatusOK, res.StatusCode, body)
	assert.JSONEq(t, `{"status":"ok"}`, body)
	res, body = get(t, base+"/readyz")
	assert.Equal(t, http.StatusServiceUnavailable, res.StatusCode, body)
	assert.Equal(t, "application/problem+json", res.Header.Get("Content-Type"))
	res, _ = get(t, base+"/anything")
	assert.Equal(t, http.StatusServiceUnavailable, res.StatusCode)
	assert.NotEmpty(t, res.Header.Get("Retry-After"))

	proxy.Restore()
	require.Eventually(t, func() bool {
		res, _ := get(t, base+"/readyz")
		return res.StatusCode == http.StatusOK
	}, 10*time.Second, 100*time.Millisecond, "ready once the database answers")
	res, body = get(t, base+"/anything")
	assert.Equal(t, http.StatusOK, res.StatusCode, body)
}

// TestRequestIDsAndLogs: every response carries an X-Request-ID (the
// client's when valid), problems repeat it, and each request is one log
// line with the route pattern, never the path's values or the query.
func TestRequestIDsAndLogs(t *testing.T) {
	var logs syncBuffer
	base := start(t, pgtest.URL(t), slog.New(slog.NewJSONHandler(&logs, nil)))

	res, _ := get(t, base+"/healthz", "X-Request-ID", "client-id-1")
	assert.Equal(t, "client-id-1", res.Header.Get("X-Request-ID"))
	res, _ = get(t, base+"/healthz", "X-Request-ID", "bad id with spaces")
	id := res.Header.Get("X-Request-ID")
	assert.Regexp(t, `^[0-9a-f]{16}$`, id, "a fresh one replaces an invalid one")
	res, body := get(t, base+"/readyz?secret=s3cret")
	assert.Equal(t, http.StatusOK, res.StatusCode, body)

	// A chi route: its pattern is logged, not the path.
	router := chi.NewRouter()
	router.Get("/things/{id}", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusTeapot) })
	rec := httptest.NewRecorder()
	var lines syncBuffer
	wrap(t, router, nil, Config{Logger: slog.New(slog.NewJSONHandler(&lines, nil))}).ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/things/12345?token=abc", nil))
	assert.Equal(t, http.StatusTeapot, rec.Code)
	var line map[string]any
	require.NoError(t, json.Unmarshal([]byte(lines.String()), &line))
	assert.Equal(t, "/things/{id}", line["route"])
	assert.Equal(t, float64(418), line["status"])
	assert.Equal(t, "GET", line["method"])
	assert.NotEmpty(t, line["request_id"])
	assert.NotContains(t, lines.String(), "12345")
	assert.NotContains(t, lines.String(), "abc")

	// 404 and 405 answers work through the wrapper as without it.
	api := &runtime.API{Logger: slog.New(slog.DiscardHandler)}
	router.NotFound(api.NotFound())
	router.MethodNotAllowed(api.MethodNotAllowed())
	rec = httptest.NewRecorder()
	wrap(t, router, nil, Config{Logger: slog.New(slog.DiscardHandler)}).ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/things/1", nil))
	assert.Equal(t, http.StatusMethodNotAllowed, rec.Code)
	assert.Equal(t, "GET", rec.Header().Get("Allow"))
	rec = httptest.NewRecorder()
	wrap(t, router, nil, Config{Logger: slog.New(slog.DiscardHandler)}).ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/nope", nil))
	assert.Equal(t, http.StatusNotFound, rec.Code)

	out := logs.String()
	assert.Contains(t, out, `"route":"GET /healthz"`)
	assert.Contains(t, out, `"request_id":"client-id-1"`)
	assert.NotContains(t, out, "s3cret")
}

// syncBuffer collects log lines written from the server's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestMetrics scrapes /metrics after a few requests and parses it with
// Prometheus' own text parser.
func TestMetrics(t *testing.T) {
	base := start(t, pgtest.URL(t), slog.New(slog.DiscardHandler))
	for range 3 {
		get(t, base+"/things/1")
	}
	get(t, base+"/healthz")
	res, body := get(t, base+"/metrics")
	require.Equal(t, http.StatusOK, res.StatusCode)
	parser := expfmt.NewTextParser(model.UTF8Validation)
	families, err := parser.TextToMetricFamilies(strings.NewReader(body))
	require.NoError(t, err)

	count := func(route, status string) float64 {
		for _, m := range families["http_requests_total"].GetMetric() {
			labels := map[string]string{}
			for _, l := range m.GetLabel() {
				labels[l.GetName()] = l.GetValue()
			}
			if labels["route"] == route && labels["status"] == status {
				return m.GetCounter().GetValue()
			}
		}
		return 0
	}
	assert.Equal(t, 3.0, count("unmatched", "200"), "queryHandler is not a chi router: its paths share one series")
	assert.GreaterOrEqual(t, count("GET /healthz", "200"), 1.0)
	require.Contains(t, families, "http_request_duration_seconds")
	var samples uint64
	for _, m := range families["http_request_duration_seconds"].GetMetric() {
		samples += m.GetHistogram().GetSampleCount()
	}
	assert.GreaterOrEqual(t, samples, uint64(4))
	require.Contains(t, families, "db_pool_connections")
	require.Contains(t, families, "db_pool_max_connections")
	assert.Positive(t, families["db_pool_max_connections"].GetMetric()[0].GetGauge().GetValue())
	require.Contains(t, families, "go_goroutines")
}

// big answers GET /big with a large JSON body and GET /small with a small one.
func big() http.Handler {
	r := chi.NewRouter()
	r.Get("/big", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"items":[`+strings.Repeat(`{"name":"row"},`, 500)+`{}]}`)
	})
	r.Get("/small", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{}`)
	})
	r.Post("/big", func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusCreated) })
	r.Get("/row", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("ETag", `"from-the-handler"`)
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"id":1}`)
	})
	return r
}

func TestETagAndGzip(t *testing.T) {
	h := wrap(t, big(), nil, Config{Logger: slog.New(slog.DiscardHandler)})
	serve := func(method, path string, header ...string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(method, path, nil)
		for i := 0; i+1 < len(header); i += 2 {
			req.Header.Set(header[i], header[i+1])
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec
	}
	first := serve(http.MethodGet, "/big")
	require.Equal(t, http.StatusOK, first.Code)
	etag := first.Header().Get("ETag")
	assert.Regexp(t, `^"[A-Za-z0-9_-]{22}"$`, etag)
	assert.Equal(t, runtime.ETag(first.Body.Bytes()), etag, "tagged as generated handlers tag rows")
	assert.Empty(t, first.Header().Get("Content-Encoding"), "no gzip unless asked")
	assert.Equal(t, strconv.Itoa(first.Body.Len()), first.Header().Get("Content-Length"))

	again := serve(http.MethodGet, "/big", "If-None-Match", `"other", `+etag)
	assert.Equal(t, http.StatusNotModified, again.Code)
	assert.Empty(t, again.Body.Bytes())
	assert.Equal(t, etag, again.Header().Get("ETag"))
	assert.Equal(t, http.StatusOK, serve(http.MethodGet, "/big", "If-None-Match", `"stale"`).Code)

	zipped := serve(http.MethodGet, "/big", "Accept-Encoding", "br, gzip")
	assert.Equal(t, "gzip", zipped.Header().Get("Content-Encoding"))
	assert.Equal(t, etag, zipped.Header().Get("ETag"), "the ETag names the content, whatever its encoding")
	zr, err := gzip.NewReader(zipped.Body)
	require.NoError(t, err)
	plain, err := io.ReadAll(zr)
	require.NoError(t, err)
	assert.Equal(t, first.Body.String(), string(plain))
	assert.Less(t, zipped.Body.Len(), first.Body.Len()/4)
	assert.Empty(t, serve(http.MethodGet, "/small", "Accept-Encoding", "gzip").Header().Get("Content-Encoding"), "small bodies stay plain")
	assert.Empty(t, serve(http.MethodGet, "/big", "Accept-Encoding", "gzip;q=0").Header().Get("Content-Encoding"))
	assert.Empty(t, serve(http.MethodPost, "/big").Header().Get("ETag"), "only GET answers")
	row := serve(http.MethodGet, "/row")
	assert.Equal(t, []string{`"from-the-handler"`}, row.Header().Values("ETag"), "a handler's tag is kept")
	assert.Equal(t, http.StatusNotModified, serve(http.MethodGet, "/row", "If-None-Match", `"from-the-handler"`).Code)
	assert.Equal(t, http.StatusNotFound, serve(http.MethodGet, "/nope").Code)
}

func TestCORS(t *testing.T) {
	h := wrap(t, big(), nil, Config{Logger: slog.New(slog.DiscardHandler), CORSOrigins: []string{"https://app.example"}})
	pre := httptest.NewRequest(http.MethodOptions, "/big", nil)
	pre.Header.Set("Origin", "https://app.example")
	pre.Header.Set("Access-Control-Request-Method", "POST")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, pre)
	assert.Equal(t, http.StatusNoContent, rec.Code)
	assert.Equal(t, "https://app.example", rec.Header().Get("Access-Control-Allow-Origin"))
	assert.Contains(t, rec.Header().Get("Access-Control-Allow-Methods"), "PATCH")
	assert.Contains(t, rec.Header().Get("Access-Control-Allow-Headers"), "Content-Type")
	assert.Contains(t, rec.Header().Get("Access-Control-Allow-Headers"), "If-Match", "writes may be conditional")

	get := httptest.NewRequest(http.MethodGet, "/small", nil)
	get.Header.Set("Origin", "https://app.example")
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, get)
	assert.Equal(t, "https://app.example", rec.Header().Get("Access-Control-Allow-Origin"))
	assert.Contains(t, rec.Header().Get("Access-Control-Expose-Headers"), "ETag")

	get.Header.Set("Origin", "https://evil.example")
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, get)
	assert.Empty(t, rec.Header().Get("Access-Control-Allow-Origin"), "other origins get nothing")

	off := wrap(t, big(), nil, Config{Logger: slog.New(slog.DiscardHandler)})
	rec = httptest.NewRecorder()
	off.ServeHTTP(rec, pre)
	assert.Empty(t, rec.Header().Get("Access-Control-Allow-Origin"), "off by default")
}

// TestStatementTimeout: a statement over STATEMENT_TIMEOUT is cancelled by
// PostgreSQL and answered 503.
func TestStatementTimeout(t *testing.T) {
	t.Setenv("DATABASE_URL", pgtest.URL(t))
	t.Setenv("STATEMENT_TIMEOUT", "100ms")
	t.Setenv("CORS_ORIGINS", "https://a.example, https://b.example")
	t.Setenv("READ_TIMEOUT", "5s")
	cfg, err := FromEnv()
	require.NoError(t, err)
	assert.Equal(t, 100*time.Millisecond, cfg.StatementTimeout)
	assert.Equal(t, []string{"https://a.example", "https://b.example"}, cfg.CORSOrigins)
	assert.Equal(t, 5*time.Second, cfg.ReadTimeout)
	assert.Equal(t, time.Minute, cfg.WriteTimeout)
	t.Setenv("WRITE_TIMEOUT", "-1s")
	_, err = FromEnv()
	require.ErrorContains(t, err, "WRITE_TIMEOUT")

	pool, err := postgres.Pool(context.Background(), cfg.DatabaseURL, cfg.Settings())
	require.NoError(t, err)
	defer pool.Close()
	api := &runtime.API{Logger: slog.New(slog.DiscardHandler)}
	rec := httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodGet, "/slow", nil)
	_, err = pool.Exec(req.Context(), "SELECT pg_sleep(2)")
	require.Error(t, err)
	api.Error(rec, req, err, nil)
	assert.Equal(t, http.StatusServiceUnavailable, rec.Code)
}

// TestExecMode: DB_EXEC_MODE switches how pgx sends statements (PgBouncer
// in transaction mode needs exec or simple_protocol); unknown modes fail.
func TestExecMode(t *testing.T) {
	t.Setenv("DATABASE_URL", pgtest.URL(t))
	for _, mode := range []string{"simple_protocol", "exec", "cache_describe", "describe_exec", "cache_statement"} {
		t.Setenv("DB_EXEC_MODE", mode)
		cfg, err := FromEnv()
		require.NoError(t, err, mode)
		pool, err := postgres.Pool(context.Background(), cfg.DatabaseURL, cfg.Settings())
		require.NoError(t, err)
		var n int
		require.NoError(t, pool.QueryRow(context.Background(), "SELECT $1::int + 1", 41).Scan(&n), mode)
		assert.Equal(t, 42, n)
		pool.Close()
	}
	t.Setenv("DB_EXEC_MODE", "prepared")
	cfg, err := FromEnv()
	require.NoError(t, err)
	_, err = postgres.Pool(context.Background(), cfg.DatabaseURL, cfg.Settings())
	require.ErrorContains(t, err, "DB_EXEC_MODE")
}

// TestBearerTokens: no token or a bad one is a 401 with a challenge, a
// read-only token may only read, and the principal reaches the handler.
func TestBearerTokens(t *testing.T) {
	file := filepath.Join(t.TempDir(), "tokens")
	require.NoError(t, os.WriteFile(file, []byte("# who may call\nread reporting 0123456789abcdef-read\nwrite backend 0123456789abcdef-write\n"), 0o600))
	tokens, err := ReadTokens(file)
	require.NoError(t, err)
	require.Len(t, tokens, 2)

	var seen *runtime.Principal
	r := chi.NewRouter()
	handle := func(w http.ResponseWriter, r *http.Request) {
		seen, _ = runtime.PrincipalFrom(r.Context())
		w.WriteHeader(http.StatusOK)
	}
	r.Get("/things", handle)
	r.Post("/things", handle)
	h := wrap(t, r, nil, Config{Logger: slog.New(slog.DiscardHandler), Tokens: tokens, CORSOrigins: []string{"*"}})
	call := func(method, token string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(method, "/things", nil)
		if token != "" {
			req.Header.Set("Authorization", token)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec
	}
	rec := call(http.MethodGet, "")
	assert.Equal(t, http.StatusUnauthorized, rec.Code)
	assert.Equal(t, `Bearer realm="api"`, rec.Header().Get("WWW-Authenticate"))
	assert.Equal(t, "application/problem+json", rec.Header().Get("Content-Type"))
	rec = call(http.MethodGet, "Bearer nope")
	assert.Equal(t, http.StatusUnauthorized, rec.Code)
	assert.Contains(t, rec.Header().Get("WWW-Authenticate"), `error="invalid_token"`)
	assert.Equal(t, http.StatusUnauthorized, call(http.MethodGet, "Basic 0123456789abcdef-read").Code)

	rec = call(http.MethodGet, "Bearer 0123456789abcdef-read")
	assert.Equal(t, http.StatusOK, rec.Code)
	require.NotNil(t, seen)
	assert.Equal(t, "reporting", seen.Subject)
	assert.False(t, seen.Write)
	rec = call(http.MethodPost, "Bearer 0123456789abcdef-read")
	assert.Equal(t, http.StatusForbidden, rec.Code)
	assert.Contains(t, rec.Header().Get("WWW-Authenticate"), "insufficient_scope")
	seen = nil
	assert.Equal(t, http.StatusOK, call(http.MethodPost, "bearer 0123456789abcdef-write").Code)
	assert.Equal(t, "backend", seen.Subject)

	// Preflights carry no credentials; health checks need none.
	pre := httptest.NewRequest(http.MethodOptions, "/things", nil)
	pre.Header.Set("Origin", "https://app.example")
	pre.Header.Set("Access-Control-Request-Method", "POST")
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, pre)
	assert.Equal(t, http.StatusNoContent, rec.Code)
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/healthz", nil))
	assert.Equal(t, http.StatusOK, rec.Code)

	// Bad token files are errors with their line.
	require.NoError(t, os.WriteFile(file, []byte("admin root 0123456789abcdef\n"), 0o600))
	_, err = ReadTokens(file)
	assert.ErrorContains(t, err, ":1: want")
	require.NoError(t, os.WriteFile(file, []byte("read short abc\n"), 0o600))
	_, err = ReadTokens(file)
	assert.ErrorContains(t, err, "shorter than 16")
	t.Setenv("DATABASE_URL", "postgres://x@localhost/db")
	t.Setenv("AUTH_TOKENS_FILE", file)
	_, err = FromEnv()
	assert.ErrorContains(t, err, "AUTH_TOKENS_FILE")
}
