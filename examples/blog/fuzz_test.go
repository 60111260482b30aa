package blog_test

// Fuzz targets of the blog API over PostgreSQL: fuzzed bodies to every
// route that reads one, and fuzzed paths and query strings to every route
// that reads keys or list parameters. Each input runs in a transaction
// rolled back after it, over the rows of fuzzFixture; apitest.Fuzzer
// checks each answer (no 5xx, a well-formed problem or success, conforming
// to the document). Seeds run with go test; `make fuzz` fuzzes.

import (
	"context"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crudgen/crudgen/examples/blog/api"
	"github.com/crudgen/crudgen/internal/apitest"
	"github.com/crudgen/crudgen/runtime/pgtest"
)

// fuzzFixture is what every input meets: two authors, three posts (a
// draft, a published post with everything set, an archived one),
// comments answering each other, tags and page views.
const fuzzFixture = `
INSERT INTO authors (email, name, bio, born_on) VALUES ('ada@example.com', 'Ada', 'Hi', '1815-12-10'), ('bob@example.com', 'Bob', NULL, NULL);
INSERT INTO posts (author_id, title, slug, status, rating, keywords, metadata, scheduled_for, published_at) VALUES
  (1, 'Hello', 'hello', 'draft', NULL, '{}', '{}', NULL, NULL),
  (1, 'Go and SQL', 'go-and-sql', 'published', 4.5, '{go,sql}', '{"a": [1, 2], "b": {"c": null}}', '2026-01-02T03:04:05', '2026-01-01T00:00:00Z'),
  (2, 'Élan', 'elan', 'archived', 0, '{"with space"}', '[1, "x"]', NULL, '2025-06-01T12:00:00+02:00');
INSERT INTO comments (post_id, parent_id, author_name, body) VALUES (2, NULL, 'Cy', 'First'), (2, 1, 'Di', 'Second'), (3, NULL, 'Ed', 'Third');
INSERT INTO tags (name) VALUES ('go'), ('sql'), ('with space');
INSERT INTO post_tags (post_id, tag) VALUES (1, 'go'), (2, 'go'), (2, 'sql'), (3, 'with space');
INSERT INTO page_views (post_id, referrer) VALUES (2, 'https://example.com/'), (2, NULL), (3, 'x');
`

// newFuzzer returns a Fuzzer of the blog over the package's database,
// emptied and loaded with fuzzFixture.
func newFuzzer(f *testing.F) *apitest.Fuzzer {
	f.Helper()
	ctx := context.Background()
	dbURL := pgtest.URL(f)
	schemaOnce.Do(func() { schemaErr = loadSchema(ctx, dbURL) })
	require.NoError(f, schemaErr, "load schema.sql")
	pool := apitest.Pool(f, dbURL, func(cfg *pgxpool.Config) {
		cfg.ConnConfig.RuntimeParams["statement_timeout"] = "5s" // a slow input fails, it does not hang
	})
	_, err := pool.Exec(ctx, truncateAll+";"+fuzzFixture)
	require.NoError(f, err)
	return apitest.NewFuzzer(f, pool, "api/openapi.json", func(db *apitest.TxDB, logger *slog.Logger) http.Handler {
		return api.NewRouter(db, api.Options{Logger: logger})
	})
}

// bodyRoutes are the operations that read a body, at keys of the fixture.
var bodyRoutes = []struct {
	method, path string
	merge        bool // Prefer: resolution=merge-duplicates
}{
	{"POST", "/authors", false}, {"PUT", "/authors/1", false}, {"PATCH", "/authors/2", false},
	{"POST", "/posts", false}, {"PUT", "/posts/2", false}, {"PATCH", "/posts/1", false},
	{"POST", "/comments", false}, {"PUT", "/comments/2", false}, {"PATCH", "/comments/1", false},
	{"POST", "/tags", false}, {"PUT", "/tags/go", false}, {"PATCH", "/tags/with%20space", false},
	{"POST", "/post_tags", false}, {"PUT", "/post_tags/2/sql", false}, {"PATCH", "/post_tags/1/go", false},
	{"POST", "/page_views", false},
	{"POST", "/authors", true}, {"POST", "/tags", true}, {"POST", "/post_tags", true}, {"POST", "/posts", true},
}

// routeOf finds the index of a route for seeds.
func routeOf(method, path string, merge bool) uint8 {
	for i, r := range bodyRoutes {
		if r.method == method && r.path == path && r.merge == merge {
			return uint8(i)
		}
	}
	panic("no route " + method + " " + path)
}

