package options_test

// Every option of crudgen.yaml, served: base_path, json_names, tables
// (exclude, read_only), routes, fields, columns (hidden, write_only by a
// secret's name, read_only, read_write) and relations.

import (
	"context"
	encjson "encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crudgen/crudgen/internal/apitest"
	"github.com/crudgen/crudgen/internal/e2e/options/api"
	"github.com/crudgen/crudgen/runtime/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

type obj = apitest.Obj

func serve(t *testing.T) (*apitest.Client, func(sql string, args ...any) any) {
	t.Helper()
	dbURL := pgtest.URL(t)
	pool := apitest.Pool(t, dbURL)
	schema, err := os.ReadFile("schema.sql")
	require.NoError(t, err)
	_, err = pool.Exec(context.Background(), string(schema))
	require.NoError(t, err)
	srv := httptest.NewServer(api.NewRouter(pool, api.Options{Logger: slog.New(slog.DiscardHandler)}))
	t.Cleanup(srv.Close)
	query := func(sql string, args ...any) any {
		var v any
		require.NoError(t, pool.QueryRow(context.Background(), sql, args...).Scan(&v))
		return v
	}
	return &apitest.Client{Base: srv.URL, HTTP: srv.Client(), Doc: "api/openapi.json"}, query
}

func TestOptions(t *testing.T) {
	c, query := serve(t)

	// base_path, routes, json_names: camel.
	r := c.Do(t, http.MethodPost, "/api/v1/persons", obj{
		"fullName": "Ada", "emailAddress": "ada@example.com", "passwordHash": "s3cret", "apiToken": "tok",
	})
	ada := r.Object(t, http.StatusCreated)
	assert.Equal(t, "/api/v1/persons/1", r.Header.Get("Location"))
	assert.Equal(t, "Ada", ada["fullName"])
	assert.Contains(t, ada, "createdAt")
	c.Send(t, http.MethodGet, "/persons", nil).Problem(t, http.StatusNotFound)
	c.Send(t, http.MethodGet, "/api/v1/people", nil).Problem(t, http.StatusNotFound)
	res, err := c.HTTP.Get(c.Base + "/api/v1/openapi.json")
	require.NoError(t, err)
	res.Body.Close()
	assert.Equal(t, http.StatusOK, res.StatusCode)
	for _, path := range []string{"/api/v1/docs", "/api/v1/docs/swagger-ui.css"} { // Swagger UI and an asset
		res, err := c.HTTP.Get(c.Base + path)
		require.NoError(t, err)
		res.Body.Close()
		assert.Equal(t, http.StatusOK, res.StatusCode, path)
	}
	c.Send(t, http.MethodGet, "/docs", nil).Problem(t, http.StatusNotFound)
	items := c.Do(t, http.MethodGet, "/api/v1/persons?fullName=Ada&sort=-createdAt", nil).Items(t)
	assert.Len(t, items, 1)
	c.Send(t, http.MethodPost, "/api/v1/persons", obj{"fullName": "", "emailAddress": "x@example.com", "full_name": "x"}).
		ErrorsOf(t, http.StatusUnprocessableEntity, apitest.At("unknown_field", "body", "full_name"))

	// columns: a secret's name makes it write-only: stored, never shown,
	// not a filter; read_write shows one anyway.
	assert.NotContains(t, ada, "passwordHash")
	assert.Equal(t, "s3cret", query("SELECT password_hash FROM people WHERE person_id = 1"))
	assert.Equal(t, "tok", ada["apiToken"])
	c.Send(t, http.MethodGet, "/api/v1/persons?passwordHash=s3cret", nil).
		ErrorsOf(t, http.StatusUnprocessableEntity, apitest.At("unknown_field", "query", "passwordHash"))
	patched := c.Do(t, http.MethodPatch, "/api/v1/persons/1", obj{"passwordHash": "new"}).Object(t, http.StatusOK)
	assert.NotContains(t, patched, "passwordHash")
	assert.Equal(t, "new", query("SELECT password_hash FROM people WHERE person_id = 1"))

	// hidden: neither read nor written.
	assert.NotContains(t, ada, "internalNote")
	c.Send(t, http.MethodPatch, "/api/v1/persons/1", obj{"internalNote": "x"}).
		ErrorsOf(t, http.StatusUnprocessableEntity, apitest.At("unknown_field", "body", "internalNote"))
	// read_only: shown, never accepted.
	assert.Equal(t, num("0"), ada["loginCount"])
	c.Send(t, http.MethodPatch, "/api/v1/persons/1", obj{"loginCount": 5}).
		ErrorsOf(t, http.StatusUnprocessableEntity, apitest.At("read_only", "body", "loginCount"))

	// fields and relations renamed; the nested route follows.
	post := c.Do(t, http.MethodPost, "/api/v1/posts", obj{"authorId": ada["personId"], "headline": "Hello"}).Object(t, http.StatusCreated)
	assert.Equal(t, "Hello", post["headline"])
	items = c.Do(t, http.MethodGet, "/api/v1/posts?include=writer&headline[like]=Hel%25", nil).Items(t)
	require.Len(t, items, 1)
	assert.Equal(t, "Ada", items[0].(obj)["writer"].(obj)["fullName"])
	assert.NotContains(t, items[0].(obj)["writer"], "passwordHash", "embedded rows hide write-only columns too")
	assert.Len(t, c.Do(t, http.MethodGet, "/api/v1/persons/1/posts", nil).Items(t), 1)

	// types: a column of the user's own Go type, and numeric as float64.
	bob := c.Do(t, http.MethodPost, "/api/v1/persons", obj{"fullName": "Bob", "emailAddress": "bob@example.com", "favorite": "#aabbcc", "score": 12.5}).
		Object(t, http.StatusCreated)
	assert.Equal(t, "#aabbcc", bob["favorite"])
	assert.Equal(t, num("12.5"), bob["score"])
	assert.Equal(t, "#aabbcc", query("SELECT favorite FROM people WHERE email_address = 'bob@example.com'"))
	c.Send(t, http.MethodPost, "/api/v1/persons", obj{"fullName": "Eve", "emailAddress": "eve@example.com", "favorite": "red"}).
		ErrorsOf(t, http.StatusUnprocessableEntity, apitest.At("type", "body", "favorite"))
	assert.Len(t, c.Do(t, http.MethodGet, "/api/v1/persons?score[gt]=10", nil).Items(t), 1)

	// tables: excluded ones are not served; read_only ones answer GET only.
	c.Send(t, http.MethodGet, "/api/v1/schema_migrations", nil).Problem(t, http.StatusNotFound)
	c.Send(t, http.MethodGet, "/api/v1/audit/events", nil).Problem(t, http.StatusNotFound)
	query("INSERT INTO countries VALUES ('FR', 'France') RETURNING 1")
	assert.Equal(t, "France", c.Do(t, http.MethodGet, "/api/v1/countries/FR", nil).Object(t, http.StatusOK)["name"])
	c.Send(t, http.MethodPost, "/api/v1/countries", obj{"code": "DE", "name": "Germany"}).Problem(t, http.StatusMethodNotAllowed)
	c.Send(t, http.MethodDelete, "/api/v1/countries/FR", nil).Problem(t, http.StatusMethodNotAllowed)

	// tables: require_if_match: a post is written only with If-Match,
	// the ETag of the row as read (or *); without it, a 428.
	postPath := "/api/v1/posts/" + post["postId"].(encjson.Number).String()
	required := apitest.At("required", "header", "If-Match")
	c.Send(t, http.MethodPatch, postPath, obj{"headline": "Blind"}).ErrorsOf(t, http.StatusPreconditionRequired, required)
	c.Send(t, http.MethodPut, postPath, obj{"authorId": ada["personId"], "headline": "Blind"}).
		ErrorsOf(t, http.StatusPreconditionRequired, required)
	c.Send(t, http.MethodDelete, postPath, nil).ErrorsOf(t, http.StatusPreconditionRequired, required)
	assert.Equal(t, "Hello", query("SELECT title FROM posts WHERE post_id = $1", post["postId"]))
	read := c.Do(t, http.MethodGet, postPath, nil).Header.Get("ETag")
	require.NotEmpty(t, read)
	edited := c.Do(t, http.MethodPatch, postPath, obj{"headline": "Edited"}, apitest.WithHeader("If-Match", read))
	assert.Equal(t, "Edited", edited.Object(t, http.StatusOK)["headline"])
	c.Do(t, http.MethodPut, postPath, obj{"authorId": ada["personId"], "headline": "Stale"}, apitest.WithHeader("If-Match", read)).
		Problem(t, http.StatusPreconditionFailed)
	c.Do(t, http.MethodPut, postPath, obj{"authorId": ada["personId"], "headline": "Any"}, apitest.WithHeader("If-Match", "*")).
		Object(t, http.StatusOK)
	// No upsert, which would write a row without If-Match.
	doc, _ := apitest.Document(t, "api/openapi.json")
	assert.Nil(t, doc.Paths.Find("/posts").Post.Parameters.GetByInAndName("header", "Prefer"))
	assert.NotNil(t, doc.Paths.Find("/persons").Post.Parameters.GetByInAndName("header", "Prefer"))
	assert.Equal(t, http.StatusNoContent, c.Do(t, http.MethodDelete, postPath, nil, apitest.WithHeader("If-Match", "*")).Status)
}

// go_names: the countries table's row type is Nation.
var _ = api.Nation{Code: "FR"}

func num(s string) encjson.Number { return encjson.Number(s) }
