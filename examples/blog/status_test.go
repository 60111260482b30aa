package blog_test

// The status table of DESIGN.md §3, short of 422 (validation_test.go) and
// 5xx (failure_test.go).

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crudgen/crudgen/internal/apitest"
)

// writeRoutes are the operations that read a JSON body, at paths whose key
// parses (the body is read before the row is looked up).
var writeRoutes = []struct{ method, path string }{
	{http.MethodPost, "/authors"},
	{http.MethodPut, "/authors/1"},
	{http.MethodPatch, "/authors/1"},
	{http.MethodPost, "/posts"},
	{http.MethodPut, "/posts/1"},
	{http.MethodPatch, "/posts/1"},
	{http.MethodPost, "/comments"},
	{http.MethodPut, "/comments/1"},
	{http.MethodPatch, "/comments/1"},
	{http.MethodPost, "/tags"},
	{http.MethodPut, "/tags/go"},
	{http.MethodPatch, "/tags/go"},
	{http.MethodPost, "/post_tags"},
	{http.MethodPut, "/post_tags/1/go"},
	{http.MethodPatch, "/post_tags/1/go"},
	{http.MethodPost, "/page_views"},
}

func TestBadRequest(t *testing.T) {
	b := newBlog(t)
	bodies := []struct {
		name string
		body string
		opts []apitest.Option
	}{
		{"syntax error", `{"name": `, nil},
		{"not JSON", `name=go`, nil},
		{"single quotes", `{'name': 'go'}`, nil},
		{"data after the value", `{"name": "go"} {}`, nil},
		{"trailing comma", `{"name": "go",}`, nil},
		{"invalid UTF-8", "{\"name\": \"\xff\"}", nil},
		{"empty body", ``, nil},
		{"only white space", " \n\t ", nil},
		{"no body at all", ``, []apitest.Option{withoutBody()}},
	}
	for _, route := range writeRoutes {
		for _, tc := range bodies {
			t.Run(route.method+" "+route.path+"/"+tc.name, func(t *testing.T) {
				p := b.Send(t, route.method, route.path, tc.body, tc.opts...).Problem(t, http.StatusBadRequest)
				assert.Empty(t, p.Errors)
			})
		}
	}
}

// withoutBody sends no body even with a Content-Type.
func withoutBody() apitest.Option {
	return func(r *http.Request) {
		r.Body = http.NoBody
		r.ContentLength = 0
		r.Header.Set("Content-Type", "application/json")
	}
}

// A body that is JSON but not an object is a 422 at the body itself. (An
// array posted to a collection is left out: DESIGN.md makes it a bulk
// create.)
func TestBodyNotAnObject(t *testing.T) {
	b := newBlog(t)
	for _, route := range writeRoutes {
		bodies := []string{`"go"`, `42`, `true`, `null`}
		if route.method != http.MethodPost {
			bodies = append(bodies, `[]`, `[{}]`)
		}
		for _, body := range bodies {
			t.Run(route.method+" "+route.path+"/"+body, func(t *testing.T) {
				b.Send(t, route.method, route.path, body).ErrorsOf(t, http.StatusUnprocessableEntity, apitest.At("type", "body"))
			})
		}
	}
}

func TestNotFound(t *testing.T) {
	b := newBlog(t)
	b.create(t, "/tags", obj{"name": "go"})

	t.Run("unknown routes", func(t *testing.T) {
		for _, path := range []string{"/", "/nope", "/author", "/authors/1/nope", "/tags/go/extra", "/post_tags/1", "/post_tags/1/go/x", "/public/authors"} {
			for _, method := range []string{http.MethodGet, http.MethodPost, http.MethodDelete} {
				p := b.Send(t, method, path, nil).Problem(t, http.StatusNotFound)
				assert.Equal(t, "No resource exists at this path.", p.Detail)
				assert.Empty(t, p.Errors)
			}
		}
	})

	t.Run("missing rows", func(t *testing.T) {
		for _, tc := range []struct{ path, table string }{
			{"/authors/1", "authors"},
			{"/posts/1", "posts"},
			{"/comments/1", "comments"},
			{"/tags/rust", "tags"},
			{"/post_tags/1/go", "post_tags"},
		} {
			p := b.Do(t, http.MethodGet, tc.path, nil).Problem(t, http.StatusNotFound)
			assert.Equal(t, "The requested "+tc.table+" row does not exist.", p.Detail)
			assert.Empty(t, p.Errors)
			b.Do(t, http.MethodDelete, tc.path, nil).Problem(t, http.StatusNotFound)
			b.Do(t, http.MethodPatch, tc.path, obj{}).Problem(t, http.StatusNotFound)
		}
		b.Do(t, http.MethodPut, "/authors/1", obj{"email": "a@b", "name": "A"}).Problem(t, http.StatusNotFound)
		b.Do(t, http.MethodPut, "/posts/1", obj{"author_id": 1, "title": "T", "slug": "t"}).Problem(t, http.StatusNotFound)
		b.Do(t, http.MethodPut, "/comments/1", obj{"post_id": 1, "author_name": "A", "body": "B"}).Problem(t, http.StatusNotFound)
		b.Do(t, http.MethodPut, "/tags/rust", obj{}).Problem(t, http.StatusNotFound)
		b.Do(t, http.MethodPut, "/post_tags/1/go", obj{}).Problem(t, http.StatusNotFound)
	})
}

