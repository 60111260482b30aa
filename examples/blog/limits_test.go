package blog_test

// Bad input at the limits of what the API reads: bodies over the size
// limit, deep nesting, huge arrays, long strings, numbers beyond their
// columns, invalid UTF-8 and NUL characters, in bodies, query strings and
// paths. Each is a 4xx problem: a 400 that says where the body stops
// being JSON, a 413, or a 422 naming the field or parameter; and nothing
// of it reaches the tables.

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crudgen/crudgen/examples/blog/api"
	"github.com/crudgen/crudgen/internal/apitest"
)

// blogTables are the tables snapshot reads.
var blogTables = []string{"authors", "posts", "comments", "tags", "post_tags", "page_views"}

// snapshot returns every table's row count and a digest of its rows, read
// behind the API's back.
func (b *blog) snapshot(t *testing.T) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, table := range blogTables {
		var n int
		var digest string
		require.NoError(t, b.pool.QueryRow(context.Background(),
			`SELECT count(*), coalesce(md5(string_agg(t::text, E'\n' ORDER BY t::text)), '') FROM `+table+` t`).Scan(&n, &digest))
		out[table] = fmt.Sprintf("%d rows, %s", n, digest)
	}
	return out
}

// limitsFixture is the rows the limits tests try to change: author 1,
// post 1 (a draft), comment 1, tag go and its post_tag, a page view.
func limitsFixture(t *testing.T, b *blog) {
	t.Helper()
	b.exec(t, `
INSERT INTO authors (email, name, bio, born_on) VALUES ('ada@example.com', 'Ada', 'Hi', '1815-12-10');
INSERT INTO posts (author_id, title, slug, keywords, metadata, rating) VALUES (1, 'Hello', 'hello', '{go,sql}', '{"a": [1, 2]}', 4.5);
INSERT INTO comments (post_id, author_name, body) VALUES (1, 'Bob', 'Hi');
INSERT INTO tags (name) VALUES ('go');
INSERT INTO post_tags (post_id, tag) VALUES (1, 'go');
INSERT INTO page_views (post_id, referrer) VALUES (1, 'https://example.com/');
`)
}

// nested returns JSON arrays nested n deep around inner.
func nested(n int, inner string) string {
	return strings.Repeat("[", n) + inner + strings.Repeat("]", n)
}

// limitCase is a request the API must refuse with status and exactly the
// field errors want.
type limitCase struct {
	name         string
	method, path string
	body         any
	status       int
	want         []apitest.Located
}

// refuseAll sends every case and checks its problem.
func refuseAll(t *testing.T, c *client, cases []limitCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c.Send(t, tc.method, tc.path, tc.body).ErrorsOf(t, tc.status, tc.want...)
		})
	}
}

