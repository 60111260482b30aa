package blog_test

// Relations: the children of a row under its route (/authors/{id}/posts)
// and include= embedding parents and children, compared with the same
// joins in SQL over a few thousand rows, in one statement per request.

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"sync/atomic"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crudgen/crudgen/internal/apitest"
	"github.com/crudgen/crudgen/runtime/pgtest"
)

// seedRelations writes 20 authors (the last without posts), 300 posts and
// 2000 comments, a third of them answers to others.
const seedRelations = `
INSERT INTO authors (email, name) SELECT 'a' || g || '@example.com', 'Author ' || g FROM generate_series(1, 20) g;
INSERT INTO posts (author_id, title, slug, status, published_at)
SELECT 1 + (g * 7) % 19, 'Post ' || g, 'post-' || g,
    CASE WHEN g % 3 = 0 THEN 'draft' ELSE 'published' END::post_status,
    CASE WHEN g % 3 = 0 THEN NULL ELSE '2026-01-01'::timestamptz + g * interval '1 hour' END
FROM generate_series(1, 300) g;
INSERT INTO comments (post_id, author_name, body) SELECT 1 + (g * 13) % 300, 'reader ' || g % 50, 'Comment ' || g FROM generate_series(1, 2000) g;
UPDATE comments SET parent_id = id - 1 WHERE id % 3 = 0;
INSERT INTO tags (name) VALUES ('go'), ('sql'), ('http');
INSERT INTO post_tags (post_id, tag) SELECT g, (ARRAY['go', 'sql', 'http'])[1 + g % 3] FROM generate_series(1, 300, 2) g;
`

// statementCounter counts the statements a pool sends.
type statementCounter struct{ n atomic.Int64 }

func (c *statementCounter) TraceQueryStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceQueryStartData) context.Context {
	c.n.Add(1)
	return ctx
}

func (c *statementCounter) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

func newRelations(t *testing.T) (*blog, *statementCounter) {
	t.Helper()
	b := newBlog(t)
	b.exec(t, seedRelations)
	counter := &statementCounter{}
	pool := apitest.Pool(t, pgtest.URL(t), func(cfg *pgxpool.Config) { cfg.ConnConfig.Tracer = counter })
	return serve(t, pool), counter
}

// pages fetches every page of a list, limit rows at a time, and returns
// the rows.
func (c *client) pages(t *testing.T, path string, limit int) []obj {
	t.Helper()
	var out []obj
	sep := "?"
	if u, _ := url.Parse(path); u.RawQuery != "" {
		sep = "&"
	}
	next := ""
	for {
		u := fmt.Sprintf("%s%slimit=%d", path, sep, limit)
		if next != "" {
			u += "&cursor=" + url.QueryEscape(next)
		}
		var items []any
		items, next = c.Do(t, http.MethodGet, u, nil).Page(t)
		for _, it := range items {
			out = append(out, it.(obj))
		}
		if next == "" {
			return out
		}
	}
}

func (b *blog) column(t *testing.T, sql string, args ...any) []string {
	t.Helper()
	rows, err := b.pool.Query(context.Background(), sql, args...)
	require.NoError(t, err)
	out, err := pgx.CollectRows(rows, pgx.RowTo[string])
	require.NoError(t, err)
	if out == nil {
		out = []string{}
	}
	return out
}

func ids(rows []obj) []string {
	out := []string{}
	for _, r := range rows {
		out = append(out, fmt.Sprint(r["id"]))
	}
	return out
}

