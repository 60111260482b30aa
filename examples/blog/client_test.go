package blog_test

// The Go client oapi-codegen makes of api/openapi.json (client/): it is
// what the document makes now, and it works against the API.

import (
	"context"
	"net/http"
	"testing"
	"time"

	openapi_types "github.com/oapi-codegen/runtime/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	blogclient "github.com/crudgen/crudgen/examples/blog/client"
	"github.com/crudgen/crudgen/internal/apitest"
)

// TestClientGenerated regenerates the client from the document and
// requires it to equal the committed client/client.gen.go.
func TestClientGenerated(t *testing.T) {
	apitest.RequireOapiCodegen(t, "client", "api/openapi.json")
}

// TestClientRoundTrip drives the API with the generated client: create one
// row and many, get, list with filters, sort and pages, patch (JSON and
// merge patch), delete, then get a 404. Every exchange is also checked
// against the document.
func TestClientRoundTrip(t *testing.T) {
	b := newBlog(t)
	ctx := context.Background()
	doer := &apitest.Doer{T: t, HTTP: b.HTTP, Doc: "api/openapi.json"}
	c, err := blogclient.NewClientWithResponses(b.Base, blogclient.WithHTTPClient(doer))
	require.NoError(t, err)

	// One row: the body is the oneOf's object. The body goes through
	// CreateAuthorJSONBody, whose MarshalJSON writes the union, and the
	// WithBody method: oapi-codegen v2.8.2 declares CreateAuthorJSONRequestBody
	// as a distinct type without that method, so it would marshal as {}.
	// Dates and times are strings in the client: they may be infinity, or
	// of years RFC 3339 does not write.
	born := "1815-12-10"
	var one blogclient.CreateAuthorJSONBody
	require.NoError(t, one.FromCreateAuthorRequest(blogclient.CreateAuthorRequest{Email: "ada@example.com", Name: "Ada", BornOn: &born}))
	created, err := c.CreateAuthorWithBodyWithResponse(ctx, nil, "application/json", apitest.JSONBody(t, one))
	require.NoError(t, err)
	require.Equal(t, http.StatusCreated, created.StatusCode(), "%s", created.Body)
	require.NotNil(t, created.JSON201)
	ada, err := created.JSON201.AsAuthor()
	require.NoError(t, err)
	assert.Equal(t, "/authors/1", created.HTTPResponse.Header.Get("Location"))
	assert.Equal(t, int64(1), ada.Id)
	assert.Equal(t, "ada@example.com", ada.Email)
	require.NotNil(t, ada.BornOn)
	assert.Equal(t, "1815-12-10", *ada.BornOn)
	require.NotNil(t, ada.Bio)
	assert.Equal(t, "", *ada.Bio, "the column default")
	assert.NotEqual(t, openapi_types.UUID{}, ada.PublicId)
	createdAt, err := time.Parse(time.RFC3339Nano, ada.CreatedAt)
	require.NoError(t, err)
	assert.WithinDuration(t, time.Now(), createdAt, time.Minute)

	gotAuthor, err := c.GetAuthorWithResponse(ctx, ada.Id)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, gotAuthor.StatusCode(), "%s", gotAuthor.Body)
	assert.Equal(t, ada, *gotAuthor.JSON200)

	// Many rows in one request: the body is the oneOf's array, and so is
	// the response.
	published := "2024-05-01T12:00:00Z"
	post := func(slug, title, rating string, keywords ...string) blogclient.CreatePostRequest {
		status := blogclient.Published
		elems := apitest.Ptrs(keywords...) // array elements may be null
		return blogclient.CreatePostRequest{
			AuthorId: ada.Id, Slug: slug, Title: title, Status: &status, Rating: &rating,
			Keywords: &elems, PublishedAt: &published, Metadata: map[string]any{"slug": slug},
		}
	}
	draft := blogclient.CreatePostRequest{AuthorId: ada.Id, Slug: "go-draft", Title: "Drafting in Go"}
	var many blogclient.CreatePostJSONBody
	require.NoError(t, many.FromCreatePostJSONBody1(blogclient.CreatePostJSONBody1{
		post("go-generics", "Generics in Go", "4.50", "go", "types"),
		post("go-iterators", "Iterators in Go", "3.75", "go"),
		post("go-errors", "Errors in Go", "4.00", "go"),
		post("go-modules", "Modules in Go", "2.50", "go"),
		post("sql-joins", "Joins in SQL", "4.80", "sql"),
		draft,
	}))
	createdMany, err := c.CreatePostWithBodyWithResponse(ctx, nil, "application/json", apitest.JSONBody(t, many))
	require.NoError(t, err)
	require.Equal(t, http.StatusCreated, createdMany.StatusCode(), "%s", createdMany.Body)
	posts, err := createdMany.JSON201.AsCreatePost201JSONResponseBody1()
	require.NoError(t, err)
	require.Len(t, posts, 6)
	bySlug := map[string]blogclient.Post{}
	for _, p := range posts {
		bySlug[p.Slug] = p
	}
	generics := bySlug["go-generics"]
	assert.Equal(t, blogclient.Published, generics.Status)
	require.NotNil(t, generics.Rating)
	assert.Equal(t, "4.50", *generics.Rating)
	assert.Equal(t, apitest.Ptrs("go", "types"), generics.Keywords)
	assert.Equal(t, map[string]any{"slug": "go-generics"}, generics.Metadata)
	require.NotNil(t, generics.PublishedAt)
	assert.Equal(t, published, *generics.PublishedAt)
	require.NotNil(t, generics.TitleLength)
	assert.Equal(t, int32(len("Generics in Go")), *generics.TitleLength, "a generated column, read only")
	assert.Equal(t, blogclient.Draft, bySlug["go-draft"].Status, "the column default")
	assert.Nil(t, bySlug["go-draft"].Rating)
	assert.Nil(t, bySlug["go-draft"].PublishedAt)

	gotPost, err := c.GetPostWithResponse(ctx, generics.Id)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, gotPost.StatusCode(), "%s", gotPost.Body)
	assert.Equal(t, generics, *gotPost.JSON200)

	// A list with an equality filter, operators, a sort and pages of two.
	status := blogclient.Published
	titleLike := "% in Go"
	ratingGte := "3.00"
	sort := "-rating"
	limit := 2
	exact := blogclient.ListPostsParamsCountExact
	params := blogclient.ListPostsParams{
		Status: &status, TitleLike: &titleLike, RatingGte: &ratingGte,
		KeywordsContains: &[]string{"go"}, Sort: &sort, Limit: &limit, Count: &exact,
	}
	var slugs []string
	for page := 1; ; page++ {
		require.LessOrEqual(t, page, 3, "the pages do not end")
		list, err := c.ListPostsWithResponse(ctx, &params)
		require.NoError(t, err)
		require.Equal(t, http.StatusOK, list.StatusCode(), "%s", list.Body)
		require.NotNil(t, list.JSON200.Total)
		assert.Equal(t, int64(3), *list.JSON200.Total)
		for _, p := range list.JSON200.Items {
			slugs = append(slugs, p.Slug)
		}
		if list.JSON200.NextCursor == nil {
			assert.Equal(t, 2, page, "three rows in pages of two")
			break
		}
		params.Cursor = list.JSON200.NextCursor
	}
	assert.Equal(t, []string{"go-generics", "go-errors", "go-iterators"}, slugs)

	// PATCH with application/json, if the row is still as the GET read it
	// (its ETag in If-Match), then with application/merge-patch+json.
	title := "Generics in Go 1.18"
	rating := "5.00"
	read := gotPost.HTTPResponse.Header.Get("ETag")
	patched, err := c.PatchPostWithResponse(ctx, generics.Id, &blogclient.PatchPostParams{IfMatch: &read},
		blogclient.PatchPostJSONRequestBody{Title: &title, Rating: &rating})
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, patched.StatusCode(), "%s", patched.Body)
	want := generics
	want.Title, want.Rating = title, &rating
	titleLength := int32(len(title))
	want.TitleLength = &titleLength
	assert.Equal(t, want, *patched.JSON200)

	archived := blogclient.Archived
	merged, err := c.PatchPostWithApplicationMergePatchPlusJSONBodyWithResponse(ctx, generics.Id, nil,
		blogclient.PatchPostApplicationMergePatchPlusJSONRequestBody{Status: &archived})
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, merged.StatusCode(), "%s", merged.Body)
	want.Status = archived
	assert.Equal(t, want, *merged.JSON200)

	// A typed problem: the field at fault, located in the body. The request
	// breaks the document's pattern, so this client does not check it.
	lenient, err := blogclient.NewClientWithResponses(b.Base, blogclient.WithHTTPClient(&apitest.Doer{T: t, HTTP: b.HTTP, Doc: "api/openapi.json", AnyRequest: true}))
	require.NoError(t, err)
	var bad blogclient.CreatePostJSONBody
	require.NoError(t, bad.FromCreatePostRequest(blogclient.CreatePostRequest{AuthorId: ada.Id, Slug: "Not A Slug", Title: "Bad"}))
	rejected, err := lenient.CreatePostWithBodyWithResponse(ctx, nil, "application/json", apitest.JSONBody(t, bad))
	require.NoError(t, err)
	require.Equal(t, http.StatusUnprocessableEntity, rejected.StatusCode(), "%s", rejected.Body)
	require.NotNil(t, rejected.ApplicationproblemJSON422)
	require.NotNil(t, rejected.ApplicationproblemJSON422.Errors)
	fieldErrors := *rejected.ApplicationproblemJSON422.Errors
	require.Len(t, fieldErrors, 1)
	assert.Equal(t, blogclient.Pattern, fieldErrors[0].Code)
	var loc []string
	for _, item := range fieldErrors[0].Loc {
		s, err := item.AsFieldErrorLoc0()
		require.NoError(t, err)
		loc = append(loc, s)
	}
	assert.Equal(t, []string{"body", "slug"}, loc)

	// DELETE with the ETag the GET read, which the PATCHes made stale: a
	// typed 412. Then without If-Match, and the row is gone.
	stale, err := c.DeletePostWithResponse(ctx, generics.Id, &blogclient.DeletePostParams{IfMatch: &read})
	require.NoError(t, err)
	require.Equal(t, http.StatusPreconditionFailed, stale.StatusCode(), "%s", stale.Body)
	require.NotNil(t, stale.ApplicationproblemJSON412)
	deleted, err := c.DeletePostWithResponse(ctx, generics.Id, nil)
	require.NoError(t, err)
	require.Equal(t, http.StatusNoContent, deleted.StatusCode(), "%s", deleted.Body)
	gone, err := c.GetPostWithResponse(ctx, generics.Id)
	require.NoError(t, err)
	require.Equal(t, http.StatusNotFound, gone.StatusCode(), "%s", gone.Body)
	assert.Nil(t, gone.JSON200)
	require.NotNil(t, gone.ApplicationproblemJSON404)
	assert.Equal(t, http.StatusNotFound, gone.ApplicationproblemJSON404.Status)
}