func TestMethodNotAllowed(t *testing.T) {
	b := newBlog(t)
	for _, tc := range []struct {
		method, path, allow string
	}{
		{http.MethodDelete, "/authors", "GET, POST"},
		{http.MethodPut, "/posts", "GET, POST"},
		{http.MethodPatch, "/comments", "GET, POST"},
		{http.MethodDelete, "/tags", "GET, POST"},
		{http.MethodPut, "/post_tags", "GET, POST"},
		{http.MethodDelete, "/page_views", "GET, POST"},
		{http.MethodPost, "/authors/1", "GET, PUT, PATCH, DELETE"},
		{http.MethodPost, "/posts/1", "GET, PUT, PATCH, DELETE"},
		{http.MethodPost, "/comments/1", "GET, PUT, PATCH, DELETE"},
		{http.MethodPost, "/tags/go", "GET, PUT, PATCH, DELETE"},
		{http.MethodPost, "/post_tags/1/go", "GET, PUT, PATCH, DELETE"},
		{http.MethodPost, "/published_posts", "GET"},
		{http.MethodDelete, "/published_posts", "GET"},
	} {
		t.Run(tc.method+" "+tc.path, func(t *testing.T) {
			r := b.Send(t, tc.method, tc.path, nil)
			p := r.Problem(t, http.StatusMethodNotAllowed)
			assert.Equal(t, tc.allow, r.Header.Get("Allow"))
			assert.Equal(t, "The method "+tc.method+" is not allowed for this resource.", p.Detail)
		})
	}
}

func TestConflict(t *testing.T) {
	b := newBlog(t)
	ada := b.create(t, "/authors", obj{"email": "ada@example.com", "name": "Ada", "public_id": "00000000-0000-4000-8000-000000000001"})
	bob := b.author(t, "bob@example.com")
	post := b.post(t, ada, "hello")
	b.post(t, ada, "taken")
	b.create(t, "/tags", obj{"name": "go"})
	b.create(t, "/post_tags", obj{"post_id": post["id"], "tag": "go"})

	conflict := func(t *testing.T, r *apitest.Response, want ...apitest.Located) {
		t.Helper()
		p := r.ErrorsOf(t, http.StatusConflict, want...)
		assert.Equal(t, "The request conflicts with an existing row.", p.Detail)
	}

	t.Run("unique email on create", func(t *testing.T) {
		conflict(t, b.Do(t, http.MethodPost, "/authors", obj{"email": "ada@example.com", "name": "Other"}), apitest.At("unique", "body", "email"))
	})
	t.Run("unique email on put", func(t *testing.T) {
		conflict(t, b.Do(t, http.MethodPut, "/authors/"+idOf(t, bob), obj{"email": "ada@example.com", "name": "Bob"}), apitest.At("unique", "body", "email"))
	})
	t.Run("unique public_id on patch", func(t *testing.T) {
		conflict(t, b.Do(t, http.MethodPatch, "/authors/"+idOf(t, bob), obj{"public_id": ada["public_id"]}), apitest.At("unique", "body", "public_id"))
	})
	t.Run("unique slug on create", func(t *testing.T) {
		conflict(t, b.Do(t, http.MethodPost, "/posts", obj{"author_id": bob["id"], "title": "T", "slug": "hello"}), apitest.At("unique", "body", "slug"))
	})
	t.Run("unique slug on patch", func(t *testing.T) {
		conflict(t, b.Do(t, http.MethodPatch, "/posts/"+idOf(t, post), obj{"slug": "taken"}), apitest.At("unique", "body", "slug"))
	})
	t.Run("primary key of tags", func(t *testing.T) {
		conflict(t, b.Do(t, http.MethodPost, "/tags", obj{"name": "go"}), apitest.At("unique", "body", "name"))
	})
	t.Run("composite primary key of post_tags", func(t *testing.T) {
		r := b.Do(t, http.MethodPost, "/post_tags", obj{"post_id": post["id"], "tag": "go"})
		conflict(t, r, apitest.At("unique", "body", "post_id"), apitest.At("unique", "body", "tag"))
		p := r.Problem(t, http.StatusConflict)
		require.Len(t, p.Errors, 2)
		for _, e := range p.Errors {
			assert.Regexp(t, `^must be unique together with (post_id|tag)$`, e.Message)
		}
	})
	t.Run("delete a referenced tag", func(t *testing.T) {
		p := b.Do(t, http.MethodDelete, "/tags/go", nil).ErrorsOf(t, http.StatusConflict, apitest.At("referenced", "path", "name"))
		assert.Equal(t, "The row is still referenced by rows of post_tags.", p.Detail)
		assert.Equal(t, obj{"name": "go"}, b.Do(t, http.MethodGet, "/tags/go", nil).Object(t, http.StatusOK), "the tag is still there")
	})
	// Nothing was written by the failed requests.
	assert.Len(t, b.Do(t, http.MethodGet, "/authors", nil).Items(t), 2)
	assert.Len(t, b.Do(t, http.MethodGet, "/posts", nil).Items(t), 2)
	assert.Len(t, b.Do(t, http.MethodGet, "/post_tags", nil).Items(t), 1)
}

