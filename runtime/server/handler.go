package server

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/crudgen/crudgen/runtime"
	"github.com/crudgen/crudgen/runtime/metrics"
)

// readyTimeout bounds the database check of /readyz.
const readyTimeout = 2 * time.Second

// Wrap puts what every served API has around a generated one: /healthz
// (the process is alive), /readyz (the database answers), /metrics (for
// Prometheus), an X-Request-ID on every request and response (the
// client's if it sent a valid one), and one structured log line per
// request.
//
// Around the API's own routes, it answers CORS preflights for
// cfg.CORSOrigins and gives GET answers an ETag (304 for a matching
// If-None-Match) and gzip when the client accepts it and the body is large.
// With tokens or JWT settings, the API's routes need credentials (its
// document and explorer excepted). The error is that of reading the JWT
// settings' key file, or that no engine is registered for DB (the
// handle's engine adapter, such as runtime/postgres, registers it).
func Wrap[DB any](api http.Handler, db DB, cfg Config) (http.Handler, error) {
	engine, ok := runtime.EngineOf[DB]()
	if !ok {
		return nil, noEngine[DB]()
	}
	logger := cfg.Logger
	if logger == nil {
		logger = slog.Default()
	}
	problems := &runtime.API{Logger: logger}
	routes, _ := api.(chi.Routes)
	auth := &authenticator{tokens: cfg.Tokens, api: problems, logger: logger, public: publicRoutes(routes)}
	if cfg.JWT != nil {
		v, err := newJWTVerifier(*cfg.JWT, logger)
		if err != nil {
			return nil, err
		}
		auth.jwt = v
	}
	var stats func() runtime.PoolStats
	if engine.Stats != nil {
		stats = func() runtime.PoolStats { return engine.Stats(db) }
	}
	m := metrics.New(stats)
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", m.Handler())
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		writeStatus(w, http.StatusOK, "ok")
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), readyTimeout)
		defer cancel()
		if err := engine.Ping(ctx, db); err != nil {
			logger.LogAttrs(r.Context(), slog.LevelWarn, "not ready", slog.Any("error", err))
			problems.Problem(w, r, runtime.NewProblem(http.StatusServiceUnavailable, "The database does not answer."))
			return
		}
		writeStatus(w, http.StatusOK, "ready")
	})
	// CORS first, so that preflights (which carry no credentials) pass.
	mux.Handle("/", cors(cfg.CORSOrigins, auth.middleware(bodyLimit(cfg.MaxBodyBytes, conditional(api)))))
	return withRequestID(logRequests(logger, m, routes, mux)), nil
}

// bodyLimit gives the generated handlers a body limit of n bytes in place
// of their own (none when n is 0).
func bodyLimit(n int64, next http.Handler) http.Handler {
	if n <= 0 {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r.WithContext(runtime.WithMaxBodyBytes(r.Context(), n)))
	})
}

// publicRoutes says whether a request is a GET of the API's OpenAPI
// document or explorer (/openapi.json, /docs and /docs/*, under the API's
// base path), which need no credentials: the explorer must load before
// the user can give it a token.
func publicRoutes(routes chi.Routes) func(*http.Request) bool {
	public := map[string]bool{}
	if routes != nil {
		_ = chi.Walk(routes, func(method, route string, _ http.Handler, _ ...func(http.Handler) http.Handler) error {
			if base, ok := strings.CutSuffix(route, "/openapi.json"); ok && method == http.MethodGet && !strings.Contains(route, "{") {
				public[route], public[base+"/docs"], public[base+"/docs/*"] = true, true, true
			}
			return nil
		})
	}
	return func(r *http.Request) bool {
		if len(public) == 0 || r.Method != http.MethodGet && r.Method != http.MethodHead {
			return false
		}
		return public[routes.Find(chi.NewRouteContext(), http.MethodGet, r.URL.Path)]
	}
}

func writeStatus(w http.ResponseWriter, status int, s string) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(`{"status":"` + s + `"}`))
}

// withRequestID keeps a valid X-Request-ID of the client (1 to 128
// visible ASCII characters) or makes one, and returns it on the response,
// where problems pick it up.
func withRequestID(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.Header.Get(runtime.RequestIDHeader)
		if !runtime.ValidRequestID(id) {
			var b [8]byte
			_, _ = rand.Read(b[:])
			id = hex.EncodeToString(b[:])
			r.Header.Set(runtime.RequestIDHeader, id)
		}
		w.Header().Set(runtime.RequestIDHeader, id)
		next.ServeHTTP(w, r)
	})
}

// logRequests writes one line per request: method, route pattern (not the
// path, which may hold keys), status, duration, bytes and request ID;
// never bodies, queries or headers.
func logRequests(logger *slog.Logger, m *metrics.Metrics, routes chi.Routes, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		// A routing context chi fills in, so that the pattern is known here.
		rctx := chi.NewRouteContext()
		rctx.Routes = routes // what 405 answers consult for Allow
		r = r.WithContext(context.WithValue(r.Context(), chi.RouteCtxKey, rctx))
		rec := &recorder{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(rec, r)
		route := rctx.RoutePattern()
		if route == "" && r.Pattern != "/" {
			route = r.Pattern // GET /healthz, GET /readyz, GET /metrics
		}
		if route == "" {
			route = "unmatched" // a path no route serves: one series, not one per path
		}
		elapsed := time.Since(start)
		m.Observe(r.Method, route, rec.status, elapsed)
		level := slog.LevelInfo
		if rec.status >= 500 {
			level = slog.LevelError
		}
		logger.LogAttrs(r.Context(), level, "request",
			slog.String("method", r.Method),
			slog.String("route", route),
			slog.Int("status", rec.status),
			slog.Duration("duration", elapsed),
			slog.Int64("bytes", rec.bytes),
			slog.String("request_id", w.Header().Get(runtime.RequestIDHeader)),
		)
	})
}

// recorder notes the status and size of a response.
type recorder struct {
	http.ResponseWriter
	status int
	bytes  int64
	wrote  bool
}

func (r *recorder) WriteHeader(code int) {
	if !r.wrote {
		r.status, r.wrote = code, true
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *recorder) Write(b []byte) (int, error) {
	r.wrote = true
	n, err := r.ResponseWriter.Write(b)
	r.bytes += int64(n)
	return n, err
}

func (r *recorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

func (r *recorder) Flush() {
	if f, ok := r.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}