func FuzzBodies(f *testing.F) {
	for _, s := range []struct {
		method, path string
		merge        bool
		body         string
	}{
		{"POST", "/authors", false, `{"email": "cy@example.com", "name": "Cy", "bio": null, "born_on": "1990-02-28", "public_id": "00000000-0000-4000-8000-000000000001"}`},
		{"POST", "/authors", false, `[{"email": "a@b", "name": "A"}, {"email": "c@d", "name": "C", "created_at": "2026-01-01T00:00:00+01:00"}]`},
		{"PUT", "/authors/1", false, `{"email": "ada@example.com", "name": "Ada Lovelace", "bio": "Analyst"}`},
		{"PATCH", "/authors/2", false, `{"bio": null, "born_on": "2000-02-29"}`},
		{"POST", "/posts", false, `{"author_id": 1, "title": "New", "slug": "new", "status": "published", "published_at": "2026-01-01T00:00:00Z", "rating": "4.25", "keywords": ["a", "b"], "metadata": {"k": [1, 2.5, null, true]}, "scheduled_for": "2026-01-01T10:00:00.123456"}`},
		{"POST", "/posts", true, `{"author_id": 2, "title": "Upserted", "slug": "upserted"}`},
		{"PUT", "/posts/2", false, `{"author_id": 2, "title": "Replaced", "slug": "replaced", "rating": 5}`},
		{"PATCH", "/posts/1", false, `{"title": "Patched", "rating": null, "keywords": [], "metadata": null}`},
		{"POST", "/comments", false, `{"post_id": 2, "parent_id": 1, "author_name": "Fay", "body": "Reply"}`},
		{"PUT", "/comments/2", false, `{"post_id": 3, "author_name": "Gus", "body": "Moved"}`},
		{"PATCH", "/comments/1", false, `{"parent_id": 3}`},
		{"POST", "/tags", false, `{"name": "http"}`},
		{"POST", "/tags", false, `{"name": ".."}`},
		{"POST", "/tags", true, `[{"name": "go"}, {"name": "rust"}]`},
		{"PUT", "/tags/go", false, `{}`},
		{"PATCH", "/tags/with%20space", false, `{"name": "with space"}`},
		{"POST", "/post_tags", false, `{"post_id": 3, "tag": "go"}`},
		{"POST", "/post_tags", true, `[{"post_id": 1, "tag": "go"}, {"post_id": 1, "tag": "sql"}]`},
		{"PUT", "/post_tags/2/sql", false, `{"post_id": 2, "tag": "sql"}`},
		{"POST", "/page_views", false, `{"post_id": 3, "viewed_at": "2026-01-01T00:00:00.5Z", "referrer": null}`},
		// Edge cases.
		{"POST", "/posts", false, `{"author_id": 1e0, "title": "", "slug": "-", "rating": "1e-2", "metadata": 1e131071}`},
		{"PATCH", "/posts/1", false, `{"metadata": {"a": "\u0000"}, "title": "\ud83d\ude00", "keywords": ["\u0000"]}`},
		{"PATCH", "/posts/1", false, `{"rating": "NaN", "status": "archived", "published_at": "0000-01-01T00:00:00+00:01"}`},
		{"PATCH", "/posts/1", false, `{"author_id": 9223372036854775807, "rating": 9.995, "scheduled_for": "9999-12-31T23:59:59.9999999"}`},
		{"POST", "/authors", false, `{"email": "a@b\u2003c", "name": "` + strings.Repeat("é", 101) + `", "born_on": "2023-02-29"}`},
		{"POST", "/comments", false, `{"post_id": 2, "author_name": "x", "body": "y", "body": "z", "id": 1, "extra": []}`},
		{"PUT", "/authors/1", false, `{"email": "ada@example.com", "name": "Ada", "email": null}`},
		{"POST", "/tags", false, `[` + strings.Repeat(`{"name": "t"},`, 3) + `{}]`},
		{"POST", "/post_tags", false, `[[], {}, null, 1, "x"]`},
		{"POST", "/page_views", false, nested(600, "")},
		{"PATCH", "/authors/2", false, "{\"bio\": \"\xff\"}"},
		{"POST", "/tags", false, `{"name": "a"} x`},
		{"POST", "/tags", false, ``},
	} {
		f.Add(routeOf(s.method, s.path, s.merge), []byte(s.body))
	}
	z := newFuzzer(f)
	f.Fuzz(func(t *testing.T, route uint8, body []byte) {
		rt := bodyRoutes[int(route)%len(bodyRoutes)]
		z.ServeBody(t, rt.method, rt.path, rt.merge, body)
	})
}

// queryRoutes are the operations that read keys or list parameters; %s
// stands for the fuzzed key, escaped.
var queryRoutes = []struct {
	method, path string
	list         bool
}{
	{"GET", "/authors", true}, {"GET", "/posts", true}, {"GET", "/comments", true}, {"GET", "/tags", true},
	{"GET", "/post_tags", true}, {"GET", "/page_views", true}, {"GET", "/published_posts", true},
	{"GET", "/authors/%s/posts", true}, {"GET", "/posts/%s/comments", true}, {"GET", "/posts/%s/post_tags", true},
	{"GET", "/posts/%s/page_views", true}, {"GET", "/comments/%s/comments", true}, {"GET", "/tags/%s/post_tags", true},
	{"GET", "/authors/%s", false}, {"GET", "/posts/%s", false}, {"GET", "/comments/%s", false}, {"GET", "/tags/%s", false},
	{"GET", "/post_tags/%s/go", false}, {"GET", "/post_tags/2/%s", false},
	{"DELETE", "/authors/%s", false}, {"DELETE", "/tags/%s", false}, {"DELETE", "/post_tags/%s/sql", false},
}

