package blog_test

// Every route of every resource, on the happy path and for a missing row.

import (
	"net/http"
	"regexp"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var uuidPattern = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)

// assertRecent asserts that v is an RFC 3339 time with offset within the
// last minute.
func assertRecent(t *testing.T, v any) {
	t.Helper()
	s, ok := v.(string)
	require.True(t, ok, "not a string: %v", v)
	ts, err := time.Parse(time.RFC3339Nano, s)
	require.NoError(t, err)
	assert.WithinDuration(t, time.Now(), ts, time.Minute)
}

// assertGone asserts that every item route of a deleted row answers 404.
func assertGone(t *testing.T, c *client, path string, put any) {
	t.Helper()
	detail := c.Do(t, http.MethodGet, path, nil).Problem(t, http.StatusNotFound).Detail
	assert.Regexp(t, `^The requested \w+ row does not exist\.$`, detail)
	c.Do(t, http.MethodDelete, path, nil).Problem(t, http.StatusNotFound)
	c.Do(t, http.MethodPut, path, put).Problem(t, http.StatusNotFound)
	c.Do(t, http.MethodPatch, path, obj{}).Problem(t, http.StatusNotFound)
}

// assertDeleted deletes path (204, no body) and asserts the row is gone.
func assertDeleted(t *testing.T, c *client, path string, put any) {
	t.Helper()
	r := c.Do(t, http.MethodDelete, path, nil)
	require.Equal(t, http.StatusNoContent, r.Status, "%s", r.Raw)
	assert.Empty(t, r.Raw)
	assertGone(t, c, path, put)
}

func TestAuthorsCRUD(t *testing.T) {
	b := newBlog(t)

	assert.Equal(t, `{"items":[]}`, string(b.Do(t, http.MethodGet, "/authors", nil).Raw))

	r := b.Do(t, http.MethodPost, "/authors", obj{"email": "ada@example.com", "name": "Ada", "born_on": "1815-12-10"})
	created := r.Object(t, http.StatusCreated)
	assert.Equal(t, "/authors/1", r.Header.Get("Location"))
	assert.Equal(t, num("1"), created["id"])
	assert.Regexp(t, uuidPattern, created["public_id"])
	assert.Equal(t, "ada@example.com", created["email"])
	assert.Equal(t, "Ada", created["name"])
	assert.Equal(t, "", created["bio"], "absent bio gets the column default ''")
	assert.Equal(t, "1815-12-10", created["born_on"])
	assertRecent(t, created["created_at"])
	assert.Len(t, created, 7)

	assert.Equal(t, created, b.Do(t, http.MethodGet, r.Header.Get("Location"), nil).Object(t, http.StatusOK))
	assert.Equal(t, []any{created}, b.Do(t, http.MethodGet, "/authors", nil).Items(t))

	// PUT replaces: omitted nullable born_on becomes NULL, omitted defaulted
	// columns (public_id, created_at) get their defaults again.
	put := obj{"email": "ada@lovelace.org", "name": "Ada Lovelace", "bio": "Analyst"}
	replaced := b.Do(t, http.MethodPut, "/authors/1", put).Object(t, http.StatusOK)
	assert.Equal(t, num("1"), replaced["id"])
	assert.Equal(t, "ada@lovelace.org", replaced["email"])
	assert.Equal(t, "Ada Lovelace", replaced["name"])
	assert.Equal(t, "Analyst", replaced["bio"])
	assert.Nil(t, replaced["born_on"])
	assert.Contains(t, replaced, "born_on")
	assert.Regexp(t, uuidPattern, replaced["public_id"])
	assert.NotEqual(t, created["public_id"], replaced["public_id"], "omitted public_id gets its default, a new UUID")
	assertRecent(t, replaced["created_at"])
	assert.Equal(t, replaced, b.Do(t, http.MethodGet, "/authors/1", nil).Object(t, http.StatusOK))

	patched := b.Do(t, http.MethodPatch, "/authors/1", obj{"name": "Countess"}).Object(t, http.StatusOK)
	want := clone(replaced)
	want["name"] = "Countess"
	assert.Equal(t, want, patched)
	assert.Equal(t, patched, b.Do(t, http.MethodGet, "/authors/1", nil).Object(t, http.StatusOK))

	assertDeleted(t, b.client, "/authors/1", put)
	assert.Equal(t, `{"items":[]}`, string(b.Do(t, http.MethodGet, "/authors", nil).Raw))
}

