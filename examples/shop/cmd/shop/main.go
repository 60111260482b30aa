// Command shop serves the shop example's generated API.
//
//	DATABASE_URL=postgres://postgres@127.0.0.1:5432/crudgen_shop ADDR=:8080 go run ./examples/shop/cmd/shop
//
// The database needs examples/shop/schema.sql first:
//
//	createdb crudgen_shop && psql -d crudgen_shop -f examples/shop/schema.sql
package main

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/crudgen/crudgen/examples/shop/api"
	"github.com/crudgen/crudgen/runtime"
)

func main() {
	if err := run(); err != nil {
		slog.Error("shop", "error", err)
		os.Exit(1)
	}
}

func run() error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	dbURL := env("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/crudgen_shop?sslmode=disable")
	addr := env("ADDR", ":8080")

	cfg, err := pgxpool.ParseConfig(dbURL)
	if err != nil {
		return err
	}
	// Exact numeric scale and arrays of the runtime's types need its codecs.
	cfg.AfterConnect = func(_ context.Context, c *pgx.Conn) error {
		runtime.RegisterTypes(c.TypeMap())
		return nil
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return err
	}
	defer pool.Close()

	srv := &http.Server{
		Addr:              addr,
		Handler:           api.NewRouter(pool, api.Options{}),
		ReadHeaderTimeout: 5 * time.Second,
	}
	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		srv.Shutdown(shutdown) //nolint:errcheck // the server is going away either way
	}()
	host := addr
	if host != "" && host[0] == ':' {
		host = "localhost" + host
	}
	slog.Info("serving the shop API", "url", "http://"+host, "openapi", "http://"+host+"/openapi.json")
	if err := srv.ListenAndServe(); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

func env(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}
