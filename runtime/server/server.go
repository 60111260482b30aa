// Package server runs a generated API as a program: configuration from the
// environment, the database opened by its engine (runtime.EngineOf: the
// engine adapter the generated package imports registers it), an HTTP
// server with sane timeouts and a graceful shutdown. A generated project's
// cmd/server/main.go is one call:
//
//	func main() { server.Main(api.Handler) }
//
// so what later versions add to serving reaches existing projects with a
// runtime upgrade, without edits to their code.
package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/crudgen/crudgen/runtime"
)

// Handler builds the API over a database handle of type DB, and a
// replica's for GETs (the zero DB without one); generated packages provide
// one (api.Handler), whose DB is their engine's: *pgxpool.Pool for
// PostgreSQL.
type Handler[DB any] func(db, reads DB, logger *slog.Logger) http.Handler

// Config is what Run needs; FromEnv reads it from the environment.
type Config struct {
	// DatabaseURL is the database's URL (DATABASE_URL): for PostgreSQL a
	// URL or keyword/value string.
	DatabaseURL string
	// ReadURL, when set, is a replica that serves GET requests
	// (DATABASE_READ_URL).
	ReadURL string
	// ExecMode is how PostgreSQL's driver, pgx, sends statements
	// (DB_EXEC_MODE): cache_statement (the default), cache_describe,
	// describe_exec, exec or simple_protocol; PgBouncer in transaction
	// mode needs exec or simple_protocol.
	ExecMode string
	// Addr is the listen address (ADDR), ":8080" by default.
	Addr string
	// ShutdownTimeout bounds the wait for requests in flight on shutdown
	// (SHUTDOWN_TIMEOUT, a Go duration), 10s by default.
	ShutdownTimeout time.Duration
	// Logger receives the server's and the API's logs; nil means JSON on
	// stderr at LOG_LEVEL (debug, info, warn, error; info by default).
	Logger *slog.Logger
	// CORSOrigins are the origins browsers may call the API from
	// (CORS_ORIGINS, comma-separated; "*" for any); none by default.
	CORSOrigins []string
	// Server timeouts (READ_HEADER_TIMEOUT 10s, READ_TIMEOUT 1m,
	// WRITE_TIMEOUT 1m, IDLE_TIMEOUT 2m).
	ReadHeaderTimeout, ReadTimeout, WriteTimeout, IdleTimeout time.Duration
	// Tokens, when any, are the bearer tokens the API requires
	// (AUTH_TOKENS_FILE: lines of "read|write NAME SECRET"); without any,
	// and without JWT, anyone may call it, which the server warns about at
	// startup.
	Tokens []Token
	// JWT, when set, accepts JSON Web Tokens (AUTH_JWT_SECRET,
	// AUTH_JWKS_FILE and the AUTH_JWT_* settings), besides any Tokens.
	JWT *JWT
	// MaxBodyBytes caps request bodies (MAX_BODY_BYTES); 0 leaves the
	// API's own limit (1 MiB unless its Options say otherwise). A larger
	// body is a 413.
	MaxBodyBytes int64
	// StatementTimeout bounds each SQL statement (STATEMENT_TIMEOUT, 30s;
	// 0 disables); one that runs longer is a 503.
	StatementTimeout time.Duration
	// AcquireTimeout bounds how long a request waits for a connection of
	// the pool when all are busy (ACQUIRE_TIMEOUT, 5s; 0: as long as the
	// request lasts); one that waits longer is a 503, and sent nothing to
	// the database.
	AcquireTimeout time.Duration
}

// Defaults are the settings FromEnv starts from.
func Defaults() Config {
	return Config{
		Addr: ":8080", ShutdownTimeout: 10 * time.Second,
		ReadHeaderTimeout: 10 * time.Second, ReadTimeout: time.Minute, WriteTimeout: time.Minute,
		IdleTimeout: 2 * time.Minute, StatementTimeout: 30 * time.Second, AcquireTimeout: 5 * time.Second,
	}
}