func queryRouteOf(method, path string) uint8 {
	for i, r := range queryRoutes {
		if r.method == method && r.path == path {
			return uint8(i)
		}
	}
	panic("no route " + method + " " + path)
}

func FuzzQueries(f *testing.F) {
	for _, s := range []struct{ method, path, key, query string }{
		{"GET", "/posts", "", "status=published&sort=-published_at,title&include=author,comments&limit=1"},
		{"GET", "/posts", "", "title[like]=%25o%25&rating[gte]=4.5&keywords[contains]=go&metadata[contains]=%7B%22a%22:[1]%7D"},
		{"GET", "/posts", "", "slug[in]=hello&slug[in]=elan&published_at[is]=not_null&count=exact"},
		{"GET", "/posts", "", "sort=rating&limit=1&cursor=" + cursorOf(`{"sort":"rating","after":["4.5",2]}`)},
		{"GET", "/posts", "", "sort=status&cursor=" + cursorOf(`{"sort":"status","after":["nope",1]}`)},
		{"GET", "/posts", "", "scheduled_for[lt]=2026-01-02T03:04:05.5&created_at[gt]=2000-01-01T00:00:00Z&count=estimated"},
		{"GET", "/posts", "", "title[like]=x%5C&title=%00&limit=0&offset=-1&include=x"},
		{"GET", "/authors", "", "born_on[lt]=2000-01-01&email[ilike]=%25EXAMPLE%25&sort=-born_on&include=posts&include_limit=1"},
		{"GET", "/authors", "", "public_id=00000000-0000-4000-8000-000000000001&bio[is]=null&offset=1"},
		{"GET", "/comments", "", "parent_id[is]=null&include=post,comments&sort=-created_at"},
		{"GET", "/tags", "", "name[gte]=s&sort=-name&limit=1&include=post_tags"},
		{"GET", "/post_tags", "", "tag[in]=go&tag[in]=sql&sort=-tag&limit=2"},
		{"GET", "/page_views", "", "limit=1&cursor=" + cursorOf(`{"sort":"","offset":1}`)},
		{"GET", "/page_views", "", "referrer[ilike]=HTTPS%25&viewed_at[lte]=9999-12-31T23:59:59Z"},
		{"GET", "/published_posts", "", "author[like]=A%25&sort=published_at"},
		{"GET", "/authors/%s/posts", "1", "sort=title"},
		{"GET", "/posts/%s/comments", "2", "include=post&limit=1"},
		{"GET", "/tags/%s/post_tags", "with space", ""},
		{"GET", "/authors/%s", "1", ""},
		{"GET", "/posts/%s", "9223372036854775807", ""},
		{"GET", "/posts/%s", "-0", ""},
		{"GET", "/tags/%s", "with space", ""},
		{"GET", "/tags/%s", "go\x00", ""},
		{"GET", "/post_tags/%s/go", "2", ""},
		{"GET", "/post_tags/2/%s", "\xff", ""},
		{"DELETE", "/tags/%s", "sql", ""},
		{"DELETE", "/authors/%s", "2", ""},
		{"GET", "/posts", "", "a;b=c&%zz"},
		{"GET", "/posts", "", "sort=title,title&include=author,author&limit=1&limit=2"},
		{"GET", "/posts", "", "id[in]=1&id[in]=x&rating=NaN&title_length[gt]=2147483648"},
	} {
		f.Add(queryRouteOf(s.method, s.path), s.key, s.query)
	}
	z := newFuzzer(f)
	f.Fuzz(func(t *testing.T, route uint8, key, query string) {
		rt := queryRoutes[int(route)%len(queryRoutes)]
		if key == "" && strings.Contains(rt.path, "%s") {
			// /comments/ is not a row's path: chi serves it as the
			// collection, which the document describes without the slash.
			return
		}
		path := strings.Replace(rt.path, "%s", url.PathEscape(key), 1)
		req := apitest.Request(rt.method, path+"?"+query, nil)
		if req == nil {
			return // no HTTP request carries this target
		}
		r := z.Serve(t, req)
		if _, err := url.ParseQuery(req.URL.RawQuery); err != nil && rt.list && !strings.Contains(rt.path, "%s") {
			assert.Equal(t, http.StatusBadRequest, r.Status, "a query string that does not decode: %q", query)
		}
		if r.Status != http.StatusOK || !rt.list {
			return
		}
		// The next page of a list is there for the asking, with the same
		// parameters.
		page := r.Body.(map[string]any)
		next, ok := page["next_cursor"].(string)
		if !ok {
			return
		}
		values, err := url.ParseQuery(req.URL.RawQuery)
		require.NoError(t, err)
		values.Del("offset")
		values.Set("cursor", next)
		more := z.Then(t, apitest.Request(http.MethodGet, req.URL.EscapedPath()+"?"+values.Encode(), nil))
		assert.Equal(t, http.StatusOK, more.Status, "the next page of %s: %s", req.URL, more.Raw)
	})
}
