package engines_test

// The HTTP contract on each engine, from one schema written for each
// (postgres/ and sqlite/, generated into their api/): statuses,
// validation, constraint errors located at fields, lists with filters,
// sort, cursors and counts, nested routes, include, bulk creates,
// upserts and If-Match, every exchange checked against the engine's
// OpenAPI document. The few differences are the engines' own, and the
// engine table says them.

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crudgen/crudgen/internal/apitest"
	pgapi "github.com/crudgen/crudgen/internal/e2e/engines/postgres/api"
	liteapi "github.com/crudgen/crudgen/internal/e2e/engines/sqlite/api"
	"github.com/crudgen/crudgen/runtime"
	"github.com/crudgen/crudgen/runtime/pgtest"
	"github.com/crudgen/crudgen/runtime/sqlite"
)

type obj = apitest.Obj

var at = apitest.At

// engine is a database engine and the package generated for it.
type engine struct {
	name string
	// serve serves the package on a new database with the schema and no
	// rows, and returns a client checking exchanges against its document.
	serve func(t *testing.T) *apitest.Client
	// decimal is how the engine returns the DECIMAL(10,2) value 12.50.
	decimal string
	// exactEstimate says count=estimated counts exactly.
	exactEstimate bool
}

var engines = []engine{
	{name: "postgres", serve: servePostgres, decimal: `"12.50"`},
	{name: "sqlite", serve: serveSQLite, decimal: `"12.5"`, exactEstimate: true},
}

// forEachEngine runs test as a subtest on each engine.
func forEachEngine(t *testing.T, test func(t *testing.T, e engine, c *apitest.Client)) {
	for _, e := range engines {
		t.Run(e.name, func(t *testing.T) { test(t, e, e.serve(t)) })
	}
}

func client(t *testing.T, h http.Handler, doc string) *apitest.Client {
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return &apitest.Client{Base: srv.URL, HTTP: srv.Client(), Doc: doc}
}

// servePostgres serves postgres/api on a database of the test's own.
func servePostgres(t *testing.T) *apitest.Client {
	pool := apitest.Pool(t, pgtest.Fresh(t))
	schema, err := os.ReadFile("postgres/schema.sql")
	require.NoError(t, err)
	_, err = pool.Exec(context.Background(), string(schema))
	require.NoError(t, err)
	return client(t, pgapi.NewRouter(pool, pgapi.Options{Logger: slog.New(slog.DiscardHandler)}), "postgres/api/openapi.json")
}

// serveSQLite serves sqlite/api on a new database file, which the
// package's embedded schema creates.
func serveSQLite(t *testing.T) *apitest.Client {
	db, err := sqlite.Open(context.Background(), "sqlite:"+filepath.Join(t.TempDir(), "lite.db"), runtime.Settings{})
	require.NoError(t, err)
	t.Cleanup(func() { _ = db.Close() })
	return client(t, liteapi.NewRouter(db, liteapi.Options{Logger: slog.New(slog.DiscardHandler)}), "sqlite/api/openapi.json")
}

func TestCRUD(t *testing.T) { forEachEngine(t, testCRUD) }