// FromEnv reads the configuration from the environment.
func FromEnv() (Config, error) {
	cfg := Defaults()
	cfg.DatabaseURL = os.Getenv("DATABASE_URL")
	if cfg.DatabaseURL == "" {
		return cfg, errors.New("DATABASE_URL is not set: give the database's URL, such as postgres://user@localhost:5432/app or sqlite:app.db")
	}
	if addr := os.Getenv("ADDR"); addr != "" {
		cfg.Addr = addr
	}
	cfg.ReadURL = os.Getenv("DATABASE_READ_URL")
	cfg.ExecMode = os.Getenv("DB_EXEC_MODE")
	for name, dst := range map[string]*time.Duration{
		"SHUTDOWN_TIMEOUT": &cfg.ShutdownTimeout, "READ_HEADER_TIMEOUT": &cfg.ReadHeaderTimeout,
		"READ_TIMEOUT": &cfg.ReadTimeout, "WRITE_TIMEOUT": &cfg.WriteTimeout, "IDLE_TIMEOUT": &cfg.IdleTimeout,
		"STATEMENT_TIMEOUT": &cfg.StatementTimeout, "ACQUIRE_TIMEOUT": &cfg.AcquireTimeout,
	} {
		if s := os.Getenv(name); s != "" {
			d, err := time.ParseDuration(s)
			if err != nil || d < 0 {
				return cfg, fmt.Errorf("%s=%q is not a duration such as 10s", name, s)
			}
			*dst = d
		}
	}
	if path := os.Getenv("AUTH_TOKENS_FILE"); path != "" {
		tokens, err := ReadTokens(path)
		if err != nil {
			return cfg, fmt.Errorf("AUTH_TOKENS_FILE: %w", err)
		}
		if len(tokens) == 0 {
			return cfg, fmt.Errorf("AUTH_TOKENS_FILE: %s holds no token", path)
		}
		cfg.Tokens = tokens
	}
	jwt, err := jwtFromEnv()
	if err != nil {
		return cfg, err
	}
	cfg.JWT = jwt
	if s := os.Getenv("MAX_BODY_BYTES"); s != "" {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n <= 0 {
			return cfg, fmt.Errorf("MAX_BODY_BYTES=%q is not a positive number of bytes", s)
		}
		cfg.MaxBodyBytes = n
	}
	if s := os.Getenv("CORS_ORIGINS"); s != "" {
		for o := range strings.SplitSeq(s, ",") {
			if o = strings.TrimSpace(o); o != "" {
				cfg.CORSOrigins = append(cfg.CORSOrigins, o)
			}
		}
	}
	var level slog.Level
	if s := os.Getenv("LOG_LEVEL"); s != "" {
		if err := level.UnmarshalText([]byte(s)); err != nil {
			return cfg, fmt.Errorf("LOG_LEVEL=%q is not one of debug, info, warn, error", s)
		}
	}
	cfg.Logger = slog.New(slog.NewJSONHandler(os.Stderr, &slog.HandlerOptions{Level: level}))
	return cfg, nil
}

// jwtFromEnv reads the JWT settings; nil when neither a secret nor a key
// file is given.
func jwtFromEnv() (*JWT, error) {
	cfg := &JWT{
		Secret: []byte(os.Getenv("AUTH_JWT_SECRET")), JWKSFile: os.Getenv("AUTH_JWKS_FILE"),
		Issuer: os.Getenv("AUTH_JWT_ISSUER"), Audience: os.Getenv("AUTH_JWT_AUDIENCE"),
		ReadScope: os.Getenv("AUTH_JWT_READ_SCOPE"), WriteScope: os.Getenv("AUTH_JWT_WRITE_SCOPE"),
		Reload: time.Second,
	}
	if len(cfg.Secret) == 0 && cfg.JWKSFile == "" {
		return nil, nil
	}
	// Check the settings now, so that a bad one stops the server before it
	// listens.
	if _, err := newJWTVerifier(*cfg, slog.New(slog.DiscardHandler)); err != nil {
		return nil, fmt.Errorf("JWT settings (AUTH_JWT_SECRET, AUTH_JWKS_FILE): %w", err)
	}
	return cfg, nil
}

