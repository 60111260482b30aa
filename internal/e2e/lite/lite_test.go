package lite_test

// The SQLite engine serving the HTTP contract: statuses, validation,
// constraint errors located at fields, lists with filters, sort, cursors
// and counts, nested routes, bulk creates and If-Match, every exchange
// checked against the OpenAPI document.

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crudgen/crudgen/internal/apitest"
	"github.com/crudgen/crudgen/internal/e2e/lite/api"
	"github.com/crudgen/crudgen/runtime"
	"github.com/crudgen/crudgen/runtime/sqlite"
)

type obj = apitest.Obj

var at = apitest.At

// serve opens a new database file, which the generated package's schema
// creates, and serves the API on it.
func serve(t *testing.T) (*apitest.Client, *sqlite.DB) {
	t.Helper()
	db, err := sqlite.Open(context.Background(), "sqlite:"+filepath.Join(t.TempDir(), "lite.db"), runtime.Settings{})
	require.NoError(t, err)
	t.Cleanup(func() { _ = db.Close() })
	srv := httptest.NewServer(api.NewRouter(db, api.Options{Logger: slog.New(slog.DiscardHandler)}))
	t.Cleanup(srv.Close)
	return &apitest.Client{Base: srv.URL, HTTP: srv.Client(), Doc: "api/openapi.json"}, db
}

func TestCRUD(t *testing.T) {
	c, _ := serve(t)
	res := c.Do(t, http.MethodPost, "/authors", obj{"email": "ann@example.com", "name": "Ann", "age": 30, "born": "1994-02-28"})
	ann := res.Row(t, http.StatusCreated)
	assert.Equal(t, "1", ann["id"])
	assert.Equal(t, "/authors/1", res.Header.Get("Location"))
	assert.Equal(t, `"1994-02-28"`, ann["born"])
	assert.Regexp(t, `^"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ"$`, ann["created_at"], "CURRENT_TIMESTAMP, read back in UTC")

	got := c.Do(t, http.MethodGet, "/authors/1", nil).Row(t, http.StatusOK)
	assert.Equal(t, ann, got)

	post := c.Do(t, http.MethodPost, "/posts", obj{
		"author_id": 1, "title": "Hello", "rating": 4.5, "price": "12.50", "meta": obj{"tags": []string{"a"}},
		"uid": "0b4a3c5e-94a5-4f3e-a0c5-9b4d7b1e2f10", "cover": "AAEC",
	}).Row(t, http.StatusCreated)
	assert.Equal(t, `"draft"`, post["status"], "the column's default")
	assert.Equal(t, `false`, post["published"])
	assert.Equal(t, `"12.5"`, post["price"], "DECIMAL has NUMERIC affinity: SQLite stores 12.5")
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

func TestValidationAndConstraints(t *testing.T) {
	c, _ := serve(t)
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
	c.Do(t, http.MethodPost, "/posts", obj{"author_id": 1, "title": "P"}).Row(t, http.StatusCreated)
	c.Do(t, http.MethodPost, "/tags", obj{"post_id": 1, "name": "go"}).Row(t, http.StatusCreated)
	c.Do(t, http.MethodPost, "/tags", obj{"post_id": 1, "name": "go"}).
		ErrorsOf(t, http.StatusConflict, at("unique", "body", "post_id"), at("unique", "body", "name"))
	c.Do(t, http.MethodDelete, "/posts/1", nil).
		ErrorsOf(t, http.StatusConflict, at("referenced", "path", "id"))
	// ON DELETE CASCADE removes the author's posts, and SQLite checks the
	// tags that still point at them.
	c.Do(t, http.MethodDelete, "/authors/1", nil).Problem(t, http.StatusConflict)
	assert.Equal(t, http.StatusNoContent, c.Do(t, http.MethodDelete, "/tags/1/go", nil).Status)
	assert.Equal(t, http.StatusNoContent, c.Do(t, http.MethodDelete, "/authors/1", nil).Status)
	c.Do(t, http.MethodGet, "/posts/1", nil).Problem(t, http.StatusNotFound)
}

func TestLists(t *testing.T) {
	c, _ := serve(t)
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
	assert.EqualValues(t, "3", fmt.Sprint(page["total_estimate"]), "SQLite has no planner estimate: the count is exact")
}

func TestNestedBulkAndIfMatch(t *testing.T) {
	c, _ := serve(t)
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