func testCRUD(t *testing.T, e engine, c *apitest.Client) {
	res := c.Do(t, http.MethodPost, "/authors", obj{"email": "ann@example.com", "name": "Ann", "age": 30, "born": "1994-02-28"})
	ann := res.Row(t, http.StatusCreated)
	assert.Equal(t, "1", ann["id"])
	assert.Equal(t, "/authors/1", res.Header.Get("Location"))
	assert.Equal(t, `"1994-02-28"`, ann["born"])
	assert.Regexp(t, `^"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)"$`, ann["created_at"], "the column's default time")

	got := c.Do(t, http.MethodGet, "/authors/1", nil).Row(t, http.StatusOK)
	assert.Equal(t, ann, got)

	post := c.Do(t, http.MethodPost, "/posts", obj{
		"author_id": 1, "title": "Hello", "rating": 4.5, "price": "12.50", "meta": obj{"tags": []string{"a"}},
		"uid": "0b4a3c5e-94a5-4f3e-a0c5-9b4d7b1e2f10", "cover": "AAEC",
	}).Row(t, http.StatusCreated)
	assert.Equal(t, `"draft"`, post["status"], "the column's default")
	assert.Equal(t, `false`, post["published"])
	assert.Equal(t, e.decimal, post["price"], "SQLite's DECIMAL has NUMERIC affinity: it stores 12.5")
	assert.JSONEq(t, `{"tags":["a"]}`, post["meta"])
	assert.Equal(t, `"AAEC"`, post["cover"])
	assert.Equal(t, `"0b4a3c5e-94a5-4f3e-a0c5-9b4d7b1e2f10"`, post["uid"])

	patched := c.Do(t, http.MethodPatch, "/posts/1", obj{"status": "published", "published": true}).Row(t, http.StatusOK)
	assert.Equal(t, `"published"`, patched["status"])
	assert.Equal(t, `"Hello"`, patched["title"], "PATCH leaves the rest")

	replaced := c.Do(t, http.MethodPut, "/posts/1", obj{"author_id": 1, "title": "Again"}).Row(t, http.StatusOK)
	assert.Equal(t, `"draft"`, replaced["status"], "PUT writes the default of what it leaves out")
	assert.Equal(t, `null`, replaced["rating"])

	assert.Equal(t, http.StatusNoContent, c.Do(t, http.MethodDelete, "/posts/1", nil).Status)
	c.Do(t, http.MethodGet, "/posts/1", nil).Problem(t, http.StatusNotFound)
	c.Do(t, http.MethodDelete, "/posts/1", nil).Problem(t, http.StatusNotFound)
}

func TestValidationAndConstraints(t *testing.T) { forEachEngine(t, testValidationAndConstraints) }

func testValidationAndConstraints(t *testing.T, e engine, c *apitest.Client) {
	c.Do(t, http.MethodPost, "/authors", obj{"email": "ann@example.com", "name": "Ann"}).Row(t, http.StatusCreated)

	c.Send(t, http.MethodPost, "/authors", obj{"email": "x@example.com"}).
		ErrorsOf(t, http.StatusUnprocessableEntity, at("required", "body", "name"))
	c.Send(t, http.MethodPost, "/authors", obj{"email": "x@example.com", "name": "X", "age": -1}).
		ErrorsOf(t, http.StatusUnprocessableEntity, at("minimum", "body", "age"))
	c.Send(t, http.MethodPost, "/posts", obj{"author_id": 1, "title": "T", "status": "gone"}).
		ErrorsOf(t, http.StatusUnprocessableEntity, at("enum", "body", "status"))
	c.Send(t, http.MethodPost, "/posts", obj{"author_id": 1, "title": "T", "rating": 6}).
		ErrorsOf(t, http.StatusUnprocessableEntity, at("maximum", "body", "rating"))
	c.Send(t, http.MethodPost, "/authors", obj{"email": fmt.Sprintf("%0101d", 0), "name": "X"}).
		ErrorsOf(t, http.StatusUnprocessableEntity, at("max_length", "body", "email"))
	c.Send(t, http.MethodPost, "/authors", obj{"email": "y@example.com", "name": "Y", "nope": 1}).
		ErrorsOf(t, http.StatusUnprocessableEntity, at("unknown_field", "body", "nope"))
	c.Send(t, http.MethodPost, "/authors", "{").Problem(t, http.StatusBadRequest)
	c.Send(t, http.MethodPost, "/authors", obj{"name": "Z"}, apitest.WithContentType("text/plain")).Problem(t, http.StatusUnsupportedMediaType)

	// The database's own rules, located at the fields.
	c.Do(t, http.MethodPost, "/authors", obj{"email": "ann@example.com", "name": "Other"}).
		ErrorsOf(t, http.StatusConflict, at("unique", "body", "email"))
	c.Do(t, http.MethodPost, "/posts", obj{"author_id": 99, "title": "Orphan"}).
		ErrorsOf(t, http.StatusUnprocessableEntity, at("foreign_key", "body", "author_id"))
	// PostgreSQL's identity spent a number on the failed insert.
	post := c.Do(t, http.MethodPost, "/posts", obj{"author_id": 1, "title": "P"}).Row(t, http.StatusCreated)["id"]
	c.Do(t, http.MethodPost, "/tags", obj{"post_id": json.Number(post), "name": "go"}).Row(t, http.StatusCreated)
	c.Do(t, http.MethodPost, "/tags", obj{"post_id": json.Number(post), "name": "go"}).
		ErrorsOf(t, http.StatusConflict, at("unique", "body", "post_id"), at("unique", "body", "name"))
	c.Do(t, http.MethodDelete, "/posts/"+post, nil).
		ErrorsOf(t, http.StatusConflict, at("referenced", "path", "id"))
	// ON DELETE CASCADE removes the author's posts, and the database
	// checks the tags that still point at them.
	c.Do(t, http.MethodDelete, "/authors/1", nil).Problem(t, http.StatusConflict)
	assert.Equal(t, http.StatusNoContent, c.Do(t, http.MethodDelete, "/tags/"+post+"/go", nil).Status)
	assert.Equal(t, http.StatusNoContent, c.Do(t, http.MethodDelete, "/authors/1", nil).Status)
	c.Do(t, http.MethodGet, "/posts/"+post, nil).Problem(t, http.StatusNotFound)
}