// Main is the whole main function of a server: it reads the configuration
// from the environment, serves until SIGINT or SIGTERM, and exits with
// status 1 when it cannot start or fails.
func Main[DB any](build Handler[DB]) {
	cfg, err := FromEnv()
	if err != nil {
		fmt.Fprintln(os.Stderr, "server:", err)
		os.Exit(1)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := Run(ctx, cfg, build); err != nil {
		cfg.Logger.Error("server stopped", "error", err)
		stop()
		os.Exit(1)
	}
}

// Settings are the connection settings of cfg, for its engine.
func (cfg Config) Settings() runtime.Settings {
	return runtime.Settings{StatementTimeout: cfg.StatementTimeout, AcquireTimeout: cfg.AcquireTimeout, ExecMode: cfg.ExecMode}
}

// Run opens the database, serves the API until ctx is done, then stops
// accepting connections and waits up to ShutdownTimeout for the requests
// in flight; those still running then have their connections closed and
// their statements canceled.
func Run[DB any](ctx context.Context, cfg Config, build Handler[DB]) error {
	logger := cfg.Logger
	if logger == nil {
		logger = slog.Default()
	}
	engine, ok := runtime.EngineOf[DB]()
	if !ok {
		return noEngine[DB]()
	}
	db, err := engine.Open(ctx, cfg.DatabaseURL, cfg.Settings())
	if err != nil {
		return fmt.Errorf("DATABASE_URL: %w", err)
	}
	defer engine.Close(db)
	var reads DB
	if cfg.ReadURL != "" {
		if reads, err = engine.Open(ctx, cfg.ReadURL, cfg.Settings()); err != nil {
			return fmt.Errorf("DATABASE_READ_URL: %w", err)
		}
		defer engine.Close(reads)
	}
	if err := ping(ctx, engine, db); err != nil {
		// Serve anyway: /readyz says not ready, requests get 503, and the
		// pool connects when the database comes up.
		logger.Warn("the database does not answer yet; serving 503 until it does", "error", err)
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return err
	}
	if len(cfg.Tokens) == 0 && cfg.JWT == nil {
		logger.Warn("authentication is off: anyone who reaches the server may read and write (AUTH_TOKENS_FILE, AUTH_JWT_SECRET, AUTH_JWKS_FILE)")
	}
	if len(cfg.CORSOrigins) == 0 {
		logger.Info("CORS is off: browsers on other origins cannot call the API (CORS_ORIGINS)")
	}
	cfg.Logger = logger
	handler, err := Wrap(build(db, reads, logger), db, cfg)
	if err != nil {
		_ = ln.Close()
		return err
	}
	srv := &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: cfg.ReadHeaderTimeout,
		ReadTimeout:       cfg.ReadTimeout,
		WriteTimeout:      cfg.WriteTimeout,
		IdleTimeout:       cfg.IdleTimeout,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	done := make(chan error, 1)
	go func() {
		<-ctx.Done()
		// ctx is done: the shutdown gets its own time, with ctx's values.
		shutdown, cancel := context.WithTimeout(context.WithoutCancel(ctx), cfg.ShutdownTimeout)
		defer cancel()
		err := srv.Shutdown(shutdown)
		if err != nil {
			// Past the deadline, the connections still active are closed:
			// that cancels their requests' contexts, and so their
			// statements, which the pool waits for when it closes.
			_ = srv.Close()
		}
		done <- err
	}()
	logger.Info("serving", "url", "http://"+displayAddr(ln.Addr().String()), "openapi", "http://"+displayAddr(ln.Addr().String())+"/openapi.json", "database", engine.Name)
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	if err := <-done; err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	logger.Info("stopped")
	return nil
}

// noEngine is the error of a handle type no engine adapter registered.
func noEngine[DB any]() error {
	var db DB
	return fmt.Errorf("no database engine is registered for %T: its runtime adapter (such as github.com/crudgen/crudgen/runtime/postgres) registers it when imported", db)
}

// ping checks the database within readyTimeout.
func ping[DB any](ctx context.Context, engine runtime.Engine[DB], db DB) error {
	ctx, cancel := context.WithTimeout(ctx, readyTimeout)
	defer cancel()
	if err := engine.Ping(ctx, db); err != nil {
		return fmt.Errorf("connecting to the database: %w", err)
	}
	return nil
}

// displayAddr turns a listen address into one to browse: [::]:8080
// becomes localhost:8080.
func displayAddr(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return addr
	}
	if host == "" || host == "::" || host == "0.0.0.0" || strings.HasPrefix(host, "[") {
		host = "localhost"
	}
	return net.JoinHostPort(host, port)
}