func TestNestedRoutes(t *testing.T) {
	b, _ := newRelations(t)
	for author := 1; author <= 20; author++ {
		path := fmt.Sprintf("/authors/%d/posts", author)
		assert.Equal(t, b.column(t, "SELECT p.id::text FROM posts p WHERE author_id = $1 ORDER BY p.id", author), ids(b.pages(t, path, 4)), path)
		assert.Equal(t,
			b.column(t, "SELECT p.id::text FROM posts p WHERE author_id = $1 AND status = 'published' ORDER BY published_at DESC, p.id", author),
			ids(b.pages(t, path+"?status=published&sort=-published_at", 3)), path)
	}
	// Two levels, composite keys and text keys.
	assert.Equal(t, b.column(t, "SELECT c.id::text FROM comments c WHERE post_id = 7 ORDER BY c.id"), ids(b.pages(t, "/posts/7/comments", 2)))
	assert.Equal(t, b.column(t, "SELECT c.id::text FROM comments c WHERE parent_id = 9 ORDER BY c.id"), ids(b.pages(t, "/comments/9/comments", 2)))
	var tagged []string
	for _, r := range b.pages(t, "/tags/sql/post_tags", 10) {
		tagged = append(tagged, fmt.Sprint(r["post_id"]))
	}
	assert.Equal(t, b.column(t, "SELECT pt.post_id::text FROM post_tags pt WHERE tag = 'sql' ORDER BY pt.post_id"), tagged)

	// An existing parent without children is an empty list; a missing
	// parent is a 404, with filters or without; a bad key is a 422.
	items, next := b.Do(t, http.MethodGet, "/authors/20/posts", nil).Page(t)
	assert.Empty(t, items)
	assert.Empty(t, next)
	items, _ = b.Do(t, http.MethodGet, "/authors/1/posts?status=archived", nil).Page(t)
	assert.Empty(t, items)
	for _, path := range []string{"/authors/999/posts", "/authors/999/posts?status=draft", "/tags/rust/post_tags"} {
		p := b.Send(t, http.MethodGet, path, nil).Problem(t, http.StatusNotFound)
		assert.Contains(t, p.Detail, "No row of public.")
	}
	b.Send(t, http.MethodGet, "/authors/x/posts", nil).ErrorsOf(t, http.StatusUnprocessableEntity, apitest.At("type", "path", "id"))
	b.Send(t, http.MethodGet, "/authors/1/posts?author_id[gt]=x", nil).ErrorsOf(t, http.StatusUnprocessableEntity, apitest.At("type", "query", "author_id[gt]"))
	b.Send(t, http.MethodPost, "/authors/1/posts", obj{}).Problem(t, http.StatusMethodNotAllowed)
}

