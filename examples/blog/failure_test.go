package blog_test

// 5xx: the database goes away (503), or fails in a way the API cannot map
// (500, which tells the client nothing).

import (
	"context"
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crudgen/crudgen/internal/apitest"
	"github.com/crudgen/crudgen/runtime/pgtest"
)

func TestDatabaseUnavailable(t *testing.T) {
	b := newBlog(t) // loads the schema
	b.create(t, "/tags", obj{"name": "go"})

	dbURL := pgtest.URL(t)
	cfg, err := pgx.ParseConfig(dbURL)
	require.NoError(t, err)
	proxy := pgtest.Proxy(t, net.JoinHostPort(cfg.Host, strconv.Itoa(int(cfg.Port))))
	viaProxy := serve(t, apitest.Pool(t, proxy.URL(dbURL)))

	assert.Equal(t, []any{obj{"name": "go"}}, viaProxy.Do(t, http.MethodGet, "/tags", nil).Items(t))

	proxy.Cut()
	for _, tc := range []struct {
		method, path string
		body         any
	}{
		{http.MethodGet, "/tags", nil},
		{http.MethodGet, "/tags/go", nil},
		{http.MethodPost, "/tags", obj{"name": "sql"}},
		{http.MethodPut, "/tags/go", obj{}},
		{http.MethodPatch, "/tags/go", obj{}},
		{http.MethodDelete, "/tags/go", nil},
		{http.MethodGet, "/published_posts", nil},
		{http.MethodPost, "/page_views", obj{"post_id": 1}},
	} {
		t.Run(tc.method+" "+tc.path, func(t *testing.T) {
			r := viaProxy.Do(t, tc.method, tc.path, tc.body)
			p := r.Problem(t, http.StatusServiceUnavailable)
			assert.Equal(t, "1", r.Header.Get("Retry-After"))
			assert.Equal(t, "The service is temporarily unavailable; retry later.", p.Detail)
			assert.Empty(t, p.Errors)
		})
	}
	assert.Contains(t, viaProxy.logs.String(), "level=WARN", "503s are logged at warn level")

	proxy.Restore()
	var r *apitest.Response
	for range 50 {
		r = viaProxy.Do(t, http.MethodGet, "/tags", nil)
		if r.Status == http.StatusOK {
			break
		}
		require.Equal(t, http.StatusServiceUnavailable, r.Status, "%s", r.Raw)
		time.Sleep(100 * time.Millisecond)
	}
	assert.Equal(t, []any{obj{"name": "go"}}, r.Items(t))
	// Nothing was written while the database was away.
	assert.Equal(t, []any{obj{"name": "go"}}, b.Do(t, http.MethodGet, "/tags", nil).Items(t))
}

// A statement that runs out of time (statement_timeout, lock_timeout) is a
// 503 too: a later retry may succeed.
func TestDatabaseBusy(t *testing.T) {
	b := newBlog(t)
	b.create(t, "/tags", obj{"name": "go"})

	// Another transaction holds every lock on tags.
	ctx := context.Background()
	tx, err := b.pool.Begin(ctx)
	require.NoError(t, err)
	defer tx.Rollback(ctx) //nolint:errcheck // the lock goes either way
	_, err = tx.Exec(ctx, `LOCK TABLE tags IN ACCESS EXCLUSIVE MODE`)
	require.NoError(t, err)

	for _, param := range []string{"statement_timeout", "lock_timeout"} {
		t.Run(param, func(t *testing.T) {
			busy := serve(t, apitest.Pool(t, pgtest.URL(t), func(cfg *pgxpool.Config) {
				cfg.ConnConfig.RuntimeParams[param] = "200"
			}))
			for _, tc := range []struct {
				method, path string
				body         any
			}{
				{http.MethodGet, "/tags", nil},
				{http.MethodGet, "/tags/go", nil},
				{http.MethodPost, "/tags", obj{"name": "sql"}},
				{http.MethodDelete, "/tags/go", nil},
			} {
				r := busy.Do(t, tc.method, tc.path, tc.body)
				r.Problem(t, http.StatusServiceUnavailable)
				assert.Equal(t, "1", r.Header.Get("Retry-After"))
			}
		})
	}
	require.NoError(t, tx.Rollback(ctx))
	assert.Equal(t, []any{obj{"name": "go"}}, b.Do(t, http.MethodGet, "/tags", nil).Items(t))
}

// A database error the API has no mapping for (here: the schema changed
// behind its back) is a 500 that says nothing of the cause; the log says
// it all.
func TestInternalErrorTellsNothing(t *testing.T) {
	ctx := context.Background()
	dbURL := pgtest.Fresh(t)
	require.NoError(t, loadSchema(ctx, dbURL))
	pool := apitest.Pool(t, dbURL)
	b := serve(t, pool)
	b.exec(t, `INSERT INTO tags (name) VALUES ('go')`)
	b.exec(t, `ALTER TABLE tags RENAME COLUMN name TO label`)

	for _, tc := range []struct {
		method, path string
		body         any
	}{
		{http.MethodGet, "/tags", nil},
		{http.MethodGet, "/tags/go", nil},
		{http.MethodPost, "/tags", obj{"name": "sql"}},
		{http.MethodPut, "/tags/go", obj{}},
		{http.MethodDelete, "/tags/go", nil},
	} {
		t.Run(tc.method+" "+tc.path, func(t *testing.T) {
			r := b.Do(t, tc.method, tc.path, tc.body)
			p := r.Problem(t, http.StatusInternalServerError)
			assert.Equal(t, "An internal error occurred.", p.Detail)
			assert.Empty(t, p.Errors)
			assert.Empty(t, r.Header.Values("Retry-After"))
			body := strings.ToLower(string(r.Raw))
			for _, leak := range []string{"select", "insert", "update", "delete from", "label", `"name"`, "column", "does not exist", "42703", "sqlstate", "public.", "pgx", "error:"} {
				assert.NotContains(t, body, leak, "the 500 leaks %q: %s", leak, r.Raw)
			}
		})
	}
	logs := b.logs.String()
	assert.Contains(t, logs, "level=ERROR")
	assert.Contains(t, logs, "42703", "the log has the cause")
	assert.Contains(t, logs, "does not exist")
}