func TestPostsCRUD(t *testing.T) {
	b := newBlog(t)
	ada := b.author(t, "ada@example.com")
	bob := b.author(t, "bob@example.com")

	assert.Equal(t, `{"items":[]}`, string(b.Do(t, http.MethodGet, "/posts", nil).Raw))

	r := b.Do(t, http.MethodPost, "/posts", obj{
		"author_id":     ada["id"],
		"title":         "Hello",
		"slug":          "hello",
		"body":          "First post.",
		"status":        "published",
		"rating":        "4.50",
		"keywords":      []string{"intro", "meta"},
		"metadata":      obj{"lang": "en", "draft": false},
		"scheduled_for": "2026-01-02T10:00:00",
		"published_at":  "2026-01-02T09:00:00Z",
	})
	created := r.Object(t, http.StatusCreated)
	assert.Equal(t, "/posts/1", r.Header.Get("Location"))
	assert.Equal(t, obj{
		"id":            num("1"),
		"author_id":     ada["id"],
		"title":         "Hello",
		"slug":          "hello",
		"body":          "First post.",
		"status":        "published",
		"rating":        "4.50",
		"keywords":      []any{"intro", "meta"},
		"metadata":      obj{"lang": "en", "draft": false},
		"scheduled_for": "2026-01-02T10:00:00",
		"title_length":  num("5"),
		"published_at":  "2026-01-02T09:00:00Z",
		"created_at":    created["created_at"],
	}, created)
	assertRecent(t, created["created_at"])

	assert.Equal(t, created, b.Do(t, http.MethodGet, r.Header.Get("Location"), nil).Object(t, http.StatusOK))
	assert.Equal(t, []any{created}, b.Do(t, http.MethodGet, "/posts", nil).Items(t))

	// A minimal post gets every default.
	minimal := b.create(t, "/posts", obj{"author_id": bob["id"], "title": "Draft", "slug": "draft"})
	assert.Equal(t, obj{
		"id":            num("2"),
		"author_id":     bob["id"],
		"title":         "Draft",
		"slug":          "draft",
		"body":          "",
		"status":        "draft",
		"rating":        nil,
		"keywords":      []any{},
		"metadata":      obj{},
		"scheduled_for": nil,
		"title_length":  num("5"),
		"published_at":  nil,
		"created_at":    minimal["created_at"],
	}, minimal)

	// PUT replaces the whole row.
	put := obj{"author_id": bob["id"], "title": "Hello again", "slug": "hello-again"}
	replaced := b.Do(t, http.MethodPut, "/posts/1", put).Object(t, http.StatusOK)
	assert.Equal(t, obj{
		"id":            num("1"),
		"author_id":     bob["id"],
		"title":         "Hello again",
		"slug":          "hello-again",
		"body":          "",
		"status":        "draft",
		"rating":        nil,
		"keywords":      []any{},
		"metadata":      obj{},
		"scheduled_for": nil,
		"title_length":  num("11"),
		"published_at":  nil,
		"created_at":    replaced["created_at"],
	}, replaced)

	patched := b.Do(t, http.MethodPatch, "/posts/1", obj{"title": "Hi", "keywords": []string{"x"}}).Object(t, http.StatusOK)
	want := clone(replaced)
	want["title"] = "Hi"
	want["title_length"] = num("2")
	want["keywords"] = []any{"x"}
	assert.Equal(t, want, patched)

	assert.Len(t, b.Do(t, http.MethodGet, "/posts", nil).Items(t), 2)
	assertDeleted(t, b.client, "/posts/1", put)
	assert.Equal(t, []any{minimal}, b.Do(t, http.MethodGet, "/posts", nil).Items(t))
}

