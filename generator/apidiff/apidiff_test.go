package apidiff_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crudgen/crudgen/generator"
	"github.com/crudgen/crudgen/generator/apidiff"
)

const base = `
CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
CREATE TABLE authors (id int PRIMARY KEY, name varchar(100) NOT NULL, bio text, mood mood);
CREATE TABLE posts (id int PRIMARY KEY, author_id int NOT NULL REFERENCES authors, title text NOT NULL, views int NOT NULL DEFAULT 0);
CREATE TABLE tags (name text PRIMARY KEY);
`

func document(t *testing.T, sql string) []byte {
	t.Helper()
	path := filepath.Join(t.TempDir(), "schema.sql")
	require.NoError(t, os.WriteFile(path, []byte(sql), 0o644))
	loaded, err := generator.LoadCatalog([]string{path}, generator.LoadOptions{})
	require.NoError(t, err)
	gen, err := generator.Generate(loaded, generator.GenerateOptions{Package: "api"})
	require.NoError(t, err)
	for _, f := range gen.Files {
		if f.Path == "openapi.json" {
			return f.Content
		}
	}
	t.Fatal("no openapi.json")
	return nil
}

func TestBreaking(t *testing.T) {
	old := document(t, base)
	for _, tc := range []struct {
		name, change string
		want         []string
	}{
		{"nothing", "", nil},
		{"additions", `ALTER TABLE authors ADD COLUMN born date; CREATE TABLE extra (id int PRIMARY KEY);
			ALTER TYPE mood ADD VALUE 'calm'; ALTER TABLE posts ALTER COLUMN views DROP DEFAULT`, []string{
			"POST /posts body: new required field views", // without its default, views must be given
		}},
		{"a nullable output", `ALTER TABLE posts ALTER COLUMN title DROP NOT NULL`, []string{
			"GET /posts 200 response.items[].title: may now be null",
			"GET /posts/{id} 200 response.title: may now be null",
		}},
		{"a dropped table", `DROP TABLE tags`, []string{
			"DELETE /tags/{name}: removed", "GET /tags: removed", "GET /tags/{name}: removed",
			"PATCH /tags/{name}: removed", "POST /tags: removed", "PUT /tags/{name}: removed"}},
		{"a dropped column", `ALTER TABLE authors DROP COLUMN bio`, []string{
			"GET /authors: query parameter bio removed",
		}},
		{"a new required column", `ALTER TABLE posts ADD COLUMN slug text NOT NULL`, []string{
			"POST /posts body: new required field slug",
			"PUT /posts/{id} body: new required field slug",
		}},
		{"a narrower type", `ALTER TABLE authors ALTER COLUMN name TYPE varchar(50)`, []string{
			"PATCH /authors/{id} body.name: maxLength narrowed to 50",
			"POST /authors body.name: maxLength narrowed to 50",
			"PUT /authors/{id} body.name: maxLength narrowed to 50",
		}},
		{"a changed type", `ALTER TABLE posts ALTER COLUMN views TYPE text`, []string{
			"GET /posts 200 response.items[].views: type integer became string",
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := apidiff.Breaking(old, document(t, base+tc.change))
			require.NoError(t, err)
			for _, w := range tc.want {
				assert.Contains(t, got, w)
			}
			if tc.want == nil {
				assert.Empty(t, got)
			}
			if tc.name == "additions" {
				assert.Len(t, got, 3, "%q", got) // POST (one row and an array) and PUT
			}
		})
	}
}