func TestLists(t *testing.T) { forEachEngine(t, testLists) }

func testLists(t *testing.T, e engine, c *apitest.Client) {
	for i, name := range []string{"Ann", "bob", "Cy", "dee", "Eve"} {
		row := obj{"email": fmt.Sprintf("%s@example.com", name), "name": name}
		if i%2 == 0 {
			row["age"] = 20 + i
		}
		c.Do(t, http.MethodPost, "/authors", row).Row(t, http.StatusCreated)
	}
	names := func(path string) []string {
		t.Helper()
		var out []string
		for _, it := range c.Do(t, http.MethodGet, path, nil).Items(t) {
			out = append(out, it.(map[string]any)["name"].(string))
		}
		return out
	}
	assert.Equal(t, []string{"Ann", "bob", "Cy", "dee", "Eve"}, names("/authors"))
	assert.Equal(t, []string{"Cy"}, names("/authors?name=Cy"))
	assert.Equal(t, []string{"Ann"}, names("/authors?name[ilike]=a%25"), "ilike folds ASCII case")
	assert.Equal(t, []string{"dee"}, names("/authors?name[like]=d%25"))
	assert.Empty(t, names("/authors?name[like]=D%25"), "like keeps case")
	assert.Equal(t, []string{"Ann", "bob", "dee", "Eve"}, names("/authors?name[like]=___"), "_ is one character")
	assert.Equal(t, []string{"bob", "Eve"}, names("/authors?id[in]=2&id[in]=5"))
	assert.Equal(t, []string{"bob", "dee"}, names("/authors?age[is]=null"))
	assert.Equal(t, []string{"Cy", "Eve"}, names("/authors?age[gt]=20"))
	// NULLs last ascending and first descending, as on PostgreSQL.
	assert.Equal(t, []string{"Ann", "Cy", "Eve", "bob", "dee"}, names("/authors?sort=age"))
	assert.Equal(t, []string{"bob", "dee", "Eve", "Cy", "Ann"}, names("/authors?sort=-age"))

	// Cursors walk the whole order, NULLs included, a page at a time.
	for _, sort := range []string{"age", "-age", "name", "-id"} {
		var all []string
		path := "/authors?limit=2&sort=" + sort
		for pages := 0; path != ""; pages++ {
			require.Less(t, pages, 5)
			items, next := c.Do(t, http.MethodGet, path, nil).Page(t)
			for _, it := range items {
				all = append(all, it.(map[string]any)["name"].(string))
			}
			path = ""
			if next != "" {
				path = "/authors?limit=2&sort=" + sort + "&cursor=" + next
			}
		}
		assert.Equal(t, names("/authors?sort="+sort), all, sort)
	}

	page := c.Do(t, http.MethodGet, "/authors?limit=1&count=exact", nil).Object(t, http.StatusOK)
	assert.EqualValues(t, "5", fmt.Sprint(page["total"]))
	page = c.Do(t, http.MethodGet, "/authors?limit=1&count=estimated&age[is]=not_null", nil).Object(t, http.StatusOK)
	require.Contains(t, page, "total_estimate")
	if e.exactEstimate {
		assert.EqualValues(t, "3", fmt.Sprint(page["total_estimate"]), "no planner estimate: the count is exact")
	}
}

