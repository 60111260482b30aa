package blog_test

// 422: every validation code, located at the right field, whether the API
// or only the database catches it.

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/crudgen/crudgen/internal/apitest"
)

func TestUnprocessable(t *testing.T) {
	b := newBlog(t)
	ada := b.author(t, "ada@example.com") // id 1
	b.post(t, ada, "hello")               // id 1, a draft
	b.create(t, "/tags", obj{"name": "go"})
	b.create(t, "/post_tags", obj{"post_id": 1, "tag": "go"})
	b.create(t, "/comments", obj{"post_id": 1, "author_name": "Bob", "body": "Hi"}) // id 1

	post := func(fields obj) obj {
		p := obj{"author_id": 1, "title": "T", "slug": "t"}
		for k, v := range fields {
			p[k] = v
		}
		return p
	}
	author := func(fields obj) obj {
		a := obj{"email": "new@example.com", "name": "New"}
		for k, v := range fields {
			a[k] = v
		}
		return a
	}
	comment := func(fields obj) obj {
		c := obj{"post_id": 1, "author_name": "Eve", "body": "Hello"}
		for k, v := range fields {
			c[k] = v
		}
		return c
	}

	for _, tc := range []struct {
		name         string
		method, path string
		body         any
		want         []apitest.Located
	}{
		// required
		{"authors: required", "POST", "/authors", obj{}, []apitest.Located{apitest.At("required", "body", "email"), apitest.At("required", "body", "name")}},
		{"posts: required", "POST", "/posts", obj{"body": "x"}, []apitest.Located{apitest.At("required", "body", "author_id"), apitest.At("required", "body", "title"), apitest.At("required", "body", "slug")}},
		{"comments: required", "POST", "/comments", obj{}, []apitest.Located{apitest.At("required", "body", "post_id"), apitest.At("required", "body", "author_name"), apitest.At("required", "body", "body")}},
		{"tags: required", "POST", "/tags", obj{}, []apitest.Located{apitest.At("required", "body", "name")}},
		{"post_tags: required", "POST", "/post_tags", obj{"tag": "go"}, []apitest.Located{apitest.At("required", "body", "post_id")}},
		{"page_views: required", "POST", "/page_views", obj{"referrer": "x"}, []apitest.Located{apitest.At("required", "body", "post_id")}},
		{"put replaces: required", "PUT", "/posts/1", obj{"title": "T"}, []apitest.Located{apitest.At("required", "body", "author_id"), apitest.At("required", "body", "slug")}},

		// type
		{"string for a string", "POST", "/authors", author(obj{"email": 1, "name": true}), []apitest.Located{apitest.At("type", "body", "email"), apitest.At("type", "body", "name")}},
		{"string for an integer", "POST", "/posts", post(obj{"author_id": "1"}), []apitest.Located{apitest.At("type", "body", "author_id")}},
		{"fraction for an integer", "POST", "/posts", post(obj{"author_id": 1.5}), []apitest.Located{apitest.At("type", "body", "author_id")}},
		{"bigint out of range", "POST", "/posts", `{"author_id": 9223372036854775808, "title": "T", "slug": "t"}`, []apitest.Located{apitest.At("maximum", "body", "author_id")}},
		{"not a decimal", "POST", "/posts", post(obj{"rating": "high"}), []apitest.Located{apitest.At("type", "body", "rating")}},
		{"bool for a decimal", "POST", "/posts", post(obj{"rating": true}), []apitest.Located{apitest.At("type", "body", "rating")}},
		{"not an array", "POST", "/posts", post(obj{"keywords": "go"}), []apitest.Located{apitest.At("type", "body", "keywords")}},
		{"array element", "POST", "/posts", post(obj{"keywords": []any{"go", 2, "sql", nil, true}}), []apitest.Located{apitest.At("type", "body", "keywords", 1), apitest.At("type", "body", "keywords", 4)}},
		{"null for NOT NULL with default on create", "POST", "/posts", post(obj{"status": nil}), []apitest.Located{apitest.At("type", "body", "status")}},
		{"null for NOT NULL on patch", "PATCH", "/authors/1", obj{"name": nil, "email": nil}, []apitest.Located{apitest.At("type", "body", "name"), apitest.At("type", "body", "email")}},
		// (null is a value of jsonb, NOT NULL or not: metadata takes it.)
		{"null for NOT NULL array on patch", "PATCH", "/posts/1", obj{"keywords": nil}, []apitest.Located{apitest.At("type", "body", "keywords")}},
		{"duplicate field", "POST", "/tags", `{"name": "a", "name": "b"}`, []apitest.Located{apitest.At("type", "body", "name")}},

		// text keys are path segments of the row's URL
		{"empty text key", "POST", "/tags", obj{"name": ""}, []apitest.Located{apitest.At("min_length", "body", "name")}},
		{"text key ..", "POST", "/tags", obj{"name": ".."}, []apitest.Located{apitest.At("format", "body", "name")}},
		{"text key . in a composite key", "POST", "/post_tags", obj{"post_id": 1, "tag": "."}, []apitest.Located{apitest.At("format", "body", "tag")}},

		// read_only
		{"identity id on create", "POST", "/authors", author(obj{"id": 5}), []apitest.Located{apitest.At("read_only", "body", "id")}},
		{"identity id on put", "PUT", "/posts/1", post(obj{"id": 1}), []apitest.Located{apitest.At("read_only", "body", "id")}},
		{"identity id on patch", "PATCH", "/comments/1", obj{"id": 1}, []apitest.Located{apitest.At("read_only", "body", "id")}},
		{"generated title_length", "POST", "/posts", post(obj{"title_length": 1}), []apitest.Located{apitest.At("read_only", "body", "title_length")}},
		{"generated title_length on patch", "PATCH", "/posts/1", obj{"title_length": nil}, []apitest.Located{apitest.At("read_only", "body", "title_length")}},
		{"tag key differs from the path", "PUT", "/tags/go", obj{"name": "rust"}, []apitest.Located{apitest.At("read_only", "body", "name")}},
		{"tag key differs on patch", "PATCH", "/tags/go", obj{"name": "rust"}, []apitest.Located{apitest.At("read_only", "body", "name")}},
		{"post_tags tag differs from the path", "PUT", "/post_tags/1/go", obj{"post_id": 1, "tag": "rust"}, []apitest.Located{apitest.At("read_only", "body", "tag")}},
		{"post_tags post_id differs from the path", "PUT", "/post_tags/1/go", obj{"post_id": 2}, []apitest.Located{apitest.At("read_only", "body", "post_id")}},
		{"post_tags both differ on patch", "PATCH", "/post_tags/1/go", obj{"post_id": 2, "tag": "rust"}, []apitest.Located{apitest.At("read_only", "body", "post_id"), apitest.At("read_only", "body", "tag")}},

		// unknown_field
		{"unknown field", "POST", "/authors", author(obj{"nickname": "A"}), []apitest.Located{apitest.At("unknown_field", "body", "nickname")}},
		{"unknown field on patch", "PATCH", "/posts/1", obj{"Title": "x"}, []apitest.Located{apitest.At("unknown_field", "body", "Title")}},
		{"view column on a table", "POST", "/posts", post(obj{"author": "Ada"}), []apitest.Located{apitest.At("unknown_field", "body", "author")}},
		{"several decode errors at once", "POST", "/posts", obj{"title": 5, "extra": 1, "id": 3}, []apitest.Located{
			apitest.At("required", "body", "author_id"), apitest.At("required", "body", "slug"), apitest.At("type", "body", "title"),
			apitest.At("unknown_field", "body", "extra"), apitest.At("read_only", "body", "id"),
		}},

		// max_length, min_length
		{"text name BETWEEN 1 AND 100: empty", "POST", "/authors", author(obj{"name": ""}), []apitest.Located{apitest.At("min_length", "body", "name")}},
		{"text name BETWEEN 1 AND 100: 101", "POST", "/authors", author(obj{"name": strings.Repeat("é", 101)}), []apitest.Located{apitest.At("max_length", "body", "name")}},
		{"min_length on patch", "PATCH", "/authors/1", obj{"name": ""}, []apitest.Located{apitest.At("min_length", "body", "name")}},
		{"varchar(200) title", "POST", "/posts", post(obj{"title": strings.Repeat("x", 201)}), []apitest.Located{apitest.At("max_length", "body", "title")}},
		{"varchar(200) slug", "PATCH", "/posts/1", obj{"slug": strings.Repeat("a", 201)}, []apitest.Located{apitest.At("max_length", "body", "slug")}},
		{"varchar(255) domain email", "POST", "/authors", author(obj{"email": strings.Repeat("a", 250) + "@b.com"}), []apitest.Located{apitest.At("max_length", "body", "email")}},
		{"varchar(50) tag", "POST", "/tags", obj{"name": strings.Repeat("ü", 51)}, []apitest.Located{apitest.At("max_length", "body", "name")}},
		{"varchar(100) author_name", "POST", "/comments", comment(obj{"author_name": strings.Repeat("x", 101)}), []apitest.Located{apitest.At("max_length", "body", "author_name")}},
		{"CHECK length(body) <= 5000", "PUT", "/comments/1", comment(obj{"body": strings.Repeat("x", 5001)}), []apitest.Located{apitest.At("max_length", "body", "body")}},
		{"varchar(50) post_tags tag", "POST", "/post_tags", obj{"post_id": 1, "tag": strings.Repeat("x", 51)}, []apitest.Located{apitest.At("max_length", "body", "tag")}},

		// enum
		{"enum", "POST", "/posts", post(obj{"status": "deleted"}), []apitest.Located{apitest.At("enum", "body", "status")}},
		{"enum is case-sensitive", "PATCH", "/posts/1", obj{"status": "Published"}, []apitest.Located{apitest.At("enum", "body", "status")}},

		// pattern
		{"slug pattern", "POST", "/posts", post(obj{"slug": "Not A Slug"}), []apitest.Located{apitest.At("pattern", "body", "slug")}},
		{"slug pattern on put", "PUT", "/posts/1", post(obj{"slug": "under_score"}), []apitest.Located{apitest.At("pattern", "body", "slug")}},
		{"email domain: no @", "POST", "/authors", author(obj{"email": "ada.example.com"}), []apitest.Located{apitest.At("pattern", "body", "email")}},
		{"email domain: space", "PATCH", "/authors/1", obj{"email": "ada@example com"}, []apitest.Located{apitest.At("pattern", "body", "email")}},
		{"email domain: two @", "POST", "/authors", author(obj{"email": "a@b@c"}), []apitest.Located{apitest.At("pattern", "body", "email")}},

		// minimum, maximum
		{"rating below 0", "POST", "/posts", post(obj{"rating": "-0.01"}), []apitest.Located{apitest.At("minimum", "body", "rating")}},
		{"rating above 5", "POST", "/posts", post(obj{"rating": "5.01"}), []apitest.Located{apitest.At("maximum", "body", "rating")}},
		{"rating above 5 as a number", "PATCH", "/posts/1", `{"rating": 6}`, []apitest.Located{apitest.At("maximum", "body", "rating")}},

		// check: only the database knows drafts_are_unpublished
		{"check on create", "POST", "/posts", post(obj{"status": "draft", "published_at": "2026-01-02T09:00:00Z"}), []apitest.Located{apitest.At("check", "body", "status"), apitest.At("check", "body", "published_at")}},
		{"check with the default status", "POST", "/posts", post(obj{"published_at": "2026-01-02T09:00:00Z"}), []apitest.Located{apitest.At("check", "body", "status"), apitest.At("check", "body", "published_at")}},
		{"check on patch", "PATCH", "/posts/1", obj{"published_at": "2026-01-02T09:00:00Z"}, []apitest.Located{apitest.At("check", "body", "status"), apitest.At("check", "body", "published_at")}},

		// foreign_key
		{"missing author", "POST", "/posts", post(obj{"author_id": 999}), []apitest.Located{apitest.At("foreign_key", "body", "author_id")}},
		{"missing author on patch", "PATCH", "/posts/1", obj{"author_id": 999}, []apitest.Located{apitest.At("foreign_key", "body", "author_id")}},
		{"missing post of a comment", "POST", "/comments", comment(obj{"post_id": 999}), []apitest.Located{apitest.At("foreign_key", "body", "post_id")}},
		{"missing parent comment", "POST", "/comments", comment(obj{"parent_id": 999}), []apitest.Located{apitest.At("foreign_key", "body", "parent_id")}},
		{"missing parent comment on patch", "PATCH", "/comments/1", obj{"parent_id": 999}, []apitest.Located{apitest.At("foreign_key", "body", "parent_id")}},
		{"missing tag", "POST", "/post_tags", obj{"post_id": 1, "tag": "rust"}, []apitest.Located{apitest.At("foreign_key", "body", "tag")}},
		{"missing post of a post_tag", "POST", "/post_tags", obj{"post_id": 999, "tag": "go"}, []apitest.Located{apitest.At("foreign_key", "body", "post_id")}},
		{"missing post of a page_view", "POST", "/page_views", obj{"post_id": 999}, []apitest.Located{apitest.At("foreign_key", "body", "post_id")}},

		// format
		{"date that does not exist", "POST", "/authors", author(obj{"born_on": "2026-02-30"}), []apitest.Located{apitest.At("format", "body", "born_on")}},
		{"date in another format", "PATCH", "/authors/1", obj{"born_on": "17/05/1990"}, []apitest.Located{apitest.At("format", "body", "born_on")}},
		{"uuid", "POST", "/authors", author(obj{"public_id": "not-a-uuid"}), []apitest.Located{apitest.At("format", "body", "public_id")}},
		{"uuid too short", "PATCH", "/authors/1", obj{"public_id": "00000000-0000-4000-8000-00000000001"}, []apitest.Located{apitest.At("format", "body", "public_id")}},
		{"timestamptz without offset", "POST", "/authors", author(obj{"created_at": "2026-01-02T10:00:00"}), []apitest.Located{apitest.At("format", "body", "created_at")}},
		{"timestamptz without offset on patch", "PATCH", "/posts/1", obj{"published_at": "2026-01-02 10:00:00"}, []apitest.Located{apitest.At("format", "body", "published_at")}},
		{"timestamp with Z", "POST", "/posts", post(obj{"scheduled_for": "2026-01-02T10:00:00Z"}), []apitest.Located{apitest.At("format", "body", "scheduled_for")}},
		{"timestamp with offset", "PATCH", "/posts/1", obj{"scheduled_for": "2026-01-02T10:00:00+02:00"}, []apitest.Located{apitest.At("format", "body", "scheduled_for")}},
		{"timestamptz that is not a time", "POST", "/page_views", obj{"post_id": 1, "viewed_at": "yesterday"}, []apitest.Located{apitest.At("format", "body", "viewed_at")}},
		{"NUL in text", "POST", "/tags", `{"name": "a\u0000b"}`, []apitest.Located{apitest.At("format", "body", "name")}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := b.Send(t, tc.method, tc.path, tc.body).ErrorsOf(t, http.StatusUnprocessableEntity, tc.want...)
			assert.Equal(t, "The request is invalid.", p.Detail)
		})
	}

	// None of it was written.
	assert.Len(t, b.Do(t, http.MethodGet, "/authors", nil).Items(t), 1)
	assert.Len(t, b.Do(t, http.MethodGet, "/posts", nil).Items(t), 1)
	assert.Len(t, b.Do(t, http.MethodGet, "/comments", nil).Items(t), 1)
	assert.Len(t, b.Do(t, http.MethodGet, "/tags", nil).Items(t), 1)
	assert.Len(t, b.Do(t, http.MethodGet, "/post_tags", nil).Items(t), 1)
	assert.Equal(t, `{"items":[]}`, string(b.Do(t, http.MethodGet, "/page_views", nil).Raw))
	unchanged := b.Do(t, http.MethodGet, "/posts/1", nil).Object(t, http.StatusOK)
	assert.Equal(t, "draft", unchanged["status"])
	assert.Nil(t, unchanged["published_at"])
}

