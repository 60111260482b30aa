package e2e

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crudgen/crudgen/generator"
	"github.com/crudgen/crudgen/generator/model"
)

const relationsSchema = `
CREATE TABLE people (id int PRIMARY KEY, name text NOT NULL);
CREATE TABLE posts (
    id int PRIMARY KEY,
    author_id int NOT NULL REFERENCES people,
    editor_id int REFERENCES people,
    author text,
    limit_id int REFERENCES people
);
CREATE SCHEMA shop;
CREATE TABLE shop.orders (id int PRIMARY KEY, buyer int REFERENCES people (id));
`

func relationsOf(t *testing.T, renames map[string]string) (map[string][]string, error) {
	t.Helper()
	loaded := load(t, relationsSchema)
	gen, err := generator.Generate(loaded, generator.GenerateOptions{Package: "api", Relations: renames})
	if err != nil {
		return nil, err
	}
	out := map[string][]string{}
	for _, r := range gen.Package.Resources {
		out[r.Path] = r.RelationNames()
		for _, n := range r.Nested {
			out["nested"] = append(out["nested"], n.Path)
		}
	}
	return out, nil
}

// Relations are named as DESIGN says, kept apart from the row's fields and
// the list parameters, and renamed by the configuration.
func TestRelationNames(t *testing.T) {
	got, err := relationsOf(t, nil)
	require.NoError(t, err)
	assert.Equal(t, []string{"posts_by_author", "posts_by_editor", "posts_by_limit", "orders"}, got["/people"])
	// author_id is author, but a column has that name; limit_id is limit, a list parameter.
	assert.Equal(t, []string{"author_2", "editor", "limit_2"}, got["/posts"])
	assert.Equal(t, []string{"people"}, got["/shop/orders"], "buyer has no _id: the referenced table")
	assert.Equal(t, []string{"/people/{id}/posts_by_author", "/people/{id}/posts_by_editor", "/people/{id}/posts_by_limit", "/people/{id}/orders"}, got["nested"])

	got, err = relationsOf(t, map[string]string{"posts.author_2": "writer", "people.posts_by_author": "articles", "shop.orders.people": "customer"})
	require.NoError(t, err)
	assert.Equal(t, []string{"writer", "editor", "limit_2"}, got["/posts"])
	assert.Equal(t, []string{"articles", "posts_by_editor", "posts_by_limit", "orders"}, got["/people"])
	assert.Equal(t, []string{"customer"}, got["/shop/orders"])
	assert.Contains(t, got["nested"], "/people/{id}/articles")

	_, err = relationsOf(t, map[string]string{"posts.auther": "x"})
	require.ErrorContains(t, err, "relations: posts.auther names no relation")
	_, err = relationsOf(t, map[string]string{"posts.editor": "author"})
	require.ErrorContains(t, err, "relations: public.posts has a column named author already")
}