func TestNestedBulkAndIfMatch(t *testing.T) { forEachEngine(t, testNestedBulkAndIfMatch) }

func testNestedBulkAndIfMatch(t *testing.T, e engine, c *apitest.Client) {
	c.Do(t, http.MethodPost, "/authors", obj{"email": "ann@example.com", "name": "Ann"}).Row(t, http.StatusCreated)
	rows := c.Do(t, http.MethodPost, "/posts", []obj{{"author_id": 1, "title": "One"}, {"author_id": 1, "title": "Two", "status": "published"}})
	require.Equal(t, http.StatusCreated, rows.Status, "%s", rows.Raw)
	// A bulk create is all or nothing, its errors located by index.
	c.Send(t, http.MethodPost, "/posts", []obj{{"author_id": 1, "title": "Three"}, {"author_id": 1}}).
		ErrorsOf(t, http.StatusUnprocessableEntity, at("required", "body", 1, "title"))
	assert.Len(t, c.Do(t, http.MethodGet, "/authors/1/posts", nil).Items(t), 2)
	// An empty list under a parent that exists, and one under a parent
	// that does not.
	c.Do(t, http.MethodPost, "/authors", obj{"email": "bob@example.com", "name": "Bob"}).Row(t, http.StatusCreated)
	assert.Empty(t, c.Do(t, http.MethodGet, "/authors/2/posts", nil).Items(t))
	c.Do(t, http.MethodGet, "/authors/99/posts", nil).Problem(t, http.StatusNotFound)
	assert.Len(t, c.Do(t, http.MethodGet, "/published_posts", nil).Items(t), 1)

	get := c.Do(t, http.MethodGet, "/posts/1", nil)
	etag := get.Header.Get("ETag")
	require.NotEmpty(t, etag)
	c.Do(t, http.MethodPatch, "/posts/1", obj{"title": "Stale"}, apitest.WithHeader("If-Match", `"nope"`)).
		Problem(t, http.StatusPreconditionFailed)
	c.Do(t, http.MethodPatch, "/posts/1", obj{"title": "Fresh"}, apitest.WithHeader("If-Match", etag)).Row(t, http.StatusOK)
	c.Do(t, http.MethodDelete, "/posts/1", nil, apitest.WithHeader("If-Match", etag)).Problem(t, http.StatusPreconditionFailed)
}

// TestUpsert: POST with Prefer: resolution=merge-duplicates inserts new
// rows and updates existing ones, telling them apart, as on PostgreSQL.
func TestUpsert(t *testing.T) { forEachEngine(t, testUpsert) }