// Lengths count characters, as PostgreSQL does, not bytes.
func TestLengthsCountCharacters(t *testing.T) {
	b := newBlog(t)
	name := strings.Repeat("é", 100)
	a := b.create(t, "/authors", obj{"email": "ada@example.com", "name": name})
	assert.Equal(t, name, a["name"])
	tag := strings.Repeat("ü", 50)
	assert.Equal(t, obj{"name": tag}, b.create(t, "/tags", obj{"name": tag}))
	p := b.create(t, "/posts", obj{"author_id": a["id"], "title": strings.Repeat("ß", 200), "slug": strings.Repeat("a", 200)})
	assert.Equal(t, num("200"), p["title_length"])
}

// Values in the path and the query string that do not parse.
func TestUnprocessablePathAndQuery(t *testing.T) {
	b := newBlog(t)
	for _, tc := range []struct {
		method, path string
		want         apitest.Located
	}{
		{"GET", "/posts/abc", apitest.At("type", "path", "id")},
		{"PUT", "/posts/abc", apitest.At("type", "path", "id")},
		{"PATCH", "/posts/1.5", apitest.At("type", "path", "id")},
		{"DELETE", "/posts/abc", apitest.At("type", "path", "id")},
		{"GET", "/authors/99999999999999999999", apitest.At("type", "path", "id")},
		{"GET", "/comments/-", apitest.At("type", "path", "id")},
		{"GET", "/post_tags/x/go", apitest.At("type", "path", "post_id")},
		{"DELETE", "/post_tags/x/go", apitest.At("type", "path", "post_id")},
	} {
		t.Run(tc.method+" "+tc.path, func(t *testing.T) {
			var body any
			if tc.method == "PUT" || tc.method == "PATCH" {
				body = obj{}
			}
			b.Send(t, tc.method, tc.path, body).ErrorsOf(t, http.StatusUnprocessableEntity, tc.want)
		})
	}
	for _, list := range []string{"/authors", "/posts", "/comments", "/tags", "/post_tags", "/page_views", "/published_posts"} {
		for _, tc := range []struct {
			query string
			want  apitest.Located
		}{
			{"limit=1001", apitest.At("maximum", "query", "limit")},
			{"limit=0", apitest.At("minimum", "query", "limit")},
			{"limit=-1", apitest.At("minimum", "query", "limit")},
			{"limit=ten", apitest.At("type", "query", "limit")},
			{"limit=1.5", apitest.At("type", "query", "limit")},
		} {
			t.Run(list+"?"+tc.query, func(t *testing.T) {
				b.Send(t, http.MethodGet, list+"?"+tc.query, nil).ErrorsOf(t, http.StatusUnprocessableEntity, tc.want)
			})
		}
	}
}

// The email_address domain's CHECK uses [[:space:]], which PostgreSQL
// reads with Unicode classes (U+2003 EM SPACE is a space there) and Go's
// regexp with ASCII ones: the database has the last word, and its
// violation of a domain's CHECK is located at the column of that domain.
func TestDomainCheckOnlyTheDatabaseCatches(t *testing.T) {
	b := newBlog(t)
	a := b.author(t, "ada@example.com")
	b.Send(t, http.MethodPost, "/authors", obj{"email": "bob@example\u2003com", "name": "Bob"}).
		ErrorsOf(t, http.StatusUnprocessableEntity, apitest.At("check", "body", "email"))
	b.Send(t, http.MethodPatch, "/authors/"+idOf(t, a), obj{"email": "ada@example\u2003com"}).
		ErrorsOf(t, http.StatusUnprocessableEntity, apitest.At("check", "body", "email"))
	assert.Len(t, b.Do(t, http.MethodGet, "/authors", nil).Items(t), 1)
}