func TestLimitsOfBodies(t *testing.T) {
	b := newBlog(t)
	limitsFixture(t, b)
	before := b.snapshot(t)

	post := func(field, value string) string {
		return `{"author_id": 1, "title": "T", "slug": "t", ` + fmt.Sprintf("%q", field) + `: ` + value + `}`
	}
	at := func(code string, loc ...any) []apitest.Located { return []apitest.Located{apitest.At(code, loc...)} }
	var tooManyTags, manyEmpty, manyNumbers strings.Builder
	tooManyTags.WriteString("[")
	for i := range 1001 {
		if i > 0 {
			tooManyTags.WriteString(",")
		}
		fmt.Fprintf(&tooManyTags, `{"name": "t%d"}`, i)
	}
	tooManyTags.WriteString("]")
	manyEmpty.WriteString("[{}" + strings.Repeat(",{}", 300000) + "]")
	manyNumbers.WriteString("[1" + strings.Repeat(",1", 500000) + "]")
	require.Less(t, manyNumbers.Len(), 1<<20)

	refuseAll(t, b.client, []limitCase{
		// Size: the default limit of 1 MiB.
		{"bio over the body limit", "POST", "/authors", `{"email": "x@example.com", "name": "X", "bio": "` + strings.Repeat("a", 1<<20) + `"}`, 413, nil},
		{"array over the body limit", "POST", "/tags", "[" + strings.Repeat(`{"name": "x"},`, 1<<17) + `{"name": "x"}]`, 413, nil},
		{"patch over the body limit", "PATCH", "/posts/1", `{"body": "` + strings.Repeat("é", 1<<19) + `"}`, 413, nil},

		// Nesting: at most 512 deep, the body's own object included.
		{"jsonb nested 600 deep", "POST", "/posts", post("metadata", nested(600, "1")), 400, nil},
		{"jsonb nested 512 deep in a body", "PATCH", "/posts/1", `{"metadata": ` + nested(512, "") + `}`, 400, nil},
		{"body nested 100000 deep", "POST", "/tags", nested(100000, ""), 400, nil},
		{"objects nested 10000 deep", "PATCH", "/authors/1", strings.Repeat(`{"a":`, 10000) + "1" + strings.Repeat("}", 10000), 400, nil},
		{"deep array for a string", "POST", "/posts", post("title", nested(300, `"x"`)), 422, at("type", "body", "title")},
		{"deep array in text[]", "POST", "/posts", post("keywords", nested(300, `"x"`)), 422, at("format", "body", "keywords", 0, 0, 0, 0, 0, 0)},

		// Arrays: a bulk create holds at most 1000 rows; every element
		// past the first 100 errors is not reported.
		{"1001 rows", "POST", "/tags", tooManyTags.String(), 422, at("maximum", "body", 1000)},
		{"300001 empty rows", "POST", "/tags", manyEmpty.String(), 422, hundred(func(i int) apitest.Located { return apitest.At("required", "body", i, "name") })},
		{"500001 numbers", "POST", "/page_views", manyNumbers.String(), 422, hundred(func(i int) apitest.Located { return apitest.At("type", "body", i) })},
		{"1000 rows of names too long", "POST", "/tags", "[" + strings.Repeat(`{"name": "`+strings.Repeat("x", 51)+`"},`, 999) + `{"name": ""}]`, 422, hundred(func(i int) apitest.Located { return apitest.At("max_length", "body", i, "name") })},
		{"an array to PUT", "PUT", "/tags/go", tooManyTags.String(), 422, at("type", "body")},
		{"an array of arrays", "POST", "/post_tags", `[[{"post_id": 1, "tag": "go"}]]`, 422, at("type", "body", 0)},

		// Long strings: lengths count characters, as PostgreSQL does.
		{"varchar(200) title of 100000", "PATCH", "/posts/1", `{"title": "` + strings.Repeat("x", 100000) + `"}`, 422, at("max_length", "body", "title")},
		{"varchar(200) slug of 201 é", "PATCH", "/posts/1", `{"slug": "` + strings.Repeat("é", 201) + `"}`, 422, []apitest.Located{apitest.At("max_length", "body", "slug"), apitest.At("pattern", "body", "slug")}},
		{"varchar(50) tag of 51 emoji", "POST", "/post_tags", `{"post_id": 1, "tag": "` + strings.Repeat("🐘", 51) + `"}`, 422, at("max_length", "body", "tag")},
		{"varchar(255) domain of 300", "PUT", "/authors/1", `{"email": "` + strings.Repeat("a", 300) + `@x", "name": "A"}`, 422, at("max_length", "body", "email")},
		{"CHECK length(body) <= 5000 by 500000", "PATCH", "/comments/1", `{"body": "` + strings.Repeat("x", 500000) + `"}`, 422, at("max_length", "body", "body")},
		{"text name of 101 in a bulk", "POST", "/authors", `[{"email": "a@b", "name": "A"}, {"email": "c@d", "name": "` + strings.Repeat("n", 101) + `"}]`, 422, at("max_length", "body", 1, "name")},

		// bigint: exact integers only, within range, whatever the form.
		{"bigint 2^63", "POST", "/posts", `{"author_id": 9223372036854775808, "title": "T", "slug": "t"}`, 422, at("maximum", "body", "author_id")},
		{"bigint -2^63-1", "PUT", "/posts/1", `{"author_id": -9223372036854775809, "title": "T", "slug": "t"}`, 422, at("minimum", "body", "author_id")},
		{"bigint 1e19", "PATCH", "/posts/1", `{"author_id": 1e19}`, 422, at("maximum", "body", "author_id")},
		{"bigint 1e400", "PATCH", "/comments/1", `{"parent_id": 1e400}`, 422, at("maximum", "body", "parent_id")},
		{"bigint -1e400", "POST", "/page_views", `{"post_id": -1e400}`, 422, at("minimum", "body", "post_id")},
		{"bigint of 100000 digits", "POST", "/page_views", `{"post_id": 1` + strings.Repeat("0", 100000) + `}`, 422, at("maximum", "body", "post_id")},
		{"bigint 1.5", "POST", "/post_tags", `{"post_id": 1.5, "tag": "go"}`, 422, at("type", "body", "post_id")},
		{"bigint 1e-400", "PATCH", "/posts/1", `{"author_id": 1e-400}`, 422, at("type", "body", "author_id")},
		{"bigint as a string", "PATCH", "/posts/1", `{"author_id": "1"}`, 422, at("type", "body", "author_id")},

		// numeric(3,2): precision and scale, special values.
		{"numeric(3,2) 10", "PATCH", "/posts/1", `{"rating": "10"}`, 422, []apitest.Located{apitest.At("maximum", "body", "rating"), apitest.At("maximum", "body", "rating")}},
		{"numeric(3,2) 9.995 rounds to 10.00", "PATCH", "/posts/1", `{"rating": 9.995}`, 422, []apitest.Located{apitest.At("maximum", "body", "rating"), apitest.At("maximum", "body", "rating")}},
		{"numeric(3,2) -1e5", "PATCH", "/posts/1", `{"rating": -1e5}`, 422, []apitest.Located{apitest.At("minimum", "body", "rating"), apitest.At("minimum", "body", "rating")}},
		{"numeric beyond numeric", "PATCH", "/posts/1", `{"rating": 1e131072}`, 422, at("type", "body", "rating")},
		{"numeric exponent beyond int32", "PATCH", "/posts/1", `{"rating": "1e9999999999"}`, 422, at("type", "body", "rating")},
		{"numeric(3,2) Infinity", "PATCH", "/posts/1", `{"rating": "Infinity"}`, 422, at("maximum", "body", "rating")},
		{"numeric(3,2) -Infinity", "PATCH", "/posts/1", `{"rating": "-Infinity"}`, 422, at("minimum", "body", "rating")},
		{"numeric NaN fails the CHECK", "PATCH", "/posts/1", `{"rating": "NaN"}`, 422, at("check", "body", "rating")},
		{"JSON has no NaN", "PATCH", "/posts/1", `{"rating": NaN}`, 400, nil},
		{"JSON has no Infinity", "PATCH", "/posts/1", `{"rating": Infinity}`, 400, nil},
		{"JSON has no leading +", "PATCH", "/posts/1", `{"rating": +1}`, 400, nil},
		{"JSON has no hexadecimal", "PATCH", "/posts/1", `{"author_id": 0x1}`, 400, nil},

		// jsonb stores numbers as numeric.
		{"jsonb 1e999999", "PATCH", "/posts/1", `{"metadata": {"n": 1e999999}}`, 422, at("format", "body", "metadata")},
		{"jsonb 1e-20000", "POST", "/posts", post("metadata", `[1, [2, 1e-20000]]`), 422, at("format", "body", "metadata")},
		{"jsonb 131073 digits", "PATCH", "/posts/1", `{"metadata": 1` + strings.Repeat("0", 131072) + `}`, 422, at("format", "body", "metadata")},

		// Dates and times: only what RFC 3339 writes back.
		// Dates and times beyond PostgreSQL's range (4714 BC to 294276 AD;
		// dates to 5874897 AD), or written without the sign of an
		// expanded year.
		{"timestamptz before 4714 BC in UTC", "PATCH", "/posts/1", `{"published_at": "-4713-11-24T00:30:00+01:00"}`, 422, at("format", "body", "published_at")},
		{"timestamptz after 294276 in UTC", "PATCH", "/posts/1", `{"created_at": "+294276-12-31T23:00:00-01:00"}`, 422, at("format", "body", "created_at")},
		{"timestamptz rounded past 294276", "POST", "/page_views", `{"post_id": 1, "viewed_at": "+294276-12-31T23:59:59.9999996Z"}`, 422, at("format", "body", "viewed_at")},
		{"timestamp rounded past 294276", "PATCH", "/posts/1", `{"scheduled_for": "+294276-12-31T23:59:59.9999996"}`, 422, at("format", "body", "scheduled_for")},
		{"timestamp of year 294277", "PATCH", "/posts/1", `{"scheduled_for": "+294277-01-01T00:00:00"}`, 422, at("format", "body", "scheduled_for")},
		{"timestamp of year 10000 without sign", "PATCH", "/posts/1", `{"scheduled_for": "10000-01-01T00:00:00"}`, 422, at("format", "body", "scheduled_for")},
		{"date before 4714 BC", "PATCH", "/authors/1", `{"born_on": "-4713-11-23"}`, 422, at("format", "body", "born_on")},
		{"date after 5874897", "PATCH", "/authors/1", `{"born_on": "+5874898-01-01"}`, 422, at("format", "body", "born_on")},
		{"date of year 10000 without sign", "PATCH", "/authors/1", `{"born_on": "10000-01-01"}`, 422, at("format", "body", "born_on")},

		// Invalid UTF-8 and NUL: PostgreSQL's text holds neither.
		{"invalid UTF-8 in a string", "PATCH", "/authors/1", "{\"bio\": \"a\xffb\"}", 400, nil},
		{"invalid UTF-8 in a key", "PATCH", "/authors/1", "{\"bio\xff\": \"a\"}", 400, nil},
		{"an encoded surrogate", "PATCH", "/authors/1", "{\"bio\": \"\xed\xa0\x80\"}", 400, nil},
		{"an overlong encoding", "PATCH", "/authors/1", "{\"bio\": \"\xc0\xaf\"}", 400, nil},
		{"a lone surrogate escape", "PATCH", "/authors/1", `{"bio": "\ud800"}`, 400, nil},
		{"a NUL byte in a string", "PATCH", "/authors/1", "{\"bio\": \"a\x00b\"}", 400, nil},
		{"a NUL byte outside strings", "PATCH", "/authors/1", "{\"bio\": \"a\"}\x00", 400, nil},
		{"a byte order mark", "PATCH", "/authors/1", "\xef\xbb\xbf{\"bio\": \"a\"}", 400, nil},
		{"\\u0000 in text", "PATCH", "/authors/1", `{"bio": "a\u0000b"}`, 422, at("format", "body", "bio")},
		{"\\u0000 in a domain", "POST", "/authors", `{"email": "a\u0000@b", "name": "A"}`, 422, at("format", "body", "email")},
		{"\\u0000 in an enum", "PATCH", "/posts/1", `{"status": "draft\u0000"}`, 422, at("format", "body", "status")},
		{"\\u0000 in a key of the path's row", "PUT", "/tags/go", `{"name": "go\u0000"}`, 422, at("format", "body", "name")},
		{"\\u0000 in text[]", "PATCH", "/posts/1", `{"keywords": ["go", "\u0000"]}`, 422, at("format", "body", "keywords", 1)},
		{"\\u0000 in a jsonb value", "PATCH", "/posts/1", `{"metadata": {"a": ["\u0000"]}}`, 422, at("format", "body", "metadata")},
		{"\\u0000 in a jsonb key", "PATCH", "/posts/1", `{"metadata": {"\u0000": 1}}`, 422, at("format", "body", "metadata")},
		{"\\u0000 in a bulk row", "POST", "/tags", `[{"name": "a"}, {"name": "\u0000"}]`, 422, at("format", "body", 1, "name")},
	})

	assert.Equal(t, before, b.snapshot(t), "nothing written")
}

