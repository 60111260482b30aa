package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// project writes a schema and a crudgen.yaml into a temp dir, generates,
// and returns the directory.
func project(t *testing.T, schema string) string {
	t.Helper()
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "schema.sql"), []byte(schema), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "crudgen.yaml"), []byte("version: 1\nschema: schema.sql\nout: api\n"), 0o644))
	code, _, errs := runCLI("generate", "-c", filepath.Join(dir, "crudgen.yaml"))
	require.Equal(t, exitOK, code, errs)
	return dir
}

func TestCheck(t *testing.T) {
	dir := project(t, "CREATE TABLE notes (id int PRIMARY KEY, body text NOT NULL, done boolean);\n")
	cfg := filepath.Join(dir, "crudgen.yaml")
	code, out, errs := runCLI("check", "-c", cfg)
	require.Equal(t, exitOK, code, errs)
	assert.Contains(t, out, "is up to date")

	// A hand edit of a generated file: exit 1 and the diff back to what
	// generation gives.
	notes := filepath.Join(dir, "api", "notes.go")
	orig, err := os.ReadFile(notes)
	require.NoError(t, err)
	edited := strings.Replace(string(orig), "type Note struct {", "type Note struct {\n\tExtra int", 1)
	require.NoError(t, os.WriteFile(notes, []byte(edited), 0o644))
	code, out, errs = runCLI("check", "-c", cfg)
	assert.Equal(t, exitFail, code)
	assert.Contains(t, out, "--- a/notes.go\n+++ b/notes.go\n")
	assert.Contains(t, out, "-\tExtra int\n")
	assert.Contains(t, errs, "1 generated files")
	unchanged, err := os.ReadFile(notes)
	require.NoError(t, err)
	assert.Equal(t, edited, string(unchanged), "check writes nothing")

	// A schema change not yet generated: the new file is missing, and a
	// generated file of a dropped table is stale.
	require.NoError(t, os.WriteFile(notes, orig, 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "schema.sql"), []byte("CREATE TABLE todos (id int PRIMARY KEY);\n"), 0o644))
	code, out, _ = runCLI("check", "-c", cfg)
	assert.Equal(t, exitFail, code)
	assert.Contains(t, out, "--- /dev/null\n+++ b/todos.go\n")
	assert.Contains(t, out, "--- a/notes.go\n+++ /dev/null\n")
	// A hand-written file in the package is never part of the diff.
	require.NoError(t, os.WriteFile(filepath.Join(dir, "api", "hooks.go"), []byte("package api\n"), 0o644))
	code, _, errs = runCLI("generate", "-c", cfg)
	require.Equal(t, exitOK, code, errs)
	code, _, errs = runCLI("check", "-c", cfg)
	assert.Equal(t, exitOK, code, errs)
}

func TestCheckAPI(t *testing.T) {
	dir := project(t, "CREATE TABLE notes (id int PRIMARY KEY, body varchar(100) NOT NULL, done boolean);\n")
	cfg := filepath.Join(dir, "crudgen.yaml")
	base := filepath.Join(t.TempDir(), "base.json")
	doc, err := os.ReadFile(filepath.Join(dir, "api", "openapi.json"))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(base, doc, 0o644))

	// An additive change is not breaking (the code still has to be
	// regenerated).
	require.NoError(t, os.WriteFile(filepath.Join(dir, "schema.sql"), []byte("CREATE TABLE notes (id int PRIMARY KEY, body varchar(100) NOT NULL, done boolean, due date);\n"), 0o644))
	code, _, errs := runCLI("generate", "-c", cfg)
	require.Equal(t, exitOK, code, errs)
	code, out, errs := runCLI("check", "-c", cfg, "--api", base)
	assert.Equal(t, exitOK, code, out+errs)

	// Dropping a column and narrowing another break clients.
	require.NoError(t, os.WriteFile(filepath.Join(dir, "schema.sql"), []byte("CREATE TABLE notes (id int PRIMARY KEY, body varchar(50) NOT NULL);\n"), 0o644))
	code, _, errs = runCLI("generate", "-c", cfg)
	require.Equal(t, exitOK, code, errs)
	code, out, errs = runCLI("check", "-c", cfg, "--api", base)
	assert.Equal(t, exitFail, code)
	assert.Contains(t, out, "breaking: GET /notes 200 response.items[]: field done removed")
	assert.Contains(t, out, "breaking: POST /notes body.body: maxLength narrowed to 50")
	assert.Contains(t, errs, "break clients")

	code, _, errs = runCLI("check", "-c", cfg, "--api", filepath.Join(dir, "nope.json"))
	assert.Equal(t, exitFail, code)
	assert.Contains(t, errs, "nope.json")
}

func TestVersion(t *testing.T) {
	code, out, _ := runCLI("version")
	assert.Equal(t, exitOK, code)
	assert.Regexp(t, `^crudgen \S+ .*go1\.\d+`, out)
	code, _, _ = runCLI("version", "x")
	assert.Equal(t, exitUsage, code)
	for _, cmd := range []string{"init", "generate", "check", "inspect", "templates", "version"} {
		code, _, errs := runCLI(cmd, "-h")
		assert.Equal(t, exitOK, code, cmd)
		assert.Contains(t, errs, "Usage: crudgen "+cmd, cmd)
	}
}

func TestInspectModel(t *testing.T) {
	schema := filepath.Join("..", "..", "examples", "blog", "schema.sql")
	code, out, errs := runCLI("inspect", "--model", schema)
	require.Equal(t, exitOK, code, errs)
	var m struct {
		Resources []struct {
			Table      string
			Route      string
			Key        []string
			Operations []string
			Fields     []struct {
				JSON     string
				Filters  []string
				Sortable bool
			}
			Relations []struct{ Name, Kind string }
		}
	}
	require.NoError(t, json.Unmarshal([]byte(out), &m))
	require.Len(t, m.Resources, 7)
	posts := m.Resources[1]
	assert.Equal(t, "/posts", posts.Route)
	assert.Equal(t, []string{"id"}, posts.Key)
	assert.Contains(t, posts.Operations, "GET /authors/{id}/posts")
	assert.Equal(t, []string{"is", "contains", "overlaps"}, posts.Fields[7].Filters, posts.Fields[7].JSON)
	assert.Contains(t, posts.Relations, struct{ Name, Kind string }{"author", "many-to-one"})

	code, out, _ = runCLI("inspect", "--model", "--format", "text", schema)
	require.Equal(t, exitOK, code)
	assert.Contains(t, out, "public.posts -> /posts (Post) key [id] from the primary key")
	assert.Contains(t, out, "relation comments: one-to-many public.comments")
}
