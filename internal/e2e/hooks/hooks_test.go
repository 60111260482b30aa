package hooks_test

// The hooks of api/hooks.go, served on each engine (the engines table:
// PostgreSQL, and SQLite through lite/, generated from the same schema and
// hooks): a tenant cannot read, change or delete another tenant's rows;
// Authorize refuses readers' writes; ValidateCreate adds 422s; Before/After
// hooks run in the write's transaction, and their errors undo it; custom
// routes sit behind the same middleware.

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crudgen/crudgen/internal/apitest"
	"github.com/crudgen/crudgen/internal/e2e/hooks/api"
	liteapi "github.com/crudgen/crudgen/internal/e2e/hooks/lite/api"
	"github.com/crudgen/crudgen/runtime"
	"github.com/crudgen/crudgen/runtime/pgtest"
	"github.com/crudgen/crudgen/runtime/server"
	"github.com/crudgen/crudgen/runtime/sqlite"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

type obj = apitest.Obj

// engine is a database engine the hooks' tests run on, with the package
// crudgen generated for it from the same schema and hooks.
type engine struct {
	name string
	doc  string // the package's OpenAPI document
	// serve returns the package's router over a database with the schema
	// and no rows, the same wrapped by runtime/server with cfg, and how
	// many rows a COUNT query finds.
	serve func(t *testing.T, cfg server.Config) (router, wrapped http.Handler, count func(sql string) int)
	// withCaller is the package's WithCaller.
	withCaller func(ctx context.Context, tenant, role string) context.Context
}

var engines = []engine{
	{name: "postgres", doc: "api/openapi.json", serve: servePostgres, withCaller: api.WithCaller},
	{name: "sqlite", doc: "lite/api/openapi.json", serve: serveSQLite, withCaller: liteapi.WithCaller},
}

var schemaOnce sync.Once

// setup returns a pool on the package database, with schema.sql loaded
// once and its tables emptied.
func setup(t *testing.T) *pgxpool.Pool {
	pool := apitest.Pool(t, pgtest.URL(t))
	schemaOnce.Do(func() {
		schema, err := os.ReadFile("schema.sql")
		require.NoError(t, err)
		_, err = pool.Exec(context.Background(), string(schema))
		require.NoError(t, err)
	})
	_, err := pool.Exec(context.Background(), "TRUNCATE projects, audit RESTART IDENTITY")
	require.NoError(t, err)
	return pool
}

// servePostgres serves api on the package database (setup).
func servePostgres(t *testing.T, cfg server.Config) (http.Handler, http.Handler, func(string) int) {
	pool := setup(t)
	router := api.NewRouter(pool, api.Options{Logger: cfg.Logger})
	wrapped, err := server.Wrap(router, pool, cfg)
	require.NoError(t, err)
	return router, wrapped, func(sql string) int {
		var n int
		require.NoError(t, pool.QueryRow(context.Background(), sql).Scan(&n))
		return n
	}
}

// serveSQLite serves lite/api on a new database file, which the package's
// embedded schema creates.
func serveSQLite(t *testing.T, cfg server.Config) (http.Handler, http.Handler, func(string) int) {
	db, err := sqlite.Open(context.Background(), "sqlite:"+filepath.Join(t.TempDir(), "hooks.db"), runtime.Settings{})
	require.NoError(t, err)
	t.Cleanup(func() { _ = db.Close() })
	router := liteapi.NewRouter(db, liteapi.Options{Logger: cfg.Logger})
	wrapped, err := server.Wrap(router, db, cfg)
	require.NoError(t, err)
	return router, wrapped, func(sql string) int {
		var n int
		require.NoError(t, db.QueryRow(context.Background(), sql).Scan(&n))
		return n
	}
}

func TestHooks(t *testing.T) {
	for _, e := range engines {
		t.Run(e.name, func(t *testing.T) { testHooks(t, e) })
	}
}