// hundred returns the first 100 locations made by at: the most errors a
// problem lists.
func hundred(at func(i int) apitest.Located) []apitest.Located {
	out := make([]apitest.Located, 100)
	for i := range out {
		out[i] = at(i)
	}
	return out
}

// MaxBodyBytes lowers the limit: one byte over is a 413, at the limit the
// body is read.
func TestLimitsOfBodiesConfigured(t *testing.T) {
	b := newBlog(t)
	limitsFixture(t, b)
	before := b.snapshot(t)
	small := serveWith(t, b, api.Options{MaxBodyBytes: 1024})
	body := func(size int) string {
		const prefix, suffix = `{"name": "`, `"}`
		return prefix + strings.Repeat("x", size-len(prefix)-len(suffix)) + suffix
	}
	p := small.Send(t, http.MethodPost, "/tags", body(1025)).Problem(t, http.StatusRequestEntityTooLarge)
	assert.Equal(t, "request body is larger than 1024 bytes", p.Detail)
	small.Send(t, http.MethodPatch, "/tags/go", body(1025), apitest.UnknownLength()).Problem(t, http.StatusRequestEntityTooLarge)
	small.Send(t, http.MethodPost, "/tags", body(1024)).ErrorsOf(t, http.StatusUnprocessableEntity, apitest.At("max_length", "body", "name"))
	assert.Equal(t, before, b.snapshot(t), "nothing written")
}