func TestCommentsCRUD(t *testing.T) {
	b := newBlog(t)
	post := b.post(t, b.author(t, "ada@example.com"), "hello")

	assert.Equal(t, `{"items":[]}`, string(b.Do(t, http.MethodGet, "/comments", nil).Raw))

	r := b.Do(t, http.MethodPost, "/comments", obj{"post_id": post["id"], "author_name": "Bob", "body": "Nice."})
	first := r.Object(t, http.StatusCreated)
	assert.Equal(t, "/comments/1", r.Header.Get("Location"))
	assert.Equal(t, obj{
		"id":          num("1"),
		"post_id":     post["id"],
		"parent_id":   nil,
		"author_name": "Bob",
		"body":        "Nice.",
		"created_at":  first["created_at"],
	}, first)
	assertRecent(t, first["created_at"])
	assert.Equal(t, first, b.Do(t, http.MethodGet, "/comments/1", nil).Object(t, http.StatusOK))

	reply := b.create(t, "/comments", obj{"post_id": post["id"], "parent_id": first["id"], "author_name": "Ada", "body": "Thanks!", "created_at": "2026-03-01T12:00:00+01:00"})
	assert.Equal(t, first["id"], reply["parent_id"])
	assert.Equal(t, "2026-03-01T11:00:00Z", reply["created_at"], "timestamptz comes back in UTC")
	assert.Equal(t, []any{first, reply}, b.Do(t, http.MethodGet, "/comments", nil).Items(t))

	put := obj{"post_id": post["id"], "author_name": "Bobby", "body": "Very nice."}
	replaced := b.Do(t, http.MethodPut, "/comments/2", put).Object(t, http.StatusOK)
	assert.Equal(t, obj{
		"id":          num("2"),
		"post_id":     post["id"],
		"parent_id":   nil,
		"author_name": "Bobby",
		"body":        "Very nice.",
		"created_at":  replaced["created_at"],
	}, replaced)
	assertRecent(t, replaced["created_at"])

	patched := b.Do(t, http.MethodPatch, "/comments/2", obj{"parent_id": 1}).Object(t, http.StatusOK)
	want := clone(replaced)
	want["parent_id"] = num("1")
	assert.Equal(t, want, patched)

	// Deleting the parent cascades to the reply.
	assertDeleted(t, b.client, "/comments/1", put)
	assertGone(t, b.client, "/comments/2", put)
}

func TestTagsCRUD(t *testing.T) {
	b := newBlog(t)

	assert.Equal(t, `{"items":[]}`, string(b.Do(t, http.MethodGet, "/tags", nil).Raw))

	r := b.Do(t, http.MethodPost, "/tags", obj{"name": "go"})
	assert.Equal(t, obj{"name": "go"}, r.Object(t, http.StatusCreated))
	assert.Equal(t, "/tags/go", r.Header.Get("Location"))
	assert.Equal(t, obj{"name": "go"}, b.Do(t, http.MethodGet, "/tags/go", nil).Object(t, http.StatusOK))
	assert.Equal(t, []any{obj{"name": "go"}}, b.Do(t, http.MethodGet, "/tags", nil).Items(t))

	// PUT and PATCH have nothing to change but the key, which comes from
	// the path: they answer the row.
	assert.Equal(t, obj{"name": "go"}, b.Do(t, http.MethodPut, "/tags/go", obj{}).Object(t, http.StatusOK))
	assert.Equal(t, obj{"name": "go"}, b.Do(t, http.MethodPut, "/tags/go", obj{"name": "go"}).Object(t, http.StatusOK))
	assert.Equal(t, obj{"name": "go"}, b.Do(t, http.MethodPatch, "/tags/go", obj{}).Object(t, http.StatusOK))
	assert.Equal(t, obj{"name": "go"}, b.Do(t, http.MethodPatch, "/tags/go", obj{"name": "go"}).Object(t, http.StatusOK))

	assertDeleted(t, b.client, "/tags/go", obj{})
}

