package blog_test

// Helpers of the blog API's behaviour tests: a database loaded with
// schema.sql, the generated router served over HTTP, and a client whose
// every exchange is checked against api/openapi.json.

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/crudgen/crudgen/examples/blog/api"
	"github.com/crudgen/crudgen/internal/apitest"
	"github.com/crudgen/crudgen/runtime/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// truncateAll empties the blog's tables before every test.
const truncateAll = `TRUNCATE authors, posts, comments, tags, post_tags, page_views RESTART IDENTITY CASCADE`

// The package database gets schema.sql once.
var (
	schemaOnce sync.Once
	schemaErr  error
)

// loadSchema runs schema.sql on the database at dbURL.
func loadSchema(ctx context.Context, dbURL string) error {
	sql, err := os.ReadFile("schema.sql")
	if err != nil {
		return err
	}
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, string(sql)) // no arguments: a multi-statement string
	return err
}

// blog is a running blog API and what the tests need around it.
type blog struct {
	*client
	pool *pgxpool.Pool
	logs *apitest.SyncBuffer // what the API logged
}

// newBlog serves the generated API over the package database, emptied.
func newBlog(t *testing.T) *blog {
	t.Helper()
	dbURL := pgtest.URL(t)
	schemaOnce.Do(func() { schemaErr = loadSchema(context.Background(), dbURL) })
	require.NoError(t, schemaErr, "load schema.sql")
	pool := apitest.Pool(t, dbURL)
	_, err := pool.Exec(context.Background(), truncateAll)
	require.NoError(t, err)
	return serve(t, pool)
}

// serve serves api.NewRouter(pool) on an httptest server.
func serve(t *testing.T, pool *pgxpool.Pool) *blog {
	t.Helper()
	logs := &apitest.SyncBuffer{}
	logger := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	srv := httptest.NewServer(api.NewRouter(pool, api.Options{Logger: logger}))
	t.Cleanup(srv.Close)
	c := &apitest.Client{Base: srv.URL, HTTP: srv.Client(), Doc: "api/openapi.json"}
	return &blog{client: &client{c}, pool: pool, logs: logs}
}

// exec runs SQL on the blog's database behind the API's back.
func (b *blog) exec(t *testing.T, sql string, args ...any) {
	t.Helper()
	_, err := b.pool.Exec(context.Background(), sql, args...)
	require.NoError(t, err)
}

// client is the API client of the tests, with the blog's fixtures.
type client struct{ *apitest.Client }

// obj is a JSON object, to write request bodies.
type obj = apitest.Obj

// num is the JSON number n, as the client decodes it.
func num(n string) json.Number { return json.Number(n) }

// ---------------------------------------------------------------------------
// Fixtures, created through the API

func (c *client) create(t *testing.T, path string, body any) obj {
	t.Helper()
	return c.Do(t, http.MethodPost, path, body).Object(t, http.StatusCreated)
}

// author creates an author with the given email.
func (c *client) author(t *testing.T, email string) obj {
	t.Helper()
	return c.create(t, "/authors", obj{"email": email, "name": "Ada " + email})
}

// post creates a draft post of author with the given slug.
func (c *client) post(t *testing.T, author obj, slug string) obj {
	t.Helper()
	return c.create(t, "/posts", obj{"author_id": author["id"], "title": "Title of " + slug, "slug": slug})
}

// idOf returns the id member of a row, as it goes in a path.
func idOf(t *testing.T, row obj) string {
	t.Helper()
	id, ok := row["id"].(json.Number)
	require.True(t, ok, "row has no numeric id: %v", row)
	return id.String()
}
