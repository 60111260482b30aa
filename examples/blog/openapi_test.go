package blog_test

import (
	"context"
	"net/http"
	"os"
	"regexp"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crudgen/crudgen/internal/apitest"
)

func TestOpenAPIDocumentIsValid(t *testing.T) {
	doc, _ := apitest.Document(t, "api/openapi.json")
	require.NoError(t, doc.Validate(context.Background()))
	assert.Equal(t, "3.0.3", doc.OpenAPI)
	assert.Equal(t, "Blog API", doc.Info.Title)
}

func TestOpenAPIDocumentIsServed(t *testing.T) {
	b := newBlog(t)
	want, err := os.ReadFile("api/openapi.json")
	require.NoError(t, err)

	r := b.Send(t, http.MethodGet, "/openapi.json", nil)
	require.Equal(t, http.StatusOK, r.Status)
	assert.Equal(t, "application/json", r.Header.Get("Content-Type"))
	assert.Equal(t, string(want), string(r.Raw))
}

// Every route the router serves is an operation of the document, and the
// other way round.
func TestOpenAPIDocumentDescribesEveryRoute(t *testing.T) {
	doc, _ := apitest.Document(t, "api/openapi.json")
	want := map[string][]string{
		"/authors":                   {"GET", "POST"},
		"/authors/{id}":              {"DELETE", "GET", "PATCH", "PUT"},
		"/posts":                     {"GET", "POST"},
		"/posts/{id}":                {"DELETE", "GET", "PATCH", "PUT"},
		"/comments":                  {"GET", "POST"},
		"/comments/{id}":             {"DELETE", "GET", "PATCH", "PUT"},
		"/tags":                      {"GET", "POST"},
		"/tags/{name}":               {"DELETE", "GET", "PATCH", "PUT"},
		"/post_tags":                 {"GET", "POST"},
		"/post_tags/{post_id}/{tag}": {"DELETE", "GET", "PATCH", "PUT"},
		"/page_views":                {"GET", "POST"},
		"/published_posts":           {"GET"},
		// The children of a row, by the foreign keys to its key.
		"/authors/{id}/posts":     {"GET"},
		"/posts/{id}/comments":    {"GET"},
		"/posts/{id}/post_tags":   {"GET"},
		"/posts/{id}/page_views":  {"GET"},
		"/comments/{id}/comments": {"GET"},
		"/tags/{name}/post_tags":  {"GET"},
	}
	got := map[string][]string{}
	for path, item := range doc.Paths.Map() {
		for method := range item.Operations() {
			got[path] = append(got[path], method)
		}
	}
	for path := range got {
		assert.ElementsMatch(t, want[path], got[path], path)
	}
	assert.Len(t, got, len(want))
}

// Schema patterns are ECMA-262 regular expressions (OpenAPI 3.0.3 §4.7.24.1,
// JSON Schema Validation §6.3.3), which have no POSIX bracket expressions:
// there, [^@[:space:]] is the class [^@[:space] followed by a literal "]".
// kin-openapi compiles patterns with Go's regexp, which knows [:space:],
// so only this test notices.
func TestOpenAPIPatternsAreECMA262(t *testing.T) {
	doc, _ := apitest.Document(t, "api/openapi.json")
	posixClass := regexp.MustCompile(`\[:[a-z]+:\]`)
	var visit func(where string, s *openapi3.SchemaRef)
	seen := map[*openapi3.Schema]bool{}
	visit = func(where string, ref *openapi3.SchemaRef) {
		if ref == nil || ref.Value == nil || seen[ref.Value] {
			return
		}
		s := ref.Value
		seen[s] = true
		if s.Pattern != "" {
			assert.False(t, posixClass.MatchString(s.Pattern),
				"%s: pattern %q uses a POSIX bracket expression, which ECMA-262 does not have", where, s.Pattern)
		}
		for name, p := range s.Properties {
			visit(where+"."+name, p)
		}
		visit(where+"[]", s.Items)
		for _, sub := range append(append(append(s.OneOf, s.AnyOf...), s.AllOf...), s.Not) {
			visit(where, sub)
		}
	}
	for name, s := range doc.Components.Schemas {
		visit(name, s)
	}
	assert.NotEmpty(t, seen)
}