// Keys that need escaping in a path round-trip through Location.
func TestTagKeysAreEscapedInPaths(t *testing.T) {
	b := newBlog(t)
	for _, tc := range []struct{ name, location string }{
		{"c++", "/tags/c++"},
		{"a/b c", "/tags/a%2Fb%20c"},
		{"100%", "/tags/100%25"},
		{"ünïcode", "/tags/%C3%BCn%C3%AFcode"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := b.Do(t, http.MethodPost, "/tags", obj{"name": tc.name})
			assert.Equal(t, obj{"name": tc.name}, r.Object(t, http.StatusCreated))
			assert.Equal(t, tc.location, r.Header.Get("Location"))
			assert.Equal(t, obj{"name": tc.name}, b.Do(t, http.MethodGet, tc.location, nil).Object(t, http.StatusOK))
			assert.Equal(t, obj{"name": tc.name}, b.Do(t, http.MethodPatch, tc.location, obj{"name": tc.name}).Object(t, http.StatusOK))
			require.Equal(t, http.StatusNoContent, b.Do(t, http.MethodDelete, tc.location, nil).Status)
			// The problem's instance is the path as requested: a URI
			// reference, escaped.
			b.Do(t, http.MethodGet, tc.location, nil).Problem(t, http.StatusNotFound)
		})
	}
}

func TestPostTagsCRUD(t *testing.T) {
	b := newBlog(t)
	post := b.post(t, b.author(t, "ada@example.com"), "hello")
	b.create(t, "/tags", obj{"name": "go"})
	b.create(t, "/tags", obj{"name": "sql"})

	assert.Equal(t, `{"items":[]}`, string(b.Do(t, http.MethodGet, "/post_tags", nil).Raw))

	r := b.Do(t, http.MethodPost, "/post_tags", obj{"post_id": post["id"], "tag": "sql"})
	row := obj{"post_id": post["id"], "tag": "sql"}
	assert.Equal(t, row, r.Object(t, http.StatusCreated))
	assert.Equal(t, "/post_tags/1/sql", r.Header.Get("Location"))
	assert.Equal(t, row, b.Do(t, http.MethodGet, "/post_tags/1/sql", nil).Object(t, http.StatusOK))

	other := b.create(t, "/post_tags", obj{"post_id": post["id"], "tag": "go"})
	assert.Equal(t, []any{other, row}, b.Do(t, http.MethodGet, "/post_tags", nil).Items(t), "ordered by the key")

	assert.Equal(t, row, b.Do(t, http.MethodPut, "/post_tags/1/sql", obj{}).Object(t, http.StatusOK))
	assert.Equal(t, row, b.Do(t, http.MethodPut, "/post_tags/1/sql", row).Object(t, http.StatusOK))
	assert.Equal(t, row, b.Do(t, http.MethodPatch, "/post_tags/1/sql", obj{}).Object(t, http.StatusOK))
	assert.Equal(t, row, b.Do(t, http.MethodPatch, "/post_tags/1/sql", obj{"tag": "sql"}).Object(t, http.StatusOK))

	assertDeleted(t, b.client, "/post_tags/1/sql", obj{})
	assertGone(t, b.client, "/post_tags/2/go", obj{})
	assert.Equal(t, []any{other}, b.Do(t, http.MethodGet, "/post_tags", nil).Items(t))
}