func testHooks(t *testing.T, e engine) {
	router, _, count := e.serve(t, server.Config{Logger: slog.New(slog.DiscardHandler)})
	// The caller, as an authentication middleware would find it.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		router.ServeHTTP(w, r.WithContext(e.withCaller(r.Context(), r.Header.Get("X-Tenant"), r.Header.Get("X-Role"))))
	}))
	t.Cleanup(srv.Close)
	c := &apitest.Client{Base: srv.URL, HTTP: srv.Client(), Doc: e.doc}
	as := func(tenant string) apitest.Option { return apitest.WithHeader("X-Tenant", tenant) }
	reader := apitest.WithHeader("X-Role", "reader")

	// BeforeCreate files rows under the caller's tenant.
	a := c.Do(t, http.MethodPost, "/projects", obj{"tenant_id": "b", "name": "alpha"}, as("a")).Object(t, http.StatusCreated)
	assert.Equal(t, "a", a["tenant_id"])
	require.Equal(t, http.StatusCreated, c.Do(t, http.MethodPost, "/projects", []any{obj{"tenant_id": "", "name": "beta"}, obj{"tenant_id": "", "name": "keep"}}, as("b")).Status)
	id := "/projects/" + a["id"].(json.Number).String()

	// Scope: b sees none of a's rows, and cannot touch them.
	items := c.Do(t, http.MethodGet, "/projects", nil, as("b")).Items(t)
	assert.Len(t, items, 2)
	for _, it := range items {
		assert.Equal(t, "b", it.(obj)["tenant_id"])
	}
	c.Send(t, http.MethodGet, id, nil, as("b")).Problem(t, http.StatusNotFound)
	c.Send(t, http.MethodPatch, id, obj{"name": "stolen"}, as("b")).Problem(t, http.StatusNotFound)
	c.Send(t, http.MethodPut, id, obj{"tenant_id": "b", "name": "stolen"}, as("b")).Problem(t, http.StatusNotFound)
	c.Send(t, http.MethodDelete, id, nil, as("b")).Problem(t, http.StatusNotFound)
	assert.Len(t, c.Do(t, http.MethodGet, "/projects?name=alpha", nil, as("b")).Items(t), 0)
	assert.Equal(t, "alpha", c.Do(t, http.MethodGet, id, nil, as("a")).Object(t, http.StatusOK)["name"], "a's row is intact")

	// Authorize: no caller is a 401 the hook chose; a reader may only read.
	c.Send(t, http.MethodGet, "/projects", nil).Problem(t, http.StatusUnauthorized)
	assert.Len(t, c.Do(t, http.MethodGet, "/projects", nil, as("a"), reader).Items(t), 1)
	c.Send(t, http.MethodDelete, id, nil, as("a"), reader).Problem(t, http.StatusForbidden)
	c.Send(t, http.MethodPost, "/projects", obj{"tenant_id": "a", "name": "x"}, as("a"), reader).Problem(t, http.StatusForbidden)

	// ValidateCreate: located 422s, by index in bulk.
	c.Send(t, http.MethodPost, "/projects", obj{"tenant_id": "a", "name": "admin"}, as("a")).
		ErrorsOf(t, http.StatusUnprocessableEntity, apitest.At("check", "body", "name"))
	c.Send(t, http.MethodPost, "/projects", []any{obj{"tenant_id": "a", "name": "ok"}, obj{"tenant_id": "a", "name": "admin"}}, as("a")).
		ErrorsOf(t, http.StatusUnprocessableEntity, apitest.At("check", "body", 1, "name"))

	// After hooks run in the transaction: their audit rows are written with
	// the change, and an error undoes both.
	assert.Equal(t, 3, count("SELECT count(*) FROM audit WHERE event = 'created'"))
	c.Send(t, http.MethodPost, "/projects", obj{"tenant_id": "a", "name": "doomed"}, as("a")).Problem(t, http.StatusConflict)
	assert.Equal(t, 0, count("SELECT count(*) FROM projects WHERE name = 'doomed'"), "rolled back")
	assert.Equal(t, 3, count("SELECT count(*) FROM audit WHERE event = 'created'"))
	c.Do(t, http.MethodPatch, id, obj{"name": "alpha2"}, as("a")).Object(t, http.StatusOK)
	assert.Equal(t, 1, count("SELECT count(*) FROM audit WHERE event = 'updated'"))

	// If-Match is checked in the hooks' transaction, before them: a stale
	// tag writes and audits nothing; another tenant's row stays a 404.
	read := c.Do(t, http.MethodGet, id, nil, as("a")).Header.Get("ETag")
	c.Send(t, http.MethodPatch, id, obj{"name": "alpha3"}, as("b"), apitest.WithHeader("If-Match", read)).Problem(t, http.StatusNotFound)
	c.Do(t, http.MethodPatch, id, obj{"name": "alpha3"}, as("a"), apitest.WithHeader("If-Match", `"stale"`)).
		Problem(t, http.StatusPreconditionFailed)
	assert.Equal(t, 1, count("SELECT count(*) FROM audit WHERE event = 'updated'"))
	c.Do(t, http.MethodPatch, id, obj{"name": "alpha3"}, as("a"), apitest.WithHeader("If-Match", read)).Object(t, http.StatusOK)
	assert.Equal(t, 2, count("SELECT count(*) FROM audit WHERE event = 'updated'"))
	c.Do(t, http.MethodDelete, id, nil, as("a"), apitest.WithHeader("If-Match", read)).Problem(t, http.StatusPreconditionFailed)
	assert.Equal(t, 0, count("SELECT count(*) FROM audit WHERE event = 'deleted'"))

	// BeforeDelete sees the row as it was and can refuse; AfterDelete audits.
	keep := c.Do(t, http.MethodGet, "/projects?name=keep", nil, as("b")).Items(t)[0].(obj)
	c.Send(t, http.MethodDelete, "/projects/"+keep["id"].(json.Number).String(), nil, as("b")).Problem(t, http.StatusConflict)
	assert.Equal(t, 1, count("SELECT count(*) FROM projects WHERE name = 'keep'"))
	r := c.Send(t, http.MethodDelete, id, nil, as("a"))
	assert.Equal(t, http.StatusNoContent, r.Status, "%s", r.Raw)
	assert.Equal(t, 1, count("SELECT count(*) FROM audit WHERE event = 'deleted'"))

	// Custom routes, behind the same middleware: a panic is a 500 problem.
	// The custom route is in the document (openapi.extra.json), which the
	// client checks the exchange against.
	assert.Equal(t, true, c.Do(t, http.MethodGet, "/projects/-/ping", nil).Object(t, http.StatusOK)["pong"])
	res, err := srv.Client().Get(srv.URL + "/projects/-/panic")
	require.NoError(t, err)
	res.Body.Close()
	assert.Equal(t, http.StatusInternalServerError, res.StatusCode)
	assert.Equal(t, "application/problem+json", res.Header.Get("Content-Type"))
}

