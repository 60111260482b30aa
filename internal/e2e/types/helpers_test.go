package types_test

// Helpers of the type tests: a database loaded with schema.sql, the
// generated router served over HTTP, a client whose every exchange is
// checked against api/openapi.json, and a reader of what PostgreSQL
// stored. Adapted from examples/blog/helpers_test.go; bodies are raw JSON
// here, so that what is sent (1e2, "\u00e9", whitespace in json values)
// is exactly what the test says.

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/crudgen/crudgen/internal/apitest"
	"github.com/crudgen/crudgen/internal/e2e/types/api"
	"github.com/crudgen/crudgen/runtime/pgtest"
	"github.com/crudgen/crudgen/runtime/postgres"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// sessionTimeZone is the TimeZone of every connection: not UTC, and with
// a half-hour offset, so that a response that followed the session's zone
// instead of writing UTC would show.
const sessionTimeZone = "Asia/Kolkata"

// server is the running API, shared by the package's tests, and a pool
// to look at what PostgreSQL stored behind its back.
type server struct {
	*apitest.Client
	db    *pgxpool.Pool
	logs  *apitest.SyncBuffer
	close func() // stops the server and closes the pool
}

var (
	serverOnce sync.Once
	shared     *server
	serverErr  error
)

// newServer returns the package's API over its database, loaded with
// schema.sql once. The tests write rows with keys of their own, so they
// share it.
func newServer(t *testing.T) *server {
	t.Helper()
	dbURL := pgtest.URL(t)
	serverOnce.Do(func() { shared, serverErr = start(dbURL) })
	require.NoError(t, serverErr)
	return shared
}

// start loads the schema and serves the API; the server and pools live
// until the test binary exits.
func start(dbURL string) (*server, error) {
	ctx := context.Background()
	sql, err := os.ReadFile("schema.sql")
	if err != nil {
		return nil, err
	}
	cfg, err := pgxpool.ParseConfig(dbURL)
	if err != nil {
		return nil, err
	}
	cfg.ConnConfig.ConnectTimeout = 5 * time.Second
	cfg.ConnConfig.RuntimeParams["timezone"] = sessionTimeZone
	// As examples/blog/cmd/blog connects: with the runtime's codecs.
	cfg.AfterConnect = func(_ context.Context, c *pgx.Conn) error {
		postgres.RegisterTypes(c.TypeMap())
		return nil
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, err
	}
	if _, err := pool.Exec(ctx, string(sql)); err != nil { // no arguments: a multi-statement string
		return nil, err
	}
	logs := &apitest.SyncBuffer{}
	logger := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	srv := httptest.NewServer(api.NewRouter(pool, api.Options{Logger: logger}))
	c := &apitest.Client{Base: srv.URL, HTTP: srv.Client(), Doc: "api/openapi.json"}
	return &server{Client: c, db: pool, logs: logs, close: func() { srv.Close(); pool.Close() }}, nil
}

// stored returns PostgreSQL's text output of column col of the row of
// table whose key column id equals key, as the simple protocol sends it
// (each type's output function, in the session's TimeZone), and whether
// it is not NULL.
func (s *server) stored(t *testing.T, table, col, key string) (string, bool) {
	t.Helper()
	sql := "SELECT " + pgx.Identifier{col}.Sanitize() + " FROM " + pgx.Identifier{table}.Sanitize() + " WHERE id = $1"
	rows, err := s.db.Query(context.Background(), sql, pgx.QueryExecModeSimpleProtocol, key)
	require.NoError(t, err)
	defer rows.Close()
	require.True(t, rows.Next(), "%s: no row %s", table, key)
	raw := rows.RawValues()[0] // valid until the next call to Next
	text, ok := string(raw), raw != nil
	require.False(t, rows.Next())
	require.NoError(t, rows.Err())
	return text, ok
}

// tryExec runs SQL behind the API's back and returns its error.
func (s *server) tryExec(sql string, args ...any) error {
	_, err := s.db.Exec(context.Background(), sql, args...)
	return err
}

// exec runs SQL behind the API's back.
func (s *server) exec(t *testing.T, sql string, args ...any) {
	t.Helper()
	_, err := s.db.Exec(context.Background(), sql, args...)
	require.NoError(t, err)
}

// ---------------------------------------------------------------------------
// Bodies and rows as raw JSON

// fields are the members of a JSON object, each value raw JSON.
type fields = apitest.Fields

// body writes an object of the members of each set, later sets winning,
// in key order, with values exactly as given.
func body(sets ...fields) string {
	all := fields{}
	for _, s := range sets {
		for k, v := range s {
			all[k] = v
		}
	}
	keys := make([]string, 0, len(all))
	for k := range all {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var b strings.Builder
	b.WriteByte('{')
	for i, k := range keys {
		if i > 0 {
			b.WriteByte(',')
		}
		kb, _ := json.Marshal(k)
		b.Write(kb)
		b.WriteByte(':')
		b.WriteString(all[k])
	}
	b.WriteByte('}')
	return b.String()
}