// serveWith serves the blog's database with options.
func serveWith(t *testing.T, b *blog, opts api.Options) *client {
	t.Helper()
	opts.Logger = slog.New(slog.NewTextHandler(b.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	srv := httptest.NewServer(api.NewRouter(b.pool, opts))
	t.Cleanup(srv.Close)
	return &client{&apitest.Client{Base: srv.URL, HTTP: srv.Client(), Doc: "api/openapi.json"}}
}

func TestLimitsOfQueries(t *testing.T) {
	b := newBlog(t)
	limitsFixture(t, b)
	before := b.snapshot(t)
	at := func(code string, loc ...any) []apitest.Located { return []apitest.Located{apitest.At(code, loc...)} }
	cursor := func(json string) string { return cursorOf(json) }

	refuseAll(t, b.client, []limitCase{
		// A query string that does not decode.
		{"bad percent-encoding", "GET", "/posts?title=%zz", nil, 400, nil},
		{"a semicolon", "GET", "/posts?title=a;b", nil, 400, nil},

		// NUL and invalid UTF-8, in every kind of parameter.
		{"NUL in a text filter", "GET", "/posts?title=a%00b", nil, 422, at("type", "query", "title")},
		{"invalid UTF-8 in a text filter", "GET", "/posts?slug[gt]=%ff", nil, 422, at("type", "query", "slug[gt]")},
		{"NUL in a like pattern", "GET", "/authors?name[like]=%25%00%25", nil, 422, at("type", "query", "name[like]")},
		{"NUL among in values", "GET", "/posts?slug[in]=a&slug[in]=%00", nil, 422, at("type", "query", "slug[in]")},
		{"NUL in a text[] element", "GET", "/posts?keywords[contains]=go&keywords[contains]=%00", nil, 422, at("type", "query", "keywords[contains]")},
		{"NUL in a domain filter", "GET", "/authors?email=%00", nil, 422, at("type", "query", "email")},
		{"NUL in a view's filter", "GET", "/published_posts?author=%00", nil, 422, at("type", "query", "author")},
		{"NUL in a nested list's filter", "GET", "/authors/1/posts?title=%00", nil, 422, at("type", "query", "title")},
		{"\\u0000 in a jsonb document", "GET", "/posts?metadata[contains]=%7B%22a%22:%22%5Cu0000%22%7D", nil, 422, at("type", "query", "metadata[contains]")},
		{"invalid UTF-8 in a jsonb document", "GET", "/posts?metadata[contains]=%22%ff%22", nil, 422, at("type", "query", "metadata[contains]")},
		{"NUL in an enum filter", "GET", "/posts?status=draft%00", nil, 422, at("type", "query", "status")},
		{"NUL in a number filter", "GET", "/posts?id=1%00", nil, 422, at("type", "query", "id")},
		{"NUL in sort", "GET", "/posts?sort=title%00", nil, 422, at("enum", "query", "sort")},
		{"NUL in include", "GET", "/posts?include=author%00", nil, 422, at("enum", "query", "include")},
		{"NUL in limit", "GET", "/posts?limit=1%00", nil, 422, at("type", "query", "limit")},
		{"NUL in a filter name", "GET", "/posts?title%00=x", nil, 422, at("unknown_field", "query", "title\x00")},
		{"NUL in a cursor", "GET", "/posts?cursor=%00", nil, 422, at("invalid_cursor", "query", "cursor")},
		{"\\u0000 in a cursor's value", "GET", "/posts?sort=title&cursor=" + cursor(`{"sort":"title","after":["a\u0000",1]}`), nil, 422, at("invalid_cursor", "query", "cursor")},
		{"invalid UTF-8 in a cursor's value", "GET", "/posts?sort=title&cursor=" + cursor("{\"sort\":\"title\",\"after\":[\"\xff\",1]}"), nil, 422, at("invalid_cursor", "query", "cursor")},

		// LIKE patterns PostgreSQL refuses once a row reaches their end.
		{"like ending in the escape character", "GET", "/posts?title[like]=Hello%5C", nil, 422, at("format", "query", "title[like]")},
		{"ilike ending in three backslashes", "GET", "/authors?name[ilike]=%25%5C%5C%5C", nil, 422, at("format", "query", "name[ilike]")},

		// Numbers and times beyond their columns.
		{"bigint 2^63", "GET", "/posts?author_id=9223372036854775808", nil, 422, at("type", "query", "author_id")},
		{"bigint in exponent form", "GET", "/posts?id[lt]=1e3", nil, 422, at("type", "query", "id[lt]")},
		{"integer 2^31", "GET", "/posts?title_length[gt]=2147483648", nil, 422, at("type", "query", "title_length[gt]")},
		{"numeric exponent beyond range", "GET", "/posts?rating[gt]=1e9999999999", nil, 422, at("type", "query", "rating[gt]")},
		{"numeric of 131073 digits", "GET", "/posts?rating=1" + strings.Repeat("0", 131072), nil, 422, at("type", "query", "rating")},
		{"jsonb number beyond numeric", "GET", "/posts?metadata[contains]=%5B1e999999%5D", nil, 422, at("type", "query", "metadata[contains]")},
		{"jsonb nested 600 deep", "GET", "/posts?metadata[contains]=" + nested(600, ""), nil, 422, at("type", "query", "metadata[contains]")},
		{"date of year 10000", "GET", "/authors?born_on[lt]=10000-01-01", nil, 422, at("type", "query", "born_on[lt]")},
		{"limit beyond int", "GET", "/posts?limit=99999999999999999999", nil, 422, at("type", "query", "limit")},
		{"offset over 10000", "GET", "/posts?offset=10001", nil, 422, at("maximum", "query", "offset")},
		{"include_limit over 100", "GET", "/posts?include=comments&include_limit=101", nil, 422, at("maximum", "query", "include_limit")},

		// Cursors: only what this API issued, for this order.
		{"cursor with an enum value not of the enum", "GET", "/posts?sort=status&cursor=" + cursor(`{"sort":"status","after":["bogus",1]}`), nil, 422, at("invalid_cursor", "query", "cursor")},
		{"cursor with a bigint beyond range", "GET", "/posts?cursor=" + cursor(`{"sort":"","after":[1e999999]}`), nil, 422, at("invalid_cursor", "query", "cursor")},
		{"cursor with a numeric beyond range", "GET", "/posts?sort=rating&cursor=" + cursor(`{"sort":"rating","after":["1e999999",1]}`), nil, 422, at("invalid_cursor", "query", "cursor")},
		{"cursor with a time after 294276", "GET", "/posts?sort=created_at&cursor=" + cursor(`{"sort":"created_at","after":["+294276-12-31T23:59:59-01:00",1]}`), nil, 422, at("invalid_cursor", "query", "cursor")},
		{"cursor with too many values", "GET", "/posts?cursor=" + cursor(`{"sort":"","after":[1,2]}`), nil, 422, at("invalid_cursor", "query", "cursor")},
		{"cursor with a negative offset", "GET", "/page_views?cursor=" + cursor(`{"sort":"","offset":-1}`), nil, 422, at("invalid_cursor", "query", "cursor")},
		{"cursor nested deep", "GET", "/posts?cursor=" + cursor(`{"sort":"","after":[`+nested(1000, "")+`]}`), nil, 422, at("invalid_cursor", "query", "cursor")},
		{"cursor of 100000 bytes", "GET", "/posts?cursor=" + strings.Repeat("A", 100000), nil, 422, at("invalid_cursor", "query", "cursor")},

		// Path keys.
		{"NUL in a text key", "GET", "/tags/go%00", nil, 422, at("type", "path", "name")},
		{"invalid UTF-8 in a text key", "GET", "/tags/%ff", nil, 422, at("type", "path", "name")},
		{"NUL in a key to delete", "DELETE", "/tags/%00", nil, 422, at("type", "path", "name")},
		{"NUL in a key to replace", "PUT", "/tags/a%00", `{}`, 422, at("type", "path", "name")},
		{"NUL in a key to patch", "PATCH", "/post_tags/1/go%00", `{}`, 422, at("type", "path", "tag")},
		{"NUL in a parent's key", "GET", "/tags/%00/post_tags", nil, 422, at("type", "path", "name")},
		{"bigint key 2^63", "GET", "/posts/9223372036854775808", nil, 422, at("type", "path", "id")},
		{"bigint key with NUL", "DELETE", "/comments/1%00", nil, 422, at("type", "path", "id")},
		{"a key longer than its varchar(50)", "GET", "/tags/" + strings.Repeat("x", 51), nil, 404, nil},
		{"a key of 100000 characters", "DELETE", "/tags/" + strings.Repeat("x", 100000), nil, 404, nil},
	})

	assert.Equal(t, before, b.snapshot(t), "nothing written")
}

// At the limits but within them, values are stored and read back as sent.
func TestWithinLimits(t *testing.T) {
	b := newBlog(t)
	limitsFixture(t, b)
	deep := nested(511, "1") // with the body's object: 512 deep
	row := b.Do(t, http.MethodPatch, "/posts/1", `{"metadata": `+deep+`, "rating": "4.995", "title": "`+strings.Repeat("🐘", 200)+`"}`).Row(t, http.StatusOK)
	assert.Equal(t, deep, strings.ReplaceAll(row["metadata"], " ", ""))
	assert.Equal(t, `"5.00"`, row["rating"], "rounded to the scale, as PostgreSQL rounds")
	big := b.Do(t, http.MethodPatch, "/posts/1", `{"metadata": [1e131071, 1e-16383], "published_at": "0000-01-01T00:00:00Z", "scheduled_for": "9999-12-31T23:59:59.999999", "status": "published"}`).Row(t, http.StatusOK)
	assert.Len(t, big["metadata"], 2+131072+1+2+16383+1)
	assert.Equal(t, `"0000-01-01T00:00:00Z"`, big["published_at"])
	assert.Equal(t, `"9999-12-31T23:59:59.999999"`, big["scheduled_for"])
	b.Do(t, http.MethodGet, "/posts?title[like]=%25%5C%5C&metadata[contains]=%5B1e131071%5D&published_at[lt]=0001-01-01T00:00:00Z", nil).Items(t)
	assert.Len(t, b.Do(t, http.MethodGet, "/posts?metadata[contains]=%5B1e-16383%5D", nil).Items(t), 1)
}
