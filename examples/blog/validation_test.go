package blog_test

// 422: every validation code, located at the right field, whether the API
// or only the database catches it.

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
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
		want         []located
	}{
		// required
		{"authors: required", "POST", "/authors", obj{}, []located{at("required", "body", "email"), at("required", "body", "name")}},
		{"posts: required", "POST", "/posts", obj{"body": "x"}, []located{at("required", "body", "author_id"), at("required", "body", "title"), at("required", "body", "slug")}},
		{"comments: required", "POST", "/comments", obj{}, []located{at("required", "body", "post_id"), at("required", "body", "author_name"), at("required", "body", "body")}},
		{"tags: required", "POST", "/tags", obj{}, []located{at("required", "body", "name")}},
		{"post_tags: required", "POST", "/post_tags", obj{"tag": "go"}, []located{at("required", "body", "post_id")}},
		{"page_views: required", "POST", "/page_views", obj{"referrer": "x"}, []located{at("required", "body", "post_id")}},
		{"put replaces: required", "PUT", "/posts/1", obj{"title": "T"}, []located{at("required", "body", "author_id"), at("required", "body", "slug")}},

		// type
		{"string for a string", "POST", "/authors", author(obj{"email": 1, "name": true}), []located{at("type", "body", "email"), at("type", "body", "name")}},
		{"string for an integer", "POST", "/posts", post(obj{"author_id": "1"}), []located{at("type", "body", "author_id")}},
		{"fraction for an integer", "POST", "/posts", post(obj{"author_id": 1.5}), []located{at("type", "body", "author_id")}},
		{"bigint out of range", "POST", "/posts", `{"author_id": 9223372036854775808, "title": "T", "slug": "t"}`, []located{at("maximum", "body", "author_id")}},
		{"not a decimal", "POST", "/posts", post(obj{"rating": "high"}), []located{at("type", "body", "rating")}},
		{"bool for a decimal", "POST", "/posts", post(obj{"rating": true}), []located{at("type", "body", "rating")}},
		{"not an array", "POST", "/posts", post(obj{"keywords": "go"}), []located{at("type", "body", "keywords")}},
		{"array element", "POST", "/posts", post(obj{"keywords": []any{"go", 2, "sql", nil}}), []located{at("type", "body", "keywords", 1), at("type", "body", "keywords", 3)}},
		{"null for NOT NULL with default on create", "POST", "/posts", post(obj{"status": nil}), []located{at("type", "body", "status")}},
		{"null for NOT NULL on patch", "PATCH", "/authors/1", obj{"name": nil, "email": nil}, []located{at("type", "body", "name"), at("type", "body", "email")}},
		{"null for NOT NULL array on patch", "PATCH", "/posts/1", obj{"keywords": nil, "metadata": nil}, []located{at("type", "body", "keywords"), at("type", "body", "metadata")}},
		{"duplicate field", "POST", "/tags", `{"name": "a", "name": "b"}`, []located{at("type", "body", "name")}},

		// read_only
		{"identity id on create", "POST", "/authors", author(obj{"id": 5}), []located{at("read_only", "body", "id")}},
		{"identity id on put", "PUT", "/posts/1", post(obj{"id": 1}), []located{at("read_only", "body", "id")}},
		{"identity id on patch", "PATCH", "/comments/1", obj{"id": 1}, []located{at("read_only", "body", "id")}},
		{"generated title_length", "POST", "/posts", post(obj{"title_length": 1}), []located{at("read_only", "body", "title_length")}},
		{"generated title_length on patch", "PATCH", "/posts/1", obj{"title_length": nil}, []located{at("read_only", "body", "title_length")}},
		{"tag key differs from the path", "PUT", "/tags/go", obj{"name": "rust"}, []located{at("read_only", "body", "name")}},
		{"tag key differs on patch", "PATCH", "/tags/go", obj{"name": "rust"}, []located{at("read_only", "body", "name")}},
		{"post_tags tag differs from the path", "PUT", "/post_tags/1/go", obj{"post_id": 1, "tag": "rust"}, []located{at("read_only", "body", "tag")}},
		{"post_tags post_id differs from the path", "PUT", "/post_tags/1/go", obj{"post_id": 2}, []located{at("read_only", "body", "post_id")}},
		{"post_tags both differ on patch", "PATCH", "/post_tags/1/go", obj{"post_id": 2, "tag": "rust"}, []located{at("read_only", "body", "post_id"), at("read_only", "body", "tag")}},

		// unknown_field
		{"unknown field", "POST", "/authors", author(obj{"nickname": "A"}), []located{at("unknown_field", "body", "nickname")}},
		{"unknown field on patch", "PATCH", "/posts/1", obj{"Title": "x"}, []located{at("unknown_field", "body", "Title")}},
		{"view column on a table", "POST", "/posts", post(obj{"author": "Ada"}), []located{at("unknown_field", "body", "author")}},
		{"several decode errors at once", "POST", "/posts", obj{"title": 5, "extra": 1, "id": 3}, []located{
			at("required", "body", "author_id"), at("required", "body", "slug"), at("type", "body", "title"),
			at("unknown_field", "body", "extra"), at("read_only", "body", "id"),
		}},

		// max_length, min_length
		{"text name BETWEEN 1 AND 100: empty", "POST", "/authors", author(obj{"name": ""}), []located{at("min_length", "body", "name")}},
		{"text name BETWEEN 1 AND 100: 101", "POST", "/authors", author(obj{"name": strings.Repeat("é", 101)}), []located{at("max_length", "body", "name")}},
		{"min_length on patch", "PATCH", "/authors/1", obj{"name": ""}, []located{at("min_length", "body", "name")}},
		{"varchar(200) title", "POST", "/posts", post(obj{"title": strings.Repeat("x", 201)}), []located{at("max_length", "body", "title")}},
		{"varchar(200) slug", "PATCH", "/posts/1", obj{"slug": strings.Repeat("a", 201)}, []located{at("max_length", "body", "slug")}},
		{"varchar(255) domain email", "POST", "/authors", author(obj{"email": strings.Repeat("a", 250) + "@b.com"}), []located{at("max_length", "body", "email")}},
		{"varchar(50) tag", "POST", "/tags", obj{"name": strings.Repeat("ü", 51)}, []located{at("max_length", "body", "name")}},
		{"varchar(100) author_name", "POST", "/comments", comment(obj{"author_name": strings.Repeat("x", 101)}), []located{at("max_length", "body", "author_name")}},
		{"CHECK length(body) <= 5000", "PUT", "/comments/1", comment(obj{"body": strings.Repeat("x", 5001)}), []located{at("max_length", "body", "body")}},
		{"varchar(50) post_tags tag", "POST", "/post_tags", obj{"post_id": 1, "tag": strings.Repeat("x", 51)}, []located{at("max_length", "body", "tag")}},

		// enum
		{"enum", "POST", "/posts", post(obj{"status": "deleted"}), []located{at("enum", "body", "status")}},
		{"enum is case-sensitive", "PATCH", "/posts/1", obj{"status": "Published"}, []located{at("enum", "body", "status")}},

		// pattern
		{"slug pattern", "POST", "/posts", post(obj{"slug": "Not A Slug"}), []located{at("pattern", "body", "slug")}},
		{"slug pattern on put", "PUT", "/posts/1", post(obj{"slug": "under_score"}), []located{at("pattern", "body", "slug")}},
		{"email domain: no @", "POST", "/authors", author(obj{"email": "ada.example.com"}), []located{at("pattern", "body", "email")}},
		{"email domain: space", "PATCH", "/authors/1", obj{"email": "ada@example com"}, []located{at("pattern", "body", "email")}},
		{"email domain: two @", "POST", "/authors", author(obj{"email": "a@b@c"}), []located{at("pattern", "body", "email")}},

		// minimum, maximum
		{"rating below 0", "POST", "/posts", post(obj{"rating": "-0.01"}), []located{at("minimum", "body", "rating")}},
		{"rating above 5", "POST", "/posts", post(obj{"rating": "5.01"}), []located{at("maximum", "body", "rating")}},
		{"rating above 5 as a number", "PATCH", "/posts/1", `{"rating": 6}`, []located{at("maximum", "body", "rating")}},

		// check: only the database knows drafts_are_unpublished
		{"check on create", "POST", "/posts", post(obj{"status": "draft", "published_at": "2026-01-02T09:00:00Z"}), []located{at("check", "body", "status"), at("check", "body", "published_at")}},
		{"check with the default status", "POST", "/posts", post(obj{"published_at": "2026-01-02T09:00:00Z"}), []located{at("check", "body", "status"), at("check", "body", "published_at")}},
		{"check on patch", "PATCH", "/posts/1", obj{"published_at": "2026-01-02T09:00:00Z"}, []located{at("check", "body", "status"), at("check", "body", "published_at")}},

		// foreign_key
		{"missing author", "POST", "/posts", post(obj{"author_id": 999}), []located{at("foreign_key", "body", "author_id")}},
		{"missing author on patch", "PATCH", "/posts/1", obj{"author_id": 999}, []located{at("foreign_key", "body", "author_id")}},
		{"missing post of a comment", "POST", "/comments", comment(obj{"post_id": 999}), []located{at("foreign_key", "body", "post_id")}},
		{"missing parent comment", "POST", "/comments", comment(obj{"parent_id": 999}), []located{at("foreign_key", "body", "parent_id")}},
		{"missing parent comment on patch", "PATCH", "/comments/1", obj{"parent_id": 999}, []located{at("foreign_key", "body", "parent_id")}},
		{"missing tag", "POST", "/post_tags", obj{"post_id": 1, "tag": "rust"}, []located{at("foreign_key", "body", "tag")}},
		{"missing post of a post_tag", "POST", "/post_tags", obj{"post_id": 999, "tag": "go"}, []located{at("foreign_key", "body", "post_id")}},
		{"missing post of a page_view", "POST", "/page_views", obj{"post_id": 999}, []located{at("foreign_key", "body", "post_id")}},

		// format
		{"date that does not exist", "POST", "/authors", author(obj{"born_on": "2026-02-30"}), []located{at("format", "body", "born_on")}},
		{"date in another format", "PATCH", "/authors/1", obj{"born_on": "17/05/1990"}, []located{at("format", "body", "born_on")}},
		{"uuid", "POST", "/authors", author(obj{"public_id": "not-a-uuid"}), []located{at("format", "body", "public_id")}},
		{"uuid too short", "PATCH", "/authors/1", obj{"public_id": "00000000-0000-4000-8000-00000000001"}, []located{at("format", "body", "public_id")}},
		{"timestamptz without offset", "POST", "/authors", author(obj{"created_at": "2026-01-02T10:00:00"}), []located{at("format", "body", "created_at")}},
		{"timestamptz without offset on patch", "PATCH", "/posts/1", obj{"published_at": "2026-01-02 10:00:00"}, []located{at("format", "body", "published_at")}},
		{"timestamp with Z", "POST", "/posts", post(obj{"scheduled_for": "2026-01-02T10:00:00Z"}), []located{at("format", "body", "scheduled_for")}},
		{"timestamp with offset", "PATCH", "/posts/1", obj{"scheduled_for": "2026-01-02T10:00:00+02:00"}, []located{at("format", "body", "scheduled_for")}},
		{"timestamptz that is not a time", "POST", "/page_views", obj{"post_id": 1, "viewed_at": "yesterday"}, []located{at("format", "body", "viewed_at")}},
		{"NUL in text", "POST", "/tags", `{"name": "a\u0000b"}`, []located{at("format", "body", "name")}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := b.send(t, tc.method, tc.path, tc.body).errorsOf(t, http.StatusUnprocessableEntity, tc.want...)
			assert.Equal(t, "The request is invalid.", p.Detail)
		})
	}

	// None of it was written.
	assert.Len(t, b.do(t, http.MethodGet, "/authors", nil).items(t), 1)
	assert.Len(t, b.do(t, http.MethodGet, "/posts", nil).items(t), 1)
	assert.Len(t, b.do(t, http.MethodGet, "/comments", nil).items(t), 1)
	assert.Len(t, b.do(t, http.MethodGet, "/tags", nil).items(t), 1)
	assert.Len(t, b.do(t, http.MethodGet, "/post_tags", nil).items(t), 1)
	assert.Equal(t, `{"items":[]}`, string(b.do(t, http.MethodGet, "/page_views", nil).Raw))
	unchanged := b.do(t, http.MethodGet, "/posts/1", nil).object(t, http.StatusOK)
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
		want         located
	}{
		{"GET", "/posts/abc", at("type", "path", "id")},
		{"PUT", "/posts/abc", at("type", "path", "id")},
		{"PATCH", "/posts/1.5", at("type", "path", "id")},
		{"DELETE", "/posts/abc", at("type", "path", "id")},
		{"GET", "/authors/99999999999999999999", at("type", "path", "id")},
		{"GET", "/comments/-", at("type", "path", "id")},
		{"GET", "/post_tags/x/go", at("type", "path", "post_id")},
		{"DELETE", "/post_tags/x/go", at("type", "path", "post_id")},
	} {
		t.Run(tc.method+" "+tc.path, func(t *testing.T) {
			var body any
			if tc.method == "PUT" || tc.method == "PATCH" {
				body = obj{}
			}
			b.send(t, tc.method, tc.path, body).errorsOf(t, http.StatusUnprocessableEntity, tc.want)
		})
	}
	for _, list := range []string{"/authors", "/posts", "/comments", "/tags", "/post_tags", "/page_views", "/published_posts"} {
		for _, tc := range []struct {
			query string
			want  located
		}{
			{"limit=1001", at("maximum", "query", "limit")},
			{"limit=0", at("minimum", "query", "limit")},
			{"limit=-1", at("minimum", "query", "limit")},
			{"limit=ten", at("type", "query", "limit")},
			{"limit=1.5", at("type", "query", "limit")},
		} {
			t.Run(list+"?"+tc.query, func(t *testing.T) {
				b.send(t, http.MethodGet, list+"?"+tc.query, nil).errorsOf(t, http.StatusUnprocessableEntity, tc.want)
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
	b.send(t, http.MethodPost, "/authors", obj{"email": "bob@example\u2003com", "name": "Bob"}).
		errorsOf(t, http.StatusUnprocessableEntity, at("check", "body", "email"))
	b.send(t, http.MethodPatch, "/authors/"+idOf(t, a), obj{"email": "ada@example\u2003com"}).
		errorsOf(t, http.StatusUnprocessableEntity, at("check", "body", "email"))
	assert.Len(t, b.do(t, http.MethodGet, "/authors", nil).items(t), 1)
}