// page_views has no key: list and create only.
func TestPageViews(t *testing.T) {
	b := newBlog(t)
	post := b.post(t, b.author(t, "ada@example.com"), "hello")

	assert.Equal(t, `{"items":[]}`, string(b.Do(t, http.MethodGet, "/page_views", nil).Raw))

	r := b.Do(t, http.MethodPost, "/page_views", obj{"post_id": post["id"]})
	first := r.Object(t, http.StatusCreated)
	assert.Empty(t, r.Header.Values("Location"), "a row without a key has no URL")
	assert.Equal(t, obj{"post_id": post["id"], "viewed_at": first["viewed_at"], "referrer": nil}, first)
	assertRecent(t, first["viewed_at"])

	second := b.create(t, "/page_views", obj{"post_id": post["id"], "viewed_at": "2026-01-02T10:00:00.123456Z", "referrer": "https://example.com/"})
	assert.Equal(t, obj{"post_id": post["id"], "viewed_at": "2026-01-02T10:00:00.123456Z", "referrer": "https://example.com/"}, second)

	assert.ElementsMatch(t, []any{first, second}, b.Do(t, http.MethodGet, "/page_views", nil).Items(t))

	// No item routes.
	for _, method := range []string{http.MethodGet, http.MethodPut, http.MethodPatch, http.MethodDelete} {
		b.Send(t, method, "/page_views/1", nil).Problem(t, http.StatusNotFound)
	}
	for _, method := range []string{http.MethodPut, http.MethodPatch, http.MethodDelete} {
		r := b.Send(t, method, "/page_views", nil)
		r.Problem(t, http.StatusMethodNotAllowed)
		assert.Equal(t, "GET, POST", r.Header.Get("Allow"))
	}
}

// The view published_posts is read-only.
func TestPublishedPostsView(t *testing.T) {
	b := newBlog(t)
	ada := b.author(t, "ada@example.com")

	assert.Equal(t, `{"items":[]}`, string(b.Do(t, http.MethodGet, "/published_posts", nil).Raw))

	b.post(t, ada, "draft")
	published := b.create(t, "/posts", obj{"author_id": ada["id"], "title": "Out", "slug": "out", "status": "published", "published_at": "2026-01-02T09:00:00+00:00"})
	assert.Equal(t, []any{obj{
		"id":           published["id"],
		"title":        "Out",
		"slug":         "out",
		"author":       ada["name"],
		"published_at": "2026-01-02T09:00:00Z",
	}}, b.Do(t, http.MethodGet, "/published_posts", nil).Items(t))
	assert.Len(t, b.Do(t, http.MethodGet, "/published_posts?limit=1", nil).Items(t), 1)

	for _, method := range []string{http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete} {
		r := b.Send(t, method, "/published_posts", obj{"title": "x"})
		r.Problem(t, http.StatusMethodNotAllowed)
		assert.Equal(t, "GET", r.Header.Get("Allow"), method)
	}
	b.Send(t, http.MethodGet, "/published_posts/"+idOf(t, published), nil).Problem(t, http.StatusNotFound)
}

func TestListLimit(t *testing.T) {
	b := newBlog(t)
	for _, name := range []string{"a", "b", "c"} {
		b.create(t, "/tags", obj{"name": name})
	}
	items, next := b.Do(t, http.MethodGet, "/tags?limit=2", nil).Page(t)
	assert.Equal(t, []any{obj{"name": "a"}, obj{"name": "b"}}, items)
	require.NotEmpty(t, next, "a full page has a next_cursor")
	items, next = b.Do(t, http.MethodGet, "/tags?limit=2&cursor="+next, nil).Page(t)
	assert.Equal(t, []any{obj{"name": "c"}}, items)
	assert.Empty(t, next, "the last page has none")
	items, next = b.Do(t, http.MethodGet, "/tags?limit=1000", nil).Page(t)
	assert.Len(t, items, 3)
	assert.Empty(t, next)
	assert.Len(t, b.Do(t, http.MethodGet, "/tags", nil).Items(t), 3)
}

func clone(m obj) obj {
	c := make(obj, len(m))
	for k, v := range m {
		c[k] = v
	}
	return c
}