func TestPayloadTooLarge(t *testing.T) {
	b := newBlog(t)
	const max = 1 << 20
	// A body of exactly max bytes is read (and the name is too long); one
	// more byte is a 413, whether Content-Length tells it or not.
	body := func(size int) string {
		const prefix, suffix = `{"name":"`, `"}`
		return prefix + strings.Repeat("a", size-len(prefix)-len(suffix)) + suffix
	}
	require.Len(t, body(max), max)

	b.Send(t, http.MethodPost, "/tags", body(max)).ErrorsOf(t, http.StatusUnprocessableEntity, apitest.At("max_length", "body", "name"))
	for _, route := range writeRoutes {
		t.Run(route.method+" "+route.path, func(t *testing.T) {
			p := b.Send(t, route.method, route.path, body(max+1)).Problem(t, http.StatusRequestEntityTooLarge)
			assert.Equal(t, "request body is larger than 1048576 bytes", p.Detail)
			b.Send(t, route.method, route.path, body(max+1), apitest.UnknownLength()).Problem(t, http.StatusRequestEntityTooLarge)
		})
	}
	assert.Equal(t, `{"items":[]}`, string(b.Do(t, http.MethodGet, "/tags", nil).Raw))
}

func TestUnsupportedMediaType(t *testing.T) {
	b := newBlog(t)
	for _, route := range writeRoutes {
		for _, ct := range []string{"text/plain", "application/x-www-form-urlencoded", "application/json; charset=latin1", "application/xml"} {
			t.Run(route.method+" "+route.path+"/"+ct, func(t *testing.T) {
				r := b.Send(t, route.method, route.path, `{}`, apitest.WithContentType(ct))
				p := r.Problem(t, http.StatusUnsupportedMediaType)
				assert.Equal(t, `Content-Type "`+ct+`" is not supported; send application/json`, p.Detail)
				if route.method == http.MethodPatch {
					assert.Equal(t, "application/merge-patch+json, application/json", r.Header.Get("Accept-Patch"))
				} else {
					assert.Empty(t, r.Header.Values("Accept-Patch"))
				}
			})
		}
		t.Run(route.method+" "+route.path+"/gzip", func(t *testing.T) {
			r := b.Send(t, route.method, route.path, `{}`, apitest.WithHeader("Content-Encoding", "gzip"))
			r.Problem(t, http.StatusUnsupportedMediaType)
			assert.Equal(t, "identity", r.Header.Get("Accept-Encoding"))
		})
	}
}

// JSON with parameters, merge-patch for PATCH and a missing Content-Type
// are all read as JSON.
func TestAcceptedContentTypes(t *testing.T) {
	b := newBlog(t)
	b.Do(t, http.MethodPost, "/tags", obj{"name": "a"}, apitest.WithContentType("application/json; charset=utf-8")).Object(t, http.StatusCreated)
	b.Do(t, http.MethodPost, "/tags", obj{"name": "b"}, apitest.WithContentType("Application/JSON")).Object(t, http.StatusCreated)
	b.Send(t, http.MethodPost, "/tags", obj{"name": "c"}, apitest.WithContentType("")).Object(t, http.StatusCreated)
	author := b.author(t, "ada@example.com")
	patched := b.Do(t, http.MethodPatch, "/authors/"+idOf(t, author), obj{"bio": "Hi"}, apitest.WithContentType("application/merge-patch+json")).Object(t, http.StatusOK)
	assert.Equal(t, "Hi", patched["bio"])
}

func TestProblemCarriesRequestID(t *testing.T) {
	b := newBlog(t)
	p := b.Send(t, http.MethodGet, "/authors/1", nil, apitest.WithHeader("X-Request-ID", "req-42")).Problem(t, http.StatusNotFound)
	assert.Equal(t, "req-42", p.RequestID)
	p = b.Send(t, http.MethodGet, "/authors/1", nil, apitest.WithHeader("X-Request-ID", "has space")).Problem(t, http.StatusNotFound)
	assert.Empty(t, p.RequestID, "an ID that is not visible ASCII is not echoed")
}