func testUpsert(t *testing.T, e engine, c *apitest.Client) {
	merge := apitest.WithHeader("Prefer", "resolution=merge-duplicates")
	c.Do(t, http.MethodPost, "/authors", obj{"email": "ann@example.com", "name": "Ann", "age": 30}).Row(t, http.StatusCreated)

	res := c.Do(t, http.MethodPost, "/authors", obj{"id": 1, "email": "ann@example.com", "name": "Anne"}, merge)
	row := res.Row(t, http.StatusOK)
	assert.Equal(t, "resolution=merge-duplicates", res.Header.Get("Preference-Applied"))
	assert.Equal(t, `"Anne"`, row["name"])
	assert.Equal(t, `30`, row["age"], "a field the request leaves out keeps its value")

	res = c.Do(t, http.MethodPost, "/authors", obj{"id": 2, "email": "bob@example.com", "name": "Bob"}, merge)
	assert.Equal(t, "/authors/2", res.Header.Get("Location"))
	res.Row(t, http.StatusCreated)

	res = c.Do(t, http.MethodPost, "/authors", []obj{{"id": 2, "email": "bob@example.com", "name": "Bobby"}, {"id": 3, "email": "cy@example.com", "name": "Cy"}}, merge)
	require.Equal(t, http.StatusCreated, res.Status, "%s", res.Raw)
	assert.Equal(t, "Bobby", c.Do(t, http.MethodGet, "/authors/2", nil).Object(t, http.StatusOK)["name"])

	// Two rows with one key, or rows carrying different fields: nothing
	// is written.
	c.Do(t, http.MethodPost, "/authors", []obj{{"id": 4, "email": "d@example.com", "name": "D"}, {"id": 4, "email": "d@example.com", "name": "E"}}, merge).
		ErrorsOf(t, http.StatusConflict, at("unique", "body"))
	c.Send(t, http.MethodPost, "/authors", []obj{{"id": 5, "email": "e@example.com", "name": "E", "age": 1}, {"id": 6, "email": "f@example.com", "name": "F"}}, merge).
		ErrorsOf(t, http.StatusUnprocessableEntity, at("required", "body", 1, "age"))
	c.Do(t, http.MethodGet, "/authors/4", nil).Problem(t, http.StatusNotFound)
	c.Do(t, http.MethodGet, "/authors/5", nil).Problem(t, http.StatusNotFound)
}

// TestInclude: lists embed the parent row and the children, read as JSON
// and written as the rows' own objects.
func TestInclude(t *testing.T) { forEachEngine(t, testInclude) }

func testInclude(t *testing.T, e engine, c *apitest.Client) {
	c.Do(t, http.MethodPost, "/authors", obj{"email": "ann@example.com", "name": "Ann", "born": "1994-02-28"}).Row(t, http.StatusCreated)
	c.Do(t, http.MethodPost, "/authors", obj{"email": "bob@example.com", "name": "Bob"}).Row(t, http.StatusCreated)
	for i, title := range []string{"One", "Two", "Three"} {
		c.Do(t, http.MethodPost, "/posts", obj{"author_id": 1, "title": title, "price": fmt.Sprintf("%d.25", i), "published": i == 1,
			"meta": obj{"n": i}, "cover": "AAEC", "uid": fmt.Sprintf("0b4a3c5e-94a5-4f3e-a0c5-9b4d7b1e2f1%d", i)}).Row(t, http.StatusCreated)
	}
	c.Do(t, http.MethodPost, "/tags", obj{"post_id": 1, "name": "go"}).Row(t, http.StatusCreated)

	authors := c.Do(t, http.MethodGet, "/authors?include=posts&include_limit=2", nil).Items(t)
	require.Len(t, authors, 2)
	posts := authors[0].(obj)["posts"].([]any)
	require.Len(t, posts, 2, "include_limit bounds the children")
	// An embedded row is the row as GET writes it.
	got := c.Do(t, http.MethodGet, "/posts/2", nil).Object(t, http.StatusOK)
	assert.Equal(t, got, posts[1])
	assert.Empty(t, authors[1].(obj)["posts"])

	items := c.Do(t, http.MethodGet, "/posts?include=author,tags&sort=id", nil).Items(t)
	require.Len(t, items, 3)
	first := items[0].(obj)
	assert.Equal(t, c.Do(t, http.MethodGet, "/authors/1", nil).Object(t, http.StatusOK), first["author"])
	assert.Equal(t, []any{obj{"post_id": json.Number("1"), "name": "go"}}, first["tags"])
	assert.Empty(t, items[1].(obj)["tags"])
}