func TestInclude(t *testing.T) {
	b, counter := newRelations(t)

	// Many-to-one: each post embeds its author, exactly as GET /authors/{id} shows it.
	authors := map[string]obj{}
	for _, a := range b.pages(t, "/authors", 100) {
		authors[fmt.Sprint(a["id"])] = a
	}
	before := counter.n.Load()
	posts := b.pages(t, "/posts?include=author,comments&include_limit=3&sort=-id", 1000)
	assert.Equal(t, int64(1), counter.n.Load()-before, "one statement for a page with both relations")
	require.Len(t, posts, 300)
	joined := b.column(t, `SELECT p.id || ':' || a.id || ':' || a.email FROM posts p JOIN authors a ON a.id = p.author_id ORDER BY p.id DESC`)
	for i, p := range posts {
		author := p["author"].(obj)
		assert.Equal(t, authors[fmt.Sprint(p["author_id"])], author)
		assert.Equal(t, joined[i], fmt.Sprintf("%v:%v:%v", p["id"], author["id"], author["email"]))
		// One-to-many: the first include_limit comments by key.
		want := b.column(t, "SELECT c.id::text FROM comments c WHERE post_id = $1 ORDER BY c.id LIMIT 3", p["id"])
		var got []string
		for _, c := range p["comments"].([]any) {
			got = append(got, fmt.Sprint(c.(obj)["id"]))
		}
		if got == nil {
			got = []string{}
		}
		assert.Equal(t, want, got, "post %v", p["id"])
	}

	// The default bound is 10, and a row with no children embeds [].
	b.exec(t, "INSERT INTO posts (author_id, title, slug) VALUES (20, 'Quiet', 'quiet')")
	for _, p := range b.pages(t, "/authors/20/posts?include=comments,post_tags,author", 5) {
		assert.Equal(t, []any{}, p["comments"])
		assert.Equal(t, []any{}, p["post_tags"])
		assert.Equal(t, json.Number("20"), p["author"].(obj)["id"])
	}
	b.exec(t, "INSERT INTO comments (post_id, author_name, body) SELECT 5, 'r', 'c' FROM generate_series(1, 15)")
	items, _ := b.Do(t, http.MethodGet, "/posts?include=comments&id=5", nil).Page(t)
	assert.Len(t, items[0].(obj)["comments"], 10)
	assert.Equal(t, b.column(t, "SELECT c.id::text FROM comments c WHERE post_id = 5 ORDER BY c.id LIMIT 10"), ids(anyObjs(items[0].(obj)["comments"])))

	// Embedded rows read as GET reads them, arrays of every shape included.
	b.exec(t, "UPDATE posts SET keywords = '[0:2]={a,NULL,\"\"}' WHERE author_id = 20")
	embedded := 0
	for _, a := range b.pages(t, "/authors?id=20&include=posts", 5) {
		for _, p := range anyObjs(a["posts"]) {
			embedded++
			assert.Equal(t, []any{"a", nil, ""}, p["keywords"])
			assert.Equal(t, []any{obj{"lower": json.Number("0"), "length": json.Number("3")}}, p["keywords@dims"])
			assert.Equal(t, p, b.Do(t, http.MethodGet, fmt.Sprint("/posts/", p["id"]), nil).Object(t, http.StatusOK))
		}
	}
	assert.NotZero(t, embedded)

	// A self reference: a comment's parent, null for the first of a thread,
	// and its answers.
	for _, c := range b.pages(t, "/posts/7/comments?include=parent,comments", 50) {
		if c["parent_id"] == nil {
			assert.Nil(t, c["parent"])
		} else {
			assert.Equal(t, c["parent_id"], c["parent"].(obj)["id"])
		}
		want := b.column(t, "SELECT c.id::text FROM comments c WHERE parent_id = $1 ORDER BY c.id LIMIT 10", c["id"])
		assert.Len(t, c["comments"], len(want))
	}

	for _, tc := range []struct{ query, loc, code string }{
		{"include=nope", "include", "enum"},
		{"include=author,author", "include", "type"},
		{"include=author%2Cnope", "include", "enum"},
		{"include=", "include", "enum"},
		{"include_limit=0", "include_limit", "minimum"},
	} {
		b.Send(t, http.MethodGet, "/posts?"+tc.query, nil).ErrorsOf(t, http.StatusUnprocessableEntity, apitest.At(tc.code, "query", tc.loc))
	}
}

func anyObjs(v any) []obj {
	var out []obj
	for _, it := range v.([]any) {
		out = append(out, it.(obj))
	}
	return out
}

// TestKeylessPaging: page_views has no key, so its cursors carry offsets;
// paging still returns every row once, duplicates included.
func TestKeylessPaging(t *testing.T) {
	b, _ := newRelations(t)
	b.exec(t, `INSERT INTO page_views (post_id, viewed_at, referrer)
		SELECT 1 + g % 5, '2026-03-01'::timestamptz + (g % 40) * interval '1 minute', CASE WHEN g % 3 = 0 THEN NULL ELSE 'r' || g % 4 END
		FROM generate_series(1, 250) g`)
	key := func(r obj) string { return fmt.Sprint(r["post_id"], "|", r["viewed_at"], "|", r["referrer"]) }
	want := b.column(t, `SELECT post_id || '|' || to_char(viewed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') || '|' || coalesce(referrer, '<nil>')
		FROM page_views ORDER BY viewed_at DESC, post_id, referrer`)
	for _, query := range []string{"/page_views", "/page_views?sort=-viewed_at", "/posts/2/page_views?sort=referrer"} {
		rows := b.pages(t, query, 40)
		var got []string
		for _, r := range rows {
			got = append(got, key(r))
		}
		if query == "/posts/2/page_views?sort=referrer" {
			assert.Len(t, got, 50)
			continue
		}
		assert.ElementsMatch(t, want, got, query)
	}
}
