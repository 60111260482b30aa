// Command benchserver serves the items API of examples/bench one of three
// ways, for the load test (../loadtest) to compare:
//
//	-impl generated    crudgen's router, no middleware
//	-impl handwritten  the hand-written baseline, no middleware
//	-impl production   crudgen's router inside runtime/server's middleware
//	                   (request IDs, logs, metrics, ETag, gzip)
//
// -engine sqlite serves examples/bench/sqlite instead: its generated API
// on runtime/sqlite, or its hand-written database/sql baseline, given as
// many connections as runtime/sqlite gives its readers.
//
// -cpuprofile writes a CPU profile of the whole run, for go tool pprof.
// DATABASE_URL names the database: for PostgreSQL it sizes the pool (the
// load test sets pool_max_conns=10 for both sides); for SQLite it is
// sqlite:PATH. -addr is the listen address.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	goruntime "runtime"
	"runtime/pprof"
	"strings"
	"syscall"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/crudgen/crudgen/examples/bench/api"
	"github.com/crudgen/crudgen/examples/bench/handwritten"
	liteapi "github.com/crudgen/crudgen/examples/bench/sqlite/api"
	litehand "github.com/crudgen/crudgen/examples/bench/sqlite/handwritten"
	"github.com/crudgen/crudgen/runtime/postgres"
	"github.com/crudgen/crudgen/runtime/server"
	"github.com/crudgen/crudgen/runtime/sqlite"
)

func main() {
	engine := flag.String("engine", "postgres", "postgres or sqlite")
	impl := flag.String("impl", "generated", "generated, handwritten or production")
	addr := flag.String("addr", "127.0.0.1:8081", "listen address")
	cpuProfile := flag.String("cpuprofile", "", "write a CPU profile to this file")
	flag.Parse()
	if err := profiled(*cpuProfile, func() error { return run(*engine, *impl, *addr) }); err != nil {
		fmt.Fprintln(os.Stderr, "benchserver:", err)
		os.Exit(1)
	}
}

// profiled runs f, profiling its CPU into file when file is not empty.
func profiled(file string, f func() error) error {
	if file == "" {
		return f()
	}
	out, err := os.Create(file) // #nosec G304 -- the profile the command line names
	if err != nil {
		return err
	}
	if err := pprof.StartCPUProfile(out); err != nil {
		return errors.Join(err, out.Close())
	}
	err = f()
	pprof.StopCPUProfile()
	return errors.Join(err, out.Close())
}

func run(engine, impl, addr string) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	settings := server.Defaults()
	settings.StatementTimeout = 0
	var handler http.Handler
	var err error
	switch engine {
	case "postgres":
		var pool *pgxpool.Pool
		if pool, err = postgres.Pool(ctx, os.Getenv("DATABASE_URL"), settings.Settings()); err != nil {
			return err
		}
		defer pool.Close()
		handler, err = build(impl, pool)
	case "sqlite":
		var closeDB func() error
		handler, closeDB, err = buildSQLite(ctx, impl, os.Getenv("DATABASE_URL"), settings)
		if closeDB != nil {
			defer func() { _ = closeDB() }()
		}
	default:
		err = fmt.Errorf("-engine %q: want postgres or sqlite", engine)
	}
	if err != nil {
		return err
	}
	srv := &http.Server{Addr: addr, Handler: handler, ReadHeaderTimeout: settings.ReadHeaderTimeout}
	go func() {
		<-ctx.Done()
		_ = srv.Close()
	}()
	if err := srv.ListenAndServe(); err != http.ErrServerClosed {
		return err
	}
	return nil
}

func build(impl string, pool *pgxpool.Pool) (http.Handler, error) {
	quiet := slog.New(slog.DiscardHandler)
	switch impl {
	case "generated":
		return api.NewRouter(pool, api.Options{Logger: quiet}), nil
	case "handwritten":
		return handwritten.NewRouter(pool), nil
	case "production":
		// The logs are written, to nowhere, so their cost is counted.
		logger := slog.New(slog.NewJSONHandler(io.Discard, nil))
		return server.Wrap(api.Handler(pool, nil, logger), pool, server.Config{Logger: logger})
	}
	return nil, fmt.Errorf("-impl %q: want generated, handwritten or production", impl)
}

// buildSQLite opens the SQLite database at dbURL (sqlite:PATH) for impl
// and returns its handler and what closes the database.
func buildSQLite(ctx context.Context, impl, dbURL string, settings server.Config) (http.Handler, func() error, error) {
	if impl == "handwritten" {
		path, ok := strings.CutPrefix(dbURL, "sqlite:")
		if !ok {
			return nil, nil, fmt.Errorf("DATABASE_URL %q: want sqlite:PATH", dbURL)
		}
		// As many connections as runtime/sqlite opens for reads.
		db, err := litehand.Open(path, max(4, goruntime.GOMAXPROCS(0)))
		if err != nil {
			return nil, nil, err
		}
		return litehand.NewRouter(db), db.Close, nil
	}
	db, err := sqlite.Open(ctx, dbURL, settings.Settings())
	if err != nil {
		return nil, nil, err
	}
	switch impl {
	case "generated":
		return liteapi.NewRouter(db, liteapi.Options{Logger: slog.New(slog.DiscardHandler)}), db.Close, nil
	case "production":
		logger := slog.New(slog.NewJSONHandler(io.Discard, nil))
		h, err := server.Wrap(liteapi.Handler(db, nil, logger), db, server.Config{Logger: logger})
		return h, db.Close, err
	}
	return nil, db.Close, fmt.Errorf("-impl %q: want generated, handwritten or production", impl)
}