// TestHooksSeeThePrincipal: served by runtime/server with JWTs, the hooks
// find the caller's tenant in the token's claims, and the server refuses
// a read-only token's write before any hook runs.
func TestHooksSeeThePrincipal(t *testing.T) {
	for _, e := range engines {
		t.Run(e.name, func(t *testing.T) { testHooksSeeThePrincipal(t, e) })
	}
}

func testHooksSeeThePrincipal(t *testing.T, e engine) {
	secret := []byte("a-secret-of-at-least-thirty-two-bytes")
	_, h, _ := e.serve(t, server.Config{Logger: slog.New(slog.DiscardHandler), JWT: &server.JWT{Secret: secret}})
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	token := func(tenant, scope string) string {
		signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.HS256, Key: secret}, nil)
		require.NoError(t, err)
		raw, err := jwt.Signed(signer).Claims(map[string]any{
			"sub": tenant + "-user", "tenant": tenant, "scope": scope, "exp": time.Now().Add(time.Minute).Unix(),
		}).Serialize()
		require.NoError(t, err)
		return raw
	}
	send := func(method, path, token, body string) (int, string) {
		req, err := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
		require.NoError(t, err)
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+token)
		res, err := srv.Client().Do(req)
		require.NoError(t, err)
		defer res.Body.Close()
		b, err := io.ReadAll(res.Body)
		require.NoError(t, err)
		return res.StatusCode, string(b)
	}
	status, body := send(http.MethodPost, "/projects", token("a", "write"), `{"tenant_id": "b", "name": "alpha"}`)
	require.Equal(t, http.StatusCreated, status, body)
	assert.Contains(t, body, `"tenant_id":"a"`, "BeforeCreate took the tenant from the token")
	status, body = send(http.MethodGet, "/projects", token("b", "read"), "")
	require.Equal(t, http.StatusOK, status, body)
	assert.Contains(t, body, `"items":[]`, "Scope keeps b out of a's rows")
	status, body = send(http.MethodGet, "/projects", token("a", "read"), "")
	require.Equal(t, http.StatusOK, status, body)
	assert.Contains(t, body, `"alpha"`)
	status, _ = send(http.MethodPost, "/projects", token("b", "read"), `{"tenant_id": "b", "name": "beta"}`)
	assert.Equal(t, http.StatusForbidden, status)
	status, _ = send(http.MethodGet, "/projects", "not-a-token", "")
	assert.Equal(t, http.StatusUnauthorized, status)
}