// Configurations that cannot work are errors that say why.
func TestConfigurationErrors(t *testing.T) {
	loaded := load(t, relationsSchema+"CREATE TABLE secrets (token text PRIMARY KEY);\nCREATE TABLE notes (id int PRIMARY KEY, tags text[], extra text);\n")
	for _, tc := range []struct {
		opts generator.GenerateOptions
		want string
	}{
		{generator.GenerateOptions{Routes: map[string]string{"peple": "/persons"}}, "routes: peple names no served table"},
		{generator.GenerateOptions{Routes: map[string]string{"posts": "/people"}}, "routes: posts: /people is the route of public.people already"},
		{generator.GenerateOptions{Routes: map[string]string{"people": "/openapi.json"}}, "which crudgen serves itself"},
		{generator.GenerateOptions{Fields: map[string]string{"posts.titel": "x"}}, "fields: posts.titel names no served table.column"},
		{generator.GenerateOptions{Fields: map[string]string{"posts.author": "editor_id"}}, `columns editor_id and author would both be the field "editor_id"`},
		{generator.GenerateOptions{Fields: map[string]string{"notes.extra": "tags@dims"}}, `column extra would be the field "tags@dims", which holds the dimensions of the array column tags`},
		{generator.GenerateOptions{Columns: map[string]string{"people.nam": "hidden"}}, "columns: people.nam names no served table.column"},
		{generator.GenerateOptions{Columns: map[string]string{"people.id": "hidden"}}, "key column id is hidden or write-only"},
		{generator.GenerateOptions{Exclude: []string{"people"}, Routes: map[string]string{"people": "/p"}}, "routes: people names no served table"},
		{generator.GenerateOptions{Columns: map[string]string{"secrets.token": "write_only"}}, "key column token is hidden or write-only"},
		{generator.GenerateOptions{Types: map[string]model.TypeOverride{"posts.nope": {Go: "string"}}}, "types: posts.nope names no served table.column or type"},
		{generator.GenerateOptions{Types: map[string]model.TypeOverride{"people.name": {Go: "Color"}}}, "neither a type crudgen knows nor import/path.Name"},
		{generator.GenerateOptions{Types: map[string]model.TypeOverride{"text": {Go: "string", OpenAPI: map[string]string{"minimum": "1"}}}}, `"minimum" is not one of type, format, pattern, description`},
	} {
		_, err := generator.Generate(loaded, tc.opts)
		require.Error(t, err, "%+v", tc.opts)
		assert.Contains(t, err.Error(), tc.want)
	}
	gen, err := generator.Generate(loaded, generator.GenerateOptions{})
	require.NoError(t, err, "a key with a secret's name stays readable: it is in URLs")
	for _, r := range gen.Package.Resources {
		if r.Path == "/secrets" {
			assert.Len(t, r.Key, 1)
		}
	}
}

// The OpenAPI fragment of custom routes merges in, but cannot replace
// what is generated.
func TestOpenAPIExtra(t *testing.T) {
	loaded := load(t, relationsSchema)
	for extra, want := range map[string]string{
		`{"paths": {"/people": {"get": {"responses": {}}}}}`: "openapi: GET /people is a generated operation already",
		`{"components": {"schemas": {"Person": {}}}}`:        "openapi: schema Person is a generated one already",
		`{"info": {}}`: `unknown field "info"`,
		`{"paths": {"/people/-/stats": {"get": {"responses": {"200": {"description": "ok"}}}}}}`: "",
	} {
		_, err := generator.Generate(loaded, generator.GenerateOptions{OpenAPI: []byte(extra)})
		if want == "" {
			assert.NoError(t, err)
			continue
		}
		require.Error(t, err, extra)
		assert.Contains(t, err.Error(), want)
	}
}

// auth: bearer puts the security scheme in the document, and 401/403 on
// every operation.
func TestOpenAPIBearer(t *testing.T) {
	loaded := load(t, relationsSchema)
	gen, err := generator.Generate(loaded, generator.GenerateOptions{Auth: "bearer"})
	require.NoError(t, err)
	var raw []byte
	for _, f := range gen.Files {
		if f.Path == "openapi.json" {
			raw = f.Content
		}
	}
	doc, err := openapi3.NewLoader().LoadFromData(raw)
	require.NoError(t, err)
	require.NoError(t, doc.Validate(context.Background()))
	require.Len(t, doc.Security, 1)
	assert.Contains(t, doc.Security[0], "bearerAuth")
	scheme := doc.Components.SecuritySchemes["bearerAuth"].Value
	assert.Equal(t, "http", scheme.Type)
	assert.Equal(t, "bearer", scheme.Scheme)
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			assert.NotNil(t, op.Responses.Value("401"), "%s %s", method, path)
			assert.NotNil(t, op.Responses.Value("403"), "%s %s", method, path)
		}
	}
}

// load reads sql as a schema file.
func load(t *testing.T, sql string) *generator.Loaded {
	t.Helper()
	path := filepath.Join(t.TempDir(), "schema.sql")
	require.NoError(t, os.WriteFile(path, []byte(sql), 0o644))
	loaded, err := generator.LoadCatalog([]string{path}, generator.LoadOptions{})
	require.NoError(t, err)
	return loaded
}
